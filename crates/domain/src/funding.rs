//! Funding (nguồn vốn): budget lines per year, source and activity, with what was planned,
//! allocated and disbursed.

/// Where money comes from: the state budget (central, provincial, integrated national
/// programmes) or outside it (subjects' own funds, credit, sponsors).
pub const SOURCES: [&str; 6] = ["central", "provincial", "integrated", "own", "credit", "sponsor"];
/// What it pays for.
pub const ACTIVITIES: [&str; 5] = ["training", "fairs", "sales_points", "subject_support", "other"];

/// Whether a source is the state budget.
pub fn is_state(source: &str) -> bool {
    matches!(source, "central" | "provincial" | "integrated")
}

pub fn source_label_vi(source: &str) -> &'static str {
    match source {
        "central" => "Ngân sách Trung ương",
        "provincial" => "Ngân sách tỉnh",
        "integrated" => "Lồng ghép chương trình mục tiêu",
        "own" => "Vốn tự có của chủ thể",
        "credit" => "Vốn tín dụng",
        "sponsor" => "Tài trợ, xã hội hóa",
        _ => "Khác",
    }
}

pub fn activity_label_vi(activity: &str) -> &'static str {
    match activity {
        "training" => "Đào tạo, tập huấn",
        "fairs" => "Hội chợ, xúc tiến thương mại",
        "sales_points" => "Điểm bán sản phẩm OCOP",
        "subject_support" => "Hỗ trợ chủ thể",
        _ => "Khác",
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BudgetError {
    #[error("source is one of central, provincial, integrated, own, credit, sponsor")]
    Source,
    #[error("activity is one of training, fairs, sales_points, subject_support, other")]
    Activity,
    #[error("amounts are not negative, and no more is disbursed than allocated")]
    Amounts,
    #[error("a link to a course is for a training line, a link to a trade event for a fairs line")]
    Link,
}

pub struct Amounts {
    pub planned: i64,
    pub allocated: i64,
    pub disbursed: i64,
}

pub fn check_line(
    source: &str,
    activity: &str,
    amounts: &Amounts,
    linked_course: bool,
    linked_event: bool,
) -> Result<(), BudgetError> {
    if !SOURCES.contains(&source) {
        return Err(BudgetError::Source);
    }
    if !ACTIVITIES.contains(&activity) {
        return Err(BudgetError::Activity);
    }
    if amounts.planned < 0 || amounts.allocated < 0 || amounts.disbursed < 0 || amounts.disbursed > amounts.allocated {
        return Err(BudgetError::Amounts);
    }
    if (linked_course && activity != "training") || (linked_event && activity != "fairs") {
        return Err(BudgetError::Link);
    }
    Ok(())
}

/// Disbursed over planned, in percent with one decimal.
pub fn disbursement_rate(planned: i64, disbursed: i64) -> Option<f64> {
    (planned > 0).then(|| ((disbursed as f64) / (planned as f64) * 1000.0).round() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines() {
        let ok = Amounts { planned: 100, allocated: 80, disbursed: 50 };
        assert_eq!(check_line("provincial", "training", &ok, true, false), Ok(()));
        assert_eq!(check_line("bank", "training", &ok, false, false), Err(BudgetError::Source));
        assert_eq!(check_line("own", "party", &ok, false, false), Err(BudgetError::Activity));
        let over = Amounts { planned: 100, allocated: 80, disbursed: 90 };
        assert_eq!(check_line("own", "other", &over, false, false), Err(BudgetError::Amounts));
        assert_eq!(check_line("own", "other", &ok, true, false), Err(BudgetError::Link));
        assert_eq!(check_line("own", "fairs", &ok, false, true), Ok(()));
        assert!(is_state("integrated") && !is_state("credit"));
        assert_eq!(disbursement_rate(300, 100), Some(33.3));
        assert_eq!(disbursement_rate(0, 100), None);
    }
}

//! OCOP subjects (chủ thể): the organisations that make products, and their upgrades.

use serde::{Deserialize, Serialize};

/// Legal form of a subject. Households and cooperative groups are the starting forms the
/// programme helps to upgrade (seed 003 §3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LegalForm {
    /// Hộ sản xuất có đăng ký kinh doanh.
    Household,
    /// Tổ hợp tác.
    CooperativeGroup,
    /// Hợp tác xã.
    Cooperative,
    /// Doanh nghiệp (DNNVV): sole proprietorship, limited company.
    Enterprise,
    /// Công ty cổ phần.
    JointStockCompany,
}

impl LegalForm {
    pub const ALL: [Self; 5] =
        [Self::Household, Self::CooperativeGroup, Self::Cooperative, Self::Enterprise, Self::JointStockCompany];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Household => "household",
            Self::CooperativeGroup => "cooperative_group",
            Self::Cooperative => "cooperative",
            Self::Enterprise => "enterprise",
            Self::JointStockCompany => "joint_stock_company",
        }
    }

    pub const fn label_vi(self) -> &'static str {
        match self {
            Self::Household => "Hộ sản xuất có ĐKKD",
            Self::CooperativeGroup => "Tổ hợp tác",
            Self::Cooperative => "Hợp tác xã",
            Self::Enterprise => "Doanh nghiệp",
            Self::JointStockCompany => "Công ty cổ phần",
        }
    }

    /// Parses either the code or the Vietnamese label (spreadsheets carry labels).
    pub fn parse_label(text: &str) -> Option<Self> {
        let folded = crate::text::fold(text);
        Self::ALL.into_iter().find(|f| f.as_str() == text.trim() || crate::text::fold(f.label_vi()) == folded)
    }
}

parse_by_name!(LegalForm, UnknownLegalForm, "legal form");

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum UpgradeError {
    #[error("the subject already has this legal form")]
    Unchanged,
    #[error("{} cannot become {}", .from.as_str(), .to.as_str())]
    NotAnUpgrade { from: LegalForm, to: LegalForm },
}

/// The upgrades the programme recognises: household → enterprise, cooperative group →
/// cooperative, cooperative or enterprise → joint-stock company.
pub fn check_upgrade(from: LegalForm, to: LegalForm) -> Result<(), UpgradeError> {
    use LegalForm::*;
    match (from, to) {
        _ if from == to => Err(UpgradeError::Unchanged),
        (Household, Enterprise)
        | (CooperativeGroup, Cooperative)
        | (Cooperative, JointStockCompany)
        | (Enterprise, JointStockCompany) => Ok(()),
        _ => Err(UpgradeError::NotAnUpgrade { from, to }),
    }
}

/// A tax / business registration number (mã số thuế, mã số doanh nghiệp): ten digits, or
/// thirteen for a branch (`0101234567-001`). Households registered at district level may
/// instead carry a district registration number such as `22A8001234` (letters and digits).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TaxCode(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "a tax code has 10 digits, or 10 digits, a hyphen and 3 digits; a household registration number 8–15 letters and digits"
)]
pub struct InvalidTaxCode;

impl TaxCode {
    /// The written form codes are compared in: upper case, without spaces or dots.
    pub fn normalize(raw: &str) -> String {
        raw.trim().to_uppercase().chars().filter(|c| *c != ' ' && *c != '.').collect()
    }

    pub fn parse(raw: &str, form: LegalForm) -> Result<Self, InvalidTaxCode> {
        let code = Self::normalize(raw);
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        let tax = digits(&code, 10)
            || code.split_once('-').is_some_and(|(main, branch)| digits(main, 10) && digits(branch, 3));
        let household_registration = form == LegalForm::Household
            && (8..=15).contains(&code.len())
            && code.bytes().all(|b| b.is_ascii_alphanumeric())
            && code.bytes().filter(u8::is_ascii_digit).count() >= 6;
        if tax || household_registration { Ok(Self(code)) } else { Err(InvalidTaxCode) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A Vietnamese phone number, normalised to the national form (`0912345678`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a phone number has 10 digits starting with 0 (or +84 and 9 digits); landlines 11 digits starting with 02")]
pub struct InvalidPhone;

impl Phone {
    pub fn parse(raw: &str) -> Result<Self, InvalidPhone> {
        let compact: String = raw.chars().filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')')).collect();
        let national = match compact.strip_prefix("+84").or_else(|| compact.strip_prefix("84").filter(|r| r.len() == 9))
        {
            Some(rest) => format!("0{rest}"),
            None => compact,
        };
        let ok = national.starts_with('0')
            && national.bytes().all(|b| b.is_ascii_digit())
            && (national.len() == 10 || (national.len() == 11 && national.starts_with("02")));
        if ok { Ok(Self(national)) } else { Err(InvalidPhone) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use LegalForm::*;

    #[test]
    fn upgrades_follow_the_programme() {
        assert!(check_upgrade(Household, Enterprise).is_ok());
        assert!(check_upgrade(CooperativeGroup, Cooperative).is_ok());
        assert!(check_upgrade(Cooperative, JointStockCompany).is_ok());
        assert!(check_upgrade(Enterprise, JointStockCompany).is_ok());
        assert_eq!(check_upgrade(Enterprise, Enterprise), Err(UpgradeError::Unchanged));
        assert!(check_upgrade(Enterprise, Household).is_err());
        assert!(check_upgrade(Cooperative, CooperativeGroup).is_err());
    }

    #[test]
    fn tax_codes() {
        assert_eq!(TaxCode::parse(" 5701234567 ", Enterprise).map(|c| c.0), Ok("5701234567".into()));
        assert!(TaxCode::parse("5701234567-001", Cooperative).is_ok());
        assert!(TaxCode::parse("570123456", Enterprise).is_err());
        assert!(TaxCode::parse("5701234567-01", Enterprise).is_err());
        assert!(TaxCode::parse("22A8001234", Household).is_ok());
        assert!(TaxCode::parse("22A8001234", Enterprise).is_err());
        assert!(TaxCode::parse("ABCDEFGH", Household).is_err());
    }

    #[test]
    fn phones() {
        assert_eq!(Phone::parse("0912 345 678").map(|p| p.0), Ok("0912345678".into()));
        assert_eq!(Phone::parse("+84 912 345 678").map(|p| p.0), Ok("0912345678".into()));
        assert_eq!(Phone::parse("0203.3825.678").map(|p| p.0), Ok("02033825678".into()));
        assert!(Phone::parse("12345").is_err());
        assert!(Phone::parse("0912a45678").is_err());
    }

    #[test]
    fn legal_forms_read_from_labels() {
        assert_eq!(LegalForm::parse_label("Hợp tác xã"), Some(Cooperative));
        assert_eq!(LegalForm::parse_label("hop tac xa"), Some(Cooperative));
        assert_eq!(LegalForm::parse_label("household"), Some(Household));
        assert_eq!(LegalForm::parse_label("xyz"), None);
    }
}

//! The six stages of the annual OCOP cycle, in order: the cycle's moves and the dossier's
//! required documents both speak of them.

use serde::{Deserialize, Serialize};

/// The six steps of the annual cycle, in order (seed 003 §4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Tuyên truyền, hướng dẫn.
    Promotion,
    /// Nhận phiếu đăng ký ý tưởng sản phẩm.
    IdeaRegistration,
    /// Nhận phương án, dự án sản xuất kinh doanh.
    BusinessPlan,
    /// Triển khai phương án, dự án.
    Implementation,
    /// Đánh giá và xếp hạng sản phẩm.
    Evaluation,
    /// Xúc tiến thương mại.
    TradePromotion,
}

impl Stage {
    pub const ALL: [Self; 6] = [
        Self::Promotion,
        Self::IdeaRegistration,
        Self::BusinessPlan,
        Self::Implementation,
        Self::Evaluation,
        Self::TradePromotion,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Promotion => "promotion",
            Self::IdeaRegistration => "idea_registration",
            Self::BusinessPlan => "business_plan",
            Self::Implementation => "implementation",
            Self::Evaluation => "evaluation",
            Self::TradePromotion => "trade_promotion",
        }
    }

    pub const fn label_vi(self) -> &'static str {
        match self {
            Self::Promotion => "Tuyên truyền, hướng dẫn",
            Self::IdeaRegistration => "Đăng ký ý tưởng sản phẩm",
            Self::BusinessPlan => "Phương án sản xuất kinh doanh",
            Self::Implementation => "Triển khai phương án",
            Self::Evaluation => "Đánh giá, phân hạng",
            Self::TradePromotion => "Xúc tiến thương mại",
        }
    }
}

parse_by_name!(Stage, UnknownStage, "stage");

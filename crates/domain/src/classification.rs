//! Product classifications: the shape of their codes and levels (the content is data).

use serde::{Deserialize, Serialize};

/// Group (`1`), subgroup (`1.3`), product set (`1.3.5`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeLevel {
    Group,
    Subgroup,
    ProductSet,
}

impl NodeLevel {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Group => "group",
            Self::Subgroup => "subgroup",
            Self::ProductSet => "product_set",
        }
    }

    /// The level below this one; product sets have none.
    pub const fn child(self) -> Option<Self> {
        match self {
            Self::Group => Some(Self::Subgroup),
            Self::Subgroup => Some(Self::ProductSet),
            Self::ProductSet => None,
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Group, Self::Subgroup, Self::ProductSet].into_iter().find(|l| l.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NodeError {
    #[error("product sets have no children")]
    LeafParent,
    #[error("the code must read {expected_prefix}<number>")]
    Code { expected_prefix: String },
}

/// A new node's level, from its parent (code and level), checking that its code extends the
/// parent's by one number: `1.3` → `1.3.6`; a group's code is a number.
pub fn check_new_node(parent: Option<(&str, NodeLevel)>, code: &str) -> Result<NodeLevel, NodeError> {
    let (prefix, level) = match parent {
        None => (String::new(), NodeLevel::Group),
        Some((parent_code, parent_level)) => {
            (format!("{parent_code}."), parent_level.child().ok_or(NodeError::LeafParent)?)
        }
    };
    let tail = code.strip_prefix(prefix.as_str()).unwrap_or_default();
    if tail.is_empty() || !tail.bytes().all(|b| b.is_ascii_digit()) {
        return Err(NodeError::Code { expected_prefix: prefix });
    }
    Ok(level)
}

/// A document kind's code: lower-case ASCII letters, digits and underscores.
pub fn is_kind_code(code: &str) -> bool {
    (2..=48).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// The top-level group a node belongs to: the first part of its dotted code.
pub fn group_code(node_code: &str) -> &str {
    node_code.split('.').next().unwrap_or(node_code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_extend_their_parent() {
        assert_eq!(check_new_node(None, "7"), Ok(NodeLevel::Group));
        assert_eq!(check_new_node(Some(("1", NodeLevel::Group)), "1.9"), Ok(NodeLevel::Subgroup));
        assert_eq!(check_new_node(Some(("1.3", NodeLevel::Subgroup)), "1.3.6"), Ok(NodeLevel::ProductSet));
        assert_eq!(
            check_new_node(Some(("1.3", NodeLevel::Subgroup)), "2.9"),
            Err(NodeError::Code { expected_prefix: "1.3.".into() })
        );
        assert!(check_new_node(Some(("1.3", NodeLevel::Subgroup)), "1.3.").is_err());
        assert!(check_new_node(None, "1.2").is_err());
        assert_eq!(check_new_node(Some(("1.3.5", NodeLevel::ProductSet)), "1.3.5.1"), Err(NodeError::LeafParent));
    }

    #[test]
    fn kind_codes_and_groups() {
        assert!(is_kind_code("vietgap_certificate"));
        assert!(!is_kind_code("VietGAP"));
        assert!(!is_kind_code("a"));
        assert_eq!(group_code("1.3.5"), "1");
        assert_eq!(group_code("6"), "6");
    }
}

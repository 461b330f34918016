//! Products: their code and their GTIN.

use serde::{Deserialize, Serialize};

/// Where a product's commune sits, as the code needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodePlace<'a> {
    pub province: &'a str,
    /// `None` for a commune directly under the province (since July 2025).
    pub district: Option<&'a str>,
    pub commune: &'a str,
}

/// Reads the place from a commune's materialised path: `/22/193/06649/` or `/22/06649/`.
pub fn code_place(commune_path: &str) -> Option<CodePlace<'_>> {
    let parts: Vec<&str> = commune_path.trim_matches('/').split('/').collect();
    match parts.as_slice() {
        [province, district, commune] => Some(CodePlace { province, district: Some(district), commune }),
        [province, commune] if commune.len() == 5 => Some(CodePlace { province, district: None, commune }),
        _ => None,
    }
}

/// The product code used by existing systems: `{province}-{district}-{commune}-{seq}-{year}`,
/// the district part `000` for a commune directly under the province, the sequence (per
/// commune and year) at least three digits.
pub fn product_code(place: &CodePlace<'_>, seq: u32, year: i32) -> String {
    format!("{}-{}-{}-{seq:03}-{year}", place.province, place.district.unwrap_or("000"), place.commune)
}

/// Lifecycle of a product record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProductStatus {
    /// Registered, not yet certified.
    Active,
    /// Certified 3★ or above (set by the scoring module).
    Certified,
    /// No longer produced; kept for history.
    Discontinued,
}

impl ProductStatus {
    pub const ALL: [Self; 3] = [Self::Active, Self::Certified, Self::Discontinued];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Certified => "certified",
            Self::Discontinued => "discontinued",
        }
    }
}

parse_by_name!(ProductStatus, UnknownProductStatus, "product status");

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("only a council's recognition decision makes a product certified")]
pub struct CertifiedByCouncil;

/// A form may keep a product certified, never make it so: certification comes from scoring.
pub fn check_status_change(requested: ProductStatus, current: Option<ProductStatus>) -> Result<(), CertifiedByCouncil> {
    if requested == ProductStatus::Certified && current != Some(ProductStatus::Certified) {
        Err(CertifiedByCouncil)
    } else {
        Ok(())
    }
}

/// A GS1 Global Trade Item Number: 8, 12, 13 or 14 digits with a valid check digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Gtin(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InvalidGtin {
    #[error("a GTIN has 8, 12, 13 or 14 digits")]
    Length,
    #[error("the GTIN check digit is wrong")]
    CheckDigit,
}

impl Gtin {
    pub fn parse(raw: &str) -> Result<Self, InvalidGtin> {
        let digits: String = raw.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
        if ![8, 12, 13, 14].contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(InvalidGtin::Length);
        }
        let (body, check) = digits.split_at(digits.len() - 1);
        if gs1_check_digit(body) != u32::from(check.as_bytes()[0] - b'0') {
            return Err(InvalidGtin::CheckDigit);
        }
        Ok(Self(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The 14-digit form GS1 Digital Link and EPCIS use (shorter GTINs padded with zeros).
    pub fn gtin14(&self) -> String {
        format!("{:0>14}", self.0)
    }
}

/// GS1 mod-10: weights 3 and 1 alternate from the rightmost digit of the body.
pub fn gs1_check_digit(body: &str) -> u32 {
    let sum: u32 =
        body.bytes().rev().enumerate().map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 3 } else { 1 }).sum();
    (10 - sum % 10) % 10
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn codes_with_and_without_a_district() {
        let place = code_place("/22/193/06649/").expect("place");
        assert_eq!(product_code(&place, 7, 2026), "22-193-06649-007-2026");
        let place = code_place("/22/06649/").expect("place");
        assert_eq!(product_code(&place, 1234, 2026), "22-000-06649-1234-2026");
        assert_eq!(code_place("/22/193/"), None);
    }

    #[test]
    fn only_councils_certify() {
        use ProductStatus::*;
        assert_eq!(check_status_change(Certified, Some(Active)), Err(CertifiedByCouncil));
        assert_eq!(check_status_change(Certified, None), Err(CertifiedByCouncil));
        assert!(check_status_change(Certified, Some(Certified)).is_ok());
        assert!(check_status_change(Discontinued, Some(Certified)).is_ok());
    }

    #[test]
    fn gtins() {
        assert!(Gtin::parse("8934588012112").is_ok()); // a Vietnamese (893) EAN-13
        assert_eq!(Gtin::parse("8934588012113"), Err(InvalidGtin::CheckDigit));
        assert!(Gtin::parse("96385074").is_ok()); // EAN-8
        assert!(Gtin::parse("036000291452").is_ok()); // UPC-A
        assert_eq!(Gtin::parse("89345880121"), Err(InvalidGtin::Length));
        assert_eq!(Gtin::parse("89345880121x3"), Err(InvalidGtin::Length));
        assert_eq!(Gtin::parse("8934588012112").expect("ean-13").gtin14(), "08934588012112");
        assert_eq!(Gtin::parse("96385074").expect("ean-8").gtin14(), "00000096385074");
        assert_eq!(Gtin::parse("08934588012112").expect("gtin-14").gtin14(), "08934588012112");
    }

    proptest! {
        #[test]
        fn any_body_with_its_check_digit_is_valid(body in "[0-9]{12}") {
            let gtin = format!("{body}{}", gs1_check_digit(&body));
            prop_assert!(Gtin::parse(&gtin).is_ok());
            let wrong = format!("{body}{}", (gs1_check_digit(&body) + 1) % 10);
            prop_assert_eq!(Gtin::parse(&wrong), Err(InvalidGtin::CheckDigit));
        }
    }
}

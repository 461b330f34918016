//! The public catalog of certified products: which products are listed, and the change feed
//! that tells a portal when a product comes up, changes, or must come down.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use uuid::Uuid;

use crate::council::CertificateStatus;

/// The lowest star a listed product has.
pub const MIN_STAR: i16 = 3;

/// A product is listed while a certificate of 3★ or above is in force (active, not expired).
pub fn is_listed(stored: CertificateStatus, valid_until: NaiveDate, star: i16, today: NaiveDate) -> bool {
    star >= MIN_STAR && CertificateStatus::on(stored, valid_until, today) == CertificateStatus::Active
}

/// The moment a certificate stops being in force by date: the start of the day after its last
/// valid day (UTC).
pub fn expires_at(valid_until: NaiveDate) -> DateTime<Utc> {
    valid_until.succ_opt().unwrap_or(valid_until).and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Listed,
    Updated,
    Delisted,
}

/// One certificate as the feed sees it.
#[derive(Debug, Clone)]
pub struct CertificateFacts {
    pub id: Uuid,
    pub product_id: Uuid,
    pub star: i16,
    pub issued_at: DateTime<Utc>,
    pub valid_until: NaiveDate,
    pub stored: CertificateStatus,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl CertificateFacts {
    /// When it stops being in force, if it has by `now`.
    fn ended_at(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self.stored {
            CertificateStatus::Revoked => self.revoked_at,
            // A superseded certificate gives way to its successor: not an end of listing.
            CertificateStatus::Superseded => None,
            _ => Some(expires_at(self.valid_until)).filter(|t| *t <= now),
        }
    }

    fn in_force_at(&self, t: DateTime<Utc>) -> bool {
        self.star >= MIN_STAR
            && self.issued_at <= t
            && expires_at(self.valid_until) > t
            && self.revoked_at.is_none_or(|r| r > t)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub product_id: Uuid,
    pub kind: ChangeKind,
    pub at: DateTime<Utc>,
}

/// The changes in `(since, now]` of the products whose certificates are given (every
/// certificate of each product, so that a successor or another certificate in force is seen),
/// plus edits of listed products (`edited`: product, time). One entry per product: its last
/// change in the window, so a portal applies the feed in order and ends in the right state.
pub fn changes(
    certificates: &[CertificateFacts],
    edited: &[(Uuid, DateTime<Utc>)],
    since: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Vec<Change> {
    let mut events: Vec<Change> = Vec::new();
    let in_window = |t: DateTime<Utc>| t > since && t <= now;
    let listed_just_before = |product: Uuid, t: DateTime<Utc>, except: Uuid| {
        certificates
            .iter()
            .any(|c| c.product_id == product && c.id != except && c.in_force_at(t - chrono::Duration::microseconds(1)))
    };
    for c in certificates {
        if in_window(c.issued_at) && c.in_force_at(c.issued_at) {
            let kind = if listed_just_before(c.product_id, c.issued_at, c.id) {
                ChangeKind::Updated
            } else {
                ChangeKind::Listed
            };
            events.push(Change { product_id: c.product_id, kind, at: c.issued_at });
        }
        if let Some(end) = c.ended_at(now).filter(|t| in_window(*t)) {
            let still = certificates.iter().any(|o| o.product_id == c.product_id && o.id != c.id && o.in_force_at(end));
            if !still && c.issued_at < end && c.star >= MIN_STAR {
                events.push(Change { product_id: c.product_id, kind: ChangeKind::Delisted, at: end });
            }
        }
    }
    for (product, at) in edited {
        let listed = certificates.iter().any(|c| c.product_id == *product && c.in_force_at(*at));
        if in_window(*at) && listed {
            events.push(Change { product_id: *product, kind: ChangeKind::Updated, at: *at });
        }
    }
    events.sort_by(|a, b| a.at.cmp(&b.at).then(a.product_id.cmp(&b.product_id)));
    // Keep each product's last change; a listing inside the window stays a listing.
    let mut last: Vec<Change> = Vec::new();
    for e in events {
        match last.iter_mut().find(|l| l.product_id == e.product_id) {
            Some(l) => {
                let kind = match (l.kind, e.kind) {
                    (ChangeKind::Listed, ChangeKind::Updated) => ChangeKind::Listed,
                    (_, k) => k,
                };
                *l = Change { kind, ..e };
            }
            None => last.push(e),
        }
    }
    last.sort_by(|a, b| a.at.cmp(&b.at).then(a.product_id.cmp(&b.product_id)));
    last
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(day: u32) -> DateTime<Utc> {
        NaiveDate::from_ymd_opt(2026, 11, day).expect("date").and_hms_opt(8, 0, 0).expect("time").and_utc()
    }

    fn cert(n: u128, product: u128, star: i16, issued: u32, until: NaiveDate) -> CertificateFacts {
        CertificateFacts {
            id: Uuid::from_u128(n),
            product_id: Uuid::from_u128(product),
            star,
            issued_at: t(issued),
            valid_until: until,
            stored: CertificateStatus::Active,
            revoked_at: None,
        }
    }

    fn far() -> NaiveDate {
        NaiveDate::from_ymd_opt(2029, 11, 1).expect("date")
    }

    #[test]
    fn listing_rules() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
        assert!(is_listed(CertificateStatus::Active, today, 3, today));
        assert!(!is_listed(CertificateStatus::Active, today, 2, today));
        assert!(!is_listed(CertificateStatus::Active, today.pred_opt().expect("d"), 4, today));
        assert!(!is_listed(CertificateStatus::Revoked, far(), 4, today));
    }

    #[test]
    fn issue_then_revoke() {
        let mut c = cert(1, 10, 4, 5, far());
        let feed = changes(std::slice::from_ref(&c), &[], t(1), t(20));
        assert_eq!(feed, vec![Change { product_id: c.product_id, kind: ChangeKind::Listed, at: t(5) }]);
        c.stored = CertificateStatus::Revoked;
        c.revoked_at = Some(t(10));
        let feed = changes(std::slice::from_ref(&c), &[], t(6), t(20));
        assert_eq!(feed, vec![Change { product_id: c.product_id, kind: ChangeKind::Delisted, at: t(10) }]);
        // Listed and revoked in the same window: the portal ends with it delisted.
        let feed = changes(std::slice::from_ref(&c), &[], t(1), t(20));
        assert_eq!(feed[0].kind, ChangeKind::Delisted);
    }

    #[test]
    fn expiry_delists_and_a_successor_updates() {
        let until = NaiveDate::from_ymd_opt(2026, 11, 15).expect("date");
        let old = cert(1, 10, 3, 1, until);
        let feed = changes(std::slice::from_ref(&old), &[], t(10), t(20));
        assert_eq!(
            feed,
            vec![Change { product_id: old.product_id, kind: ChangeKind::Delisted, at: expires_at(until) }]
        );
        // Renewed before expiry (the old one superseded): an update, no delisting.
        let mut superseded = old.clone();
        superseded.stored = CertificateStatus::Superseded;
        let renewed = cert(2, 10, 4, 12, far());
        let feed = changes(&[superseded, renewed], &[], t(10), t(20));
        assert_eq!(feed, vec![Change { product_id: Uuid::from_u128(10), kind: ChangeKind::Updated, at: t(12) }]);
    }

    #[test]
    fn a_certificate_issued_already_expired_lists_nothing() {
        let stale = cert(1, 10, 4, 5, NaiveDate::from_ymd_opt(2026, 11, 1).expect("date"));
        assert!(changes(std::slice::from_ref(&stale), &[], t(1), t(20)).is_empty());
    }

    #[test]
    fn two_stars_never_appear_and_edits_of_listed_products_do() {
        let low = cert(1, 11, 2, 5, far());
        assert!(changes(std::slice::from_ref(&low), &[(low.product_id, t(6))], t(1), t(20)).is_empty());
        let high = cert(2, 12, 4, 2, far());
        let feed = changes(std::slice::from_ref(&high), &[(high.product_id, t(6))], t(3), t(20));
        assert_eq!(feed, vec![Change { product_id: high.product_id, kind: ChangeKind::Updated, at: t(6) }]);
    }
}

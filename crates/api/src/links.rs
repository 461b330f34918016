//! Public links the server prints or hands out, built from `OCOP_PUBLIC_BASE_URL` (never from
//! the request's `Host`, which the client chooses).

use ocop_domain::product::Gtin;
use ocop_persistence::entities::product;
use uuid::Uuid;

/// The URL a stamp's QR code carries: the GS1 Digital Link
/// `{base}/01/{gtin-14}/10/{lot}/21/{code}` when the product has a GTIN (the serial is the
/// stamp's own unguessable code), else the short `{base}/t/{code}`. Both open the stamp's page.
pub fn stamp_url(base: &str, gtin: Option<&str>, lot: &str, code: &str) -> String {
    match gtin.and_then(|g| Gtin::parse(g).ok()) {
        Some(gtin) => format!("{base}/01/{}/10/{}/21/{code}", gtin.gtin14(), path_segment(lot)),
        None => format!("{base}/t/{code}"),
    }
}

/// The root of the OGC API – Features documents.
pub fn geo_base(base: &str) -> String {
    format!("{base}/api/v1/geo")
}

/// Percent-encodes a path segment (a lot code may hold `/`, `%`, spaces or other characters).
fn path_segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The HTTP URL that names a batch (lot) in EPCIS events: this server's, as the batch has no GS1 code.
pub fn lot_uri(base: &str, batch: Uuid) -> String {
    format!("{base}/lots/{batch}")
}

/// Where the public can fetch a product's photo; the address changes with the photo, so it
/// can be cached for long.
pub fn photo_url(base: &str, p: &product::Model) -> Option<String> {
    let sha256 = p.photo_sha256.as_deref()?;
    Some(format!("{base}/api/v1/public/products/{}/photo?v={}", p.id, &sha256[..12]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stamp_with_a_gtin_links_by_gs1_digital_link() {
        assert_eq!(
            stamp_url("https://ocop.vn", Some("8934588012112"), "L 2026/11", "0A1B2C3D4E5F6G"),
            "https://ocop.vn/01/08934588012112/10/L%202026%2F11/21/0A1B2C3D4E5F6G"
        );
        assert_eq!(stamp_url("https://ocop.vn", None, "L1", "0A1B2C3D4E5F6G"), "https://ocop.vn/t/0A1B2C3D4E5F6G");
        assert_eq!(
            stamp_url("https://ocop.vn", Some("123"), "L1", "X"),
            "https://ocop.vn/t/X",
            "an invalid GTIN is ignored"
        );
    }
}

//! Everything read from a URL or a query string: stamp codes, GTINs and Digital Link paths,
//! this server's identifiers in EPCIS, webhook URLs, bounding boxes, datetimes, area codes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ocop_domain::{geo, partner, product, traceability};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Some(value) = traceability::parse_stamp_code(text) {
        assert_eq!(traceability::parse_stamp_code(&traceability::stamp_code(value)), Some(value));
    }
    if let Ok(gtin) = product::Gtin::parse(text) {
        assert_eq!(gtin.gtin14().len(), 14);
    }
    let _ = traceability::local_identifier("https://ocop.example.vn", text);
    let _ = partner::check_webhook_url(text, false);
    let _ = geo::Bbox::parse(text);
    let _ = geo::parse_datetime(text);
    let _ = geo::GrowingAreaCode::parse(text);
});

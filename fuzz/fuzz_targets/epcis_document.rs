//! EPCIS documents as a partner or producer sends them to `/epcis/capture`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = serde_json::from_slice::<serde_json::Value>(data) {
        let _ = ocop_domain::traceability::check_epcis_document(&doc);
    }
});

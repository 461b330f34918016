//! Growing-area geometries (GeoJSON Polygon / MultiPolygon) as drawn or imported.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ocop_domain::geo::{AreaGeometry, CropCycle, check_area};

fuzz_target!(|data: &[u8]| {
    if let Ok(geometry) = serde_json::from_slice::<AreaGeometry>(data)
        && geometry.validate().is_ok()
    {
        let _ = geometry.area_ha();
        let _ = geometry.bbox();
        let _ = check_area(&geometry, 1.0, CropCycle::Perennial);
    }
});

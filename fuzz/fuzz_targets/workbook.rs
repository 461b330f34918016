//! Workbooks as an officer uploads them to `/imports`, read within small caps.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ocop_api::sheets::{WorkbookLimits, read_xlsx};

fuzz_target!(|data: &[u8]| {
    let limits =
        WorkbookLimits { max_unpacked_bytes: 4 * 1024 * 1024, max_sheets: 4, max_rows: 1_000, max_columns: 32, max_cells: 10_000 };
    let _ = read_xlsx(data.to_vec(), limits);
});

//! Arbitrary bytes as an image file (JPEG, PNG, TIFF, WebP, or anything else): decoded within
//! tight limits, the answer is a page count or an error, never a panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use litigant_paper::{DecodeLimits, count_pages};

fuzz_target!(|bytes: &[u8]| {
    let mut limits = DecodeLimits::default();
    // Small enough that a fuzzer's run is not spent on legitimately huge pages.
    limits.max_pixels = 4_000_000;
    let _ = count_pages(Path::new("fuzz.img"), bytes.to_vec(), &limits);
});

//! Arbitrary bytes after a PDF header, so lopdf's parser and the import checks (encryption,
//! JavaScript, attachments, page tree, image extraction) see them: a page count or an error,
//! never a panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use litigant_paper::{DecodeLimits, count_pages};

fuzz_target!(|bytes: &[u8]| {
    let mut input = b"%PDF-1.7\n".to_vec();
    input.extend_from_slice(bytes.strip_prefix(b"%PDF-1.7\n").unwrap_or(bytes));
    let mut limits = DecodeLimits::default();
    limits.max_pixels = 4_000_000;
    let _ = count_pages(Path::new("fuzz.pdf"), input, &limits);
});

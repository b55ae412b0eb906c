//! Arbitrary bytes named as a PDF file → `undex_extract::extract` (pdf-extract and lopdf, then
//! undex's layout analysis and segmenter). The format is sniffed from the bytes (`%PDF-` in
//! the first 1,024), so seeds are real PDFs. OCR stays off (the default options). Any `Err` is
//! fine, a panic, an abort or a stack overflow is not.
#![no_main]

use libfuzzer_sys::fuzz_target;
use undex_extract::{ExtractOptions, extract};

fuzz_target!(|bytes: &[u8]| {
    undex_fuzz::on_production_stack(|| {
        let _ = extract(bytes, "fuzz.pdf", &ExtractOptions::default());
    });
});

//! Arbitrary bytes named as a DOCX file → `undex_extract::extract`. The format is sniffed
//! from the bytes, so seeds are real DOCX files (ZIP packages holding `word/document.xml`);
//! any `Err` is fine, a panic, an abort or a stack overflow is not.
#![no_main]

use libfuzzer_sys::fuzz_target;
use undex_extract::{ExtractOptions, extract};

fuzz_target!(|bytes: &[u8]| {
    undex_fuzz::on_production_stack(|| {
        let _ = extract(bytes, "fuzz.docx", &ExtractOptions::default());
    });
});

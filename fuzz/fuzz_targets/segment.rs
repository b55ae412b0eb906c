//! Arbitrary UTF-8 text → `undex_extract::extract` of a text document: the text/Markdown
//! reader, the segmenter (paragraphs, sub-paragraphs, annexes, UPR recommendations,
//! resolution paragraphs, speaker turns) and the masthead reader. Seeds are real report
//! texts. Any `Err` is fine, a panic, an abort or a stack overflow is not.
#![no_main]

use libfuzzer_sys::fuzz_target;
use undex_extract::{ExtractOptions, extract};

fuzz_target!(|text: &str| {
    undex_fuzz::on_production_stack(|| {
        let _ = extract(text.as_bytes(), "fuzz.txt", &ExtractOptions::default());
    });
});

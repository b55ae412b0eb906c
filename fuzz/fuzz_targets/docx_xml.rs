//! Arbitrary bytes as `word/document.xml` of an otherwise valid DOCX package →
//! `undex_extract::extract`. Mutating a whole DOCX mostly breaks its deflate streams and CRCs,
//! so the `docx` target rarely reaches the XML reader; this one starts there. Seeds are the
//! `word/document.xml` parts of real DOCX files. Any `Err` is fine, a panic, an abort or a
//! stack overflow is not.
#![no_main]

use std::io::{Cursor, Write};

use libfuzzer_sys::fuzz_target;
use undex_extract::{ExtractOptions, extract};
use zip::write::SimpleFileOptions;

/// A DOCX package (stored, not compressed) whose only part is `word/document.xml`.
fn docx_with(document_xml: &[u8]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("word/document.xml", stored)
        .expect("start part");
    zip.write_all(document_xml).expect("write part");
    zip.finish().expect("finish package").into_inner()
}

fuzz_target!(|document_xml: &[u8]| {
    let docx = docx_with(document_xml);
    undex_fuzz::on_production_stack(|| {
        let _ = extract(&docx, "fuzz.docx", &ExtractOptions::default());
    });
});

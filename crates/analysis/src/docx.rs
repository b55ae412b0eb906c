//! A minimal Office Open XML word-processing package (ECMA-376): `[Content_Types].xml`,
//! `_rels/.rels` and `word/document.xml`, written with zip and quick-xml.

use std::io::{Cursor, Write};

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::AnalysisError;

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// Drops characters XML 1.0 does not allow (C0 controls other than tab, line feed, return).
fn xml_safe(s: &str) -> String {
    s.chars()
        .filter(|&c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
        .collect()
}

/// Writes one `<w:p>` holding one run of `text`, indented (left, in twentieths of a point)
/// when `indent` is non-zero.
fn paragraph(w: &mut Writer<Vec<u8>>, text: &str, indent: u32) -> std::io::Result<()> {
    w.write_event(Event::Start(BytesStart::new("w:p")))?;
    if indent > 0 {
        w.write_event(Event::Start(BytesStart::new("w:pPr")))?;
        let twips = indent.to_string();
        w.write_event(Event::Empty(
            BytesStart::new("w:ind").with_attributes([("w:left", twips.as_str())]),
        ))?;
        w.write_event(Event::End(BytesEnd::new("w:pPr")))?;
    }
    w.write_event(Event::Start(BytesStart::new("w:r")))?;
    w.write_event(Event::Start(
        BytesStart::new("w:t").with_attributes([("xml:space", "preserve")]),
    ))?;
    w.write_event(Event::Text(BytesText::new(&xml_safe(text))))?;
    w.write_event(Event::End(BytesEnd::new("w:t")))?;
    w.write_event(Event::End(BytesEnd::new("w:r")))?;
    w.write_event(Event::End(BytesEnd::new("w:p")))?;
    Ok(())
}

/// The `word/document.xml` part: one paragraph per citation, its quoted text (if any) in an
/// indented paragraph after it.
fn document_xml(items: &[(String, Option<String>)]) -> std::io::Result<Vec<u8>> {
    let mut w = Writer::new(Vec::new());
    w.write_event(Event::Decl(BytesDecl::new(
        "1.0",
        Some("UTF-8"),
        Some("yes"),
    )))?;
    w.write_event(Event::Start(
        BytesStart::new("w:document").with_attributes([("xmlns:w", W_NS)]),
    ))?;
    w.write_event(Event::Start(BytesStart::new("w:body")))?;
    for (citation, quote) in items {
        paragraph(&mut w, citation, 0)?;
        if let Some(q) = quote {
            paragraph(&mut w, &format!("“{q}”"), 720)?;
        }
    }
    w.write_event(Event::End(BytesEnd::new("w:body")))?;
    w.write_event(Event::End(BytesEnd::new("w:document")))?;
    Ok(w.into_inner())
}

/// A .docx file listing `items` (citation, optional quoted text) in order. Deterministic: the
/// zip entries carry the DOS epoch as their time.
pub(crate) fn write_list(items: &[(String, Option<String>)]) -> Result<Vec<u8>, AnalysisError> {
    let body = document_xml(items)?;
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    zip.start_file("[Content_Types].xml", opts)?;
    zip.write_all(CONTENT_TYPES.as_bytes())?;
    zip.start_file("_rels/.rels", opts)?;
    zip.write_all(RELS.as_bytes())?;
    zip.start_file("word/document.xml", opts)?;
    zip.write_all(&body)?;
    Ok(zip.finish()?.into_inner())
}

//! Limits: DOCX bombs built here (a few kilobytes of XML, zipped) fail alone with the limit
//! they hit, and the document after them in a batch is still read. (How fast they fail is not
//! asserted: no timed tests.)

use std::io::Write as _;
use std::time::Duration;

use undex_extract::{ExtractError, ExtractOptions, Limits, extract};

const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/");
const REAL_DOCX: &str = "corpus/word/ohchr_upr_slovenia/UPR-wg48-Advance-Questions-Slovenia.docx";

const W: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";

/// A DOCX package holding `parts` (name, XML), deflated.
fn docx(parts: &[(&str, String)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    for (name, xml) in parts {
        zip.start_file(*name, options).expect("zip entry");
        zip.write_all(xml.as_bytes()).expect("zip write");
    }
    zip.finish().expect("zip").into_inner()
}

/// `word/document.xml` with `body` inside `w:body`.
fn document_xml(body: &str) -> String {
    format!("<?xml version=\"1.0\"?><w:document {W}><w:body>{body}</w:body></w:document>")
}

fn paragraph(text: &str) -> String {
    format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
}

fn read_shared(rel: &str) -> Vec<u8> {
    let path = format!("{SHARED}{rel}");
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The limit an extraction failed on.
fn limit_hit(result: Result<undex_core::Document, ExtractError>) -> (&'static str, String) {
    match result {
        Err(err @ ExtractError::LimitExceeded { limit, .. }) => {
            assert_eq!(err.code(), "limit_exceeded");
            (limit, err.to_string())
        }
        Err(other) => panic!("not a limit: {other}"),
        Ok(doc) => panic!("read {} units", doc.paragraphs.len()),
    }
}

/// A list whose letter counter starts at 4,294,967,000: each label would be 165 million
/// letters ("a" repeated), 7.6 GB over a few paragraphs before the process aborted.
fn list_label_bomb() -> Vec<u8> {
    let numbering = format!(
        "<?xml version=\"1.0\"?><w:numbering {W}>\
         <w:abstractNum w:abstractNumId=\"0\"><w:lvl w:ilvl=\"0\">\
         <w:start w:val=\"4294967000\"/><w:numFmt w:val=\"lowerLetter\"/>\
         <w:lvlText w:val=\"%1.\"/></w:lvl></w:abstractNum>\
         <w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num></w:numbering>"
    );
    let item = "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr>\
                <w:r><w:t>An item of the list.</w:t></w:r></w:p>";
    let body = format!(
        "{}{}",
        paragraph("The Special Rapporteur recommends:"),
        item.repeat(50)
    );
    docx(&[
        ("word/document.xml", document_xml(&body)),
        ("word/numbering.xml", numbering),
    ])
}

/// Elements nested 100,000 deep (a few hundred kilobytes of XML, a few kilobytes zipped).
fn depth_bomb() -> Vec<u8> {
    let depth = 100_000;
    let body = format!(
        "{}{}{}",
        "<w:sdt>".repeat(depth),
        paragraph("Deep text."),
        "</w:sdt>".repeat(depth)
    );
    docx(&[("word/document.xml", document_xml(&body))])
}

/// One footnote of 64 KiB referenced 1,100 times: 70 MB of footnote text from a package of
/// a few kilobytes.
fn footnote_bomb() -> Vec<u8> {
    let note =
        "See the report of the Secretary-General on the responsibility to protect. ".repeat(900);
    let footnotes = format!(
        "<?xml version=\"1.0\"?><w:footnotes {W}><w:footnote w:id=\"1\">{}</w:footnote></w:footnotes>",
        paragraph(&note)
    );
    let reference = "<w:r><w:t>Text.</w:t></w:r><w:r><w:footnoteReference w:id=\"1\"/></w:r>";
    let body = format!("<w:p>{}</w:p>", reference.repeat(1100));
    docx(&[
        ("word/document.xml", document_xml(&body)),
        ("word/footnotes.xml", footnotes),
    ])
}

/// A `word/document.xml` of 8 MiB (repeated paragraphs), about 30 KB zipped.
fn large_part() -> Vec<u8> {
    let one = paragraph("The Council reaffirms its commitment to the protection of civilians.");
    let body = one.repeat((8 << 20) / one.len());
    docx(&[("word/document.xml", document_xml(&body))])
}

#[test]
fn a_list_label_bomb_fails_on_the_label_limit() {
    let bomb = list_label_bomb();
    assert!(bomb.len() < 4096, "{} bytes", bomb.len());
    let (limit, message) = limit_hit(extract(&bomb, "labels.docx", &ExtractOptions::default()));
    assert_eq!(limit, "max_list_label_chars");
    assert!(
        message.contains("list 1 level 0 would print a label of 165191039 characters"),
        "{message}"
    );
    assert!(message.contains("lowerLetter 4294967000"), "{message}");
    assert!(message.contains("(limit 64 characters)"), "{message}");
}

#[test]
fn an_xml_nesting_bomb_fails_on_the_depth_limit() {
    let bomb = depth_bomb();
    assert!(bomb.len() < 8192, "{} bytes", bomb.len());
    let (limit, message) = limit_hit(extract(&bomb, "deep.docx", &ExtractOptions::default()));
    assert_eq!(limit, "max_xml_depth");
    assert!(message.contains("word/document.xml"), "{message}");
}

#[test]
fn repeated_footnote_text_fails_on_the_text_limit() {
    let bomb = footnote_bomb();
    assert!(bomb.len() < 8192, "{} bytes", bomb.len());
    let (limit, message) = limit_hit(extract(&bomb, "notes.docx", &ExtractOptions::default()));
    assert_eq!(limit, "max_text_bytes");
    assert!(message.contains("67108864 bytes"), "{message}");
}

#[test]
fn a_part_that_decompresses_past_the_limit_fails() {
    // The default (256 MiB) is tested by the same code path on a smaller limit: a 30 KB
    // package whose document.xml expands to 8 MiB against a 1 MiB limit.
    let package = large_part();
    assert!(package.len() < 100_000, "{} bytes", package.len());
    let opts = ExtractOptions {
        limits: Limits {
            max_part_bytes: 1 << 20,
            ..Limits::default()
        },
        ..ExtractOptions::default()
    };
    let (limit, message) = limit_hit(extract(&package, "large.docx", &opts));
    assert_eq!(limit, "max_part_bytes");
    assert!(
        message.contains("word/document.xml decompresses to"),
        "{message}"
    );
    // Within the default limit the same package is read.
    let doc = extract(&package, "large.docx", &ExtractOptions::default()).expect("read");
    assert!(!doc.paragraphs.is_empty());
    assert_eq!(Limits::default().max_part_bytes, 256 << 20);
}

#[test]
fn a_batch_goes_on_after_its_bombs() {
    // What `undex ingest` does with each file: a failure is recorded, the next file is read.
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("labels.docx", list_label_bomb()),
        ("deep.docx", depth_bomb()),
        ("notes.docx", footnote_bomb()),
        (REAL_DOCX, read_shared(REAL_DOCX)),
    ];
    let mut read = Vec::new();
    let mut failed = Vec::new();
    for (name, bytes) in &files {
        match extract(bytes, name, &ExtractOptions::default()) {
            Ok(doc) => read.push((*name, doc)),
            Err(e) => failed.push((*name, e.code())),
        }
    }
    assert_eq!(
        failed,
        [
            ("labels.docx", "limit_exceeded"),
            ("deep.docx", "limit_exceeded"),
            ("notes.docx", "limit_exceeded")
        ]
    );
    assert_eq!(read.len(), 1);
    let (_, doc) = &read[0];
    assert!(
        doc.paragraphs
            .iter()
            .any(|p| p.section.first().map(String::as_str) == Some("LIECHTENSTEIN")),
        "the real DOCX is read whole"
    );
}

#[test]
fn file_sizes_over_their_limits_fail() {
    let pdf = read_shared("corpus/pdf/un_ods_samples/A_RES_70_10-EN.pdf");
    let opts = ExtractOptions {
        limits: Limits {
            max_pdf_bytes: 10_000,
            ..Limits::default()
        },
        ..ExtractOptions::default()
    };
    let (limit, message) = limit_hit(extract(&pdf, "A_RES_70_10-EN.pdf", &opts));
    assert_eq!(limit, "max_pdf_bytes");
    assert!(
        message.contains(&format!("a PDF of {} bytes", pdf.len())),
        "{message}"
    );

    let text = read_shared("seeds/sg-r2p-report-2026.txt");
    let opts = ExtractOptions {
        limits: Limits {
            max_text_bytes: 2_000,
            ..Limits::default()
        },
        ..ExtractOptions::default()
    };
    let (limit, _) = limit_hit(extract(&text, "report.txt", &opts));
    assert_eq!(limit, "max_text_bytes");
    // The text read from a PDF counts as well.
    let (limit, message) = limit_hit(extract(&pdf, "A_RES_70_10-EN.pdf", &opts));
    assert_eq!(limit, "max_text_bytes");
    assert!(message.contains("bytes of text read"), "{message}");
}

#[test]
fn the_time_limit_stops_every_reader() {
    // A spent deadline: each reader or the segmenter stops at its first check.
    let opts = ExtractOptions {
        limits: Limits {
            max_time: Duration::ZERO,
            ..Limits::default()
        },
        ..ExtractOptions::default()
    };
    for rel in [
        "seeds/sg-r2p-report-2026.txt",
        "corpus/pdf/un_ods_samples/A_RES_70_10-EN.pdf",
        REAL_DOCX,
    ] {
        let (limit, message) = limit_hit(extract(&read_shared(rel), rel, &opts));
        assert_eq!(limit, "max_time", "{rel}");
        assert!(message.contains("(limit 0 s)"), "{rel}: {message}");
    }
    assert_eq!(Limits::default().max_time, Duration::from_secs(120));
}

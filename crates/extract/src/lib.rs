//! Reads UN documents (PDF with a text layer, DOCX, plain text / Markdown) into a
//! [`undex_core::Document`]: metadata and numbered paragraphs with footnotes separated.
//!
//! Pipeline: format reader (bytes → [`blocks::BlockDocument`]) → segmenter (blocks →
//! paragraphs, [`segment`]) → metadata (masthead → symbol, date, title…, [`meta`]). No I/O:
//! callers pass bytes.
//!
//! ```no_run
//! let bytes = std::fs::read("A_80_434-EN.pdf").unwrap();
//! let doc = undex_extract::extract(&bytes, "A_80_434-EN.pdf", &Default::default()).unwrap();
//! for row in doc.rows() {
//!     println!("{}: {}", row.citation, row.text);
//! }
//! ```
#![warn(missing_docs)]

pub mod blocks;
pub mod docx;
pub mod error;
pub mod eval;
pub mod limits;
pub mod meta;
pub mod pdf;
pub mod segment;
pub mod sniff;
pub mod text;

use sha2::{Digest, Sha256};
use undex_core::{Document, Paragraph, TextLanguage, document_id, paragraph_id};

use crate::blocks::{BlockDocument, BlockRole};
pub use crate::error::ExtractError;
pub use crate::limits::{Deadline, Limits};
use crate::segment::Mode;
pub use crate::sniff::{Format, sniff};

/// Options of [`extract`].
#[derive(Debug, Clone, Default)]
pub struct ExtractOptions {
    /// Run OCR on PDF pages without a text layer (needs Debian's `tesseract-ocr` and
    /// `poppler-utils`); without it such a PDF gives [`ExtractError::NeedsOcr`].
    pub ocr: bool,
    /// What one document may cost (sizes, XML depth, list-label length, time); a document
    /// over a limit fails alone with [`ExtractError::LimitExceeded`].
    pub limits: Limits,
}

/// Reads a file's bytes into a document: metadata (symbols, date, title, organs, sessions,
/// agenda items, language, SHA-256) and citable units with footnotes attached. The format is
/// sniffed from the bytes ([`sniff`](mod@sniff)), not from `source_file`, which is only recorded.
/// Paragraph tags are left empty for the tagger.
///
/// Every limit of `opts.limits` applies ([`Limits`]); the time limit runs from this call.
///
/// # Errors
/// [`ExtractError::LegacyDoc`] for Word 97-2003 files, [`ExtractError::UnsupportedFormat`] for
/// other formats, the PDF and DOCX readers' errors, [`ExtractError::LimitExceeded`] when the
/// document goes over a limit, and [`ExtractError::Empty`] when the file holds no letter or
/// digit at all.
pub fn extract(
    bytes: &[u8],
    source_file: &str,
    opts: &ExtractOptions,
) -> Result<Document, ExtractError> {
    let deadline = Deadline::after(opts.limits.max_time);
    let format = sniff(bytes);
    let blocks = read_blocks_within(bytes, format, opts, &deadline)?;
    build_document(
        &blocks,
        format.as_str(),
        source_file,
        &sha256_hex(bytes),
        &deadline,
    )
}

/// Reads a file's bytes into blocks with the reader its sniffed format calls for, within
/// `opts.limits` (the time limit running from this call).
///
/// # Errors
/// As [`extract`].
pub fn read_blocks(
    bytes: &[u8],
    format: Format,
    opts: &ExtractOptions,
) -> Result<BlockDocument, ExtractError> {
    read_blocks_within(bytes, format, opts, &Deadline::after(opts.limits.max_time))
}

/// [`read_blocks`] against a deadline already running.
fn read_blocks_within(
    bytes: &[u8],
    format: Format,
    opts: &ExtractOptions,
    deadline: &Deadline,
) -> Result<BlockDocument, ExtractError> {
    let limits = &opts.limits;
    // The file's own size limit, for the formats read whole (a DOCX checks each part).
    let file_limit = match format {
        Format::Pdf => Some(("max_pdf_bytes", limits.max_pdf_bytes, "a PDF")),
        Format::Markdown | Format::Text => {
            Some(("max_text_bytes", limits.max_text_bytes, "a text file"))
        }
        _ => None,
    };
    if let Some((limit, max, what)) = file_limit {
        Limits::check(limit, bytes.len() as u64, max, "bytes", || {
            format!("{what} of {} bytes", bytes.len())
        })?;
    }
    let blocks = match format {
        Format::Pdf => pdf::read_pdf_within(bytes, &pdf::PdfOptions { ocr: opts.ocr }, deadline),
        Format::Docx => docx::read_docx_within(bytes, limits, deadline),
        Format::LegacyDoc => Err(ExtractError::LegacyDoc),
        Format::Markdown | Format::Text => {
            let text = std::str::from_utf8(bytes)
                .map_err(ExtractError::NotUtf8)?;
            text::read_text_within(text, format == Format::Markdown, deadline)
        }
        Format::Html => Err(ExtractError::UnsupportedFormat(
            "HTML is not read yet: save the page as PDF or text".to_string(),
        )),
        Format::Xml => Err(ExtractError::UnsupportedFormat(
            "XML (such as a MARCXML catalogue record) is metadata, not a document: `undex crawl` reads it"
                .to_string(),
        )),
        Format::Unknown => Err(ExtractError::UnsupportedFormat(
            "not PDF, DOCX or UTF-8 text".to_string(),
        )),
    }?;
    // A PDF's text is known only once read: 10 MB of compressed content streams can draw far
    // more text than that.
    let text_bytes: usize = blocks.blocks.iter().map(|b| b.text.len()).sum();
    Limits::check(
        "max_text_bytes",
        text_bytes as u64,
        limits.max_text_bytes,
        "bytes",
        || format!("{text_bytes} bytes of text read"),
    )?;
    Ok(blocks)
}

/// Lower-case hex SHA-256 of `bytes`.
#[must_use]
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The segmentation mode a document type calls for.
fn mode_for(doc_type: Option<&str>) -> Mode {
    match doc_type.and_then(undex_core::DocType::parse) {
        Some(undex_core::DocType::Resolution | undex_core::DocType::Decision) => Mode::Resolution,
        Some(undex_core::DocType::VerbatimRecord) => Mode::Verbatim,
        Some(undex_core::DocType::UprWorkingGroupReport) => Mode::Upr,
        _ => Mode::Report,
    }
}

/// Bytes of a document's body text (whole paragraphs, from the first) its language is
/// detected on: 6,000, a page and a half of a report. whatlang's trigram statistics are
/// settled well before that on running text, and its cost grows with the sample (at 20,000
/// bytes it was 4% of the scale benchmark's ingest CPU). Checked on the shared corpus:
/// every document is given the language it was given with 20,000.
const LANGUAGE_SAMPLE_BYTES: usize = 6_000;

/// The language of a text, detected by whatlang: a language of
/// [`undex_core::language::iso639_1`]'s table as its ISO 639-1 code ("fr"), another as its
/// ISO 639-3 code ("nld", [`TextLanguage::Unlisted`]), [`TextLanguage::Undetermined`] ("und")
/// when whatlang names none.
fn detect_language(text: &str) -> TextLanguage {
    whatlang::detect_lang(text)
        .and_then(|lang| TextLanguage::from_iso639_3(lang.code()))
        .unwrap_or(TextLanguage::Undetermined)
}

/// The locator of a unit's id: its printed number, else its ordinal among its kind.
fn locator(number: Option<&str>, ordinal: Option<u32>) -> String {
    match (number, ordinal) {
        (Some(number), _) => number.to_string(),
        (None, Some(ordinal)) => ordinal.to_string(),
        (None, None) => String::new(),
    }
}

/// Makes unit ids unique: a repeated id (a paragraph number printed twice) gets "-2", "-3"…
fn unique_ids(mut paragraphs: Vec<Paragraph>) -> Vec<Paragraph> {
    let mut seen = std::collections::BTreeMap::<String, u32>::new();
    for p in &mut paragraphs {
        let n = seen.entry(p.id.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            p.id = format!("{}-{}", p.id, n);
        }
    }
    paragraphs
}

/// Builds a document from blocks: metadata from the masthead, units from the segmenter, ids.
///
/// A mode that finds none of its units (a verbatim record without speaker turns) falls back
/// to the report reading, and a body in which that finds nothing keeps every block as
/// unnumbered text, each fallback with a warning in [`Document::warnings`]: no text is dropped
/// for want of structure.
///
/// # Errors
/// [`ExtractError::Empty`] only when no block holds a letter or digit;
/// [`ExtractError::LimitExceeded`] when `deadline` passes while segmenting.
pub fn build_document(
    blocks: &BlockDocument,
    format: &str,
    source_file: &str,
    sha256: &str,
    deadline: &Deadline,
) -> Result<Document, ExtractError> {
    let mut meta = meta::read_meta_of(blocks, source_file);
    let mut warnings = blocks.warnings.clone();
    // A unit with neither letters nor digits ("-----", "* * *") is a typographic separator,
    // not citable text.
    let citable = |mut units: Vec<segment::Unit>| {
        units.retain(|u| u.text.chars().any(char::is_alphanumeric));
        units
    };
    let mode = mode_for(meta.doc_type.as_deref());
    let mut units = citable(segment::segment(blocks, mode, deadline)?);
    // No text is dropped for want of structure: a mode that finds none of its units (a
    // verbatim record without speaker turns) gives way to the report reading (numbered
    // paragraphs, else unnumbered blocks), and a text in which that finds nothing either
    // (only a masthead, only headings) keeps every block as unnumbered text.
    if !segment::mode_found_structure(mode, &units) {
        let message = match mode {
            Mode::Verbatim => "verbatim record without speaker turns: read as a report",
            _ => "resolution without preambular or operative paragraphs: read as a report",
        };
        tracing::warn!(source_file, "{message}");
        warnings.push(message.to_string());
        units = citable(segment::segment(blocks, Mode::Report, deadline)?);
    }
    if units.is_empty() {
        units = segment::every_block(blocks);
        if !units.is_empty() {
            let message = "no paragraph or block found in the body: every block kept as text";
            tracing::warn!(source_file, "{message}");
            warnings.push(message.to_string());
        }
    }
    if units.is_empty() {
        return Err(ExtractError::Empty);
    }
    // Language from the body text.
    let mut sample = String::new();
    for u in &units {
        if sample.len() > LANGUAGE_SAMPLE_BYTES {
            break;
        }
        sample.push_str(&u.text);
        sample.push(' ');
    }
    if sample.trim().is_empty() {
        for b in blocks
            .blocks
            .iter()
            .filter(|b| b.role != BlockRole::Furniture)
        {
            sample.push_str(&b.text);
        }
    }
    meta.language = detect_language(&sample);
    meta.pages = blocks.pages.max(1);
    meta.source_file = source_file.to_string();
    meta.sha256 = sha256.to_string();
    meta.format = format.to_string();
    meta.id = document_id(&meta.symbols, sha256, meta.language);

    // The segmenter's units are the paragraphs, but for their ids.
    let paragraphs = units
        .into_iter()
        .map(|mut u| {
            u.id = paragraph_id(
                &meta.id,
                u.kind,
                u.annex.as_deref(),
                &locator(u.number.as_deref(), u.ordinal),
                u.sub.as_deref(),
            );
            u
        })
        .collect::<Vec<Paragraph>>();
    let paragraphs = unique_ids(paragraphs);
    Ok(Document {
        meta,
        paragraphs,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use undex_core::Language;

    use super::*;

    #[test]
    fn every_language_whatlang_names_is_written_as_before() {
        // The code written before the language was typed: the table's ISO 639-1 code, else
        // whatlang's own ISO 639-3 code.
        for lang in whatlang::Lang::all() {
            let language = TextLanguage::from_iso639_3(lang.code())
                .unwrap_or_else(|| panic!("{} is an ISO 639-3 code", lang.code()));
            let before = undex_core::language::iso639_1(lang.code()).unwrap_or(lang.code());
            assert_eq!(language.as_str(), before, "{lang:?}");
        }
    }

    #[test]
    fn a_text_gets_a_language_or_undetermined() {
        let french = "Le Conseil de sécurité a examiné la situation et décidé de rester saisi \
                      de la question; il prie le Secrétaire général de lui faire rapport.";
        assert_eq!(detect_language(french), Language::Fr);
        assert_eq!(detect_language(""), TextLanguage::Undetermined);
        assert_eq!(detect_language("1234 5678 —"), TextLanguage::Undetermined);
    }
}

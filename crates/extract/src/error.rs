//! Errors of the extractor. Each names what went wrong in words a user can act on.
//!
//! The error of a document is shown by its message alone (the ingest's `Failure::message`,
//! `undex.ExtractError` in Python), so a variant that keeps its source also says the source's
//! words in its message. A gold file's error reaches the CLI's error chain (`{err:#}`: each
//! error, then each of its sources), so [`ExtractError::Gold`] leaves them to the chain.

/// Why a file could not be read into a document.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExtractError {
    /// The file's bytes are not a format undex reads.
    #[error("unsupported format: {0}")]
    UnsupportedFormat(String),
    /// A legacy Word 97-2003 (.doc, OLE2) file.
    #[error("legacy Word 97-2003 .doc (OLE2) is not read: convert it to .docx or PDF")]
    LegacyDoc,
    /// The PDF cannot be parsed.
    #[error("damaged PDF: {0}")]
    DamagedPdf(String),
    /// The PDF parser rejected the file (code `damaged_pdf`, like [`ExtractError::DamagedPdf`]).
    #[error("damaged PDF: cannot parse: {0}")]
    PdfParse(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// The PDF is encrypted.
    #[error("encrypted PDF: {0}")]
    Encrypted(String),
    /// The PDF has no text layer (an image-only scan).
    #[error("no text layer on any of {pages} pages: needs OCR ({hint})")]
    NeedsOcr {
        /// Page count.
        pages: u32,
        /// How to enable OCR.
        hint: String,
    },
    /// The DOCX package is damaged or lacks `word/document.xml`.
    #[error("damaged DOCX: {0}")]
    DamagedDocx(String),
    /// The DOCX package, or one of its parts, cannot be read (code `damaged_docx`, like
    /// [`ExtractError::DamagedDocx`]).
    #[error("damaged DOCX: {}", Within(.part, .source.as_ref()))]
    DocxUnreadable {
        /// Where: the part ("word/document.xml"), with what was wrong with it ("word/styles.xml:
        /// not UTF-8"); empty for the package itself.
        part: String,
        /// The zip, I/O, UTF-8 or XML error, kept whole.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A text file is not UTF-8 (code `unsupported_format`, like
    /// [`ExtractError::UnsupportedFormat`]).
    #[error("unsupported format: not UTF-8 text: {0}")]
    NotUtf8(#[source] std::str::Utf8Error),
    /// The file holds no text at all.
    #[error("no text found")]
    Empty,
    /// A gold-label file for [`crate::eval`] cannot be read.
    #[error("bad gold file, line {line}")]
    Gold {
        /// 1-based line number.
        line: usize,
        /// The JSON error, kept whole.
        source: serde_json::Error,
    },
    /// OCR was asked for and failed.
    #[error("OCR failed: {0}")]
    Ocr(String),
    /// OCR was asked for and a temporary file or one of its tools could not be used (code
    /// `ocr_failed`, like [`ExtractError::Ocr`]).
    #[error("OCR failed: {what}: {source}")]
    OcrIo {
        /// What could not be done ("temp dir", "pdftoppm", "tesseract").
        what: &'static str,
        /// The I/O error, kept whole.
        source: std::io::Error,
    },
    /// OCR was asked for and one of its tools is not installed.
    #[error("OCR failed: {tool} not runnable ({source}): install Debian's {package}")]
    OcrTool {
        /// The program ("pdftoppm", "tesseract").
        tool: &'static str,
        /// The Debian package that has it.
        package: &'static str,
        /// Why it could not be run, kept whole.
        source: std::io::Error,
    },
    /// The document went over one of the [`crate::Limits`] of its [`crate::ExtractOptions`]
    /// (a decompression or list-label bomb, a huge file, a slow document).
    #[error("limit {limit} exceeded: {found} (limit {max})")]
    LimitExceeded {
        /// The limit, as named in [`crate::Limits`]: "max_part_bytes", "max_xml_depth",
        /// "max_list_label_chars", "max_text_bytes", "max_pdf_bytes", "max_time".
        limit: &'static str,
        /// The limit's value with its unit ("268435456 bytes", "120 s").
        max: String,
        /// What was found ("word/document.xml decompresses to more than 268435456 bytes").
        found: String,
    },
}

impl ExtractError {
    /// [`ExtractError::DocxUnreadable`]: `part` of the package (empty: the package itself)
    /// cannot be read, for `source`.
    pub(crate) fn docx(
        part: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        ExtractError::DocxUnreadable {
            part: part.into(),
            source: source.into(),
        }
    }

    /// A short machine-readable reason ("needs_ocr", "damaged_pdf", "legacy_doc",
    /// "limit_exceeded", …) for
    /// summaries and manifests.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            ExtractError::UnsupportedFormat(_) | ExtractError::NotUtf8(_) => "unsupported_format",
            ExtractError::LegacyDoc => "legacy_doc",
            ExtractError::DamagedPdf(_) | ExtractError::PdfParse(_) => "damaged_pdf",
            ExtractError::Encrypted(_) => "encrypted_pdf",
            ExtractError::NeedsOcr { .. } => "needs_ocr",
            ExtractError::DamagedDocx(_) | ExtractError::DocxUnreadable { .. } => "damaged_docx",
            ExtractError::Empty => "empty",
            ExtractError::Ocr(_) | ExtractError::OcrIo { .. } | ExtractError::OcrTool { .. } => {
                "ocr_failed"
            }
            ExtractError::Gold { .. } => "bad_gold",
            ExtractError::LimitExceeded { .. } => "limit_exceeded",
        }
    }
}

/// "part: error", or the error alone when the part is empty (the package itself).
struct Within<'a>(&'a str, &'a (dyn std::error::Error + Send + Sync));

impl std::fmt::Display for Within<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0.is_empty() {
            write!(f, "{}", self.1)
        } else {
            write!(f, "{}: {}", self.0, self.1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error as _;

    #[test]
    fn errors_keep_their_source_and_read_as_before() {
        let bytes = vec![b'a', 0xff];
        let utf8 = std::str::from_utf8(&bytes).unwrap_err();
        let e = ExtractError::NotUtf8(utf8);
        assert_eq!(
            e.to_string(),
            format!("unsupported format: not UTF-8 text: {utf8}")
        );
        assert_eq!(e.code(), "unsupported_format");
        assert!(e.source().is_some());
        let e = ExtractError::docx("", std::io::Error::other("invalid Zip archive"));
        assert_eq!(e.to_string(), "damaged DOCX: invalid Zip archive");
        let e = ExtractError::docx("word/document.xml", std::io::Error::other("bad"));
        assert_eq!(e.to_string(), "damaged DOCX: word/document.xml: bad");
        assert_eq!(e.code(), "damaged_docx");
        assert_eq!(e.source().map(ToString::to_string).as_deref(), Some("bad"));
    }
}

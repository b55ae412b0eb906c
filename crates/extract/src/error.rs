//! Errors of the extractor. Each names what went wrong in words a user can act on.

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
    /// The file holds no text at all.
    #[error("no text found")]
    Empty,
    /// A gold-label file for [`crate::eval`] cannot be read.
    #[error("bad gold file, line {line}: {message}")]
    Gold {
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// OCR was asked for and failed.
    #[error("OCR failed: {0}")]
    Ocr(String),
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
    /// A short machine-readable reason ("needs_ocr", "damaged_pdf", "legacy_doc",
    /// "limit_exceeded", …) for
    /// summaries and manifests.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            ExtractError::UnsupportedFormat(_) => "unsupported_format",
            ExtractError::LegacyDoc => "legacy_doc",
            ExtractError::DamagedPdf(_) => "damaged_pdf",
            ExtractError::Encrypted(_) => "encrypted_pdf",
            ExtractError::NeedsOcr { .. } => "needs_ocr",
            ExtractError::DamagedDocx(_) => "damaged_docx",
            ExtractError::Empty => "empty",
            ExtractError::Ocr(_) => "ocr_failed",
            ExtractError::Gold { .. } => "bad_gold",
            ExtractError::LimitExceeded { .. } => "limit_exceeded",
        }
    }
}

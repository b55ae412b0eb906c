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
}

impl ExtractError {
    /// A short machine-readable reason ("needs_ocr", "damaged_pdf", "legacy_doc", …) for
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
        }
    }
}

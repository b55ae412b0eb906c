//! PDF reader: glyph positions and font sizes → [`crate::blocks::BlockDocument`].
//!
//! (Being built: layout-aware reading of UN PDFs.)

use crate::blocks::BlockDocument;
use crate::error::ExtractError;

/// Options of the PDF reader.
#[derive(Debug, Clone, Default)]
pub struct PdfOptions {
    /// Run OCR (Debian's `tesseract-ocr`, with `pdftoppm`) on pages without a text layer.
    pub ocr: bool,
}

/// Reads a PDF's text layer into blocks with roles (body, heading, footnote, masthead,
/// furniture).
///
/// # Errors
/// [`ExtractError::DamagedPdf`], [`ExtractError::Encrypted`], [`ExtractError::NeedsOcr`].
pub fn read_pdf(_bytes: &[u8], _opts: &PdfOptions) -> Result<BlockDocument, ExtractError> {
    Err(ExtractError::UnsupportedFormat(
        "pdf reader not built yet".to_string(),
    ))
}

//! OCR of image-only PDFs.
use crate::blocks::BlockDocument;
use crate::error::ExtractError;
pub(crate) fn ocr_pdf(_bytes: &[u8], _pages: u32) -> Result<BlockDocument, ExtractError> {
    Err(ExtractError::Ocr("not built".into()))
}

//! DOCX reader (Office Open XML, ECMA-376): `word/document.xml` and `word/footnotes.xml` →
//! [`BlockDocument`].

use crate::blocks::BlockDocument;
use crate::error::ExtractError;

/// Reads a DOCX package into blocks.
///
/// # Errors
/// [`ExtractError::DamagedDocx`] when the package or its XML cannot be read.
pub fn read_docx(_bytes: &[u8]) -> Result<BlockDocument, ExtractError> {
    Err(ExtractError::DamagedDocx("docx reader not built yet".to_string()))
}

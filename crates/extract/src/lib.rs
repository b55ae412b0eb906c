//! Reads UN documents (PDF with a text layer, DOCX, plain text / Markdown) into a
//! [`undex_core::Document`]: metadata and numbered paragraphs with footnotes separated.
//!
//! Pipeline: format reader (bytes → [`blocks::BlockDocument`]) → segmenter (blocks →
//! paragraphs) → metadata (masthead → symbol, date, title…). No I/O: callers pass bytes.
#![warn(missing_docs)]

pub mod blocks;
pub mod error;
pub mod pdf;

pub use error::ExtractError;

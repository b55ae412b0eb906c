//! The interface between the format readers (PDF, DOCX, text) and the segmenter.
//!
//! A reader turns a file into [`Block`]s: runs of text as printed, in reading order, each with
//! the page it stands on and its role on the page. Lines are already joined inside a block
//! (line-end hyphenation repaired), footnote markers in body text are Unicode superscript
//! digits ("crimes³"), and a footnote block starts with its marker ("³ See A/69/981-S/2015/500.").
//! The segmenter ([`crate::segment`]) builds numbered paragraphs from these blocks: it joins a
//! paragraph that a page break or footnote block interrupts and attaches footnotes.

use serde::{Deserialize, Serialize};

/// What a block is on its page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockRole {
    /// Body text: paragraphs, sub-paragraphs, list items, unnumbered text.
    Body,
    /// A section heading ("III. Sustained responsibility to protect: …", "A. Prevention").
    Heading,
    /// A footnote (smaller type at the foot of the page), starting with its marker.
    Footnote,
    /// Page-1 masthead: organ names, symbol, "Distr.: General", date, "Original: English",
    /// session, agenda items, and the document title lines.
    Masthead,
    /// Page furniture: running header or footer, page number, job number, barcode,
    /// "Please recycle". Kept so metadata can read the job number; never paragraph text.
    Furniture,
}

/// A run of text as printed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Block {
    /// 1-based page number.
    pub page: u32,
    /// Role on the page.
    pub role: BlockRole,
    /// Text with lines joined by single spaces, NFC.
    pub text: String,
    /// Dominant font size in points (0.0 when unknown, e.g. plain text).
    pub font_size: f32,
    /// True when the block is mostly bold.
    pub bold: bool,
    /// True when the block is centred on the page.
    pub centred: bool,
    /// Left edge of the block's first line, in points from the page's left edge (0.0 when unknown).
    pub x: f32,
    /// Top of the block, in points from the page's top (0.0 when unknown).
    pub y: f32,
}

impl Block {
    /// A block with no layout information (plain text, DOCX).
    #[must_use]
    pub fn plain(page: u32, role: BlockRole, text: impl Into<String>) -> Block {
        Block {
            page,
            role,
            text: text.into(),
            font_size: 0.0,
            bold: false,
            centred: false,
            x: 0.0,
            y: 0.0,
        }
    }
}

/// What a format reader returns.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BlockDocument {
    /// Number of pages (1 for a format without pages).
    pub pages: u32,
    /// Blocks in reading order, page by page.
    pub blocks: Vec<Block>,
    /// Non-fatal problems, e.g. "page 3: no text layer".
    pub warnings: Vec<String>,
}

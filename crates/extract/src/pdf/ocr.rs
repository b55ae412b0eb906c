//! OCR of image-only PDFs with Debian's `pdftoppm` (poppler-utils) and `tesseract`
//! (tesseract-ocr): pages are rendered at 300 dpi in grey to a temporary directory and read
//! with tesseract's automatic page segmentation. The text becomes blocks at its blank lines;
//! lines that are page furniture (job numbers, page numbers) get the furniture role.

use std::path::Path;
use std::process::Command;

use super::layout::furniture_line;
use super::text::{Vocabulary, clean_line, finish, join_line};
use crate::blocks::{Block, BlockDocument, BlockRole};
use crate::error::ExtractError;
use crate::limits::Deadline;

/// Tesseract language used for OCR; `UNDEX_OCR_LANG` overrides it (e.g. "fra", "eng+fra").
const DEFAULT_LANG: &str = "eng";

fn check_tool(tool: &'static str, arg: &str, package: &'static str) -> Result<(), ExtractError> {
    match Command::new(tool).arg(arg).output() {
        Ok(_) => Ok(()),
        Err(source) => Err(ExtractError::OcrTool {
            tool,
            package,
            source,
        }),
    }
}

/// [`ExtractError::OcrIo`]: `what` could not be done.
fn io(what: &'static str) -> impl FnOnce(std::io::Error) -> ExtractError {
    move |source| ExtractError::OcrIo { what, source }
}

/// Renders and OCRs every page of `bytes` (a PDF of `pages` pages).
///
/// # Errors
/// [`ExtractError::Ocr`] when `pdftoppm` or `tesseract` is missing or fails, or a temporary
/// file cannot be written; [`ExtractError::Empty`] when OCR finds no text.
/// [`ExtractError::LimitExceeded`] when `deadline` passes (checked before each page).
pub(crate) fn ocr_pdf(
    bytes: &[u8],
    pages: u32,
    deadline: &Deadline,
) -> Result<BlockDocument, ExtractError> {
    check_tool("pdftoppm", "-v", "poppler-utils")?;
    check_tool("tesseract", "--version", "tesseract-ocr")?;
    let dir = tempfile::tempdir().map_err(io("temp dir"))?;
    let pdf = dir.path().join("in.pdf");
    std::fs::write(&pdf, bytes).map_err(io("temp file"))?;
    let prefix = dir.path().join("page");
    let out = Command::new("pdftoppm")
        .args(["-r", "300", "-gray", "-png"])
        .arg(&pdf)
        .arg(&prefix)
        .output()
        .map_err(io("pdftoppm"))?;
    if !out.status.success() {
        return Err(ExtractError::Ocr(format!(
            "pdftoppm failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    let mut images: Vec<_> = std::fs::read_dir(dir.path())
        .map_err(io("temp dir"))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "png"))
        .collect();
    // pdftoppm names pages page-1.png … or page-01.png …: sort by the number.
    images.sort_by_key(|p| page_number(p));
    let lang = std::env::var("UNDEX_OCR_LANG").unwrap_or_else(|_| DEFAULT_LANG.to_string());
    let mut texts = Vec::with_capacity(images.len());
    for (k, img) in images.iter().enumerate() {
        deadline.check(|| format!("reading page {} of {} by OCR", k + 1, images.len()))?;
        let out = Command::new("tesseract")
            .arg(img)
            .arg("-")
            .args(["-l", &lang])
            .output()
            .map_err(io("tesseract"))?;
        if !out.status.success() {
            return Err(ExtractError::Ocr(format!(
                "tesseract failed on {}: {}",
                img.display(),
                String::from_utf8_lossy(&out.stderr).trim()
            )));
        }
        texts.push(String::from_utf8_lossy(&out.stdout).into_owned());
    }
    let doc = blocks_from_text(&texts, pages);
    if doc.blocks.is_empty() {
        return Err(ExtractError::Empty);
    }
    Ok(doc)
}

fn page_number(p: &Path) -> u32 {
    p.file_stem()
        .and_then(|s| s.to_str())
        .and_then(|s| s.rsplit('-').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// Turns OCR text (one string per page) into blocks: paragraphs at blank lines, furniture
/// lines on their own.
pub(crate) fn blocks_from_text(texts: &[String], pages: u32) -> BlockDocument {
    let vocab = Vocabulary::from_lines(texts.iter().flat_map(|t| t.lines()));
    let mut blocks = Vec::new();
    for (i, text) in texts.iter().enumerate() {
        let page = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let mut cur = String::new();
        let push = |cur: &mut String, role: BlockRole, blocks: &mut Vec<Block>| {
            let t = finish(cur);
            if !t.is_empty() {
                blocks.push(Block::plain(page, role, t));
            }
            cur.clear();
        };
        for line in text.lines() {
            let line = clean_line(line);
            let line = line.trim();
            if line.is_empty() {
                push(&mut cur, BlockRole::Body, &mut blocks);
            } else if furniture_line(line) {
                push(&mut cur, BlockRole::Body, &mut blocks);
                cur.push_str(line);
                push(&mut cur, BlockRole::Furniture, &mut blocks);
            } else {
                join_line(&mut cur, line, &vocab);
            }
        }
        push(&mut cur, BlockRole::Body, &mut blocks);
    }
    BlockDocument {
        pages: pages.max(u32::try_from(texts.len()).unwrap_or(u32::MAX)),
        blocks,
        warnings: vec!["text from OCR (tesseract): no layout roles except furniture".to_string()],
    }
}

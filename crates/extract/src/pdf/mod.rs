//! PDF reader: glyph positions and font sizes → [`crate::blocks::BlockDocument`].
//!
//! Steps: load with lopdf (re-exported by pdf-extract), collect positioned glyphs page by page
//! through pdf-extract's `OutputDev` (module `glyphs`), group them into lines with raised footnote
//! markers and bold detection (module `lines`), then give lines roles and join them into blocks
//! (module `layout`): furniture, masthead, headings, body paragraphs and footnotes, following the
//! page layouts of the UN Editorial Manual (current layout, and the pre-2010 one with ALL-CAPS
//! headings). Each page is read inside `catch_unwind`, since pdf-extract panics on some fonts;
//! pages are decoded on up to four threads (`UNDEX_PDF_THREADS=1` turns that off). PDFs without
//! a text layer can be OCR'd (module `ocr`, Debian's tesseract-ocr and poppler-utils).

mod glyphs;
mod layout;
pub(crate) mod lines;
mod ocr;
mod text;

use std::panic::{AssertUnwindSafe, catch_unwind};

use pdf_extract::Document;

use crate::blocks::BlockDocument;
use crate::error::ExtractError;
use crate::limits::Deadline;

use glyphs::{Collector, PageGlyphs};

/// Options of the PDF reader.
#[derive(Debug, Clone, Default)]
pub struct PdfOptions {
    /// Run OCR (Debian's `tesseract-ocr`, with `pdftoppm`) on pages without a text layer.
    pub ocr: bool,
}

/// How to turn on OCR, for [`ExtractError::NeedsOcr`].
pub const OCR_HINT: &str = "rerun with --ocr after installing tesseract and pdftoppm \
(Debian: apt-get install tesseract-ocr poppler-utils)";

/// Reads a PDF's text layer into blocks with roles (body, heading, footnote, masthead,
/// furniture).
///
/// Output follows the contract of [`crate::blocks`]: blocks in reading order page by page,
/// lines joined with single spaces (line-end hyphens repaired against the document's own
/// vocabulary, ligatures expanded, soft hyphens removed, NFC), footnote markers in body text
/// as Unicode superscript digits glued to the word ("crimes¹²"), each footnote its own block
/// starting with its number ("¹² See A/79/875."). Pages whose glyphs could not be decoded are
/// skipped with a warning in [`BlockDocument::warnings`]; so are pages without a text layer
/// when others have one, and scripts whose reading order is not rebuilt (Arabic, Hebrew: visual
/// order kept; Chinese/Japanese: no word spacing).
///
/// With `opts.ocr`, a PDF with no text layer at all is rendered with `pdftoppm` and read with
/// `tesseract` (both must be on `PATH`); blocks then have no layout information beyond the page.
///
/// # Errors
/// - [`ExtractError::DamagedPdf`]: the file cannot be parsed (broken xref, no pages) or every
///   page failed to decode; the reason is the parser's.
/// - [`ExtractError::Encrypted`]: encrypted with a non-empty user password.
/// - [`ExtractError::NeedsOcr`]: no page has a text layer and `opts.ocr` is off.
/// - [`ExtractError::Ocr`]: OCR was asked for and the tools are missing or failed.
pub fn read_pdf(bytes: &[u8], opts: &PdfOptions) -> Result<BlockDocument, ExtractError> {
    read_pdf_within(bytes, opts, &Deadline::none())
}

/// [`read_pdf`] within a deadline, checked before each page is decoded, laid out or OCR'd (a
/// page already in the decoder is not interrupted).
///
/// # Errors
/// As [`read_pdf`], and [`ExtractError::LimitExceeded`] when `deadline` passes.
pub fn read_pdf_within(
    bytes: &[u8],
    opts: &PdfOptions,
    deadline: &Deadline,
) -> Result<BlockDocument, ExtractError> {
    let (pages, mut warnings) = collect_pages(bytes, deadline)?;
    let page_count = u32::try_from(pages.len()).unwrap_or(u32::MAX);
    let glyph_count: usize = pages
        .iter()
        .flatten()
        .map(|p| {
            p.glyphs
                .iter()
                .filter(|g| !g.text.trim().is_empty())
                .count()
        })
        .sum();
    if glyph_count == 0 {
        if pages.iter().all(Option::is_none) {
            return Err(ExtractError::DamagedPdf(
                warnings
                    .first()
                    .cloned()
                    .unwrap_or_else(|| "no page could be decoded".to_string()),
            ));
        }
        if opts.ocr {
            return ocr::ocr_pdf(bytes, page_count, deadline);
        }
        return Err(ExtractError::NeedsOcr {
            pages: page_count,
            hint: OCR_HINT.to_string(),
        });
    }
    let mut doc = layout::lay_out(&pages, &mut warnings, deadline)?;
    doc.pages = page_count;
    doc.warnings = warnings;
    Ok(doc)
}

/// Loads the PDF and collects each page's glyphs. A page that fails or panics is `None`
/// with a warning.
fn collect_pages(
    bytes: &[u8],
    deadline: &Deadline,
) -> Result<(Vec<Option<PageGlyphs>>, Vec<String>), ExtractError> {
    if !bytes.starts_with(b"%PDF-") && !bytes.windows(5).take(1024).any(|w| w == b"%PDF-") {
        return Err(ExtractError::DamagedPdf(
            "no %PDF- header in the first 1024 bytes".to_string(),
        ));
    }
    let loaded = quietly(|| Document::load_mem(bytes));
    let mut doc = match loaded {
        Ok(Ok(doc)) => doc,
        Ok(Err(e)) => {
            let reason = e.to_string();
            let lower = reason.to_lowercase();
            if lower.contains("decrypt") || lower.contains("password") {
                return Err(ExtractError::Encrypted(reason));
            }
            return Err(ExtractError::PdfParse(Box::new(e)));
        }
        Err(msg) => return Err(ExtractError::DamagedPdf(format!("parser crashed: {msg}"))),
    };
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(ExtractError::Encrypted(
            "a user password is needed to read it".to_string(),
        ));
    }
    let page_ids = doc.get_pages();
    if page_ids.is_empty() {
        return Err(ExtractError::DamagedPdf(
            "0 pages: the cross-reference table or page tree is broken (no page object reachable)"
                .to_string(),
        ));
    }
    let nums: Vec<u32> = page_ids.keys().copied().collect();
    let threads = std::env::var("UNDEX_PDF_THREADS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, std::num::NonZero::get))
        .min(MAX_THREADS)
        .min(nums.len().div_ceil(PAGES_PER_THREAD))
        .max(1);
    // Each decoder takes its next page only while time is left; once it is up, the pages
    // not decoded make the document fail below.
    let in_time = || deadline.check(String::new).is_ok();
    let results: Vec<(u32, Result<PageGlyphs, String>)> = if threads == 1 {
        nums.iter()
            .take_while(|_| in_time())
            .map(|&n| (n, decode_page(&doc, n)))
            .collect()
    } else {
        // Pages are independent: decode them on a few threads, taking pages in turn.
        let next = std::sync::atomic::AtomicUsize::new(0);
        let mut all: Vec<(u32, Result<PageGlyphs, String>)> = std::thread::scope(|s| {
            let workers: Vec<_> = (0..threads)
                .map(|_| {
                    s.spawn(|| {
                        let mut out = Vec::new();
                        loop {
                            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            let Some(&n) = nums.get(i) else { break };
                            if !in_time() {
                                break;
                            }
                            out.push((n, decode_page(&doc, n)));
                        }
                        out
                    })
                })
                .collect();
            workers
                .into_iter()
                .flat_map(|w| {
                    w.join()
                        .unwrap_or_else(|_| vec![(0, Err("worker thread failed".to_string()))])
                })
                .collect()
        });
        all.sort_by_key(|(n, _)| *n);
        all
    };
    if results.len() < nums.len() {
        deadline.check(|| {
            format!(
                "decoding PDF pages ({} of {} decoded)",
                results.len(),
                nums.len()
            )
        })?;
    }
    let mut warnings = Vec::new();
    let mut pages = Vec::with_capacity(results.len());
    for (num, res) in results {
        match res {
            Ok(page) => pages.push(Some(page)),
            Err(msg) => {
                warnings.push(format!("page {num}: not decoded: {msg}"));
                pages.push(None);
            }
        }
    }
    Ok((pages, warnings))
}

/// At most this many decoding threads per document (`UNDEX_PDF_THREADS` lowers it; 1 = none).
const MAX_THREADS: usize = 4;
/// A thread is started for every this many pages.
const PAGES_PER_THREAD: usize = 4;

/// Decodes one page's glyphs; a decoder error or panic becomes `Err(reason)`.
fn decode_page(doc: &Document, num: u32) -> Result<PageGlyphs, String> {
    let mut out = Collector::default();
    match quietly(|| pdf_extract::output_doc_page(doc, &mut out, num)) {
        Ok(Ok(())) => Ok(out.page),
        Ok(Err(e)) => Err(e.to_string()),
        Err(msg) => Err(format!("decoder crashed: {msg}")),
    }
}

thread_local! {
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f`, turning a panic into `Err(message)`. The panic message is not printed: a panic
/// hook installed once delegates to the previous hook except on a thread inside `quietly`.
fn quietly<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(std::cell::Cell::get) {
                previous(info);
            }
        }));
    });
    let was = QUIET.with(|q| q.replace(true));
    let res = catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(was));
    res.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string())
    })
}

//! Helpers shared by the web crate's test binaries: real rows from `../shared/seeds`, and the
//! app over an in-memory index of the 2026 and 2025 reports.

use undex_core::ParagraphRow;
use undex_index::UndexIndex;
use undex_web::{AppState, router};

/// The 2026 report of the Secretary-General on the responsibility to protect.
pub const R2026: &str = "sg-r2p-report-2026.txt";
/// The 2025 report (A/79/875-S/2025/248).
pub const R2025: &str = "sg-r2p-report-2025-A-79-875.txt";

/// The router over an index of two documents, with the rows it was built from.
pub struct App {
    pub router: axum::Router,
    pub rows_2026: Vec<ParagraphRow>,
    pub rows_2025: Vec<ParagraphRow>,
}

/// Indexes `rows_2026` and `rows_2025` in memory (one commit) and builds the router.
pub fn app_with(rows_2026: Vec<ParagraphRow>, rows_2025: Vec<ParagraphRow>) -> App {
    let index = UndexIndex::in_memory().expect("index");
    index
        .replace_documents(&[rows_2026.clone(), rows_2025.clone()])
        .expect("ingest");
    App {
        router: router(AppState::new(index)),
        rows_2026,
        rows_2025,
    }
}

const SEEDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/seeds/");

/// The rows of a seed text as `undex ingest` produces them: extracted, then tagged when
/// `tagged` is set (untagged rows let a test set tags by hand).
pub fn seed_rows(file: &str, tagged: bool) -> Vec<ParagraphRow> {
    let path = format!("{SEEDS}{file}");
    let bytes = std::fs::read(&path).expect("seed readable");
    let mut doc =
        undex_extract::extract(&bytes, &path, &Default::default()).expect("seed extracts");
    if tagged {
        undex_tag::tag_document(&mut doc);
    }
    doc.rows()
}

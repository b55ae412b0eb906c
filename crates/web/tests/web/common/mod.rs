//! Helpers shared by the web crate's test binaries: real rows from `../shared/seeds`, and the
//! app over an in-memory index of the 2026 and 2025 reports.

use undex_core::ParagraphRow;
use undex_index::UndexIndex;
use undex_web::{AppState, router};

pub use undex_testkit::{R2025, R2026};

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

/// The rows of a seed text as `undex ingest` produces them: extracted, then tagged when
/// `tagged` is set (untagged rows let a test set tags by hand).
pub fn seed_rows(file: &str, tagged: bool) -> Vec<ParagraphRow> {
    if tagged {
        undex_testkit::tagged_seed_rows(file)
    } else {
        undex_testkit::seed_rows(file)
    }
}

//! Shared test support: real rows read from the seed reports by `undex_extract`.
#![allow(dead_code)]

use undex_core::ParagraphRow;

/// Path of a file under `/work/shared` (the repository's `../shared`).
pub fn shared(rel: &str) -> String {
    format!("{}/../../../shared/{rel}", env!("CARGO_MANIFEST_DIR"))
}

/// The rows of a seed text as extracted, with `date`/`year` filled from the seed README when
/// the extractor found none (the 2026 seed's masthead carries its date as "23 April 2026").
pub fn seed_rows(file: &str, date: &str) -> Vec<ParagraphRow> {
    undex_testkit::with_date(undex_testkit::seed_rows(file), date)
}

/// The 2025 report A/79/875-S/2025/248 (22 April 2025).
pub fn rows_2025() -> Vec<ParagraphRow> {
    seed_rows("sg-r2p-report-2025-A-79-875.txt", "2025-04-22")
}

/// The 2026 report (23 April 2026).
pub fn rows_2026() -> Vec<ParagraphRow> {
    seed_rows("sg-r2p-report-2026.txt", "2026-04-23")
}

/// Twenty real rows for export tests: the first ten units of the 2025 report (its summary
/// block and paragraphs 1–9), paragraph 76 of 2025, and the first nine units of the 2026
/// report (which has no symbol in its text, so its citation falls back to title and date).
pub fn twenty_rows() -> Vec<ParagraphRow> {
    let a = rows_2025();
    let b = rows_2026();
    let mut rows: Vec<ParagraphRow> = a.iter().take(10).cloned().collect();
    rows.extend(a.iter().find(|r| r.id == "A_79_875.en~76").cloned());
    rows.extend(b.iter().take(9).cloned());
    assert_eq!(rows.len(), 20, "seed extraction changed: expected 20 rows");
    rows
}

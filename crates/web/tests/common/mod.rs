//! Helpers shared by the web crate's test binaries: real rows from `../shared/seeds`.

use undex_core::ParagraphRow;

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

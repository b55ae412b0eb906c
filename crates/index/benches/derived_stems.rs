//! The English stems of the scale benchmark's query words derived from the exact field
//! (`undex_index::stems`) and compared with the indexed `text_en`: whether they agree on a
//! large index, and what deriving costs against reading the indexed postings.
//!
//! Usage: `cargo bench -p undex-index --bench derived_stems -- INDEX_DIR QUERIES_TSV`, where
//! `QUERIES_TSV` holds `type<TAB>query` lines in undex syntax (`python3 bench/scale_queries.py
//! --dump`). The query words are the queries' runs of letters and digits, lower-cased, without
//! the operators `AND`, `OR` and `NOT` as typed; each is stemmed as `text_en` stems it.
//! Prints one JSON line: stems, (segment, stem) pairs compared and those that disagree (must be
//! none; the process exits 1 otherwise), postings, printed words grouped, and milliseconds:
//! grouping each segment's words by stem, and per (segment, stem) deriving and reading (p50,
//! p99, max, total), and, on an index written with `StemsPlugin` registered, reading each
//! from the segment's `.stems` file (compared with the indexed postings too; else `null`).
//! Without arguments (as `cargo bench --workspace` runs it) it prints its
//! usage and exits.

use std::time::Duration;

use undex_core::Language;
use undex_index::UndexIndex;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Milliseconds of `d`.
fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// `{"p50":…,"p99":…,"max":…,"total":…}` in milliseconds.
fn summary(times: &[Duration]) -> String {
    let mut sorted = times.to_vec();
    sorted.sort();
    let at = |q: f64| {
        sorted
            .get(((sorted.len() as f64 - 1.0) * q).round() as usize)
            .copied()
            .unwrap_or_default()
    };
    format!(
        r#"{{"p50":{:.3},"p99":{:.3},"max":{:.3},"total":{:.1}}}"#,
        ms(at(0.5)),
        ms(at(0.99)),
        ms(sorted.last().copied().unwrap_or_default()),
        ms(sorted.iter().sum())
    )
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let (Some(dir), Some(queries)) = (args.first(), args.get(1)) else {
        eprintln!("usage: derived_stems INDEX_DIR QUERIES_TSV");
        return;
    };
    let index = UndexIndex::open_read_only(std::path::Path::new(dir)).expect("index opens");
    let text = std::fs::read_to_string(queries).expect("queries file reads");
    let mut words: Vec<String> = text
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .flat_map(|(_, q)| q.split(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty() && !matches!(*w, "AND" | "OR" | "NOT"))
        .map(str::to_lowercase)
        .collect();
    words.sort();
    words.dedup();
    let stems = undex_index::stems::stem_words(Language::En, &words).expect("English stems");
    let found = undex_index::stems::compare_with_indexed(&index, Language::En, Some(&stems))
        .expect("index reads")
        .expect("English has a stemmer");
    println!(
        r#"{{"words":{},"stems":{},"compared":{},"mismatched":{},"postings":{},"printed_words":{},"grouping_ms":{},"deriving_ms":{},"reading_ms":{},"reading_file_ms":{}}}"#,
        words.len(),
        stems.len(),
        found.compared,
        found.mismatched.len(),
        found.postings,
        found.words,
        summary(&found.grouping),
        summary(&found.deriving),
        summary(&found.reading),
        if found.reading_file.is_empty() {
            "null".to_string()
        } else {
            summary(&found.reading_file)
        },
    );
    if !found.mismatched.is_empty() {
        eprintln!("derived postings disagree: {:?}", found.mismatched);
        std::process::exit(1);
    }
}

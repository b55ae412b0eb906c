//! `undex eval extract|tags --gold FILE`: scores extraction and tagging against hand labels
//! (format of `shared/eval-dev/gold-2026.jsonl`, scoring of `shared/eval-dev/README.md`);
//! `undex eval align --gold FILE…` scores the alignment of language versions
//! ([`undex_core::align`]) against hand-checked pairs (`docs/align-gold/`).
//!
//! Each gold row names its source document (`source`, a path relative to the repository
//! root); every source is read with the same code path as `undex ingest` (extract, then tag)
//! and the rows are scored together.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use undex_core::ParagraphRow;
use undex_extract::ExtractOptions;
use undex_tag::eval::EvalReport;

use crate::ingest::read_document;

/// Finds a gold row's `source` on disk: as given (relative to the working directory), then
/// relative to each folder above the gold file (so `../shared/seeds/x.txt` resolves from a gold
/// file in `shared/eval-dev/` wherever undex is run from).
fn resolve_source(source: &str, gold: &Path) -> Option<PathBuf> {
    let direct = PathBuf::from(source);
    if direct.is_file() {
        return Some(direct);
    }
    let gold_dir = gold.canonicalize().ok()?.parent()?.to_path_buf();
    gold_dir
        .ancestors()
        .map(|dir| dir.join(source))
        .find(|candidate| candidate.is_file())
}

/// Extracts and tags every source the gold file names (or `--source`), returning rows by source.
fn rows_for_sources(
    sources: &[String],
    gold: &Path,
    override_source: Option<&Path>,
    opts: &ExtractOptions,
) -> anyhow::Result<BTreeMap<String, Vec<ParagraphRow>>> {
    let mut out = BTreeMap::new();
    for source in sources {
        let path = match override_source {
            Some(p) => p.to_path_buf(),
            None => resolve_source(source, gold).with_context(|| {
                format!(
                    "cannot find the gold rows' source {source:?} (relative to the working directory or above {}); pass --source FILE",
                    gold.display()
                )
            })?,
        };
        let doc = read_document(&path, opts)
            .map_err(|f| anyhow::anyhow!("{}: {}", f.path.display(), f.message))?;
        out.insert(source.clone(), doc.rows());
    }
    Ok(out)
}

/// `undex eval extract`: paragraph recall, exact first/last-words rate, footnote-reference
/// precision and recall.
///
/// # Errors
/// Unreadable gold file or source document.
pub fn eval_extract(
    gold: &Path,
    source: Option<&Path>,
    opts: &ExtractOptions,
) -> anyhow::Result<String> {
    let text =
        std::fs::read_to_string(gold).with_context(|| format!("cannot read {}", gold.display()))?;
    let mut gold_rows = undex_extract::eval::load_gold(&text)?;
    if gold_rows.is_empty() {
        bail!("{} holds no gold rows", gold.display());
    }
    let sources = undex_extract::eval::gold_sources(&gold_rows);
    let by_source = rows_for_sources(&sources, gold, source, opts)?;
    // Scoring matches rows to gold by source file name; with --source the file read may have
    // another name, so the gold rows are pointed at it.
    if let Some(path) = source {
        for row in &mut gold_rows {
            row.source = path.to_string_lossy().into_owned();
        }
    }
    let rows: Vec<ParagraphRow> = by_source.into_values().flatten().collect();
    let score = undex_extract::eval::score_extraction(&gold_rows, &rows);
    Ok(score.to_string())
}

/// `undex eval tags`: per-family micro-F1, per-class precision / recall / F1, recommendation
/// precision and recall, addressee F1.
///
/// # Errors
/// Unreadable gold file or source document.
pub fn eval_tags(
    gold: &Path,
    source: Option<&Path>,
    opts: &ExtractOptions,
    show_misses: bool,
) -> anyhow::Result<String> {
    let text =
        std::fs::read_to_string(gold).with_context(|| format!("cannot read {}", gold.display()))?;
    let gold_rows = undex_tag::eval::parse_gold(&text)?;
    if gold_rows.is_empty() {
        bail!("{} holds no gold rows", gold.display());
    }
    let mut by_source: BTreeMap<String, Vec<undex_tag::eval::GoldRow>> = BTreeMap::new();
    for row in gold_rows {
        let key = row.source.clone().unwrap_or_default();
        by_source.entry(key).or_default().push(row);
    }
    let sources: Vec<String> = by_source.keys().cloned().collect();
    let rows = rows_for_sources(&sources, gold, source, opts)?;
    let mut report = EvalReport::default();
    for (source, gold_rows) in &by_source {
        let predicted = rows.get(source).map_or(&[][..], Vec::as_slice);
        report.merge(undex_tag::eval::score(gold_rows, predicted));
    }
    let mut out = report.to_string();
    if show_misses {
        out.push_str("\nrows the tagger got wrong (high-confidence rows only):\n");
        out.push_str(&report.misses_text());
    }
    Ok(out)
}

/// Largest gold file `eval align` reads, in bytes.
const MAX_ALIGN_GOLD_BYTES: u64 = 16 * 1024 * 1024;

/// One hand-checked pair of `eval align`'s gold: two unit ids and the files they come from.
#[derive(Debug, serde::Deserialize)]
struct GoldPair {
    a: String,
    b: String,
    a_source: String,
    b_source: String,
}

/// `undex eval align`: for each pair of files the gold names, extracts both (as `undex
/// ingest` does), aligns them with [`undex_core::align::align`] and prints the precision and
/// recall of the aligned pairs against the gold pairs, per document pair and in total. Recall
/// is the share of gold paragraphs aligned to their counterpart.
///
/// # Errors
/// Unreadable or oversized gold file, a line that is not a gold pair, unreadable source.
pub fn eval_align(golds: &[PathBuf], opts: &ExtractOptions) -> anyhow::Result<String> {
    use std::fmt::Write as _;
    let mut by_pair: BTreeMap<(String, String), Vec<(String, String)>> = BTreeMap::new();
    let mut gold_of: BTreeMap<(String, String), PathBuf> = BTreeMap::new();
    for gold in golds {
        let len = std::fs::metadata(gold)
            .with_context(|| format!("cannot read {}", gold.display()))?
            .len();
        if len > MAX_ALIGN_GOLD_BYTES {
            bail!(
                "{} is {len} bytes; the limit is {MAX_ALIGN_GOLD_BYTES}",
                gold.display()
            );
        }
        let text = std::fs::read_to_string(gold)
            .with_context(|| format!("cannot read {}", gold.display()))?;
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let p: GoldPair = serde_json::from_str(line)
                .with_context(|| format!("{}:{}: not a gold pair", gold.display(), n + 1))?;
            let key = (p.a_source, p.b_source);
            gold_of.entry(key.clone()).or_insert_with(|| gold.clone());
            by_pair.entry(key).or_default().push((p.a, p.b));
        }
    }
    if by_pair.is_empty() {
        bail!("the gold files hold no pairs");
    }
    let mut out = String::from(
        "document pair                                  gold  found  precision  recall\n",
    );
    let (mut all_found, mut all_gold) = (Vec::new(), Vec::new());
    for ((a_src, b_src), gold_pairs) in &by_pair {
        let gold = &gold_of[&(a_src.clone(), b_src.clone())];
        let rows = rows_for_sources(&[a_src.clone(), b_src.clone()], gold, None, opts)?;
        let found: Vec<(String, String)> = undex_core::align::align(&rows[a_src], &rows[b_src])
            .into_iter()
            .map(|p| (p.a, p.b))
            .collect();
        let (p, r) = undex_core::align::score_pairs(&found, gold_pairs);
        let name = format!(
            "{} ~ {}",
            rows[a_src].first().map_or("?", |r| r.doc_id.as_str()),
            rows[b_src].first().map_or("?", |r| r.language.as_str())
        );
        let _ = writeln!(
            out,
            "{name:<45} {:>5} {:>6} {:>9.1}% {:>6.1}%",
            gold_pairs.len(),
            found.len(),
            p * 100.0,
            r * 100.0
        );
        all_found.extend(found);
        all_gold.extend(gold_pairs.iter().cloned());
    }
    let (p, r) = undex_core::align::score_pairs(&all_found, &all_gold);
    let _ = writeln!(
        out,
        "{:<45} {:>5} {:>6} {:>9.1}% {:>6.1}%",
        "total",
        all_gold.len(),
        all_found.len(),
        p * 100.0,
        r * 100.0
    );
    Ok(out)
}

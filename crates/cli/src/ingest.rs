//! `undex ingest`: files and folders → extracted JSONL under `corpus/extracted/` → tantivy index.
//!
//! A failing document never stops the batch: it is recorded with its file and reason, the rest
//! goes on, and the summary lists it. Every file written is written to a temporary file in the
//! same folder and renamed, so an interrupted ingest leaves no half-written JSONL; the index is
//! committed once at the end (tantivy commits are atomic), so it is never half-written either.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use undex_core::{Document, ParagraphRow};
use undex_extract::{ExtractOptions, extract};

/// File names that are never documents: notes and checksums that sit beside documents in a
/// corpus folder (`MANIFEST.md`, `README.md`, `SHA256SUMS`).
const NOT_DOCUMENTS: [&str; 5] = [
    "README.md",
    "MANIFEST.md",
    "SHA256SUMS",
    "manifest.jsonl",
    ".gitkeep",
];

/// What `ingest` is asked to do.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Files and folders to read (folders recursively, in sorted order).
    pub paths: Vec<PathBuf>,
    /// Index directory (created if missing).
    pub index_dir: PathBuf,
    /// Where the extracted JSONL goes (`corpus/extracted`).
    pub extracted_dir: PathBuf,
    /// Run OCR on pages without a text layer.
    pub ocr: bool,
}

/// A file that could not be ingested.
#[derive(Debug, Clone)]
pub struct Failure {
    /// The file.
    pub path: PathBuf,
    /// Short reason code ("needs_ocr", "damaged_pdf", …).
    pub code: String,
    /// The full message.
    pub message: String,
}

/// What an ingest did.
#[derive(Debug, Default)]
pub struct IngestSummary {
    /// Documents read and indexed.
    pub documents: usize,
    /// Units (paragraphs, sub-paragraphs, …) indexed.
    pub paragraphs: usize,
    /// Pages read.
    pub pages: u64,
    /// Files that failed, with reasons.
    pub failures: Vec<Failure>,
    /// Files passed over on purpose (notes, checksums), with the reason.
    pub skipped: Vec<(PathBuf, String)>,
    /// Warnings from documents that were read.
    pub warnings: Vec<String>,
    /// What the near-duplicate (similarity) store beside the index did, if it was updated.
    pub similarity: Option<SimilarityUpdate>,
    /// Wall-clock time.
    pub elapsed: Duration,
}

/// How the similarity store ([`undex_research::STORE_FILE`] in the index folder) was brought
/// up to date by an ingest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimilarityUpdate {
    /// Paragraphs held after the update.
    pub paragraphs: usize,
    /// Paragraphs whose shingles were hashed in this update (the new documents' only, when
    /// incremental).
    pub hashed: usize,
    /// True when the store was rebuilt from every row of the index (no store yet, or one out
    /// of step with the index), false when only the new documents were added.
    pub rebuilt: bool,
}

impl fmt::Display for IngestSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.elapsed.as_secs_f64();
        #[allow(clippy::cast_precision_loss)]
        let pages_per_sec = if secs > 0.0 {
            self.pages as f64 / secs
        } else {
            0.0
        };
        writeln!(
            f,
            "ingested {} documents, {} paragraphs, {} pages in {:.1} s ({:.0} pages/s); {} failed, {} skipped",
            self.documents,
            self.paragraphs,
            self.pages,
            secs,
            pages_per_sec,
            self.failures.len(),
            self.skipped.len()
        )?;
        let mut by_code: BTreeMap<&str, usize> = BTreeMap::new();
        for failure in &self.failures {
            *by_code.entry(failure.code.as_str()).or_default() += 1;
        }
        for (code, n) in &by_code {
            writeln!(f, "  failed ({code}): {n}")?;
        }
        for failure in &self.failures {
            writeln!(f, "  {}: {}", failure.path.display(), failure.message)?;
        }
        for (path, why) in &self.skipped {
            writeln!(f, "  skipped {}: {why}", path.display())?;
        }
        if let Some(s) = &self.similarity {
            writeln!(
                f,
                "similarity store: {} paragraphs ({} {} hashed)",
                s.paragraphs,
                if s.rebuilt {
                    "rebuilt,"
                } else {
                    "incremental,"
                },
                s.hashed
            )?;
        }
        Ok(())
    }
}

/// Lists the files under `paths`: files as given, folders walked recursively, hidden entries
/// and known non-documents passed over; sorted, so that ids and output are deterministic.
fn collect_files(
    paths: &[PathBuf],
    skipped: &mut Vec<(PathBuf, String)>,
) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for root in paths {
        let meta =
            std::fs::metadata(root).with_context(|| format!("cannot read {}", root.display()))?;
        if meta.is_file() {
            files.push(root.clone());
            continue;
        }
        for entry in walkdir::WalkDir::new(root)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        {
            let entry = entry.with_context(|| format!("cannot walk {}", root.display()))?;
            if !entry.file_type().is_file() {
                continue;
            }
            let name = entry.file_name().to_string_lossy();
            if NOT_DOCUMENTS.contains(&name.as_ref()) {
                skipped.push((
                    entry.path().to_path_buf(),
                    "a corpus note or checksum list, not a document".to_string(),
                ));
                continue;
            }
            files.push(entry.path().to_path_buf());
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

/// Reads, extracts and tags one file.
///
/// # Errors
/// A [`Failure`] naming the file and the reason.
pub fn read_document(path: &Path, opts: &ExtractOptions) -> Result<Document, Failure> {
    let bytes = std::fs::read(path).map_err(|e| Failure {
        path: path.to_path_buf(),
        code: "io".to_string(),
        message: format!("cannot read file: {e}"),
    })?;
    let mut doc = extract(&bytes, &path.to_string_lossy(), opts).map_err(|e| Failure {
        path: path.to_path_buf(),
        code: e.code().to_string(),
        message: e.to_string(),
    })?;
    undex_tag::tag_document(&mut doc);
    Ok(doc)
}

/// Writes `rows` as JSON lines to `path` atomically (temporary file in the same folder, then
/// rename).
///
/// # Errors
/// I/O errors, with the path.
pub fn write_jsonl_atomic(path: &Path, rows: &[ParagraphRow]) -> anyhow::Result<()> {
    let mut bytes = Vec::new();
    for row in rows {
        serde_json::to_writer(&mut bytes, row)?;
        bytes.push(b'\n');
    }
    undex_core::fsutil::write_atomic(path, &bytes)
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Runs an ingest: extract every file (in parallel), write `extracted_dir/<doc id>.jsonl`,
/// replace the documents' rows in the index with one commit.
///
/// # Errors
/// Only errors that stop the whole batch: unreadable paths, an index that cannot be opened or
/// committed, an output folder that cannot be written. Per-document failures are in the summary.
pub fn ingest(opts: &IngestOptions) -> anyhow::Result<IngestSummary> {
    let started = Instant::now();
    let mut summary = IngestSummary::default();
    let files = collect_files(&opts.paths, &mut summary.skipped)?;
    tracing::info!(files = files.len(), "ingest started");

    let bar = ProgressBar::new(files.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{spinner} ingest [{bar:30}] {pos}/{len} {wide_msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let extract_opts = ExtractOptions { ocr: opts.ocr };
    let results: Vec<Result<Document, Failure>> = files
        .par_iter()
        .map(|path| {
            let result = read_document(path, &extract_opts);
            bar.inc(1);
            bar.set_message(
                path.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            );
            result
        })
        .collect();
    bar.finish_and_clear();

    let mut batches: BTreeMap<String, Vec<ParagraphRow>> = BTreeMap::new();
    let mut sources: BTreeMap<String, String> = BTreeMap::new();
    for result in results {
        match result {
            Ok(doc) => {
                for w in &doc.warnings {
                    summary
                        .warnings
                        .push(format!("{}: {w}", doc.meta.source_file));
                }
                if doc.paragraphs.is_empty() {
                    summary.failures.push(Failure {
                        path: PathBuf::from(&doc.meta.source_file),
                        code: "no_paragraphs".to_string(),
                        message: "no text units found".to_string(),
                    });
                    continue;
                }
                if let Some(previous) =
                    sources.insert(doc.meta.id.clone(), doc.meta.source_file.clone())
                {
                    summary.warnings.push(format!(
                        "{} and {previous} are the same document ({}): the later file replaces the earlier",
                        doc.meta.source_file, doc.meta.id
                    ));
                }
                summary.pages += u64::from(doc.meta.pages);
                batches.insert(doc.meta.id.clone(), doc.rows());
            }
            Err(failure) => {
                tracing::warn!(path = %failure.path.display(), code = %failure.code, "{}", failure.message);
                summary.failures.push(failure);
            }
        }
    }

    for (doc_id, rows) in &batches {
        let path = opts.extracted_dir.join(format!("{doc_id}.jsonl"));
        write_jsonl_atomic(&path, rows)?;
        summary.documents += 1;
        summary.paragraphs += rows.len();
    }

    let index = undex_index::UndexIndex::open_or_create(&opts.index_dir)
        .with_context(|| format!("cannot open index {}", opts.index_dir.display()))?;
    let docs: Vec<Vec<ParagraphRow>> = batches.into_values().collect();
    let before = index.opstamp().context("cannot read the index")?;
    index
        .replace_documents(&docs)
        .context("cannot write the index")?;
    summary.similarity = Some(update_similarity(&index, &opts.index_dir, before, &docs)?);
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// Brings the similarity store beside the index (`dir`/[`undex_research::STORE_FILE`]) up to
/// date after `docs` were committed: when the store matched the index's commit `before`, the
/// new documents replace theirs in it and only their rows are hashed; otherwise (no store, a
/// damaged one, or one out of step because another tool wrote the index) it is rebuilt from
/// every row of the index. Written atomically, stamped with the new commit.
///
/// # Errors
/// When the index cannot be read or the store cannot be written.
pub fn update_similarity(
    index: &undex_index::UndexIndex,
    dir: &Path,
    before: u64,
    docs: &[Vec<ParagraphRow>],
) -> anyhow::Result<SimilarityUpdate> {
    let path = dir.join(undex_research::STORE_FILE);
    let after = index.opstamp().context("cannot read the index")?;
    let (sim, hashed, rebuilt) = match undex_research::SimilarityIndex::load_in_step(&path, before)
    {
        Some(mut sim) => {
            sim.replace_documents(docs);
            (sim, docs.iter().map(Vec::len).sum(), false)
        }
        None => {
            let rows = index.all_rows().context("cannot read the index")?;
            tracing::info!(rows = rows.len(), "building the similarity store");
            (
                undex_research::SimilarityIndex::from_rows(&rows),
                rows.len(),
                true,
            )
        }
    };
    sim.save(&path, after)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(SimilarityUpdate {
        paragraphs: sim.len(),
        hashed,
        rebuilt,
    })
}

//! `undex ingest` and `undex reindex`: the command-line face of [`undex_library::Library`],
//! with a progress bar (documents/s, paragraphs/s, ETA).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use undex_core::Document;
use undex_extract::{ExtractOptions, extract};
use undex_library::{
    DEFAULT_CHUNK_DOCUMENTS, DEFAULT_COMMIT_ROWS, Event, Failure, IngestOptions, IngestSummary,
    Library, LibraryError,
};

/// Exit code of `ingest` / `reindex` when another ingest holds the index's writer lock.
pub const EXIT_LOCKED: u8 = 3;

/// Reads, extracts and tags one file (for `extract` and `eval`, which do not index).
///
/// # Errors
/// A [`Failure`] naming the file and the reason.
pub fn read_document(path: &Path, opts: &ExtractOptions) -> Result<Document, Failure> {
    let bytes = std::fs::read(path)
        .map_err(|e| Failure::new(path, "io", format!("cannot read file: {e}")))?;
    let mut doc = extract(&bytes, &path.to_string_lossy(), opts)
        .map_err(|e| Failure::new(path, e.code(), e.to_string()))?;
    undex_library::tag_document(&mut doc);
    Ok(doc)
}

/// A progress bar on standard error (hidden when it is not a terminal) fed by library
/// [`Event`]s: documents done of the plan, documents/s, paragraphs/s and the ETA.
struct Progress {
    bar: ProgressBar,
    paragraphs: AtomicU64,
    started: Instant,
}

impl Progress {
    fn new(verb: &'static str) -> Self {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template(&format!(
                "{verb} [{{bar:30}}] {{pos}}/{{len}} documents ({{per_sec}}, ETA {{eta}}) {{wide_msg}}"
            ))
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        Self {
            bar,
            paragraphs: AtomicU64::new(0),
            started: Instant::now(),
        }
    }

    fn on_event(&self, event: Event<'_>) {
        match event {
            Event::Planned { files } => self.bar.set_length(files as u64),
            Event::Done { paragraphs, .. } => {
                let total = self
                    .paragraphs
                    .fetch_add(paragraphs as u64, Ordering::Relaxed)
                    + paragraphs as u64;
                let secs = self.started.elapsed().as_secs_f64().max(1e-3);
                #[allow(clippy::cast_precision_loss)]
                self.bar
                    .set_message(format!("{total} paragraphs ({:.0}/s)", total as f64 / secs));
                self.bar.inc(1);
            }
            Event::Committed {
                documents,
                paragraphs,
            } => {
                tracing::debug!(documents, paragraphs, "committed");
            }
        }
    }
}

/// Runs `undex ingest`; prints the summary. Returns Ok(false) when `strict` and some
/// document failed.
///
/// # Errors
/// What stops the whole batch (see [`Library::ingest`]); a lock held by another ingest is
/// reported with [`EXIT_LOCKED`] by the caller ([`LibraryError::is_locked`]).
pub fn run_ingest(
    index_dir: &Path,
    paths: Vec<PathBuf>,
    extracted_dir: PathBuf,
    extract: ExtractOptions,
    strict: bool,
) -> Result<bool, LibraryError> {
    let library = Library::open(index_dir)?;
    let mut opts = IngestOptions::new(paths, extracted_dir);
    opts.extract = extract;
    opts.commit_rows = DEFAULT_COMMIT_ROWS;
    opts.chunk_documents = DEFAULT_CHUNK_DOCUMENTS;
    let progress = Progress::new("ingest");
    let summary = library.ingest(&opts, &|e| progress.on_event(e));
    progress.bar.finish_and_clear();
    report(&summary?, strict)
}

/// Runs `undex reindex`: rebuilds the index from the extracted JSONL.
///
/// # Errors
/// As [`Library::reindex`].
pub fn run_reindex(
    index_dir: &Path,
    extracted_dir: &Path,
    strict: bool,
) -> Result<bool, LibraryError> {
    let progress = Progress::new("reindex");
    let summary = Library::reindex(index_dir, extracted_dir, DEFAULT_COMMIT_ROWS, &|e| {
        progress.on_event(e);
    });
    progress.bar.finish_and_clear();
    report(&summary?, strict)
}

fn report(summary: &IngestSummary, strict: bool) -> Result<bool, LibraryError> {
    eprint!("{summary}");
    for warning in &summary.warnings {
        tracing::debug!("{warning}");
    }
    Ok(!strict || summary.failures.is_empty())
}

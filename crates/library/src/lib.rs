//! The undex library service: the one owner of an index folder and what is written beside it,
//! and the one way the web app, the JSON API and the MCP tools read it.
//!
//! - Writes: [`Library`] (ingest, reindex), below.
//! - Reads: [`reader::LibraryReader`] (search, a paragraph with its neighbours, citations and
//!   language versions, documents, citations resolved, earlier wording, trends, feeds,
//!   exports), over a read-only index; [`languages`] (the language versions of a paragraph or
//!   a document) and [`export`] (citation exports a page at a time) are its parts that the CLI
//!   also calls.
//!
//! [`Library::ingest`] reads files (PDF, DOCX, text) as a streaming pipeline with bounded
//! memory: documents are extracted and tagged in parallel in chunks of
//! [`IngestOptions::chunk_documents`], handed over a bounded channel (backpressure) to one
//! writer that saves `<extracted>/<document id>.jsonl` and replaces the document in the
//! index, committing every [`IngestOptions::commit_rows`] rows. Memory therefore follows the
//! chunk, not the corpus. The order of documents is the sorted order of their paths, so the
//! output is the same from run to run.
//!
//! A killed ingest loses nothing already committed and duplicates nothing when run again:
//! every document replaces its earlier rows by the one rule of
//! [`undex_index::IndexBatch::replace`] (same document id, source file or SHA-256). An
//! ingest leaves a journal ([`JOURNAL_FILE`]) in the index folder while it runs; a new ingest
//! of the same paths that finds it resumes: files whose bytes are already in the index are
//! not read again.
//!
//! [`Library::reindex`] rebuilds the index from the extracted JSONL alone (no extraction,
//! no tagging), in a folder beside the index, then switches folders, so readers see the old
//! index or the new one.
#![warn(missing_docs)]

pub mod export;
pub mod files;
pub mod languages;
pub mod reader;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use undex_core::{Language, ParagraphRow};
use undex_extract::ExtractOptions;
use undex_index::{IndexError, UndexIndex};

pub use files::{FileList, collect_files};

/// File of the index folder that marks an ingest in progress (JSON: the paths it was given).
pub const JOURNAL_FILE: &str = "undex-ingest.journal";

/// Default of [`IngestOptions::commit_rows`]: rows between two commits of the index. Bounds
/// what a kill can lose (one batch, re-read on resume) and the writer's pending work.
pub const DEFAULT_COMMIT_ROWS: usize = 50_000;

/// Default of [`IngestOptions::chunk_documents`]: documents extracted in parallel before they
/// are handed, in path order, to the writer. At most three chunks are in memory at once.
pub const DEFAULT_CHUNK_DOCUMENTS: usize = 32;

/// Largest file an ingest reads, in bytes; a larger file fails alone ("too_large").
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// A file of an extracted folder that is not a document: the failures of a distributed
/// ingest (`undex-ray`, one JSON object a line: `path`, `code`, `message`). [`Library::reindex`]
/// passes over it.
pub const FAILURES_FILE: &str = "failures.jsonl";

/// A file (or path) that could not be ingested.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The file, as given or found.
    pub path: PathBuf,
    /// Short reason code ("needs_ocr", "damaged_pdf", "io", …).
    pub code: String,
    /// The full message.
    pub message: String,
}

impl Failure {
    /// A failure of `path` with reason `code` and `message`.
    #[must_use]
    pub fn new(path: &Path, code: &str, message: impl Into<String>) -> Self {
        Self {
            path: path.to_path_buf(),
            code: code.to_string(),
            message: message.into(),
        }
    }
}

/// Everything that stops a whole ingest or reindex (per-document problems are [`Failure`]s).
#[derive(Debug, thiserror::Error)]
pub enum LibraryError {
    /// The index cannot be opened, locked or written.
    #[error(transparent)]
    Index(#[from] IndexError),
    /// A file beside the index or in the extracted folder cannot be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The extracted folder cannot be read (reindex).
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file or folder.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

impl LibraryError {
    /// True when another process holds the index's writer lock.
    #[must_use]
    pub fn is_locked(&self) -> bool {
        matches!(self, LibraryError::Index(IndexError::Locked { .. }))
    }
}

/// What an ingest is asked to do.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Files and folders to read (folders recursively, in sorted order).
    pub paths: Vec<PathBuf>,
    /// Where the extracted JSONL goes (`corpus/extracted`).
    pub extracted_dir: PathBuf,
    /// Extraction options (OCR, limits).
    pub extract: ExtractOptions,
    /// Rows between two index commits ([`DEFAULT_COMMIT_ROWS`]).
    pub commit_rows: usize,
    /// Documents extracted in parallel per chunk ([`DEFAULT_CHUNK_DOCUMENTS`]).
    pub chunk_documents: usize,
}

impl IngestOptions {
    /// Options with the defaults for `paths`, writing JSONL to `extracted_dir`.
    #[must_use]
    pub fn new(paths: Vec<PathBuf>, extracted_dir: PathBuf) -> Self {
        Self {
            paths,
            extracted_dir,
            extract: ExtractOptions::default(),
            commit_rows: DEFAULT_COMMIT_ROWS,
            chunk_documents: DEFAULT_CHUNK_DOCUMENTS,
        }
    }
}

/// Progress of an ingest or reindex, for a progress bar. Sent from the writer thread.
#[derive(Debug, Clone, Copy)]
pub enum Event<'a> {
    /// The plan: this many files will be read.
    Planned {
        /// Files to read.
        files: usize,
    },
    /// A file was handled (indexed, failed or skipped as already ingested).
    Done {
        /// The file.
        path: &'a Path,
        /// Units indexed from it (0 when it failed or was skipped).
        paragraphs: usize,
    },
    /// A commit made everything so far searchable.
    Committed {
        /// Documents indexed so far.
        documents: usize,
        /// Units indexed so far.
        paragraphs: usize,
    },
}

/// What an ingest or reindex did.
#[derive(Debug, Default)]
pub struct IngestSummary {
    /// Documents read and indexed.
    pub documents: usize,
    /// Units (paragraphs, sub-paragraphs, …) indexed.
    pub paragraphs: usize,
    /// Pages read.
    pub pages: u64,
    /// Documents already in the index from an interrupted run of the same ingest, not read
    /// again.
    pub resumed: usize,
    /// Index commits made.
    pub commits: usize,
    /// Files and paths that failed, with reasons.
    pub failures: Vec<Failure>,
    /// Files passed over on purpose (notes, checksums, a second path to one file).
    pub skipped: Vec<(PathBuf, String)>,
    /// Warnings from documents that were read.
    pub warnings: Vec<String>,
    /// Temporary files left by an interrupted ingest and removed at the start.
    pub removed_temporaries: usize,
    /// Language versions (French, Russian…) whose units received the tags of the English
    /// version aligned to them ([`undex_core::align::carry_english_tags`]), this batch's
    /// documents and the versions already in the index alike.
    pub carried_documents: usize,
    /// Wall-clock time.
    pub elapsed: Duration,
}

impl fmt::Display for IngestSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.elapsed.as_secs_f64();
        let rate = |n: f64| if secs > 0.0 { n / secs } else { 0.0 };
        #[allow(clippy::cast_precision_loss)]
        let (pages_per_sec, paras_per_sec) =
            (rate(self.pages as f64), rate(self.paragraphs as f64));
        writeln!(
            f,
            "ingested {} documents, {} paragraphs, {} pages in {:.1} s ({:.0} pages/s, {:.0} paragraphs/s); {} failed, {} skipped",
            self.documents,
            self.paragraphs,
            self.pages,
            secs,
            pages_per_sec,
            paras_per_sec,
            self.failures.len(),
            self.skipped.len()
        )?;
        if self.resumed > 0 {
            writeln!(
                f,
                "  resumed: {} documents were already indexed by the interrupted run",
                self.resumed
            )?;
        }
        if self.carried_documents > 0 {
            writeln!(
                f,
                "  tags carried from the English version to {} other language versions",
                self.carried_documents
            )?;
        }
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
        Ok(())
    }
}

/// The journal of an ingest in progress.
#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Journal {
    /// The paths of the ingest, as given.
    paths: Vec<PathBuf>,
    /// The extracted folder.
    extracted_dir: PathBuf,
}

/// One document read by a worker, ready for the writer.
struct Read {
    path: PathBuf,
    outcome: Result<ReadDocument, Failure>,
}

/// What the writer needs of a document.
struct ReadDocument {
    id: String,
    source_file: String,
    pages: u32,
    warnings: Vec<String>,
    rows: Vec<ParagraphRow>,
    /// The rows as JSON lines.
    jsonl: Vec<u8>,
    /// True when the document was not read again (resume).
    already_indexed: bool,
}

/// English documents an ingest keeps in memory (the last written) to tag the other language
/// versions that follow them in the batch before they are written; a version whose English
/// one is not among them is tagged by the pass at the end of the batch (a rewrite).
pub const ENGLISH_CACHE: usize = 64;

/// Most threads that tag paragraphs at once, whatever the machine's cores: 2.
///
/// Each thread that tags holds its own cache of each of the tagger's hundreds of patterns
/// (the regex crate's lazy DFAs), and those caches grow with the text tagged: about 100 MB a
/// thread by the end of the scale benchmark's 1M ingest, which with four threads took
/// 1,086–1,099 MB, over the 1 GB an ingest is held to (docs/performance.md, session 20).
/// Files are still read and extracted on every core; only their tagging waits for one of
/// these threads. More would not make an ingest faster: it indexes on one thread, which
/// costs more than tagging on two (a 100k ingest's profile: tantivy's indexing thread 24% of
/// the CPU, tagging 37%).
pub const MAX_TAGGING_THREADS: usize = 2;

/// Tags every paragraph of `doc` ([`undex_tag::tag_document`]) so that at most
/// [`MAX_TAGGING_THREADS`] threads tag at once: on the calling thread when rayon's pool
/// (which an ingest reads files on; `RAYON_NUM_THREADS`, else the cores) has no more threads
/// than that, else on a pool of that many threads while the calling thread waits (a worker of
/// rayon's pool helps its own pool meanwhile), so that the tagger's memory does not grow with
/// the cores.
pub fn tag_document(doc: &mut undex_core::Document) {
    static POOL: std::sync::OnceLock<Option<rayon::ThreadPool>> = std::sync::OnceLock::new();
    let pool = POOL.get_or_init(|| tagging_pool(rayon::current_num_threads()));
    tag_on(pool.as_ref(), doc);
}

/// The tagging pool for `reading` reading threads: `None` when they are no more than
/// [`MAX_TAGGING_THREADS`] (they tag themselves) or the threads cannot be started.
fn tagging_pool(reading: usize) -> Option<rayon::ThreadPool> {
    if reading <= MAX_TAGGING_THREADS {
        return None;
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(MAX_TAGGING_THREADS)
        .thread_name(|i| format!("undex-tag-{i}"))
        .build()
        .inspect_err(|e| tracing::warn!("no tagging threads: {e}"))
        .ok()
}

/// [`undex_tag::tag_document`] on `pool`, or on the calling thread without one.
fn tag_on(pool: Option<&rayon::ThreadPool>, doc: &mut undex_core::Document) {
    match pool {
        Some(pool) => pool.install(|| undex_tag::tag_document(doc)),
        None => undex_tag::tag_document(doc),
    }
}

/// An open index folder and the operations that write it.
#[derive(Debug)]
pub struct Library {
    index: UndexIndex,
    dir: PathBuf,
}

impl Library {
    /// Opens (or creates) the index in `dir` for writing. The writer lock is taken by the
    /// first ingest or reindex, not here.
    ///
    /// # Errors
    /// [`LibraryError::Index`] when the folder cannot be opened or holds another schema.
    pub fn open(dir: &Path) -> Result<Self, LibraryError> {
        Ok(Self {
            index: UndexIndex::open_or_create(dir)?,
            dir: dir.to_path_buf(),
        })
    }

    /// The index, for searches.
    #[must_use]
    pub fn index(&self) -> &UndexIndex {
        &self.index
    }

    /// Reads, extracts and tags the files under `opts.paths`, writes their JSONL and replaces
    /// them in the index, streaming (see the crate docs). `on_event` is called from the
    /// writer thread as files are done and commits made.
    ///
    /// # Errors
    /// Only what stops the whole batch: the index cannot be locked ([`IndexError::Locked`]
    /// when another ingest holds it), committed or written; the extracted folder cannot be
    /// written. Per-file failures are in the summary.
    pub fn ingest(
        &self,
        opts: &IngestOptions,
        on_event: &(dyn Fn(Event<'_>) + Sync),
    ) -> Result<IngestSummary, LibraryError> {
        let started = Instant::now();
        let mut summary = IngestSummary::default();
        // The lock first: nothing below may run beside another ingest.
        let mut batch = self.index.begin()?;
        std::fs::create_dir_all(&opts.extracted_dir).map_err(|source| LibraryError::Write {
            path: opts.extracted_dir.clone(),
            source,
        })?;
        summary.removed_temporaries = files::remove_leftover_temporaries(&opts.extracted_dir)
            + files::remove_leftover_temporaries(&self.dir);
        let journal = Journal {
            paths: opts.paths.clone(),
            extracted_dir: opts.extracted_dir.clone(),
        };
        let journal_path = self.dir.join(JOURNAL_FILE);
        let resume = std::fs::read(&journal_path)
            .ok()
            .and_then(|b| serde_json::from_slice::<Journal>(&b).ok())
            .is_some_and(|j| j == journal);
        if resume {
            tracing::info!("an interrupted ingest of the same paths: resuming");
        }
        // Into an empty index (or resuming one that was), the writer merges in the
        // background only what fills a segment; the bulk merge at the end does the rest.
        if resume || self.index.stats()?.paragraphs == 0 {
            batch.bulk_load()?;
        }
        let bytes = serde_json::to_vec(&journal).unwrap_or_default();
        undex_core::fsutil::write_atomic(&journal_path, &bytes).map_err(|source| {
            LibraryError::Write {
                path: journal_path.clone(),
                source,
            }
        })?;

        let list = collect_files(&opts.paths);
        summary.failures.extend(list.failures);
        summary.skipped.extend(list.skipped);
        on_event(Event::Planned {
            files: list.files.len(),
        });
        tracing::info!(files = list.files.len(), resume, "ingest started");

        let index = &self.index;
        let read_one = |path: &PathBuf| -> Read {
            Read {
                path: path.clone(),
                outcome: read_file(path, &opts.extract, resume.then_some(index)),
            }
        };
        let chunk = opts.chunk_documents.max(1);
        let mut sources: BTreeMap<String, String> = BTreeMap::new();
        // One row of each document written, for the carrying of English tags at the end.
        let mut touched: Vec<ParagraphRow> = Vec::new();
        // The English documents written last (at most ENGLISH_CACHE), so that a language
        // version read after its English one is tagged before it is written (no rewrite).
        let mut english: std::collections::VecDeque<Vec<ParagraphRow>> =
            std::collections::VecDeque::new();
        let result: Result<(), LibraryError> =
            stream_chunks(&list.files, chunk, read_one, |mut read| {
                if let Ok(doc) = &mut read.outcome
                    && let Some(first) = doc.rows.first()
                    && first.symbol.is_some()
                {
                    touched.push(first.clone());
                    if first.language != Language::En
                        && let Some(en) = english
                            .iter()
                            .rev()
                            .find(|en| undex_core::align::same_document(&en[0], first))
                        && undex_core::align::carry_english_tags(en, &mut doc.rows) > 0
                    {
                        doc.jsonl = encode_jsonl(&doc.rows).map_err(|e| LibraryError::Write {
                            path: opts.extracted_dir.join(format!("{}.jsonl", doc.id)),
                            source: std::io::Error::other(e),
                        })?;
                        summary.carried_documents += 1;
                    }
                }
                let written =
                    self.write_one(read, opts, &mut batch, &mut summary, &mut sources, on_event)?;
                if let Some(rows) = written {
                    if english.len() >= ENGLISH_CACHE {
                        english.pop_front();
                    }
                    english.push_back(rows);
                }
                Ok(())
            });
        result?;
        if batch.pending() > 0 {
            batch.commit()?;
            summary.commits += 1;
        }
        self.carry_english_tags(&touched, opts, &mut batch, &mut summary)?;
        if batch.pending() > 0 || summary.commits == 0 {
            batch.commit()?;
            summary.commits += 1;
            on_event(Event::Committed {
                documents: summary.documents,
                paragraphs: summary.paragraphs,
            });
        }
        // A bulk load (this run wrote at least half of the index) ends in as few segments as
        // `undex_index::MAX_SEGMENT_ROWS` allows (one up to 524,288 rows), as a Lucene
        // force-merge with a capped segment size; a small update leaves merging to the
        // writer's merge policy.
        let indexed = self.index.stats()?.paragraphs;
        if summary.paragraphs > 0 && (summary.paragraphs as u64) * 2 >= indexed {
            batch.merge_segments()?;
        }
        drop(batch);
        if let Err(e) = std::fs::remove_file(&journal_path) {
            tracing::warn!(path = %journal_path.display(), "cannot remove the ingest journal: {e}");
        }
        summary.elapsed = started.elapsed();
        Ok(summary)
    }

    /// Tags in every language (issue #12), for what the stream could not do (a version
    /// written before its English one, or whose English one was ingested earlier): for each
    /// document of `touched` (one row of each document this batch wrote), finds its language versions in the (committed) index and,
    /// when one is in English, gives each other version's units the tags of the English units
    /// aligned to them ([`undex_core::align::carry_english_tags`]); a version that changes is
    /// written again, JSONL and index rows. So the order of ingest does not matter: a French
    /// version ingested after its English one is tagged from it, and an English version
    /// ingested after its French one re-tags the French one already indexed. `undex reindex`
    /// reads the JSONL, which holds the carried tags, and keeps them.
    fn carry_english_tags(
        &self,
        touched: &[ParagraphRow],
        opts: &IngestOptions,
        batch: &mut undex_index::IndexBatch<'_>,
        summary: &mut IngestSummary,
    ) -> Result<(), LibraryError> {
        let mut done: BTreeSet<String> = BTreeSet::new();
        for first in touched {
            // Most documents have no other language version: a count rules them out without
            // reading their rows back.
            if done.contains(&first.doc_id) || !self.index.has_other_language(first)? {
                continue;
            }
            let versions = self.index.language_versions(first)?;
            done.extend(versions.iter().map(|(_, rows)| rows[0].doc_id.clone()));
            let Some((_, english)) = versions.iter().find(|(l, _)| *l == Language::En) else {
                continue;
            };
            for (language, rows) in &versions {
                if *language == Language::En {
                    continue;
                }
                let mut carried = rows.clone();
                undex_core::align::carry_english_tags(english, &mut carried);
                if carried == *rows {
                    continue;
                }
                let doc_id = carried[0].doc_id.clone();
                let jsonl = encode_jsonl(&carried).map_err(|e| LibraryError::Write {
                    path: opts.extracted_dir.join(format!("{doc_id}.jsonl")),
                    source: std::io::Error::other(e),
                })?;
                let path = opts.extracted_dir.join(format!("{doc_id}.jsonl"));
                undex_core::fsutil::write_atomic(&path, &jsonl)
                    .map_err(|source| LibraryError::Write { path, source })?;
                batch.replace(&carried)?;
                summary.carried_documents += 1;
                tracing::info!(doc = %doc_id, "tags carried from the English version");
            }
        }
        Ok(())
    }

    /// The writer's part for one document: JSONL, index rows, commit when due. Gives back
    /// the rows it wrote of an English document with a symbol, so that the caller can keep
    /// them without a copy for the tags of the other language versions; the index takes any
    /// other document's rows ([`undex_index::IndexBatch::replace_taking`]). `None` for those,
    /// a failure or a file already indexed.
    fn write_one(
        &self,
        read: Read,
        opts: &IngestOptions,
        batch: &mut undex_index::IndexBatch<'_>,
        summary: &mut IngestSummary,
        sources: &mut BTreeMap<String, String>,
        on_event: &(dyn Fn(Event<'_>) + Sync),
    ) -> Result<Option<Vec<ParagraphRow>>, LibraryError> {
        let doc = match read.outcome {
            Ok(doc) => doc,
            Err(failure) => {
                tracing::warn!(path = %failure.path.display(), code = %failure.code, "{}", failure.message);
                summary.failures.push(failure);
                on_event(Event::Done {
                    path: &read.path,
                    paragraphs: 0,
                });
                return Ok(None);
            }
        };
        if doc.already_indexed {
            summary.resumed += 1;
            on_event(Event::Done {
                path: &read.path,
                paragraphs: 0,
            });
            return Ok(None);
        }
        for w in &doc.warnings {
            summary.warnings.push(format!("{}: {w}", doc.source_file));
        }
        if let Some(previous) = sources.insert(doc.id.clone(), doc.source_file.clone()) {
            summary.warnings.push(format!(
                "{} and {previous} are the same document ({}): the later file replaces the earlier",
                doc.source_file, doc.id
            ));
        }
        let path = opts.extracted_dir.join(format!("{}.jsonl", doc.id));
        undex_core::fsutil::write_atomic(&path, &doc.jsonl)
            .map_err(|source| LibraryError::Write { path, source })?;
        let keep = doc
            .rows
            .first()
            .is_some_and(|first| first.symbol.is_some() && first.language == Language::En);
        // Rows nothing keeps are given to the index, which stores them without a copy.
        let rows = if keep {
            Rows::Kept(doc.rows)
        } else {
            Rows::Given(doc.rows)
        };
        index_document(
            batch,
            rows,
            doc.pages,
            &read.path,
            opts.commit_rows,
            summary,
            on_event,
        )
    }

    /// Rebuilds the index in `index_dir` from the JSONL files of `extracted_dir` (one per
    /// document, as `ingest` writes them), without extracting or tagging again. The new index
    /// is built in a folder beside `index_dir` (`.<name>.reindex`), then the folders are
    /// switched by two renames; a reindex killed before the switch leaves the old index in
    /// place. A JSONL file that does not parse is a [`Failure`] of that file; hidden files and
    /// [`FAILURES_FILE`] are not documents and are passed over.
    ///
    /// # Errors
    /// [`IndexError::Locked`] when an ingest holds the index; [`LibraryError::Read`] when
    /// `extracted_dir` cannot be listed; [`LibraryError::Write`] when the folders cannot be
    /// switched; index errors.
    pub fn reindex(
        index_dir: &Path,
        extracted_dir: &Path,
        commit_rows: usize,
        on_event: &(dyn Fn(Event<'_>) + Sync),
    ) -> Result<IngestSummary, LibraryError> {
        let started = Instant::now();
        let mut summary = IngestSummary::default();
        let name = index_dir
            .file_name()
            .map_or_else(|| "index".into(), |n| n.to_string_lossy().into_owned());
        let parent = match index_dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let aside = parent.join(format!(".{name}.reindex"));
        let old = parent.join(format!(".{name}.old"));
        // A reindex killed between the two renames left the index as `.old`.
        if !index_dir.exists() && old.exists() {
            rename(&old, index_dir)?;
        }
        // Hold the live index's writer lock while rebuilding: no ingest may write meanwhile.
        // An index of another version (another schema) cannot be opened to lock it; it is
        // the very thing a reindex replaces.
        let live = if index_dir.exists() {
            match UndexIndex::open_or_create(index_dir) {
                Ok(index) => Some(index),
                Err(undex_index::IndexError::Outdated { path, field }) => {
                    tracing::warn!(path = %path.display(), field, "rebuilding an index of another version");
                    None
                }
                Err(e) => return Err(e.into()),
            }
        } else {
            None
        };
        let live_batch = live.as_ref().map(UndexIndex::begin).transpose()?;
        if aside.exists() {
            std::fs::remove_dir_all(&aside).map_err(|source| LibraryError::Write {
                path: aside.clone(),
                source,
            })?;
        }
        let mut jsonl: Vec<PathBuf> = std::fs::read_dir(extracted_dir)
            .map_err(|source| LibraryError::Read {
                path: extracted_dir.to_path_buf(),
                source,
            })?
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.extension().is_some_and(|x| x == "jsonl")
                    && !p
                        .file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.') || n == FAILURES_FILE)
            })
            .collect();
        jsonl.sort();
        on_event(Event::Planned { files: jsonl.len() });
        let fresh = UndexIndex::open_or_create(&aside)?;
        {
            // Reading JSON lines leaves the other cores free: index on them too.
            let cores = std::thread::available_parallelism().map_or(1, usize::from);
            let mut batch = fresh.begin_with_threads(cores)?;
            batch.bulk_load()?;
            let read_one = |path: &PathBuf| Read {
                path: path.clone(),
                outcome: read_jsonl(path),
            };
            stream_chunks(&jsonl, DEFAULT_CHUNK_DOCUMENTS, read_one, |read| {
                match read.outcome {
                    Ok(doc) => {
                        index_document(
                            &mut batch,
                            Rows::Given(doc.rows),
                            doc.pages,
                            &read.path,
                            commit_rows,
                            &mut summary,
                            on_event,
                        )?;
                    }
                    Err(failure) => {
                        summary.failures.push(failure);
                        on_event(Event::Done {
                            path: &read.path,
                            paragraphs: 0,
                        });
                    }
                }
                Ok::<(), LibraryError>(())
            })?;
            batch.commit()?;
            summary.commits += 1;
            // A rebuilt index is merged on every core (nothing else is held in memory
            // meanwhile): as few segments as `IndexBatch::merge_segments` allows, but for a
            // large last merge, shared out over the cores (one segment more a core).
            batch.merge_segments_in_parallel(cores)?;
        }
        drop(fresh);
        drop(live_batch);
        drop(live);
        if index_dir.exists() {
            rename(index_dir, &old)?;
        }
        rename(&aside, index_dir)?;
        if old.exists()
            && let Err(e) = std::fs::remove_dir_all(&old)
        {
            tracing::warn!(path = %old.display(), "cannot remove the previous index: {e}");
        }
        summary.elapsed = started.elapsed();
        Ok(summary)
    }
}

/// The rows of one document to index: kept after indexing (an ingest keeps an English
/// document's rows for the tags of its other language versions: the index stores them from
/// a copy), or given to the index, which stores them without one
/// ([`undex_index::IndexBatch::replace_taking`]).
enum Rows {
    Kept(Vec<ParagraphRow>),
    Given(Vec<ParagraphRow>),
}

/// Indexes the rows of one document read from `path` (the same for an ingest and a reindex):
/// replaces them in `batch`, counts the document, its units and pages in `summary`, reports
/// [`Event::Done`], and commits (reported as [`Event::Committed`]) once `commit_rows` rows
/// (at least 1) wait. Gives back [`Rows::Kept`] rows.
fn index_document(
    batch: &mut undex_index::IndexBatch<'_>,
    rows: Rows,
    pages: u32,
    path: &Path,
    commit_rows: usize,
    summary: &mut IngestSummary,
    on_event: &(dyn Fn(Event<'_>) + Sync),
) -> Result<Option<Vec<ParagraphRow>>, LibraryError> {
    let (n, kept) = match rows {
        Rows::Kept(rows) => (batch.replace(&rows)?, Some(rows)),
        Rows::Given(rows) => (batch.replace_taking(rows)?, None),
    };
    summary.documents += 1;
    summary.paragraphs += n;
    summary.pages += u64::from(pages);
    on_event(Event::Done {
        path,
        paragraphs: n,
    });
    if batch.pending() >= commit_rows.max(1) {
        batch.commit()?;
        summary.commits += 1;
        on_event(Event::Committed {
            documents: summary.documents,
            paragraphs: summary.paragraphs,
        });
    }
    Ok(kept)
}

fn rename(from: &Path, to: &Path) -> Result<(), LibraryError> {
    std::fs::rename(from, to).map_err(|source| LibraryError::Write {
        path: to.to_path_buf(),
        source,
    })
}

/// Runs `read` over `items` in parallel, `chunk` at a time, and hands the results to `write`
/// in the order of `items`, on the calling thread, while the next chunk is read: at most
/// three chunks exist at once (one being read, one waiting in the channel, one being
/// written). Stops at the first error of `write`.
fn stream_chunks<T, R, E>(
    items: &[T],
    chunk: usize,
    read: impl Fn(&T) -> R + Sync,
    mut write: impl FnMut(R) -> Result<(), E>,
) -> Result<(), E>
where
    T: Sync,
    R: Send,
{
    let (tx, rx) = crossbeam_channel::bounded::<Vec<R>>(1);
    std::thread::scope(|scope| {
        let read = &read;
        scope.spawn(move || {
            for part in items.chunks(chunk) {
                let results: Vec<R> = part.par_iter().map(read).collect();
                if tx.send(results).is_err() {
                    // The writer stopped on an error: read no further.
                    return;
                }
            }
        });
        for results in rx {
            for r in results {
                write(r)?;
            }
        }
        Ok(())
    })
}

/// Reads, extracts and tags one file. With `resume_from`, a file whose bytes are already
/// indexed (same SHA-256) is not extracted again.
fn read_file(
    path: &Path,
    opts: &ExtractOptions,
    resume_from: Option<&UndexIndex>,
) -> Result<ReadDocument, Failure> {
    let len = std::fs::metadata(path)
        .map_err(|e| Failure::new(path, "io", format!("cannot read file: {e}")))?
        .len();
    if len > MAX_FILE_BYTES {
        return Err(Failure::new(
            path,
            "too_large",
            format!("the file is {len} bytes; the limit is {MAX_FILE_BYTES} bytes"),
        ));
    }
    let bytes = std::fs::read(path)
        .map_err(|e| Failure::new(path, "io", format!("cannot read file: {e}")))?;
    if let Some(index) = resume_from {
        let sha = undex_extract::sha256_hex(&bytes);
        if index.has_sha256(&sha).unwrap_or(false) {
            return Ok(ReadDocument {
                id: String::new(),
                source_file: path.to_string_lossy().into_owned(),
                pages: 0,
                warnings: Vec::new(),
                rows: Vec::new(),
                jsonl: Vec::new(),
                already_indexed: true,
            });
        }
    }
    let doc = extract_bytes(&bytes, path, opts)?;
    drop(bytes);
    Ok(ReadDocument {
        id: doc.id,
        source_file: doc.source_file,
        pages: doc.pages,
        warnings: doc.warnings,
        rows: doc.rows,
        jsonl: doc.jsonl,
        already_indexed: false,
    })
}

/// One document extracted and tagged from its bytes: what an ingest writes to
/// `<extracted>/<id>.jsonl` and indexes (see [`extract_bytes`]).
#[derive(Debug, Clone)]
pub struct ExtractedDocument {
    /// Document id (`A_79_875.en`): the JSONL file's name without `.jsonl`.
    pub id: String,
    /// The file as given (`path` of [`extract_bytes`], lossily as UTF-8); every row's
    /// `source_file`.
    pub source_file: String,
    /// Pages read (0 for a text file).
    pub pages: u32,
    /// Warnings of the extraction (a document that was read, with something to say).
    pub warnings: Vec<String>,
    /// The rows, in reading order, tagged (in the document's own language: the tags carried
    /// from an English version are added later, by the ingest that sees both).
    pub rows: Vec<ParagraphRow>,
    /// The rows as JSON lines, one `\n`-terminated line per row: the bytes of the JSONL file.
    pub jsonl: Vec<u8>,
}

/// Extracts and tags one document from its `bytes` exactly as an ingest does for a file
/// read from `path` (which is only recorded, as `source_file`, and named in a failure): the
/// same size limit ([`MAX_FILE_BYTES`], "too_large"), extraction and its failure codes
/// ([`undex_extract::ExtractError::code`]), tagging, "no_paragraphs" for a document without
/// a unit, and the same JSON lines. For callers that hold bytes rather than a file (the
/// Python binding, `crates/python`).
///
/// # Errors
/// A [`Failure`] of `path` with its code and message, as the ingest summary lists it.
pub fn extract_bytes(
    bytes: &[u8],
    path: &Path,
    opts: &ExtractOptions,
) -> Result<ExtractedDocument, Failure> {
    let len = bytes.len() as u64;
    if len > MAX_FILE_BYTES {
        return Err(Failure::new(
            path,
            "too_large",
            format!("the file is {len} bytes; the limit is {MAX_FILE_BYTES} bytes"),
        ));
    }
    let mut doc = undex_extract::extract(bytes, &path.to_string_lossy(), opts)
        .map_err(|e| Failure::new(path, e.code(), e.to_string()))?;
    tag_document(&mut doc);
    let rows = doc.rows();
    if rows.is_empty() {
        return Err(Failure::new(path, "no_paragraphs", "no text units found"));
    }
    let mut jsonl = Vec::with_capacity(rows.iter().map(|r| r.text.len() * 2).sum());
    for row in &rows {
        serde_json::to_writer(&mut jsonl, row)
            .map_err(|e| Failure::new(path, "internal", format!("cannot encode a row: {e}")))?;
        jsonl.push(b'\n');
    }
    Ok(ExtractedDocument {
        id: doc.meta.id,
        source_file: doc.meta.source_file,
        pages: doc.meta.pages,
        warnings: doc.warnings,
        rows,
        jsonl,
    })
}

/// Rows as JSON lines, as `corpus/extracted/*.jsonl` holds them.
fn encode_jsonl(rows: &[ParagraphRow]) -> Result<Vec<u8>, serde_json::Error> {
    let mut jsonl = Vec::with_capacity(rows.iter().map(|r| r.text.len() * 2).sum());
    for row in rows {
        serde_json::to_writer(&mut jsonl, row)?;
        jsonl.push(b'\n');
    }
    Ok(jsonl)
}

/// Reads one extracted JSONL file back into rows.
fn read_jsonl(path: &Path) -> Result<ReadDocument, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::new(path, "io", format!("cannot read file: {e}")))?;
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let row: ParagraphRow = serde_json::from_str(line).map_err(|e| {
            Failure::new(
                path,
                "bad_jsonl",
                format!("line {}: not a paragraph row: {e}", i + 1),
            )
        })?;
        rows.push(row);
    }
    let pages = rows.iter().map(|r| r.page).max().unwrap_or(0);
    Ok(ReadDocument {
        id: rows.first().map(|r| r.doc_id.clone()).unwrap_or_default(),
        source_file: rows
            .first()
            .map(|r| r.source_file.clone())
            .unwrap_or_default(),
        pages,
        warnings: Vec::new(),
        rows,
        jsonl: Vec::new(),
        already_indexed: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Eight reading threads hand the two R2P reports of the seeds to a pool of
    /// `MAX_TAGGING_THREADS` tagging threads, several times over: every row comes back with
    /// the tags that tagging on the reading thread gives. No pool is built for as few reading
    /// threads as tagging ones.
    #[test]
    fn tagging_on_the_pool_gives_the_same_tags() {
        assert!(tagging_pool(1).is_none());
        assert!(tagging_pool(MAX_TAGGING_THREADS).is_none());
        let pool = tagging_pool(8).expect("the tagging threads start");
        assert_eq!(pool.current_num_threads(), MAX_TAGGING_THREADS);
        let docs: Vec<undex_core::Document> = [
            "seeds/sg-r2p-report-2025-A-79-875.txt",
            "seeds/sg-r2p-report-2026.txt",
        ]
        .into_iter()
        .map(undex_testkit::untagged_document)
        .collect();
        let direct: Vec<Vec<ParagraphRow>> = docs
            .iter()
            .map(|d| {
                let mut d = d.clone();
                tag_on(None, &mut d);
                d.rows()
            })
            .collect();
        let tagged = direct
            .iter()
            .flatten()
            .filter(|r| !r.pillars.is_empty())
            .count();
        assert!(tagged > 20, "{tagged} rows with a pillar");
        let readers = rayon::ThreadPoolBuilder::new()
            .num_threads(8)
            .build()
            .expect("the reading threads start");
        let copies: Vec<undex_core::Document> = (0..4).flat_map(|_| docs.clone()).collect();
        let pooled: Vec<Vec<ParagraphRow>> = readers.install(|| {
            copies
                .into_par_iter()
                .map(|mut d| {
                    tag_on(Some(&pool), &mut d);
                    d.rows()
                })
                .collect()
        });
        for (i, rows) in pooled.iter().enumerate() {
            assert_eq!(rows, &direct[i % direct.len()], "document {i}");
        }
    }
}

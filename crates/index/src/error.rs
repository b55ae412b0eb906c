//! The one error type of undex-index.

use std::path::PathBuf;

/// Everything that can go wrong opening, writing or searching the index.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// The query string does not parse (unbalanced parentheses or quotes, unknown field,
    /// a value of the wrong type such as `year:abc`). The web layer answers 400.
    #[error("invalid query: {message}")]
    InvalidQuery {
        /// What the parser objected to, for the user.
        message: String,
    },
    /// `offset + limit` of a search is past [`crate::limits::MAX_RESULT_WINDOW`]. The web
    /// layer answers 400.
    #[error(
        "results {requested} and beyond cannot be paged to: the limit is {max} (narrow the query or use a facet)"
    )]
    ResultWindow {
        /// The end of the window asked for (`offset + limit`).
        requested: usize,
        /// The limit.
        max: usize,
    },
    /// The index was opened with [`crate::UndexIndex::open_read_only`] and a write was asked.
    #[error("the index is open read-only")]
    ReadOnly,
    /// The index directory cannot be created or opened.
    #[error("cannot open index directory {path}: {source}")]
    Open {
        /// The directory.
        path: PathBuf,
        /// Why: the I/O, directory or tantivy error, kept whole (`std::error::Error::source`
        /// reaches it).
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The directory holds an undex index built by another version, with another schema
    /// (field `field` differs): `undex reindex` rebuilds it from the extracted rows.
    #[error(
        "{path} holds an undex index of another version (field {field}): rebuild it with `undex reindex`"
    )]
    Outdated {
        /// The directory.
        path: PathBuf,
        /// The first field that differs.
        field: String,
    },
    /// An error from tantivy (I/O, corrupt segment, lock held by another writer…).
    #[error("tantivy: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// A stored row is not valid JSON for `ParagraphRow` (index written by an incompatible version).
    #[error("stored row is not a valid paragraph row: {0}")]
    Row(#[from] serde_json::Error),
    /// A stored row cannot be compressed or read back (see `rowzip`): its bytes are not a
    /// zstd frame of at most 64 MiB, they name a row dictionary the index folder does not hold
    /// (`rows.zdict`), or the dictionary file cannot be read or saved.
    #[error("stored row: {message}")]
    StoredRow {
        /// What failed, with the file or the size concerned.
        message: String,
    },
    /// Another process holds the index's writer lock: another `undex ingest` (or reindex) is
    /// writing this index.
    #[error(
        "another ingest is writing the index at {path} (its writer lock is held): wait for it to finish, or use another --index"
    )]
    Locked {
        /// The index folder.
        path: PathBuf,
    },
    /// The writer lock was poisoned by a panic in another thread.
    #[error("index writer lock poisoned")]
    Poisoned,
}

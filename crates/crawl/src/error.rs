//! The crate's one error type.

use std::path::PathBuf;

/// Errors that stop a crawl (or the loading of its sources) as a whole.
///
/// Failures of single documents are not errors: they are recorded as manifest lines with an
/// [`crate::Outcome`] and counted in the [`crate::CrawlReport`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CrawlError {
    /// The sources file could not be read.
    #[error("cannot read sources file {path}: {source}")]
    ReadSources {
        /// The file that was read.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// The sources file is not valid TOML of the expected shape.
    #[error("invalid sources file {path}: {message}")]
    ParseSources {
        /// The file that was parsed.
        path: PathBuf,
        /// What the TOML parser said.
        message: String,
    },
    /// A value in the sources or the options is unusable (bad URL, unknown language, ...).
    #[error("invalid configuration: {0}")]
    Config(String),
    /// The output directory or the manifest could not be written.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file or directory concerned.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// The HTTP client could not be built (TLS backend, proxy settings).
    #[error("cannot build the http client: {0}")]
    Client(String),
    /// `--strict` was asked for and some documents failed or were blocked.
    #[error("crawl incomplete: {failed} failures ({attempted} documents attempted)")]
    Incomplete {
        /// Attempts (documents and listings) that ended in a failure
        /// ([`crate::Outcome::is_failure`]).
        failed: usize,
        /// Documents attempted.
        attempted: usize,
    },
}

impl CrawlError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        CrawlError::Io {
            path: path.into(),
            source,
        }
    }
}

//! The crate's one error type.
//!
//! A crawl error reaches the user through the CLI's error chain (`{err:#}`: each error, then
//! each of its sources), so a variant that keeps its source does not repeat the source's words
//! in its own message: they would print twice.

use std::path::PathBuf;

/// Errors that stop a crawl (or the loading of its sources) as a whole.
///
/// Failures of single documents are not errors: they are recorded as manifest lines with an
/// [`crate::Outcome`] and counted in the [`crate::CrawlReport`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CrawlError {
    /// The sources file could not be read.
    #[error("cannot read sources file {path}")]
    ReadSources {
        /// The file that was read.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// The sources file is not valid TOML of the expected shape.
    #[error("invalid sources file {path}")]
    ParseSources {
        /// The file that was parsed.
        path: PathBuf,
        /// What the TOML parser said, kept whole.
        source: Box<toml::de::Error>,
    },
    /// A value in the sources or the options is unusable (bad URL, unknown language, ...).
    #[error("invalid configuration: {0}")]
    Config(String),
    /// The base URL of a source is not a URL.
    #[error("invalid configuration: {name}")]
    BaseUrl {
        /// The source's name.
        name: String,
        /// Why its base URL does not parse.
        source: url::ParseError,
    },
    /// A manifest record could not be serialised (it always can: every member is plain data).
    #[error("invalid configuration: cannot serialise manifest record")]
    Record(#[source] serde_json::Error),
    /// The output directory or the manifest could not be written.
    #[error("cannot write {path}")]
    Io {
        /// The file or directory concerned.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// The HTTP client could not be built (TLS backend, proxy settings).
    #[error("cannot build the http client")]
    Client(#[source] reqwest::Error),
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

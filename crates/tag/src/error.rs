//! The error type of undex-tag.
//!
//! These errors reach the user through the CLI's error chain (`{err:#}`: each error, then each
//! of its sources) or a panic's debug form, so a variant that keeps its source does not repeat
//! the source's words in its own message: they would print twice.

/// Errors from loading tag data or gold labels.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TagError {
    /// An embedded data file under `crates/tag/data/` is not valid TOML of the expected shape.
    #[error("tag data {file}")]
    Toml {
        /// The data file.
        file: &'static str,
        /// What the TOML parser said, kept whole.
        source: toml::de::Error,
    },
    /// An embedded data file under `crates/tag/data/` holds a value the tagger cannot use (a
    /// country code that is not ISO 3166-1 alpha-3, a weight outside 0..=1).
    #[error("tag data {file}: {message}")]
    Data {
        /// The data file.
        file: &'static str,
        /// What is wrong.
        message: String,
    },
    /// A pattern in a data file is not a valid regular expression.
    #[error("tag data {file}: pattern {id}")]
    Pattern {
        /// The data file.
        file: &'static str,
        /// The entry id.
        id: String,
        /// The regex error, kept whole.
        source: regex::Error,
    },
    /// A gold label line is not valid JSON of the gold-2026.jsonl shape.
    #[error("gold labels line {line}")]
    Gold {
        /// 1-based line number.
        line: usize,
        /// The JSON error, kept whole.
        source: serde_json::Error,
    },
}

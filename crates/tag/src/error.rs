//! The error type of undex-tag.

/// Errors from loading tag data or gold labels.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TagError {
    /// An embedded data file under `crates/tag/data/` is not valid TOML of the expected shape.
    #[error("tag data {file}: {message}")]
    Data {
        /// The data file.
        file: &'static str,
        /// What is wrong.
        message: String,
    },
    /// A pattern in a data file is not a valid regular expression.
    #[error("tag data {file}: pattern {id}: {message}")]
    Pattern {
        /// The data file.
        file: &'static str,
        /// The entry id.
        id: String,
        /// The regex error.
        message: String,
    },
    /// A gold label line is not valid JSON of the gold-2026.jsonl shape.
    #[error("gold labels line {line}: {message}")]
    Gold {
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

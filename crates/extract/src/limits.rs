//! What one document may cost the extractor: sizes, depth, label length and time, each with a
//! safe default. A document over a limit fails alone with [`ExtractError::LimitExceeded`],
//! which names the limit (its field name here) and what was found; a batch goes on with the
//! next file.
//!
//! The time limit is cooperative: a [`Deadline`] started when [`crate::extract`] is called is
//! checked before each PDF page is decoded, laid out or OCR'd, every 1,024 XML events of
//! `word/document.xml`, every 1,024 lines of a text file and every 1,024 blocks of the
//! segmenter. A single step between two checks (one PDF page in the decoder, one `tesseract`
//! run, the metadata and language of the document) is not interrupted, so a document can
//! overrun the limit by that much.

use std::time::{Duration, Instant};

use crate::error::ExtractError;

/// Limits on one document; see the module documentation for how each is enforced.
///
/// The defaults sit well above the largest UN documents: a 1,000-page report is a PDF of
/// about 30 MB with about 5 MB of text; the DOCX of such a report has a `word/document.xml`
/// of some 20–50 MB nested about 20 elements deep (tables in tables included); list labels
/// print as "(viii)" or "1.2.3." and read in well under a second per megabyte of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest PDF file read, in bytes. Default 512 MiB.
    pub max_pdf_bytes: u64,
    /// Largest decompressed size of one part of a DOCX package (`word/document.xml`,
    /// `word/footnotes.xml`, `word/numbering.xml`), in bytes: parts are read through
    /// [`std::io::Read::take`], so a decompression bomb stops at this size. Default 256 MiB.
    pub max_part_bytes: u64,
    /// Deepest nesting of XML elements in a DOCX part. Default 256.
    pub max_xml_depth: usize,
    /// Longest list label a DOCX numbering definition may produce ("a.", "(iv)"), in
    /// characters: a letter counter started at 4,294,967,000 would print hundreds of millions
    /// of letters per label. Default 64.
    pub max_list_label_chars: usize,
    /// Most text per document, in bytes of UTF-8: the size of a text file, the text read from
    /// a PDF, or the text a DOCX expands to (footnote texts repeated at each reference
    /// included). Default 64 MiB.
    pub max_text_bytes: u64,
    /// Longest extraction of one document, checked cooperatively (see the module
    /// documentation). Default 120 s.
    pub max_time: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_pdf_bytes: 512 << 20,
            max_part_bytes: 256 << 20,
            max_xml_depth: 256,
            max_list_label_chars: 64,
            max_text_bytes: 64 << 20,
            max_time: Duration::from_secs(120),
        }
    }
}

impl Limits {
    /// Fails with [`ExtractError::LimitExceeded`] when `found` is above `max` (counted in
    /// `unit`: "bytes", "levels", "characters").
    ///
    /// # Errors
    /// [`ExtractError::LimitExceeded`] naming `limit` and `what` was found.
    pub(crate) fn check(
        limit: &'static str,
        found: u64,
        max: u64,
        unit: &str,
        what: impl FnOnce() -> String,
    ) -> Result<(), ExtractError> {
        if found > max {
            return Err(ExtractError::LimitExceeded {
                limit,
                max: format!("{max} {unit}"),
                found: what(),
            });
        }
        Ok(())
    }
}

/// When the extraction of one document must stop: [`Limits::max_time`] after its start.
#[derive(Debug, Clone, Copy)]
pub struct Deadline {
    start: Instant,
    max: Option<Duration>,
}

impl Deadline {
    /// A deadline `max` from now.
    #[must_use]
    pub fn after(max: Duration) -> Deadline {
        Deadline {
            start: Instant::now(),
            max: Some(max),
        }
    }

    /// No deadline: [`Deadline::check`] always passes.
    #[must_use]
    pub fn none() -> Deadline {
        Deadline {
            start: Instant::now(),
            max: None,
        }
    }

    /// Fails when the time is up; `stage` says where the extraction stood ("segmenting",
    /// "decoding page 12").
    ///
    /// # Errors
    /// [`ExtractError::LimitExceeded`] for `max_time`, with the time spent.
    pub fn check(&self, stage: impl FnOnce() -> String) -> Result<(), ExtractError> {
        let Some(max) = self.max else { return Ok(()) };
        let spent = self.start.elapsed();
        if spent >= max {
            return Err(ExtractError::LimitExceeded {
                limit: "max_time",
                max: format!("{} s", max.as_secs_f64()),
                found: format!("still {} after {:.1} s", stage(), spent.as_secs_f64()),
            });
        }
        Ok(())
    }

    /// Checks every 1,024th call (`count` is the caller's loop counter): reading the clock
    /// at every XML event or block would cost more than the work it guards.
    ///
    /// # Errors
    /// As [`Deadline::check`].
    pub fn check_every(
        &self,
        count: usize,
        stage: impl FnOnce() -> String,
    ) -> Result<(), ExtractError> {
        if count.is_multiple_of(1024) {
            self.check(stage)
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spent_deadline_names_the_time_limit() {
        let err = Deadline::after(Duration::ZERO)
            .check(|| "segmenting".to_string())
            .unwrap_err();
        assert_eq!(err.code(), "limit_exceeded");
        let message = err.to_string();
        assert!(message.contains("max_time"), "{message}");
        assert!(message.contains("still segmenting after"), "{message}");
        assert!(Deadline::none().check(|| unreachable!()).is_ok());
        assert!(
            Deadline::after(Duration::from_secs(3600))
                .check(|| unreachable!())
                .is_ok()
        );
    }

    #[test]
    fn sizes_over_the_limit_fail_with_what_was_found() {
        assert!(Limits::check("max_text_bytes", 10, 10, "bytes", || unreachable!()).is_ok());
        let err = Limits::check("max_text_bytes", 11, 10, "bytes", || {
            "11 bytes of text".into()
        })
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "limit max_text_bytes exceeded: 11 bytes of text (limit 10 bytes)"
        );
    }
}

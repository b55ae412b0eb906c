//! Near-duplicate language across documents, scored exactly.
//!
//! Each paragraph becomes the set of its word 3-shingles (lower-cased words of letters and
//! digits; a paragraph of fewer than three words uses its words). Two paragraphs are as
//! similar as the exact Jaccard similarity of those sets (0–1); a match needs at least
//! [`DEFAULT_THRESHOLD`].
//!
//! There is no resident similarity store: the caller supplies, for each paragraph, the
//! candidate rows worth scoring (the web app asks the search index for a "more like this"
//! query, `undex_index::UndexIndex::similar_candidates`), and this module scores them:
//! [`similar()`] and [`similar_earlier`] rank candidates, [`chain`] follows the best earlier
//! match back to the first appearance, fetching each step's candidates through a closure, so
//! this crate does not depend on the index. Scores are exact and deterministic; what a
//! candidate search does not return cannot be found.
//!
//! "Earlier" compares the documents' dates of issue (ISO 8601 strings); rows without a date
//! are never earlier than another row. Ranking: score descending, then earlier documents first
//! (date ascending, undated last), then document id, position and paragraph id.

use std::collections::BTreeSet;
use std::hash::{Hash, Hasher};

use siphasher::sip::SipHasher13;

use serde::{Deserialize, Serialize};
use similar::{Algorithm, ChangeTag, TextDiff};
use undex_core::ParagraphRow;

/// Words per shingle.
const SHINGLE: usize = 3;

/// Least Jaccard similarity (0–1) of word 3-shingles for a candidate to count as a match.
pub const DEFAULT_THRESHOLD: f64 = 0.2;

/// Most links of a [`chain`] (the paragraph itself included): each link costs one candidate
/// search, so a chain through a long series of near-identical documents stops here.
pub const MAX_CHAIN_LINKS: usize = 64;

/// A candidate row with its similarity to the paragraph asked about.
#[derive(Debug, Clone, PartialEq)]
pub struct SimilarRow {
    /// The matching row.
    pub row: ParagraphRow,
    /// Exact Jaccard similarity of word 3-shingles, 0–1 (in a [`chain`], to the previous,
    /// later link; 1.0 for the starting paragraph).
    pub score: f64,
}

/// Hashes of the lower-cased words (runs of letters and digits) of `text`, in order.
fn word_hashes(text: &str) -> Vec<u64> {
    let mut out = Vec::new();
    let mut word: Option<SipHasher13> = None;
    for c in text.chars() {
        if c.is_alphanumeric() {
            let hasher = word.get_or_insert_with(SipHasher13::new);
            for lower in c.to_lowercase() {
                hasher.write_u32(u32::from(lower));
            }
        } else if let Some(hasher) = word.take() {
            out.push(hasher.finish());
        }
    }
    out.extend(word.map(|hasher| hasher.finish()));
    out
}

/// The set of hashed word 3-shingles of a text (of its words, if it has fewer than three),
/// sorted and without repeats. SipHash-1-3 with zero keys, so the same text always gives the
/// same set.
fn shingles(text: &str) -> Vec<u64> {
    let words = word_hashes(text);
    let mut set: Vec<u64> = if words.len() < SHINGLE {
        words
    } else {
        words
            .windows(SHINGLE)
            .map(|w| {
                let mut hasher = SipHasher13::new();
                w.hash(&mut hasher);
                hasher.finish()
            })
            .collect()
    };
    set.sort_unstable();
    set.dedup();
    set
}

/// Exact Jaccard similarity of two sorted sets without repeats, 0 when both are empty.
#[allow(clippy::cast_precision_loss)]
fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    let (mut i, mut j, mut inter) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                inter += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - inter;
    if union == 0 {
        0.0
    } else {
        inter as f64 / union as f64
    }
}

/// Exact Jaccard similarity (0–1) of the word 3-shingles of two texts; 0 when neither has a
/// word.
#[must_use]
pub fn similarity(a: &str, b: &str) -> f64 {
    jaccard(&shingles(a), &shingles(b))
}

/// Sort key putting dated rows first, by date.
fn date_key(r: &ParagraphRow) -> (bool, &str) {
    match &r.date {
        Some(d) => (false, d.as_str()),
        None => (true, ""),
    }
}

/// Whether `a`'s document was issued strictly before `b`'s.
fn is_earlier(a: &ParagraphRow, b: &ParagraphRow) -> bool {
    matches!((&a.date, &b.date), (Some(x), Some(y)) if x < y)
}

/// The candidates of other documents than `row`'s (and, with `earlier_only`, of documents
/// issued before it) whose similarity to `row` is at least [`DEFAULT_THRESHOLD`], ranked (see
/// the module docs); the first `k`. A candidate id given twice counts once.
fn ranked(
    row: &ParagraphRow,
    candidates: impl IntoIterator<Item = ParagraphRow>,
    k: usize,
    earlier_only: bool,
) -> Vec<SimilarRow> {
    let mine = shingles(&row.text);
    if mine.is_empty() || k == 0 {
        return Vec::new();
    }
    let mut seen = BTreeSet::new();
    let mut out: Vec<SimilarRow> = candidates
        .into_iter()
        .filter(|c| c.doc_id != row.doc_id && (!earlier_only || is_earlier(c, row)))
        .filter(|c| seen.insert(c.id.clone()))
        .filter_map(|c| {
            let score = jaccard(&mine, &shingles(&c.text));
            (score >= DEFAULT_THRESHOLD).then_some(SimilarRow { row: c, score })
        })
        .collect();
    out.sort_by(|a, b| {
        let (ra, rb) = (&a.row, &b.row);
        b.score
            .total_cmp(&a.score)
            .then_with(|| date_key(ra).cmp(&date_key(rb)))
            .then_with(|| ra.doc_id.cmp(&rb.doc_id))
            .then_with(|| ra.position.cmp(&rb.position))
            .then_with(|| ra.id.cmp(&rb.id))
    });
    out.truncate(k);
    out
}

/// The `k` candidates most similar to `row`, of other documents than `row`'s, with a
/// similarity of at least [`DEFAULT_THRESHOLD`], best first; equal scores list earlier
/// documents first. `candidates` may hold anything (rows of `row`'s own document, duplicates,
/// `row` itself): they are filtered here.
#[must_use]
pub fn similar(
    row: &ParagraphRow,
    candidates: impl IntoIterator<Item = ParagraphRow>,
    k: usize,
) -> Vec<SimilarRow> {
    ranked(row, candidates, k, false)
}

/// As [`similar()`], restricted to candidates of documents issued before `row`'s (both dated,
/// candidate's date smaller); empty when `row` has no date.
#[must_use]
pub fn similar_earlier(
    row: &ParagraphRow,
    candidates: impl IntoIterator<Item = ParagraphRow>,
    k: usize,
) -> Vec<SimilarRow> {
    ranked(row, candidates, k, true)
}

/// The chain from `row` back to the first appearance of its language: `row` itself (score
/// 1.0), then repeatedly the best match of [`similar_earlier`] for the previous link, as long
/// as its similarity is at least `min_score` (and [`DEFAULT_THRESHOLD`]). The last link is the
/// first appearance. `candidates_of` gives the candidate rows of a link (for instance a "more
/// like this" search of the index); it is called once per link. Ends because every step goes
/// strictly back in time, and after [`MAX_CHAIN_LINKS`] links at most.
///
/// # Errors
/// The first error of `candidates_of`, as is.
pub fn chain<E>(
    row: &ParagraphRow,
    min_score: f64,
    mut candidates_of: impl FnMut(&ParagraphRow) -> Result<Vec<ParagraphRow>, E>,
) -> Result<Vec<SimilarRow>, E> {
    let mut out = vec![SimilarRow {
        row: row.clone(),
        score: 1.0,
    }];
    while out.len() < MAX_CHAIN_LINKS {
        let last = &out[out.len() - 1].row;
        let candidates = candidates_of(last)?;
        match similar_earlier(last, candidates, 1).into_iter().next() {
            Some(next) if next.score >= min_score => out.push(next),
            _ => break,
        }
    }
    Ok(out)
}

/// The kind of a diff segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum DiffKind {
    /// In both texts.
    Equal,
    /// Only in the new text.
    Inserted,
    /// Only in the old text.
    Deleted,
}

/// A run of text of one [`DiffKind`]; whitespace is kept, so concatenating the `Equal` and
/// `Deleted` segments gives the old text and the `Equal` and `Inserted` ones the new text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DiffSegment {
    /// What the run is.
    pub kind: DiffKind,
    /// The text of the run.
    pub text: String,
}

/// A word-level diff of `old` and `new` (patience algorithm, words and whitespace as tokens),
/// adjacent tokens of one kind merged into one segment.
#[must_use]
pub fn diff_words(old: &str, new: &str) -> Vec<DiffSegment> {
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Patience)
        .diff_words(old, new);
    let mut out: Vec<DiffSegment> = Vec::new();
    for change in diff.iter_all_changes() {
        let kind = match change.tag() {
            ChangeTag::Equal => DiffKind::Equal,
            ChangeTag::Insert => DiffKind::Inserted,
            ChangeTag::Delete => DiffKind::Deleted,
        };
        match out.last_mut() {
            Some(last) if last.kind == kind => last.text.push_str(change.value()),
            _ => out.push(DiffSegment {
                kind,
                text: change.value().to_string(),
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_segments_rebuild_both_texts() {
        let old = "World leaders also agreed to encourage States.";
        let new = "World leaders further agreed to encourage and help States.";
        let d = diff_words(old, new);
        let rebuild = |skip: DiffKind| {
            d.iter()
                .filter(|s| s.kind != skip)
                .map(|s| s.text.as_str())
                .collect::<String>()
        };
        assert_eq!(rebuild(DiffKind::Inserted), old);
        assert_eq!(rebuild(DiffKind::Deleted), new);
        assert!(
            d.iter()
                .any(|s| s.kind == DiffKind::Inserted && s.text.contains("help"))
        );
    }

    #[test]
    fn shingles_ignore_case_and_punctuation() {
        assert_eq!(
            shingles("Genocide, war crimes; ethnic cleansing."),
            shingles("genocide war crimes ethnic cleansing")
        );
        assert_eq!(shingles("").len(), 0);
        assert_eq!(shingles("two words").len(), 2);
        assert_eq!(shingles("a b c a b c").len(), 3, "abc, bca, cab");
        assert_ne!(shingles("war crimes"), shingles("warcrimes"));
    }

    #[test]
    fn jaccard_counts_shared_shingles() {
        // "the security council" and "security council decides" against "the security
        // council" alone: one of two shingles shared; against "… council acts", one of three.
        let a = "The Security Council decides";
        let b = "the Security Council";
        assert!((similarity(a, b) - 1.0 / 2.0).abs() < 1e-12);
        assert!((similarity(a, "The Security Council acts") - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(similarity("", ""), 0.0);
        assert_eq!(similarity(a, a), 1.0);
    }
}

//! Near-duplicate language across documents.
//!
//! Each paragraph becomes the set of its word 3-shingles (lower-cased words of letters and
//! digits; a paragraph of fewer than three words uses its words). A MinHash LSH index (the
//! `gaoya` crate, 128 hashes in 64 bands of 2) finds candidates whose estimated Jaccard
//! similarity is at least [`SimilarityIndex::DEFAULT_THRESHOLD`]; candidates are then scored by
//! the exact Jaccard similarity of their shingle sets, so scores are exact and deterministic.
//!
//! "Earlier" compares the documents' dates of issue (ISO 8601 strings); rows without a date
//! are never earlier than another row.

use std::collections::{BTreeMap, BTreeSet};
use std::hash::{DefaultHasher, Hash, Hasher};

use gaoya::minhash::{MinHashIndex, MinHasher, MinHasher32, SipHasher24BuildHasher};
use serde::{Deserialize, Serialize};
use similar::{Algorithm, ChangeTag, TextDiff};
use undex_core::ParagraphRow;

use crate::ResearchError;

const NUM_BANDS: usize = 64;
const BAND_WIDTH: usize = 2;
const SHINGLE: usize = 3;

/// What the index keeps of a row.
#[derive(Debug, Clone)]
struct Entry {
    id: String,
    doc_id: String,
    date: Option<String>,
    position: u32,
    shingles: BTreeSet<u64>,
}

/// An incremental near-duplicate index over paragraph rows.
pub struct SimilarityIndex {
    lsh: MinHashIndex<u32, usize>,
    hasher: MinHasher32<SipHasher24BuildHasher>,
    entries: Vec<Entry>,
    by_id: BTreeMap<String, usize>,
    threshold: f64,
}

impl std::fmt::Debug for SimilarityIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimilarityIndex")
            .field("rows", &self.entries.len())
            .field("threshold", &self.threshold)
            .finish()
    }
}

impl Default for SimilarityIndex {
    fn default() -> Self {
        Self::new()
    }
}

/// One step of a chain back to the first appearance of a paragraph's language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChainLink {
    /// Paragraph id.
    pub id: String,
    /// Document id.
    pub doc_id: String,
    /// Date of issue of the document (ISO 8601), if known.
    pub date: Option<String>,
    /// Jaccard similarity (0–1) to the previous (later) link; 1.0 for the starting paragraph.
    pub score: f64,
}

/// Lower-cased words of letters and digits.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn hash_of<T: Hash + ?Sized>(t: &T) -> u64 {
    let mut h = DefaultHasher::new();
    t.hash(&mut h);
    h.finish()
}

/// Hashed word 3-shingles of a text (its words, if it has fewer than three).
fn shingles(text: &str) -> BTreeSet<u64> {
    let w = words(text);
    if w.len() < SHINGLE {
        return w.iter().map(|x| hash_of(x.as_str())).collect();
    }
    w.windows(SHINGLE).map(hash_of).collect()
}

/// Exact Jaccard similarity of two sets, 0 when both are empty.
fn jaccard(a: &BTreeSet<u64>, b: &BTreeSet<u64>) -> f64 {
    let inter = a.intersection(b).count();
    let union = a.len() + b.len() - inter;
    if union == 0 {
        0.0
    } else {
        inter as f64 / union as f64
    }
}

impl SimilarityIndex {
    /// Estimated Jaccard similarity below which LSH candidates are dropped.
    pub const DEFAULT_THRESHOLD: f64 = 0.2;

    /// An empty index with [`Self::DEFAULT_THRESHOLD`].
    #[must_use]
    pub fn new() -> Self {
        Self::with_threshold(Self::DEFAULT_THRESHOLD)
    }

    /// An empty index dropping candidates below `threshold` (0–1, Jaccard of word 3-shingles).
    #[must_use]
    pub fn with_threshold(threshold: f64) -> Self {
        Self {
            lsh: MinHashIndex::new(NUM_BANDS, BAND_WIDTH, threshold.clamp(0.0, 1.0)),
            hasher: MinHasher32::new_with_hasher(
                NUM_BANDS * BAND_WIDTH,
                SipHasher24BuildHasher::default(),
            ),
            entries: Vec::new(),
            by_id: BTreeMap::new(),
            threshold: threshold.clamp(0.0, 1.0),
        }
    }

    /// An index holding `rows`.
    #[must_use]
    pub fn from_rows(rows: &[ParagraphRow]) -> Self {
        let mut index = Self::new();
        index.add(rows);
        index
    }

    /// Adds rows; a row whose id is already held replaces the earlier one.
    pub fn add(&mut self, rows: &[ParagraphRow]) {
        for row in rows {
            let sh = shingles(&row.text);
            let entry = Entry {
                id: row.id.clone(),
                doc_id: row.doc_id.clone(),
                date: row.date.clone(),
                position: row.position,
                shingles: sh,
            };
            let slot = match self.by_id.get(&row.id) {
                Some(&i) => {
                    self.lsh.remove(&i);
                    self.entries[i] = entry;
                    i
                }
                None => {
                    self.entries.push(entry);
                    let i = self.entries.len() - 1;
                    self.by_id.insert(row.id.clone(), i);
                    i
                }
            };
            if !self.entries[slot].shingles.is_empty() {
                let sig = self
                    .hasher
                    .create_signature(self.entries[slot].shingles.iter());
                self.lsh.insert(slot, sig);
            }
        }
    }

    /// Number of rows held.
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the index holds no row.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Candidates of entry `i` in other documents, with exact scores, sorted: score descending,
    /// then earlier documents first (date ascending, undated last), then document, position, id.
    fn scored(&self, i: usize) -> Vec<(usize, f64)> {
        let me = &self.entries[i];
        let Some(sig) = self.lsh.get_signature(&i) else {
            return Vec::new();
        };
        let mut out: Vec<(usize, f64)> = self
            .lsh
            .query(sig)
            .into_iter()
            .copied()
            .filter(|&j| self.entries[j].doc_id != me.doc_id)
            .map(|j| (j, jaccard(&me.shingles, &self.entries[j].shingles)))
            .filter(|&(_, s)| s >= self.threshold)
            .collect();
        out.sort_by(|a, b| {
            let (ea, eb) = (&self.entries[a.0], &self.entries[b.0]);
            b.1.total_cmp(&a.1)
                .then_with(|| date_key(ea).cmp(&date_key(eb)))
                .then_with(|| ea.doc_id.cmp(&eb.doc_id))
                .then_with(|| ea.position.cmp(&eb.position))
                .then_with(|| ea.id.cmp(&eb.id))
        });
        out
    }

    fn index_of(&self, id: &str) -> Result<usize, ResearchError> {
        self.by_id
            .get(id)
            .copied()
            .ok_or_else(|| ResearchError::UnknownId(id.to_string()))
    }

    /// The `k` paragraphs of other documents most similar to paragraph `id`, as (id, Jaccard
    /// similarity 0–1), best first; equal scores list earlier documents first.
    ///
    /// # Errors
    /// [`ResearchError::UnknownId`] when `id` is not in the index.
    pub fn similar(&self, id: &str, k: usize) -> Result<Vec<(String, f64)>, ResearchError> {
        let i = self.index_of(id)?;
        Ok(self
            .scored(i)
            .into_iter()
            .take(k)
            .map(|(j, s)| (self.entries[j].id.clone(), s))
            .collect())
    }

    /// As [`Self::similar`], restricted to documents issued before paragraph `id`'s document.
    ///
    /// # Errors
    /// [`ResearchError::UnknownId`] when `id` is not in the index.
    pub fn similar_earlier(&self, id: &str, k: usize) -> Result<Vec<(String, f64)>, ResearchError> {
        let i = self.index_of(id)?;
        Ok(self
            .scored(i)
            .into_iter()
            .filter(|&(j, _)| is_earlier(&self.entries[j], &self.entries[i]))
            .take(k)
            .map(|(j, s)| (self.entries[j].id.clone(), s))
            .collect())
    }

    /// The chain from paragraph `id` back to the first appearance of its language: the
    /// paragraph itself, then repeatedly the most similar paragraph of an earlier document
    /// with a similarity of at least `min_score`, until none is left. The last link is the
    /// first appearance. Terminates because every step goes strictly back in time.
    ///
    /// # Errors
    /// [`ResearchError::UnknownId`] when `id` is not in the index.
    pub fn chain(&self, id: &str, min_score: f64) -> Result<Vec<ChainLink>, ResearchError> {
        let mut i = self.index_of(id)?;
        let link = |j: usize, score: f64| ChainLink {
            id: self.entries[j].id.clone(),
            doc_id: self.entries[j].doc_id.clone(),
            date: self.entries[j].date.clone(),
            score,
        };
        let mut out = vec![link(i, 1.0)];
        loop {
            let next = self
                .scored(i)
                .into_iter()
                .find(|&(j, s)| s >= min_score && is_earlier(&self.entries[j], &self.entries[i]));
            match next {
                Some((j, s)) => {
                    out.push(link(j, s));
                    i = j;
                }
                None => return Ok(out),
            }
        }
    }
}

/// Sort key putting dated entries first, by date.
fn date_key(e: &Entry) -> (bool, &str) {
    match &e.date {
        Some(d) => (false, d.as_str()),
        None => (true, ""),
    }
}

/// Whether `a`'s document was issued strictly before `b`'s.
fn is_earlier(a: &Entry, b: &Entry) -> bool {
    matches!((&a.date, &b.date), (Some(x), Some(y)) if x < y)
}

/// The kind of a diff segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    }
}

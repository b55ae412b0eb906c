//! The former near-duplicate store: a MinHash LSH index over every paragraph, kept beside the
//! search index as [`STORE_FILE`] and updated by `undex ingest`.
//!
//! **Superseded** by [`crate::similarity`], which scores candidates taken from the search
//! index at query time (no resident store). Nothing in the web app reads this store any more;
//! it stays only until `undex ingest` stops writing it, and is then deleted with the `gaoya`
//! and `postcard` dependencies.
//!
//! A MinHash LSH index (the `gaoya` crate, 128 hashes in 64 bands of 2) finds candidates whose
//! estimated Jaccard similarity is at least [`SimilarityIndex::DEFAULT_THRESHOLD`]; candidates
//! are then scored by the exact Jaccard similarity of their shingle sets.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use gaoya::minhash::{MinHashIndex, MinHasher, MinHasher32, SipHasher24BuildHasher};
use serde::{Deserialize, Serialize};
use undex_core::ParagraphRow;

use crate::ResearchError;
use crate::similarity::{jaccard, shingles};

const NUM_BANDS: usize = 64;
const BAND_WIDTH: usize = 2;

/// File name of the similarity store inside an index folder (written by `undex ingest`).
pub const STORE_FILE: &str = "undex-similarity.bin";

/// First field of a store file, checked on load.
const STORE_MAGIC: &str = "undex-similarity";
/// Version of the store layout and of the shingle hashing; a file of another version is
/// refused by [`SimilarityIndex::load`] (the caller rebuilds it from the rows).
const STORE_VERSION: u32 = 1;

/// What the index keeps of a row.
#[derive(Debug, Clone)]
struct Entry {
    id: String,
    doc_id: String,
    date: Option<String>,
    position: u32,
    source_file: String,
    sha256: String,
    shingles: BTreeSet<u64>,
    /// False once the row's document was replaced or removed (a tombstone: slots are never
    /// reused, so LSH slot numbers stay valid; [`SimilarityIndex::save`] drops dead entries).
    alive: bool,
}

/// An incremental near-duplicate index over paragraph rows.
pub struct SimilarityIndex {
    lsh: MinHashIndex<u32, usize>,
    hasher: MinHasher32<SipHasher24BuildHasher>,
    entries: Vec<Entry>,
    by_id: BTreeMap<String, usize>,
    threshold: f64,
}

/// The on-disk form of a [`SimilarityIndex`] (postcard): documents sorted by id, rows by
/// position, shingle hashes sorted. MinHash signatures are not stored; they are recomputed on
/// load from the shingles (cheap next to hashing the text).
#[derive(Debug, Serialize, Deserialize)]
struct StoreFile {
    magic: String,
    version: u32,
    /// Commit stamp of the search index the store matches.
    opstamp: u64,
    documents: Vec<StoredDocument>,
}

#[derive(Debug, Serialize, Deserialize)]
struct StoredDocument {
    doc_id: String,
    date: Option<String>,
    source_file: String,
    sha256: String,
    rows: Vec<StoredRow>,
}

#[derive(Debug, Serialize, Deserialize)]
struct StoredRow {
    id: String,
    position: u32,
    shingles: Vec<u64>,
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

impl SimilarityIndex {
    /// Estimated Jaccard similarity below which LSH candidates are dropped.
    pub const DEFAULT_THRESHOLD: f64 = crate::similarity::DEFAULT_THRESHOLD;

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
            self.insert(Entry {
                id: row.id.clone(),
                doc_id: row.doc_id.clone(),
                date: row.date.clone(),
                position: row.position,
                source_file: row.source_file.clone(),
                sha256: row.sha256.clone(),
                shingles: shingles(&row.text),
                alive: true,
            });
        }
    }

    /// Holds `entry`, replacing a live entry of the same id.
    fn insert(&mut self, entry: Entry) {
        if let Some(i) = self.by_id.remove(&entry.id) {
            self.kill(i);
        }
        let slot = self.entries.len();
        self.by_id.insert(entry.id.clone(), slot);
        if !entry.shingles.is_empty() {
            let sig = self.hasher.create_signature(entry.shingles.iter());
            self.lsh.insert(slot, sig);
        }
        self.entries.push(entry);
    }

    fn kill(&mut self, i: usize) {
        if self.entries[i].alive {
            self.entries[i].alive = false;
            self.entries[i].shingles = BTreeSet::new();
            self.lsh.remove(&i);
        }
    }

    /// Removes every row of the documents that `docs` replace, by the rule of the search
    /// index's `replace_documents`: a held row goes when its `doc_id`, its non-empty
    /// `source_file` or its non-empty `sha256` equals that of a row of `docs`. Returns the
    /// number of rows removed.
    pub fn remove_replaced(&mut self, docs: &[Vec<ParagraphRow>]) -> usize {
        let mut doc_ids = BTreeSet::new();
        let mut files = BTreeSet::new();
        let mut hashes = BTreeSet::new();
        for r in docs.iter().flatten() {
            doc_ids.insert(r.doc_id.as_str());
            if !r.source_file.is_empty() {
                files.insert(r.source_file.as_str());
            }
            if !r.sha256.is_empty() {
                hashes.insert(r.sha256.as_str());
            }
        }
        let doomed: Vec<usize> = self
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                e.alive
                    && (doc_ids.contains(e.doc_id.as_str())
                        || files.contains(e.source_file.as_str())
                        || hashes.contains(e.sha256.as_str()))
            })
            .map(|(i, _)| i)
            .collect();
        for &i in &doomed {
            self.by_id.remove(&self.entries[i].id);
            self.kill(i);
        }
        doomed.len()
    }

    /// Replaces documents as the search index does: [`Self::remove_replaced`], then
    /// [`Self::add`] of every row of `docs`. Only the new rows are hashed.
    pub fn replace_documents(&mut self, docs: &[Vec<ParagraphRow>]) {
        self.remove_replaced(docs);
        for rows in docs {
            self.add(rows);
        }
    }

    /// Number of rows held.
    #[must_use]
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// Whether the index holds no row.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// Writes the index to `path` ([`STORE_FILE`] in an index folder), recording `opstamp`,
    /// the commit stamp of the search index it matches. Atomic: the bytes go to a temporary
    /// file in the same folder, which is then renamed over `path`, so a reader sees the old
    /// store or the new one, never a part. The output is deterministic (sorted).
    ///
    /// # Errors
    /// [`ResearchError::Io`] when the folder is not writable; [`ResearchError::Store`] when
    /// encoding fails.
    pub fn save(&self, path: &Path, opstamp: u64) -> Result<(), ResearchError> {
        let mut docs: BTreeMap<&str, StoredDocument> = BTreeMap::new();
        for e in self.entries.iter().filter(|e| e.alive) {
            let d = docs
                .entry(e.doc_id.as_str())
                .or_insert_with(|| StoredDocument {
                    doc_id: e.doc_id.clone(),
                    date: e.date.clone(),
                    source_file: e.source_file.clone(),
                    sha256: e.sha256.clone(),
                    rows: Vec::new(),
                });
            d.rows.push(StoredRow {
                id: e.id.clone(),
                position: e.position,
                shingles: e.shingles.iter().copied().collect(),
            });
        }
        let mut documents: Vec<StoredDocument> = docs.into_values().collect();
        for d in &mut documents {
            d.rows
                .sort_by(|a, b| a.position.cmp(&b.position).then_with(|| a.id.cmp(&b.id)));
        }
        let file = StoreFile {
            magic: STORE_MAGIC.to_string(),
            version: STORE_VERSION,
            opstamp,
            documents,
        };
        let bytes = postcard::to_allocvec(&file).map_err(|e| ResearchError::Store {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        undex_core::fsutil::write_atomic(path, &bytes)?;
        Ok(())
    }

    /// The store at `path` if it matches commit `opstamp` of its search index; `None` when
    /// there is no store, or it is damaged, of another version or out of step (each logged at
    /// `debug`), in which case the caller rebuilds it from the index's rows.
    #[must_use]
    pub fn load_in_step(path: &Path, opstamp: u64) -> Option<Self> {
        match Self::load(path) {
            Ok((index, stamp)) if stamp == opstamp => Some(index),
            Ok((_, stamp)) => {
                tracing::debug!(path = %path.display(), stamp, opstamp, "similarity store out of step with its index");
                None
            }
            Err(e) => {
                tracing::debug!(path = %path.display(), "similarity store not usable: {e}");
                None
            }
        }
    }

    /// Reads an index written by [`Self::save`]; returns it with the commit stamp recorded.
    ///
    /// # Errors
    /// [`ResearchError::Io`] when the file cannot be read (`NotFound` when there is none);
    /// [`ResearchError::Store`] when it is damaged or of another version.
    pub fn load(path: &Path) -> Result<(Self, u64), ResearchError> {
        let bytes = std::fs::read(path)?;
        let bad = |message: String| ResearchError::Store {
            path: path.display().to_string(),
            message,
        };
        let file: StoreFile = postcard::from_bytes(&bytes).map_err(|e| bad(e.to_string()))?;
        if file.magic != STORE_MAGIC || file.version != STORE_VERSION {
            return Err(bad(format!(
                "not a similarity store of version {STORE_VERSION} (found {:?} version {})",
                file.magic, file.version
            )));
        }
        let mut index = Self::new();
        for d in file.documents {
            for r in d.rows {
                index.insert(Entry {
                    id: r.id,
                    doc_id: d.doc_id.clone(),
                    date: d.date.clone(),
                    position: r.position,
                    source_file: d.source_file.clone(),
                    sha256: d.sha256.clone(),
                    shingles: r.shingles.into_iter().collect(),
                    alive: true,
                });
            }
        }
        Ok((index, file.opstamp))
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
            .filter(|&j| self.entries[j].alive && self.entries[j].doc_id != me.doc_id)
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

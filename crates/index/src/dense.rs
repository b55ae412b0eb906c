//! The frequencies of a segment's frequent words, decoded once into a table indexed by row.
//!
//! A keyword query's time is mostly the intersection of its words' postings: the rarest word
//! leads, and each of its rows is looked up in every other word's postings (a seek: the skip
//! list, a block decoded, a search in the block). On the scale benchmark's keyword queries
//! the lead word has about 51,000 rows at 1M paragraphs and the other words three times as
//! many, so the seeks cost about a millisecond a query. Those other words are frequent ones
//! (`human`, `rights`, `united`): for a word held by at least one row in
//! [`DENSE_RATIO`] of a segment, the first search that meets it there decodes its postings
//! into a `DenseTable`, four bits a row (half a byte, so at most `DENSE_RATIO / 2` bytes
//! a posting), and a later lookup is an array read. The table gives the same frequency as
//! the postings (up to 14; a row with 15 or more reads its postings), so the rows and their
//! scores are the same.
//!
//! The tables of one [`crate::UndexIndex`] share a budget, [`DENSE_BYTES`] unless
//! [`DENSE_MB_ENV`] sets another: when a new table would pass it, the tables used least
//! recently are dropped first. Segments are immutable,
//! so a table never goes stale; tables of merged-away segments are dropped at the next
//! search (`DenseTables::retain`).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use tantivy::index::SegmentId;
use tantivy::postings::TermInfo;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, SegmentReader};

/// A word gets a table in a segment when at least one row in `DENSE_RATIO` holds it (32: its
/// table is then at most 16 bytes a posting).
pub const DENSE_RATIO: u64 = 32;

/// The memory all the tables of one index may hold together by default: 128 MiB (256
/// words' tables on a 1M-paragraph index, half a megabyte each; the scale benchmark's 500
/// queries use about 160 such words; a 10M-paragraph index holds 25).
pub const DENSE_BYTES: usize = 128 << 20;

/// The environment variable that sets the tables' budget in whole mebibytes (`0`: no tables,
/// every word sought in its postings). Any other value is warned about and ignored.
pub const DENSE_MB_ENV: &str = "UNDEX_DENSE_MB";

/// The tables' budget in bytes: [`DENSE_MB_ENV`]'s `setting` when it is a whole number of
/// mebibytes (at most `usize::MAX` bytes), else [`DENSE_BYTES`].
fn dense_budget(setting: Option<&str>) -> usize {
    setting
        .and_then(|v| match v.trim().parse::<usize>() {
            Ok(mb) => Some(mb.saturating_mul(1 << 20)),
            Err(_) => {
                tracing::warn!("{DENSE_MB_ENV}={v:?} is not a whole number of MiB: ignored");
                None
            }
        })
        .unwrap_or(DENSE_BYTES)
}

/// One word's frequency in every row of one segment: four bits a row, 0 where the row does
/// not hold the word, [`DenseTable::SATURATED`] where it holds it 15 times or more.
pub(crate) struct DenseTable {
    nibbles: Box<[u8]>,
}

impl DenseTable {
    /// The value of a row holding the word 15 times or more: its frequency is in the postings.
    pub(crate) const SATURATED: u32 = 15;

    /// Decodes the postings at `info` on `field` of `reader`. A field indexed without
    /// frequencies counts each row once, as its postings do.
    ///
    /// # Errors
    /// Reading the postings.
    fn build(reader: &SegmentReader, field: Field, info: &TermInfo) -> tantivy::Result<Self> {
        let mut table = Self::empty(reader.max_doc());
        let mut blocks = reader
            .inverted_index(field)?
            .read_block_postings_from_terminfo(info, IndexRecordOption::WithFreqs)?;
        loop {
            let docs = blocks.docs();
            if docs.is_empty() {
                break;
            }
            table.set(docs, blocks.freqs());
            blocks.advance();
        }
        Ok(table)
    }

    /// The table of a stem's postings from a `.stems` file ([`crate::stems`]) in a segment
    /// of `max_doc` rows, read from `postings`' current row.
    pub(crate) fn from_stems(max_doc: DocId, mut postings: crate::stems::StemPostings) -> Self {
        let mut table = Self::empty(max_doc);
        loop {
            let (docs, freqs) = postings.block();
            if docs.is_empty() {
                break;
            }
            table.set(docs, freqs);
            postings.next_block();
        }
        table
    }

    /// A table of `max_doc` rows holding nothing.
    fn empty(max_doc: DocId) -> Self {
        Self {
            nibbles: vec![0u8; (max_doc as usize).div_ceil(2)].into_boxed_slice(),
        }
    }

    /// Records rows `docs` with frequencies `freqs` (1 where `freqs` is shorter: a field
    /// without frequencies).
    fn set(&mut self, docs: &[DocId], freqs: &[u32]) {
        for (i, &doc) in docs.iter().enumerate() {
            let tf = freqs.get(i).copied().unwrap_or(1).clamp(1, Self::SATURATED);
            if let Some(byte) = self.nibbles.get_mut(doc as usize >> 1) {
                // `tf` is at most 15: it fits the row's four bits.
                *byte |= (tf as u8) << ((doc & 1) * 4);
            }
        }
    }

    /// The word's frequency in row `doc` (0: not held), up to [`DenseTable::SATURATED`].
    #[inline]
    pub(crate) fn get(&self, doc: DocId) -> u32 {
        self.nibbles
            .get(doc as usize >> 1)
            .map_or(0, |byte| u32::from(byte >> ((doc & 1) * 4)) & 0xF)
    }

    /// The table's size in bytes.
    fn bytes(&self) -> usize {
        self.nibbles.len()
    }
}

/// A table's key: the segment, the word's field and where its postings start there (one word
/// per place).
type Key = (SegmentId, Field, usize);

/// The [`DenseTable`]s of the words searched so far, shared by every search of one index,
/// within its budget ([`DENSE_BYTES`] or [`DENSE_MB_ENV`]'s; see the module docs).
pub(crate) struct DenseTables {
    budget: usize,
    cache: Mutex<Cache>,
}

#[derive(Default)]
struct Cache {
    /// Each table, with the tick of its last use.
    tables: HashMap<Key, (Arc<DenseTable>, u64)>,
    bytes: usize,
    tick: u64,
    /// The segments of the last searcher [`DenseTables::retain`] was given.
    live: Vec<SegmentId>,
}

impl Default for DenseTables {
    /// Tables within [`DENSE_MB_ENV`]'s budget, or [`DENSE_BYTES`].
    fn default() -> Self {
        Self::with_budget(dense_budget(std::env::var(DENSE_MB_ENV).ok().as_deref()))
    }
}

impl DenseTables {
    /// Tables holding at most `budget` bytes together (0: no table is ever kept).
    pub(crate) fn with_budget(budget: usize) -> Self {
        Self {
            budget,
            cache: Mutex::default(),
        }
    }

    /// The table of the word whose postings on `field` of `reader` are at `info`, decoded on
    /// first use; `None` when the word is held by fewer than one row in [`DENSE_RATIO`] of the
    /// segment, or its table does not fit the budget.
    ///
    /// # Errors
    /// Reading the postings.
    pub(crate) fn get(
        &self,
        reader: &SegmentReader,
        field: Field,
        info: &TermInfo,
    ) -> tantivy::Result<Option<Arc<DenseTable>>> {
        self.get_with(
            reader,
            field,
            info.doc_freq,
            info.postings_range.start,
            || DenseTable::build(reader, field, info),
        )
    }

    /// As [`DenseTables::get`], for a word held by `doc_freq` rows of `reader`'s segment whose
    /// postings on `field` are at `place` (one word per place), decoded by `build`.
    ///
    /// # Errors
    /// `build`'s.
    pub(crate) fn get_with(
        &self,
        reader: &SegmentReader,
        field: Field,
        doc_freq: u32,
        place: usize,
        build: impl FnOnce() -> tantivy::Result<DenseTable>,
    ) -> tantivy::Result<Option<Arc<DenseTable>>> {
        let rows = u64::from(reader.max_doc());
        if u64::from(doc_freq) * DENSE_RATIO < rows || rows.div_ceil(2) > self.budget as u64 {
            return Ok(None);
        }
        let key = (reader.segment_id(), field, place);
        {
            let mut cache = self.lock();
            cache.tick += 1;
            let tick = cache.tick;
            if let Some((table, used)) = cache.tables.get_mut(&key) {
                *used = tick;
                return Ok(Some(Arc::clone(table)));
            }
        }
        // Decoded outside the lock: two first searches may both decode, one table is kept.
        let table = Arc::new(build()?);
        let mut cache = self.lock();
        if let Some((kept, _)) = cache.tables.get(&key) {
            return Ok(Some(Arc::clone(kept)));
        }
        while cache.bytes + table.bytes() > self.budget {
            let Some(oldest) = cache
                .tables
                .iter()
                .min_by_key(|(_, (_, used))| *used)
                .map(|(key, _)| *key)
            else {
                break;
            };
            if let Some((dropped, _)) = cache.tables.remove(&oldest) {
                cache.bytes -= dropped.bytes();
            }
        }
        cache.tick += 1;
        let tick = cache.tick;
        cache.bytes += table.bytes();
        cache.tables.insert(key, (Arc::clone(&table), tick));
        Ok(Some(table))
    }

    /// Drops the tables of segments `searcher` no longer holds (merged or deleted away);
    /// nothing to do while its segments are those of the last call. A search still running
    /// on an older searcher may add a table of a dropped segment after this: it stays until
    /// the segments change again or the budget drops it as the least recently used.
    pub(crate) fn retain(&self, searcher: &tantivy::Searcher) {
        let segments: Vec<SegmentId> = searcher
            .segment_readers()
            .iter()
            .map(SegmentReader::segment_id)
            .collect();
        let mut cache = self.lock();
        if cache.live == segments {
            return;
        }
        let live: HashSet<SegmentId> = segments.iter().copied().collect();
        cache.live = segments;
        let mut freed = 0;
        cache.tables.retain(|(segment, _, _), (table, _)| {
            let keep = live.contains(segment);
            if !keep {
                freed += table.bytes();
            }
            keep
        });
        cache.bytes -= freed;
    }

    /// The bytes the tables hold, and how many times a word dense enough for a table was
    /// asked for.
    #[cfg(test)]
    pub(crate) fn usage(&self) -> (usize, u64) {
        let cache = self.lock();
        (cache.bytes, cache.tick)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Cache> {
        // A panic while holding the lock leaves a consistent cache (each change is whole).
        self.cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `UNDEX_DENSE_MB`: unset or not a whole number, the default; a whole number of MiB,
    /// that many (0: none).
    #[test]
    fn the_setting_of_the_budget() {
        assert_eq!(dense_budget(None), DENSE_BYTES);
        assert_eq!(dense_budget(Some("0")), 0);
        assert_eq!(dense_budget(Some(" 16 ")), 16 << 20);
        assert_eq!(dense_budget(Some("-1")), DENSE_BYTES);
        assert_eq!(dense_budget(Some("lots")), DENSE_BYTES);
        assert_eq!(dense_budget(Some(&usize::MAX.to_string())), usize::MAX);
    }

    /// The real 2026 report in six segments: a keyword search decodes tables in several of
    /// them; once the segments are merged into one, the next search drops the old tables and
    /// keeps only the merged segment's, whose answer is the same.
    #[test]
    fn tables_of_merged_segments_are_dropped() {
        let index = crate::UndexIndex::in_memory().unwrap();
        let rows = undex_testkit::tagged_seed_rows("sg-r2p-report-2026.txt");
        let mut batch = index.begin().unwrap();
        crate::writer::tests::add_in_commits(&mut batch, &rows, 6);
        index.reader.reload().unwrap();
        let req = crate::SearchRequest {
            q: "atrocity AND prevention AND the".into(),
            limit: 10,
            ..Default::default()
        };
        let before = index.search(&req).unwrap();
        let segments = |tables: &DenseTables| {
            let cache = tables.lock();
            let mut ids: Vec<SegmentId> = cache.tables.keys().map(|(s, _, _)| *s).collect();
            ids.sort();
            ids.dedup();
            (ids.len(), cache.bytes)
        };
        let (held, _) = segments(&index.dense_tables);
        assert!(held >= 2, "tables in {held} segments");
        batch.merge_segments().unwrap();
        drop(batch);
        index.reader.reload().unwrap();
        assert_eq!(index.reader.searcher().segment_readers().len(), 1);
        let after = index.search(&req).unwrap();
        let (held, bytes) = segments(&index.dense_tables);
        assert_eq!(held, 1);
        let rows_now = index.reader.searcher().segment_readers()[0].max_doc() as usize;
        // The merged segment's tables only: half a byte a row each.
        assert_eq!(bytes % rows_now.div_ceil(2), 0, "{bytes} bytes");
        assert_eq!(after.total, before.total);
        assert_eq!(after.hits, before.hits);
    }
}

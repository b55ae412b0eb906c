//! Facet counts of a search, in the same pass as the search, from per-segment value tables.
//!
//! Reading a fast column per matching row and facet costs a rank lookup in the column's
//! optional index each time (about 30 ns, eleven times a row: a third of a millisecond per
//! thousand matches). Instead, the first search that meets a segment decodes its facet
//! columns once into flat tables (`SegmentTable`: for each facet, the value ordinals of
//! every row, and the values' labels), kept for as long as the segment lives; counting a
//! match is then an array read and an increment per facet. Segments are immutable, so a table
//! never goes stale; tables of merged-away segments are dropped at the next search.
//!
//! The cost is bounded: each segment counts at most its share (by size) of
//! [`MAX_FACET_ROWS`] matching rows (or [`crate::SearchRequest::facet_rows`] of them). Past that,
//! it counts a uniform sample of its matches (one in `2^k`, chosen by a hash of the row id,
//! thinned as matches come in) and scales the counts up by `2^k`; the response says the
//! counts are estimates ([`crate::SearchResponse::facets_approximate`]), while `total` stays
//! exact. Any index of at most [`WHOLE_INDEX_ROWS`] rows is always counted whole.
//!
//! Memory: 4 bytes per row plus 4 per facet value of a row: about 40 MB for a million rows
//! (the build holds a second copy while it runs).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};

use tantivy::collector::{Collector, SegmentCollector};

use crate::collect::Counter;
use tantivy::index::SegmentId;
use tantivy::{DocId, Score, Searcher, SegmentReader};

use crate::registry;
use crate::{FACET_SIZE, FacetCount};

/// About how many matching rows one search of an index of more than [`WHOLE_INDEX_ROWS`]
/// rows counts facet values of (see the module docs): 3,000. Measured on the scale
/// benchmark's 500 queries at 1M rows (five segments), against counts over every match, for
/// the five largest values of each facet of the queries matching more rows than the sample:
/// a value holding 5% or more of the matches is within 2.8% of its count at the median, 8.2%
/// in nine cases of ten and 16% in 99 of 100 (at 5,000 rows, the default until session 26:
/// 2.2%, 6.3%, 12%); smaller values may be missed. The median search takes 6–10% less time
/// than at 5,000: counting a sampled row is a few cache misses, about 60 ns, so a broad
/// search's full sample cost about 0.3 ms at 5,000 (`FACET_ERRORS=default` and
/// `FACET_ROWS_AB=…` modes of `crates/index/benches/scale_search.rs`). A caller that wants
/// closer counts asks for a larger sample ([`crate::SearchRequest::facet_rows`]; the search
/// page links to the counts over every match).
pub const MAX_FACET_ROWS: usize = 3_000;

/// Rows up to which an index counts the facets of every match of every search, whatever
/// [`MAX_FACET_ROWS`] says: 20,000 (about a millisecond of counting at most; the shared
/// corpus's 8,751 paragraphs are counted whole).
pub const WHOLE_INDEX_ROWS: u64 = 20_000;

/// The facet values of every row of one segment, decoded from the fast columns.
///
/// Every (facet, value) pair of the segment has a slot: `labels[slot]` is the facet's index
/// among the counted facets of [`registry::FACETS`] ([`registry::counted`]) and the value. The slots of row `d` are
/// `slots[starts[d] as usize..starts[d + 1] as usize]`, so counting a match reads two
/// neighbouring words and one short contiguous run, and increments one flat array.
pub(crate) struct SegmentTable {
    starts: Vec<u32>,
    slots: Vec<u32>,
    labels: Vec<(usize, String)>,
}

impl SegmentTable {
    /// Decodes the facet columns of `segment` (every row, deleted ones included, so row ids
    /// index the table directly).
    fn build(segment: &SegmentReader) -> tantivy::Result<Self> {
        let max_doc = segment.max_doc() as usize;
        let ff = segment.fast_fields();
        let mut labels: Vec<(usize, String)> = Vec::new();
        // Per row, its slots, facet by facet.
        let mut rows: Vec<Vec<u32>> = vec![Vec::new(); max_doc];
        let too_many = || tantivy::TantivyError::InternalError("too many facet values".into());
        for (facet, def) in registry::counted().enumerate() {
            let field = def.field;
            if def.kind == registry::ValueKind::Year {
                let Some(column) = ff.column_opt::<i64>("year")? else {
                    continue;
                };
                let mut slot_of: HashMap<i64, u32> = HashMap::new();
                for (doc, row) in rows.iter_mut().enumerate() {
                    let Some(year) = u32::try_from(doc).ok().and_then(|d| column.first(d)) else {
                        continue;
                    };
                    let slot = match slot_of.get(&year) {
                        Some(s) => *s,
                        None => {
                            let s = u32::try_from(labels.len()).map_err(|_| too_many())?;
                            labels.push((facet, year.to_string()));
                            slot_of.insert(year, s);
                            s
                        }
                    };
                    row.push(slot);
                }
            } else if let Some(column) = ff.str(field)? {
                let base = labels.len();
                // One pass over the dictionary: each compressed block is opened once.
                let mut stream = column.dictionary().stream()?;
                while stream.advance() {
                    labels.push((facet, String::from_utf8_lossy(stream.key()).into_owned()));
                }
                let terms = labels.len() - base;
                for (doc, row) in rows.iter_mut().enumerate() {
                    let Ok(doc) = u32::try_from(doc) else { break };
                    for ord in column.term_ords(doc) {
                        if let Some(slot) = usize::try_from(ord)
                            .ok()
                            .filter(|o| *o < terms)
                            .and_then(|o| u32::try_from(base + o).ok())
                        {
                            row.push(slot);
                        }
                    }
                }
            }
        }
        let mut starts = Vec::with_capacity(max_doc + 1);
        let mut slots = Vec::with_capacity(rows.iter().map(Vec::len).sum());
        for row in rows {
            starts.push(u32::try_from(slots.len()).map_err(|_| too_many())?);
            slots.extend(row);
        }
        starts.push(u32::try_from(slots.len()).map_err(|_| too_many())?);
        Ok(SegmentTable {
            starts,
            slots,
            labels,
        })
    }
}

/// The [`SegmentTable`]s of the segments searched so far, shared by every search of one
/// [`crate::UndexIndex`].
#[derive(Default)]
pub(crate) struct FacetTables {
    tables: Mutex<HashMap<SegmentId, Arc<SegmentTable>>>,
    /// The numbering of the last searcher's values ([`GlobalSlots`]), rebuilt when its
    /// segments change.
    global: Mutex<Option<Arc<GlobalSlots>>>,
}

/// One numbering of the values of every segment of a searcher: the slots of each segment's
/// [`SegmentTable`] mapped to one shared slot per (facet, value), so that merging the
/// segments' counts adds numbers into one array instead of hashing every value's label on
/// every search (a tenth of a search's time on a five-segment index of a million rows).
/// Built once per set of segments, that is once per commit or merge.
///
/// Shared slots are numbered in order of (facet, value in byte order): the slots of one
/// facet are one range ([`GlobalSlots::facet_of`]), and values with equal counts are
/// ordered by comparing their slots: a merge reads no label but those it returns.
pub(crate) struct GlobalSlots {
    /// The segments numbered, in the searcher's order.
    segments: Vec<SegmentId>,
    /// Per segment (same order): its slot → the shared slot.
    of_segment: Vec<Arc<[u32]>>,
    /// Shared slot → (facet index among the counted facets, value), in that order.
    labels: Vec<(usize, String)>,
    /// The first shared slot of each facet, by facet index, and the number of slots last.
    facet_starts: Vec<u32>,
}

impl GlobalSlots {
    fn build(tables: &[(SegmentId, Arc<SegmentTable>)]) -> tantivy::Result<Self> {
        let too_many = || tantivy::TantivyError::InternalError("too many facet values".into());
        let mut pairs: Vec<(usize, &str)> = tables
            .iter()
            .flat_map(|(_, t)| t.labels.iter().map(|(f, l)| (*f, l.as_str())))
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        let slot_of: HashMap<(usize, &str), u32> = pairs
            .iter()
            .enumerate()
            .map(|(i, p)| Ok((*p, u32::try_from(i).map_err(|_| too_many())?)))
            .collect::<tantivy::Result<_>>()?;
        let facets = registry::counted().count();
        let mut facet_starts = Vec::with_capacity(facets + 1);
        for facet in 0..=facets {
            let start = pairs.partition_point(|(f, _)| *f < facet);
            facet_starts.push(u32::try_from(start).map_err(|_| too_many())?);
        }
        let of_segment = tables
            .iter()
            .map(|(_, table)| {
                table
                    .labels
                    .iter()
                    .map(|(f, l)| slot_of.get(&(*f, l.as_str())).copied().unwrap_or(u32::MAX))
                    .collect::<Arc<[u32]>>()
            })
            .collect();
        let labels = pairs.into_iter().map(|(f, l)| (f, l.to_string())).collect();
        Ok(Self {
            segments: tables.iter().map(|(id, _)| *id).collect(),
            of_segment,
            labels,
            facet_starts,
        })
    }

    /// The facet index of shared slot `slot` (`usize::MAX` past the last facet).
    fn facet_of(&self, slot: u32) -> usize {
        self.facet_starts
            .partition_point(|start| *start <= slot)
            .checked_sub(1)
            .filter(|f| *f + 1 < self.facet_starts.len())
            .unwrap_or(usize::MAX)
    }

    /// The slot map of segment `id`, if numbered.
    fn of(&self, id: SegmentId) -> Option<Arc<[u32]>> {
        let i = self.segments.iter().position(|s| *s == id)?;
        self.of_segment.get(i).cloned()
    }
}

impl FacetTables {
    /// The table of `segment`, decoded on first use.
    fn get(&self, segment: &SegmentReader) -> tantivy::Result<Arc<SegmentTable>> {
        let id = segment.segment_id();
        if let Some(t) = self.lock().get(&id) {
            return Ok(Arc::clone(t));
        }
        // Decoded outside the lock: two first searches may both decode, one result is kept.
        let table = Arc::new(SegmentTable::build(segment)?);
        Ok(Arc::clone(self.lock().entry(id).or_insert(table)))
    }

    /// The shared numbering of the values of `searcher`'s segments, decoding their tables
    /// on first use.
    fn global(&self, searcher: &Searcher) -> tantivy::Result<Arc<GlobalSlots>> {
        let ids: Vec<SegmentId> = searcher
            .segment_readers()
            .iter()
            .map(SegmentReader::segment_id)
            .collect();
        let lock = || {
            self.global
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        };
        if let Some(g) = lock().as_ref()
            && g.segments == ids
        {
            return Ok(Arc::clone(g));
        }
        let tables = searcher
            .segment_readers()
            .iter()
            .map(|s| Ok((s.segment_id(), self.get(s)?)))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let global = Arc::new(GlobalSlots::build(&tables)?);
        *lock() = Some(Arc::clone(&global));
        Ok(global)
    }

    /// Drops the tables of segments `searcher` no longer holds (merged or deleted away).
    pub(crate) fn retain(&self, searcher: &Searcher) {
        let live: HashSet<SegmentId> = searcher
            .segment_readers()
            .iter()
            .map(SegmentReader::segment_id)
            .collect();
        self.lock().retain(|id, _| live.contains(id));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<SegmentId, Arc<SegmentTable>>> {
        // A panic while holding the lock leaves a consistent map (inserts are whole).
        self.tables
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Counts every counted facet of [`registry::FACETS`] over the matches of a search, from
/// the segment tables of `tables`: every match while a segment has at most `max_rows` of
/// them (at least 1), or with `None` at most its share (by size) of [`MAX_FACET_ROWS`]
/// (every match in an index of at most [`WHOLE_INDEX_ROWS`] rows), else a uniform sample of
/// them (see [`FacetSegment`]).
///
/// # Errors
/// A [`tantivy::TantivyError`] when a segment's facet columns cannot be read.
pub(crate) fn facet_collector(
    tables: Arc<FacetTables>,
    searcher: &Searcher,
    max_rows: Option<usize>,
) -> tantivy::Result<impl Collector<Fruit = Facets>> {
    let rows: u64 = searcher
        .segment_readers()
        .iter()
        .map(|s| u64::from(s.max_doc()))
        .sum();
    // The default sample is shared out by segment size; a caller's sample bounds each
    // segment alone, so that one at least the search's total counts every match however
    // the matches fall among the segments.
    let (max_rows, by_size) = match max_rows {
        Some(n) => (n.max(1), false),
        None if rows <= WHOLE_INDEX_ROWS => (usize::MAX, false),
        None => (MAX_FACET_ROWS, true),
    };
    let global = tables.global(searcher)?;
    let labels = Arc::clone(&global);
    Ok(Counter::new(
        move |_, segment: &SegmentReader| {
            let table = tables.get(segment)?;
            let global_of = global.of(segment.segment_id()).ok_or_else(|| {
                tantivy::TantivyError::InternalError("a segment without a facet numbering".into())
            })?;
            // The segment's share of the default sample, by its size (at least
            // MIN_SEGMENT_SAMPLE); a caller's sample whole.
            let cap = if by_size {
                let share = (max_rows as u64 * u64::from(segment.max_doc()))
                    .checked_div(rows)
                    .unwrap_or(0);
                usize::try_from(share)
                    .unwrap_or(max_rows)
                    .clamp(MIN_SEGMENT_SAMPLE, max_rows)
            } else {
                max_rows
            };
            Ok(FacetSegment {
                table,
                global_of,
                sample: RowSample::new(cap),
            })
        },
        move |fruits| merge(&labels, fruits),
    ))
}

/// Fewest matches a segment samples before thinning (a small segment of a large index).
const MIN_SEGMENT_SAMPLE: usize = 512;

/// What one segment counted: matches per slot of its table, over a sample of one match in
/// `2^level`.
pub(crate) struct SegmentFacets {
    /// The segment's slot → the shared slot ([`GlobalSlots`]).
    global_of: Arc<[u32]>,
    /// (slot, matches) for each slot counted, so that merging costs what was matched, not
    /// the size of the dictionaries.
    counted: Vec<(u32, u32)>,
    /// The sample kept one match in `2^level` (0: every match was counted).
    level: u32,
}

/// Facet counts of a whole search.
pub(crate) struct Facets {
    pub(crate) counts: BTreeMap<String, Vec<FacetCount>>,
    /// True when the counts are estimates from a sample of the matches.
    pub(crate) approximate: bool,
}

/// The facet counter of one segment: the matches' facet values, counted at harvest over a
/// [`RowSample`] of the matches.
pub(crate) struct FacetSegment {
    table: Arc<SegmentTable>,
    global_of: Arc<[u32]>,
    sample: RowSample,
}

/// An adaptive, uniform sample of the rows a search matches in one segment.
///
/// A row `doc` is kept while `sample_hash(doc) <= threshold`, with `threshold =
/// u32::MAX >> level`. When more than `cap` rows are kept, `level` goes up by one and the
/// kept rows are thinned to those under the halved threshold: the sample is always the rows
/// whose hash is under the threshold, whatever the order they came in, so each row had the
/// same chance (`2^-level`) to be kept. The hash is Fibonacci hashing of the row id, whose
/// top bits spread consecutive rows (the paragraphs of one document) evenly; a count over
/// the sample is then an estimate of the count over every row once multiplied by
/// `2^level`.
///
/// Cost: a multiplication and a comparison per row offered; memory: at most `cap + 1` row
/// ids.
pub(crate) struct RowSample {
    sampled: Vec<DocId>,
    cap: usize,
    level: u32,
    threshold: u32,
}

impl RowSample {
    /// An empty sample that keeps every row until it holds more than `cap`.
    pub(crate) fn new(cap: usize) -> Self {
        Self {
            sampled: Vec::new(),
            cap,
            level: 0,
            threshold: u32::MAX,
        }
    }

    /// Offers a matching row (rows in increasing order, as a segment's matches come).
    #[inline]
    pub(crate) fn offer(&mut self, doc: DocId) {
        if sample_hash(doc) > self.threshold {
            return;
        }
        self.sampled.push(doc);
        if self.sampled.len() > self.cap && self.level < 31 {
            self.level += 1;
            self.threshold >>= 1;
            let threshold = self.threshold;
            self.sampled.retain(|d| sample_hash(*d) <= threshold);
        }
    }
}

/// Fibonacci hashing of a row id (Knuth, TAOCP vol. 3, 6.4): a bijection of `u32` whose
/// high bits are spread evenly for consecutive ids.
fn sample_hash(doc: DocId) -> u32 {
    doc.wrapping_mul(0x9E37_79B9)
}

thread_local! {
    /// Counts by slot of a segment's table while harvesting, all zero between harvests (each
    /// zeroes the slots it touched): one array per thread, neither allocated nor cleared
    /// whole per search.
    static HARVEST_COUNTS: std::cell::RefCell<Vec<u32>> = const { std::cell::RefCell::new(Vec::new()) };
    /// Counts by shared slot while merging, all zero between merges (each merge zeroes the
    /// slots it touched): one array per thread, so a merge neither allocates nor clears the
    /// whole numbering.
    static MERGE_COUNTS: std::cell::RefCell<Vec<u64>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The counts of the segments, merged by value, each facet cut to its [`FACET_SIZE`] largest
/// (most matches first, ties in byte order of the value).
fn merge(global: &GlobalSlots, fruits: Vec<SegmentFacets>) -> tantivy::Result<Facets> {
    // Values are merged and ordered by shared slot: only the values returned are copied. One
    // segment (a merged index) needs no merging.
    let facets = registry::counted().count();
    let approximate = fruits.iter().any(|f| f.level > 0);
    // Per facet: (shared slot, count).
    let mut merged: Vec<Vec<(u32, u64)>> = vec![Vec::new(); facets];
    let mut add = |shared: u32, n: u64| {
        if let Some(list) = merged.get_mut(global.facet_of(shared)) {
            list.push((shared, n));
        }
    };
    if let [fruit] = fruits.as_slice() {
        for &(slot, n) in &fruit.counted {
            if let Some(&shared) = fruit.global_of.get(slot as usize) {
                add(shared, u64::from(n) << fruit.level);
            }
        }
    } else {
        MERGE_COUNTS.with_borrow_mut(|counts| {
            if counts.len() < global.labels.len() {
                counts.resize(global.labels.len(), 0);
            }
            let mut touched: Vec<u32> = Vec::new();
            for fruit in &fruits {
                for &(slot, n) in &fruit.counted {
                    let Some(&shared) = fruit.global_of.get(slot as usize) else {
                        continue;
                    };
                    if let Some(c) = counts.get_mut(shared as usize) {
                        if *c == 0 {
                            touched.push(shared);
                        }
                        *c += u64::from(n) << fruit.level;
                    }
                }
            }
            for shared in touched {
                if let Some(c) = counts.get_mut(shared as usize) {
                    add(shared, std::mem::take(c));
                }
            }
        });
    }
    let mut counts = BTreeMap::new();
    for (def, mut list) in registry::counted().zip(merged) {
        let name = def.name;
        // Most matches first, ties by value (byte order: the order of the shared slots).
        let order = |a: &(u32, u64), b: &(u32, u64)| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0));
        let keep = FACET_SIZE as usize;
        if list.len() > keep {
            list.select_nth_unstable_by(keep, order);
            list.truncate(keep);
        }
        list.sort_unstable_by(order);
        let list = list
            .into_iter()
            .filter_map(|(shared, count)| {
                Some(FacetCount {
                    value: global.labels.get(shared as usize)?.1.clone(),
                    count,
                })
            })
            .collect();
        counts.insert((*name).to_string(), list);
    }
    Ok(Facets {
        counts,
        approximate,
    })
}

impl SegmentCollector for FacetSegment {
    type Fruit = SegmentFacets;

    fn collect(&mut self, doc: DocId, _: Score) {
        self.sample.offer(doc);
    }

    fn harvest(self) -> SegmentFacets {
        let table = self.table;
        // The sampled rows are far apart in a table of millions: each read is a cache miss.
        // Reading in passes without a dependency from one row to the next (the rows' slot
        // ranges, then their slots, then the counts) lets the processor wait for many
        // misses at once instead of one row's chain at a time.
        let ranges: Vec<(u32, u32)> = self
            .sample
            .sampled
            .iter()
            .filter_map(|&doc| {
                let doc = doc as usize;
                Some((*table.starts.get(doc)?, *table.starts.get(doc + 1)?))
            })
            .collect();
        let mut slots: Vec<u32> = Vec::with_capacity(ranges.len() * 12);
        for &(from, to) in &ranges {
            slots.extend_from_slice(
                table
                    .slots
                    .get(from as usize..to as usize)
                    .unwrap_or_default(),
            );
        }
        let counted = HARVEST_COUNTS.with_borrow_mut(|counts| {
            if counts.len() < table.labels.len() {
                counts.resize(table.labels.len(), 0);
            }
            let mut touched = Vec::new();
            for slot in slots {
                if let Some(n) = counts.get_mut(slot as usize) {
                    if *n == 0 {
                        touched.push(slot);
                    }
                    *n += 1;
                }
            }
            touched
                .into_iter()
                .map(|slot| {
                    (
                        slot,
                        counts.get_mut(slot as usize).map_or(0, std::mem::take),
                    )
                })
                .collect()
        });
        SegmentFacets {
            global_of: self.global_of,
            counted,
            level: self.sample.level,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A million matching rows, 10% of them holding a value in runs of 40 consecutive rows
    /// (the paragraphs of one document): the sample stays under its cap, is the rows under
    /// its threshold, and its estimate of the value's count is within 5%.
    #[test]
    fn a_sample_of_a_million_rows_estimates_a_value_within_five_percent() {
        let holds = |d: u32| (d / 40) % 10 == 3;
        let mut sample = RowSample::new(MAX_FACET_ROWS);
        for d in 0..1_000_000u32 {
            sample.offer(d);
        }
        assert!(sample.sampled.len() <= MAX_FACET_ROWS);
        assert!(sample.sampled.len() > MAX_FACET_ROWS / 2);
        assert!(sample.level > 0);
        let expected: Vec<u32> = (0..1_000_000u32)
            .filter(|d| sample_hash(*d) <= sample.threshold)
            .collect();
        assert_eq!(sample.sampled, expected);
        let estimate = sample.sampled.iter().filter(|d| holds(**d)).count() << sample.level;
        let exact = (0..1_000_000u32).filter(|d| holds(*d)).count();
        let error = (estimate as f64 - exact as f64).abs() / exact as f64;
        assert!(error < 0.05, "estimate {estimate}, exact {exact}");
    }

    /// The real 2026 report indexed as six segments gives the facet counts of the same rows
    /// merged into one segment, for words, a filter and everything: the segments' values are
    /// merged through one numbering ([`GlobalSlots`]), not by label. A commit renumbers.
    #[test]
    fn six_segments_count_as_one() {
        use crate::{SearchRequest, UndexIndex};
        let rows = undex_testkit::tagged_seed_rows("sg-r2p-report-2026.txt");
        let build = |merge: bool| {
            let index = UndexIndex::in_memory().unwrap();
            let mut batch = index.begin().unwrap();
            crate::writer::tests::add_in_commits(&mut batch, &rows, 6);
            if merge {
                batch.merge_segments().unwrap();
            }
            drop(batch);
            index.reader.reload().unwrap();
            index
        };
        let (six, one) = (build(false), build(true));
        assert_eq!(six.reader.searcher().segment_readers().len(), 6);
        assert_eq!(one.reader.searcher().segment_readers().len(), 1);
        let mut values = 0;
        for q in [
            "",
            "prevention",
            "atrocity prevention",
            "pillar:III",
            "Member States",
        ] {
            let req = SearchRequest {
                q: q.into(),
                limit: 5,
                ..SearchRequest::default()
            };
            let (a, b) = (six.search(&req).unwrap(), one.search(&req).unwrap());
            assert!(!a.facets_approximate, "{q:?}");
            assert_eq!(a.facets, b.facets, "{q:?}");
            values += a.facets.values().map(Vec::len).sum::<usize>();
        }
        assert!(values > 50, "{values} facet values compared");
        // A later commit adds a segment: the next search numbers its values too.
        let global = six.facet_tables.global(&six.reader.searcher()).unwrap();
        let mut batch = six.begin().unwrap();
        crate::writer::tests::add_in_commits(&mut batch, &rows[..10], 1);
        drop(batch);
        six.reader.reload().unwrap();
        let searcher = six.reader.searcher();
        let renumbered = six.facet_tables.global(&searcher).unwrap();
        assert_eq!(renumbered.segments.len(), searcher.segment_readers().len());
        assert_ne!(renumbered.segments, global.segments);
    }

    /// Every facet value of every row is counted, rows of many values included: the counts
    /// of a listing of every row (counted whole) are those tallied from the rows themselves,
    /// on the 2026 report and a Universal Periodic Review working group report (whose
    /// recommendations name many States, and whose rows hold up to dozens of values).
    #[test]
    fn every_value_of_every_row_is_counted() {
        use crate::{SearchRequest, UndexIndex};
        let mut upr =
            undex_testkit::untagged_document("corpus/pdf/hrc_upr_wg_reports/france2013.pdf");
        undex_tag::tag_document(&mut upr);
        let docs = [
            undex_testkit::tagged_seed_rows("sg-r2p-report-2026.txt"),
            upr.rows(),
        ];
        let mut want: BTreeMap<(String, String), u64> = BTreeMap::new();
        let mut most = 0;
        for row in docs.iter().flatten() {
            let mut values = 0;
            for def in registry::counted() {
                let mut add = |v: &str| {
                    *want
                        .entry((def.name.to_string(), v.to_string()))
                        .or_default() += 1;
                    values += 1;
                };
                if def.kind == registry::ValueKind::Year {
                    if let Some(y) = row.year {
                        add(&y.to_string());
                    }
                } else {
                    (def.values)(row, &mut add);
                }
            }
            most = most.max(values);
        }
        assert!(most > 16, "the rows hold at most {most} values each");
        let index = UndexIndex::in_memory().unwrap();
        index.replace_documents(&docs).unwrap();
        let req = SearchRequest {
            q: String::new(),
            limit: 1,
            ..SearchRequest::default()
        };
        let got = index.search(&req).unwrap();
        assert!(!got.facets_approximate);
        let mut compared = 0;
        for (facet, values) in &got.facets {
            for v in values {
                let key = (facet.clone(), v.value.clone());
                assert_eq!(Some(&v.count), want.get(&key), "{key:?}");
                compared += 1;
            }
        }
        assert!(compared > 100, "{compared} values compared");
    }

    /// Fewer rows than the cap: every row is kept, the counts are exact.
    #[test]
    fn a_small_match_is_counted_whole() {
        let mut sample = RowSample::new(MAX_FACET_ROWS);
        for d in (0..3 * MAX_FACET_ROWS as u32).step_by(3) {
            sample.offer(d);
        }
        assert_eq!(sample.level, 0);
        assert_eq!(sample.sampled.len(), MAX_FACET_ROWS);
    }

    /// A small index is counted whole by default; a caller's sample smaller than the
    /// matches makes estimates (scaled up, marked approximate), one of `usize::MAX` counts
    /// whole again.
    #[test]
    fn the_caller_chooses_the_sample() {
        use crate::{SearchRequest, UndexIndex};
        let rows = undex_testkit::tagged_seed_rows("sg-r2p-report-2026.txt");
        let index = UndexIndex::in_memory().unwrap();
        let mut batch = index.begin().unwrap();
        crate::writer::tests::add_in_commits(&mut batch, &rows, 2);
        drop(batch);
        index.reader.reload().unwrap();
        let search = |facet_rows| {
            index
                .search(&SearchRequest {
                    facet_rows,
                    ..SearchRequest::default()
                })
                .unwrap()
        };
        let whole = search(None);
        assert_eq!(whole.total, rows.len());
        assert!(rows.len() > 50, "{} rows", rows.len());
        assert!(!whole.facets_approximate);
        assert_eq!(search(Some(usize::MAX)).facets, whole.facets);
        let sampled = search(Some(20));
        assert!(sampled.facets_approximate);
        assert_ne!(sampled.facets, whole.facets);
        // The one language's count: every row when counted whole; from the sample, scaled up
        // by a power of two in each segment (so even), where the sample is the segment's
        // rows under the hash threshold.
        let en = |r: &crate::SearchResponse| r.facets["language"][0].count;
        assert_eq!(en(&whole), rows.len() as u64);
        assert!(en(&sampled) % 2 == 0 && en(&sampled) > 0);
    }

    /// A caller's sample at least the total counts every match, also when the matches all
    /// fall in one of two equal segments (more than its share by size of the sample, and
    /// more than `MIN_SEGMENT_SAMPLE`).
    #[test]
    fn a_sample_of_the_total_is_exact_however_the_matches_fall() {
        use crate::{Filters, SearchRequest, UndexIndex};
        let report = undex_testkit::tagged_seed_rows("sg-r2p-report-2026.txt");
        let copies = MIN_SEGMENT_SAMPLE.div_ceil(report.len()) + 1;
        let index = UndexIndex::in_memory().unwrap();
        let mut batch = index.begin().unwrap();
        // Two segments of the same rows: the 2026 report `copies` times, dated 2020 in one
        // and 2021 in the other.
        for year in [2020, 2021] {
            let mut segment = Vec::new();
            for k in 0..copies {
                let mut doc = undex_testkit::with_date(report.clone(), &format!("{year}-06-01"));
                for r in &mut doc {
                    r.date = Some(format!("{year}-06-01"));
                    r.year = Some(year);
                    r.doc_id = format!("D{year}-{k}");
                    r.source_file = format!("d{year}-{k}.txt");
                    r.sha256 = format!("{year}{k:060}");
                }
                segment.push(doc);
            }
            for doc in &segment {
                batch.replace(doc).unwrap();
            }
            batch.commit().unwrap();
        }
        drop(batch);
        index.reader.reload().unwrap();
        assert_eq!(index.reader.searcher().segment_readers().len(), 2);
        let search = |facet_rows| {
            index
                .search(&SearchRequest {
                    filters: Filters {
                        year: Some(2020),
                        ..Filters::default()
                    },
                    facet_rows,
                    ..SearchRequest::default()
                })
                .unwrap()
        };
        let exact = search(Some(usize::MAX));
        assert_eq!(exact.total, copies * report.len());
        assert!(exact.total > MIN_SEGMENT_SAMPLE);
        assert!(!exact.facets_approximate);
        let of_total = search(Some(exact.total));
        assert!(!of_total.facets_approximate);
        assert_eq!(of_total.facets, exact.facets);
        assert!(search(Some(exact.total - 1)).facets_approximate);
    }
}

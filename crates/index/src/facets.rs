//! Facet counts of a search, in the same pass as the search, from per-segment value tables.
//!
//! Reading a fast column per matching row and facet costs a rank lookup in the column's
//! optional index each time (about 30 ns, eleven times a row: a third of a millisecond per
//! thousand matches). Instead, the first search that meets a segment decodes its facet
//! columns once into flat tables ([`SegmentTable`]: for each facet, the value ordinals of
//! every row, and the values' labels), kept for as long as the segment lives; counting a
//! match is then an array read and an increment per facet. Segments are immutable, so a table
//! never goes stale; tables of merged-away segments are dropped at the next search.
//!
//! The cost is still bounded: at most [`MAX_FACET_ROWS`] matching rows are counted per
//! search (the first ones of each segment, in index order); past that the counts are a sample
//! and the response says so ([`crate::SearchResponse::facets_approximate`]), while `total`
//! stays exact.
//!
//! Memory: 4 bytes per row plus 4 per facet value of a row: about 40 MB for a million rows
//! (the build holds a second copy while it runs).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;
use tantivy::collector::{Collector, SegmentCollector};

use crate::collect::Counter;
use tantivy::index::SegmentId;
use tantivy::{DocId, Score, Searcher, SegmentReader};

use crate::registry;
use crate::{FACET_SIZE, FacetCount};

/// Most matching rows whose facet values one search counts (see the module docs). A search
/// of the shared corpus (under 10,000 rows) is always counted whole.
pub const MAX_FACET_ROWS: usize = 200_000;

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
/// the segment tables of `tables`, at most [`MAX_FACET_ROWS`] matches in all.
pub(crate) fn facet_collector(tables: Arc<FacetTables>) -> impl Collector<Fruit = Facets> {
    // Rows that may still be counted, shared by the segments.
    let budget = Arc::new(AtomicUsize::new(MAX_FACET_ROWS));
    Counter::new(
        move |_, segment: &SegmentReader| {
            let table = tables.get(segment)?;
            let counts = vec![0; table.labels.len()];
            Ok(FacetSegment {
                table,
                counts,
                touched: Vec::new(),
                budget: Arc::clone(&budget),
                local: 0,
                skipped: 0,
            })
        },
        merge,
    )
}

/// What one segment counted: matches per slot of its table.
pub(crate) struct SegmentFacets {
    table: Arc<SegmentTable>,
    counts: Vec<u32>,
    /// The slots whose count is not 0, each once, so that merging costs what was matched,
    /// not the size of the dictionaries.
    touched: Vec<u32>,
    /// Matches not counted (over the budget).
    skipped: u64,
}

/// Facet counts of a whole search.
pub(crate) struct Facets {
    pub(crate) counts: BTreeMap<String, Vec<FacetCount>>,
    /// True when some matches were not counted.
    pub(crate) approximate: bool,
}

pub(crate) struct FacetSegment {
    table: Arc<SegmentTable>,
    /// Matches per slot of the table.
    counts: Vec<u32>,
    /// The slots whose count is not 0.
    touched: Vec<u32>,
    budget: Arc<AtomicUsize>,
    /// Rows this segment may still count before taking more of the shared budget.
    local: usize,
    skipped: u64,
}

/// Rows a segment takes from the shared budget at a time.
const BUDGET_CHUNK: usize = 4096;

/// The counts of the segments, merged by label, each facet cut to its [`FACET_SIZE`] largest.
impl SegmentFacets {
    /// What this segment counted: (facet index, value, count) for each value counted.
    fn counted(&self) -> impl Iterator<Item = (usize, &str, u64)> {
        self.touched.iter().filter_map(|&slot| {
            let slot = slot as usize;
            let (facet, label) = self.table.labels.get(slot)?;
            let n = self.counts.get(slot)?;
            Some((*facet, label.as_str(), u64::from(*n)))
        })
    }
}

fn merge(fruits: Vec<SegmentFacets>) -> tantivy::Result<Facets> {
    // Values are merged by label across segments, borrowing the labels from the tables:
    // only the values returned are copied. One segment (a merged index) needs no merging.
    let facets = registry::counted().count();
    let skipped: u64 = fruits.iter().map(|f| f.skipped).sum();
    let mut merged: Vec<Vec<(&str, u64)>> = vec![Vec::new(); facets];
    if let [fruit] = fruits.as_slice() {
        for (facet, label, n) in fruit.counted() {
            if let Some(list) = merged.get_mut(facet) {
                list.push((label, n));
            }
        }
    } else {
        let mut maps: Vec<FxHashMap<&str, u64>> = vec![FxHashMap::default(); facets];
        for (facet, label, n) in fruits.iter().flat_map(SegmentFacets::counted) {
            if let Some(map) = maps.get_mut(facet) {
                *map.entry(label).or_default() += n;
            }
        }
        for (list, map) in merged.iter_mut().zip(maps) {
            list.extend(map);
        }
    }
    let mut counts = BTreeMap::new();
    for (def, mut list) in registry::counted().zip(merged) {
        let name = def.name;
        let order = |a: &(&str, u64), b: &(&str, u64)| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0));
        let keep = FACET_SIZE as usize;
        if list.len() > keep {
            list.select_nth_unstable_by(keep, order);
            list.truncate(keep);
        }
        list.sort_unstable_by(order);
        let list = list
            .into_iter()
            .map(|(value, count)| FacetCount {
                value: value.to_string(),
                count,
            })
            .collect();
        counts.insert((*name).to_string(), list);
    }
    Ok(Facets {
        counts,
        approximate: skipped > 0,
    })
}

impl SegmentCollector for FacetSegment {
    type Fruit = SegmentFacets;

    fn collect(&mut self, doc: DocId, _: Score) {
        if self.local == 0 {
            // Take the next chunk of the shared budget (one atomic operation per chunk).
            let mut granted = 0;
            let _ = self
                .budget
                .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                    granted = left.min(BUDGET_CHUNK);
                    Some(left - granted)
                });
            self.local = granted;
        }
        if self.local == 0 {
            self.skipped += 1;
            return;
        }
        self.local -= 1;
        let doc = doc as usize;
        let table = &*self.table;
        let (Some(&from), Some(&to)) = (table.starts.get(doc), table.starts.get(doc + 1)) else {
            return;
        };
        for &slot in table
            .slots
            .get(from as usize..to as usize)
            .unwrap_or_default()
        {
            if let Some(n) = self.counts.get_mut(slot as usize) {
                if *n == 0 {
                    self.touched.push(slot);
                }
                *n += 1;
            }
        }
    }

    fn harvest(self) -> SegmentFacets {
        SegmentFacets {
            table: self.table,
            counts: self.counts,
            touched: self.touched,
            skipped: self.skipped,
        }
    }
}

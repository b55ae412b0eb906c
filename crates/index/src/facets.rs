//! Facet counts of a search, from the fast columns, in the same pass as the search.
//!
//! Each facet of [`crate::FACETS`] is counted by term ordinal on its fast column (`year` on
//! its i64 column), per segment, and ordinals are turned into values once per segment at the
//! end: no JSON, no per-document allocation. The cost is bounded: at most
//! [`MAX_FACET_ROWS`] matching rows are counted per search (the first ones of each segment,
//! in index order); past that the counts are a sample and the response says so
//! ([`crate::SearchResponse::facets_approximate`]), while `total` stays exact.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::{FACET_SIZE, FACETS, FacetCount};

/// Most matching rows whose facet values one search counts (see the module docs). A search
/// of the shared corpus (under 10,000 rows) is always counted whole.
pub const MAX_FACET_ROWS: usize = 20_000;

/// Counts every facet of [`FACETS`] over the matches of a search.
pub(crate) struct FacetCollector {
    /// Rows that may still be counted, shared by the segments.
    budget: Arc<AtomicUsize>,
}

impl FacetCollector {
    pub(crate) fn new() -> Self {
        Self {
            budget: Arc::new(AtomicUsize::new(MAX_FACET_ROWS)),
        }
    }
}

/// What one segment counted.
pub(crate) struct SegmentFacets {
    /// One per facet: counts by value.
    by_facet: Vec<BTreeMap<String, u64>>,
    /// Matches not counted (over the budget).
    skipped: u64,
}

/// Facet counts of a whole search.
pub(crate) struct Facets {
    pub(crate) counts: BTreeMap<String, Vec<FacetCount>>,
    /// True when some matches were not counted.
    pub(crate) approximate: bool,
}

enum FacetColumn {
    Year(Option<Column<i64>>),
    Keyword {
        column: Option<StrColumn>,
        counts: Vec<u64>,
    },
}

pub(crate) struct FacetSegment {
    columns: Vec<FacetColumn>,
    years: BTreeMap<i64, u64>,
    budget: Arc<AtomicUsize>,
    /// Rows this segment may still count before taking more of the shared budget.
    local: usize,
    skipped: u64,
}

/// Rows a segment takes from the shared budget at a time.
const BUDGET_CHUNK: usize = 1024;

impl Collector for FacetCollector {
    type Fruit = Facets;
    type Child = FacetSegment;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let ff = segment.fast_fields();
        let mut columns = Vec::with_capacity(FACETS.len());
        for (_, field) in FACETS {
            if field == "year" {
                columns.push(FacetColumn::Year(ff.column_opt::<i64>("year")?));
            } else {
                let column = ff.str(field)?;
                let terms = column.as_ref().map_or(0, |c| c.num_terms());
                columns.push(FacetColumn::Keyword {
                    column,
                    counts: vec![0; terms],
                });
            }
        }
        Ok(FacetSegment {
            columns,
            years: BTreeMap::new(),
            budget: Arc::clone(&self.budget),
            local: 0,
            skipped: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<SegmentFacets>) -> tantivy::Result<Facets> {
        let mut merged: Vec<BTreeMap<String, u64>> = vec![BTreeMap::new(); FACETS.len()];
        let mut skipped = 0;
        for fruit in fruits {
            skipped += fruit.skipped;
            for (into, from) in merged.iter_mut().zip(fruit.by_facet) {
                for (value, n) in from {
                    *into.entry(value).or_default() += n;
                }
            }
        }
        let mut counts = BTreeMap::new();
        for ((name, _), values) in FACETS.iter().zip(merged) {
            let mut list: Vec<FacetCount> = values
                .into_iter()
                .filter(|(_, n)| *n > 0)
                .map(|(value, count)| FacetCount { value, count })
                .collect();
            list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
            list.truncate(FACET_SIZE as usize);
            counts.insert((*name).to_string(), list);
        }
        Ok(Facets {
            counts,
            approximate: skipped > 0,
        })
    }
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
        for column in &mut self.columns {
            match column {
                FacetColumn::Year(Some(years)) => {
                    if let Some(y) = years.first(doc) {
                        *self.years.entry(y).or_default() += 1;
                    }
                }
                FacetColumn::Year(None) => {}
                FacetColumn::Keyword {
                    column: Some(col),
                    counts,
                } => {
                    for ord in col.term_ords(doc) {
                        if let Some(n) = usize::try_from(ord).ok().and_then(|o| counts.get_mut(o)) {
                            *n += 1;
                        }
                    }
                }
                FacetColumn::Keyword { column: None, .. } => {}
            }
        }
    }

    fn harvest(self) -> SegmentFacets {
        let mut by_facet = Vec::with_capacity(self.columns.len());
        for column in &self.columns {
            let mut map = BTreeMap::new();
            match column {
                FacetColumn::Year(_) => {
                    for (y, n) in &self.years {
                        map.insert(y.to_string(), *n);
                    }
                }
                FacetColumn::Keyword {
                    column: Some(col),
                    counts,
                } => {
                    // The counted ordinals, ascending, decoded in one pass over the
                    // dictionary: each of its (compressed) blocks is opened once, not once
                    // per value as `ord_to_str` would.
                    let (ords, ns): (Vec<u64>, Vec<u64>) = counts
                        .iter()
                        .enumerate()
                        .filter(|(_, n)| **n > 0)
                        .map(|(ord, n)| (ord as u64, *n))
                        .unzip();
                    let mut ns = ns.into_iter();
                    let _ = col.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
                        if let (Some(n), Ok(value)) = (ns.next(), std::str::from_utf8(bytes)) {
                            *map.entry(value.to_string()).or_default() += n;
                        }
                    });
                }
                FacetColumn::Keyword { column: None, .. } => {}
            }
            by_facet.push(map);
        }
        SegmentFacets {
            by_facet,
            skipped: self.skipped,
        }
    }
}

//! One [`Collector`] for the counts undex takes over every match of a search (facets, years,
//! keyword values, documents): each is a per-segment counter and a merge, given as two
//! functions, instead of one trait implementation each.

use tantivy::collector::{Collector, Fruit, SegmentCollector};
use tantivy::{SegmentOrdinal, SegmentReader};

/// A collector that needs no scores, made of `start` (the counter of one segment) and
/// `merge` (the segments' counts into one answer).
pub(crate) struct Counter<Start, Merge> {
    start: Start,
    merge: Merge,
}

impl<Start, Merge> Counter<Start, Merge> {
    /// The collector of `start` and `merge`.
    pub(crate) fn new(start: Start, merge: Merge) -> Self {
        Self { start, merge }
    }
}

impl<S, Out, Start, Merge> Collector for Counter<Start, Merge>
where
    S: SegmentCollector,
    Out: Fruit,
    Start: Fn(SegmentOrdinal, &SegmentReader) -> tantivy::Result<S> + Send + Sync,
    Merge: Fn(Vec<S::Fruit>) -> tantivy::Result<Out> + Send + Sync,
{
    type Fruit = Out;
    type Child = S;

    fn for_segment(&self, ordinal: SegmentOrdinal, segment: &SegmentReader) -> tantivy::Result<S> {
        (self.start)(ordinal, segment)
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<S::Fruit>) -> tantivy::Result<Out> {
        (self.merge)(fruits)
    }
}

//! undex's own collectors: [`Counter`], one [`Collector`] for the counts undex takes over
//! every match of a search (facets, years, keyword values, documents), each a per-segment
//! counter and a merge given as two functions instead of one trait implementation each; and
//! [`TopScores`], the best-scored rows with ties in index order.

use tantivy::collector::{Collector, Fruit, SegmentCollector};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

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

/// The best-scored rows of a search, `offset..offset + limit` of them: as tantivy's
/// `TopDocs::order_by_score`, except that of rows of equal score the first in the index
/// (segment, then row) always ranks first. tantivy's merge of the segments' rows keeps the
/// first of equal rows it is given, and its segment collectors give them in no set order, so
/// which rows a page ended with among equal scores depended on how each segment's collector
/// happened to fill (and would change with anything that changes the scores it is given
/// below the page, such as [`crate::words::WordsQuery::keep`]).
///
/// Memory: at most `2 × (offset + limit)` rows per segment while collecting.
pub(crate) struct TopScores {
    limit: usize,
    offset: usize,
}

impl TopScores {
    /// The rows `offset..offset + limit` by score (a `limit` of 0 is taken as 1, as
    /// tantivy's `TopDocs` requires).
    pub(crate) fn new(limit: usize, offset: usize) -> Self {
        Self {
            limit: limit.max(1),
            offset,
        }
    }

    /// How many best rows each segment keeps: `offset + limit`.
    pub(crate) fn keep(&self) -> usize {
        self.offset.saturating_add(self.limit)
    }
}

/// Best score first, then the first row.
fn by_rank<D: Ord>(a: &(Score, D), b: &(Score, D)) -> std::cmp::Ordering {
    b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1))
}

/// One segment's best `keep` rows: a buffer of up to `2 × keep`, cut to the best `keep` when
/// full, after which a row must beat the `keep`-th best to enter (rows come in row order, so
/// an equal score comes later and ranks lower).
pub(crate) struct TopScoresSegment {
    ordinal: SegmentOrdinal,
    keep: usize,
    rows: Vec<(Score, DocId)>,
    floor: Option<Score>,
}

impl TopScoresSegment {
    /// Keeps the best `keep` rows; the last is then the `keep`-th best.
    fn cut(&mut self) {
        if self.rows.len() > self.keep {
            self.rows.select_nth_unstable_by(self.keep - 1, by_rank);
            self.rows.truncate(self.keep);
        }
    }
}

impl SegmentCollector for TopScoresSegment {
    type Fruit = Vec<(Score, DocAddress)>;

    #[inline]
    fn collect(&mut self, doc: DocId, score: Score) {
        if self.floor.is_some_and(|floor| score <= floor) {
            return;
        }
        if self.rows.len() == 2 * self.keep {
            self.cut();
            self.floor = self.rows.last().map(|r| r.0);
            if self.floor.is_some_and(|floor| score <= floor) {
                return;
            }
        }
        self.rows.push((score, doc));
    }

    fn harvest(mut self) -> Self::Fruit {
        self.cut();
        let ordinal = self.ordinal;
        self.rows
            .into_iter()
            .map(|(score, doc)| (score, DocAddress::new(ordinal, doc)))
            .collect()
    }
}

impl Collector for TopScores {
    type Fruit = Vec<(Score, DocAddress)>;
    type Child = TopScoresSegment;

    fn for_segment(
        &self,
        ordinal: SegmentOrdinal,
        _: &SegmentReader,
    ) -> tantivy::Result<TopScoresSegment> {
        let keep = self.keep();
        Ok(TopScoresSegment {
            ordinal,
            keep,
            rows: Vec::with_capacity(keep.saturating_mul(2).min(1 << 16)),
            floor: None,
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        let mut rows: Vec<(Score, DocAddress)> = fruits.into_iter().flatten().collect();
        rows.sort_unstable_by(by_rank);
        Ok(rows
            .into_iter()
            .skip(self.offset)
            .take(self.limit)
            .collect())
    }
}

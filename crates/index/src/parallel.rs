//! Searching one query's segments on several cores when no other search runs, if asked.
//!
//! tantivy searches the segments of an index one after the other, or, given a thread pool,
//! one task per segment while the searching thread waits. Here the searching thread takes the
//! segments itself, largest first, and a pool of one thread per other core takes from the
//! same queue: from the first segment on when the query's postings promise a pass of
//! [`HELP_POSTINGS`] or more, else once what is left should take [`HELP_FOR`] or more at the
//! pace so far (see [`run_on`]). A pool makes one search faster, but under load its tasks
//! compete with the other searches for the same cores, and waking it costs a core's tens of
//! microseconds. So [`SearchThreads::run`] uses it only for a search that starts while no
//! other search of the same index is running, on an index of two or more segments (an index
//! of more than [`crate::MAX_SEGMENT_ROWS`] rows: see [`crate::IndexBatch::merge_segments`]);
//! under load every search runs on its own thread. The answer is the same either way: each
//! segment is collected alone and the segments' answers are merged in segment order.
//!
//! The pool is off unless [`SEARCH_THREADS_ENV`] asks for it (`UNDEX_SEARCH_THREADS=auto`,
//! or a number of threads from 2): every search runs on its caller's thread. The trade, on
//! the scale benchmark's 1M rows (two segments) through `undex serve` on two cores: with the
//! pool one client's queries per second come close to what eight clients get (session 25:
//! 875–893 against 1,010–1,047 per second, 1.15–1.17×, median 0.93–0.96 ms), where one
//! search a thread leaves the second core to the next request (594–598 against 1,070–1,076,
//! 1.80×, median 1.28 ms). A server is for many clients, and a median of about a millisecond
//! either way is below what a person notices, so the default is one thread a search; a
//! desktop index of tens of millions of rows, searched by one person, gains from the pool.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::{EnableScoring, Query};
use tantivy::{Searcher, SegmentReader};

use crate::stem_search::Stems;

/// Most threads one search uses, its own included (the machine's cores, up to this).
const MAX_SEARCH_THREADS: usize = 8;

/// The environment variable that sets how many threads one search may use, its own
/// included: unset or `1`, every query is searched on its caller's thread alone (all cores go
/// to concurrent searches: the most queries per second under load); `auto`, the machine's
/// cores; a whole number from 2, that many threads (a lone long search is then shared: see
/// the module docs); at most `MAX_SEARCH_THREADS`. Any other value is warned about and
/// ignored.
pub const SEARCH_THREADS_ENV: &str = "UNDEX_SEARCH_THREADS";

/// Threads one search may use: [`SEARCH_THREADS_ENV`]'s `setting` when it is `auto` (`cores`)
/// or a whole number from 1, else 1; at most [`MAX_SEARCH_THREADS`].
fn search_threads(setting: Option<&str>, cores: usize) -> usize {
    let set = setting.and_then(|v| match v.trim() {
        "auto" => Some(cores),
        n => match n.parse::<usize>() {
            Ok(n) if n >= 1 => Some(n),
            _ => {
                tracing::warn!(
                    "{SEARCH_THREADS_ENV}={v:?} is neither `auto` nor a whole number from 1: ignored"
                );
                None
            }
        },
    });
    set.unwrap_or(1).clamp(1, MAX_SEARCH_THREADS)
}

/// The search pool of one index and the count of its running searches.
#[derive(Default)]
pub(crate) struct SearchThreads {
    /// Searches of this index running now.
    running: AtomicUsize,
    /// The pool, built on first use; `None` on a machine of one core.
    pool: OnceLock<Option<rayon::ThreadPool>>,
}

/// Counts one running search until dropped.
struct Running<'a>(&'a AtomicUsize);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl SearchThreads {
    /// The pool: as many threads as [`SEARCH_THREADS_ENV`] asks but one (the searching thread
    /// works too); `None` with one thread (the default) or when the threads cannot be started
    /// (searches then run on the caller's thread alone).
    fn pool(&self) -> Option<&rayon::ThreadPool> {
        self.pool
            .get_or_init(|| {
                let cores = std::thread::available_parallelism().map_or(1, usize::from);
                let threads =
                    search_threads(std::env::var(SEARCH_THREADS_ENV).ok().as_deref(), cores);
                if threads < 2 {
                    return None;
                }
                rayon::ThreadPoolBuilder::new()
                    .num_threads(threads - 1)
                    .thread_name(|i| format!("undex-search-{i}"))
                    .build()
                    .inspect_err(|e| tracing::warn!("no search threads: {e}"))
                    .ok()
            })
            .as_ref()
    }

    /// `searcher.search(query, collector)`, its segments left spread over the pool when this
    /// is the only search of the index running, it has two or more segments and they should
    /// take [`HELP_FOR`] or more (see the module docs). `stems`: where the index keeps its
    /// stemmed fields in `.stems` files, for their terms' document frequencies.
    ///
    /// # Errors
    /// As [`Searcher::search`].
    pub(crate) fn run<C: Collector>(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        collector: &C,
        stems: Option<&Stems>,
    ) -> tantivy::Result<C::Fruit> {
        let alone = self.running.fetch_add(1, Ordering::AcqRel) == 0;
        let _running = Running(&self.running);
        let pool = (alone && searcher.segment_readers().len() > 1)
            .then(|| self.pool())
            .flatten();
        // A search whose postings alone promise a long pass is shared from its first
        // segment on; any other is helped only once its pace says so.
        let help_for = if pool.is_some() && reads_at_least(searcher, query, HELP_POSTINGS, stems) {
            Duration::ZERO
        } else {
            HELP_FOR
        };
        run_on(searcher, query, collector, pool, help_for)
    }
}

/// Postings a search should read for the pool to take part from its first segment on:
/// 20,000. Segments are taken whole, so a pool that waits for the first segment's pace
/// (see [`HELP_FOR`]) never helps an index of two segments (the scale benchmark's million
/// rows): the first is half the search. Sharing from the start costs a thread wake-up of
/// tens of microseconds, worth it once the postings are many times a rare word's: a single
/// term of the scale benchmark matches about 900 rows at the median and is searched in
/// about 0.28 ms in process, mostly fixed costs, so it stays on one thread. Session 23, 1M
/// index in two segments, 500 queries in process: median 1,125-1,145 us on one thread,
/// 763-797 us shared from the start, CPU per query +4-7%.
pub(crate) const HELP_POSTINGS: u64 = 20_000;

/// Whether a search of `query` should read `at_least` postings: the sum of its terms'
/// document frequencies in `searcher` (every field's), counted until it reaches
/// `at_least`; a query of no terms (the listing of every row) reads every row. An estimate
/// from the term dictionaries (and `stems`' files) alone: a term whose lookup fails counts as
/// absent.
fn reads_at_least(
    searcher: &Searcher,
    query: &dyn Query,
    at_least: u64,
    stems: Option<&Stems>,
) -> bool {
    let mut terms = Vec::new();
    query.query_terms(&mut |term, _| terms.push(term));
    if terms.is_empty() {
        return searcher.num_docs() >= at_least;
    }
    let mut postings = 0u64;
    for term in terms {
        let in_files = stems.filter(|s| s.language(term.field()).is_some());
        postings += match in_files {
            Some(stems) => stems.doc_freq(searcher, term),
            None => searcher.doc_freq(term),
        }
        .unwrap_or(0);
        if postings >= at_least {
            return true;
        }
    }
    false
}

/// What one thread collected: (segment ordinal, the segment's answer) for each segment it
/// took.
type Share<C> = tantivy::Result<Vec<(u32, <<C as Collector>::Child as SegmentCollector>::Fruit)>>;

/// The least time the rest of a search should take, at its pace so far, for it to ask the
/// pool to take the segments left (see [`run_on`]): 2 ms. A rest of 2 ms shared with a second
/// core comes about a millisecond sooner, for a thread wake-up of tens of microseconds; a
/// shorter rest gains too little to take a core that a concurrent request could use. On the
/// scale benchmark's 1M index in five segments (session 21) about the slowest tenth of the
/// 500 queries was helped: through `undex serve`, one client's p99 5.4–5.7 ms against
/// 7.7–8.4 without the pool, and eight clients reached 1.67–2.00× one client's queries per
/// second, against 1.31–1.42× when the pool helped every lone search. In two segments
/// (session 22) this rule never helps: the first segment is half the search, and by its end
/// only the other is left. Since session 23 a search that promises [`HELP_POSTINGS`] is
/// shared from its start instead (`docs/performance.md`).
pub(crate) const HELP_FOR: Duration = Duration::from_millis(2);

/// `searcher.search(query, collector)`. The segments are taken largest first, one at a time,
/// by this thread; with a pool, each pool thread takes segments from the same queue too: from
/// the start when `help_for` is zero, else once the segments left should take `help_for` or
/// more (the time so far scaled by their rows against the rows done). The segments' answers
/// are merged in segment order whoever collected them, so the answer is the same.
fn run_on<C: Collector>(
    searcher: &Searcher,
    query: &dyn Query,
    collector: &C,
    pool: Option<&rayon::ThreadPool>,
    help_for: Duration,
) -> tantivy::Result<C::Fruit> {
    let Some(pool) = pool else {
        return searcher.search(query, collector);
    };
    let started = Instant::now();
    let scoring = if collector.requires_scoring() {
        EnableScoring::enabled_from_searcher(searcher)
    } else {
        EnableScoring::disabled_from_searcher(searcher)
    };
    let weight = query.weight(scoring)?;
    collector.check_schema(searcher.schema())?;
    let segments = searcher.segment_readers();
    let mut by_size: Vec<(u32, &SegmentReader)> = (0u32..).zip(segments).collect();
    by_size.sort_by_key(|(ord, s)| (std::cmp::Reverse(s.max_doc()), *ord));
    let total: u64 = by_size.iter().map(|(_, s)| u64::from(s.max_doc())).sum();
    let next = AtomicUsize::new(0);
    // The next segment of the queue, collected: (ordinal, answer, rows); `None` once empty.
    let step = || {
        let &(ord, segment) = by_size.get(next.fetch_add(1, Ordering::Relaxed))?;
        Some(
            collector
                .collect_segment(&*weight, ord, segment)
                .map(|fruit| (ord, fruit, segment.max_doc())),
        )
    };
    let mut theirs: Vec<Option<Share<C>>> = (0..pool.current_num_threads()).map(|_| None).collect();
    let mine: Share<C> = pool.in_place_scope(|scope| {
        let mut helpers = Some(&mut theirs);
        let step = &step;
        // Each pool thread takes segments from the queue until it is empty (once).
        let mut help = move || {
            for slot in helpers.take().into_iter().flatten() {
                scope.spawn(move |_| {
                    *slot = Some(
                        std::iter::from_fn(step)
                            .map(|c| c.map(|(ord, fruit, _)| (ord, fruit)))
                            .collect(),
                    );
                });
            }
        };
        let mut helped = help_for.is_zero();
        if helped {
            help();
        }
        let mut taken = Vec::new();
        let mut done = 0u64;
        while let Some(collected) = step() {
            let (ord, fruit, rows) = collected?;
            taken.push((ord, fruit));
            done += u64::from(rows);
            // Help once the segments left should take `help_for` at the pace so far.
            let left = total.saturating_sub(done) as f64 / done.max(1) as f64;
            if !helped
                && left > 0.0
                && started.elapsed().as_secs_f64() * left >= help_for.as_secs_f64()
            {
                helped = true;
                help();
            }
        }
        Ok(taken)
    });
    let mut fruits = Vec::with_capacity(segments.len());
    for share in std::iter::once(mine).chain(theirs.into_iter().flatten()) {
        fruits.extend(share?);
    }
    fruits.sort_by_key(|(ord, _)| *ord);
    collector.merge_fruits(fruits.into_iter().map(|(_, f)| f).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{SearchRequest, UndexIndex};
    use tantivy::DocAddress;
    use tantivy::collector::{Count, TopDocs};

    /// `UNDEX_SEARCH_THREADS`: unset, one thread; `auto`, the machine's cores (up to the
    /// most); a whole number from 1 is taken (up to the most); anything else leaves one.
    #[test]
    fn the_setting_of_search_threads() {
        assert_eq!(search_threads(None, 2), 1);
        assert_eq!(search_threads(None, 64), 1);
        assert_eq!(search_threads(Some("auto"), 2), 2);
        assert_eq!(search_threads(Some(" auto "), 64), MAX_SEARCH_THREADS);
        assert_eq!(search_threads(Some("1"), 2), 1);
        assert_eq!(search_threads(Some(" 4 "), 2), 4);
        assert_eq!(search_threads(Some("0"), 2), 1);
        assert_eq!(search_threads(Some("two"), 2), 1);
        assert_eq!(search_threads(Some("99"), 2), MAX_SEARCH_THREADS);
    }

    /// The real 2026 report indexed in memory as six segments.
    fn report_in_six_segments() -> UndexIndex {
        let index = UndexIndex::in_memory().unwrap();
        let rows = undex_testkit::tagged_seed_rows("sg-r2p-report-2026.txt");
        let mut batch = index.begin().unwrap();
        crate::writer::tests::add_in_commits(&mut batch, &rows, 6);
        drop(batch);
        index.reader.reload().unwrap();
        index
    }

    /// On the real 2026 report indexed as six segments, the pool gives the same hits, scores
    /// and totals as one thread, for words, a phrase, a filter and the listing of everything,
    /// whether it helps from the first segment on or never.
    #[test]
    fn the_pool_gives_the_answer_of_one_thread() {
        let index = report_in_six_segments();
        let searcher = index.reader.searcher();
        assert_eq!(searcher.segment_readers().len(), 6);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let mut compared = 0;
        for q in [
            "prevention",
            "atrocity prevention",
            "\"early warning\"",
            "pillar:III responsibility",
            "",
        ] {
            let query: Box<dyn Query> = if q.is_empty() {
                Box::new(tantivy::query::AllQuery)
            } else {
                index.parse(q).unwrap()
            };
            let collector = (TopDocs::with_limit(20).order_by_score(), Count);
            let one: (Vec<(f32, DocAddress)>, usize) =
                run_on(&searcher, &*query, &collector, None, HELP_FOR).unwrap();
            // Helped from the first segment on, and never helped.
            let many = run_on(&searcher, &*query, &collector, Some(&pool), Duration::ZERO);
            assert_eq!(one, many.unwrap(), "{q:?}");
            let alone = run_on(&searcher, &*query, &collector, Some(&pool), Duration::MAX);
            assert_eq!(one, alone.unwrap(), "{q:?}");
            assert!(one.1 > 0, "{q:?} finds something");
            compared += one.0.len();
        }
        assert!(compared > 40, "{compared} hits compared");
        // Through the search itself (on one thread unless UNDEX_SEARCH_THREADS asks for more).
        let hits = index
            .search(&SearchRequest {
                q: "prevention".into(),
                limit: 10,
                ..SearchRequest::default()
            })
            .unwrap();
        assert!(hits.total > 10 && hits.hits.len() == 10);
    }

    /// The estimate that shares a search from its first segment: the sum of its terms'
    /// document frequencies (every field's), on the real 2026 report in six segments; the
    /// listing of every row reads every row.
    #[test]
    fn a_search_reads_its_terms_postings() {
        let index = report_in_six_segments();
        let searcher = index.reader.searcher();
        for q in [
            "prevention",
            "atrocity prevention",
            "\"early warning\"",
            "lang:en",
        ] {
            let query = index.parse(q).unwrap();
            let mut postings = 0;
            let stems = index.stems.as_deref();
            query.query_terms(&mut |term, _| {
                postings += match stems.filter(|s| s.language(term.field()).is_some()) {
                    Some(stems) => stems.doc_freq(&searcher, term).unwrap(),
                    None => searcher.doc_freq(term).unwrap(),
                }
            });
            assert!(postings > 0, "{q:?}");
            assert!(reads_at_least(&searcher, &*query, postings, stems), "{q:?}");
            assert!(
                !reads_at_least(&searcher, &*query, postings + 1, stems),
                "{q:?}"
            );
        }
        // `lang:en` is every row, as the listing of every row.
        let every = index.parse("lang:en").unwrap();
        let rows = searcher.num_docs();
        assert!(reads_at_least(&searcher, &*every, rows, None));
        assert!(reads_at_least(
            &searcher,
            &tantivy::query::AllQuery,
            rows,
            None
        ));
        assert!(!reads_at_least(
            &searcher,
            &tantivy::query::AllQuery,
            rows + 1,
            None
        ));
    }
}

//! The scale benchmark's queries run in-process against an index, one at a time: the
//! engine's own time per query, without HTTP or a client (which `bench/scale_queries.py`
//! includes), for before / after comparisons of search work.
//!
//! Usage: `cargo bench -p undex-index --bench scale_search -- INDEX_DIR QUERIES_TSV [ROUNDS]`,
//! where `QUERIES_TSV` holds `type<TAB>query` lines in undex syntax, as
//! `python3 bench/scale_queries.py --dump` writes them. Prints one JSON line per query type
//! and one for all: queries, mean and p50 / p99 microseconds, over ROUNDS timed passes
//! (default 5) after one warm-up pass. Facets are on, ten hits per page, as the HTTP runner
//! asks. Without arguments (as `cargo bench --workspace` runs it) it prints its usage and
//! exits.

use std::collections::BTreeMap;
use std::time::Instant;

use undex_index::{SearchRequest, UndexIndex};

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let (Some(dir), Some(queries)) = (args.first(), args.get(1)) else {
        eprintln!("usage: scale_search INDEX_DIR QUERIES_TSV [ROUNDS]");
        return;
    };
    let rounds: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(5);
    let index = UndexIndex::open_read_only(std::path::Path::new(dir)).expect("index opens");
    let text = std::fs::read_to_string(queries).expect("queries file reads");
    let queries: Vec<(&str, &str)> = text.lines().filter_map(|l| l.split_once('\t')).collect();
    let run = |q: &str| {
        let req = SearchRequest {
            q: q.to_string(),
            limit: 10,
            ..SearchRequest::default()
        };
        let t = Instant::now();
        let res = index.search(&req).expect("query runs");
        std::hint::black_box(res);
        t.elapsed().as_secs_f64() * 1e6
    };
    for (_, q) in &queries {
        run(q);
    }
    let mut by_type: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for _ in 0..rounds {
        for (typ, q) in &queries {
            let us = run(q);
            by_type.entry(typ).or_default().push(us);
            by_type.entry("all").or_default().push(us);
        }
    }
    for (typ, mut times) in by_type {
        times.sort_by(f64::total_cmp);
        let at = |p: f64| times[((times.len() as f64 - 1.0) * p).round() as usize];
        let mean = times.iter().sum::<f64>() / times.len() as f64;
        println!(
            "{{\"type\": \"{typ}\", \"queries\": {}, \"mean_us\": {mean:.0}, \"p50_us\": {:.0}, \"p99_us\": {:.0}}}",
            times.len(),
            at(0.5),
            at(0.99)
        );
    }
}

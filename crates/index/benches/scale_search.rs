//! The scale benchmark's queries run in-process against an index, one at a time: the
//! engine's own time per query, without HTTP or a client (which `bench/scale_queries.py`
//! includes), for before / after comparisons of search work.
//!
//! Usage: `cargo bench -p undex-index --bench scale_search -- INDEX_DIR QUERIES_TSV [ROUNDS]`,
//! where `QUERIES_TSV` holds `type<TAB>query` lines in undex syntax, as
//! `python3 bench/scale_queries.py --dump` writes them. Prints one JSON line per query type
//! and one for all: queries, mean and p50 / p99 microseconds, over ROUNDS timed passes
//! (default 5) after one warm-up pass, and for all queries the process's CPU time per query
//! (`cpu_us`: user + system, every thread, so the search pool's work counts). Facets are on,
//! ten hits per page, as the HTTP runner asks, and the hits' evidence is not read, as the
//! search API does not show it. Without arguments (as `cargo bench
//! --workspace` runs it) it prints its usage and exits.

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
            skip_evidence: true,
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
    let cpu_before = process_cpu_seconds();
    for _ in 0..rounds {
        for (typ, q) in &queries {
            let us = run(q);
            by_type.entry(typ).or_default().push(us);
            by_type.entry("all").or_default().push(us);
        }
    }
    let cpu_us =
        (process_cpu_seconds() - cpu_before) * 1e6 / (rounds * queries.len()).max(1) as f64;
    for (typ, mut times) in by_type {
        times.sort_by(f64::total_cmp);
        let at = |p: f64| times[((times.len() as f64 - 1.0) * p).round() as usize];
        let mean = times.iter().sum::<f64>() / times.len() as f64;
        let cpu = if typ == "all" {
            format!(", \"cpu_us\": {cpu_us:.0}")
        } else {
            String::new()
        };
        println!(
            "{{\"type\": \"{typ}\", \"queries\": {}, \"mean_us\": {mean:.0}, \"p50_us\": {:.0}, \"p99_us\": {:.0}{cpu}}}",
            times.len(),
            at(0.5),
            at(0.99)
        );
    }
}

/// User + system CPU seconds of this process so far, every thread (`/proc/self/stat`, fields
/// 14 and 15, in clock ticks of 1/100 s); 0 where `/proc` cannot be read.
fn process_cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let ticks: Vec<f64> = after
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|f| f.parse().ok())
        .collect();
    ticks.iter().sum::<f64>() / 100.0
}

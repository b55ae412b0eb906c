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
//!
//! Two more modes, for the facets' sample ([`SearchRequest::facet_rows`], which bounds each
//! segment's sample, where the default shares `MAX_FACET_ROWS` among the segments by size:
//! on the 1M index's five segments, 512–1,250 rows each. Session 16's published figures were
//! taken when `facet_rows` was shared by size too):
//! - `FACET_ROWS_AB=A,B`: each query searched with a sample of A rows and of B rows (or
//!   `default`: the default sample, shared among the segments by size), back to
//!   back, in alternating order, ROUNDS times: both p50s and means, and the median of the
//!   queries' time ratios B / A. A sample of 0 rows is a search without facets
//!   (`skip_facets`). On a machine whose speed drifts by a fifth within minutes,
//!   only pairs this close in time compare.
//! - `FACET_ERRORS=N,M,…`: for each sample size (rows in each segment, or `default`), the
//!   relative error of the five largest
//!   values of each facet against counts over every match, over the queries with more
//!   matches than the sample: median and 90th percentile over all of them, and median, 90th
//!   and 99th percentile over the values holding 5% or more of the matches.

use std::collections::BTreeMap;
use std::time::Instant;

use undex_index::{SearchRequest, UndexIndex};

/// The allocator of the `undex` binary that serves these searches (crates/cli/src/main.rs),
/// so that the figures are the server's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    let timed = |q: &str, facet_rows: Option<usize>| {
        let req = SearchRequest {
            q: q.to_string(),
            limit: 10,
            skip_evidence: true,
            skip_facets: facet_rows == Some(0),
            facet_rows,
            ..SearchRequest::default()
        };
        let t = Instant::now();
        let res = index.search(&req).expect("query runs");
        std::hint::black_box(res);
        t.elapsed().as_secs_f64() * 1e6
    };
    let run = |q: &str| timed(q, None);
    if let Ok(sizes) = std::env::var("FACET_ERRORS") {
        for size in sizes.split(',') {
            match size.trim() {
                "default" => facet_errors(&index, &queries, None),
                n => match n.parse() {
                    Ok(rows) => facet_errors(&index, &queries, Some(rows)),
                    Err(_) => eprintln!("FACET_ERRORS: {n:?} is neither a number nor default"),
                },
            }
        }
        return;
    }
    for (_, q) in &queries {
        run(q);
    }
    if let Ok(sizes) = std::env::var("FACET_ROWS_AB") {
        // A number, or `default` for the default sample (shared among the segments).
        let size = |s: &str| match s.trim() {
            "default" => Some(None),
            n => n.parse::<usize>().ok().map(Some),
        };
        let Some((Some(a), Some(b))) = sizes.split_once(',').map(|(a, b)| (size(a), size(b)))
        else {
            eprintln!("FACET_ROWS_AB=A,B (numbers of rows, or default)");
            return;
        };
        let name =
            |n: Option<usize>| n.map_or_else(|| "\"default\"".to_string(), |n| n.to_string());
        let (mut times_a, mut times_b, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
        for round in 0..rounds {
            for (i, (_, q)) in queries.iter().enumerate() {
                let (ta, tb) = if (round + i) % 2 == 0 {
                    let ta = timed(q, a);
                    (ta, timed(q, b))
                } else {
                    let tb = timed(q, b);
                    (timed(q, a), tb)
                };
                times_a.push(ta);
                times_b.push(tb);
                ratios.push(tb / ta);
            }
        }
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
        println!(
            "{{\"a\": {}, \"b\": {}, \"searches\": {}, \"a_p50_us\": {:.0}, \"b_p50_us\": {:.0}, \"a_mean_us\": {:.0}, \"b_mean_us\": {:.0}, \"ratio_b_a_median\": {:.3}}}",
            name(a),
            name(b),
            times_a.len(),
            quantile(&mut times_a.clone(), 0.5),
            quantile(&mut times_b.clone(), 0.5),
            mean(&times_a),
            mean(&times_b),
            quantile(&mut ratios, 0.5)
        );
        return;
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

/// The `p` quantile of `values` (sorted in place); 0 when empty.
fn quantile(values: &mut [f64], p: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    let Some(last) = values.len().checked_sub(1) else {
        return 0.0;
    };
    values[((last as f64) * p).round() as usize]
}

/// Prints the relative error of the facet counts estimated from a sample of `rows` rows in
/// each segment, or with `None` from the default sample (`MAX_FACET_ROWS` shared among the
/// segments by size; see the module docs), over the queries matching more rows than that.
fn facet_errors(index: &UndexIndex, queries: &[(&str, &str)], rows: Option<usize>) {
    let search = |q: &str, facet_rows: Option<usize>| {
        let req = SearchRequest {
            q: q.to_string(),
            limit: 0,
            facet_rows,
            ..SearchRequest::default()
        };
        index.search(&req).expect("query runs")
    };
    // (share of the matches, relative error) of each value compared.
    let mut errors: Vec<(f64, f64)> = Vec::new();
    let mut searched = 0;
    for (_, q) in queries {
        let exact = search(q, Some(usize::MAX));
        if exact.total <= rows.unwrap_or(undex_index::facets::MAX_FACET_ROWS) {
            continue;
        }
        searched += 1;
        let estimate = search(q, rows);
        for (facet, values) in &exact.facets {
            for value in values.iter().take(5) {
                let estimated = estimate
                    .facets
                    .get(facet)
                    .and_then(|vs| vs.iter().find(|v| v.value == value.value))
                    .map_or(0, |v| v.count);
                let error = estimated.abs_diff(value.count) as f64 / value.count as f64;
                errors.push((value.count as f64 / exact.total as f64, error));
            }
        }
    }
    let mut all: Vec<f64> = errors.iter().map(|e| e.1).collect();
    let mut large: Vec<f64> = errors.iter().filter(|e| e.0 >= 0.05).map(|e| e.1).collect();
    println!(
        "{{\"facet_rows\": {}, \"queries\": {searched}, \"values\": {}, \"error_p50\": {:.3}, \"error_p90\": {:.3}, \"values_of_5pct\": {}, \"their_error_p50\": {:.3}, \"p90\": {:.3}, \"p99\": {:.3}}}",
        rows.map_or_else(|| "\"default\"".to_string(), |n| n.to_string()),
        all.len(),
        quantile(&mut all, 0.5),
        quantile(&mut all, 0.9),
        large.len(),
        quantile(&mut large, 0.5),
        quantile(&mut large, 0.9),
        quantile(&mut large, 0.99)
    );
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

//! Extraction time against text size: plain-text UN documents of 1, 4 and 16 MB, numbered
//! paragraphs 1..N built from the real paragraphs of the 2026 and 2025 Secretary-General
//! reports on the responsibility to protect (`shared/seeds`), each with a masthead. Reading,
//! segmenting, metadata and language together (`undex_extract::extract`), reported in bytes
//! per second: a linear extractor shows the same throughput at every size.
//!
//! `cargo bench -p undex-extract --bench segment` (figures in the report of the change that
//! added it; the bench before that change took 4 s for 1 MB and 53 s for 4 MB).

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use undex_extract::{ExtractOptions, extract};

/// Paragraph texts (number removed) of the seed reports.
fn seed_paragraphs() -> Vec<String> {
    let mut out = Vec::new();
    for file in ["sg-r2p-report-2026.txt", "sg-r2p-report-2025-A-79-875.txt"] {
        let path = format!(
            "{}/../../../shared/seeds/{file}",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        for line in text.lines() {
            let line = line.trim().trim_start_matches("- ");
            if let Some((n, rest)) = line.split_once(". ")
                && !n.is_empty()
                && n.chars().all(|c| c.is_ascii_digit())
                && rest.len() > 80
            {
                out.push(rest.to_string());
            }
        }
    }
    assert!(out.len() > 100, "{} seed paragraphs", out.len());
    out
}

/// A numbered UN text of at least `bytes` bytes: masthead, then "1. …", "2. …" separated by
/// blank lines, cycling through the seed paragraphs.
fn numbered_text(bytes: usize, paragraphs: &[String]) -> String {
    let mut out = String::with_capacity(bytes + 4096);
    out.push_str(
        "United Nations A/80/999\n\nGeneral Assembly\n\nDistr.: General\n23 April 2026\n\n\
         Original: English\n\nI. Introduction\n\n",
    );
    let mut n = 0usize;
    while out.len() < bytes {
        let text = &paragraphs[n % paragraphs.len()];
        n += 1;
        out.push_str(&format!("{n}. {text}\n\n"));
    }
    out
}

fn bench(c: &mut Criterion) {
    let paragraphs = seed_paragraphs();
    let mut group = c.benchmark_group("extract_numbered_text");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(40));
    for mb in [1usize, 4, 16] {
        let text = numbered_text(mb << 20, &paragraphs);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(format!("{mb}_MB"), |b| {
            b.iter(|| {
                let doc = extract(
                    black_box(text.as_bytes()),
                    "bench.txt",
                    &ExtractOptions::default(),
                )
                .expect("extract");
                black_box(doc.paragraphs.len())
            });
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

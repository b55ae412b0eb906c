//! Speed of the analyses and exports on the real 2025 and 2026 R2P reports (143 rows):
//! `cargo bench -p undex-analysis`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use undex_analysis::{
    ExportFormat, TrendDimension, chain, diff_words, export, similar_earlier, trend,
};
use undex_core::ParagraphRow;
use undex_extract::{ExtractOptions, extract};

fn seed(file: &str, date: &str) -> Vec<ParagraphRow> {
    let path = format!(
        "{}/../../../shared/seeds/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes = std::fs::read(&path).expect("seed text");
    let mut rows = extract(&bytes, &path, &ExtractOptions::default())
        .expect("extract seed")
        .rows();
    for r in &mut rows {
        r.date.get_or_insert_with(|| date.to_string());
    }
    rows
}

fn bench(c: &mut Criterion) {
    let mut rows = seed("sg-r2p-report-2025-A-79-875.txt", "2025-04-22");
    let newer = seed("sg-r2p-report-2026.txt", "2026-04-23");
    rows.extend(newer.iter().cloned());

    // Earlier wording scores the candidates the index returns (100 by default): here every
    // row of both reports is a candidate of every 2026 row.
    c.bench_function("similar_earlier_all_2026_rows_143_candidates", |b| {
        b.iter(|| {
            for r in &newer {
                black_box(similar_earlier(r, rows.iter().cloned(), 5));
            }
        });
    });
    if let Some(p1) = newer.get(1) {
        c.bench_function("chain_para_1_143_candidates", |b| {
            b.iter(|| chain(black_box(p1), 0.3, |_| Ok::<_, ()>(rows.clone())));
        });
    }
    if let (Some(old), Some(new)) = (rows.get(1), newer.get(1)) {
        c.bench_function("diff_words_para_1", |b| {
            b.iter(|| diff_words(black_box(&old.text), black_box(&new.text)));
        });
    }
    for f in ExportFormat::ALL {
        c.bench_function(&format!("export_{f}_143_rows"), |b| {
            b.iter(|| export(black_box(&rows), f, "https://undex.example.org"));
        });
    }
    let series = trend(&rows, TrendDimension::Year);
    c.bench_function("trend_svg", |b| {
        b.iter(|| series.to_svg("rows per year", 640, 360));
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);

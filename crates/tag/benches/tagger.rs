//! Speed of the tagger alone (no extraction, no I/O), in paragraphs per second, over the
//! units of the 2026 and 2025 Secretary-General reports on the responsibility to protect
//! (`shared/seeds`), extracted once outside the timed loop: `cargo bench -p undex-tag --bench
//! tagger`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use undex_core::Document;
use undex_extract::{ExtractOptions, extract};
use undex_tag::{TagContext, tag_document, tag_paragraph};

fn seed(file: &str) -> Document {
    let path = format!(
        "{}/../../../shared/seeds/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes = std::fs::read(&path).expect("seed text");
    extract(&bytes, &path, &ExtractOptions::default()).expect("extract seed")
}

/// Tags every unit of `doc` with the context `tag_document` gives it.
fn tag_units(doc: &Document) -> usize {
    let mut n = 0;
    for p in &doc.paragraphs {
        let ctx = TagContext {
            section: &p.section,
            kind: p.kind,
            footnotes: &p.footnotes,
            doc_type: doc.meta.doc_type.as_deref(),
            author: doc.meta.author.as_deref(),
            language: doc.meta.language.as_str(),
            speaker: p.speaker.as_deref(),
        };
        n += black_box(tag_paragraph(black_box(&p.text), &ctx))
            .pillars
            .len();
    }
    n
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("tagger");
    for (name, file) in [
        ("report_2026", "sg-r2p-report-2026.txt"),
        ("report_2025", "sg-r2p-report-2025-A-79-875.txt"),
    ] {
        let doc = seed(file);
        let units = u64::try_from(doc.paragraphs.len()).unwrap_or(u64::MAX);
        group.throughput(Throughput::Elements(units));
        group.bench_function(format!("tag_paragraph_{name}_{units}_units"), |b| {
            b.iter(|| tag_units(&doc));
        });
        group.bench_function(format!("tag_document_{name}_{units}_units"), |b| {
            b.iter_batched_ref(
                || doc.clone(),
                tag_document,
                criterion::BatchSize::SmallInput,
            );
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

//! Bytes of an undex index by field and part (term dictionary, postings, positions, fast
//! columns, length norms) and of its document store, from tantivy's space usage.
//!
//! `cargo run --release -p undex-index --example index_space -- INDEX_DIR` (sizes in MB,
//! 10^6 bytes).
fn main() {
    let dir = std::env::args().nth(1).unwrap();
    let index = tantivy::Index::open_in_dir(&dir).unwrap();
    let searcher = index.reader().unwrap().searcher();
    let usage = searcher.space_usage().unwrap();
    let mut per: std::collections::BTreeMap<String, [usize; 5]> = Default::default();
    let mut store = 0;
    for seg in usage.segments() {
        store += seg.store().total().get_bytes() as usize;
        for (i, part) in [
            seg.termdict(),
            seg.postings(),
            seg.positions(),
            seg.fast_fields(),
            seg.fieldnorms(),
        ]
        .iter()
        .enumerate()
        {
            for fu in part.fields() {
                per.entry(fu.field_name().to_string()).or_default()[i] +=
                    fu.total().get_bytes() as usize;
            }
        }
    }
    println!(
        "store {:.1} MB total {:.1} MB",
        store as f64 / 1e6,
        usage.total().get_bytes() as f64 / 1e6
    );
    println!(
        "{:12} {:>8} {:>8} {:>8} {:>8} {:>8}",
        "field", "terms", "post", "pos", "fast", "norms"
    );
    for (f, v) in per {
        println!(
            "{f:12} {:8.2} {:8.2} {:8.2} {:8.2} {:8.2}",
            v[0] as f64 / 1e6,
            v[1] as f64 / 1e6,
            v[2] as f64 / 1e6,
            v[3] as f64 / 1e6,
            v[4] as f64 / 1e6
        );
    }
}

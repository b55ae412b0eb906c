//! Ranking over the whole shared material: every seed report and every corpus file that
//! `undex_extract` reads (PDF, DOCX), indexed together.

use std::path::{Path, PathBuf};

use undex_core::ParagraphRow;
use undex_index::{SearchRequest, UndexIndex};

const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/");

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files_under(&p, out);
        } else if matches!(
            p.extension().and_then(|x| x.to_str()),
            Some("pdf" | "docx" | "txt")
        ) {
            out.push(p);
        }
    }
}

#[test]
fn veto_restraint_top_three_over_seeds_and_corpus() {
    let mut files = Vec::new();
    files_under(&Path::new(SHARED).join("seeds"), &mut files);
    files_under(&Path::new(SHARED).join("corpus"), &mut files);
    files.sort();
    let mut docs: Vec<Vec<ParagraphRow>> = Vec::new();
    for f in &files {
        let Ok(bytes) = std::fs::read(f) else {
            continue;
        };
        let name = f.to_string_lossy();
        // Files the extractor refuses (legacy .doc, scans without OCR) are skipped here.
        if let Ok(doc) = undex_extract::extract(&bytes, &name, &Default::default()) {
            docs.push(doc.rows());
        }
    }
    assert!(docs.len() > 30, "only {} documents extracted", docs.len());
    let index = UndexIndex::in_memory().expect("index");
    index.replace_documents(&docs).expect("ingest");
    let res = index
        .search(&SearchRequest {
            q: "veto restraint".into(),
            limit: 3,
            ..Default::default()
        })
        .expect("search");
    let para28 = docs
        .iter()
        .flatten()
        .find(|r| r.source_file.ends_with("sg-r2p-report-2026.txt") && r.id.ends_with("~28"))
        .expect("paragraph 28 of the 2026 report");
    let top: Vec<&str> = res.hits.iter().map(|h| h.row.citation.as_str()).collect();
    eprintln!(
        "{} docs, {} rows; top three: {top:?}",
        docs.len(),
        docs.iter().map(Vec::len).sum::<usize>()
    );
    assert!(
        res.hits.iter().any(|h| h.row.id == para28.id),
        "top three: {top:?}"
    );
}

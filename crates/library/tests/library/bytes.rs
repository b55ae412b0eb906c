//! `extract_bytes` (what the Python binding calls) gives the very JSONL an ingest writes, and
//! its failures carry the ingest's codes; `reindex` passes over a distributed ingest's
//! `failures.jsonl`.

use std::path::{Path, PathBuf};

use undex_extract::ExtractOptions;
use undex_library::{FAILURES_FILE, IngestOptions, Library, collect_files, extract_bytes};

fn seeds() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds")
}

#[test]
fn extract_bytes_writes_what_ingest_writes_and_reindex_skips_the_failures_file() {
    let dir = tempfile::tempdir().unwrap();
    let (index_dir, extracted) = (dir.path().join("index"), dir.path().join("extracted"));
    let library = Library::open(&index_dir).unwrap();
    let summary = library
        .ingest(
            &IngestOptions::new(vec![seeds()], extracted.clone()),
            &|_| {},
        )
        .unwrap();
    drop(library);
    let files = collect_files(&[seeds()]).files;
    assert_eq!(files.len(), summary.documents);
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        let doc = extract_bytes(&bytes, file, &ExtractOptions::default()).unwrap();
        let written = std::fs::read(extracted.join(format!("{}.jsonl", doc.id))).unwrap();
        // The seeds are all in English: no tags are carried from another version.
        assert!(doc.jsonl == written, "{} differs from the ingest", doc.id);
        assert_eq!(doc.source_file, file.to_string_lossy());
    }

    let failure = extract_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        Path::new("old.doc"),
        &ExtractOptions::default(),
    )
    .unwrap_err();
    assert_eq!(failure.code, "legacy_doc", "{failure:?}");
    assert_eq!(failure.path, Path::new("old.doc"));
    let empty =
        extract_bytes(b"   \n", Path::new("blank.txt"), &ExtractOptions::default()).unwrap_err();
    assert_eq!(empty.code, "empty", "{empty:?}");

    std::fs::write(
        extracted.join(FAILURES_FILE),
        "{\"path\":\"old.doc\",\"code\":\"legacy_doc\",\"message\":\"legacy\"}\n",
    )
    .unwrap();
    let re = Library::reindex(&index_dir, &extracted, 50_000, &|_| {}).unwrap();
    assert!(re.failures.is_empty(), "{re}");
    assert_eq!(re.documents, summary.documents);
}

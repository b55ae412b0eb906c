//! The streaming ingest, its resume after an interruption, the writer lock and reindex, on
//! the real R2P reports and summaries in `../shared/seeds`.

use std::collections::BTreeSet;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use undex_index::SearchRequest;
use undex_library::{Event, IngestOptions, JOURNAL_FILE, Library};

#[path = "multilingual/languages.rs"]
mod languages;

fn seeds() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds")
}

/// Every row id of the index, and the number of rows (ids repeat if a row is duplicated).
fn ids(library: &Library) -> (BTreeSet<String>, usize) {
    let res = library
        .index()
        .search(&SearchRequest {
            limit: 1000,
            ..SearchRequest::default()
        })
        .expect("search");
    let ids: BTreeSet<String> = res.hits.iter().map(|h| h.row.id.clone()).collect();
    (ids, res.total)
}

fn options(extracted: &Path, commit_rows: usize) -> IngestOptions {
    let mut opts = IngestOptions::new(vec![seeds()], extracted.to_path_buf());
    opts.commit_rows = commit_rows;
    opts.chunk_documents = 2;
    opts
}

#[test]
fn commits_in_batches_and_resumes_an_interrupted_ingest_without_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let (index_dir, extracted) = (dir.path().join("index"), dir.path().join("extracted"));

    // The reference: one uninterrupted ingest in another folder.
    let reference = Library::open(&dir.path().join("reference")).unwrap();
    let full = reference
        .ingest(&options(&dir.path().join("ref-extracted"), 50), &|_| {})
        .unwrap();
    assert_eq!(full.documents, 5, "{full}");
    assert!(full.commits > 2, "a commit every 50 rows: {full}");
    let (want_ids, want_total) = ids(&reference);
    assert_eq!(want_total, full.paragraphs);
    assert_eq!(want_ids.len(), want_total);

    // An ingest killed after its second document (the writer dies mid-batch).
    {
        let library = Library::open(&index_dir).unwrap();
        let done = AtomicUsize::new(0);
        let killed = std::panic::catch_unwind(AssertUnwindSafe(|| {
            library.ingest(&options(&extracted, 5), &|e| {
                if let Event::Done { .. } = e
                    && done.fetch_add(1, Ordering::SeqCst) == 2
                {
                    panic!("killed");
                }
            })
        }));
        assert!(killed.is_err());
        assert!(index_dir.join(JOURNAL_FILE).exists());
        // Whatever was committed is whole.
        let (some, total) = ids(&library);
        assert_eq!(some.len(), total);
        assert!(total < want_total);
    }
    // A temporary file half-written when the process died.
    std::fs::write(extracted.join(".tmpXyZ123"), b"{\"half").unwrap();

    let library = Library::open(&index_dir).unwrap();
    let resumed = library.ingest(&options(&extracted, 5), &|_| {}).unwrap();
    assert!(resumed.resumed >= 1, "{resumed}");
    assert_eq!(resumed.resumed + resumed.documents, 5, "{resumed}");
    assert_eq!(resumed.removed_temporaries, 1);
    assert!(!index_dir.join(JOURNAL_FILE).exists());
    let (got_ids, got_total) = ids(&library);
    assert_eq!(got_total, want_total, "no duplicates, nothing missing");
    assert_eq!(got_ids, want_ids);

    // A plain re-ingest (no journal) reads everything again and replaces it.
    let again = library.ingest(&options(&extracted, 50), &|_| {}).unwrap();
    assert_eq!((again.documents, again.resumed), (5, 0));
    assert_eq!(ids(&library), (want_ids, want_total));
}

#[test]
fn a_second_writer_is_told_that_another_ingest_holds_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let index_dir = dir.path().join("index");
    let first = Library::open(&index_dir).unwrap();
    let _held = first.index().begin().unwrap();
    let second = Library::open(&index_dir).unwrap();
    let err = second
        .ingest(&options(&dir.path().join("x"), 50), &|_| {})
        .unwrap_err();
    assert!(err.is_locked(), "{err}");
    assert!(err.to_string().contains("another ingest"), "{err}");
}

#[test]
fn missing_paths_fail_alone() {
    let dir = tempfile::tempdir().unwrap();
    let library = Library::open(&dir.path().join("index")).unwrap();
    let mut opts = options(&dir.path().join("extracted"), 1000);
    opts.paths.insert(0, dir.path().join("no-such-folder"));
    let summary = library.ingest(&opts, &|_| {}).unwrap();
    assert_eq!(summary.documents, 5);
    assert_eq!(summary.failures.len(), 1);
    assert!(summary.failures[0].path.ends_with("no-such-folder"));
}

#[test]
fn reindex_rebuilds_the_same_index_from_the_extracted_rows() {
    let dir = tempfile::tempdir().unwrap();
    let (index_dir, extracted) = (dir.path().join("index"), dir.path().join("extracted"));
    let library = Library::open(&index_dir).unwrap();
    let ingested = library.ingest(&options(&extracted, 1000), &|_| {}).unwrap();
    let before = ids(&library);
    let veto = |l: &Library| {
        l.index()
            .search(&SearchRequest {
                q: "veto restraint".into(),
                limit: 5,
                ..SearchRequest::default()
            })
            .unwrap()
            .hits
            .into_iter()
            .map(|h| h.row.id)
            .collect::<Vec<_>>()
    };
    let veto_before = veto(&library);
    drop(library);

    let re = Library::reindex(&index_dir, &extracted, 100, &|_| {}).unwrap();
    assert_eq!(
        (re.documents, re.paragraphs),
        (ingested.documents, ingested.paragraphs)
    );
    assert!(re.failures.is_empty(), "{re}");
    let library = Library::open(&index_dir).unwrap();
    assert_eq!(ids(&library), before);
    assert_eq!(veto(&library), veto_before);
    // Nothing is left beside the index.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names
            .iter()
            .all(|n| !n.contains("reindex") && !n.contains(".old")),
        "{names:?}"
    );
}

/// An index built by another version of undex (another schema: here, fields of a release that
/// had fewer facets) is refused with a message that names `undex reindex`, and `undex
/// reindex` rebuilds it from the extracted rows.
#[test]
fn reindex_replaces_an_index_of_another_version() {
    let dir = tempfile::tempdir().unwrap();
    let (index_dir, extracted) = (dir.path().join("index"), dir.path().join("extracted"));
    let library = Library::open(&index_dir).unwrap();
    library.ingest(&options(&extracted, 1000), &|_| {}).unwrap();
    let before = ids(&library);
    drop(library);

    std::fs::remove_dir_all(&index_dir).unwrap();
    std::fs::create_dir_all(&index_dir).unwrap();
    let mut old = tantivy::schema::Schema::builder();
    old.add_text_field("id", tantivy::schema::STRING | tantivy::schema::STORED);
    old.add_text_field("row", tantivy::schema::STORED);
    tantivy::Index::create_in_dir(&index_dir, old.build()).unwrap();
    let Err(err) = Library::open(&index_dir) else {
        panic!("an index of another version opened");
    };
    assert!(err.to_string().contains("undex reindex"), "{err}");

    let re = Library::reindex(&index_dir, &extracted, 100, &|_| {}).unwrap();
    assert!(re.failures.is_empty(), "{re}");
    assert_eq!(ids(&Library::open(&index_dir).unwrap()), before);
}

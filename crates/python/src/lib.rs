//! `undex`, the Python module of the undex extractor and tagger (PyO3; built into a wheel by
//! maturin from `python/undex-ray/pyproject.toml`), so that a worker process calls undex
//! in-process on bytes:
//!
//! ```python
//! import undex
//! rows = undex.extract(open("A_79_875-EN.pdf", "rb").read(), "A_79_875-EN.pdf")
//! ```
//!
//! Every function calls the Rust functions `undex ingest` calls
//! ([`undex_library::extract_bytes`], [`undex_library::collect_files`],
//! [`undex_core::fsutil::write_atomic`], [`undex_core::align::carry_english_tags`]), so the
//! rows are byte for byte those of `undex extract --format jsonl` and of the JSONL files of
//! `undex ingest --extracted DIR`. A document that cannot be read raises [`ExtractError`]
//! carrying the failure code of the ingest summary (`needs_ocr`, `damaged_pdf`,
//! `legacy_doc`, `too_large`…); a panic inside the extractor is caught and raised the same
//! way, with the code `panic`, never unwound across the FFI boundary. The GIL is released
//! while a document is extracted, so Python threads may extract in parallel.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::io::BufRead;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use pyo3::create_exception;
use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList};
use undex_core::{Language, ParagraphRow};
use undex_extract::ExtractOptions;
use undex_library::{ExtractedDocument, FAILURES_FILE, Failure, MAX_FILE_BYTES};

create_exception!(
    undex,
    ExtractError,
    PyValueError,
    "A document undex cannot extract. Attributes: `path` (the filename given), `code` (the \
     failure code of `undex ingest`: needs_ocr, damaged_pdf, encrypted_pdf, legacy_doc, \
     unsupported_format, damaged_docx, empty, limit_exceeded, too_large, no_paragraphs, \
     panic…) and `message`; str(e) is \"PATH: MESSAGE (CODE)\"."
);

/// The Python exception for `failure`: an [`ExtractError`] with `path`, `code` and
/// `message` set.
fn failure_error(py: Python<'_>, failure: &Failure) -> PyErr {
    let path = failure.path.to_string_lossy();
    let err = ExtractError::new_err(format!("{path}: {} ({})", failure.message, failure.code));
    let value = err.value(py);
    for (name, v) in [
        ("path", path.as_ref()),
        ("code", failure.code.as_str()),
        ("message", failure.message.as_str()),
    ] {
        if let Err(e) = value.setattr(name, v) {
            return e;
        }
    }
    err
}

/// Extracts and tags `data` as the file `filename` ([`undex_library::extract_bytes`]),
/// without the GIL; a panic becomes a failure with the code `panic`.
fn extract_document_bytes(
    py: Python<'_>,
    data: &[u8],
    filename: &str,
    ocr: bool,
) -> Result<ExtractedDocument, Failure> {
    let opts = ExtractOptions {
        ocr,
        ..ExtractOptions::default()
    };
    let path = Path::new(filename);
    py.detach(|| {
        catch_unwind(AssertUnwindSafe(|| {
            undex_library::extract_bytes(data, path, &opts)
        }))
        .unwrap_or_else(|panic| {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            Err(Failure::new(
                path,
                "panic",
                format!("the extractor panicked: {what}"),
            ))
        })
    })
}

/// `undex.extract(data, filename, *, ocr=False) -> list[dict]`: the rows of one document,
/// one dict per citable unit, exactly the JSON objects `undex extract --format jsonl`
/// prints for the file (`data` is the file's bytes, at most `MAX_FILE_BYTES`; `filename` is
/// recorded as `source_file` and named in errors, the format is read from the bytes). A
/// document read without any unit gives `[]`, as `undex extract` prints nothing for it.
///
/// # Errors
/// `undex.ExtractError` with the failure code when the document cannot be read.
#[pyfunction]
#[pyo3(signature = (data, filename, *, ocr = false))]
fn extract<'py>(
    py: Python<'py>,
    data: &[u8],
    filename: &str,
    ocr: bool,
) -> PyResult<Bound<'py, PyList>> {
    match extract_document_bytes(py, data, filename, ocr) {
        Ok(doc) => {
            let loads = py.import("json")?.getattr("loads")?;
            let rows = PyList::empty(py);
            for line in doc.jsonl.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
                rows.append(loads.call1((PyBytes::new(py, line),))?)?;
            }
            Ok(rows)
        }
        Err(failure) if failure.code == "no_paragraphs" => Ok(PyList::empty(py)),
        Err(failure) => Err(failure_error(py, &failure)),
    }
}

/// `undex.extract_document(data, filename, *, ocr=False) -> dict`: one document as
/// `undex ingest` writes it, for a distributed ingest: `id` (the document id, the JSONL
/// file's name without `.jsonl`), `source_file`, `sha256` (hex of `data`), `pages`, `rows`
/// (units), `warnings` (list of str) and `jsonl` (bytes: the file's exact content).
///
/// # Errors
/// `undex.ExtractError` with the failure code of the ingest summary, `no_paragraphs`
/// included.
#[pyfunction]
#[pyo3(signature = (data, filename, *, ocr = false))]
fn extract_document<'py>(
    py: Python<'py>,
    data: &[u8],
    filename: &str,
    ocr: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let doc = extract_document_bytes(py, data, filename, ocr)
        .map_err(|failure| failure_error(py, &failure))?;
    let out = PyDict::new(py);
    let sha256 = doc
        .rows
        .first()
        .map(|r| r.sha256.clone())
        .unwrap_or_default();
    out.set_item("id", doc.id)?;
    out.set_item("source_file", doc.source_file)?;
    out.set_item("sha256", sha256)?;
    out.set_item("pages", doc.pages)?;
    out.set_item("rows", doc.rows.len())?;
    out.set_item("warnings", doc.warnings)?;
    out.set_item("jsonl", PyBytes::new(py, &doc.jsonl))?;
    Ok(out)
}

/// `undex.collect_files(paths: list[str]) -> dict`: the files `undex ingest PATHS…` reads,
/// in its order ([`undex_library::collect_files`]): `files` (list of str, sorted), `failures`
/// (list of dicts `path`, `code`, `message`: paths that cannot be read) and `skipped` (list
/// of `(path, reason)`: corpus notes, checksum lists, a second path to one file).
///
/// # Errors
/// None of its own (a path that cannot be read is a failure in the result).
#[pyfunction]
fn collect_files(py: Python<'_>, paths: Vec<PathBuf>) -> PyResult<Bound<'_, PyDict>> {
    let list = py.detach(|| undex_library::collect_files(&paths));
    let out = PyDict::new(py);
    let lossy = |p: &Path| p.to_string_lossy().into_owned();
    out.set_item(
        "files",
        list.files.iter().map(|p| lossy(p)).collect::<Vec<_>>(),
    )?;
    let failures = PyList::empty(py);
    for f in &list.failures {
        let d = PyDict::new(py);
        d.set_item("path", lossy(&f.path))?;
        d.set_item("code", &f.code)?;
        d.set_item("message", &f.message)?;
        failures.append(d)?;
    }
    out.set_item("failures", failures)?;
    out.set_item(
        "skipped",
        list.skipped
            .iter()
            .map(|(p, why)| (lossy(p), why.clone()))
            .collect::<Vec<_>>(),
    )?;
    Ok(out)
}

/// `undex.write_atomic(path, data)`: writes `data` (bytes) to `path` as every undex stage
/// saves a file ([`undex_core::fsutil::write_atomic`]): a temporary file `.tmp…` in the same
/// folder (created if missing), synced, then renamed over `path`, mode 0644. A reader sees
/// the old file or the new one, never a part.
///
/// # Errors
/// `OSError` naming the path.
#[pyfunction]
fn write_atomic(py: Python<'_>, path: PathBuf, data: &[u8]) -> PyResult<()> {
    py.detach(|| undex_core::fsutil::write_atomic(&path, data))
        .map_err(|e| PyOSError::new_err(format!("cannot write {}: {e}", path.display())))
}

/// `undex.sha256_hex(data) -> str`: the lowercase hex SHA-256 of `data`, as rows carry it
/// (`sha256`) and as a re-run compares documents.
#[pyfunction]
fn sha256_hex(py: Python<'_>, data: &[u8]) -> String {
    py.detach(|| undex_extract::sha256_hex(data))
}

/// `undex.carry_english_tags(extracted_dir) -> list[str]`: the cross-document step of an
/// ingest, over a folder of extracted documents rather than an index: the language versions
/// (French, Russian…) of a document whose English version is in the folder get the English
/// units' tags ([`undex_core::align::carry_english_tags`]), as `undex ingest` gives them
/// when both are in its batch or index. Files that change are rewritten atomically; returns
/// their document ids, sorted.
///
/// The ingest's two passes are replayed over the folder's documents in the order of their
/// `source_file` (the ingest's path order): first the batch's, which carries from the last
/// [`undex_library::ENGLISH_CACHE`] English documents, then the end-of-batch pass, which
/// finds a document's versions as [`undex_index::UndexIndex::language_versions`] does (same
/// first symbol, lower-cased; [`undex_core::align::same_document`]; at most
/// [`undex_index::MAX_LANGUAGE_VERSIONS`]) and carries from the first English one. Hidden
/// files and `failures.jsonl` are passed over. Reads the first line of every file, and the
/// whole of the few that have versions in other languages.
///
/// # Errors
/// `OSError` when the folder or a file cannot be read or written; `ValueError` when a file
/// holds a line that is not a paragraph row.
#[pyfunction]
fn carry_english_tags(py: Python<'_>, extracted_dir: PathBuf) -> PyResult<Vec<String>> {
    py.detach(|| carry_in_folder(&extracted_dir))
        .map_err(|e| match e {
            CarryError::Io(m) => PyOSError::new_err(m),
            CarryError::Row(m) => PyValueError::new_err(m),
        })
}

/// Why [`carry_in_folder`] stopped.
enum CarryError {
    /// A file or the folder cannot be read or written.
    Io(String),
    /// A line is not a paragraph row.
    Row(String),
}

/// One document of the folder: its file, its first row, and the symbols it is indexed
/// under (lower-cased, as the index's keyword field holds them).
struct Head {
    file: PathBuf,
    first: ParagraphRow,
    keys: BTreeSet<String>,
}

fn read_rows(path: &Path, first_only: bool) -> Result<Vec<ParagraphRow>, CarryError> {
    let io = |e: std::io::Error| CarryError::Io(format!("cannot read {}: {e}", path.display()));
    let reader = std::io::BufReader::new(std::fs::File::open(path).map_err(io)?);
    let mut rows = Vec::new();
    for (i, line) in reader.lines().enumerate() {
        let line = line.map_err(io)?;
        if line.trim().is_empty() {
            continue;
        }
        let row: ParagraphRow = serde_json::from_str(&line).map_err(|e| {
            CarryError::Row(format!(
                "{} line {}: not a paragraph row: {e}",
                path.display(),
                i + 1
            ))
        })?;
        rows.push(row);
        if first_only {
            break;
        }
    }
    Ok(rows)
}

/// See [`carry_english_tags`].
fn carry_in_folder(dir: &Path) -> Result<Vec<String>, CarryError> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| CarryError::Io(format!("cannot read {}: {e}", dir.display())))?;
    let mut heads: Vec<Head> = Vec::new();
    for entry in entries.flatten() {
        let file = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".jsonl") || name.starts_with('.') || name == FAILURES_FILE {
            continue;
        }
        let Some(first) = read_rows(&file, true)?.pop() else {
            continue;
        };
        let keys = first
            .symbols
            .iter()
            .chain(first.symbol.iter())
            .map(|s| s.to_lowercase())
            .collect();
        heads.push(Head { file, first, keys });
    }
    heads.sort_by(|a, b| {
        Path::new(&a.first.source_file)
            .cmp(Path::new(&b.first.source_file))
            .then_with(|| a.first.doc_id.cmp(&b.first.doc_id))
    });
    let mut by_key: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, h) in heads.iter().enumerate() {
        for k in &h.keys {
            by_key.entry(k.as_str()).or_default().push(i);
        }
    }
    // Rows changed so far, by head.
    let mut changed: BTreeMap<usize, Vec<ParagraphRow>> = BTreeMap::new();
    let rows_of = |i: usize,
                   changed: &BTreeMap<usize, Vec<ParagraphRow>>|
     -> Result<Vec<ParagraphRow>, CarryError> {
        match changed.get(&i) {
            Some(rows) => Ok(rows.clone()),
            None => read_rows(&heads[i].file, false),
        }
    };

    // The batch's pass (`Library::ingest`): a version is carried from the most recent of
    // the last ENGLISH_CACHE English documents before it that is the same document.
    let mut english: VecDeque<usize> = VecDeque::new();
    for (i, h) in heads.iter().enumerate() {
        let first = &h.first;
        if first.symbol.is_none() {
            continue;
        }
        if first.language == Language::En {
            if english.len() >= undex_library::ENGLISH_CACHE {
                english.pop_front();
            }
            english.push_back(i);
        } else if let Some(&en) = english
            .iter()
            .rev()
            .find(|&&en| undex_core::align::same_document(&heads[en].first, first))
        {
            let en_rows = rows_of(en, &changed)?;
            let mut rows = rows_of(i, &changed)?;
            if undex_core::align::carry_english_tags(&en_rows, &mut rows) > 0 {
                changed.insert(i, rows);
            }
        }
    }

    // The end-of-batch pass (`Library::carry_english_tags`).
    let mut done: BTreeSet<&str> = BTreeSet::new();
    for (i, h) in heads.iter().enumerate() {
        let first = &h.first;
        if first.symbol.is_none() || done.contains(first.doc_id.as_str()) {
            continue;
        }
        let Some(key) = first
            .symbols
            .first()
            .or(first.symbol.as_ref())
            .map(|s| s.trim().to_lowercase())
        else {
            continue;
        };
        let sharing = by_key.get(key.as_str()).map_or(&[][..], Vec::as_slice);
        if !sharing
            .iter()
            .any(|&j| heads[j].first.language != first.language)
        {
            continue;
        }
        let mut by_doc: BTreeMap<&str, usize> = BTreeMap::new();
        for &j in sharing {
            let other = &heads[j].first;
            if j == i
                || other.doc_id == first.doc_id
                || undex_core::align::same_document(first, other)
            {
                by_doc.insert(other.doc_id.as_str(), j);
            }
        }
        let mut versions: Vec<usize> = by_doc
            .into_values()
            .take(undex_index::MAX_LANGUAGE_VERSIONS)
            .collect();
        versions.sort_by(|&a, &b| {
            let (a, b) = (&heads[a].first, &heads[b].first);
            (a.language.as_str(), &a.doc_id).cmp(&(b.language.as_str(), &b.doc_id))
        });
        done.extend(versions.iter().map(|&j| heads[j].first.doc_id.as_str()));
        let Some(&en) = versions
            .iter()
            .find(|&&j| heads[j].first.language == Language::En)
        else {
            continue;
        };
        let en_rows = rows_of(en, &changed)?;
        for &j in &versions {
            if heads[j].first.language == Language::En {
                continue;
            }
            let rows = rows_of(j, &changed)?;
            let mut carried = rows.clone();
            undex_core::align::carry_english_tags(&en_rows, &mut carried);
            if carried != rows {
                changed.insert(j, carried);
            }
        }
    }

    let mut rewritten = Vec::new();
    for (i, rows) in changed {
        let mut jsonl = Vec::new();
        for row in &rows {
            serde_json::to_writer(&mut jsonl, row)
                .map_err(|e| CarryError::Row(format!("cannot encode a row: {e}")))?;
            jsonl.push(b'\n');
        }
        let file = &heads[i].file;
        if std::fs::read(file).ok().as_deref() == Some(jsonl.as_slice()) {
            continue;
        }
        undex_core::fsutil::write_atomic(file, &jsonl)
            .map_err(|e| CarryError::Io(format!("cannot write {}: {e}", file.display())))?;
        rewritten.push(heads[i].first.doc_id.clone());
    }
    rewritten.sort();
    Ok(rewritten)
}

/// The native module, `undex._undex`; the package `undex` (python/undex-ray/src/undex)
/// re-exports all of it.
#[pymodule]
fn _undex(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(extract, m)?)?;
    m.add_function(wrap_pyfunction!(extract_document, m)?)?;
    m.add_function(wrap_pyfunction!(collect_files, m)?)?;
    m.add_function(wrap_pyfunction!(write_atomic, m)?)?;
    m.add_function(wrap_pyfunction!(sha256_hex, m)?)?;
    m.add_function(wrap_pyfunction!(carry_english_tags, m)?)?;
    m.add("ExtractError", m.py().get_type::<ExtractError>())?;
    m.add("MAX_FILE_BYTES", MAX_FILE_BYTES)?;
    m.add("FAILURES_FILE", FAILURES_FILE)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}

//! Exports opened by real clients, as users would open them: pandoc (citeproc, docx reader),
//! Python's rispy, feedparser and csv. Twenty real rows go out in every format and each client
//! must read back the same twenty entries.
//!
//! Needs Debian's `pandoc` (`apt-get install -y pandoc`) and the PyPI packages `rispy` and
//! `feedparser` (`pip install rispy feedparser`) for `python3`. A missing client FAILS the test
//! with the package to install; it never passes silently.

use crate::common;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use undex_analysis::{ExportFormat, FeedOptions, atom_feed, export, permalink};
use undex_core::ParagraphRow;

const BASE: &str = "https://undex.example.org";

/// Runs a command, failing the test with an install hint when it cannot start or fails.
fn run(cmd: &mut Command, install: &str) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?} ({e}): install {install}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed ({}): {}\n(if a program or module is missing: install {install})",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("client output is UTF-8")
}

fn pandoc(args: &[&str]) -> String {
    run(
        Command::new("pandoc").args(args),
        "Debian's `pandoc` (apt-get install -y pandoc)",
    )
}

/// Runs a Python script with `python3` on `arg`; `install` says what it needs.
fn python(script: &str, arg: &Path, install: &str) -> String {
    run(
        Command::new("python3").arg("-c").arg(script).arg(arg),
        install,
    )
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write temp file");
    p
}

fn setup() -> (Vec<ParagraphRow>, tempfile::TempDir) {
    let rows = common::twenty_rows();
    let dir = tempfile::tempdir().expect("temp dir");
    (rows, dir)
}

/// The `ref-…` ids of the entries pandoc's citeproc renders into HTML.
fn rendered_entries(html: &str) -> Vec<String> {
    html.split("<div id=\"ref-")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(String::from)
        .collect()
}

fn cite_everything(dir: &Path) -> PathBuf {
    write(dir, "cite.md", b"---\nnocite: '@*'\n---\n\n# References\n")
}

#[test]
fn pandoc_citeproc_renders_every_csl_json_entry() {
    let (rows, dir) = setup();
    let json = export(&rows, ExportFormat::CslJson, BASE).unwrap();
    let bib = write(dir.path(), "refs.json", &json);
    let md = cite_everything(dir.path());
    let html = pandoc(&[
        "--citeproc",
        "--bibliography",
        bib.to_str().unwrap(),
        "--wrap=none",
        "-t",
        "html",
        md.to_str().unwrap(),
    ]);
    let items: Vec<Value> = serde_json::from_slice(&json).unwrap();
    let mut want: Vec<String> = items
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect();
    let mut got = rendered_entries(&html);
    assert_eq!(got.len(), 20, "{html}");
    want.sort();
    got.sort();
    assert_eq!(got, want);
    assert!(html.contains("United Nations"), "{html}");
    assert!(html.contains("A/79/875-S/2025/248"), "{html}");
    assert!(
        html.to_lowercase()
            .contains("sustained implementation of the responsibility to protect"),
        "{html}"
    );
}

#[test]
fn pandoc_citeproc_renders_every_bibtex_entry() {
    let (rows, dir) = setup();
    let bib = export(&rows, ExportFormat::Bibtex, BASE).unwrap();
    let bib = write(dir.path(), "refs.bib", &bib);
    let md = cite_everything(dir.path());
    let html = pandoc(&[
        "--citeproc",
        "--bibliography",
        bib.to_str().unwrap(),
        "--wrap=none",
        "-t",
        "html",
        md.to_str().unwrap(),
    ]);
    let got = rendered_entries(&html);
    assert_eq!(got.len(), 20, "{html}");
    assert!(got.contains(&"A_79_875.en-76".to_string()), "{got:?}");
    // pandoc also reads the .bib as data: every field we wrote comes back.
    let csl = pandoc(&["-f", "bibtex", "-t", "csljson", bib.to_str().unwrap()]);
    let items: Vec<Value> = serde_json::from_str(&csl).unwrap();
    assert_eq!(items.len(), 20);
    for (item, row) in items.iter().zip(&rows) {
        assert_eq!(item["type"], "report", "{item}");
        assert_eq!(item["URL"], permalink(BASE, &row.id));
        assert_eq!(item["title"].as_str(), row.title.as_deref(), "{item}");
        assert_eq!(item["publisher"], "United Nations", "{item}");
        if let Some(symbol) = &row.symbol {
            assert_eq!(item["number"], symbol.as_str());
        }
        assert_eq!(item["note"].as_str(), Some(row.citation.as_str()), "{item}");
    }
}

#[test]
fn pandoc_reads_the_docx_list() {
    let (rows, dir) = setup();
    let docx = export(&rows, ExportFormat::Docx, BASE).unwrap();
    let path = write(dir.path(), "list.docx", &docx);
    let text = pandoc(&[
        "-f",
        "docx",
        "-t",
        "plain",
        "--wrap=none",
        path.to_str().unwrap(),
    ]);
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let want: Vec<&str> = rows.iter().map(|r| r.citation.as_str()).collect();
    assert_eq!(lines, want);

    // With quoted text: each citation is followed by its paragraph in quotation marks.
    let quoted = undex_analysis::export_with(
        &rows,
        ExportFormat::Docx,
        &undex_analysis::ExportOptions {
            base_url: BASE.into(),
            quote_text: true,
        },
    )
    .unwrap();
    let path = write(dir.path(), "quoted.docx", &quoted);
    let text = pandoc(&[
        "-f",
        "docx",
        "-t",
        "plain",
        "--wrap=none",
        path.to_str().unwrap(),
    ]);
    let paras: Vec<&str> = text
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    assert_eq!(paras.len(), 40, "{text}");
    for (pair, row) in paras.chunks(2).zip(&rows) {
        assert_eq!(pair[0], row.citation);
        let words = row.text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(pair[1], format!("“{words}”"));
    }
}

#[test]
fn rispy_reads_back_every_ris_record() {
    let (rows, dir) = setup();
    let ris = export(&rows, ExportFormat::Ris, BASE).unwrap();
    let path = write(dir.path(), "refs.ris", &ris);
    let out = python(
        "import json, sys, rispy\n\
         with open(sys.argv[1], encoding='utf-8') as f:\n    \
             entries = rispy.load(f)\n\
         print(json.dumps(entries))",
        &path,
        "the PyPI package `rispy` for python3 (pip install rispy)",
    );
    let entries: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(entries.len(), 20);
    let keys = undex_analysis::export::citation_keys(&rows);
    for ((e, row), key) in entries.iter().zip(&rows).zip(&keys) {
        assert_eq!(e["type_of_reference"], "RPT");
        assert_eq!(e["id"].as_str(), Some(key.as_str()));
        assert_eq!(e["title"].as_str(), row.title.as_deref());
        assert_eq!(e["publisher"], "United Nations");
        assert_eq!(
            e["urls"][0].as_str(),
            Some(permalink(BASE, &row.id).as_str())
        );
        assert_eq!(e["notes"][0].as_str(), Some(row.citation.as_str()), "{e}");
        assert_eq!(
            e["abstract"].as_str(),
            Some(
                row.text
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .as_str()
            )
        );
    }
}

#[test]
fn feedparser_reads_the_atom_feed() {
    let (rows, dir) = setup();
    let xml = atom_feed(
        &rows,
        &FeedOptions {
            base_url: BASE.into(),
            query: "responsibility to protect".into(),
            limit: 50,
            self_url: Some(format!("{BASE}/feed.atom?q=responsibility+to+protect")),
            search_url: None,
        },
    )
    .unwrap();
    let path = write(dir.path(), "feed.atom", xml.as_bytes());
    let out = python(
        "import json, sys, feedparser\n\
         d = feedparser.parse(sys.argv[1])\n\
         print(json.dumps({'bozo': d.bozo, 'version': d.version, 'title': d.feed.get('title'),\n    \
             'entries': [{'id': e.id, 'link': e.link, 'title': e.title, 'updated': e.updated,\n                 \
             'content': e.content[0].value} for e in d.entries]}))",
        &path,
        "the PyPI package `feedparser` for python3 (pip install feedparser)",
    );
    let d: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(d["bozo"], false, "{d}");
    assert_eq!(d["version"], "atom10");
    let entries = d["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 20);
    // Newest document first: the nine 2026 rows, then the eleven 2025 rows.
    assert!(
        entries[..9]
            .iter()
            .all(|e| e["updated"].as_str().unwrap().starts_with("2026-04-23"))
    );
    assert!(
        entries[9..]
            .iter()
            .all(|e| e["updated"].as_str().unwrap().starts_with("2025-04-22"))
    );
    let mut ids: Vec<&str> = entries.iter().map(|e| e["id"].as_str().unwrap()).collect();
    let mut want: Vec<String> = rows.iter().map(|r| permalink(BASE, &r.id)).collect();
    ids.sort_unstable();
    want.sort();
    assert_eq!(ids, want);
    for e in entries {
        assert_eq!(e["id"], e["link"]);
        let row = rows
            .iter()
            .find(|r| permalink(BASE, &r.id) == e["id"].as_str().unwrap())
            .unwrap();
        assert_eq!(e["title"].as_str(), Some(row.citation.as_str()));
        assert_eq!(e["content"].as_str(), Some(row.text.as_str()));
    }
}

#[test]
fn python_csv_reads_back_every_row() {
    let (rows, dir) = setup();
    let csv = export(&rows, ExportFormat::Csv, BASE).unwrap();
    let path = write(dir.path(), "rows.csv", &csv);
    let out = python(
        "import csv, json, sys\n\
         with open(sys.argv[1], newline='', encoding='utf-8') as f:\n    \
             print(json.dumps(list(csv.DictReader(f))))",
        &path,
        "Python 3 as `python3` (Debian's `python3`)",
    );
    let recs: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(recs.len(), 20);
    for (rec, row) in recs.iter().zip(&rows) {
        assert_eq!(rec["id"], row.id.as_str());
        assert_eq!(rec["text"], row.text.as_str());
        assert_eq!(rec["citation"], row.citation.as_str());
        assert_eq!(rec["permalink"], permalink(BASE, &row.id));
    }
}

//! Pins every tag and every piece of evidence the tagger gives on the whole shared corpus
//! (`shared/corpus` and `shared/seeds`), so that a change meant to leave the tags alone (a
//! faster matcher, a refactor) proves it does.
//!
//! Each file is read with undex-extract as ingest reads it (files that fail extraction are
//! listed in the snapshot's `skipped` lines and otherwise passed over); every unit is tagged
//! with `tag_paragraph` and every document with `tag_document`. The snapshot,
//! `tests/data/snapshot-corpus.txt`, has one line per tagger input, sorted by key:
//!
//! ```text
//! p <key> <paragraph id>\t<tags>     tag_paragraph of one unit
//! d <key> <paragraph id>\t<indices>  units whose tags tag_document changes (chapeau lists)
//! q <key>/<index> <paragraph id>\t<tags>  the tags tag_document gives such a unit
//! skipped <path> <error code>
//! ```
//!
//! A `p` key is the 64-bit FNV-1a hash of everything `tag_paragraph` reads: the document id,
//! language, type and author, the unit's kind, speaker, section path, footnotes and text. A `d`
//! key hashes the inputs and ids of all the units of a document. A change of extraction
//! therefore only adds or removes keys: the test compares the tags of the keys present on
//! both sides and reports (without failing) keys added or removed. Paragraph ids are there for
//! the reader; they are not compared.
//!
//! Regenerate with `UNDEX_UPDATE_SNAPSHOT=1 cargo test -p undex-tag --test tag snapshot_corpus`,
//! only from a tagger whose output is the reference: after an extraction change, regenerate it
//! from the previous tagger in a separate worktree, never from the tagger under test.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use undex_core::{Evidence, Paragraph, Tags};
use undex_tag::{TagContext, tag_document, tag_paragraph};

const SNAPSHOT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/snapshot-corpus.txt"
);

/// File names ingest passes over (corpus notes and checksum lists).
const NOT_DOCUMENTS: [&str; 5] = [
    "README.md",
    "MANIFEST.md",
    "SHA256SUMS",
    "manifest.jsonl",
    ".gitkeep",
];

fn shared() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/"))
}

/// Files under `dir`, recursively, hidden entries and non-documents left out, sorted.
fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if name.starts_with('.') || NOT_DOCUMENTS.contains(&name.as_str()) {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// 64-bit FNV-1a, as 16 hex digits: stable across Rust releases, unlike `DefaultHasher`.
fn fnv(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// Everything `tag_paragraph` reads for unit `p` of a document, in one string; fields are
/// separated by control characters that the text does not hold.
fn input_of(doc_id: &str, ctx: &TagContext<'_>, text: &str) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        "{doc_id}\x1f{}\x1f{:?}\x1f{:?}\x1f{}\x1f{:?}\x1f",
        ctx.language,
        ctx.doc_type,
        ctx.author,
        ctx.kind.as_str(),
        ctx.speaker
    );
    for h in ctx.section {
        s.push_str(h);
        s.push('\x1e');
    }
    s.push('\x1f');
    for f in ctx.footnotes {
        let _ = write!(s, "{}\x1d{}\x1e", f.marker, f.text);
    }
    s.push('\x1f');
    s.push_str(text);
    s
}

fn evidence(out: &mut String, text: &str, e: &[Evidence]) {
    out.push('[');
    for (k, e) in e.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        let _ = write!(out, "{}@{}-{}~{}", e.rule, e.start, e.end, e.confidence);
        // The span's words are implied by the offsets; spell them out only when they differ.
        if text.get(e.start..e.end) != Some(e.text.as_str()) {
            let _ = write!(
                out,
                "={}",
                serde_json::to_string(&e.text).unwrap_or_default()
            );
        }
    }
    out.push(']');
}

/// A compact, deterministic rendering of every tag and evidence span of one unit.
fn render(text: &str, t: &Tags) -> String {
    let mut out = String::new();
    out.push_str("P:");
    for p in &t.pillars {
        let _ = write!(out, "{}", p.pillar.as_str());
        evidence(&mut out, text, &p.evidence);
    }
    out.push_str(" R:");
    for r in &t.risk_factors {
        let _ = write!(out, "{}", r.factor);
        evidence(&mut out, text, &r.evidence);
    }
    let r = &t.recommendation;
    let _ = write!(
        out,
        " C:{}|{}|{}|{}",
        u8::from(r.is_recommendation),
        r.addressees.join(","),
        r.verb.as_deref().unwrap_or("-"),
        r.recommending_states.join(",")
    );
    evidence(&mut out, text, &r.evidence);
    out.push_str(" X:");
    for c in &t.crimes {
        out.push_str(&c.value);
        evidence(&mut out, text, &c.evidence);
    }
    out.push_str(" N:");
    for c in &t.countries {
        out.push_str(&c.value);
        evidence(&mut out, text, &c.evidence);
    }
    out.push_str(" D:");
    for (k, c) in t.cited.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        out.push_str(&c.symbol);
        if let Some(p) = &c.pinpoint {
            let _ = write!(out, "#{p}");
        }
        if let Some(f) = c.footnote {
            let _ = write!(out, "^{f}");
        }
    }
    out
}

fn context<'a>(doc: &'a undex_core::Document, p: &'a Paragraph) -> TagContext<'a> {
    TagContext {
        section: &p.section,
        kind: p.kind,
        footnotes: &p.footnotes,
        doc_type: doc.meta.doc_type.as_deref(),
        author: doc.meta.author.as_deref(),
        language: doc.meta.language.as_str(),
        speaker: p.speaker.as_deref(),
    }
}

/// The snapshot of today's tagger: key → (paragraph id, value), and the skipped files.
fn current() -> (BTreeMap<String, (String, String)>, Vec<String>) {
    let root = shared();
    let mut files = Vec::new();
    for dir in ["corpus", "seeds"] {
        files_under(&root.join(dir), &mut files);
    }
    files.sort();
    assert!(!files.is_empty(), "no documents under {}", root.display());
    let mut entries = BTreeMap::new();
    let mut skipped = Vec::new();
    for path in files {
        let rel = path
            .strip_prefix(&root)
            .unwrap_or(&path)
            .to_string_lossy()
            .to_string();
        let Ok(bytes) = std::fs::read(&path) else {
            skipped.push(format!("skipped {rel} io"));
            continue;
        };
        let doc =
            match undex_extract::extract(&bytes, &rel, &undex_extract::ExtractOptions::default()) {
                Ok(doc) => doc,
                Err(e) => {
                    skipped.push(format!("skipped {rel} {}", e.code()));
                    continue;
                }
            };
        let mut doc_input = String::new();
        let mut alone = Vec::with_capacity(doc.paragraphs.len());
        for p in &doc.paragraphs {
            let ctx = context(&doc, p);
            let input = input_of(&doc.meta.id, &ctx, &p.text);
            let tags = tag_paragraph(&p.text, &ctx);
            let _ = write!(doc_input, "{}\x1c{input}\x1c", p.id);
            entries
                .entry(format!("p {}", fnv(input.as_bytes())))
                .or_insert_with(|| (p.id.clone(), render(&p.text, &tags)));
            alone.push(tags);
        }
        let doc_key = fnv(doc_input.as_bytes());
        let mut tagged = doc.clone();
        tag_document(&mut tagged);
        let mut changed = Vec::new();
        for (i, (p, tags)) in tagged.paragraphs.iter().zip(&alone).enumerate() {
            if p.tags != *tags {
                changed.push(i.to_string());
                entries.insert(
                    format!("q {doc_key}/{i}"),
                    (p.id.clone(), render(&p.text, &p.tags)),
                );
            }
        }
        entries.insert(
            format!("d {doc_key}"),
            (
                doc.paragraphs
                    .first()
                    .map(|p| p.id.clone())
                    .unwrap_or_default(),
                changed.join(","),
            ),
        );
    }
    (entries, skipped)
}

fn serialise(entries: &BTreeMap<String, (String, String)>, skipped: &[String]) -> String {
    let mut out = String::new();
    for s in skipped {
        out.push_str(s);
        out.push('\n');
    }
    for (key, (id, value)) in entries {
        let _ = writeln!(out, "{key} {id}\t{value}");
    }
    out
}

/// Parses the snapshot file back: key → (id, value), and the skipped lines.
fn parse(src: &str) -> (BTreeMap<String, (String, String)>, Vec<String>) {
    let mut entries = BTreeMap::new();
    let mut skipped = Vec::new();
    for line in src.lines() {
        if line.starts_with("skipped ") {
            skipped.push(line.to_string());
            continue;
        }
        let (head, value) = line.split_once('\t').unwrap_or((line, ""));
        // "p <key> <id>": the key is the first two words.
        let mut words = head.splitn(3, ' ');
        let (Some(kind), Some(key)) = (words.next(), words.next()) else {
            continue;
        };
        let id = words.next().unwrap_or("").to_string();
        entries.insert(format!("{kind} {key}"), (id, value.to_string()));
    }
    (entries, skipped)
}

#[test]
fn tags_of_the_whole_corpus_match_the_snapshot() {
    let (now, skipped) = current();
    if std::env::var_os("UNDEX_UPDATE_SNAPSHOT").is_some() {
        std::fs::write(SNAPSHOT, serialise(&now, &skipped)).unwrap();
        eprintln!("wrote {SNAPSHOT}: {} entries", now.len());
        return;
    }
    let src = std::fs::read_to_string(SNAPSHOT)
        .unwrap_or_else(|e| panic!("{SNAPSHOT}: {e} (UNDEX_UPDATE_SNAPSHOT=1 writes it)"));
    let (base, base_skipped) = parse(&src);

    let mut common = 0usize;
    let mut differ = Vec::new();
    for (key, (id, value)) in &base {
        let Some((_, new)) = now.get(key) else {
            continue;
        };
        common += 1;
        if new != value {
            differ.push(format!(
                "{key} {id}\n  snapshot: {value}\n  now:      {new}"
            ));
        }
    }
    let removed: Vec<_> = base.iter().filter(|(k, _)| !now.contains_key(*k)).collect();
    let added: Vec<_> = now.iter().filter(|(k, _)| !base.contains_key(*k)).collect();
    // Keys come and go with extraction changes: report them, do not fail on them.
    if !removed.is_empty() || !added.is_empty() || skipped != base_skipped {
        eprintln!(
            "snapshot: {common} keys compared, {} only in the snapshot, {} only now (extraction changed?)",
            removed.len(),
            added.len()
        );
        for (k, (id, _)) in removed.iter().take(10) {
            eprintln!("  only in snapshot: {k} {id}");
        }
        for (k, (id, _)) in added.iter().take(10) {
            eprintln!("  only now: {k} {id}");
        }
        eprintln!("  skipped in snapshot: {base_skipped:?}\n  skipped now: {skipped:?}");
    }
    assert!(
        common * 2 >= base.len(),
        "only {common} of {} snapshot keys are still produced: extraction has changed too much \
         to compare; regenerate the snapshot from the reference tagger in a separate worktree",
        base.len()
    );
    assert!(
        differ.is_empty(),
        "{} of {common} entries differ from the snapshot:\n{}",
        differ.len(),
        differ
            .iter()
            .take(30)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

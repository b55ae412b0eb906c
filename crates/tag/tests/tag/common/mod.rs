//! Test helpers: read the seed report texts from `shared/seeds` and split them into numbered
//! paragraphs and lettered sub-paragraphs (a small stand-in for undex-extract, enough for
//! these two texts).
#![allow(dead_code)]

use std::path::PathBuf;

use undex_core::{Document, DocumentMeta, Footnote, Language, Paragraph, UnitKind, paragraph_id};

pub fn shared(rel: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/")).join(rel)
}

pub fn read_shared(rel: &str) -> String {
    std::fs::read_to_string(shared(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

const SUPERSCRIPTS: &str = "⁰¹²³⁴⁵⁶⁷⁸⁹";

fn superscript_value(s: &str) -> Option<u32> {
    let digits: String = s
        .chars()
        .map_while(|c| SUPERSCRIPTS.chars().position(|d| d == c))
        .map(|d| char::from(b'0' + u8::try_from(d).unwrap_or(0)))
        .collect();
    digits.parse().ok()
}

/// Removes superscript footnote markers, returning the text and the markers in order.
fn strip_markers(s: &str) -> (String, Vec<u32>) {
    let mut out = String::new();
    let mut refs = Vec::new();
    let mut digits = String::new();
    for c in s.chars() {
        if SUPERSCRIPTS.contains(c) {
            digits.push(c);
            continue;
        }
        if !digits.is_empty() {
            if let Some(v) = superscript_value(&digits) {
                refs.push(v);
            }
            digits.clear();
        }
        out.push(c);
    }
    if let Some(v) = superscript_value(&digits) {
        refs.push(v);
    }
    (out, refs)
}

fn is_roman_heading(line: &str) -> bool {
    let Some((head, rest)) = line.split_once(". ") else {
        return false;
    };
    !head.is_empty() && head.chars().all(|c| "IVX".contains(c)) && !rest.is_empty()
}

/// (kind, number, sub, section path, raw text with markers).
type RawUnit = (UnitKind, String, Option<String>, Vec<String>, String);

/// The 2026 report (`seeds/sg-r2p-report-2026.txt`): numbered paragraphs "N. ", sub-paragraphs
/// "(a) ", footnote lines starting with a superscript number, headings "IV. …"; lines after an
/// interleaved footnote block continue the previous unit.
pub fn seed_2026() -> Document {
    let text = read_shared("seeds/sg-r2p-report-2026.txt");
    let mut footnotes: Vec<Footnote> = Vec::new();
    let mut units: Vec<RawUnit> = Vec::new();
    let mut section: Vec<String> = Vec::new();
    let mut started = false;
    for raw in text.lines() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(first) = line.chars().next()
            && SUPERSCRIPTS.contains(first)
        {
            let n: String = line
                .chars()
                .take_while(|c| SUPERSCRIPTS.contains(*c))
                .collect();
            if let Some(marker) = superscript_value(&n) {
                let body = line[n.len()..].trim().to_string();
                footnotes.push(Footnote { marker, text: body });
            }
            continue;
        }
        if is_roman_heading(line) {
            section = vec![line.to_string()];
            started = true;
            continue;
        }
        if !started {
            continue;
        }
        let num: String = line.chars().take_while(char::is_ascii_digit).collect();
        if !num.is_empty() && line[num.len()..].starts_with(". ") {
            units.push((
                UnitKind::Paragraph,
                num.clone(),
                None,
                section.clone(),
                line[num.len() + 2..].to_string(),
            ));
            continue;
        }
        if line.starts_with('(')
            && let Some(close) = line.find(") ")
            && close <= 3
            && line[1..close].chars().all(|c| c.is_ascii_lowercase())
        {
            let sub = line[1..close].to_string();
            let number = units.last().map(|u| u.1.clone()).unwrap_or_default();
            if let Some(parent) = units
                .iter_mut()
                .rev()
                .find(|u| u.1 == number && u.2.is_none())
            {
                parent.0 = UnitKind::Chapeau;
            }
            units.push((
                UnitKind::Subparagraph,
                number,
                Some(sub),
                section.clone(),
                line[close + 2..].to_string(),
            ));
            continue;
        }
        // Continuation after a footnote block.
        if let Some(last) = units.last_mut() {
            last.4.push(' ');
            last.4.push_str(line);
        }
    }
    let meta = DocumentMeta {
        id: "sg-r2p-2026.en".into(),
        author: Some("Secretary-General".into()),
        doc_type: Some("report".into()),
        language: Language::En.into(),
        ..DocumentMeta::default()
    };
    let paragraphs = units
        .into_iter()
        .map(|(kind, number, sub, section, raw)| {
            let (text, refs) = strip_markers(&raw);
            let text = text.replace("**", "");
            let fns = footnotes
                .iter()
                .filter(|f| refs.contains(&f.marker))
                .cloned()
                .collect();
            Paragraph {
                id: paragraph_id(&meta.id, kind, None, &number, sub.as_deref()),
                kind,
                number: Some(number),
                ordinal: None,
                sub,
                annex: None,
                section,
                page: 1,
                text: text.trim().to_string(),
                footnote_refs: refs,
                footnotes: fns,
                speaker: None,
                tags: undex_core::Tags::default(),
            }
        })
        .collect();
    Document {
        meta,
        paragraphs,
        warnings: Vec::new(),
    }
}

/// One paragraph of the 2025 report (`seeds/sg-r2p-report-2025-A-79-875.txt`, a rough
/// Markdown conversion): the line starting "N. " or "- N. ", with `<sup>` markers removed.
/// Returns the text and the heading path (the last Markdown heading before it).
pub fn para_2025(n: u32) -> (String, Vec<String>) {
    let text = read_shared("seeds/sg-r2p-report-2025-A-79-875.txt");
    let mut heading = String::new();
    for line in text.lines() {
        let l = line.trim();
        if l.starts_with('#') {
            heading = l.trim_start_matches('#').trim().replace("**", "");
            continue;
        }
        let l = l.trim_start_matches("- ");
        let prefix = format!("{n}. ");
        if let Some(rest) = l.strip_prefix(&prefix) {
            let mut clean = String::new();
            let mut rest = rest;
            while let Some(i) = rest.find("<sup>") {
                clean.push_str(&rest[..i]);
                rest = rest[i..].find("</sup>").map_or("", |j| &rest[i + j + 6..]);
            }
            clean.push_str(rest);
            return (
                clean.split_whitespace().collect::<Vec<_>>().join(" "),
                vec![heading],
            );
        }
    }
    panic!("2025 report has no paragraph {n}");
}

//! Roles and blocks from lines, following the page layouts of UN documents.
//!
//! Current layout (UN Editorial Manual, Department for General Assembly and Conference
//! Management): masthead on page 1 ("United Nations", symbol, organ, "Distr.: General", date,
//! "Original: English", session and agenda item, title); running header with the symbol and a
//! footer with the page number ("5/17") and the job number ("25-06353"); body 10 pt with
//! numbered paragraphs; headings "I. …" 12–14 pt bold, "A. …" bold; footnotes 8–9 pt under a
//! short rule, each starting with its raised number. Pre-2010 layout: headers "A/HRC/8/29" and
//! "Page 2", body 11–12 pt, ALL-CAPS headings, footnotes after a rule of underscores.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use regex::Regex;

use super::glyphs::PageGlyphs;
use super::lines::{Line, WidthModes, build_lines, superscript_digit};
use super::text::{Vocabulary, clean_line, finish, join_line};
use crate::blocks::{Block, BlockDocument, BlockRole};
use crate::error::ExtractError;
use crate::limits::Deadline;

/// A paragraph number at the start of a line: "12. ", "1234. ", "69.1 ", "140.12. " (the
/// segmenter decides whether a long number is a paragraph number).
static PARA_NUM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d+\.\s|\d+(\.\d{1,3})+\.?\s)").expect("static regex"));
/// A sub-paragraph marker: "(a) ", "(ii) ".
static SUB_PARA: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\(([a-z]|[ivx]{1,5})\)\s").expect("static regex"));
/// A numbered heading: "III. ", "A. ", "1. " is not one (that is a paragraph).
static NUM_HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([IVXL]{1,6}|[A-Z])\.\s+\S").expect("static regex"));
/// Tokens that page furniture is made of; `strong` ones identify it on their own.
static FURN_STRONG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(\d{2}-\d{5}[A-Z]?(\([A-Z]\))?|[A-Z]{1,2}[.:]?\d{2}-\d{5}[A-Z]?(\([A-Z]\))?|\d{1,4}/\d{1,4}|\*\d{5,}\*|\*[A-Z0-9]{6,}\*)$",
    )
    .expect("static regex")
});
static FURN_WEAK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\([A-Z]{1,2}\)|\d{6}|\d{1,4}|Page|Pages?|page|-|–|—|\d{2}/\d{2}/\d{2,4}|/?\.\.\.|/|-\d{5})$")
        .expect("static regex")
});
/// A document symbol standing alone (running header): "A/HRC/8/29", "S/2025/317".
static SYMBOL_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Z]{1,5}/[A-Z0-9][A-Za-z0-9./\- ]*\d[A-Za-z0-9./\- ]*\*{0,3}$")
        .expect("static regex")
});
/// "Page 2" inside a header line ("A/40/281 S/17146 English Page 2").
static PAGE_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(page|страница)\s+\d{1,4}$").expect("static regex"));
/// Language names that stand alone in old running headers ("English").
const LANGUAGES: [&str; 12] = [
    "english",
    "french",
    "spanish",
    "russian",
    "arabic",
    "chinese",
    "français",
    "anglais",
    "espagnol",
    "russe",
    "arabe",
    "chinois",
];
/// A footnote number at the start of a line (when not raised): "12 See …", "* …", "1/ …".
static FOOT_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,3}(/|\s)|\*{1,3})\s*\S").expect("static regex"));

/// Line kinds after classification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Furniture,
    Masthead,
    Heading,
    Footnote,
    /// A footnote separator rule drawn with underscores.
    Rule,
    Body,
}

/// A line with its cleaned text and kind.
struct L {
    line: Line,
    text: String,
    kind: Kind,
    /// Starts a new block regardless of spacing.
    starts_block: bool,
}

/// Document-wide measures.
struct Stats {
    body_size: f32,
    pitch: f32,
}

/// Lays out the decoded pages (a `None` page failed to decode) into blocks.
///
/// # Errors
/// [`ExtractError::LimitExceeded`] when `deadline` passes (checked before each page).
pub(crate) fn lay_out(
    pages: &[Option<PageGlyphs>],
    warnings: &mut Vec<String>,
    deadline: &Deadline,
) -> Result<BlockDocument, ExtractError> {
    let present: Vec<&PageGlyphs> = pages.iter().flatten().collect();
    let modes = WidthModes::from_refs(&present);
    let mut all: Vec<(u32, f32, f32, Vec<L>)> = Vec::with_capacity(pages.len());
    for (i, p) in pages.iter().enumerate() {
        let page_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        deadline.check(|| format!("laying out page {page_no} of {}", pages.len()))?;
        let Some(p) = p else { continue };
        let lines = build_lines(p, &modes)
            .into_iter()
            .map(|line| {
                let text = clean_line(&line.text).replace('∗', "*");
                L {
                    line,
                    text,
                    kind: Kind::Body,
                    starts_block: false,
                }
            })
            .filter(|l| !l.text.trim().is_empty())
            .collect::<Vec<_>>();
        if lines.is_empty() && pages.len() > 1 {
            warnings.push(format!("page {page_no}: no text layer"));
        }
        if p.rotated > 0 {
            tracing::debug!(page = page_no, glyphs = p.rotated, "rotated glyphs skipped");
        }
        all.push((page_no, p.width, p.height, lines));
    }
    script_warnings(&all, warnings);
    let stats = stats(&all);
    mark_furniture(&mut all, &stats);
    for (page_no, width, height, lines) in &mut all {
        let frame = frame(lines, &stats, *width);
        mark_footnotes(lines, &stats, *height);
        if *page_no == 1 {
            mark_masthead(lines, &stats, frame, *height);
        }
        mark_headings(lines, &stats, frame);
        mark_block_starts(lines, &stats, frame);
    }
    let vocab = Vocabulary::from_lines(
        all.iter()
            .flat_map(|(_, _, _, ls)| ls.iter())
            .filter(|l| l.kind != Kind::Furniture)
            .map(|l| l.text.as_str()),
    );
    let mut blocks = Vec::new();
    for (page_no, width, _, lines) in &all {
        let frame = frame(lines, &stats, *width);
        build_blocks(*page_no, lines, frame, &vocab, &mut blocks);
    }
    Ok(BlockDocument {
        pages: u32::try_from(pages.len()).unwrap_or(u32::MAX),
        blocks,
        warnings: Vec::new(),
    })
}

/// Warns about scripts whose reading order or word spacing is not rebuilt.
fn script_warnings(all: &[(u32, f32, f32, Vec<L>)], warnings: &mut Vec<String>) {
    let (mut rtl, mut cjk, mut total) = (0usize, 0usize, 0usize);
    for c in all
        .iter()
        .flat_map(|(_, _, _, ls)| ls.iter())
        .flat_map(|l| l.text.chars())
    {
        total += 1;
        match c {
            '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}' => rtl += 1,
            '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' => cjk += 1,
            _ => {}
        }
    }
    if rtl * 20 > total {
        warnings.push(
            "right-to-left text (Arabic/Hebrew): glyphs kept in visual order, reading order not rebuilt"
                .to_string(),
        );
    }
    if cjk * 20 > total {
        warnings.push(
            "Chinese/Japanese text: no word segmentation; line-end joins add a space".to_string(),
        );
    }
}

fn size_key(s: f32) -> u32 {
    (s * 2.0).round().max(0.0) as u32
}

fn stats(all: &[(u32, f32, f32, Vec<L>)]) -> Stats {
    let mut sizes: BTreeMap<u32, usize> = BTreeMap::new();
    for l in all.iter().flat_map(|(_, _, _, ls)| ls.iter()) {
        *sizes.entry(size_key(l.line.size)).or_default() += l.text.chars().count();
    }
    let body_key = sizes
        .iter()
        .max_by_key(|&(k, n)| (*n, *k))
        .map_or(20, |(k, _)| *k);
    let body_size = body_key as f32 / 2.0;
    let mut pitches: BTreeMap<u32, usize> = BTreeMap::new();
    for (_, _, _, ls) in all {
        for w in ls.windows(2) {
            let (a, b) = (&w[0].line, &w[1].line);
            if size_key(a.size) == body_key && size_key(b.size) == body_key {
                let d = b.y - a.y;
                if d > body_size * 0.9 && d < body_size * 2.2 {
                    *pitches.entry((d * 4.0).round() as u32).or_default() += 1;
                }
            }
        }
    }
    let pitch = pitches
        .iter()
        .max_by_key(|&(k, n)| (*n, std::cmp::Reverse(*k)))
        .map_or(body_size * 1.2, |(k, _)| *k as f32 / 4.0);
    Stats { body_size, pitch }
}

/// The text frame of a page: (left, right) edges of its body-size lines.
#[derive(Debug, Clone, Copy)]
struct Frame {
    left: f32,
    right: f32,
}

fn frame(lines: &[L], stats: &Stats, page_width: f32) -> Frame {
    let mut left = f32::MAX;
    let mut right = f32::MIN;
    for l in lines {
        if (l.line.size - stats.body_size).abs() < 0.6
            && l.text.chars().count() > 30
            && l.kind != Kind::Furniture
        {
            left = left.min(l.line.x0);
            right = right.max(l.line.x1);
        }
    }
    if left >= right {
        Frame {
            left: page_width * 0.12,
            right: page_width * 0.88,
        }
    } else {
        Frame { left, right }
    }
}

/// True when a line standing alone is page furniture by its text: job number ("25-06353
/// (E) 010525"), page number ("5/17"), barcode, "Please recycle".
pub(crate) fn furniture_line(text: &str) -> bool {
    let lower = text.to_lowercase();
    furniture_tokens(text)
        || lower.contains("please recycle")
        || (PAGE_WORD.is_match(&lower) && text.chars().count() < 40)
}

/// True when every token is a furniture token and one identifies furniture on its own.
fn furniture_tokens(text: &str) -> bool {
    static JOB_SPLIT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\d{2}\s?-\s?\d{5}\b").expect("static regex"));
    let t = text.trim();
    if t == "/..." || t == "/ . . ." || (JOB_SPLIT.is_match(t) && t.len() < 60) {
        return true;
    }
    let mut strong = false;
    for t in text.split_whitespace() {
        if FURN_STRONG.is_match(t) {
            strong = true;
        } else if !FURN_WEAK.is_match(t) {
            return false;
        }
    }
    strong
}

fn norm_repeat(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphabetic() || *c == '/')
        .flat_map(char::to_lowercase)
        .collect()
}

fn mark_furniture(all: &mut [(u32, f32, f32, Vec<L>)], stats: &Stats) {
    let in_zone = |y: f32, h: f32| y < h * 0.105 || y > h * 0.88;
    // Repeated lines in the top and bottom zones (running headers and footers).
    let mut seen: BTreeMap<String, BTreeSet<u32>> = BTreeMap::new();
    for (page_no, _, h, lines) in all.iter() {
        for l in lines {
            if in_zone(l.line.y, *h) {
                let key = norm_repeat(&l.text);
                if !key.is_empty() {
                    seen.entry(key).or_default().insert(*page_no);
                }
            }
        }
    }
    let n_pages = all.len();
    let repeated: BTreeSet<String> = seen
        .into_iter()
        .filter(|(_, pages)| pages.len() >= 3 && pages.len() * 4 >= n_pages)
        .map(|(k, _)| k)
        .collect();
    for (page_no, _, h, lines) in all.iter_mut() {
        for l in lines.iter_mut() {
            let t = l.text.trim();
            let zone = in_zone(l.line.y, *h);
            let lower = t.to_lowercase();
            let furniture = furniture_tokens(t)
                || lower.contains("please recycle")
                || t.contains('♲')
                || (zone && repeated.contains(&norm_repeat(t)))
                || (zone && *page_no > 1 && SYMBOL_LINE.is_match(t))
                || (zone
                    && t.chars().all(|c| c.is_ascii_digit() || " -–—.".contains(c))
                    && t.chars().any(|c| c.is_ascii_digit()))
                || (zone
                    && (lower.starts_with("page ") || lower.starts_with("стр"))
                    && t.len() < 14)
                || (zone && PAGE_WORD.is_match(&lower) && t.chars().count() < 40)
                || (zone && !t.chars().any(char::is_alphanumeric))
                || (zone && *page_no > 1 && LANGUAGES.contains(&lower.as_str()))
                || (zone
                    && l.line.size > stats.body_size * 1.1
                    && t.starts_with('*')
                    && t.ends_with('*'));
            if furniture {
                l.kind = Kind::Furniture;
            }
        }
    }
}

fn is_rule(t: &str) -> bool {
    t.chars().count() >= 5
        && t.chars()
            .all(|c| c == '_' || c == '-' || c == '—' || c == ' ')
}

fn starts_footnote(l: &L) -> bool {
    l.line.starts_raised
        || FOOT_START.is_match(&l.text)
        || l.text.starts_with(|c: char| superscript_value(c).is_some())
}

fn superscript_value(c: char) -> Option<u32> {
    "⁰¹²³⁴⁵⁶⁷⁸⁹".chars().position(|s| s == c).map(|p| p as u32)
}

/// Footnotes: the bottom run of the page (above the footer) that starts with a footnote
/// number and is set smaller than the body, or follows a rule or a large gap.
fn mark_footnotes(lines: &mut [L], stats: &Stats, height: f32) {
    let content: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].kind != Kind::Furniture)
        .collect();
    if content.is_empty() {
        return;
    }
    // Rule of underscores: everything below it is footnotes.
    let mut start: Option<usize> = None;
    for (pos, &i) in content.iter().enumerate() {
        if is_rule(&lines[i].text) && lines[i].line.y > height * 0.3 {
            let next = content.get(pos + 1).copied();
            if next.is_some_and(|n| starts_footnote(&lines[n])) {
                start = Some(pos);
            }
        }
    }
    // Smaller type at the bottom.
    if start.is_none() {
        let small = |l: &L| l.line.size < stats.body_size * 0.92;
        let mut pos = content.len();
        while pos > 0 && small(&lines[content[pos - 1]]) {
            pos -= 1;
        }
        if pos == 0 {
            // Only small lines on the page (endnotes, a table): not a footnote zone.
            pos = content.len();
        }
        // The run must begin at a footnote number; shrink it to the first that does.
        while pos < content.len() && !starts_footnote(&lines[content[pos]]) {
            pos += 1;
        }
        if pos < content.len() && pos > 0 {
            let above = &lines[content[pos - 1]];
            let first = &lines[content[pos]];
            if first.line.y > height * 0.4 && first.line.y - above.line.y > stats.pitch * 0.9 {
                start = Some(pos);
            }
        } else if pos == 0 && !content.is_empty() {
            // Only small lines on the page: not a footnote zone (e.g. a table page).
        }
    }
    // Same-size footnotes (pre-2010 layout): a footnote number after a large gap low on the page.
    if start.is_none() {
        for pos in 1..content.len() {
            let (a, b) = (&lines[content[pos - 1]], &lines[content[pos]]);
            if b.line.y > height * 0.6
                && b.line.y - a.line.y > stats.pitch * 3.0
                && (b.line.starts_raised || b.text.starts_with('*'))
            {
                start = Some(pos);
                break;
            }
        }
    }
    let Some(start) = start else { return };
    let zone: Vec<usize> = content[start..].to_vec();
    let zone_left = zone
        .iter()
        .filter(|&&i| !is_rule(&lines[i].text))
        .map(|&i| lines[i].line.x0)
        .fold(f32::MAX, f32::min);
    let mut first = true;
    for i in zone {
        let l = &mut lines[i];
        if is_rule(&l.text) {
            l.kind = Kind::Rule;
            continue;
        }
        l.kind = Kind::Footnote;
        let numbered = l.line.starts_raised
            || l.text.starts_with(|c: char| superscript_value(c).is_some())
            || (FOOT_START.is_match(&l.text) && l.line.x0 <= zone_left + 3.0);
        if numbered || first {
            l.starts_block = true;
            if !l.line.starts_raised {
                l.text = superscript_marker(&l.text);
            }
        }
        first = false;
    }
}

/// Rewrites a leading plain footnote number ("12 See", "1/ See") as superscript digits.
fn superscript_marker(text: &str) -> String {
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() || digits.len() > 3 {
        return text.to_string();
    }
    let rest = text[digits.len()..].trim_start_matches('/').trim_start();
    let sup: String = digits.chars().filter_map(superscript_digit).collect();
    format!("{sup} {rest}")
}

/// Masthead fields of page 1 (English, French, Russian, Spanish forms).
fn is_masthead_field(t: &str) -> bool {
    let l = t.to_lowercase();
    [
        "united nations",
        "nations unies",
        "организация объединенных наций",
        "naciones unidas",
        "distr",
        "original:",
        "original :",
        "оригинал:",
        "general assembly",
        "security council",
        "economic and social council",
        "human rights council",
        "assemblée générale",
        "conseil",
        "генеральная ассамблея",
        "совет",
        "session",
        "сессия",
        "agenda item",
        "item ",
        "point ",
        "пункт",
        "english",
        "french",
        "general",
        "limited",
        "restricted",
    ]
    .iter()
    .any(|k| l.contains(k))
}

fn is_content_start(t: &str) -> bool {
    let l = t.trim().trim_end_matches(['*', ':']).to_lowercase();
    PARA_NUM.is_match(t)
        || NUM_HEADING.is_match(t)
        || [
            "summary",
            "introduction",
            "contents",
            "annex",
            "résumé",
            "table des matières",
            "содержание",
            "резюме",
            "введение",
            "resumen",
            "índice",
        ]
        .contains(&l.as_str())
}

/// Page 1: lines above the first paragraph, section heading or body prose are the masthead.
fn mark_masthead(lines: &mut [L], stats: &Stats, frame: Frame, height: f32) {
    let width = frame.right - frame.left;
    let mut prev_y: Option<f32> = None;
    for l in lines.iter_mut() {
        if l.kind != Kind::Body {
            continue;
        }
        let t = l.text.trim();
        let prose = !l.line.bold
            && (l.line.size - stats.body_size).abs() < stats.body_size * 0.2
            && l.line.x1 - l.line.x0 > width * 0.7
            && !is_masthead_field(t)
            && prev_y.is_some_and(|y| l.line.y - y < stats.pitch * 1.6);
        if is_content_start(t) || prose || l.line.y > height * 0.62 {
            break;
        }
        // A prose line is recognised by its width and by a following line at body pitch;
        // look at the gap to the previous line to catch the first line of a letter.
        prev_y = Some(l.line.y);
        l.kind = Kind::Masthead;
    }
    // A prose paragraph whose first line was taken as masthead: give it back.
    let mut last_mast: Option<usize> = None;
    for (i, l) in lines.iter().enumerate() {
        if l.kind == Kind::Masthead {
            last_mast = Some(i);
        } else if l.kind == Kind::Body {
            break;
        }
    }
    if let Some(i) = last_mast
        && let Some(next) = lines.get(i + 1)
        && next.kind == Kind::Body
        && !is_content_start(&next.text)
    {
        let l = &lines[i];
        if !l.line.bold
            && (l.line.size - stats.body_size).abs() < stats.body_size * 0.2
            && next.line.y - l.line.y < stats.pitch * 1.3
            && l.line.x1 - l.line.x0 > width * 0.6
            && !is_masthead_field(&l.text)
        {
            lines[i].kind = Kind::Body;
        }
    }
}

fn all_caps(t: &str) -> bool {
    let letters: Vec<char> = t.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 4
        && letters.iter().filter(|c| c.is_uppercase()).count() * 10 >= letters.len() * 9
}

fn centred(l: &Line, frame: Frame) -> bool {
    let mid = (l.x0 + l.x1) / 2.0;
    let fmid = (frame.left + frame.right) / 2.0;
    (mid - fmid).abs() < (frame.right - frame.left) * 0.04
        && l.x0 > frame.left + 15.0
        && l.x1 < frame.right - 15.0
}

/// Headings: numbered ("III. ", "A. ") in bold or larger type, larger type, bold or centred
/// short lines after a gap, and ALL-CAPS lines (pre-2010 layout).
fn mark_headings(lines: &mut [L], stats: &Stats, frame: Frame) {
    let width = frame.right - frame.left;
    let mut prev: Option<(f32, f32, bool, Kind)> = None; // (y, size, bold, kind)
    for l in lines.iter_mut() {
        if l.kind != Kind::Body {
            if l.kind != Kind::Furniture {
                prev = Some((l.line.y, l.line.size, l.line.bold, l.kind));
            }
            continue;
        }
        let t = l.text.trim();
        let n = t.chars().count();
        let gap = prev.map_or(f32::MAX, |(y, _, _, _)| l.line.y - y);
        let spaced = gap > stats.pitch * 1.3;
        let larger = l.line.size > stats.body_size + 1.2;
        let short = l.line.x1 - l.line.x0 < width * 0.9 && n <= 160;
        let para = PARA_NUM.is_match(t) || SUB_PARA.is_match(t);
        let leaders = t.contains("....") || t.contains("……");
        let ends_clause = t.ends_with([';', ',']);
        let is_heading = !para
            && !leaders
            && !ends_clause
            && n <= 200
            && (larger
                || (NUM_HEADING.is_match(t) && (l.line.bold || (spaced && short)))
                || (short && l.line.bold && spaced)
                || (short && centred(&l.line, frame) && spaced && (l.line.bold || all_caps(t)))
                || (short && all_caps(t) && spaced && n <= 120));
        let continues = prev.is_some_and(|(_, size, bold, kind)| {
            kind == Kind::Heading
                && !para
                && !NUM_HEADING.is_match(t)
                && (size - l.line.size).abs() < 0.5
                && (bold == l.line.bold || larger || all_caps(t))
                && gap < l.line.size * 1.8
                && n <= 200
        });
        if is_heading || continues {
            l.kind = Kind::Heading;
            l.starts_block = is_heading && !continues;
        }
        prev = Some((l.line.y, l.line.size, l.line.bold, l.kind));
    }
}

/// Body block starts: a paragraph or sub-paragraph number at the line start after a line
/// that ended a sentence or stopped short; a vertical gap larger than the line spacing.
fn mark_block_starts(lines: &mut [L], stats: &Stats, frame: Frame) {
    let mut prev: Option<usize> = None;
    for i in 0..lines.len() {
        if lines[i].kind == Kind::Furniture {
            continue;
        }
        if let Some(p) = prev {
            let (a, b) = (&lines[p], &lines[i]);
            let gap = b.line.y - a.line.y;
            let pitch = if (b.line.size - stats.body_size).abs() < 0.6 {
                stats.pitch
            } else {
                b.line.size * 1.2
            };
            let prev_ended = a.text.ends_with(['.', ':', ';', '?', '!', '”', '"', ')'])
                || a.line.x1 < frame.right - 30.0;
            let numbered = (PARA_NUM.is_match(&b.text) || SUB_PARA.is_match(&b.text)) && prev_ended;
            if gap > pitch * 1.35 || gap < -stats.body_size || numbered || a.kind != b.kind {
                lines[i].starts_block = true;
            }
        } else {
            lines[i].starts_block = true;
        }
        prev = Some(i);
    }
}

fn role(kind: Kind) -> BlockRole {
    match kind {
        Kind::Furniture | Kind::Rule => BlockRole::Furniture,
        Kind::Masthead => BlockRole::Masthead,
        Kind::Heading => BlockRole::Heading,
        Kind::Footnote => BlockRole::Footnote,
        Kind::Body => BlockRole::Body,
    }
}

/// A block being built.
struct Cur {
    block: Block,
    /// (size, bold, chars) of each line.
    parts: Vec<(f32, bool, usize)>,
    kind: Kind,
    last_y: f32,
    last_width: f32,
    last_size: f32,
}

fn flush(cur: &mut Option<Cur>, out: &mut Vec<Block>) {
    if let Some(Cur {
        mut block, parts, ..
    }) = cur.take()
    {
        block.text = finish(&block.text);
        let total: usize = parts.iter().map(|p| p.2).sum();
        let bold: usize = parts.iter().filter(|p| p.1).map(|p| p.2).sum();
        block.bold = total > 0 && bold * 2 > total;
        let mut sizes: BTreeMap<u32, usize> = BTreeMap::new();
        for p in &parts {
            *sizes.entry(size_key(p.0)).or_default() += p.2;
        }
        if let Some((k, _)) = sizes.iter().max_by_key(|&(k, n)| (*n, *k)) {
            block.font_size = *k as f32 / 2.0;
        }
        if !block.text.is_empty() {
            out.push(block);
        }
    }
}

/// Joins lines into blocks. Furniture lines are blocks of their own; masthead lines join
/// only when a title wraps (same size, previous line long).
fn build_blocks(page: u32, lines: &[L], frame: Frame, vocab: &Vocabulary, out: &mut Vec<Block>) {
    let width = frame.right - frame.left;
    let mut cur: Option<Cur> = None;
    for l in lines {
        let joins = cur.as_ref().is_some_and(|c| match l.kind {
            Kind::Furniture | Kind::Rule => false,
            Kind::Masthead => {
                c.kind == Kind::Masthead
                    && (c.last_size - l.line.size).abs() < 0.3
                    && l.line.y - c.last_y < l.line.size * 1.6
                    && c.last_width > width * 0.55
            }
            kind => c.kind == kind && !l.starts_block,
        });
        if joins {
            if let Some(c) = cur.as_mut() {
                join_line(&mut c.block.text, &l.text, vocab);
                c.parts
                    .push((l.line.size, l.line.bold, l.text.chars().count()));
                c.last_y = l.line.y;
                c.last_width = l.line.x1 - l.line.x0;
                c.last_size = l.line.size;
            }
            continue;
        }
        flush(&mut cur, out);
        cur = Some(Cur {
            block: Block {
                page,
                role: role(l.kind),
                text: l.text.trim().to_string(),
                font_size: l.line.size,
                bold: l.line.bold,
                centred: centred(&l.line, frame),
                x: l.line.x0,
                y: l.line.top().max(0.0),
            },
            parts: vec![(l.line.size, l.line.bold, l.text.chars().count())],
            kind: l.kind,
            last_y: l.line.y,
            last_width: l.line.x1 - l.line.x0,
            last_size: l.line.size,
        });
        if matches!(l.kind, Kind::Furniture | Kind::Rule) {
            flush(&mut cur, out);
        }
    }
    flush(&mut cur, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn furniture_lines_of_un_documents() {
        for t in [
            "25-06353 (E) 010525 020525",
            "GE.14-12345",
            "GE.21-06039(E)",
            "5/17 25-06353",
            "*2506353*",
            "Please recycle",
            "A/40/281 S/17146 English Page 2",
            "94-28529 (E) 140794 /...",
        ] {
            assert!(furniture_line(t), "{t}");
        }
        for t in [
            "12. The Council decided on 5 May 2025 to extend the mandate.",
            "2005",
            "Report of the Secretary-General",
        ] {
            assert!(!furniture_line(t), "{t}");
        }
    }

    fn doc_of(text: &str) -> Vec<(u32, f32, f32, Vec<L>)> {
        let line = Line {
            x0: 72.0,
            x1: 500.0,
            y: 100.0,
            size: 10.0,
            bold: false,
            text: text.to_string(),
            starts_raised: false,
        };
        vec![(
            1,
            595.0,
            842.0,
            vec![L {
                line,
                text: text.to_string(),
                kind: Kind::Body,
                starts_block: false,
            }],
        )]
    }

    #[test]
    fn arabic_and_chinese_pages_get_warnings() {
        let mut w = Vec::new();
        script_warnings(&doc_of("مجلس الأمن الدولي"), &mut w);
        assert!(w.iter().any(|m| m.contains("right-to-left")), "{w:?}");
        let mut w = Vec::new();
        script_warnings(&doc_of("联合国安全理事会"), &mut w);
        assert!(w.iter().any(|m| m.contains("Chinese")), "{w:?}");
        let mut w = Vec::new();
        script_warnings(&doc_of("Security Council"), &mut w);
        assert!(w.is_empty());
    }

    #[test]
    fn plain_footnote_numbers_become_superscripts() {
        assert_eq!(superscript_marker("12 See A/79/875."), "¹² See A/79/875.");
        assert_eq!(superscript_marker("1/ See A/47/829."), "¹ See A/47/829.");
        assert_eq!(superscript_marker("* Reissued"), "* Reissued");
    }
}

//! DOCX reader (Office Open XML, ECMA-376 Part 1): `word/document.xml`,
//! `word/footnotes.xml` and `word/numbering.xml` → [`BlockDocument`].
//!
//! - Each `w:p` paragraph is one block; table cells' paragraphs are blocks in reading order.
//! - Automatic numbering (`w:numPr`) is rendered from the document's own `numbering.xml`
//!   (`w:numFmt` decimal / lowerLetter / lowerRoman …, `w:lvlText` "%1.", "(%2)", `w:start`),
//!   so "1.", "(a)" appear as printed and the segmenter sees numbered paragraphs. Bullets give
//!   no label.
//! - Footnote references become superscript markers numbered in order of first reference (as
//!   Word prints them); footnote texts become footnote blocks after the paragraph.
//! - Pages: explicit page breaks and Word's saved `w:lastRenderedPageBreak` marks.
//! - Styles named "Heading…"/"Title", and short paragraphs in capitals ("BELGIUM"), are
//!   headings.
//! - Limits ([`Limits`]): each part is decompressed through [`Read::take`] up to
//!   `max_part_bytes`, XML nesting stops at `max_xml_depth`, a list label longer than
//!   `max_list_label_chars` fails (a counter can start at 4,294,967,000), and the text the
//!   paragraphs and repeated footnote texts add up to stops at `max_text_bytes`.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use unicode_normalization::UnicodeNormalization;

use crate::blocks::{Block, BlockDocument, BlockRole};
use crate::error::ExtractError;
use crate::limits::{Deadline, Limits};
use crate::text::superscript;

/// One numbering level: format and label template.
#[derive(Debug, Clone, Default)]
struct Level {
    fmt: String,
    text: String,
    start: u32,
}

/// `numbering.xml`: numId → abstract levels.
#[derive(Debug, Default)]
struct Numbering {
    abstract_levels: BTreeMap<String, BTreeMap<u32, Level>>,
    num_to_abstract: BTreeMap<String, String>,
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.try_get_attribute(name)
        .ok()
        .flatten()
        .map(|a| a.value.to_string())
}

/// Reads one part of the package as UTF-8, decompressing at most `max_bytes` bytes (the
/// size a zip entry declares can lie; [`Read::take`] cannot).
fn read_part(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
    max_bytes: u64,
) -> Result<Option<String>, ExtractError> {
    let Some(index) = archive.index_for_name(name) else {
        return Ok(None);
    };
    let file = archive
        .by_index(index)
        .map_err(|e| ExtractError::DamagedDocx(format!("{name}: {e}")))?;
    let over = |size: String| {
        Limits::check("max_part_bytes", u64::MAX, max_bytes, "bytes", || {
            format!("{name} decompresses to {size} bytes")
        })
    };
    if file.size() > max_bytes {
        over(file.size().to_string())?;
    }
    let mut bytes = Vec::new();
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| ExtractError::DamagedDocx(format!("{name}: {e}")))?;
    if bytes.len() as u64 > max_bytes {
        over(format!("more than {max_bytes}"))?;
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|e| ExtractError::DamagedDocx(format!("{name}: not UTF-8: {e}")))
}

/// Nesting depth of the XML elements read so far in one part.
struct Depth {
    part: &'static str,
    current: usize,
    max: usize,
}

impl Depth {
    fn new(part: &'static str, max: usize) -> Depth {
        Depth {
            part,
            current: 0,
            max,
        }
    }

    /// An element opened.
    fn open(&mut self) -> Result<(), ExtractError> {
        self.current += 1;
        Limits::check(
            "max_xml_depth",
            self.current as u64,
            self.max as u64,
            "levels",
            || format!("{} nests elements more than {} deep", self.part, self.max),
        )
    }

    /// An element closed.
    fn close(&mut self) {
        self.current = self.current.saturating_sub(1);
    }
}

fn parse_numbering(xml: &str, limits: &Limits) -> Result<Numbering, ExtractError> {
    let mut n = Numbering::default();
    let mut reader = Reader::from_str(xml);
    let mut depth = Depth::new("word/numbering.xml", limits.max_xml_depth);
    let mut current_abstract: Option<String> = None;
    let mut current_level: Option<u32> = None;
    let mut current_num: Option<String> = None;
    loop {
        let event = reader.read_event();
        match &event {
            Ok(Event::Start(_)) => depth.open()?,
            Ok(Event::End(_)) => depth.close(),
            _ => {}
        }
        match event {
            Ok(Event::Start(e) | Event::Empty(e)) => match e.name().as_ref() {
                "w:abstractNum" => current_abstract = attr(&e, "w:abstractNumId"),
                "w:lvl" => current_level = attr(&e, "w:ilvl").and_then(|v| v.parse().ok()),
                "w:num" => current_num = attr(&e, "w:numId"),
                "w:abstractNumId" => {
                    if let (Some(num), Some(abs)) = (&current_num, attr(&e, "w:val")) {
                        n.num_to_abstract.insert(num.clone(), abs);
                    }
                }
                name @ ("w:numFmt" | "w:lvlText" | "w:start") => {
                    if let (Some(abs), Some(lvl)) = (&current_abstract, current_level) {
                        let level = n
                            .abstract_levels
                            .entry(abs.clone())
                            .or_default()
                            .entry(lvl)
                            .or_insert_with(|| Level {
                                start: 1,
                                ..Level::default()
                            });
                        let val = attr(&e, "w:val").unwrap_or_default();
                        match name {
                            "w:numFmt" => level.fmt = val,
                            "w:lvlText" => level.text = val,
                            _ => level.start = val.parse().unwrap_or(1),
                        }
                    }
                }
                _ => {}
            },
            Ok(Event::End(e)) => match e.name().as_ref() {
                "w:abstractNum" => current_abstract = None,
                "w:lvl" => current_level = None,
                "w:num" => current_num = None,
                _ => {}
            },
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    Ok(n)
}

fn to_roman(mut n: u32) -> String {
    let table = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut out = String::new();
    for (v, s) in table {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    out
}

fn to_letter(n: u32) -> String {
    // 1 → a, 26 → z, 27 → aa (Word repeats the letter).
    let idx = (n.max(1) - 1) % 26;
    let reps = (n.max(1) - 1) / 26 + 1;
    let c = char::from_u32('a' as u32 + idx).unwrap_or('a');
    std::iter::repeat_n(c, reps as usize).collect()
}

/// Characters `format_counter(fmt, n)` prints, computed without printing them.
fn counter_chars(fmt: &str, n: u32) -> u64 {
    match fmt {
        // The letter repeats once more every 26.
        "lowerLetter" | "upperLetter" => u64::from((n.max(1) - 1) / 26 + 1),
        // One "m" per thousand, then at most 15 characters ("dccclxxxviii" is 12).
        "lowerRoman" | "upperRoman" => u64::from(n / 1000) + 15,
        _ => 10,
    }
}

fn format_counter(fmt: &str, n: u32) -> String {
    match fmt {
        "lowerLetter" => to_letter(n),
        "upperLetter" => to_letter(n).to_uppercase(),
        "lowerRoman" => to_roman(n),
        "upperRoman" => to_roman(n).to_uppercase(),
        _ => n.to_string(),
    }
}

/// Counters per numId and level, producing labels such as "1.", "(a)".
#[derive(Default)]
struct Counters {
    counts: BTreeMap<String, BTreeMap<u32, u32>>,
}

impl Counters {
    /// The next label of list `num_id` at level `ilvl` ("4.", "(b)"), `None` for a bullet or
    /// a list without a definition.
    ///
    /// # Errors
    /// [`ExtractError::LimitExceeded`] when a counter would print more than `max_chars`
    /// characters, or the label would be longer than that.
    fn label(
        &mut self,
        numbering: &Numbering,
        num_id: &str,
        ilvl: u32,
        max_chars: usize,
    ) -> Result<Option<String>, ExtractError> {
        let Some(abs) = numbering.num_to_abstract.get(num_id) else {
            return Ok(None);
        };
        let Some(levels) = numbering.abstract_levels.get(abs) else {
            return Ok(None);
        };
        let Some(level) = levels.get(&ilvl) else {
            return Ok(None);
        };
        if level.fmt == "bullet" || level.fmt == "none" {
            return Ok(None);
        }
        let too_long = |chars: u64| {
            Limits::check(
                "max_list_label_chars",
                chars,
                max_chars as u64,
                "characters",
                || {
                    format!(
                        "list {num_id} level {ilvl} would print a label of {chars} characters ({} {})",
                        level.fmt, level.start
                    )
                },
            )
        };
        let counts = self.counts.entry(abs.clone()).or_default();
        let value = counts
            .get(&ilvl)
            .map_or(level.start, |v| v.saturating_add(1));
        counts.insert(ilvl, value);
        counts.retain(|&l, _| l <= ilvl);
        too_long(level.text.chars().count() as u64)?;
        let mut text = level.text.clone();
        for (l, lv) in levels.range(..=ilvl) {
            let v = if *l == ilvl {
                value
            } else {
                counts.get(l).copied().unwrap_or(lv.start)
            };
            let placeholder = format!("%{}", u64::from(*l) + 1);
            if text.contains(&placeholder) {
                too_long(counter_chars(&lv.fmt, v))?;
                text = text.replace(&placeholder, &format_counter(&lv.fmt, v));
                too_long(text.chars().count() as u64)?;
            }
        }
        let text = text.trim().to_string();
        Ok((!text.is_empty()).then_some(text))
    }
}

/// Paragraph properties and text being read.
#[derive(Default)]
struct Para {
    style: String,
    num_id: Option<String>,
    ilvl: u32,
    text: String,
    notes: Vec<String>,
    page_break: bool,
}

/// Reads `footnotes.xml`: footnote id → text.
fn parse_footnotes(xml: &str, limits: &Limits) -> Result<BTreeMap<String, String>, ExtractError> {
    let mut out = BTreeMap::new();
    let mut reader = Reader::from_str(xml);
    let mut depth = Depth::new("word/footnotes.xml", limits.max_xml_depth);
    let mut current: Option<(String, String)> = None;
    let mut in_text = false;
    loop {
        let event = reader.read_event();
        match &event {
            Ok(Event::Start(_)) => depth.open()?,
            Ok(Event::End(_)) => depth.close(),
            _ => {}
        }
        match event {
            Ok(Event::Start(e)) => match e.name().as_ref() {
                "w:footnote" => current = attr(&e, "w:id").map(|id| (id, String::new())),
                "w:t" => in_text = true,
                _ => {}
            },
            Ok(Event::Empty(e)) => {
                if matches!(e.name().as_ref(), "w:tab" | "w:br")
                    && let Some((_, t)) = &mut current
                {
                    t.push(' ');
                }
            }
            Ok(Event::Text(t)) if in_text => {
                if let Some((_, text)) = &mut current {
                    text.push_str(&t.xml10_content());
                }
            }
            Ok(Event::GeneralRef(r)) if in_text => {
                if let Some((_, text)) = &mut current {
                    push_ref(
                        text,
                        &r.xml10_content(),
                        r.resolve_char_ref().ok().flatten(),
                    );
                }
            }
            Ok(Event::End(e)) => match e.name().as_ref() {
                "w:t" => in_text = false,
                "w:p" => {
                    if let Some((_, t)) = &mut current {
                        t.push(' ');
                    }
                }
                "w:footnote" => {
                    if let Some((id, text)) = current.take() {
                        let text = collapse(&text);
                        if !text.is_empty() {
                            out.insert(id, text);
                        }
                    }
                }
                _ => {}
            },
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    Ok(out)
}

fn push_ref(text: &mut String, name: &str, ch: Option<char>) {
    if let Some(c) = ch {
        text.push(c);
    } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(name) {
        text.push_str(s);
    }
}

fn collapse(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .nfc()
        .collect()
}

fn is_caps_heading(text: &str) -> bool {
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    text.chars().count() < 90
        && letters >= 3
        && !text.chars().any(char::is_lowercase)
        && !text.ends_with('.')
}

/// Reads a DOCX package into blocks, within the default [`Limits`] and without a deadline.
///
/// # Errors
/// As [`read_docx_within`].
pub fn read_docx(bytes: &[u8]) -> Result<BlockDocument, ExtractError> {
    read_docx_within(bytes, &Limits::default(), &Deadline::none())
}

/// Reads a DOCX package into blocks within `limits` (sizes, depth, label length) and
/// `deadline` (checked every 1,024 XML events of `word/document.xml`).
///
/// # Errors
/// [`ExtractError::DamagedDocx`] when the package or `word/document.xml` cannot be read or
/// parsed; [`ExtractError::LimitExceeded`] when a part, its nesting, a list label or the text
/// goes over `limits` or the deadline passes; [`ExtractError::Empty`] when it holds no text.
pub fn read_docx_within(
    bytes: &[u8],
    limits: &Limits,
    deadline: &Deadline,
) -> Result<BlockDocument, ExtractError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ExtractError::DamagedDocx(e.to_string()))?;
    let part_max = limits.max_part_bytes;
    let document = read_part(&mut archive, "word/document.xml", part_max)?
        .ok_or_else(|| ExtractError::DamagedDocx("no word/document.xml".to_string()))?;
    let numbering = match read_part(&mut archive, "word/numbering.xml", part_max)? {
        Some(xml) => parse_numbering(&xml, limits)?,
        None => Numbering::default(),
    };
    let footnotes = match read_part(&mut archive, "word/footnotes.xml", part_max)? {
        Some(xml) => parse_footnotes(&xml, limits)?,
        None => BTreeMap::new(),
    };

    let mut depth = Depth::new("word/document.xml", limits.max_xml_depth);
    // Text added so far: runs, labels and footnote texts (repeated at each reference).
    let mut text_bytes = 0u64;
    let mut add_text = |len: usize| {
        text_bytes = text_bytes.saturating_add(len as u64);
        Limits::check(
            "max_text_bytes",
            text_bytes,
            limits.max_text_bytes,
            "bytes",
            || {
                format!(
                    "word/document.xml expands to more than {} bytes of text",
                    limits.max_text_bytes
                )
            },
        )
    };
    let mut events = 0usize;
    let mut reader = Reader::from_str(&document);
    let mut blocks = Vec::new();
    let mut page = 1u32;
    let mut para: Option<Para> = None;
    let mut in_text = false;
    let mut counters = Counters::default();
    let mut note_numbers: BTreeMap<String, u32> = BTreeMap::new();
    loop {
        events += 1;
        deadline.check_every(events, || {
            format!("reading word/document.xml (event {events})")
        })?;
        let event = reader
            .read_event()
            .map_err(|e| ExtractError::DamagedDocx(format!("word/document.xml: {e}")))?;
        match &event {
            Event::Start(_) => depth.open()?,
            Event::End(_) => depth.close(),
            _ => {}
        }
        match event {
            Event::Start(e) => match e.name().as_ref() {
                "w:p" => para = Some(Para::default()),
                "w:t" => in_text = true,
                _ => {}
            },
            Event::Empty(e) => {
                let Some(p) = para.as_mut() else { continue };
                match e.name().as_ref() {
                    "w:pStyle" => p.style = attr(&e, "w:val").unwrap_or_default(),
                    "w:numId" => p.num_id = attr(&e, "w:val").filter(|v| v != "0"),
                    "w:ilvl" => {
                        p.ilvl = attr(&e, "w:val").and_then(|v| v.parse().ok()).unwrap_or(0)
                    }
                    "w:tab" => p.text.push(' '),
                    "w:br" => {
                        if attr(&e, "w:type").as_deref() == Some("page") {
                            p.page_break = true;
                        }
                        p.text.push(' ');
                    }
                    "w:lastRenderedPageBreak" => p.page_break = true,
                    "w:footnoteReference" => {
                        if let Some(id) = attr(&e, "w:id") {
                            let next = u32::try_from(note_numbers.len()).unwrap_or(u32::MAX) + 1;
                            let n = *note_numbers.entry(id.clone()).or_insert(next);
                            p.text.push_str(&superscript(&n.to_string()));
                            if let Some(t) = footnotes.get(&id) {
                                add_text(t.len())?;
                                p.notes.push(format!("{} {t}", superscript(&n.to_string())));
                            }
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) if in_text => {
                if let Some(p) = para.as_mut() {
                    let content = t.xml10_content();
                    add_text(content.len())?;
                    p.text.push_str(&content);
                }
            }
            Event::GeneralRef(r) if in_text => {
                if let Some(p) = para.as_mut() {
                    push_ref(
                        &mut p.text,
                        &r.xml10_content(),
                        r.resolve_char_ref().ok().flatten(),
                    );
                }
            }
            Event::End(e) => match e.name().as_ref() {
                "w:t" => in_text = false,
                "w:p" => {
                    let Some(p) = para.take() else { continue };
                    if p.page_break && !blocks.is_empty() {
                        page += 1;
                    }
                    let mut text = collapse(&p.text);
                    if text.is_empty() {
                        continue;
                    }
                    if let Some(num_id) = &p.num_id
                        && let Some(label) = counters.label(
                            &numbering,
                            num_id,
                            p.ilvl,
                            limits.max_list_label_chars,
                        )?
                    {
                        add_text(label.len())?;
                        text = format!("{label} {text}");
                    }
                    let style = p.style.to_lowercase();
                    let role = if style.starts_with("heading")
                        || style == "title"
                        || (p.num_id.is_none() && is_caps_heading(&text))
                    {
                        BlockRole::Heading
                    } else {
                        BlockRole::Body
                    };
                    blocks.push(Block::plain(page, role, text));
                    for note in p.notes {
                        blocks.push(Block::plain(page, BlockRole::Footnote, note));
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    if blocks.is_empty() {
        return Err(ExtractError::Empty);
    }
    Ok(BlockDocument {
        pages: page,
        blocks,
        warnings: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_render_labels() {
        assert_eq!(to_roman(14), "xiv");
        assert_eq!(to_letter(1), "a");
        assert_eq!(to_letter(27), "aa");
        assert_eq!(format_counter("upperRoman", 4), "IV");
    }
}

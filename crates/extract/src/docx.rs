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
        .map_err(|e| ExtractError::docx(name, e))?;
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
        .map_err(|e| ExtractError::docx(name, e))?;
    if bytes.len() as u64 > max_bytes {
        over(format!("more than {max_bytes}"))?;
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|e| ExtractError::docx(format!("{name}: not UTF-8"), e))
}

/// The XML events of one part of the package, with the nesting depth of its elements checked
/// against `max_xml_depth` on the way.
struct PartReader<'a> {
    part: &'static str,
    reader: Reader<&'a [u8]>,
    depth: usize,
    max_depth: usize,
}

impl<'a> PartReader<'a> {
    fn new(part: &'static str, xml: &'a str, limits: &Limits) -> PartReader<'a> {
        PartReader {
            part,
            reader: Reader::from_str(xml),
            depth: 0,
            max_depth: limits.max_xml_depth,
        }
    }

    /// The next event as the XML reader gives it, errors included (the caller decides what a
    /// damaged part means).
    ///
    /// # Errors
    /// [`ExtractError::LimitExceeded`] when an element opens deeper than `max_xml_depth`.
    fn next(&mut self) -> Result<quick_xml::Result<Event<'a>>, ExtractError> {
        let event = self.reader.read_event();
        match &event {
            Ok(Event::Start(_)) => {
                self.depth += 1;
                Limits::check(
                    "max_xml_depth",
                    self.depth as u64,
                    self.max_depth as u64,
                    "levels",
                    || {
                        format!(
                            "{} nests elements more than {} deep",
                            self.part, self.max_depth
                        )
                    },
                )?;
            }
            Ok(Event::End(_)) => self.depth = self.depth.saturating_sub(1),
            _ => {}
        }
        Ok(event)
    }
}

fn parse_numbering(xml: &str, limits: &Limits) -> Result<Numbering, ExtractError> {
    let mut n = Numbering::default();
    let mut part = PartReader::new("word/numbering.xml", xml, limits);
    let mut current_abstract: Option<String> = None;
    let mut current_level: Option<u32> = None;
    let mut current_num: Option<String> = None;
    loop {
        match part.next()? {
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
    let mut part = PartReader::new("word/footnotes.xml", xml, limits);
    let mut current: Option<(String, String)> = None;
    let mut in_text = false;
    loop {
        match part.next()? {
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
    crate::text::collapse_whitespace(text).nfc().collect()
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
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ExtractError::docx("", e))?;
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
    BodyReader::new(&numbering, &footnotes, limits).read(&document, limits, deadline)
}

/// The text a document adds up to, checked against `max_text_bytes`: runs, list labels and
/// footnote texts (repeated at each reference).
struct TextBudget {
    used: u64,
    max: u64,
}

impl TextBudget {
    /// Counts `len` more bytes of text.
    fn add(&mut self, len: usize) -> Result<(), ExtractError> {
        self.used = self.used.saturating_add(len as u64);
        let max = self.max;
        Limits::check("max_text_bytes", self.used, max, "bytes", || {
            format!("word/document.xml expands to more than {max} bytes of text")
        })
    }
}

/// Reads `word/document.xml` into blocks, one paragraph (`w:p`) at a time: its properties
/// (style, list, page breaks), its text and footnote references, then the block it makes.
struct BodyReader<'a> {
    numbering: &'a Numbering,
    /// Footnote id → text, from `word/footnotes.xml`.
    footnotes: &'a BTreeMap<String, String>,
    max_label_chars: usize,
    budget: TextBudget,
    counters: Counters,
    /// Footnote id → number printed, in order of first reference.
    note_numbers: BTreeMap<String, u32>,
    blocks: Vec<Block>,
    page: u32,
    /// The paragraph being read.
    para: Option<Para>,
    /// Inside a `w:t` text run.
    in_text: bool,
}

impl<'a> BodyReader<'a> {
    fn new(
        numbering: &'a Numbering,
        footnotes: &'a BTreeMap<String, String>,
        limits: &Limits,
    ) -> BodyReader<'a> {
        BodyReader {
            numbering,
            footnotes,
            max_label_chars: limits.max_list_label_chars,
            budget: TextBudget {
                used: 0,
                max: limits.max_text_bytes,
            },
            counters: Counters::default(),
            note_numbers: BTreeMap::new(),
            blocks: Vec::new(),
            page: 1,
            para: None,
            in_text: false,
        }
    }

    /// Reads the XML of `word/document.xml` to its end.
    fn read(
        mut self,
        xml: &str,
        limits: &Limits,
        deadline: &Deadline,
    ) -> Result<BlockDocument, ExtractError> {
        let mut part = PartReader::new("word/document.xml", xml, limits);
        let mut events = 0usize;
        loop {
            events += 1;
            deadline.check_every(events, || {
                format!("reading word/document.xml (event {events})")
            })?;
            let event = part
                .next()?
                .map_err(|e| ExtractError::docx("word/document.xml", e))?;
            match event {
                Event::Start(e) => match e.name().as_ref() {
                    "w:p" => self.para = Some(Para::default()),
                    "w:t" => self.in_text = true,
                    _ => {}
                },
                Event::Empty(e) => self.empty_element(&e)?,
                Event::Text(t) if self.in_text => {
                    if let Some(p) = self.para.as_mut() {
                        let content = t.xml10_content();
                        self.budget.add(content.len())?;
                        p.text.push_str(&content);
                    }
                }
                Event::GeneralRef(r) if self.in_text => {
                    if let Some(p) = self.para.as_mut() {
                        push_ref(
                            &mut p.text,
                            &r.xml10_content(),
                            r.resolve_char_ref().ok().flatten(),
                        );
                    }
                }
                Event::End(e) => match e.name().as_ref() {
                    "w:t" => self.in_text = false,
                    "w:p" => self.end_paragraph()?,
                    _ => {}
                },
                Event::Eof => break,
                _ => {}
            }
        }
        if self.blocks.is_empty() {
            return Err(ExtractError::Empty);
        }
        Ok(BlockDocument {
            pages: self.page,
            blocks: self.blocks,
            warnings: Vec::new(),
        })
    }

    /// An empty element inside a paragraph: a property (style, list id and level), a tab, a
    /// line or page break, a saved page break or a footnote reference.
    fn empty_element(&mut self, e: &BytesStart<'_>) -> Result<(), ExtractError> {
        let Some(p) = self.para.as_mut() else {
            return Ok(());
        };
        match e.name().as_ref() {
            "w:pStyle" => p.style = attr(e, "w:val").unwrap_or_default(),
            "w:numId" => p.num_id = attr(e, "w:val").filter(|v| v != "0"),
            "w:ilvl" => p.ilvl = attr(e, "w:val").and_then(|v| v.parse().ok()).unwrap_or(0),
            "w:tab" => p.text.push(' '),
            "w:br" => {
                if attr(e, "w:type").as_deref() == Some("page") {
                    p.page_break = true;
                }
                p.text.push(' ');
            }
            "w:lastRenderedPageBreak" => p.page_break = true,
            "w:footnoteReference" => {
                if let Some(id) = attr(e, "w:id") {
                    self.footnote_reference(id)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// A footnote reference: a superscript marker numbered in order of first reference, and
    /// the footnote's text kept for a footnote block after the paragraph.
    fn footnote_reference(&mut self, id: String) -> Result<(), ExtractError> {
        let Some(p) = self.para.as_mut() else {
            return Ok(());
        };
        let next = u32::try_from(self.note_numbers.len()).unwrap_or(u32::MAX) + 1;
        let n = *self.note_numbers.entry(id.clone()).or_insert(next);
        p.text.push_str(&superscript(&n.to_string()));
        if let Some(t) = self.footnotes.get(&id) {
            self.budget.add(t.len())?;
            p.notes.push(format!("{} {t}", superscript(&n.to_string())));
        }
        Ok(())
    }

    /// The end of a paragraph: its block (list label first, role from its style or shape),
    /// then its footnotes' blocks.
    fn end_paragraph(&mut self) -> Result<(), ExtractError> {
        let Some(p) = self.para.take() else {
            return Ok(());
        };
        if p.page_break && !self.blocks.is_empty() {
            self.page += 1;
        }
        let mut text = collapse(&p.text);
        if text.is_empty() {
            return Ok(());
        }
        if let Some(num_id) = &p.num_id
            && let Some(label) =
                self.counters
                    .label(self.numbering, num_id, p.ilvl, self.max_label_chars)?
        {
            self.budget.add(label.len())?;
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
        self.blocks.push(Block::plain(self.page, role, text));
        for note in p.notes {
            self.blocks
                .push(Block::plain(self.page, BlockRole::Footnote, note));
        }
        Ok(())
    }
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

    /// Reads `body` (the inside of `w:body`) with `numbering.xml` and footnotes given.
    fn body(
        body: &str,
        numbering: &str,
        footnotes: &[(&str, &str)],
        limits: &Limits,
    ) -> Result<BlockDocument, ExtractError> {
        let numbering = parse_numbering(numbering, limits)?;
        let footnotes = footnotes
            .iter()
            .map(|(id, t)| ((*id).to_string(), (*t).to_string()))
            .collect();
        let xml = format!("<w:document><w:body>{body}</w:body></w:document>");
        BodyReader::new(&numbering, &footnotes, limits).read(&xml, limits, &Deadline::none())
    }

    fn shown(doc: &BlockDocument) -> Vec<String> {
        doc.blocks
            .iter()
            .map(|b| format!("p{} {:?} {}", b.page, b.role, b.text))
            .collect()
    }

    const NUMBERING: &str = r#"<w:numbering>
        <w:abstractNum w:abstractNumId="7">
          <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
          <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%2)"/></w:lvl>
        </w:abstractNum>
        <w:num w:numId="3"><w:abstractNumId w:val="7"/></w:num>
        </w:numbering>"#;

    #[test]
    fn paragraphs_labels_footnotes_and_pages() {
        let doc = body(
            r#"<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Introduction</w:t></w:r></w:p>
               <w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="3"/></w:numPr></w:pPr>
                 <w:r><w:t>The Council</w:t></w:r><w:r><w:footnoteReference w:id="9"/></w:r>
                 <w:r><w:t xml:space="preserve"> decides:</w:t></w:r></w:p>
               <w:p><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="3"/></w:numPr></w:pPr>
                 <w:r><w:t>to act &amp; report;</w:t></w:r></w:p>
               <w:p><w:r><w:br w:type="page"/><w:t>BELGIUM</w:t></w:r></w:p>
               <w:p><w:r><w:t>Again</w:t><w:footnoteReference w:id="9"/><w:tab/><w:t>and</w:t>
                 <w:footnoteReference w:id="4"/></w:r></w:p>
               <w:p><w:r><w:t>   </w:t></w:r></w:p>"#,
            NUMBERING,
            &[("9", "See A/80/1."), ("4", "Second note.")],
            &Limits::default(),
        )
        .expect("reads");
        assert_eq!(
            shown(&doc),
            [
                "p1 Heading Introduction",
                "p1 Body 1. The Council¹ decides:",
                "p1 Footnote ¹ See A/80/1.",
                "p1 Body (a) to act & report;",
                "p2 Heading BELGIUM",
                "p2 Body Again¹ and²",
                "p2 Footnote ¹ See A/80/1.",
                "p2 Footnote ² Second note.",
            ]
        );
        assert_eq!(doc.pages, 2);
    }

    #[test]
    fn text_budget_counts_runs_labels_and_repeated_notes() {
        let para = r#"<w:p><w:r><w:t>abcde</w:t><w:footnoteReference w:id="1"/></w:r></w:p>"#;
        let read = |max_text_bytes| {
            let limits = Limits {
                max_text_bytes,
                ..Limits::default()
            };
            body(&para.repeat(2), "<w:numbering/>", &[("1", "xyz")], &limits)
        };
        // Two runs of 5 bytes and two copies of a 3-byte note: 16 bytes.
        assert!(read(16).is_ok());
        assert!(matches!(read(15), Err(ExtractError::LimitExceeded { .. })));
    }

    #[test]
    fn a_body_without_text_is_empty() {
        let doc = body(
            "<w:p/><w:p><w:r><w:t> </w:t></w:r></w:p>",
            "",
            &[],
            &Limits::default(),
        );
        assert!(matches!(doc, Err(ExtractError::Empty)));
    }
}

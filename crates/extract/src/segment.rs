//! The segmenter: blocks → citable units (numbered paragraphs, sub-paragraphs, preambular and
//! operative paragraphs, UPR recommendations, speaker turns, unnumbered blocks).
//!
//! Conventions followed (UN Editorial Manual; ST/DCS/4/Rev.1 for symbols):
//! - Paragraphs of reports are numbered "1.", "2.", … with the number as printed; numbering
//!   restarts in each annex ("Annex", "Annex I", "Enclosure").
//! - Sub-paragraphs "(a)", "(b)" (and "(i)", "(ii)") that begin their own block split the
//!   paragraph into a [`UnitKind::Chapeau`] (lead-in text only) and one
//!   [`UnitKind::Subparagraph`] each; "(i)" items under "(a)" stay inside "(a)". An enumeration
//!   inside a sentence is not split.
//! - Section headings "I. …" (roman, level 1) and "A. …" (letter, level 2) give the path.
//! - A body block that follows a footnote block or a page break without a paragraph number
//!   continues the paragraph that was interrupted and is joined back to it.
//! - Footnote markers (Unicode superscript digits) are removed from the text and recorded in
//!   `footnote_refs`; the footnote texts are attached to the unit.

use std::sync::LazyLock;

use regex::Regex;
use undex_core::{Footnote, UnitKind};

use crate::blocks::{Block, BlockDocument, BlockRole};
use crate::error::ExtractError;
use crate::limits::Deadline;
use crate::text::leading_marker;

/// How a document's body is cut into units, chosen from its type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Reports, notes, letters: numbered paragraphs with sub-paragraphs, else unnumbered blocks.
    #[default]
    Report,
    /// GA/SC/HRC resolutions and decisions: preambular paragraphs (counted in order) after
    /// "The General Assembly,", then numbered operative paragraphs.
    Resolution,
    /// Verbatim records (S/PV.…, A/…/PV.…): one unit per speaker's turn.
    Verbatim,
    /// UPR Working Group reports: "140.12 Ratify … (Slovenia);" items are UPR recommendations.
    Upr,
}

/// A citable unit before ids are given (see [`undex_core::Paragraph`] for field meanings).
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// Kind of unit.
    pub kind: UnitKind,
    /// Number as printed; `None` for units printed without one (blocks, preambular
    /// paragraphs, speaker turns).
    pub number: Option<String>,
    /// Place of an unnumbered unit among the units of its kind, from 1; `None` when numbered.
    pub ordinal: Option<u32>,
    /// Sub-paragraph label without parentheses.
    pub sub: Option<String>,
    /// Annex ("annex", "annex I", "enclosure") when numbering restarted there.
    pub annex: Option<String>,
    /// Heading path, outermost first.
    pub section: Vec<String>,
    /// 1-based start page.
    pub page: u32,
    /// Text, markers removed, whitespace collapsed.
    pub text: String,
    /// Footnote numbers referenced, in order of first appearance.
    pub footnote_refs: Vec<u32>,
    /// Footnotes referenced, with text.
    pub footnotes: Vec<Footnote>,
    /// Speaker of a verbatim-record turn.
    pub speaker: Option<String>,
}

/// A paragraph number of any length and the text after it ("1234. The …"); see
/// [`paragraph_numbers`] for when a long one is taken for a paragraph number.
static NUM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d+)\.\s+(\S.*)$").expect("valid regex"));
static DOTTED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,3}\.\d{1,3})\.?\s+(\S.*)$").expect("valid regex"));
static SUB: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\(([a-z]{1,2}|[ivxlc]{1,6})\)\s+(\S.*)$").expect("valid regex"));
static ROMAN_HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[IVXL]{1,6}\.\s").expect("valid regex"));
static LETTER_HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Z]\.\s").expect("valid regex"));
static ANNEX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(annex|enclosure|appendix|annexe)(?:\s+([IVXL]{1,6}|\d{1,2}))?\s*[*∗]*(?:\s+(?:to|à|de)\s.{0,300}|\s*[-–—:.]\s.{0,300})?$")
        .expect("valid regex")
});
static SPEAKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^((?:The (?:President|Acting President|Chair|Chairperson|Secretary-General|Deputy Secretary-General)|Le Président|La Présidente|(?:Mr|Mrs|Ms|Miss|Dr|Sir|Dame|Lord|Archbishop|Cardinal|Sheikh|Prince|Princess|M|Mme)\.?\s[^:()]{1,60}?)(?:\s*\([^)]{1,80}\))?)(?:\s*\((?:spoke|parle|a parlé)[^)]*\))?\s*:\s*(\S.*)$",
    )
    .expect("valid regex")
});
static RESOLUTION_CHAPEAU: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^The (?:General Assembly|Security Council|Human Rights Council|Economic and Social Council|Conference)\s*,?$")
        .expect("valid regex")
});
static TOC_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\.\s?){5,}[\s\d–\-−,]*$|…{2,}[\s\d–\-−,]*$").expect("valid regex")
});
/// A run of dot leaders anywhere in a line (the end-of-line run of [`TOC_LINE`] included).
static LEADERS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:\.\s?){5,}|…{2,}").expect("valid regex"));

/// The longest entry text before the dot leaders of a contents line: the longest in the
/// shared corpus (an HRC session report's agenda-item entries) has 226 characters.
const MAX_CONTENTS_ENTRY_CHARS: usize = 300;

/// True when `text` has the shape of a table-of-contents entry: it ends in dot leaders
/// followed by page or paragraph numbers at most ("A. Scope ........ 3–5 4"), holds no other
/// run of leaders, and the entry before them is no longer than a heading. Text that ends in
/// leaders but holds several entries' worth of them, or a paragraph's length of words before
/// them, is not a contents entry and is kept.
fn contents_shaped(text: &str) -> bool {
    let Some(end_run) = TOC_LINE.find(text) else {
        return false;
    };
    let entry = &text[..end_run.start()];
    entry.chars().count() <= MAX_CONTENTS_ENTRY_CHARS && !LEADERS.is_match(entry)
}
static MEETING_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\d{1,5}(?:st|nd|rd|th|e|re)? (?:plenary )?(?:meeting|séance)")
        .expect("valid regex")
});
static SPOKE_IN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s*\((?:spoke|parle|a parlé) [^)]*\)\s*$").expect("valid regex"));
static SUPERSCRIPTS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+").expect("valid regex"));

/// How a unit is located: by the number printed before it, or (printed without one) by its
/// place among the units of its kind.
enum Numbering {
    Printed(String),
    Ordinal(u32),
}

/// A footnote as read, with the index of its block (to pick the nearest when numbering restarts).
struct Note {
    marker: u32,
    text: String,
    block: usize,
}

/// The footnotes of a document by marker, each marker's notes in block order, so that a
/// reference finds its note without a scan of every note.
#[derive(Default)]
struct Notes {
    by_marker: std::collections::BTreeMap<u32, Vec<Note>>,
    /// Marker of the note read last (unmarked footnote text continues it).
    last_marker: Option<u32>,
}

impl Notes {
    fn push(&mut self, note: Note) {
        self.last_marker = Some(note.marker);
        self.by_marker.entry(note.marker).or_default().push(note);
    }

    /// The note read last.
    fn last_mut(&mut self) -> Option<&mut Note> {
        self.by_marker.get_mut(&self.last_marker?)?.last_mut()
    }

    /// The text of footnote `marker` for a unit starting at block `first_block`: the first
    /// such note at or after the unit, else the last one before it (footnote numbering may
    /// restart, in an annex or per chapter).
    fn text_for(&self, marker: u32, first_block: usize) -> Option<&str> {
        let notes = self.by_marker.get(&marker)?;
        let at = notes.partition_point(|n| n.block < first_block);
        notes
            .get(at)
            .or_else(|| notes.last())
            .map(|n| n.text.as_str())
    }
}

/// What follows each block, computed once from the end of the document: looking ahead costs
/// one lookup per block instead of a scan to the next numbered paragraph, which made the
/// segmenter quadratic on long texts.
struct Lookahead {
    /// The number of the next numbered body block after block `i` (table-of-contents lines
    /// skipped).
    next_number: Vec<Option<u32>>,
    /// The number of the next numbered body block after block `i`, unless a heading comes
    /// first.
    next_number_in_section: Vec<Option<u32>>,
    /// Whether the next body or heading block after block `i` is a numbered body block.
    next_body_is_numbered: Vec<bool>,
}

impl Lookahead {
    fn new(blocks: &[Block], numbers: &[Option<u32>]) -> Lookahead {
        let len = blocks.len();
        let mut out = Lookahead {
            next_number: vec![None; len],
            next_number_in_section: vec![None; len],
            next_body_is_numbered: vec![false; len],
        };
        let (mut next, mut in_section, mut body_numbered) = (None, None, false);
        for i in (0..len).rev() {
            out.next_number[i] = next;
            out.next_number_in_section[i] = in_section;
            out.next_body_is_numbered[i] = body_numbered;
            match blocks[i].role {
                BlockRole::Body => {
                    if let Some(n) = numbers[i] {
                        if !contents_shaped(blocks[i].text.trim()) {
                            next = Some(n);
                        }
                        in_section = Some(n);
                    }
                    body_numbered = numbers[i].is_some();
                }
                BlockRole::Heading => {
                    in_section = None;
                    body_numbered = false;
                }
                BlockRole::Footnote | BlockRole::Masthead | BlockRole::Furniture => {}
            }
        }
        out
    }
}

/// The paragraph number each body block starts with, if it is one. Numbers of any length are
/// read ("999.", "1000.", "12345."), but one of four digits or more (a line break can put a
/// year first: "2015. The …") only when it continues the numbering: one or two (a number lost
/// in conversion) above the highest number read so far, counted afresh in each annex.
fn paragraph_numbers(blocks: &[Block]) -> Vec<Option<u32>> {
    let mut highest = 0u32;
    blocks
        .iter()
        .map(|b| {
            let text = b.text.trim();
            if matches!(b.role, BlockRole::Body | BlockRole::Heading) && ANNEX.is_match(text) {
                highest = 0;
            }
            if b.role != BlockRole::Body {
                return None;
            }
            let c = NUM.captures(text)?;
            let n: u32 = c[1].parse().ok()?;
            if c[1].len() >= 4 && !(n > highest && n - highest <= 2) {
                return None;
            }
            highest = highest.max(n);
            Some(n)
        })
        .collect()
}

/// A unit under construction; `text` still carries superscript markers.
struct Work {
    unit: Unit,
    first_block: usize,
}

fn roman_value(s: &str) -> Option<u32> {
    let mut total = 0u32;
    let mut prev = 0u32;
    for c in s.chars().rev() {
        let v = match c {
            'i' | 'I' => 1,
            'v' | 'V' => 5,
            'x' | 'X' => 10,
            'l' | 'L' => 50,
            'c' | 'C' => 100,
            _ => return None,
        };
        if v < prev {
            total = total.checked_sub(v)?;
        } else {
            total += v;
            prev = v;
        }
    }
    Some(total)
}

/// True when `label` is a roman numeral item nested under the sub-paragraph `last`
/// (so "(i)" after "(h)" is the letter i, "(ii)" after "(i)" continues a roman list, but
/// "(i)" after "(b)" is an item inside "(b)").
fn is_nested_roman(label: &str, last: Option<&str>) -> bool {
    let Some(last) = last else { return false };
    let Some(value) = roman_value(label) else {
        return false;
    };
    let mut chars = last.chars();
    let next_letter = match (chars.next(), chars.next()) {
        (Some(c), None) => char::from_u32(c as u32 + 1).map(String::from),
        _ => None,
    };
    if next_letter.as_deref() == Some(label) {
        return false;
    }
    if roman_value(last).is_some_and(|prev| value == prev + 1) {
        return false;
    }
    true
}

fn ends_sentence(text: &str) -> bool {
    let t = text.trim_end_matches(|c: char| "⁰¹²³⁴⁵⁶⁷⁸⁹”\"’)".contains(c) || c.is_whitespace());
    t.ends_with(['.', ':', ';', '!', '?'])
}

fn starts_upper(text: &str) -> bool {
    text.chars()
        .find(|c| c.is_alphanumeric())
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
}

/// Cuts a document's blocks into units.
///
/// # Errors
/// [`ExtractError::LimitExceeded`] when `deadline` passes (checked every 1,024 blocks).
pub fn segment(
    doc: &BlockDocument,
    mode: Mode,
    deadline: &Deadline,
) -> Result<Vec<Unit>, ExtractError> {
    let blocks = &doc.blocks;
    let mut notes = Notes::default();
    let mut units: Vec<Work> = Vec::new();
    let mut section: Vec<String> = Vec::new();
    let mut annex: Option<String> = None;
    let mut last_number: u32 = 0;
    let mut parent: Option<usize> = None; // index of the numbered unit sub-paragraphs belong to
    let mut last_sub: Option<String> = None;
    let mut current: Option<usize> = None;
    let mut interrupted = false;
    // An inner list ("1.", "2." after "… recommendations:"): (parent unit, last item number).
    let mut inner: Option<(usize, u32)> = None;
    let mut front = true;
    let mut block_ordinal = 0u32;
    let mut preambular_ordinal = 0u32;
    let mut preamble_open = mode == Mode::Resolution;
    let mut turn_ordinal = 0u32;

    // Inner numbered lists are read only in UN documents (with a masthead); elsewhere a
    // list restarting at "1." means the text has no paragraph numbering.
    let inner_lists = blocks.iter().any(|b| b.role == BlockRole::Masthead);
    let numbers = paragraph_numbers(blocks);
    let ahead = Lookahead::new(blocks, &numbers);
    let numbered_doc = is_numbered(blocks, &numbers, &ahead, inner_lists);
    let next_number_after = |i: usize| ahead.next_number_in_section[i];

    let new_unit = |units: &mut Vec<Work>,
                    kind: UnitKind,
                    numbering: Numbering,
                    sub: Option<String>,
                    text: &str,
                    block: &Block,
                    i: usize,
                    section: &[String],
                    annex: &Option<String>,
                    speaker: Option<String>|
     -> usize {
        let (number, ordinal) = match numbering {
            Numbering::Printed(number) => (Some(number), None),
            Numbering::Ordinal(ordinal) => (None, Some(ordinal)),
        };
        units.push(Work {
            unit: Unit {
                kind,
                number,
                ordinal,
                sub,
                annex: annex.clone(),
                section: section.to_vec(),
                page: block.page,
                text: text.to_string(),
                footnote_refs: Vec::new(),
                footnotes: Vec::new(),
                speaker,
            },
            first_block: i,
        });
        units.len() - 1
    };

    for (i, block) in blocks.iter().enumerate() {
        deadline.check_every(i, || format!("segmenting (block {i} of {})", blocks.len()))?;
        let text = block.text.trim();
        if text.is_empty() {
            continue;
        }
        match block.role {
            BlockRole::Masthead => continue,
            BlockRole::Furniture => {
                interrupted = true;
                continue;
            }
            BlockRole::Footnote => {
                interrupted = true;
                if let Some(marker) = leading_marker(text) {
                    let body = text.trim_start_matches(|c: char| "⁰¹²³⁴⁵⁶⁷⁸⁹".contains(c));
                    notes.push(Note {
                        marker,
                        text: body.trim().to_string(),
                        block: i,
                    });
                } else if let Some(m) = text
                    .split_once(' ')
                    .filter(|(d, _)| d.len() <= 3 && d.chars().all(|c| c.is_ascii_digit()))
                {
                    notes.push(Note {
                        marker: m.0.parse().unwrap_or(0),
                        text: m.1.trim().to_string(),
                        block: i,
                    });
                } else if text.starts_with(['*', '∗']) {
                    // A note on the title or symbol ("* Reissued for technical reasons").
                } else if let Some(last) = notes.last_mut() {
                    last.text.push(' ');
                    last.text.push_str(text);
                }
                continue;
            }
            BlockRole::Heading | BlockRole::Body => {}
        }

        // Table-of-contents lines ("A. Scope ........ 3–5 4") are not text to cite. A numbered
        // body block that continues the paragraph numbering is a paragraph even when it ends
        // in dot leaders ("12. The Council ......... 5" after paragraph 11): a contents entry
        // comes before paragraph 1 of its part, or under a "Contents" heading (dropped below).
        // Text with leaders that is not shaped like an entry is kept as any other text.
        if contents_shaped(text) {
            let continues_numbering = block.role == BlockRole::Body
                && numbered_doc
                && numbers[i].is_some_and(|n| last_number >= 1 && n == last_number + 1);
            if !continues_numbering {
                continue;
            }
        }

        // A table of contents lists headings and annexes; it is not text to cite.
        if block.role == BlockRole::Body && section.first().is_some_and(|s| is_contents_heading(s))
        {
            continue;
        }

        // "56th plenary meeting" under a resolution is a signature line, not text.
        if MEETING_LINE.is_match(text) && text.len() < 80 {
            continue;
        }

        // Annex headings restart numbering (an "Annex" entry of a table of contents does not).
        let in_contents = section.first().is_some_and(|s| is_contents_heading(s));
        if let Some(c) = ANNEX.captures(text).filter(|_| !in_contents) {
            let name = match c.get(2) {
                Some(n) => format!("{} {}", c[1].to_lowercase(), n.as_str()),
                None => c[1].to_lowercase(),
            };
            annex = Some(name);
            section.clear();
            last_number = 0;
            parent = None;
            last_sub = None;
            current = None;
            interrupted = false;
            continue;
        }

        if block.role == BlockRole::Heading && mode != Mode::Verbatim {
            let heading = SUPERSCRIPTS
                .replace_all(text, "")
                .trim_end_matches(['*', '∗'])
                .trim()
                .to_string();
            if ROMAN_HEADING.is_match(&heading) {
                section = vec![heading.clone()];
                if heading.starts_with("I. ") {
                    front = false;
                }
            } else if LETTER_HEADING.is_match(&heading) {
                section.truncate(1);
                if section.first().is_some_and(|s| !ROMAN_HEADING.is_match(s)) {
                    section.clear();
                }
                section.push(heading);
            } else if NUM.is_match(&heading) {
                section.truncate(2);
                section.push(heading);
            } else {
                section = vec![heading];
            }
            current = None;
            parent = None;
            last_sub = None;
            inner = None;
            interrupted = false;
            continue;
        }

        // Verbatim records: speaker turns.
        if mode == Mode::Verbatim {
            if let Some(c) = SPEAKER.captures(text) {
                turn_ordinal += 1;
                current = Some(new_unit(
                    &mut units,
                    UnitKind::SpeakerTurn,
                    Numbering::Ordinal(turn_ordinal),
                    None,
                    &c[2],
                    block,
                    i,
                    &section,
                    &annex,
                    Some(SPOKE_IN.replace(c[1].trim(), "").into_owned()),
                ));
            } else if let Some(cur) =
                current.filter(|&c| units[c].unit.kind == UnitKind::SpeakerTurn)
            {
                append(&mut units[cur].unit.text, text);
            } else {
                // Text outside any turn (the agenda, "The meeting was called to order at
                // 10 a.m.", text after an annex heading) is kept as unnumbered blocks.
                block_ordinal += 1;
                current = Some(new_unit(
                    &mut units,
                    UnitKind::Block,
                    Numbering::Ordinal(block_ordinal),
                    None,
                    text,
                    block,
                    i,
                    &section,
                    &annex,
                    None,
                ));
            }
            interrupted = false;
            continue;
        }

        let dotted = (mode == Mode::Upr).then(|| DOTTED.captures(text)).flatten();
        if let Some(c) = dotted {
            let idx = new_unit(
                &mut units,
                UnitKind::UprRecommendation,
                Numbering::Printed(c[1].to_string()),
                None,
                &c[2],
                block,
                i,
                &section,
                &annex,
                None,
            );
            current = Some(idx);
            front = false;
            interrupted = false;
            continue;
        }

        if let (Some(n), true) = (numbers[i], numbered_doc)
            && let Some(c) = NUM.captures(text)
        {
            let continues_inner = inner.is_some_and(|(_, il)| n == il + 1);
            let starts_inner = n == 1
                && inner_lists
                && last_number >= 1
                && inner.is_none()
                && parent.is_some_and(|p| ends_with_colon(&units[p].unit.text));
            if let (true, Some(p)) = (
                continues_inner || starts_inner,
                inner.map(|x| x.0).or(parent),
            ) {
                let parent_number = units[p].unit.number.clone().unwrap_or_default();
                let (kind, number, sub) = if mode == Mode::Upr {
                    (
                        UnitKind::UprRecommendation,
                        Numbering::Printed(format!("{parent_number}.{n}")),
                        None,
                    )
                } else {
                    if units[p].unit.kind == UnitKind::Paragraph {
                        units[p].unit.kind = UnitKind::Chapeau;
                    }
                    (
                        UnitKind::Subparagraph,
                        Numbering::Printed(parent_number),
                        Some(n.to_string()),
                    )
                };
                let idx = new_unit(
                    &mut units, kind, number, sub, &c[2], block, i, &section, &annex, None,
                );
                inner = Some((p, n));
                current = Some(idx);
                interrupted = false;
                continue;
            }
            inner = None;
            if mode != Mode::Resolution
                && numbered_heading(&c[2], n, last_number, ahead.next_number[i])
            {
                push_subheading(&mut section, text);
                current = None;
                parent = None;
                last_sub = None;
                interrupted = false;
                continue;
            }
            let kind = if mode == Mode::Resolution && annex.is_none() {
                UnitKind::Operative
            } else {
                UnitKind::Paragraph
            };
            let idx = new_unit(
                &mut units,
                kind,
                Numbering::Printed(c[1].to_string()),
                None,
                &c[2],
                block,
                i,
                &section,
                &annex,
                None,
            );
            last_number = n;
            parent = Some(idx);
            last_sub = None;
            current = Some(idx);
            front = false;
            preamble_open = false;
            interrupted = false;
            continue;
        }

        if let (Some(c), Some(p), true) = (SUB.captures(text), parent, numbered_doc) {
            let label = c[1].to_string();
            if is_nested_roman(&label, last_sub.as_deref()) && current.is_some() {
                if let Some(cur) = current {
                    append(&mut units[cur].unit.text, text);
                }
                interrupted = false;
                continue;
            }
            if units[p].unit.kind == UnitKind::Paragraph {
                units[p].unit.kind = UnitKind::Chapeau;
            }
            let number = units[p].unit.number.clone().unwrap_or_default();
            let idx = new_unit(
                &mut units,
                UnitKind::Subparagraph,
                Numbering::Printed(number),
                Some(label.clone()),
                &c[2],
                block,
                i,
                &section,
                &annex,
                None,
            );
            last_sub = Some(label);
            current = Some(idx);
            interrupted = false;
            continue;
        }

        // Unnumbered body text.
        if mode == Mode::Resolution && preamble_open {
            if RESOLUTION_CHAPEAU.is_match(text) {
                // Everything before "The General Assembly," is title matter.
                for w in &mut units {
                    if w.unit.kind == UnitKind::Preambular {
                        w.unit.kind = UnitKind::Block;
                    }
                }
                preambular_ordinal = 0;
                continue;
            }
            if interrupted
                && let Some(cur) = current
                && (!ends_sentence(&units[cur].unit.text) || !starts_upper(text))
            {
                append(&mut units[cur].unit.text, text);
                interrupted = false;
                continue;
            }
            preambular_ordinal += 1;
            current = Some(new_unit(
                &mut units,
                UnitKind::Preambular,
                Numbering::Ordinal(preambular_ordinal),
                None,
                text,
                block,
                i,
                &section,
                &annex,
                None,
            ));
            interrupted = false;
            continue;
        }

        if numbered_doc
            && !front
            && heading_shaped(text)
            && current.is_none_or(|cur| ends_sentence(&units[cur].unit.text))
            && ahead.next_body_is_numbered[i]
        {
            push_subheading(&mut section, text);
            current = None;
            parent = None;
            last_sub = None;
            interrupted = false;
            continue;
        }

        if numbered_doc && !front {
            if let Some(cur) = current {
                let lost_number = !interrupted
                    && ends_sentence(&units[cur].unit.text)
                    && starts_upper(text)
                    && next_number_after(i) == Some(last_number + 2);
                if !lost_number {
                    append(&mut units[cur].unit.text, text);
                    interrupted = false;
                    continue;
                }
            } else if next_number_after(i) != Some(last_number + 2) {
                // Unnumbered text right after a heading: a block of its own.
                block_ordinal += 1;
                current = Some(new_unit(
                    &mut units,
                    UnitKind::Block,
                    Numbering::Ordinal(block_ordinal),
                    None,
                    text,
                    block,
                    i,
                    &section,
                    &annex,
                    None,
                ));
                interrupted = false;
                continue;
            }
            // A paragraph whose number was lost in conversion: the next one is two ahead.
            last_number += 1;
            let kind = if mode == Mode::Resolution {
                UnitKind::Operative
            } else {
                UnitKind::Paragraph
            };
            let idx = new_unit(
                &mut units,
                kind,
                Numbering::Printed(last_number.to_string()),
                None,
                text,
                block,
                i,
                &section,
                &annex,
                None,
            );
            parent = Some(idx);
            last_sub = None;
            current = Some(idx);
            interrupted = false;
            continue;
        }

        // Unnumbered documents and front matter: one block unit each, unless the block
        // continues a sentence broken by a page break or footnote.
        if let Some(cur) = current
            && units[cur].unit.kind == UnitKind::Block
            && ((interrupted && (!ends_sentence(&units[cur].unit.text) || !starts_upper(text)))
                || (!ends_sentence(&units[cur].unit.text) && !starts_upper(text)))
        {
            append(&mut units[cur].unit.text, text);
            interrupted = false;
            continue;
        }
        block_ordinal += 1;
        current = Some(new_unit(
            &mut units,
            UnitKind::Block,
            Numbering::Ordinal(block_ordinal),
            None,
            text,
            block,
            i,
            &section,
            &annex,
            None,
        ));
        interrupted = false;
    }

    Ok(units
        .into_iter()
        .map(|w| finish(w, &notes))
        .filter(|u| !u.text.is_empty())
        .collect())
}

/// True when `units` hold a unit of the kinds `mode` looks for: a speaker turn for a verbatim
/// record, a preambular or operative paragraph for a resolution. Reports and UPR reports
/// always count as structured (their fallback is the unnumbered block already).
#[must_use]
pub fn mode_found_structure(mode: Mode, units: &[Unit]) -> bool {
    match mode {
        Mode::Verbatim => units.iter().any(|u| u.kind == UnitKind::SpeakerTurn),
        Mode::Resolution => units
            .iter()
            .any(|u| matches!(u.kind, UnitKind::Preambular | UnitKind::Operative)),
        Mode::Report | Mode::Upr => true,
    }
}

/// Every block with letters or digits (masthead, headings, footnotes and furniture included)
/// as one unnumbered unit each: the last resort for a text in which no mode finds a unit, so
/// that a document with text never ends as "no text found".
#[must_use]
pub fn every_block(doc: &BlockDocument) -> Vec<Unit> {
    let mut ordinal = 0u32;
    doc.blocks
        .iter()
        .filter(|b| b.text.chars().any(char::is_alphanumeric))
        .map(|b| {
            ordinal += 1;
            finish(
                Work {
                    unit: Unit {
                        kind: UnitKind::Block,
                        number: None,
                        ordinal: Some(ordinal),
                        sub: None,
                        annex: None,
                        section: Vec::new(),
                        page: b.page,
                        text: b.text.trim().to_string(),
                        footnote_refs: Vec::new(),
                        footnotes: Vec::new(),
                        speaker: None,
                    },
                    first_block: 0,
                },
                &Notes::default(),
            )
        })
        .filter(|u| !u.text.is_empty())
        .collect()
}

/// True when the body carries a paragraph numbering: at least three numbered blocks and no
/// restart at "1." outside an annex (lists numbered 1–5 again and again, as in NGO summaries,
/// are not paragraph numbering).
fn is_numbered(
    blocks: &[Block],
    numbers: &[Option<u32>],
    ahead: &Lookahead,
    inner_lists: bool,
) -> bool {
    let mut count = 0;
    let mut last = 0u32;
    // An inner list "1. …", "2. …" after a numbered paragraph that ends with ":" (old UPR
    // reports list recommendations so) is not a restart.
    let mut inner_last: Option<u32> = None;
    let mut colon_lead_in = false;
    let mut prev_numbered = false;
    for (i, b) in blocks.iter().enumerate() {
        if !matches!(b.role, BlockRole::Body | BlockRole::Heading) {
            continue;
        }
        if ANNEX.is_match(b.text.trim()) {
            last = 0;
            inner_last = None;
            continue;
        }
        if b.role != BlockRole::Body || contents_shaped(b.text.trim()) {
            if b.role == BlockRole::Heading {
                inner_last = None;
                colon_lead_in = false;
                prev_numbered = false;
            }
            continue;
        }
        let ends_colon = ends_with_colon(&b.text);
        let Some((n, rest)) = numbers[i].zip(NUM.captures(b.text.trim()).map(|c| c[2].to_string()))
        else {
            colon_lead_in = prev_numbered && ends_colon;
            continue;
        };
        prev_numbered = true;
        if inner_last.is_some_and(|il| n == il + 1) {
            inner_last = Some(n);
            colon_lead_in = false;
            continue;
        }
        if n == 1 && last >= 1 && colon_lead_in && inner_lists {
            inner_last = Some(1);
            colon_lead_in = false;
            continue;
        }
        if numbered_heading(&rest, n, last, ahead.next_number[i]) {
            continue;
        }
        if n == 1 && last >= 1 {
            return false;
        }
        inner_last = None;
        last = n;
        count += 1;
        colon_lead_in = ends_colon;
    }
    count >= 3
}

/// True for the lead-in of a list: it ends with ":" or announces what is "listed below" /
/// "the following" ("The recommendations formulated … and listed below will be examined …").
fn ends_with_colon(text: &str) -> bool {
    let t = text.trim_end_matches(|c: char| "⁰¹²³⁴⁵⁶⁷⁸⁹".contains(c) || c.is_whitespace());
    t.ends_with(':') || t.contains("listed below") || t.contains("the following recommendations")
}

/// A short line without final punctuation: the shape of a heading the reader left as body text
/// ("Equality and non-discrimination¹⁶", "1. Cross-cutting issues").
fn heading_shaped(text: &str) -> bool {
    text.chars().count() < 110 && !ends_sentence(text) && starts_upper(text) && !text.ends_with(',')
}

/// A numbered line that is a sub-heading, not a paragraph: heading-shaped and out of the
/// paragraph sequence.
fn numbered_heading(rest: &str, n: u32, last: u32, next: Option<u32>) -> bool {
    let short_enough = rest.chars().count() < 250;
    short_enough
        && !ends_sentence(rest)
        && starts_upper(rest)
        && n != last + 1
        && next != Some(n + 1)
}

/// Adds a sub-heading below the roman / letter levels (at most three levels kept).
fn push_subheading(section: &mut Vec<String>, text: &str) {
    let clean = SUPERSCRIPTS.replace_all(text, "").trim().to_string();
    let keep = section
        .iter()
        .take_while(|s| ROMAN_HEADING.is_match(s) || LETTER_HEADING.is_match(s))
        .count()
        .min(2);
    section.truncate(keep);
    section.push(clean);
}

fn is_contents_heading(text: &str) -> bool {
    let t = text.trim().to_lowercase();
    matches!(
        t.as_str(),
        "contents" | "table of contents" | "table des matières" | "sommaire" | "índice"
    )
}

fn append(text: &mut String, more: &str) {
    if !text.is_empty() {
        text.push(' ');
    }
    text.push_str(more);
}

/// Removes markers, records references and attaches the nearest footnote for each.
fn finish(w: Work, notes: &Notes) -> Unit {
    let mut unit = w.unit;
    let mut refs: Vec<u32> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for m in SUPERSCRIPTS.find_iter(&unit.text) {
        if let Some(n) = leading_marker(m.as_str())
            && seen.insert(n)
        {
            refs.push(n);
        }
    }
    let stripped = SUPERSCRIPTS.replace_all(&unit.text, "");
    unit.text = stripped
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" ,", ",")
        .replace(" .", ".")
        .replace(" ;", ";");
    unit.footnotes = refs
        .iter()
        .filter_map(|&m| {
            Some(Footnote {
                marker: m,
                text: notes.text_for(m, w.first_block)?.to_string(),
            })
        })
        .collect();
    unit.footnote_refs = refs;
    unit
}

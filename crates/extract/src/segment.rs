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
use undex_core::{Footnote, Paragraph, Tags, UnitKind};

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

/// A citable unit as the segmenter yields it: a [`Paragraph`] whose `id` is still empty
/// ([`crate::build_document`] gives it) and whose `tags` are empty (`undex-tag` fills them).
pub type Unit = Paragraph;

/// A unit of `kind` starting on `page` with `text`, with no number, place, annex, heading,
/// footnote or speaker yet.
fn new_unit(kind: UnitKind, page: u32, text: String) -> Unit {
    Paragraph {
        id: String::new(),
        kind,
        number: None,
        ordinal: None,
        sub: None,
        annex: None,
        section: Vec::new(),
        page,
        text,
        footnote_refs: Vec::new(),
        footnotes: Vec::new(),
        speaker: None,
        tags: Tags::default(),
    }
}

/// A paragraph number of any length and the text after it ("1234. The …"); see
/// [`paragraph_numbers`] for when a long one is taken for a paragraph number. Read by
/// [`labelled`].
static NUM: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(\d+)\.\s+").expect("valid regex"));
/// A UPR recommendation's number ("125.3 Ratify …"), read by [`labelled`].
static DOTTED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,3}\.\d{1,3})\.?\s+").expect("valid regex"));
/// A sub-paragraph's letter or roman numeral ("(a) Ratify …"), read by [`labelled`].
static SUB: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\(([a-z]{1,2}|[ivxlc]{1,6})\)\s+").expect("valid regex"));

/// The label (the pattern's first group) and the text after it, when `text` starts with a
/// label of `lead` (a pattern that ends in `\s+`) followed by text of one line: what
/// `^lead(\S.*)$` captures, found without running captures over the whole paragraph.
fn labelled<'t>(lead: &Regex, text: &'t str) -> Option<(&'t str, &'t str)> {
    let c = lead.captures(text)?;
    let whole = c.get(0)?;
    let rest = &text[whole.end()..];
    if rest.is_empty() || rest.contains('\n') {
        return None;
    }
    Some((c.get(1)?.as_str(), rest))
}

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
            let (label, _) = labelled(&NUM, text)?;
            let n: u32 = label.parse().ok()?;
            if label.len() >= 4 && !(n > highest && n - highest <= 2) {
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

/// Cuts a document's blocks into units (a `Segmenter` run over the blocks).
///
/// # Errors
/// [`ExtractError::LimitExceeded`] when `deadline` passes (checked every 1,024 blocks).
pub fn segment(
    doc: &BlockDocument,
    mode: Mode,
    deadline: &Deadline,
) -> Result<Vec<Unit>, ExtractError> {
    Segmenter::new(&doc.blocks, mode).run(deadline)
}

/// The segmenter as a small state machine: it reads a document's blocks in order
/// ([`Segmenter::feed`]) and builds its units, with one method per kind of block or unit.
struct Segmenter<'a> {
    blocks: &'a [Block],
    mode: Mode,
    /// The paragraph number each body block starts with ([`paragraph_numbers`]).
    numbers: Vec<Option<u32>>,
    ahead: Lookahead,
    /// Whether the body carries a paragraph numbering ([`is_numbered`]).
    numbered_doc: bool,
    /// Inner numbered lists are read only in UN documents (with a masthead); elsewhere a
    /// list restarting at "1." means the text has no paragraph numbering.
    inner_lists: bool,
    notes: Notes,
    units: Vec<Work>,
    /// Heading path at the current block, outermost first.
    section: Vec<String>,
    /// The annex the current block is in.
    annex: Option<String>,
    /// The last paragraph number read (0 before the first and after an annex heading).
    last_number: u32,
    /// Index of the numbered unit sub-paragraphs belong to.
    parent: Option<usize>,
    /// Label of the last sub-paragraph of `parent`.
    last_sub: Option<String>,
    /// Index of the unit that unnumbered text may continue.
    current: Option<usize>,
    /// A footnote or page furniture came since the last body text (a page break, most often).
    interrupted: bool,
    /// An inner list ("1.", "2." after "… recommendations:"): (parent unit, last item number).
    inner: Option<(usize, u32)>,
    /// Before the first paragraph number or "I." heading: front matter.
    front: bool,
    /// Count of unnumbered blocks so far.
    block_ordinal: u32,
    /// Count of preambular paragraphs so far.
    preambular_ordinal: u32,
    /// A resolution before its first operative paragraph.
    preamble_open: bool,
    /// Count of speaker turns so far.
    turn_ordinal: u32,
}

impl<'a> Segmenter<'a> {
    fn new(blocks: &'a [Block], mode: Mode) -> Segmenter<'a> {
        let inner_lists = blocks.iter().any(|b| b.role == BlockRole::Masthead);
        let numbers = paragraph_numbers(blocks);
        let ahead = Lookahead::new(blocks, &numbers);
        let numbered_doc = is_numbered(blocks, &numbers, &ahead, inner_lists);
        Segmenter {
            blocks,
            mode,
            numbers,
            ahead,
            numbered_doc,
            inner_lists,
            notes: Notes::default(),
            units: Vec::new(),
            section: Vec::new(),
            annex: None,
            last_number: 0,
            parent: None,
            last_sub: None,
            current: None,
            interrupted: false,
            inner: None,
            front: true,
            block_ordinal: 0,
            preambular_ordinal: 0,
            preamble_open: mode == Mode::Resolution,
            turn_ordinal: 0,
        }
    }

    /// Feeds every block, then finishes the units (markers removed, footnotes attached, empty
    /// units dropped).
    fn run(mut self, deadline: &Deadline) -> Result<Vec<Unit>, ExtractError> {
        let len = self.blocks.len();
        for i in 0..len {
            deadline.check_every(i, || format!("segmenting (block {i} of {len})"))?;
            self.feed(i);
        }
        let notes = self.notes;
        Ok(self
            .units
            .into_iter()
            .map(|w| finish(w, &notes))
            .filter(|u| !u.text.is_empty())
            .collect())
    }

    /// Reads block `i`: the kinds of block and unit are tried in order, and the first that
    /// takes the block ends the step.
    fn feed(&mut self, i: usize) {
        let blocks = self.blocks;
        let block = &blocks[i];
        let text = block.text.trim();
        if text.is_empty() {
            return;
        }
        match block.role {
            BlockRole::Masthead => return,
            BlockRole::Furniture => {
                self.interrupted = true;
                return;
            }
            BlockRole::Footnote => {
                self.interrupted = true;
                self.footnote(i, text);
                return;
            }
            BlockRole::Heading | BlockRole::Body => {}
        }
        if self.not_text(i, text) || self.annex_heading(text) {
            return;
        }
        if block.role == BlockRole::Heading && self.mode != Mode::Verbatim {
            self.heading(text);
            return;
        }
        if self.mode == Mode::Verbatim {
            self.verbatim(i, text);
            return;
        }
        if self.upr_recommendation(i, text) || self.numbered(i, text) || self.subparagraph(i, text)
        {
            return;
        }
        if self.mode == Mode::Resolution && self.preamble_open {
            self.preambular(i, text);
            return;
        }
        if self.unnumbered_subheading(i, text) {
            return;
        }
        if self.numbered_doc && !self.front {
            self.numbered_body_text(i, text);
        } else {
            self.unnumbered_block(i, text);
        }
    }

    /// Adds a unit that starts at block `i` and makes it the current one.
    fn open(
        &mut self,
        kind: UnitKind,
        numbering: Numbering,
        sub: Option<String>,
        text: &str,
        i: usize,
    ) -> usize {
        let (number, ordinal) = match numbering {
            Numbering::Printed(number) => (Some(number), None),
            Numbering::Ordinal(ordinal) => (None, Some(ordinal)),
        };
        self.units.push(Work {
            unit: Unit {
                number,
                ordinal,
                sub,
                annex: self.annex.clone(),
                section: self.section.clone(),
                ..new_unit(kind, self.blocks[i].page, text.to_string())
            },
            first_block: i,
        });
        let idx = self.units.len() - 1;
        self.current = Some(idx);
        self.interrupted = false;
        idx
    }

    /// Adds an unnumbered block unit.
    fn open_block(&mut self, i: usize, text: &str) {
        self.block_ordinal += 1;
        self.open(
            UnitKind::Block,
            Numbering::Ordinal(self.block_ordinal),
            None,
            text,
            i,
        );
    }

    /// Appends `text` to unit `cur`.
    fn extend(&mut self, cur: usize, text: &str) {
        append(&mut self.units[cur].unit.text, text);
        self.interrupted = false;
    }

    /// The text of unit `idx` so far.
    fn text_of(&self, idx: usize) -> &str {
        &self.units[idx].unit.text
    }

    /// A heading ends the paragraph: nothing continues it and no sub-paragraph joins it.
    fn leave_paragraph(&mut self) {
        self.current = None;
        self.parent = None;
        self.last_sub = None;
        self.interrupted = false;
    }

    /// Makes the numbered paragraph `p` the lead-in of its sub-paragraphs.
    fn make_chapeau(&mut self, p: usize) {
        if self.units[p].unit.kind == UnitKind::Paragraph {
            self.units[p].unit.kind = UnitKind::Chapeau;
        }
    }

    /// True under a "Contents" heading.
    fn in_contents(&self) -> bool {
        self.section.first().is_some_and(|s| is_contents_heading(s))
    }

    /// A footnote block: a note with a superscript or plain number ("³ See …", "3 See …"),
    /// a note on the title or symbol ("* Reissued for technical reasons", not kept), or
    /// the continuation of the note read last.
    fn footnote(&mut self, i: usize, text: &str) {
        if let Some(marker) = leading_marker(text) {
            let body = text.trim_start_matches(|c: char| "⁰¹²³⁴⁵⁶⁷⁸⁹".contains(c));
            self.notes.push(Note {
                marker,
                text: body.trim().to_string(),
                block: i,
            });
        } else if let Some(m) = text
            .split_once(' ')
            .filter(|(d, _)| d.len() <= 3 && d.chars().all(|c| c.is_ascii_digit()))
        {
            self.notes.push(Note {
                marker: m.0.parse().unwrap_or(0),
                text: m.1.trim().to_string(),
                block: i,
            });
        } else if text.starts_with(['*', '∗']) {
            // A note on the title or symbol.
        } else if let Some(last) = self.notes.last_mut() {
            last.text.push(' ');
            last.text.push_str(text);
        }
    }

    /// True for body or heading text that is not cited.
    ///
    /// Table-of-contents lines ("A. Scope ........ 3–5 4") are not text to cite. A numbered
    /// body block that continues the paragraph numbering is a paragraph even when it ends in
    /// dot leaders ("12. The Council ......... 5" after paragraph 11): a contents entry comes
    /// before paragraph 1 of its part, or under a "Contents" heading (dropped too). Text with
    /// leaders that is not shaped like an entry is kept as any other text. "56th plenary
    /// meeting" under a resolution is a signature line, not text.
    fn not_text(&self, i: usize, text: &str) -> bool {
        let role = self.blocks[i].role;
        if contents_shaped(text) {
            let continues_numbering = role == BlockRole::Body
                && self.numbered_doc
                && self.numbers[i]
                    .is_some_and(|n| self.last_number >= 1 && n == self.last_number + 1);
            if !continues_numbering {
                return true;
            }
        }
        if role == BlockRole::Body && self.in_contents() {
            return true;
        }
        MEETING_LINE.is_match(text) && text.len() < 80
    }

    /// An annex heading ("Annex I", "Enclosure"): numbering restarts and the heading path is
    /// cleared (an "Annex" entry of a table of contents does neither).
    fn annex_heading(&mut self, text: &str) -> bool {
        if self.in_contents() {
            return false;
        }
        let Some(c) = ANNEX.captures(text) else {
            return false;
        };
        let name = match c.get(2) {
            Some(n) => format!("{} {}", c[1].to_lowercase(), n.as_str()),
            None => c[1].to_lowercase(),
        };
        self.annex = Some(name);
        self.section.clear();
        self.last_number = 0;
        self.leave_paragraph();
        true
    }

    /// A section heading: "I. …" starts the path (and ends the front matter), "A. …" goes
    /// below a roman heading, "1. …" below those; any other heading starts a path of its own.
    fn heading(&mut self, text: &str) {
        let heading = SUPERSCRIPTS
            .replace_all(text, "")
            .trim_end_matches(['*', '∗'])
            .trim()
            .to_string();
        if ROMAN_HEADING.is_match(&heading) {
            if heading.starts_with("I. ") {
                self.front = false;
            }
            self.section = vec![heading];
        } else if LETTER_HEADING.is_match(&heading) {
            self.section.truncate(1);
            if self
                .section
                .first()
                .is_some_and(|s| !ROMAN_HEADING.is_match(s))
            {
                self.section.clear();
            }
            self.section.push(heading);
        } else if labelled(&NUM, &heading).is_some() {
            self.section.truncate(2);
            self.section.push(heading);
        } else {
            self.section = vec![heading];
        }
        self.inner = None;
        self.leave_paragraph();
    }

    /// Verbatim records: "The President:", "Mr. X (France) (spoke in French): …" starts a
    /// speaker's turn and other text continues it. Text outside any turn (the agenda, "The
    /// meeting was called to order at 10 a.m.", text after an annex heading) is kept as
    /// unnumbered blocks.
    fn verbatim(&mut self, i: usize, text: &str) {
        if let Some(c) = SPEAKER.captures(text) {
            self.turn_ordinal += 1;
            let idx = self.open(
                UnitKind::SpeakerTurn,
                Numbering::Ordinal(self.turn_ordinal),
                None,
                &c[2],
                i,
            );
            self.units[idx].unit.speaker = Some(SPOKE_IN.replace(c[1].trim(), "").into_owned());
        } else if let Some(cur) = self
            .current
            .filter(|&c| self.units[c].unit.kind == UnitKind::SpeakerTurn)
        {
            self.extend(cur, text);
        } else {
            self.open_block(i, text);
        }
    }

    /// UPR reports: "140.12 Ratify … (Slovenia);" is a UPR recommendation.
    fn upr_recommendation(&mut self, i: usize, text: &str) -> bool {
        if self.mode != Mode::Upr {
            return false;
        }
        let Some((label, rest)) = labelled(&DOTTED, text) else {
            return false;
        };
        self.open(
            UnitKind::UprRecommendation,
            Numbering::Printed(label.to_string()),
            None,
            rest,
            i,
        );
        self.front = false;
        true
    }

    /// A body block that starts with a paragraph number (in a numbered document): an item
    /// of an inner list, a numbered sub-heading ("4. Cross-cutting issues") or a paragraph.
    fn numbered(&mut self, i: usize, text: &str) -> bool {
        let (Some(n), true) = (self.numbers[i], self.numbered_doc) else {
            return false;
        };
        let Some((label, rest)) = labelled(&NUM, text) else {
            return false;
        };
        if self.inner_list_item(i, n, rest) {
            return true;
        }
        self.inner = None;
        if self.mode != Mode::Resolution
            && numbered_heading(rest, n, self.last_number, self.ahead.next_number[i])
        {
            push_subheading(&mut self.section, text);
            self.leave_paragraph();
            return true;
        }
        self.numbered_paragraph(i, n, label, rest);
        true
    }

    /// An item "n." of a list inside a paragraph that ends with ":" ("… the following
    /// recommendations:"), or the next item of such a list: a UPR recommendation "140.n" in
    /// a UPR report, else sub-paragraph "n" of the lead-in paragraph (made a chapeau).
    fn inner_list_item(&mut self, i: usize, n: u32, rest: &str) -> bool {
        let continues_inner = self.inner.is_some_and(|(_, il)| n == il + 1);
        let starts_inner = n == 1
            && self.inner_lists
            && self.last_number >= 1
            && self.inner.is_none()
            && self
                .parent
                .is_some_and(|p| ends_with_colon(self.text_of(p)));
        let (true, Some(p)) = (
            continues_inner || starts_inner,
            self.inner.map(|x| x.0).or(self.parent),
        ) else {
            return false;
        };
        let parent_number = self.units[p].unit.number.clone().unwrap_or_default();
        let (kind, number, sub) = if self.mode == Mode::Upr {
            (
                UnitKind::UprRecommendation,
                Numbering::Printed(format!("{parent_number}.{n}")),
                None,
            )
        } else {
            self.make_chapeau(p);
            (
                UnitKind::Subparagraph,
                Numbering::Printed(parent_number),
                Some(n.to_string()),
            )
        };
        self.open(kind, number, sub, rest, i);
        self.inner = Some((p, n));
        true
    }

    /// A numbered paragraph "n. …" (an operative paragraph in the body of a resolution).
    fn numbered_paragraph(&mut self, i: usize, n: u32, number: &str, rest: &str) {
        let kind = if self.mode == Mode::Resolution && self.annex.is_none() {
            UnitKind::Operative
        } else {
            UnitKind::Paragraph
        };
        let idx = self.open(kind, Numbering::Printed(number.to_string()), None, rest, i);
        self.last_number = n;
        self.parent = Some(idx);
        self.last_sub = None;
        self.front = false;
        self.preamble_open = false;
    }

    /// A sub-paragraph "(a) …" of the current numbered paragraph (made a chapeau); a roman
    /// item nested under the last sub-paragraph ("(i)" under "(b)") stays inside it.
    fn subparagraph(&mut self, i: usize, text: &str) -> bool {
        let (Some((label, rest)), Some(p), true) =
            (labelled(&SUB, text), self.parent, self.numbered_doc)
        else {
            return false;
        };
        let label = label.to_string();
        if is_nested_roman(&label, self.last_sub.as_deref())
            && let Some(cur) = self.current
        {
            self.extend(cur, text);
            return true;
        }
        self.make_chapeau(p);
        let number = self.units[p].unit.number.clone().unwrap_or_default();
        self.open(
            UnitKind::Subparagraph,
            Numbering::Printed(number),
            Some(label.clone()),
            rest,
            i,
        );
        self.last_sub = Some(label);
        true
    }

    /// Unnumbered text of a resolution before its operative part: "The General Assembly,"
    /// makes everything before it title matter; other text is a preambular paragraph, or
    /// continues one that a page break or footnote interrupted.
    fn preambular(&mut self, i: usize, text: &str) {
        if RESOLUTION_CHAPEAU.is_match(text) {
            for w in &mut self.units {
                if w.unit.kind == UnitKind::Preambular {
                    w.unit.kind = UnitKind::Block;
                }
            }
            self.preambular_ordinal = 0;
            return;
        }
        if self.interrupted
            && let Some(cur) = self.current
            && (!ends_sentence(self.text_of(cur)) || !starts_upper(text))
        {
            self.extend(cur, text);
            return;
        }
        self.preambular_ordinal += 1;
        self.open(
            UnitKind::Preambular,
            Numbering::Ordinal(self.preambular_ordinal),
            None,
            text,
            i,
        );
    }

    /// A heading-shaped body line after a finished paragraph and before a numbered one: a
    /// sub-heading the reader left as body text ("Equality and non-discrimination").
    fn unnumbered_subheading(&mut self, i: usize, text: &str) -> bool {
        let is_heading = self.numbered_doc
            && !self.front
            && heading_shaped(text)
            && self
                .current
                .is_none_or(|cur| ends_sentence(self.text_of(cur)))
            && self.ahead.next_body_is_numbered[i];
        if is_heading {
            push_subheading(&mut self.section, text);
            self.leave_paragraph();
        }
        is_heading
    }

    /// True when the next numbered paragraph in the section after block `i` is two ahead of
    /// the last one.
    fn next_is_two_ahead(&self, i: usize) -> bool {
        self.ahead.next_number_in_section[i] == Some(self.last_number + 2)
    }

    /// Unnumbered text in the body of a numbered document: it continues the current
    /// paragraph; right after a heading it is a block of its own; a sentence that starts
    /// when the next number is two ahead is a paragraph whose number was lost in conversion.
    fn numbered_body_text(&mut self, i: usize, text: &str) {
        if let Some(cur) = self.current {
            let lost_number = !self.interrupted
                && ends_sentence(self.text_of(cur))
                && starts_upper(text)
                && self.next_is_two_ahead(i);
            if !lost_number {
                self.extend(cur, text);
                return;
            }
        } else if !self.next_is_two_ahead(i) {
            self.open_block(i, text);
            return;
        }
        self.last_number += 1;
        let kind = if self.mode == Mode::Resolution {
            UnitKind::Operative
        } else {
            UnitKind::Paragraph
        };
        let number = Numbering::Printed(self.last_number.to_string());
        let idx = self.open(kind, number, None, text, i);
        self.parent = Some(idx);
        self.last_sub = None;
    }

    /// Unnumbered documents and front matter: one block unit each, unless the block
    /// continues a sentence broken by a page break or footnote.
    fn unnumbered_block(&mut self, i: usize, text: &str) {
        if let Some(cur) = self.current
            && self.units[cur].unit.kind == UnitKind::Block
        {
            let open_sentence = !ends_sentence(self.text_of(cur));
            if (self.interrupted && (open_sentence || !starts_upper(text)))
                || (open_sentence && !starts_upper(text))
            {
                self.extend(cur, text);
                return;
            }
        }
        self.open_block(i, text);
    }
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
                        ordinal: Some(ordinal),
                        ..new_unit(UnitKind::Block, b.page, b.text.trim().to_string())
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
        let Some((n, rest)) =
            numbers[i].zip(labelled(&NUM, b.text.trim()).map(|(_, rest)| rest.to_string()))
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

/// The words of `text` joined by single spaces, with no space before a word that starts
/// with a comma, full stop or semicolon (where a removed marker or a line break left one):
/// what `split_whitespace`, `join(" ")` and replacing `" ,"`, `" ."` and `" ;"` give, in one
/// pass. (A space is removed only before punctuation and never follows another, so no
/// replacement makes another.)
fn joined_words(text: &str) -> String {
    crate::text::join_words(text, |word| !word.starts_with([',', '.', ';']))
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
    unit.text = joined_words(&stripped);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// `joined_words` gives what the chain it replaced gave (words joined by single spaces,
    /// then `" ,"`, `" ."` and `" ;"` replaced), on the lines of the 2026 report's text and
    /// on runs of punctuation and Unicode spaces.
    #[test]
    fn joined_words_is_the_chain_it_replaced() {
        let chain = |t: &str| {
            t.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .replace(" ,", ",")
                .replace(" .", ".")
                .replace(" ;", ";")
        };
        let report = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/seeds/sg-r2p-report-2026.txt"
        ))
        .expect("the shared seeds beside the checkout");
        let mut cases: Vec<&str> = report.split("\n\n").collect();
        cases.extend([
            "",
            "   ",
            ", leading comma",
            "a , . ; b",
            "x . ,",
            "a ;,",
            "States\u{a0}, regional\u{2003}. organizations ;\tand\n, others",
            "crimes ¹ , and  ² .",
        ]);
        assert!(cases.len() > 100, "{} cases", cases.len());
        for case in cases {
            assert_eq!(joined_words(case), chain(case), "{case:?}");
            assert_eq!(
                crate::text::collapse_whitespace(case),
                case.split_whitespace().collect::<Vec<_>>().join(" "),
                "{case:?}"
            );
        }
    }

    /// `labelled` reads what the patterns with the rest captured (`^lead(\S.*)$`) read.
    #[test]
    fn labels_are_read_as_with_the_rest_captured() {
        let whole = |lead: &Regex| Regex::new(&format!(r"{}(\S.*)$", lead.as_str())).unwrap();
        for lead in [&*NUM, &*DOTTED, &*SUB] {
            let full = whole(lead);
            for text in [
                "12. The Secretary-General recommends",
                "12.  \u{a0}Two spaces and a no-break space",
                "12.\nThe number on its own line",
                "12. The text\nbroken over two lines",
                "12. ",
                "12.",
                "12.The text without a space",
                "125.3 Ratify the Convention",
                "125.3. Ratify the Convention",
                "(a) Ratify the Convention;",
                "(iii) Ratify\r",
                "(abc) Not a label",
                "١٢. Arabic-Indic digits",
                "",
            ] {
                let expected = full
                    .captures(text)
                    .map(|c| (c.get(1).unwrap().as_str(), c.get(2).unwrap().as_str()));
                assert_eq!(
                    labelled(lead, text),
                    expected,
                    "{} on {text:?}",
                    lead.as_str()
                );
            }
        }
    }

    /// Segments a document written in a compact form and checks its units, each shown on one
    /// line by [`show`] (after ripgrep's `SearcherTester`).
    ///
    /// The input has one block a line: a role letter (`M` masthead, `H` heading, `B` body,
    /// `F` footnote, `R` running header or footer), a space and the text; a line `=` starts a
    /// new page.
    struct SegmenterTester {
        input: &'static str,
        mode: Mode,
    }

    impl SegmenterTester {
        fn new(input: &'static str) -> SegmenterTester {
            SegmenterTester {
                input,
                mode: Mode::Report,
            }
        }

        fn mode(mut self, mode: Mode) -> SegmenterTester {
            self.mode = mode;
            self
        }

        fn doc(&self) -> BlockDocument {
            let mut page = 1;
            let mut blocks = Vec::new();
            for line in self.input.lines().map(str::trim).filter(|l| !l.is_empty()) {
                if line == "=" {
                    page += 1;
                    continue;
                }
                let (role, text) = line.split_once(' ').unwrap_or((line, ""));
                let role = match role {
                    "M" => BlockRole::Masthead,
                    "H" => BlockRole::Heading,
                    "B" => BlockRole::Body,
                    "F" => BlockRole::Footnote,
                    "R" => BlockRole::Furniture,
                    other => panic!("unknown role {other:?} in {line:?}"),
                };
                blocks.push(Block::plain(page, role, text));
            }
            BlockDocument {
                pages: page,
                blocks,
                warnings: Vec::new(),
            }
        }

        fn units(&self) -> Vec<Unit> {
            segment(&self.doc(), self.mode, &Deadline::none()).expect("no deadline")
        }

        /// Asserts the units shown by [`show`] and returns them for further checks.
        fn expect(&self, expected: &[&str]) -> Vec<Unit> {
            let units = self.units();
            let shown: Vec<String> = units.iter().map(show).collect();
            assert_eq!(shown, expected, "input:\n{}", self.input);
            units
        }
    }

    /// "kind number(sub) [speaker]: text", "#ordinal" for an unnumbered unit.
    fn show(u: &Unit) -> String {
        let label = match (&u.number, &u.sub, u.ordinal) {
            (Some(n), Some(s), _) => format!("{n}({s})"),
            (Some(n), None, _) => n.clone(),
            (None, _, Some(o)) => format!("#{o}"),
            (None, _, None) => "?".to_string(),
        };
        let speaker = u
            .speaker
            .as_ref()
            .map(|s| format!(" [{s}]"))
            .unwrap_or_default();
        format!("{} {label}{speaker}: {}", u.kind.as_str(), u.text)
    }

    #[test]
    fn numbered_paragraphs_join_across_a_page_break() {
        let units = SegmenterTester::new(
            "M UNITED NATIONS
             H I. Introduction
             B 1. The first paragraph begins here and
             R 3/12
             =
             B continues on the next page.
             B 2. The second paragraph.
             B 3. The third paragraph.",
        )
        .expect(&[
            "paragraph 1: The first paragraph begins here and continues on the next page.",
            "paragraph 2: The second paragraph.",
            "paragraph 3: The third paragraph.",
        ]);
        assert_eq!(units[0].section, ["I. Introduction"]);
        assert_eq!((units[0].page, units[1].page), (1, 2));
        assert_eq!(units[0].annex, None);
    }

    #[test]
    fn sub_paragraphs_split_a_chapeau_and_keep_nested_romans() {
        SegmenterTester::new(
            "B 1. The Council decides:
             B (a) To act;
             B (i) in the first place;
             B (ii) in the second place;
             B (b) To report.
             B 2. Second.
             B 3. Third.",
        )
        .expect(&[
            "chapeau 1: The Council decides:",
            "subparagraph 1(a): To act; (i) in the first place; (ii) in the second place;",
            "subparagraph 1(b): To report.",
            "paragraph 2: Second.",
            "paragraph 3: Third.",
        ]);
    }

    #[test]
    fn roman_items_after_h_are_letters() {
        assert!(!is_nested_roman("i", Some("h")));
        assert!(!is_nested_roman("ii", Some("i")));
        assert!(is_nested_roman("i", Some("b")));
        assert!(!is_nested_roman("c", Some("b")));
        assert!(!is_nested_roman("i", None));
    }

    #[test]
    fn sub_paragraphs_of_an_unnumbered_document_are_blocks() {
        // Fewer than three numbered paragraphs: not a numbered document.
        SegmenterTester::new(
            "B Members agreed to:
             B (a) act;
             B (b) report.",
        )
        .expect(&[
            "block #1: Members agreed to:",
            "block #2: (a) act;",
            "block #3: (b) report.",
        ]);
    }

    #[test]
    fn headings_give_the_section_path() {
        let units = SegmenterTester::new(
            "H I. Introduction
             B 1. First.
             H A. Scope
             B 2. Second.
             B Equality and non-discrimination
             B 3. Third.
             B 1. Cross-cutting issues
             B 4. Fourth.
             H II. Context
             B Some introductory text.
             B 5. Fifth.",
        )
        .expect(&[
            "paragraph 1: First.",
            "paragraph 2: Second.",
            "paragraph 3: Third.",
            "paragraph 4: Fourth.",
            "block #1: Some introductory text.",
            "paragraph 5: Fifth.",
        ]);
        assert_eq!(units[0].section, ["I. Introduction"]);
        assert_eq!(units[1].section, ["I. Introduction", "A. Scope"]);
        assert_eq!(
            units[2].section,
            [
                "I. Introduction",
                "A. Scope",
                "Equality and non-discrimination"
            ]
        );
        assert_eq!(
            units[3].section,
            ["I. Introduction", "A. Scope", "1. Cross-cutting issues"]
        );
        assert_eq!(units[4].section, ["II. Context"]);
        assert_eq!(units[5].section, ["II. Context"]);
    }

    #[test]
    fn footnotes_are_attached_and_markers_removed() {
        let units = SegmenterTester::new(
            "B 1. See the report.¹
             F ¹ A/79/875.
             B 2. Two² and again² and three³.
             F 2 Plain numbered note
             F continues here.
             F ³ Third note.
             F * Reissued for technical reasons.
             B 3. Third.",
        )
        .expect(&[
            "paragraph 1: See the report.",
            "paragraph 2: Two and again and three.",
            "paragraph 3: Third.",
        ]);
        assert_eq!(units[0].footnote_refs, [1]);
        assert_eq!(
            units[0].footnotes,
            [Footnote {
                marker: 1,
                text: "A/79/875.".into()
            }]
        );
        assert_eq!(units[1].footnote_refs, [2, 3]);
        let texts: Vec<&str> = units[1].footnotes.iter().map(|f| f.text.as_str()).collect();
        assert_eq!(
            texts,
            ["Plain numbered note continues here.", "Third note."]
        );
        assert!(units[2].footnotes.is_empty());
    }

    #[test]
    fn restarted_footnote_numbers_find_the_nearest_note() {
        let units = SegmenterTester::new(
            "B 1. First¹ paragraph.
             F ¹ First note one.
             B 2. Second paragraph.
             B 3. Third¹ paragraph.
             F ¹ Second note one.",
        )
        .expect(&[
            "paragraph 1: First paragraph.",
            "paragraph 2: Second paragraph.",
            "paragraph 3: Third paragraph.",
        ]);
        assert_eq!(units[0].footnotes[0].text, "First note one.");
        assert_eq!(units[2].footnotes[0].text, "Second note one.");
    }

    #[test]
    fn an_annex_restarts_the_numbering() {
        let units = SegmenterTester::new(
            "H I. Introduction
             B 1. One.
             B 2. Two.
             B 3. Three.
             H Annex I
             B 1. Annex one.
             B 2. Annex two.",
        )
        .expect(&[
            "paragraph 1: One.",
            "paragraph 2: Two.",
            "paragraph 3: Three.",
            "paragraph 1: Annex one.",
            "paragraph 2: Annex two.",
        ]);
        assert_eq!(units[2].annex, None);
        assert_eq!(units[3].annex.as_deref(), Some("annex I"));
        assert!(units[3].section.is_empty());
    }

    #[test]
    fn contents_lines_are_dropped_but_a_numbered_paragraph_with_leaders_is_kept() {
        SegmenterTester::new(
            "H Contents
             B I. Introduction .......... 3
             B Annex
             H I. Introduction
             B 1. One.
             B 2. Two.
             B 3. Three.
             B 4. The Council .......... 5",
        )
        .expect(&[
            "paragraph 1: One.",
            "paragraph 2: Two.",
            "paragraph 3: Three.",
            "paragraph 4: The Council.......... 5",
        ]);
    }

    #[test]
    fn a_lost_paragraph_number_is_restored() {
        SegmenterTester::new(
            "B 1. One.
             B 2. Two.
             B A paragraph whose number was lost.
             B 4. Four
             B continued.
             B 5. Five.",
        )
        .expect(&[
            "paragraph 1: One.",
            "paragraph 2: Two.",
            "paragraph 3: A paragraph whose number was lost.",
            "paragraph 4: Four continued.",
            "paragraph 5: Five.",
        ]);
    }

    #[test]
    fn upr_recommendations_are_dotted_numbers() {
        SegmenterTester::new(
            "M UNITED NATIONS
             B 1. One.
             B 2. Two.
             B 140. The following recommendations will be examined by Slovenia:
             B 140.1 Ratify the convention (France);
             B 140.2 Adopt a law (Brazil);",
        )
        .mode(Mode::Upr)
        .expect(&[
            "paragraph 1: One.",
            "paragraph 2: Two.",
            "paragraph 140: The following recommendations will be examined by Slovenia:",
            "upr_recommendation 140.1: Ratify the convention (France);",
            "upr_recommendation 140.2: Adopt a law (Brazil);",
        ]);
    }

    const INNER_LIST: &str = "M UNITED NATIONS
         B 1. One.
         B 2. Two.
         B 3. The recommendations listed below were examined:
         B 1. Ratify the convention (France);
         B 2. Adopt a law (Brazil);
         B 4. Four.";

    #[test]
    fn an_inner_list_in_a_upr_report_gives_recommendations() {
        SegmenterTester::new(INNER_LIST).mode(Mode::Upr).expect(&[
            "paragraph 1: One.",
            "paragraph 2: Two.",
            "paragraph 3: The recommendations listed below were examined:",
            "upr_recommendation 3.1: Ratify the convention (France);",
            "upr_recommendation 3.2: Adopt a law (Brazil);",
            "paragraph 4: Four.",
        ]);
    }

    #[test]
    fn an_inner_list_in_a_report_gives_sub_paragraphs() {
        SegmenterTester::new(INNER_LIST).expect(&[
            "paragraph 1: One.",
            "paragraph 2: Two.",
            "chapeau 3: The recommendations listed below were examined:",
            "subparagraph 3(1): Ratify the convention (France);",
            "subparagraph 3(2): Adopt a law (Brazil);",
            "paragraph 4: Four.",
        ]);
    }

    #[test]
    fn without_a_masthead_a_restart_at_one_means_no_numbering() {
        let input = INNER_LIST.replacen("M UNITED NATIONS", "", 1);
        let units = SegmenterTester::new(input.leak()).units();
        assert!(units.iter().all(|u| u.kind == UnitKind::Block));
    }

    #[test]
    fn resolutions_have_preambular_and_operative_paragraphs() {
        SegmenterTester::new(
            "B Resolution adopted by the General Assembly
             B The General Assembly,
             B Recalling its resolution 60/1,
             B Noting with concern the situation in
             R 2/3
             =
             B the region,
             B 1. Decides to act;
             B 2. Requests the Secretary-General to report;
             B 3. Decides to remain seized of the matter.
             B 56th plenary meeting",
        )
        .mode(Mode::Resolution)
        .expect(&[
            "block #1: Resolution adopted by the General Assembly",
            "preambular #1: Recalling its resolution 60/1,",
            "preambular #2: Noting with concern the situation in the region,",
            "operative 1: Decides to act;",
            "operative 2: Requests the Secretary-General to report;",
            "operative 3: Decides to remain seized of the matter.",
        ]);
    }

    #[test]
    fn verbatim_records_have_speaker_turns() {
        let units = SegmenterTester::new(
            "B The meeting was called to order at 10 a.m.
             B The President: I welcome the members.
             B Mr. Smith (France) (spoke in French): France supports
             B the resolution.",
        )
        .mode(Mode::Verbatim)
        .expect(&[
            "block #1: The meeting was called to order at 10 a.m.",
            "speaker_turn #1 [The President]: I welcome the members.",
            "speaker_turn #2 [Mr. Smith (France)]: France supports the resolution.",
        ]);
        assert!(mode_found_structure(Mode::Verbatim, &units));
        assert!(!mode_found_structure(Mode::Resolution, &units));
    }

    #[test]
    fn unnumbered_blocks_join_broken_sentences_only() {
        SegmenterTester::new(
            "B A short note without numbers
             B that continues in lower case.
             B Another block.
             B The text is cut
             R page 2
             =
             B Geneva and more.
             B Last block.",
        )
        .expect(&[
            "block #1: A short note without numbers that continues in lower case.",
            "block #2: Another block.",
            "block #3: The text is cut Geneva and more.",
            "block #4: Last block.",
        ]);
    }

    #[test]
    fn four_digit_numbers_only_continue_the_numbering() {
        let doc = SegmenterTester::new(
            "B 998. A.
             B 999. B.
             B 1000. C.
             B 2015. The year.
             H Annex
             B 1. D.",
        )
        .doc();
        let numbers = paragraph_numbers(&doc.blocks);
        assert_eq!(
            numbers,
            [Some(998), Some(999), Some(1000), None, None, Some(1)]
        );
    }

    #[test]
    fn every_block_keeps_all_text() {
        let doc = SegmenterTester::new(
            "M UNITED NATIONS
             F ¹ A note.
             R -",
        )
        .doc();
        let shown: Vec<String> = every_block(&doc).iter().map(show).collect();
        assert_eq!(shown, ["block #1: UNITED NATIONS", "block #2: A note."]);
    }
}

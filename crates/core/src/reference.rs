//! Citations as people type them, parsed into something a program can resolve: the reverse of
//! [`crate::citation::cite`].
//!
//! Accepted, case-insensitive, with any spacing (the forms of the *United Nations Editorial
//! Manual* and what UN staff write in practice):
//!
//! - `A/79/875, para. 58`, `A/79/875 para 58`, `A/79/875, paragraph 58`, `A/79/875 ¶ 58`;
//! - a joint GA/SC symbol, `A/79/875-S/2025/248, para. 58` (either symbol alone names the same
//!   document: ST/DCS/4/Rev.1);
//! - a sub-paragraph, `A/79/875, para. 4 (a)` or `para. 4(a)`;
//! - a UPR Working Group recommendation, `A/HRC/59/15, para. 140.12`: paragraph 140,
//!   recommendation 12, which undex stores as one unit numbered "140.12";
//! - an operative paragraph of a resolution, `S/RES/2803 (2025), op. 3` (also `OP 3`,
//!   `operative para. 3`, `operative paragraph 3`), and a preambular one,
//!   `preambular para. 2`, counted in order since they are printed without numbers ("pp."
//!   is left to pages, as in bibliographies);
//! - an annex before the paragraph, `A/80/434-S/2025/632, annex, para. 3`,
//!   `annex I, para. 3`;
//! - a page, `S/PV.10011, p. 5` or `pp. 5-6` (verbatim records have no paragraph numbers);
//! - ranges and lists, `paras. 5-7`, `paras. 5–7`, `paras. 5, 7 and 9`: the **first**
//!   paragraph is the one resolved; the rest is kept in [`CitationRef::rest`].
//!
//! The parser never looks anything up: [`CitationRef::find`] picks the cited unit among the
//! rows of a document.

use std::fmt;
use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::document::UnitKind;
use crate::row::ParagraphRow;
use crate::symbol::{DocumentSymbol, joint_display, parse_joint};

/// Longest citation accepted by [`parse_citation`], in bytes. The longest real citation is a
/// joint symbol with an annex and a sub-paragraph, well under 100 bytes.
pub const MAX_CITATION_BYTES: usize = 200;

/// What a pinpoint points at: `paragraph` ("para. 58"), `operative` ("op. 3"), `preambular`
/// ("preambular para. 2") or `page` ("p. 5").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LocatorKind {
    /// A numbered paragraph ("para. 58", "para. 140.12", "para. 4 (a)").
    Paragraph,
    /// An operative paragraph of a resolution or decision ("op. 3").
    Operative,
    /// A preambular paragraph, by its place among the preambular paragraphs
    /// ("preambular para. 2").
    Preambular,
    /// A page ("p. 5"): the first unit that starts on it.
    Page,
}

impl LocatorKind {
    /// The pinpoint abbreviation: "para.", "op.", "preambular para.", "p.".
    #[must_use]
    pub fn abbreviation(self) -> &'static str {
        match self {
            LocatorKind::Paragraph => "para.",
            LocatorKind::Operative => "op.",
            LocatorKind::Preambular => "preambular para.",
            LocatorKind::Page => "p.",
        }
    }
}

/// A parsed citation: a document by symbol and a unit in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CitationRef {
    /// The document's symbols as typed, normalised (upper-case series, "Add."/"Corr."/"Rev."
    /// as printed): one, or two for a joint GA/SC symbol, in the order given.
    pub symbols: Vec<DocumentSymbol>,
    /// The annex named before the paragraph ("annex", "annex I"), lower-case word, numeral as
    /// typed in upper case.
    pub annex: Option<String>,
    /// What the number counts.
    pub kind: LocatorKind,
    /// The paragraph number as printed ("58", "140.12"), the operative paragraph number, the
    /// preambular paragraph's place (from 1), or the page.
    pub number: String,
    /// Sub-paragraph letter or roman numeral, lower-case, without parentheses ("a", "ii").
    pub sub: Option<String>,
    /// The rest of a range or list after the first number, as typed ("7" of "paras. 5-7",
    /// "7 and 9" of "paras. 5, 7 and 9"); only the first paragraph is resolved.
    pub rest: Option<String>,
}

impl CitationRef {
    /// The symbol as cited: the joint symbol when two were given ("A/79/875-S/2025/248").
    #[must_use]
    pub fn symbol(&self) -> String {
        joint_display(&self.symbols)
    }

    /// For a UPR recommendation number ("140.12"), the paragraph and the recommendation
    /// ("140", "12"); `None` for a plain number.
    #[must_use]
    pub fn recommendation(&self) -> Option<(&str, &str)> {
        match self.kind {
            LocatorKind::Paragraph => self.number.split_once('.'),
            _ => None,
        }
    }

    /// The pinpoint in the Editorial Manual's form: "para. 58", "annex I, para. 3",
    /// "para. 4 (a)", "op. 3", "preambular para. 2", "p. 5".
    #[must_use]
    pub fn pinpoint(&self) -> String {
        let mut out = String::new();
        if let Some(annex) = &self.annex {
            out.push_str(annex);
            out.push_str(", ");
        }
        out.push_str(self.kind.abbreviation());
        out.push(' ');
        out.push_str(&self.number);
        if let Some(sub) = &self.sub {
            out.push_str(&format!(" ({sub})"));
        }
        out
    }

    /// Whether `row` is the unit this citation points at (the annex aside: see
    /// [`CitationRef::find`]).
    fn matches(&self, row: &ParagraphRow) -> bool {
        let sub_matches = match (&self.sub, &row.sub) {
            (None, None) => true,
            (Some(a), Some(b)) => a.eq_ignore_ascii_case(b.trim()),
            _ => false,
        };
        let number_matches = row
            .number
            .as_deref()
            .is_some_and(|n| n.trim().trim_end_matches('.') == self.number);
        match self.kind {
            LocatorKind::Paragraph | LocatorKind::Operative => {
                number_matches
                    && sub_matches
                    && !matches!(row.kind, UnitKind::Preambular | UnitKind::SpeakerTurn)
            }
            LocatorKind::Preambular => {
                row.kind == UnitKind::Preambular
                    && row.ordinal.is_some_and(|o| o.to_string() == self.number)
            }
            LocatorKind::Page => row.page.to_string() == self.number,
        }
    }

    /// The unit this citation points at among `rows` (the rows of one document, in reading
    /// order), with a note when the match is not exact:
    ///
    /// - the annex must match when one is cited (case-insensitive); when none is cited, a unit
    ///   of the body is preferred, else the first one in an annex (noted, since the Editorial
    ///   Manual would name the annex);
    /// - "op. 3" prefers an operative paragraph, then any unit numbered 3 (noted);
    /// - "p. 5" is the first unit that starts on page 5.
    ///
    /// `None` when no unit matches.
    #[must_use]
    pub fn find<'a>(&self, rows: &'a [ParagraphRow]) -> Option<(&'a ParagraphRow, Option<String>)> {
        let same_annex = |row: &ParagraphRow| match (&self.annex, &row.annex) {
            (Some(a), Some(b)) => a.eq_ignore_ascii_case(b.trim()),
            (None, None) => true,
            _ => false,
        };
        let candidates: Vec<&ParagraphRow> = rows.iter().filter(|r| self.matches(r)).collect();
        let pick = |rows: &[&'a ParagraphRow]| -> Option<&'a ParagraphRow> {
            if self.kind == LocatorKind::Operative {
                rows.iter()
                    .find(|r| r.kind == UnitKind::Operative)
                    .or_else(|| rows.first())
                    .copied()
            } else {
                rows.first().copied()
            }
        };
        let in_place: Vec<&ParagraphRow> = candidates
            .iter()
            .copied()
            .filter(|r| same_annex(r))
            .collect();
        let (row, mut note) = match pick(&in_place) {
            Some(row) => (row, None),
            None if self.annex.is_none() => {
                let row = pick(&candidates)?;
                let where_ = row.annex.as_deref().unwrap_or("an annex").to_lowercase();
                (
                    row,
                    Some(format!(
                        "the document's body has no {}; found in {where_}",
                        self.pinpoint()
                    )),
                )
            }
            None => return None,
        };
        if self.kind == LocatorKind::Operative && row.kind != UnitKind::Operative {
            note = Some(format!(
                "undex did not read this document as a resolution; op. {} is its unit numbered {}",
                self.number, self.number
            ));
        }
        if let Some(rest) = &self.rest {
            let first = format!(
                "the citation names more than one paragraph (also {rest}); the first, {}, is resolved",
                self.pinpoint()
            );
            note = Some(match note {
                Some(n) => format!("{first}; {n}"),
                None => first,
            });
        }
        Some((row, note))
    }
}

impl fmt::Display for CitationRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}, {}", self.symbol(), self.pinpoint())
    }
}

/// Why a citation could not be parsed; each message says what was understood and what not.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CitationError {
    /// Nothing was given.
    #[error("empty citation: give a symbol and a paragraph, such as \"A/79/875, para. 58\"")]
    Empty,
    /// Longer than [`MAX_CITATION_BYTES`].
    #[error("citation too long: {len} bytes, at most {max}")]
    TooLong {
        /// Length given, in bytes.
        len: usize,
        /// [`MAX_CITATION_BYTES`].
        max: usize,
    },
    /// The text does not start with a UN document symbol.
    #[error(
        "no UN document symbol at the start of {text:?}: a citation starts with a symbol such as A/79/875 or S/RES/2803 (2025)"
    )]
    NoSymbol {
        /// The citation as given.
        text: String,
    },
    /// A symbol, but no paragraph after it.
    #[error(
        "understood the document {symbol} but no paragraph: add one, such as \"{symbol}, para. 1\" (or \"op. 1\" for a resolution)"
    )]
    NoPinpoint {
        /// The symbol understood.
        symbol: String,
    },
    /// A symbol, then something that is not a pinpoint.
    #[error(
        "understood the document {symbol} but not {rest:?}: write the paragraph as \"para. 58\", \"para. 4 (a)\", \"para. 140.12\", \"op. 3\", \"preambular para. 2\" or \"p. 5\""
    )]
    BadPinpoint {
        /// The symbol understood.
        symbol: String,
        /// The part after it that did not parse.
        rest: String,
    },
}

/// The symbol at the start: letters, digits and `/ . - *` up to a space or comma, and an SC
/// resolution year "(2025)" that may follow after a space.
static SYMBOL_HEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([A-Za-z][A-Za-z0-9/.\-*∗]*/[A-Za-z0-9/.\-*∗]*(?:\s*\(\s*\d{4}\s*\))?)")
        .expect("valid symbol head regex")
});

/// An annex before the pinpoint: "annex", "annex I", "annex 2", "enclosure".
static ANNEX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(annex|enclosure)(?:\s+([IVXLC]+|\d+|[A-Z])\b)?\s*,?\s*")
        .expect("valid annex regex")
});

/// The pinpoint: a marker, the first number, an optional sub-paragraph, and what follows
/// (a range or list).
static PINPOINT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^
        (?P<marker>
            preambular\s+para(?:graph)?s?\.?
          | operative\s+para(?:graph)?s?\.? | op\.?\s*para(?:graph)?s?\.? | ops?\.?
          | para(?:graph)?s?\.? | ¶¶? | §§?
          | pages?\.? | pp\.? | p\.?
        )
        \s*
        (?P<number>\d{1,5}(?:\.\d{1,4})?)
        (?:\s*\(\s*(?P<sub>[a-z]{1,2}|[ivxlc]{1,6})\s*\))?
        \s*(?P<rest>.*)$",
    )
    .expect("valid pinpoint regex")
});

/// What may follow the first number: a range ("-7", "– 7", "to 7") or a list (", 7 and 9").
static REST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:[-–—]|to\b|,|and\b|&|et\b)\s*(?P<rest>[0-9][0-9a-z().,\s\-–—&]*?)\s*\.?$")
        .expect("valid rest regex")
});

/// A symbol as typed, in the UN's case: series and elements upper-case, with the suffixes
/// printed in title case ("a/hrc/14/15/add.1" → "A/HRC/14/15/Add.1", "s/pv.10011" →
/// "S/PV.10011").
fn normalise_symbol_case(raw: &str) -> String {
    let upper = raw.to_uppercase();
    upper
        .split('/')
        .map(|part| {
            for (shout, printed) in [
                ("ADD.", "Add."),
                ("CORR.", "Corr."),
                ("REV.", "Rev."),
                ("AMEND.", "Amend."),
            ] {
                if let Some(rest) = part.strip_prefix(shout) {
                    return format!("{printed}{rest}");
                }
            }
            part.to_string()
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Splits a typed symbol into its symbols (one, or two for a joint GA/SC symbol), trying it
/// as typed and then in the UN's case.
fn parse_symbols(raw: &str) -> Option<Vec<DocumentSymbol>> {
    let raw = raw
        .trim()
        .trim_end_matches([',', ';', ':'])
        .replace("( ", "(")
        .replace(" )", ")");
    let raw = raw.as_str();
    parse_joint(raw)
        .ok()
        .or_else(|| parse_joint(&normalise_symbol_case(raw)).ok())
}

/// Parses a citation such as `A/79/875-S/2025/248, para. 76` (every accepted form is listed
/// in the [module documentation](self)).
///
/// # Errors
/// [`CitationError::Empty`], [`CitationError::TooLong`] (over [`MAX_CITATION_BYTES`]),
/// [`CitationError::NoSymbol`] when the text does not start with a UN document symbol,
/// [`CitationError::NoPinpoint`] when nothing follows the symbol, and
/// [`CitationError::BadPinpoint`] when what follows is not a pinpoint.
///
/// ```
/// use undex_core::reference::{LocatorKind, parse_citation};
/// let c = parse_citation("A/79/875-S/2025/248 para 58").unwrap();
/// assert_eq!(c.symbol(), "A/79/875-S/2025/248");
/// assert_eq!((c.kind, c.number.as_str()), (LocatorKind::Paragraph, "58"));
/// let r = parse_citation("s/res/2803 (2025), OP 3").unwrap();
/// assert_eq!(r.to_string(), "S/RES/2803 (2025), op. 3");
/// ```
pub fn parse_citation(text: &str) -> Result<CitationRef, CitationError> {
    if text.len() > MAX_CITATION_BYTES {
        return Err(CitationError::TooLong {
            len: text.len(),
            max: MAX_CITATION_BYTES,
        });
    }
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return Err(CitationError::Empty);
    }
    let no_symbol = || CitationError::NoSymbol { text: text.clone() };
    let head = SYMBOL_HEAD.captures(&text).ok_or_else(no_symbol)?;
    let head = head.get(1).ok_or_else(no_symbol)?;
    let symbols = parse_symbols(head.as_str()).ok_or_else(no_symbol)?;
    let symbol = joint_display(&symbols);
    let rest = text[head.end()..]
        .trim_start()
        .trim_start_matches([',', ';', ':'])
        .trim();
    if rest.is_empty() {
        return Err(CitationError::NoPinpoint { symbol });
    }
    let bad = |rest: &str| CitationError::BadPinpoint {
        symbol: symbol.clone(),
        rest: rest.to_string(),
    };
    let (annex, pin) = match ANNEX.captures(rest) {
        Some(c) => {
            let word = c[1].to_lowercase();
            let annex = match c.get(2) {
                Some(n) => format!("{word} {}", n.as_str().to_uppercase()),
                None => word,
            };
            (Some(annex), &rest[c.get(0).map_or(0, |m| m.end())..])
        }
        None => (None, rest),
    };
    if pin.is_empty() {
        return Err(CitationError::NoPinpoint { symbol });
    }
    let caps = PINPOINT.captures(pin).ok_or_else(|| bad(rest))?;
    let marker = caps["marker"].to_lowercase().replace(' ', "");
    let kind = if marker.starts_with("preambular") {
        LocatorKind::Preambular
    } else if marker.starts_with("op") {
        LocatorKind::Operative
    } else if marker.starts_with("para") || marker.starts_with('¶') || marker.starts_with('§') {
        LocatorKind::Paragraph
    } else {
        LocatorKind::Page
    };
    let number = caps["number"].to_string();
    if kind != LocatorKind::Paragraph && number.contains('.') {
        return Err(bad(rest));
    }
    let sub = caps.name("sub").map(|s| s.as_str().to_lowercase());
    let tail = caps["rest"].trim();
    let rest_of_list = if tail.is_empty() || tail == "." {
        None
    } else {
        let r = REST.captures(tail).ok_or_else(|| bad(rest))?;
        Some(r["rest"].trim().to_string())
    };
    Ok(CitationRef {
        symbols,
        annex,
        kind,
        number,
        sub,
        rest: rest_of_list,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> CitationRef {
        parse_citation(text).unwrap_or_else(|e| panic!("{text:?}: {e}"))
    }

    #[test]
    fn the_forms_un_staff_write() {
        for text in [
            "A/79/875, para. 58",
            "A/79/875 para 58",
            "A/79/875, paragraph 58",
            "A/79/875 ¶ 58",
            "A/79/875 ¶58",
            "a/79/875, PARA. 58",
            "  A/79/875 ,   para.   58  ",
            "A/79/875, para. 58.",
        ] {
            let c = parsed(text);
            assert_eq!(c.symbol(), "A/79/875", "{text}");
            assert_eq!(c.kind, LocatorKind::Paragraph, "{text}");
            assert_eq!(c.number, "58", "{text}");
            assert_eq!(c.sub, None, "{text}");
            assert_eq!(c.rest, None, "{text}");
            assert_eq!(c.to_string(), "A/79/875, para. 58");
        }
    }

    #[test]
    fn joint_symbols_keep_both_symbols() {
        let c = parsed("A/79/875-S/2025/248 para 58");
        assert_eq!(c.symbols.len(), 2);
        assert_eq!(c.symbols[1].as_str(), "S/2025/248");
        assert_eq!(c.symbol(), "A/79/875-S/2025/248");
        assert_eq!(c.to_string(), "A/79/875-S/2025/248, para. 58");
        let s = parsed("S/2025/248, para. 58");
        assert_eq!(s.symbol(), "S/2025/248");
    }

    #[test]
    fn upr_recommendations_are_paragraph_and_recommendation() {
        let c = parsed("A/HRC/59/15 para. 140.12");
        assert_eq!(c.symbol(), "A/HRC/59/15");
        assert_eq!(c.number, "140.12");
        assert_eq!(c.recommendation(), Some(("140", "12")));
        assert_eq!(parsed("A/79/875, para. 58").recommendation(), None);
    }

    #[test]
    fn operative_and_preambular_paragraphs_of_resolutions() {
        for text in [
            "S/RES/2803 (2025), op. 3",
            "S/RES/2803 (2025) OP 3",
            "S/RES/2803(2025), operative paragraph 3",
            "s/res/2803 (2025), op. para. 3",
        ] {
            let c = parsed(text);
            assert_eq!(c.symbol(), "S/RES/2803 (2025)", "{text}");
            assert_eq!(c.kind, LocatorKind::Operative, "{text}");
            assert_eq!(c.number, "3", "{text}");
        }
        let pp = parsed("A/RES/70/10, preambular para. 2");
        assert_eq!(
            (pp.kind, pp.number.as_str()),
            (LocatorKind::Preambular, "2")
        );
        assert_eq!(pp.to_string(), "A/RES/70/10, preambular para. 2");
        // "pp." is pages, as in bibliographies.
        assert_eq!(parsed("S/PV.10011, pp. 5-6").kind, LocatorKind::Page);
    }

    #[test]
    fn ranges_and_lists_resolve_the_first_paragraph() {
        for (text, rest) in [
            ("A/79/875, paras. 5-7", "7"),
            ("A/79/875, paras. 5–7", "7"),
            ("A/79/875, paras 5 - 7", "7"),
            ("A/79/875, paras. 5, 7 and 9", "7 and 9"),
            ("A/79/875, paras. 5 and 6", "6"),
        ] {
            let c = parsed(text);
            assert_eq!(c.number, "5", "{text}");
            assert_eq!(c.rest.as_deref(), Some(rest), "{text}");
        }
    }

    #[test]
    fn sub_paragraphs_annexes_and_pages() {
        let c = parsed("A/79/875, para. 4 (a)");
        assert_eq!((c.number.as_str(), c.sub.as_deref()), ("4", Some("a")));
        assert_eq!(parsed("A/79/875 para 4(ii)").sub.as_deref(), Some("ii"));
        let a = parsed("A/80/434-S/2025/632, annex, para. 3");
        assert_eq!(a.annex.as_deref(), Some("annex"));
        assert_eq!(a.to_string(), "A/80/434-S/2025/632, annex, para. 3");
        assert_eq!(
            parsed("A/80/434 Annex i, para 3").annex.as_deref(),
            Some("annex I")
        );
        let p = parsed("S/PV.10011, p. 5");
        assert_eq!((p.kind, p.number.as_str()), (LocatorKind::Page, "5"));
        assert_eq!(parsed("s/pv.10011 page 5").symbol(), "S/PV.10011");
        assert_eq!(
            parsed("a/hrc/14/15/add.1, para. 3").symbol(),
            "A/HRC/14/15/Add.1"
        );
    }

    #[test]
    fn errors_say_what_was_understood() {
        assert_eq!(parse_citation("   "), Err(CitationError::Empty));
        assert!(matches!(
            parse_citation(&"A/79/875, para. 5".repeat(20)),
            Err(CitationError::TooLong { .. })
        ));
        assert!(matches!(
            parse_citation("veto restraint"),
            Err(CitationError::NoSymbol { .. })
        ));
        assert!(matches!(
            parse_citation("para. 58"),
            Err(CitationError::NoSymbol { .. })
        ));
        let e = parse_citation("A/79/875").unwrap_err();
        assert_eq!(
            e,
            CitationError::NoPinpoint {
                symbol: "A/79/875".into()
            }
        );
        assert!(e.to_string().contains("A/79/875, para. 1"), "{e}");
        let e = parse_citation("A/79/875 veto").unwrap_err();
        assert_eq!(
            e,
            CitationError::BadPinpoint {
                symbol: "A/79/875".into(),
                rest: "veto".into()
            }
        );
        assert!(e.to_string().contains("understood the document A/79/875"));
        // A pinpoint followed by words is not a citation (the search box sends such queries
        // to the search).
        assert!(parse_citation("A/79/875 para 58 veto").is_err());
        assert!(parse_citation("A/79/875, op. 3.1").is_err());
    }

    fn row(number: Option<&str>, sub: Option<&str>, kind: UnitKind) -> ParagraphRow {
        let mut r: ParagraphRow = serde_json::from_value(serde_json::json!({
            "id": "x", "doc_id": "d", "symbol": null, "symbols": [], "language": "en",
            "kind": kind, "number": number, "sub": sub, "annex": null, "section": null,
            "section_path": [], "page": 1, "text": "", "footnote_refs": [], "footnotes": [],
            "speaker": null, "pillars": [], "risk_factors": [], "recommendation": false,
            "addressees": [], "verb": null, "recommending_states": [], "crimes": [],
            "countries": [], "cited": [], "evidence": [], "citation": "", "title": null,
            "date": null, "year": null, "bodies": [], "author": null, "doc_type": null,
            "ga_session": null, "sc_year": null, "hrc_session": null, "agenda_items": [],
            "parent_symbol": null, "source_file": "", "sha256": "", "position": 0
        }))
        .expect("row");
        r.id = format!("d~{}{}", number.unwrap_or("-"), sub.unwrap_or(""));
        r
    }

    #[test]
    fn find_picks_the_unit() {
        let rows = vec![
            row(Some("4"), None, UnitKind::Chapeau),
            row(Some("4"), Some("a"), UnitKind::Subparagraph),
            row(Some("140.12"), None, UnitKind::UprRecommendation),
        ];
        let (r, note) = parsed("A/1/2, para. 4").find(&rows).unwrap();
        assert_eq!((r.id.as_str(), note), ("d~4", None));
        let (r, _) = parsed("A/1/2, para. 4 (A)").find(&rows).unwrap();
        assert_eq!(r.id, "d~4a");
        let (r, _) = parsed("A/1/2, para. 140.12").find(&rows).unwrap();
        assert_eq!(r.id, "d~140.12");
        let (_, note) = parsed("A/1/2, paras. 4-6").find(&rows).unwrap();
        assert!(note.unwrap().contains("the first, para. 4, is resolved"));
        assert!(parsed("A/1/2, para. 999").find(&rows).is_none());
        assert!(parsed("A/1/2, annex, para. 4").find(&rows).is_none());
    }
}

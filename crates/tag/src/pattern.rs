//! Compiled patterns with an ASCII word-boundary twin.
//!
//! The regex crate's `\b` is Unicode-aware: its lazy DFA cannot decide it past a non-ASCII
//! byte and hands the search to a slower engine, and it rules out some of its fastest search
//! strategies. Yet a Unicode word boundary and an ASCII one (`(?-u:\b)`) fall at the same
//! places in any text whose non-ASCII characters are all non-word characters (typographic
//! quotes, dashes, no-break spaces; not "é" or "ü"), which is nearly every paragraph of an
//! English UN report. So each pattern is compiled twice, as written and with every Unicode
//! word-boundary assertion made ASCII, and [`Re::get`] picks the twin only for a text that
//! [`ascii_words`] clears. The twin is built from the pattern's syntax tree and kept only if
//! it prints and parses back to that same tree, so it differs from the original in nothing
//! but its word boundaries; `\w` and every other class stay Unicode.

use regex::{Regex, RegexBuilder};
use regex_syntax::ParserBuilder;
use regex_syntax::hir::{Capture, Hir, HirKind, Look, Repetition};

use crate::error::TagError;
use crate::prefilter::Window;

/// Whether Unicode and ASCII word boundaries agree everywhere in `text`: true when no
/// character of it outside ASCII is a word character.
pub(crate) fn ascii_words(text: &str) -> bool {
    text.is_ascii()
        || !text.chars().any(|c| {
            !c.is_ascii()
                && (regex_syntax::try_is_word_character(c).unwrap_or(true) || c.is_alphanumeric())
        })
}

/// A compiled pattern and, when it has Unicode word boundaries, its ASCII-boundary twin.
#[derive(Debug)]
pub(crate) struct Re {
    unicode: Regex,
    ascii: Option<Regex>,
    case_insensitive: bool,
}

impl Re {
    /// Compiles `pattern` (case-insensitively when asked) and its twin; `file` and `id` name
    /// it in errors.
    pub(crate) fn new(
        file: &'static str,
        id: &str,
        pattern: &str,
        case_insensitive: bool,
    ) -> Result<Re, TagError> {
        let unicode = RegexBuilder::new(pattern)
            .case_insensitive(case_insensitive)
            .build()
            .map_err(|e| TagError::Pattern {
                file,
                id: id.to_string(),
                message: e.to_string(),
            })?;
        Ok(Re {
            ascii: ascii_twin(pattern, case_insensitive),
            unicode,
            case_insensitive,
        })
    }

    /// The pattern to run on a text for which [`ascii_words`] gave `ascii`.
    pub(crate) fn get(&self, ascii: bool) -> &Regex {
        match (&self.ascii, ascii) {
            (Some(twin), true) => twin,
            _ => &self.unicode,
        }
    }

    /// The pattern as written.
    pub(crate) fn unicode(&self) -> &Regex {
        &self.unicode
    }

    /// The source pattern and whether it is compiled case-insensitively (for a prefilter).
    pub(crate) fn source(&self) -> (&str, bool) {
        (self.unicode.as_str(), self.case_insensitive)
    }

    /// The matches `find_iter` gives on `text` (the twin picked by `ascii`), searching only
    /// the `window` where they can start (see [`Window`]).
    pub(crate) fn find_in<'r, 't>(
        &'r self,
        text: &'t str,
        ascii: bool,
        window: Window,
    ) -> FindIn<'r, 't> {
        let re = self.get(ascii);
        if window == Window::ALL {
            FindIn::All(re.find_iter(text))
        } else {
            FindIn::Window {
                re,
                text,
                at: window.first,
                last: window.last,
            }
        }
    }
}

/// The matches of a pattern in a window (see [`Re::find_in`]).
pub(crate) enum FindIn<'r, 't> {
    /// Over the whole text.
    All(regex::Matches<'r, 't>),
    /// From `at`, while a match can still start. Only patterns with a required literal get a
    /// window, and they never match the empty string, so each search starts where the
    /// previous match ended, as `find_iter` does.
    Window {
        re: &'r Regex,
        text: &'t str,
        at: usize,
        last: usize,
    },
}

impl<'t> Iterator for FindIn<'_, 't> {
    type Item = regex::Match<'t>;

    fn next(&mut self) -> Option<regex::Match<'t>> {
        match self {
            FindIn::All(it) => it.next(),
            FindIn::Window { re, text, at, last } => {
                if *at > text.len() || *at > *last {
                    return None;
                }
                let m = re.find_at(text, *at)?;
                // A pattern with a required literal has no empty match; were there one,
                // stop rather than loop.
                *at = if m.is_empty() {
                    text.len() + 1
                } else {
                    m.end()
                };
                Some(m)
            }
        }
    }
}

/// The pattern with ASCII word boundaries, or `None` when it has no Unicode word boundary or
/// the twin would not be exactly the same tree otherwise.
fn ascii_twin(pattern: &str, case_insensitive: bool) -> Option<Regex> {
    let hir = ParserBuilder::new()
        .case_insensitive(case_insensitive)
        .build()
        .parse(pattern)
        .ok()?;
    let twin = to_ascii_boundaries(&hir);
    if twin == hir {
        return None;
    }
    // The printed tree has its case folding spelled out in classes: parse it with default
    // flags, and use it only if it reads back as the very same tree.
    let printed = twin.to_string();
    let reparsed = ParserBuilder::new().build().parse(&printed).ok()?;
    if reparsed != twin {
        return None;
    }
    Regex::new(&printed).ok()
}

/// `hir` with every Unicode word-boundary assertion replaced by its ASCII counterpart.
fn to_ascii_boundaries(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Look(look) => Hir::look(match look {
            Look::WordUnicode => Look::WordAscii,
            Look::WordUnicodeNegate => Look::WordAsciiNegate,
            Look::WordStartUnicode => Look::WordStartAscii,
            Look::WordEndUnicode => Look::WordEndAscii,
            Look::WordStartHalfUnicode => Look::WordStartHalfAscii,
            Look::WordEndHalfUnicode => Look::WordEndHalfAscii,
            other => *other,
        }),
        HirKind::Repetition(r) => Hir::repetition(Repetition {
            min: r.min,
            max: r.max,
            greedy: r.greedy,
            sub: Box::new(to_ascii_boundaries(&r.sub)),
        }),
        HirKind::Capture(c) => Hir::capture(Capture {
            index: c.index,
            name: c.name.clone(),
            sub: Box::new(to_ascii_boundaries(&c.sub)),
        }),
        HirKind::Concat(hs) => Hir::concat(hs.iter().map(to_ascii_boundaries).collect()),
        HirKind::Alternation(hs) => Hir::alternation(hs.iter().map(to_ascii_boundaries).collect()),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) => hir.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twins_differ_only_in_word_boundaries() {
        let re = Re::new(
            "t",
            "t",
            r"\b(?:coup d'(?:état|etat))\b|\bthe (?-i:Council)\b",
            true,
        )
        .unwrap();
        let twin = re.get(true);
        assert!(twin.as_str().contains(r"(?-u:\b)"), "{}", twin.as_str());
        for text in [
            "a coup d'État here",
            "the council",
            "the Council met",
            "THE Council",
        ] {
            let a: Vec<_> = re.unicode().find_iter(text).map(|m| m.range()).collect();
            let b: Vec<_> = twin.find_iter(text).map(|m| m.range()).collect();
            assert_eq!(a, b, "{text}");
        }
        // No word boundary, no twin.
        let plain = Re::new("t", "t", "war crimes", true).unwrap();
        assert!(std::ptr::eq(plain.get(true), plain.unicode()));
        // Captures keep their names.
        let named = Re::new("t", "t", r"\bI (?P<v>urge)\b", false).unwrap();
        let c = named.get(true).captures("I urge you").unwrap();
        assert_eq!(c.name("v").unwrap().as_str(), "urge");
    }

    #[test]
    fn non_ascii_word_characters_keep_unicode_boundaries() {
        assert!(ascii_words("plain text"));
        assert!(ascii_words("“quoted” – and ’tis\u{a0}so"));
        assert!(!ascii_words("Côte d'Ivoire"));
        assert!(!ascii_words("État"));
        // Where they differ: "tat" is a word in "État" only with ASCII boundaries.
        let re = Re::new("t", "t", r"\btat\b", true).unwrap();
        assert!(re.get(true).is_match("État"));
        assert!(!re.get(ascii_words("État")).is_match("État"));
    }
}

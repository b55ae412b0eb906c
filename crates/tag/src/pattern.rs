//! Compiled patterns with simpler twins for simpler texts.
//!
//! The regex crate's `\b` and `\w` are Unicode-aware: the lazy DFA cannot decide a Unicode
//! `\b` past a non-ASCII byte and hands the search to a slower engine, some of the fastest
//! search strategies are ruled out, and Unicode classes make the automata large (hundreds of
//! patterns run on every paragraph, and their automata compete for the processor's caches).
//! Yet most paragraphs do not need any of it:
//! - in a text whose non-ASCII characters are all non-word characters (typographic quotes,
//!   dashes, no-break spaces; not "é" or "ü"), a Unicode word boundary and an ASCII one
//!   (`(?-u:\b)`) fall at the same places;
//! - in a text that is all ASCII (nearly every extracted paragraph), moreover, a class
//!   matches the same characters as its ASCII part.
//!
//! So each pattern has, besides itself, a twin with ASCII word boundaries and a twin with
//! ASCII word boundaries and classes cut to ASCII, and [`Re::get`] picks the one that the
//! text's [`TextKind`] allows. A twin is built from the pattern's syntax tree and kept only if
//! it prints and parses back to that same tree, so it differs from the pattern in nothing
//! else; it is compiled the first time a text needs it.

use std::sync::OnceLock;

use regex::{Regex, RegexBuilder};
use regex_syntax::ParserBuilder;
use regex_syntax::hir::{
    Capture, Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Look, Repetition,
};

use crate::error::TagError;
use crate::prefilter::Window;

/// What a text's characters allow a pattern to simplify.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextKind {
    /// All ASCII: ASCII word boundaries, classes cut to ASCII.
    Ascii,
    /// No non-ASCII word character: ASCII word boundaries.
    AsciiWords,
    /// Anything else: the pattern as written.
    Unicode,
}

impl TextKind {
    /// The kind of `text`.
    pub(crate) fn of(text: &str) -> TextKind {
        if text.is_ascii() {
            TextKind::Ascii
        } else if text.chars().any(|c| {
            !c.is_ascii()
                && (regex_syntax::try_is_word_character(c).unwrap_or(true) || c.is_alphanumeric())
        }) {
            TextKind::Unicode
        } else {
            TextKind::AsciiWords
        }
    }
}

/// Bytes of lazy-DFA cache each cue pattern may hold per thread: 2 MiB, the regex crate's
/// default. The cache grows only as the DFA meets new states, so most cue patterns hold far
/// less; a few (a verb, up to four or six words, a noun: `(?:\w+ ){0,4}`) build states on
/// every new paragraph, and in a smaller cache they keep clearing it, rebuilding states and
/// handing searches to the slower NFA engines. History: capped at 64 KiB when a long ingest
/// grew with over a thousand caches at the default (32a89cc); raised to 256 KiB when the
/// caches thrashed on the scale benchmark's long paragraphs (ebdb78b); back to 2 MiB when
/// counted instructions showed the thrash growing with the ingest: on 49,531 paragraphs of
/// the 100k corpus (`valgrind --tool=callgrind undex ingest`), 62.95 billion instructions at
/// 256 KiB, 62.37 at 1 MiB, 60.75 at 2 MiB (−3.5%), 60.45 at 4 MiB; the 1M ingest's peak
/// memory rose by 46–58 MB (825–852 → 883–895 MB; docs/performance.md, session 19).
const DFA_CACHE_BYTES: usize = 2 * 1024 * 1024;

/// Bytes of lazy-DFA cache per thread for a pattern that is a whole lexicon in one
/// alternation (every country name): its DFA has thousands of states, and in a cache of
/// [`DFA_CACHE_BYTES`] the regex crate keeps clearing it, gives up and runs its slower NFA
/// engines instead (a tenth of an ingest's time went there).
pub(crate) const LEXICON_DFA_CACHE_BYTES: usize = 4 * 1024 * 1024;

/// A compiled pattern and its twins (see the module docs).
#[derive(Debug)]
pub(crate) struct Re {
    unicode: Regex,
    case_insensitive: bool,
    /// Lazy-DFA cache bytes per thread, of the pattern and of its twins.
    cache_bytes: usize,
    /// ASCII word boundaries; `None` when no different twin can be had.
    ascii_words: OnceLock<Option<Regex>>,
    /// ASCII word boundaries and classes.
    ascii: OnceLock<Option<Regex>>,
}

impl Re {
    /// Compiles `pattern` (case-insensitively when asked); `file` and `id` name it in errors.
    pub(crate) fn new(
        file: &'static str,
        id: &str,
        pattern: &str,
        case_insensitive: bool,
    ) -> Result<Re, TagError> {
        Re::with_cache(file, id, pattern, case_insensitive, DFA_CACHE_BYTES)
    }

    /// [`Re::new`] with `cache_bytes` of lazy-DFA cache per thread instead of
    /// [`DFA_CACHE_BYTES`] (see [`LEXICON_DFA_CACHE_BYTES`]).
    pub(crate) fn with_cache(
        file: &'static str,
        id: &str,
        pattern: &str,
        case_insensitive: bool,
        cache_bytes: usize,
    ) -> Result<Re, TagError> {
        let unicode = RegexBuilder::new(pattern)
            .case_insensitive(case_insensitive)
            .dfa_size_limit(cache_bytes)
            .build()
            .map_err(|source| TagError::Pattern {
                file,
                id: id.to_string(),
                source,
            })?;
        Ok(Re {
            unicode,
            case_insensitive,
            cache_bytes,
            ascii_words: OnceLock::new(),
            ascii: OnceLock::new(),
        })
    }

    /// The pattern to run on a text of `kind`.
    pub(crate) fn get(&self, kind: TextKind) -> &Regex {
        let twin = match kind {
            TextKind::Unicode => None,
            TextKind::AsciiWords => self
                .ascii_words
                .get_or_init(|| self.twin(TextKind::AsciiWords))
                .as_ref(),
            TextKind::Ascii => self
                .ascii
                .get_or_init(|| self.twin(TextKind::Ascii))
                .as_ref(),
        };
        twin.unwrap_or(&self.unicode)
    }

    /// The pattern as written.
    pub(crate) fn unicode(&self) -> &Regex {
        &self.unicode
    }

    /// The source pattern and whether it is compiled case-insensitively (for a prefilter).
    pub(crate) fn source(&self) -> (&str, bool) {
        (self.unicode.as_str(), self.case_insensitive)
    }

    /// The twin for texts of `kind`, or `None` when it would be the pattern itself or would
    /// not read back as the same tree.
    fn twin(&self, kind: TextKind) -> Option<Regex> {
        let hir = ParserBuilder::new()
            .case_insensitive(self.case_insensitive)
            .build()
            .parse(self.unicode.as_str())
            .ok()?;
        let twin = simplified(&hir, kind == TextKind::Ascii);
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
        RegexBuilder::new(&printed)
            .dfa_size_limit(self.cache_bytes)
            .build()
            .ok()
    }

    /// The matches `find_iter` gives on `text` (of `kind`), searching only the `window`
    /// where they can start (see [`Window`]).
    pub(crate) fn find_in<'r, 't>(
        &'r self,
        text: &'t str,
        kind: TextKind,
        window: Window,
    ) -> FindIn<'r, 't> {
        let re = self.get(kind);
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

/// `hir` with every Unicode word-boundary assertion replaced by its ASCII counterpart and,
/// when `ascii_classes`, every class cut to its ASCII part.
fn simplified(hir: &Hir, ascii_classes: bool) -> Hir {
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
        HirKind::Class(Class::Unicode(c)) if ascii_classes => {
            let mut ascii = ClassUnicode::new([ClassUnicodeRange::new('\0', '\x7F')]);
            ascii.intersect(c);
            Hir::class(Class::Unicode(ascii))
        }
        HirKind::Repetition(r) => Hir::repetition(Repetition {
            min: r.min,
            max: r.max,
            greedy: r.greedy,
            sub: Box::new(simplified(&r.sub, ascii_classes)),
        }),
        HirKind::Capture(c) => Hir::capture(Capture {
            index: c.index,
            name: c.name.clone(),
            sub: Box::new(simplified(&c.sub, ascii_classes)),
        }),
        HirKind::Concat(hs) => {
            Hir::concat(hs.iter().map(|h| simplified(h, ascii_classes)).collect())
        }
        HirKind::Alternation(hs) => {
            Hir::alternation(hs.iter().map(|h| simplified(h, ascii_classes)).collect())
        }
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) => hir.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(re: &Regex, text: &str) -> Vec<std::ops::Range<usize>> {
        re.find_iter(text).map(|m| m.range()).collect()
    }

    #[test]
    fn twins_differ_only_where_the_text_cannot_tell() {
        let re = Re::new(
            "t",
            "t",
            r"\b(?:coup d'(?:état|etat))\b|\bthe (?-i:Council)\b|\bkill\w*",
            true,
        )
        .unwrap();
        let words = re.get(TextKind::AsciiWords);
        assert!(words.as_str().contains(r"(?-u:\b)"), "{}", words.as_str());
        let ascii = re.get(TextKind::Ascii);
        assert!(!ascii.as_str().contains('\u{212A}'), "{}", ascii.as_str());
        for text in [
            "a coup d'État here",
            "the council",
            "the Council met",
            "THE Council",
            "killings – “killed”",
        ] {
            assert_eq!(spans(re.unicode(), text), spans(words, text), "{text}");
            if text.is_ascii() {
                assert_eq!(spans(re.unicode(), text), spans(ascii, text), "{text}");
            }
        }
        // No word boundary and no class: no twin.
        let plain = Re::new("t", "t", "war crimes", false).unwrap();
        assert!(std::ptr::eq(plain.get(TextKind::Ascii), plain.unicode()));
        // Captures keep their names.
        let named = Re::new("t", "t", r"\bI (?P<v>urge)\b", false).unwrap();
        let c = named.get(TextKind::Ascii).captures("I urge you").unwrap();
        assert_eq!(c.name("v").unwrap().as_str(), "urge");
    }

    #[test]
    fn text_kinds() {
        assert_eq!(TextKind::of("plain text"), TextKind::Ascii);
        assert_eq!(
            TextKind::of("“quoted” – and ’tis\u{a0}so"),
            TextKind::AsciiWords
        );
        assert_eq!(TextKind::of("Côte d'Ivoire"), TextKind::Unicode);
        assert_eq!(TextKind::of("État"), TextKind::Unicode);
        // Where they differ: "tat" is a word in "État" only with ASCII boundaries.
        let re = Re::new("t", "t", r"\btat\b", true).unwrap();
        assert!(re.get(TextKind::AsciiWords).is_match("État"));
        assert!(!re.get(TextKind::of("État")).is_match("État"));
    }
}

//! Text repair when lines are joined: ligatures, soft hyphens, line-end hyphenation, NFC.

use std::collections::HashSet;

use unicode_normalization::UnicodeNormalization;

/// Expands typographic ligatures (U+FB00–U+FB06) and drops soft hyphens inside a line.
pub(crate) fn clean_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            'ﬀ' => out.push_str("ff"),
            'ﬁ' => out.push_str("fi"),
            'ﬂ' => out.push_str("fl"),
            'ﬃ' => out.push_str("ffi"),
            'ﬄ' => out.push_str("ffl"),
            'ﬅ' | 'ﬆ' => out.push_str("st"),
            '\u{ad}' => {}
            '\u{a0}' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// The document's vocabulary: lower-cased words (letters and inner hyphens), used to decide
/// whether a line-end hyphen belongs to the word.
#[derive(Debug, Default)]
pub(crate) struct Vocabulary {
    words: HashSet<String>,
}

impl Vocabulary {
    /// Collects the words of the given lines. A word broken at a line end is seen only in
    /// its pieces, so the whole word counts only where it is printed unbroken elsewhere.
    pub fn from_lines<'a>(lines: impl Iterator<Item = &'a str>) -> Vocabulary {
        let mut words = HashSet::new();
        for line in lines {
            for w in line.split(|c: char| !(c.is_alphabetic() || c == '-')) {
                let w = w.trim_matches('-');
                if w.chars().count() >= 2 {
                    words.insert(w.to_lowercase());
                }
            }
        }
        Vocabulary { words }
    }

    fn contains(&self, w: &str) -> bool {
        self.words.contains(&w.to_lowercase())
    }
}

/// Joins `next` onto `acc` (a block's text so far) with a space, repairing line-end
/// hyphenation: "prev-" + "ention" becomes "prevention" only when the document prints
/// "prevention" elsewhere and not "prev-ention"; otherwise the hyphen is kept
/// ("non-" + "State" → "non-State"). A trailing soft hyphen always joins.
pub(crate) fn join_line(acc: &mut String, next: &str, vocab: &Vocabulary) {
    let next = next.trim();
    if next.is_empty() {
        return;
    }
    if acc.is_empty() {
        acc.push_str(next);
        return;
    }
    if acc.ends_with('\u{ad}') {
        acc.pop();
        acc.push_str(next);
        return;
    }
    if acc.ends_with('-') && !acc.ends_with("--") {
        let head_start = acc[..acc.len() - 1]
            .rfind(|c: char| !c.is_alphabetic())
            .map_or(0, |i| i + acc[i..].chars().next().map_or(1, char::len_utf8));
        let head = &acc[head_start..acc.len() - 1];
        let tail: String = next.chars().take_while(|c| c.is_alphabetic()).collect();
        let tail_lower = tail.chars().next().is_some_and(char::is_lowercase);
        if !head.is_empty() && !tail.is_empty() && tail_lower {
            let joined = format!("{head}{tail}");
            let hyphenated = format!("{head}-{tail}");
            if vocab.contains(&joined) && !vocab.contains(&hyphenated) {
                acc.pop();
                acc.push_str(next);
                return;
            }
        }
        // A real hyphen ("non-State", "long-term") or an unknown word: keep the hyphen, no space.
        if !head.is_empty() && next.chars().next().is_some_and(char::is_alphanumeric) {
            acc.push_str(next);
            return;
        }
    }
    acc.push(' ');
    acc.push_str(next);
}

/// NFC-normalises and collapses runs of spaces.
pub(crate) fn finish(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.nfc() {
        if c == ' ' {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hyphen_joins_only_known_words() {
        let vocab =
            Vocabulary::from_lines(["prevention of crimes by non-State actors"].into_iter());
        let mut s = "early prev-".to_string();
        join_line(&mut s, "ention works", &vocab);
        assert_eq!(s, "early prevention works");
        let mut s = "by non-".to_string();
        join_line(&mut s, "State actors", &vocab);
        assert_eq!(s, "by non-State actors");
        let mut s = "a long-".to_string();
        join_line(&mut s, "term plan", &vocab);
        assert_eq!(s, "a long-term plan");
    }

    #[test]
    fn ligatures_and_soft_hyphens() {
        assert_eq!(clean_line("ﬁrst ef\u{ad}fort"), "first effort");
    }
}

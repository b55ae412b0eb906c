//! Sentence and clause splitting, quote masking: the small text utilities the rules share.

/// Abbreviations after which a full stop does not end a sentence (UN Editorial Manual usage:
/// "para.", "paras.", "No.", "e.g.", "i.e.", "Mr.", "Corr.", "Add.", "Rev.", "Vol.").
const ABBREVIATIONS: &[&str] = &[
    "para", "paras", "no", "nos", "e.g", "i.e", "mr", "ms", "mrs", "dr", "art", "arts", "vol", "p",
    "pp", "cf", "etc", "st", "corr", "add", "rev", "amend", "sect", "chap", "fig", "op", "u.s",
    "jr", "sr", "v", "vs", "ibid", "inc", "ltd", "co",
];

/// Byte ranges `[start, end)` of the sentences of `text`, trimmed, in order. A sentence ends
/// at ".", "!", "?" or ";" followed by whitespace and a character that can start a sentence, or
/// at the end of the text; a full stop after a known abbreviation does not end one.
#[must_use]
pub fn sentences(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    // The four marks are ASCII: a byte scan finds them (UTF-8 never reuses ASCII bytes).
    let marks = text
        .bytes()
        .enumerate()
        .filter(|&(_, b)| matches!(b, b'.' | b'!' | b'?' | b';'));
    for (i, c) in marks {
        let end = i + 1;
        let rest = &text[end..];
        if !rest.chars().next().is_none_or(char::is_whitespace) {
            continue;
        }
        if c == b'.' {
            // The word before the full stop; the boundary may be a multi-byte space.
            let word_start = text[..i]
                .char_indices()
                .rev()
                .find(|&(_, ch)| ch.is_whitespace() || ch == '(')
                .map_or(0, |(p, ch)| p + ch.len_utf8());
            if is_abbreviation(&text[word_start..i]) {
                continue;
            }
            // "... 4. The" is still a sentence end, but "resolution 60/1. 2" rarely matters;
            // a following lower-case letter means the sentence goes on ("approx. two").
            let following = rest.chars().find(|ch| !ch.is_whitespace());
            if following.is_some_and(char::is_lowercase) {
                continue;
            }
        }
        push_trimmed(text, start, end, &mut out);
        start = end;
    }
    push_trimmed(text, start, text.len(), &mut out);
    out
}

/// Whether `word` (before a full stop) is one of [`ABBREVIATIONS`], in any case.
fn is_abbreviation(word: &str) -> bool {
    if word.is_ascii() {
        ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word))
    } else {
        // A non-ASCII letter may lower-case to an ASCII one (KELVIN SIGN to "k").
        ABBREVIATIONS.contains(&word.to_lowercase().as_str())
    }
}

fn push_trimmed(text: &str, start: usize, end: usize, out: &mut Vec<(usize, usize)>) {
    let slice = &text[start..end];
    let lead = slice.len() - slice.trim_start().len();
    let trail = slice.len() - slice.trim_end().len();
    if start + lead < end - trail {
        out.push((start + lead, end - trail));
    }
}

/// `text` with the inside of every quotation ("…" or “…”) replaced by spaces of the same byte
/// length, so that byte offsets stay valid while quoted words no longer match any rule.
/// An unclosed quotation is left as is.
#[must_use]
pub fn mask_quotes(text: &str) -> String {
    mask_between(text, &[('“', '”'), ('"', '"')])
}

/// `text` with the inside of every pair of `marks` (opening, closing) replaced by spaces of
/// the same byte length, as [`mask_quotes`] does for "…" and “…”; an unclosed mark is left
/// as is.
#[must_use]
pub fn mask_between(text: &str, marks: &[(char, char)]) -> String {
    if !marks.iter().any(|(open, _)| text.contains(*open)) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut open: Option<(usize, char)> = None;
    let mut last = 0;
    for (i, c) in text.char_indices() {
        match open {
            None => {
                if let Some((_, close)) = marks.iter().find(|(o, _)| *o == c) {
                    open = Some((i + c.len_utf8(), *close));
                }
            }
            Some((s, close)) if c == close => {
                out.push_str(&text[last..s]);
                out.extend(std::iter::repeat_n(' ', i - s));
                last = i;
                open = None;
            }
            Some(_) => {}
        }
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_sentences_but_not_after_para_abbreviation() {
        // 2026 footnote 42 and para. 28 wording.
        let t = "See A/79/875-S/2025/248, paras. 46–53. Permanent Members of the Security Council have been encouraged to exercise restraint. Where the Security Council is unable to act, the General Assembly may consider options.";
        let s: Vec<&str> = sentences(t).iter().map(|&(a, b)| &t[a..b]).collect();
        assert_eq!(s.len(), 3, "{s:?}");
        assert!(s[0].ends_with("46–53."));
        assert!(s[2].starts_with("Where"));
    }

    #[test]
    fn semicolons_split_list_items() {
        let t = "69.1 Ratify the Convention (Argentina); 69.2 Adopt a law (Chile);";
        assert_eq!(sentences(t).len(), 2);
    }

    #[test]
    fn a_no_break_space_before_a_full_stop_word_is_a_boundary() {
        // "para." after U+00A0: an abbreviation, so one sentence (this used to panic).
        let t = "see\u{a0}para. 4 of the report. Then more.";
        let s: Vec<&str> = sentences(t).iter().map(|&(a, b)| &t[a..b]).collect();
        assert_eq!(s, ["see\u{a0}para. 4 of the report.", "Then more."]);
    }

    #[test]
    fn guillemets_are_masked_keeping_offsets() {
        let t = "Le Conseil a déclaré « les États devraient agir » (A/HRC/7/1).";
        let m = mask_between(t, &[('«', '»')]);
        assert_eq!(m.len(), t.len());
        assert!(!m.contains("devraient"));
        assert!(m.starts_with("Le Conseil a déclaré «") && m.ends_with("» (A/HRC/7/1)."));
        assert_eq!(mask_between("« non fermé", &[('«', '»')]), "« non fermé");
    }

    #[test]
    fn quotes_are_masked_keeping_offsets() {
        let t = "the concept of “responsibility while protecting”, in an effort";
        let m = mask_quotes(t);
        assert_eq!(m.len(), t.len());
        assert!(!m.contains("protecting"));
        assert!(m.ends_with("in an effort"));
        assert_eq!(mask_quotes("an \"unclosed quote"), "an \"unclosed quote");
    }
}

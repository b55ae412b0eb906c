//! The stored form of a row: its JSON without what can be rebuilt exactly on reading.
//!
//! The document store holds one JSON object per row. Two things in a row repeat what the
//! row already holds, and are left out of the stored JSON (a tenth of its bytes on the 2026
//! report, an eighth on the scale benchmark):
//! - the words of each piece of tag evidence, when they are exactly `text[start..end]` of the
//!   row (always, for evidence the tagger found in the paragraph itself);
//! - members whose value is null (optional members, which read back as null when absent).
//!
//! [`decode`] puts both back, so a row reads back equal to the row written
//! (`decode(&encode(row)?, Parts::Whole)? == row`); rows stored whole by earlier versions read as they are.
//!
//! Reading is on the path of every search hit, so [`decode`] parses the JSON straight into
//! the row and fills each empty `text` of evidence from its span. The one row that rule would
//! read wrongly (evidence whose words are empty while its span is not) is stored whole behind
//! a leading `"whole"` member and read as written.

use undex_core::ParagraphRow;

/// The stored JSON of `row` (see the module docs).
///
/// # Errors
/// Only if the row cannot be serialised (it always can: every member is plain data).
pub(crate) fn encode(row: &ParagraphRow) -> Result<String, serde_json::Error> {
    // A copy, since the stored form empties some of the evidence's words.
    encode_taking(&mut row.clone())
}

/// [`encode`] for a row the caller drops next: the stored form is written from the row
/// itself, without the copy [`encode`] makes (3% of a reindex's CPU went to copying and
/// dropping rows). Leaves in `row` the stored form's evidence: the words that repeat the
/// paragraph's text are emptied; nothing else changes.
///
/// # Errors
/// As [`encode`].
pub(crate) fn encode_taking(row: &mut ParagraphRow) -> Result<String, serde_json::Error> {
    let ambiguous = row.evidence.iter().any(|e| {
        e.evidence.text.is_empty()
            && row
                .text
                .get(e.evidence.start..e.evidence.end)
                .is_some_and(|s| !s.is_empty())
    });
    if ambiguous {
        let whole = serde_json::to_string(row)?;
        return Ok(format!("{WHOLE}{}", &whole[1..]));
    }
    // Serialised straight from the row (a JSON value tree cost a sixth of a reindex's CPU),
    // its evidence words that repeat the text emptied (empty words are not written), nulls
    // dropped by `drop_nulls`.
    let text = &row.text;
    for e in row.evidence.iter_mut().map(|e| &mut e.evidence) {
        if text.get(e.start..e.end) == Some(e.text.as_str()) {
            e.text.clear();
        }
    }
    Ok(drop_nulls(&serde_json::to_string(row)?))
}

/// `json`, one compact JSON object as serde_json writes it (no whitespace), without its
/// top-level members whose value is null. Nested objects are copied as they are.
fn drop_nulls(json: &str) -> String {
    let b = json.as_bytes();
    let mut out = String::with_capacity(json.len());
    // `json[copied..]` is not yet in `out`.
    let mut copied = 0;
    let mut depth = 0usize;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => {
                let end = string_end(b, i);
                // A top-level key: `{"key":null,` or `,"key":null}`.
                if depth == 1 && matches!(b[i - 1], b'{' | b',') {
                    let value = end + 1;
                    if b[value..].starts_with(b":null")
                        && matches!(b.get(value + 5), Some(b',' | b'}'))
                    {
                        let after = value + 5;
                        // The first member left (its comma, if any, already dropped) goes with
                        // the comma after it; any other with the comma before it.
                        let first = b[i - 1] == b'{' || i - 1 < copied;
                        let from = if first { i } else { i - 1 };
                        out.push_str(&json[copied..from]);
                        copied = if first && b[after] == b',' {
                            after + 1
                        } else {
                            after
                        };
                        i = after;
                        continue;
                    }
                }
                i = end + 1;
            }
            b'{' | b'[' => {
                depth += 1;
                i += 1;
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            _ => i += 1,
        }
    }
    out.push_str(&json[copied..]);
    out
}

/// The index of the quote that closes the JSON string opening at `b[open]` (the last byte
/// when the string is not closed). Jumps from one backslash or quote to the next (`memchr2`):
/// a row's JSON is mostly the text of its strings, which a byte-by-byte scan spent 9% of a
/// reindex's main thread on.
fn string_end(b: &[u8], open: usize) -> usize {
    let mut i = open + 1;
    while let Some(found) = b
        .get(i..)
        .and_then(|rest| memchr::memchr2(b'\\', b'"', rest))
    {
        let at = i + found;
        if b.get(at) == Some(&b'"') {
            return at;
        }
        // A backslash: the byte after it is escaped.
        i = at + 2;
    }
    b.len().saturating_sub(1)
}

/// The start of a row stored whole by [`encode`] because [`decode`]'s fast rule would misread it.
const WHOLE: &str = "{\"whole\":true,";

/// What of a stored row to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Parts {
    /// Every member.
    Whole,
    /// Every member but the evidence, left empty (skipped, not parsed: see
    /// [`ParagraphRow::from_json_without_evidence`]).
    NoEvidence,
}

/// Reads `parts` of a row stored by [`encode`] (or whole, by an earlier version).
///
/// # Errors
/// When `json` is not a stored row.
pub(crate) fn decode(json: &str, parts: Parts) -> Result<ParagraphRow, serde_json::Error> {
    if parts == Parts::NoEvidence {
        return ParagraphRow::from_json_without_evidence(json);
    }
    if json.starts_with(WHOLE) {
        // Read as written: its evidence words were all written (empty words are left out).
        return serde_json::from_str(json);
    }
    let mut row: ParagraphRow = serde_json::from_str(json)?;
    let ParagraphRow { text, evidence, .. } = &mut row;
    for e in evidence.iter_mut().map(|e| &mut e.evidence) {
        if e.text.is_empty()
            && let Some(words) = text.get(e.start..e.end)
        {
            words.clone_into(&mut e.text);
        }
    }
    Ok(row)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_of_a_real_report_read_back_equal_and_store_smaller() {
        let rows = undex_testkit::tagged_seed_rows("sg-r2p-report-2026.txt");
        assert!(rows.iter().any(|r| !r.evidence.is_empty()));
        let (mut whole, mut stored) = (0, 0);
        for row in &rows {
            let json = encode(row).unwrap();
            whole += serde_json::to_string(row).unwrap().len();
            stored += json.len();
            assert_eq!(&decode(&json, Parts::Whole).unwrap(), row, "{}", row.id);
            // Rows stored whole (earlier versions) read too.
            assert_eq!(
                &decode(&serde_json::to_string(row).unwrap(), Parts::Whole).unwrap(),
                row
            );
        }
        assert!(
            stored * 100 < whole * 95,
            "stored {stored} of {whole} bytes"
        );
    }

    /// A row taken is stored so that it reads back as the row was, on the rows of a real
    /// report and on one stored whole (an empty evidence word the text could not restore),
    /// and is left as it was but for the evidence words the stored form leaves out.
    #[test]
    fn a_row_taken_reads_back_as_it_was() {
        let mut rows = undex_testkit::tagged_seed_rows("sg-r2p-report-2026.txt");
        let mut whole = rows
            .iter()
            .find(|r| r.evidence.len() > 1)
            .expect("a tagged row")
            .clone();
        whole.evidence[0].evidence.text.clear();
        whole.evidence[0].evidence.end = whole.evidence[0].evidence.start + 1;
        rows.push(whole);
        let mut emptied = 0;
        for row in &rows {
            let mut taken = row.clone();
            let json = encode_taking(&mut taken).unwrap();
            assert_eq!(&decode(&json, Parts::Whole).unwrap(), row, "{}", row.id);
            for (t, r) in taken.evidence.iter().zip(&row.evidence) {
                let kept = t.evidence.text == r.evidence.text;
                assert!(kept || t.evidence.text.is_empty(), "{}", row.id);
                emptied += usize::from(!kept);
            }
            taken.evidence.clone_from(&row.evidence);
            assert_eq!(&taken, row);
        }
        assert!(emptied > 10, "{emptied} evidence words left out");
    }

    #[test]
    fn rows_read_without_evidence_are_the_rows_but_their_evidence() {
        let rows = undex_testkit::tagged_seed_rows("sg-r2p-report-2026.txt");
        let mut row = rows
            .iter()
            .find(|r| r.evidence.len() > 1)
            .expect("a tagged row")
            .clone();
        // Stored as usual and stored whole (empty words over a span that is not empty).
        let usual = encode(&row).unwrap();
        row.evidence[0].evidence.text.clear();
        row.evidence[0].evidence.end = row.evidence[0].evidence.start + 1;
        let whole = encode(&row).unwrap();
        assert!(whole.starts_with(WHOLE) && !usual.starts_with(WHOLE));
        for row in rows.iter().chain([&row]) {
            let json = encode(row).unwrap();
            let read = decode(&json, Parts::NoEvidence).unwrap();
            assert!(read.evidence.is_empty(), "{}", row.id);
            assert_eq!(
                read,
                ParagraphRow {
                    evidence: Vec::new(),
                    ..row.clone()
                }
            );
            // The flag is the read's alone: the next whole read has its evidence.
            assert_eq!(&decode(&json, Parts::Whole).unwrap(), row);
        }
        // Damaged evidence is still an error, not an empty list.
        let bad = usual.replacen("\"evidence\":[", "\"evidence\":[{,", 1);
        assert!(decode(&bad, Parts::NoEvidence).is_err());
    }

    #[test]
    fn evidence_with_empty_words_over_a_span_reads_back_equal() {
        let mut row = undex_testkit::tagged_seed_rows("sg-r2p-report-2026.txt")
            .into_iter()
            .find(|r| r.evidence.len() > 1)
            .expect("a tagged row");
        // Words that differ from the span, empty words over an empty span, and empty words
        // over a span that is not empty (stored whole).
        row.evidence[0].evidence.text = "from the English version".into();
        for (i, whole) in [(1, false), (1, true)] {
            let e = &mut row.evidence[i].evidence;
            e.text.clear();
            if whole {
                e.end = e.start + 1;
            } else {
                e.end = e.start;
            }
            let json = encode(&row).unwrap();
            assert_eq!(json.starts_with(WHOLE), whole);
            assert_eq!(decode(&json, Parts::Whole).unwrap(), row);
        }
    }

    #[test]
    fn top_level_nulls_are_dropped_and_nothing_else() {
        for (json, want) in [
            (r#"{"a":null}"#, "{}"),
            (r#"{"a":null,"b":1}"#, r#"{"b":1}"#),
            (r#"{"a":null,"b":null,"c":1}"#, r#"{"c":1}"#),
            (r#"{"x":1,"a":null,"b":null}"#, r#"{"x":1}"#),
            (
                r#"{"x":1,"a":null,"y":[null,{"z":null}]}"#,
                r#"{"x":1,"y":[null,{"z":null}]}"#,
            ),
            (
                r#"{"t":"\",\"n\":null,","n":null}"#,
                r#"{"t":"\",\"n\":null,"}"#,
            ),
            // An escaped backslash closes its string's escape: the quote after it ends it.
            (
                r#"{"t":"a\\","n":null,"u":"\\\""}"#,
                r#"{"t":"a\\","u":"\\\""}"#,
            ),
            (
                r#"{"nullable":"null","u":nullx}"#,
                r#"{"nullable":"null","u":nullx}"#,
            ),
        ] {
            assert_eq!(drop_nulls(json), want, "{json}");
        }
    }

    #[test]
    fn evidence_outside_the_text_is_kept() {
        let mut row = undex_testkit::tagged_seed_rows("sg-r2p-report-2026.txt")
            .into_iter()
            .find(|r| !r.evidence.is_empty())
            .expect("a tagged row");
        let e = &mut row.evidence[0].evidence;
        e.start = row.text.len() + 10;
        e.end = e.start + 15;
        e.text = "from a footnote".into();
        let json = encode(&row).unwrap();
        assert!(json.contains("from a footnote"));
        assert_eq!(decode(&json, Parts::Whole).unwrap(), row);
    }
}

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
//! (`decode(&encode(row)?)? == row`); rows stored whole by earlier versions read as they are.
//!
//! Reading is on the path of every search hit, so [`decode`] parses the JSON straight into
//! the row and fills each empty `text` of evidence from its span. The one row that rule would
//! read wrongly (evidence whose words are empty while its span is not) is stored whole behind
//! a leading `"whole"` member and read the slow way.

use serde_json::{Map, Value};
use undex_core::ParagraphRow;

/// The stored JSON of `row` (see the module docs).
///
/// # Errors
/// Only if the row cannot be serialised (it always can: every member is plain data).
pub(crate) fn encode(row: &ParagraphRow) -> Result<String, serde_json::Error> {
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
    let mut value = serde_json::to_value(row)?;
    if let Value::Object(object) = &mut value {
        object.retain(|_, v| !v.is_null());
        if let Some(Value::Array(evidence)) = object.get_mut("evidence") {
            for item in evidence.iter_mut().filter_map(Value::as_object_mut) {
                if span_text(&row.text, item).is_some_and(|s| item.get("text") == Some(&s)) {
                    item.remove("text");
                }
            }
        }
    }
    serde_json::to_string(&value)
}

/// The start of a row stored whole by [`encode`] because [`decode`]'s fast rule would misread it.
const WHOLE: &str = "{\"whole\":true,";

/// Reads a row stored by [`encode`] (or whole, by an earlier version).
///
/// # Errors
/// When `json` is not a stored row.
pub(crate) fn decode(json: &str) -> Result<ParagraphRow, serde_json::Error> {
    if json.starts_with(WHOLE) {
        return decode_slow(json);
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

/// [`decode`] through a JSON value: puts back the words of evidence whose `text` is absent.
fn decode_slow(json: &str) -> Result<ParagraphRow, serde_json::Error> {
    let mut value: Value = serde_json::from_str(json)?;
    if let Value::Object(object) = &mut value {
        object.remove("whole");
        let text = object
            .get("text")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        if let Some(Value::Array(evidence)) = object.get_mut("evidence") {
            for item in evidence.iter_mut().filter_map(Value::as_object_mut) {
                if !item.contains_key("text") {
                    let words = span_text(&text, item).unwrap_or(Value::String(String::new()));
                    item.insert("text".into(), words);
                }
            }
        }
    }
    serde_json::from_value(value)
}

/// `text[start..end]` for the `start` and `end` members of an evidence object, when both are
/// byte offsets on character boundaries of `text`.
fn span_text(text: &str, item: &Map<String, Value>) -> Option<Value> {
    let offset = |key: &str| {
        item.get(key)
            .and_then(Value::as_u64)
            .and_then(|n| usize::try_from(n).ok())
    };
    let words = text.get(offset("start")?..offset("end")?)?;
    Some(Value::String(words.to_string()))
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
            assert_eq!(&decode(&json).unwrap(), row, "{}", row.id);
            // Rows stored whole (earlier versions) read too.
            assert_eq!(&decode(&serde_json::to_string(row).unwrap()).unwrap(), row);
        }
        assert!(
            stored * 100 < whole * 95,
            "stored {stored} of {whole} bytes"
        );
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
            assert_eq!(decode(&json).unwrap(), row);
        }
    }

    #[test]
    fn evidence_outside_the_text_is_kept() {
        let json = r#"{"start": 0, "end": 400, "text": "from a footnote"}"#;
        let item: Map<String, Value> = serde_json::from_str(json).unwrap();
        assert_eq!(span_text("short", &item), None);
    }
}

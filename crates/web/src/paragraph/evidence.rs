//! The tags of a paragraph and their evidence, as the paragraph page shows them: the text
//! with its evidence marked, and one line per piece of evidence.

use maud::{Markup, html};
use undex_core::{EvidenceRow, ParagraphRow, risk_factor_name};

use crate::links::paragraph_url;
use crate::views::country_label;

/// Merges evidence spans into non-overlapping, in-bounds byte ranges on char boundaries,
/// each with the labels of the tags it supports.
fn merge_spans(text: &str, spans: &[(usize, usize, String)]) -> Vec<(usize, usize, Vec<String>)> {
    let mut valid: Vec<&(usize, usize, String)> = spans
        .iter()
        .filter(|(s, e, _)| {
            s < e && *e <= text.len() && text.is_char_boundary(*s) && text.is_char_boundary(*e)
        })
        .collect();
    valid.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    let mut out: Vec<(usize, usize, Vec<String>)> = Vec::new();
    for (s, e, label) in valid {
        match out.last_mut() {
            Some(last) if *s < last.1 => {
                last.1 = last.1.max(*e);
                if !last.2.contains(label) {
                    last.2.push(label.clone());
                }
            }
            _ => out.push((*s, *e, vec![label.clone()])),
        }
    }
    out
}

pub(crate) fn highlighted_text(row: &ParagraphRow) -> Markup {
    let spans: Vec<(usize, usize, String)> = row
        .evidence
        .iter()
        .map(|e| {
            (
                e.evidence.start,
                e.evidence.end,
                tag_name(&e.family, &e.value),
            )
        })
        .collect();
    // (plain text before, marked span, its labels), then the tail.
    let mut pieces: Vec<(&str, &str, String)> = Vec::new();
    let mut at = 0;
    for (start, end, labels) in merge_spans(&row.text, &spans) {
        pieces.push((
            &row.text[at..start],
            &row.text[start..end],
            labels.join(", "),
        ));
        at = end;
    }
    let tail = &row.text[at..];
    html! {
        @for (plain, marked, labels) in &pieces {
            (plain)
            mark.evidence title={ "evidence for " (labels) } { (marked) }
        }
        (tail)
    }
}

/// One line of the evidence list: the evidence of a tag by one rule on one wording, however
/// often the paragraph repeats it.
struct EvidenceLine<'a> {
    row: &'a EvidenceRow,
    /// Times the paragraph holds it.
    times: usize,
    /// Highest confidence among them.
    confidence: f32,
}

/// The evidence of `row` with each piece once: the same tag, rule and words (case aside)
/// are one line with a count, in order of first appearance.
fn evidence_lines(row: &ParagraphRow) -> Vec<EvidenceLine<'_>> {
    let mut lines: Vec<EvidenceLine<'_>> = Vec::new();
    for e in &row.evidence {
        let same = |l: &EvidenceLine<'_>| {
            l.row.family == e.family
                && l.row.value == e.value
                && l.row.evidence.rule == e.evidence.rule
                && l.row.evidence.text.to_lowercase() == e.evidence.text.to_lowercase()
        };
        match lines.iter_mut().find(|l| same(l)) {
            Some(line) => {
                line.times += 1;
                line.confidence = line.confidence.max(e.evidence.confidence);
            }
            None => lines.push(EvidenceLine {
                row: e,
                times: 1,
                confidence: e.evidence.confidence,
            }),
        }
    }
    lines
}

pub(crate) fn evidence_list(row: &ParagraphRow) -> Markup {
    html! {
        @if row.evidence.is_empty() {
            p.muted { "No tags were assigned to this paragraph." }
        } @else {
            ul.evidence {
                @for line in evidence_lines(row) {
                    @let e = line.row;
                    @let carried = undex_core::align::carried_from(&e.evidence.rule);
                    li {
                        "tagged " strong { (tag_name(&e.family, &e.value)) } " because: "
                        @if let Some((en_id, _)) = carried {
                            a.carried href=(paragraph_url(en_id)) { (undex_core::align::carried_label(en_id)) } ": "
                        }
                        @if e.evidence.text.is_empty() {
                            em { (rule_reason(&e.evidence.rule)) }
                        } @else {
                            q lang=[carried.map(|_| "en")] { (e.evidence.text) }
                        }
                        @if line.times > 1 { " " span.times { "(" (line.times) " times)" } }
                        " " span.rule { "(" (e.evidence.rule) ", confidence " (format!("{:.2}", line.confidence)) ")" }
                    }
                }
            }
        }
    }
}

/// What a rule means, for evidence that marks no words (a list item that inherits its
/// lead-in's recommendation, a UPR item with neither verb nor State found).
fn rule_reason(rule: &str) -> String {
    if let Some(n) = rule.strip_prefix("recommendation.lead_in:") {
        return format!("an item of the list introduced by paragraph {n}");
    }
    match rule {
        "recommendation.lead_in" => {
            "an item of the list introduced by the text before it".to_string()
        }
        "recommendation.upr_item" => "a numbered UPR recommendation".to_string(),
        "pillar.I.upr_recommendation" => {
            "a UPR recommendation to the State under review".to_string()
        }
        other => format!("rule {other}"),
    }
}

fn tag_name(family: &str, value: &str) -> String {
    match family {
        "pillar" => format!("pillar {value}"),
        "risk_factor" => match value.parse::<u8>().ok().and_then(risk_factor_name) {
            Some(name) => format!("risk factor {value} ({name})"),
            None => format!("risk factor {value}"),
        },
        "recommendation" if value == "true" => "recommendation".into(),
        "recommendation" => "not a recommendation".into(),
        "country" => format!("country {}", country_label(value)),
        other => format!("{other} {value}"),
    }
}

#[cfg(test)]
mod tests {
    use super::merge_spans;

    #[test]
    fn spans_merge_and_invalid_ones_are_dropped() {
        let text = "exercise restraint from using the veto — é";
        let spans = vec![
            (9, 18, "pillar III".to_string()),
            (14, 38, "risk_factor 7".to_string()),
            (100, 120, "out of range".to_string()),
            (text.len() - 1, text.len(), "not a boundary".to_string()),
        ];
        let merged = merge_spans(text, &spans);
        assert_eq!(merged.len(), 1);
        assert_eq!(
            &text[merged[0].0..merged[0].1],
            "restraint from using the veto"
        );
        assert_eq!(
            merged[0].2,
            vec!["pillar III".to_string(), "risk_factor 7".to_string()]
        );
    }
}

//! The tags of a paragraph and their evidence, as the paragraph page shows them: the text
//! with its evidence marked, and one line per piece of evidence.

use maud::{Markup, html};
use undex_core::{EvidenceRow, Language, ParagraphRow, RuleId, RuleKind, UnitId, risk_factor_name};

use crate::i18n::{Lang, Ui};
use crate::links::paragraph_url;
use crate::views::{country_label, risk_factor_title};

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

pub(crate) fn highlighted_text(ui: &Ui, row: &ParagraphRow) -> Markup {
    let spans: Vec<(usize, usize, String)> = row
        .evidence
        .iter()
        .map(|e| {
            (
                e.evidence.start,
                e.evidence.end,
                tag_name(ui, &e.family, &e.value),
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
            mark.evidence title=(ui.args("evidence-for", &[("tags", labels.into())])) { (marked) }
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

pub(crate) fn evidence_list(ui: &Ui, row: &ParagraphRow) -> Markup {
    html! {
        @if row.evidence.is_empty() {
            p.muted { (ui.t("evidence-none")) }
        } @else {
            ul.evidence {
                @for line in evidence_lines(row) {
                    @let e = line.row;
                    @let carried = undex_core::align::carried_from(&e.evidence.rule);
                    li {
                        (ui.t("evidence-tagged")) " " strong { (tag_name(ui, &e.family, &e.value)) } " " (ui.t("evidence-because")) " "
                        @if let Some((en_id, _)) = carried {
                            a.carried href=(paragraph_url(en_id)) { (carried_label(ui, en_id)) } ": "
                        }
                        @if e.evidence.text.is_empty() {
                            em { (rule_reason(ui, &e.evidence.rule)) }
                        } @else {
                            q lang=[carried.map(|_| Language::En.as_str())] { (e.evidence.text) }
                        }
                        @if line.times > 1 { " " span.times { "(" (ui.args("evidence-times", &[("times", line.times.into())])) ")" } }
                        " " span.rule { "(" (e.evidence.rule) ", " (ui.t("evidence-confidence")) " " (format!("{:.2}", line.confidence)) ")" }
                    }
                }
            }
        }
    }
}

/// Where carried evidence comes from ("from the English version, para. 76"): undex-core's
/// words in English ([`undex_core::align::carried_label`]), the same from messages in French.
fn carried_label(ui: &Ui, english_id: &str) -> String {
    if ui.lang == Lang::En {
        return undex_core::align::carried_label(english_id);
    }
    let (annex, unit) = UnitId::parse(english_id).map_or((None, english_id), |u| (u.annex, u.unit));
    let where_ = if unit.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        ui.args(
            "carried-para",
            &[("unit", unit.replacen('(', " (", 1).as_str().into())],
        )
    } else {
        ui.args("carried-unit", &[("unit", unit.into())])
    };
    match annex {
        Some(a) => {
            // "annex-ii" → "annexe II".
            let number = a.strip_prefix("annex").unwrap_or(a).trim_start_matches('-');
            let annex = if number.is_empty() {
                ui.t("carried-annex")
            } else {
                format!(
                    "{} {}",
                    ui.t("carried-annex"),
                    number.replace('-', " ").to_uppercase()
                )
            };
            ui.args(
                "carried-from-annex",
                &[
                    ("annex", annex.as_str().into()),
                    ("where", where_.as_str().into()),
                ],
            )
        }
        None => ui.args("carried-from", &[("where", where_.as_str().into())]),
    }
}

/// What a rule means, for evidence that marks no words (a list item that inherits its
/// lead-in's recommendation, a UPR item with neither verb nor State found), read through
/// [`RuleId::kind`]; any other rule is named as written.
fn rule_reason(ui: &Ui, rule: &RuleId) -> String {
    match rule.kind() {
        RuleKind::LeadIn(Some(n)) => ui.args("rule-lead-in-paragraph", &[("paragraph", n.into())]),
        RuleKind::LeadIn(None) => ui.t("rule-lead-in"),
        RuleKind::UprItem => ui.t("rule-upr-item"),
        RuleKind::UprRecommendation => ui.t("rule-upr-recommendation"),
        _ => ui.args("rule-other", &[("rule", rule.as_str().into())]),
    }
}

fn tag_name(ui: &Ui, family: &str, value: &str) -> String {
    let arg = |id: &str| ui.args(id, &[("value", value.into())]);
    match family {
        "pillar" => arg("tag-pillar"),
        "risk_factor" => match value.parse::<u8>().ok().and_then(|n| {
            risk_factor_name(n)?;
            risk_factor_title(ui, n)
        }) {
            Some(name) => ui.args(
                "tag-risk-factor-named",
                &[("value", value.into()), ("name", (&name).into())],
            ),
            None => arg("tag-risk-factor"),
        },
        "recommendation" if value == "true" => ui.t("tag-recommendation"),
        "recommendation" => ui.t("tag-not-recommendation"),
        "country" => ui.args("tag-country", &[("value", country_label(value).into())]),
        other => format!("{other} {value}"),
    }
}

#[cfg(test)]
mod tests {
    use super::{carried_label, merge_spans, rule_reason};
    use crate::i18n::{Lang, Ui};
    use undex_core::RuleId;

    #[test]
    fn a_rule_without_words_says_what_it_means() {
        let en = Ui::new(Lang::En, "/");
        let reason = |rule: &str| rule_reason(&en, &RuleId::new(rule));
        assert_eq!(
            reason("recommendation.lead_in"),
            "an item of the list introduced by the text before it"
        );
        let numbered = reason("recommendation.lead_in:12");
        assert!(
            numbered.starts_with("an item of the list introduced by paragraph ")
                && numbered.contains("12"),
            "{numbered}"
        );
        assert_eq!(
            reason("recommendation.upr_item"),
            "a numbered UPR recommendation"
        );
        assert_eq!(
            reason("pillar.I.upr_recommendation"),
            "a UPR recommendation to the State under review"
        );
        for other in [
            "recommendation.lead_into",
            "recommendation.recommending_state:CHL",
            "english_version:A_1.en~2:recommendation.lead_in",
            "pillar.III.lexicon:veto",
        ] {
            let r = reason(other);
            assert!(r.starts_with("rule ") && r.contains(other), "{r}");
        }
    }

    #[test]
    fn carried_evidence_names_its_english_paragraph_in_the_page_language() {
        let (en, fr) = (Ui::new(Lang::En, "/"), Ui::new(Lang::Fr, "/"));
        for id in [
            "A_79_875.en~76",
            "A_79_875.en~annex-ii~4(a)",
            "A_79_875.en~b3",
        ] {
            assert_eq!(carried_label(&en, id), undex_core::align::carried_label(id));
        }
        assert_eq!(
            carried_label(&fr, "A_79_875.en~76"),
            "de la version anglaise, par. 76"
        );
        assert_eq!(
            carried_label(&fr, "A_79_875.en~annex-ii~4(a)"),
            "de la version anglaise, annexe II, par. 4 (a)"
        );
        assert_eq!(
            carried_label(&fr, "A_79_875.en~b3"),
            "de la version anglaise, unité b3"
        );
    }

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

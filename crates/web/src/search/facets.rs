//! The facet panel of the search page and how it names facet values.

use maud::{Markup, html};
use undex_index::registry::{self, Label};
use undex_index::{Facet, FacetCount, SearchResponse};

use crate::i18n::Ui;
use crate::params::SearchParams;
use crate::views::{country_label, language_code_name, risk_factor_title};

/// How the facet panel shows `value` of `facet`, from the facet's [`Label`], in the reader's
/// language.
pub(crate) fn facet_label(ui: &Ui, facet: &Facet, value: &str) -> String {
    match facet.label {
        Label::Pillar => ui.args("facet-value-pillar", &[("value", value.into())]),
        Label::RiskFactor => match value
            .parse::<u8>()
            .ok()
            .and_then(|n| risk_factor_title(ui, n))
        {
            Some(name) => format!("{value}. {name}"),
            None => value.to_string(),
        },
        Label::Recommendation => match value {
            "true" => ui.t("facet-value-rec-true"),
            "false" => ui.t("facet-value-rec-false"),
            v => v.into(),
        },
        Label::Country => country_label(value).to_string(),
        Label::Language => language_code_name(ui, value),
        Label::Plain => value.to_string(),
    }
}

/// A facet's title in the reader's language: message `facet-{name}` (`facet-pillar =
/// Pilier`), else the registry's English title.
pub(crate) fn facet_title(ui: &Ui, facet: &Facet) -> String {
    ui.t_or(&format!("facet-{}", facet.name), facet.title)
}

/// A facet's values in the order the page lists them: years newest first (a reader scans
/// years as a timeline), every other facet as the index gives them (most frequent first).
fn facet_order<'a>(facet: &str, counts: &'a [FacetCount]) -> Vec<&'a FacetCount> {
    let mut ordered: Vec<&FacetCount> = counts.iter().collect();
    if facet == "year" {
        ordered.sort_by(|a, b| {
            let year = |c: &FacetCount| c.value.trim().parse::<i64>().ok();
            year(b).cmp(&year(a)).then_with(|| b.value.cmp(&a.value))
        });
    }
    ordered
}

/// The facet panel of a search whose facets count `rows` matching paragraphs (`res.total`,
/// or with `versions=grouped` every language version of the groups): sampled counts are
/// marked ≈ and link to the same page counted over all `rows`.
pub(crate) fn facets_panel(
    ui: &Ui,
    params: &SearchParams,
    res: &SearchResponse,
    rows: usize,
) -> Markup {
    html! {
        aside.facets aria-label=(ui.t("facets-label")) {
            @if res.facets_approximate {
                // A sample's counts, and a link to count every match of this search (in
                // proportion to the matches: tens of milliseconds a million).
                p.facets-approximate {
                    (ui.t("facets-approximate")) " "
                    a href=(params.url_with("facet_rows", Some(&rows.to_string()))) rel="nofollow" {
                        (ui.t("facets-count-exactly"))
                    }
                }
            }
            @for facet in registry::counted() {
                @let counts = facet_order(facet.name, res.facets.get(facet.name).map(Vec::as_slice).unwrap_or(&[]));
                @if !counts.is_empty() {
                    @let param = facet.param;
                    @let current = params.get(param);
                    section.facet {
                        h3 { (facet_title(ui, facet)) }
                        ul {
                            @for c in counts {
                                @let active = current.as_deref().is_some_and(|v| v.eq_ignore_ascii_case(&c.value));
                                li class=[active.then_some("active")] {
                                    @if active {
                                        a href=(params.url_with(param, None)) title=(ui.t("facet-remove")) {
                                            "✕ " (facet_label(ui, facet, &c.value))
                                        }
                                    } @else {
                                        a href=(params.url_with(param, Some(&c.value))) {
                                            (facet_label(ui, facet, &c.value))
                                        }
                                    }
                                    " " span.count { @if res.facets_approximate { "≈" } (c.count) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

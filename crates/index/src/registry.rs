//! Every facet and keyword filter of undex, declared once.
//!
//! One [`Facet`] entry drives everything undex does with it: the schema field and what a
//! row puts in it ([`crate::schema`]), the structured filter ([`crate::Filters`]), the field
//! names and aliases of the query language ([`crate::query`]), the facet counts of a search
//! ([`crate::facets`]), and, in the web crate, the URL parameter, the facet panel's title and
//! labels, the syntax help and the OpenAPI description. Adding a facet is one entry here plus
//! the tagger that fills its row field.
//!
//! The order of [`FACETS`] is the order of the facet panel and of the schema's keyword
//! fields (changing it changes the schema: an index built before must be rebuilt with
//! `undex reindex`).

use undex_core::{ParagraphRow, Pillar};

/// What values a facet takes, for validating a URL parameter and describing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// Free text, matched whole and case-insensitively ("Security Council").
    Text,
    /// A whole number from 0 to `max`; a larger one or one that does not parse is a bad
    /// request (`risk=300`).
    Number {
        /// Largest value accepted.
        max: u32,
    },
    /// `true` or `false` (also `1`/`0`, `yes`/`no`).
    Bool,
    /// The year of issue: an `i64` fast field, not a keyword (also filtered by range).
    Year,
}

/// How the web UI labels a facet's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    /// The value as indexed.
    Plain,
    /// "Pillar III".
    Pillar,
    /// "7. Triggering factors": the Framework of Analysis name.
    RiskFactor,
    /// "Recommendations" / "Other paragraphs".
    Recommendation,
    /// The country's short name from its ISO 3166-1 alpha-3 code.
    Country,
    /// The language's name from its ISO 639-1 code.
    Language,
}

/// Gives each value of one facet that a row holds to the callback (see [`Facet::values`]).
pub type RowValues = fn(&ParagraphRow, &mut dyn FnMut(&str));

/// One facet or keyword filter.
#[derive(Debug)]
pub struct Facet {
    /// Name of the facet in [`crate::SearchResponse::facets`] and of the filter in
    /// [`crate::Filters`] ("risk_factor").
    pub name: &'static str,
    /// Schema field, also its name in the query language ("risk" in `risk:7`).
    pub field: &'static str,
    /// URL parameter of the web UI and the JSON API ("risk").
    pub param: &'static str,
    /// More names the query language accepts for the field (`risk_factor:7`).
    pub aliases: &'static [&'static str],
    /// Heading of the facet in the web UI ("Risk factor").
    pub title: &'static str,
    /// One sentence for the API description and the syntax help.
    pub description: &'static str,
    /// A value to show in examples ("7").
    pub example: &'static str,
    /// The values accepted.
    pub kind: ValueKind,
    /// How the web UI labels values.
    pub label: Label,
    /// Counted with every search (false for pure filters such as `symbol`).
    pub counted: bool,
    /// Gives `add` each value a row puts in the field (none, one or several), each indexed
    /// as one lower-cased token and kept verbatim in the fast column for counting; borrowed,
    /// so indexing a row copies nothing. Unused for [`ValueKind::Year`].
    pub values: RowValues,
    /// A filter value as indexed (`pillar=3` → "III"); the identity for most facets.
    pub normalize: fn(&str) -> String,
}

fn same(v: &str) -> String {
    v.trim().to_string()
}

fn each(v: &[String], add: &mut dyn FnMut(&str)) {
    v.iter().for_each(|s| add(s));
}

/// Every facet and keyword filter, in the order of the facet panel.
pub static FACETS: &[Facet] = &[
    Facet {
        name: "year",
        field: "year",
        param: "year",
        aliases: &[],
        title: "Year",
        description: "Year of issue (`2025`); `from` and `to` give a range.",
        example: "2025",
        kind: ValueKind::Year,
        label: Label::Plain,
        counted: true,
        values: |r, add| {
            if let Some(y) = r.year {
                add(&y.to_string());
            }
        },
        normalize: same,
    },
    Facet {
        name: "body",
        field: "body",
        param: "body",
        aliases: &["organ"],
        title: "Organ",
        description: "Organ, as in the `body` facet (\"Security Council\").",
        example: "Security Council",
        kind: ValueKind::Text,
        label: Label::Plain,
        counted: true,
        values: |r, add| each(&r.bodies, add),
        normalize: same,
    },
    Facet {
        name: "doc_type",
        field: "type",
        param: "type",
        aliases: &["doc_type"],
        title: "Document type",
        description: "Document type, as in the `doc_type` facet (\"report\").",
        example: "report",
        kind: ValueKind::Text,
        label: Label::Plain,
        counted: true,
        values: |r, add| r.doc_type.iter().for_each(|t| add(t)),
        normalize: same,
    },
    Facet {
        name: "language",
        field: "lang",
        param: "lang",
        aliases: &["language"],
        title: "Language",
        description: "Language, ISO 639-1 (\"en\", \"fr\").",
        example: "en",
        kind: ValueKind::Text,
        label: Label::Language,
        counted: true,
        values: |r, add| add(r.language.as_str()),
        normalize: same,
    },
    Facet {
        name: "pillar",
        field: "pillar",
        param: "pillar",
        aliases: &["pillars"],
        title: "Pillar",
        description: "R2P pillar: `I`, `II` or `III` (also `1`–`3`).",
        example: "III",
        kind: ValueKind::Text,
        label: Label::Pillar,
        counted: true,
        values: |r, add| each(&r.pillars, add),
        normalize: |p| Pillar::parse(p).map_or_else(|| p.trim().to_string(), |p| p.to_string()),
    },
    Facet {
        name: "risk_factor",
        field: "risk",
        param: "risk",
        aliases: &["risk_factor", "risk_factors"],
        title: "Risk factor",
        description: "Risk factor of the Framework of Analysis for Atrocity Crimes, 1–14 \
                      (other numbers up to 255 match nothing; larger ones are a 400 \
                      `bad_request`).",
        example: "7",
        kind: ValueKind::Number { max: 255 },
        label: Label::RiskFactor,
        counted: true,
        values: |r, add| r.risk_factors.iter().for_each(|n| add(&n.to_string())),
        normalize: same,
    },
    Facet {
        name: "recommendation",
        field: "recommendation",
        param: "rec",
        aliases: &["rec"],
        title: "Recommendation",
        description: "Recommendations only (`true`) or non-recommendations (`false`); also \
                      `1`/`0`, `yes`/`no`.",
        example: "true",
        kind: ValueKind::Bool,
        label: Label::Recommendation,
        counted: true,
        values: |r, add| add(if r.recommendation { "true" } else { "false" }),
        normalize: same,
    },
    Facet {
        name: "addressee",
        field: "addressee",
        param: "addressee",
        aliases: &["addressees"],
        title: "Addressee",
        description: "Addressee of recommendations, as in the `addressee` facet (\"Member \
                      States\").",
        example: "Member States",
        kind: ValueKind::Text,
        label: Label::Plain,
        counted: true,
        values: |r, add| each(&r.addressees, add),
        normalize: same,
    },
    Facet {
        name: "verb",
        field: "verb",
        param: "verb",
        aliases: &["verbs"],
        title: "Directive verb",
        description: "Directive verb of a recommendation, as its lemma, strongest first: \
                      \"call upon\", \"urge\", \"recommend\", \"encourage\", \"invite\", \
                      \"should\".",
        example: "urge",
        kind: ValueKind::Text,
        label: Label::Plain,
        counted: true,
        values: |r, add| r.verb.iter().for_each(|v| add(v)),
        normalize: same,
    },
    Facet {
        name: "crime",
        field: "crime",
        param: "crime",
        aliases: &["crimes"],
        title: "Crime",
        description: "Atrocity crime named: \"genocide\", \"war crimes\", \"crimes against \
                      humanity\", \"ethnic cleansing\".",
        example: "genocide",
        kind: ValueKind::Text,
        label: Label::Plain,
        counted: true,
        values: |r, add| each(&r.crimes, add),
        normalize: same,
    },
    Facet {
        name: "country",
        field: "country",
        param: "country",
        aliases: &["countries"],
        title: "Country",
        description: "Country mentioned, ISO 3166-1 alpha-3 (\"SDN\").",
        example: "SDN",
        kind: ValueKind::Text,
        label: Label::Country,
        counted: true,
        values: |r, add| each(&r.countries, add),
        normalize: same,
    },
    Facet {
        name: "cited",
        field: "cited",
        param: "cited",
        aliases: &["cites", "cite"],
        title: "Cites document",
        description: "A UN document symbol the paragraphs cite (\"A/67/929\"): the first \
                      symbol of a joint one, as the tagger records it.",
        example: "A/67/929",
        kind: ValueKind::Text,
        label: Label::Plain,
        counted: true,
        values: |r, add| {
            let cited: std::collections::BTreeSet<&str> = r
                .cited
                .iter()
                .map(|c| c.symbol.trim())
                .filter(|s| !s.is_empty())
                .collect();
            cited.into_iter().for_each(add);
        },
        normalize: same,
    },
    Facet {
        name: "symbol",
        field: "symbol",
        param: "symbol",
        aliases: &[],
        title: "Document",
        description: "Document symbol: only the paragraphs of that document, by any of its \
                      symbols or the joint one (\"A/79/875\").",
        example: "A/79/875",
        kind: ValueKind::Text,
        label: Label::Plain,
        counted: false,
        values: |r, add| {
            let mut symbols: Vec<&str> = r.symbols.iter().map(String::as_str).collect();
            symbols.extend(r.symbol.as_deref());
            symbols.sort_unstable();
            symbols.dedup();
            symbols.into_iter().for_each(add);
        },
        normalize: same,
    },
    Facet {
        name: "kind",
        field: "kind",
        param: "kind",
        aliases: &[],
        title: "Unit kind",
        description: "Unit kind: `paragraph`, `subparagraph`, `heading`, `footnote`, `block`, \
                      …",
        example: "paragraph",
        kind: ValueKind::Text,
        label: Label::Plain,
        counted: false,
        values: |r, add| add(r.kind.as_str()),
        normalize: same,
    },
];

/// The facet named `name` (as in [`Facet::name`]).
#[must_use]
pub fn by_name(name: &str) -> Option<&'static Facet> {
    FACETS.iter().find(|f| f.name == name)
}

/// The facet whose URL parameter is `param` (as in [`Facet::param`]).
#[must_use]
pub fn by_param(param: &str) -> Option<&'static Facet> {
    FACETS.iter().find(|f| f.param == param)
}

/// The facet whose schema field is `field`.
#[must_use]
pub fn by_field(field: &str) -> Option<&'static Facet> {
    FACETS.iter().find(|f| f.field == field)
}

/// The facets counted with every search, in panel order.
pub fn counted() -> impl Iterator<Item = &'static Facet> {
    FACETS.iter().filter(|f| f.counted)
}

/// The keyword facets (every facet but the year), in schema order.
pub fn keywords() -> impl Iterator<Item = &'static Facet> {
    FACETS.iter().filter(|f| f.kind != ValueKind::Year)
}

/// A query-language field name (a schema field or an alias, any case) as its schema field.
#[must_use]
pub fn query_field(name: &str) -> Option<&'static str> {
    FACETS.iter().find_map(|f| {
        (f.field.eq_ignore_ascii_case(name)
            || f.aliases.iter().any(|a| a.eq_ignore_ascii_case(name)))
        .then_some(f.field)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_params_fields_and_aliases_are_each_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for f in FACETS {
            assert!(seen.insert(("name", f.name)), "name {}", f.name);
            assert!(seen.insert(("param", f.param)), "param {}", f.param);
            assert!(seen.insert(("field", f.field)), "field {}", f.field);
            for a in f.aliases {
                assert!(by_field(a).is_none_or(|g| g.field == f.field), "alias {a}");
                assert!(seen.insert(("alias", a)), "alias {a}");
            }
        }
    }

    #[test]
    fn aliases_resolve_to_their_field() {
        assert_eq!(query_field("risk_factor"), Some("risk"));
        assert_eq!(query_field("REC"), Some("recommendation"));
        assert_eq!(query_field("language"), Some("lang"));
        assert_eq!(query_field("doc_type"), Some("type"));
        assert_eq!(query_field("cites"), Some("cited"));
        assert_eq!(query_field("pilar"), None);
    }

    #[test]
    fn pillar_filters_accept_arabic_numerals() {
        let pillar = by_name("pillar").unwrap();
        assert_eq!((pillar.normalize)("3"), "III");
        assert_eq!((pillar.normalize)("II"), "II");
    }
}

//! Interface languages (issue #12): the pages in English and French, as a reader meets them,
//! over an index of the 2026 and 2025 Secretary-General reports (`shared/seeds`, extracted and
//! tagged as `undex ingest` does), and the Fluent files checked against the code. Requests go
//! through `router(..).oneshot(..)`; no socket.

// The shared helpers include some this binary does not use.
#[allow(dead_code)]
use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tower::ServiceExt;
use undex_core::ParagraphRow;
use undex_web::i18n::{Arg, Lang, Ui};

/// The app over the two seed reports, built once.
fn app() -> &'static common::App {
    static APP: OnceLock<common::App> = OnceLock::new();
    APP.get_or_init(|| {
        common::app_with(
            common::seed_rows(common::R2026, true),
            common::seed_rows(common::R2025, true),
        )
    })
}

/// A GET with the given headers: status, headers and body.
async fn get_with(
    uri: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, axum::http::HeaderMap, String) {
    let mut req = Request::get(uri);
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    let res = app()
        .router
        .clone()
        .oneshot(req.body(Body::empty()).expect("request"))
        .await
        .expect("infallible");
    let status = res.status();
    let headers = res.headers().clone();
    let body = axum::body::to_bytes(res.into_body(), 50_000_000)
        .await
        .expect("body");
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

/// The body of a page that must answer 200.
async fn page_with(uri: &str, headers: &[(&str, &str)]) -> String {
    let (status, _, body) = get_with(uri, headers).await;
    assert_eq!(status, StatusCode::OK, "{uri}: {body}");
    body
}

const ACCEPT_FRENCH: (&str, &str) = ("accept-language", "fr-CH, fr;q=0.9");

fn assert_all(body: &str, needles: &[&str], what: &str) {
    for n in needles {
        assert!(body.contains(n), "{what}: {n:?} missing");
    }
}

fn assert_none(body: &str, needles: &[&str], what: &str) {
    for n in needles {
        assert!(!body.contains(n), "{what}: {n:?} still there");
    }
}

/// A date of issue as a French UN document prints it ("23 avril 2026", "1er mars 2025").
fn french_date(iso: &str) -> String {
    const MOIS: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    let parts: Vec<&str> = iso.split('-').collect();
    let (y, m, d) = (parts[0], parts[1], parts[2]);
    let m: usize = m.parse().expect("month");
    let d: u32 = d.parse().expect("day");
    let day = if d == 1 {
        "1er".to_string()
    } else {
        d.to_string()
    };
    format!("{day} {} {y}", MOIS[m - 1])
}

/// The first tagged row of the 2025 report (A/79/875) with a date (for the paragraph page).
fn tagged_row() -> &'static ParagraphRow {
    app()
        .rows_2025
        .iter()
        .find(|r| !r.pillars.is_empty() && r.date.is_some())
        .expect("a dated paragraph with a pillar")
}

const FRENCH_SEARCH: &[&str] = &[
    "<html lang=\"fr\">",
    ">Rechercher</button>",
    "placeholder=\"Rechercher des paragraphes\u{a0}: veto restraint",
    "<summary>Syntaxe des requêtes</summary>",
    "<h3>Pilier</h3>",
    "<h3>Facteur de risque</h3>",
    "<h3>Recommandation</h3>",
    "<h3>Destinataire</h3>",
    "<h3>Langue</h3>",
    "aria-label=\"Exporter les références\"",
    "Exporter les références de tous les résultats\u{a0}:",
    "Page suivante →",
    "Les rapports de l’ONU, consultables paragraphe par paragraphe",
];

const ENGLISH_SEARCH: &[&str] = &[
    ">Search</button>",
    "<summary>Query syntax</summary>",
    "<h3>Pillar</h3>",
    "<h3>Risk factor</h3>",
    "Export all results:",
    "Next →",
];

#[tokio::test]
async fn the_search_page_in_french_by_the_ui_parameter_keeps_it_in_its_links() {
    let body = page_with("/?ui=fr", &[]).await;
    assert_all(&body, FRENCH_SEARCH, "/?ui=fr");
    assert_none(&body, ENGLISH_SEARCH, "/?ui=fr");
    // The summary and the pagination, with French numbers of paragraphs.
    let total = app().rows_2026.len() + app().rows_2025.len();
    assert!(
        body.contains(&format!("1–20 sur {total} paragraphes")),
        "summary"
    );
    assert!(body.contains("Page 1 sur "), "pagination");
    // The language is kept by the links the page builds, as the rest of the search state,
    // and by the form.
    assert!(
        body.contains("href=\"/?ui=fr&amp;page=2\""),
        "next page keeps ui=fr"
    );
    assert!(
        body.contains("href=\"/?ui=fr&amp;pillar=III\""),
        "facet keeps ui=fr"
    );
    assert!(
        body.contains("<input type=\"hidden\" name=\"ui\" value=\"fr\">"),
        "form"
    );
    // A value of a facet the web crate names is French, the UN's own words are not.
    assert!(body.contains("Pilier III"), "facet value");
    // Dates of issue are in French.
    let date = app().rows_2026[0].date.as_deref().expect("dated");
    assert!(body.contains(&french_date(date)), "{}", french_date(date));
    // No results.
    let none = page_with("/?q=zzyzxqqq&ui=fr", &[]).await;
    assert!(none.contains("Aucun résultat."), "no results");
    // The ui parameter is not a filter: same hits in both languages.
    let fr = page_with("/?q=veto&ui=fr", &[]).await;
    let en = page_with("/?q=veto", &[]).await;
    let count = |b: &str| b.matches("<article class=\"hit\">").count();
    assert!(count(&en) > 0);
    assert_eq!(count(&fr), count(&en));
}

#[tokio::test]
async fn french_is_chosen_by_accept_language_on_every_page() {
    let row = tagged_row();
    let body = page_with("/", &[ACCEPT_FRENCH]).await;
    assert_all(&body, FRENCH_SEARCH, "/ with Accept-Language");
    // The language came from the header: links stay as they are.
    assert!(body.contains("href=\"/?page=2\""));

    let paragraph = page_with(&format!("/p/{}", row.id), &[ACCEPT_FRENCH]).await;
    assert_all(
        &paragraph,
        &[
            "<html lang=\"fr\">",
            "<h2>Étiquettes et éléments justificatifs</h2>",
            "<h2>Documents cités</h2>",
            "<h2>Cité par</h2>",
            "Formulations antérieures",
            "étiqueté <strong>pilier ",
            "Pilier ",
            ">Recherche</a> › ",
            &french_date(row.date.as_deref().expect("dated")),
        ],
        "paragraph page",
    );
    assert_none(
        &paragraph,
        &["Tags and their evidence", "Earlier wording", "Footnotes"],
        "paragraph page",
    );
    // The UN text itself is not translated.
    assert!(paragraph.contains(&row.citation.replace('"', "&quot;")));

    let document = page_with(&format!("/d/{}", row.doc_id), &[ACCEPT_FRENCH]).await;
    assert_all(
        &document,
        &[
            "<html lang=\"fr\">",
            "<dt>Cote du document</dt>",
            "<dt>Langue</dt><dd>anglais</dd>",
            "<dt>Rechercher dans ce document</dt>",
            "Documents cités",
            &format!(
                "<dt>Date</dt><dd>{}</dd>",
                french_date(row.date.as_deref().expect("dated"))
            ),
        ],
        "document page",
    );
    assert_none(
        &document,
        &["<dt>Symbol</dt>", "Search in it"],
        "document page",
    );
}

#[tokio::test]
async fn paragraph_and_document_pages_in_french_by_the_ui_parameter() {
    let row = tagged_row();
    let paragraph = page_with(&format!("/p/{}?ui=fr", row.id), &[]).await;
    assert_all(
        &paragraph,
        &[
            "<html lang=\"fr\">",
            "<h2>Étiquettes et éléments justificatifs</h2>",
            "data-copied=\"Copiée\"",
            ">Copier la référence</button>",
        ],
        "paragraph page",
    );
    // Its tag chips lead to the search in French.
    assert!(
        paragraph.contains("href=\"/?ui=fr&amp;pillar="),
        "chips keep ui=fr"
    );
    let document = page_with(&format!("/d/{}?ui=fr", row.doc_id), &[]).await;
    assert_all(
        &document,
        &["<html lang=\"fr\">", "<dt>Cote du document</dt>"],
        "document page",
    );
    let trends = page_with("/trends?q=veto&ui=fr", &[]).await;
    assert_all(
        &trends,
        &[
            "<html lang=\"fr\">",
            "<h1>Évolution\u{a0}: <q>veto</q>",
            "par année",
            "Première apparition",
        ],
        "trends page",
    );
}

#[tokio::test]
async fn english_stays_the_default_and_unknown_values_are_english() {
    for (uri, headers) in [
        ("/", &[][..]),
        ("/?ui=de", &[][..]),
        ("/?ui=en", &[ACCEPT_FRENCH][..]),
        ("/", &[("accept-language", "de-DE, en;q=0.5, fr;q=0.2")][..]),
        ("/", &[("accept-language", "de-DE")][..]),
    ] {
        let (status, _, body) = get_with(uri, headers).await;
        assert_eq!(status, StatusCode::OK, "{uri} never an error");
        assert!(body.contains("<html lang=\"en\">"), "{uri} {headers:?}");
        assert_all(&body, ENGLISH_SEARCH, uri);
        assert_none(&body, &["Rechercher", "Pilier"], uri);
    }
}

#[tokio::test]
async fn the_language_switch_sets_a_cookie_that_later_pages_follow() {
    // The frame links to both languages.
    let body = page_with("/?q=veto", &[]).await;
    assert!(
        body.contains("href=\"/ui/fr?next=%2F%3Fq%3Dveto\""),
        "switch link"
    );
    assert!(body.contains(">Français</a>"));
    assert!(body.contains("<strong lang=\"en\" aria-current=\"true\">English</strong>"));

    let (status, headers, _) = get_with("/ui/fr?next=%2F%3Fq%3Dveto%26ui%3Den", &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers[header::LOCATION], "/?q=veto&ui=fr");
    let cookie = headers[header::SET_COOKIE].to_str().expect("ascii");
    assert!(cookie.starts_with("undex_ui=fr;"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");

    // The cookie is followed, before Accept-Language; the URL parameter comes first.
    let by_cookie = page_with("/", &[("cookie", "other=1; undex_ui=fr")]).await;
    assert!(by_cookie.contains("<html lang=\"fr\">"));
    let cookie_over_header = page_with("/", &[("cookie", "undex_ui=en"), ACCEPT_FRENCH]).await;
    assert!(cookie_over_header.contains("<html lang=\"en\">"));
    let param_over_cookie = page_with("/?ui=en", &[("cookie", "undex_ui=fr")]).await;
    assert!(param_over_cookie.contains("<html lang=\"en\">"));

    // Never away from the site; an unknown language is English.
    let (_, headers, _) = get_with("/ui/fr?next=%2F%2Fevil.example%2F", &[]).await;
    assert_eq!(headers[header::LOCATION], "/?ui=fr");
    let (_, headers, _) = get_with("/ui/xx?next=%2F", &[]).await;
    assert_eq!(headers[header::LOCATION], "/?ui=en");
}

#[tokio::test]
async fn error_pages_follow_the_language_and_the_json_api_stays_neutral() {
    let (status, _, body) = get_with("/no-such-page?ui=fr", &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_all(
        &body,
        &[
            "<html lang=\"fr\">",
            "<h1>Page introuvable</h1>",
            "Retour à la recherche",
        ],
        "404",
    );
    let (status, _, body) = get_with("/p/no-such-paragraph", &[ACCEPT_FRENCH]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("<h1>Page introuvable</h1>"), "{body}");
    let (status, _, body) = get_with("/?page=0&ui=fr", &[]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("<h1>Requête non valide</h1>"), "{body}");
    let (status, _, body) = get_with("/p/no-such-paragraph", &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("<h1>Not found</h1>"));

    // Pages say what their language depends on; the JSON API does not.
    let (_, headers, _) = get_with("/", &[]).await;
    assert_eq!(headers[header::VARY], "Accept-Language, Cookie");
    let (_, headers, _) = get_with("/api/search?q=veto", &[]).await;
    assert!(headers.get(header::VARY).is_none());

    // The JSON API answers the same whatever the language asked for.
    let (_, _, plain) = get_with("/api/search?q=veto&pillar=III", &[]).await;
    let (_, _, fr) = get_with("/api/search?q=veto&pillar=III&ui=fr", &[ACCEPT_FRENCH]).await;
    assert_eq!(plain, fr);
    let (status, _, missing) = get_with("/api/paragraphs/nope?ui=fr", &[ACCEPT_FRENCH]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(missing.contains("\"code\":\"not_found\""), "{missing}");
}

// ---------------------------------------------------------------------------------------
// The Fluent files against the code.

const LOCALES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/locales");
const SRC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src");

/// The messages of a Fluent file, which must parse without error: id → the variables its
/// value names.
fn ftl_messages(lang: &str) -> BTreeMap<String, BTreeSet<String>> {
    let path = format!("{LOCALES}/{lang}/main.ftl");
    let text = std::fs::read_to_string(&path).expect("ftl readable");
    let resource = fluent_syntax::parser::parse(text.as_str())
        .unwrap_or_else(|(_, errors)| panic!("{path} does not parse: {errors:?}"));
    resource
        .body
        .iter()
        .filter_map(|entry| match entry {
            fluent_syntax::ast::Entry::Message(m) => {
                // The variables, read from the message's own source text.
                let source = format!("{:?}", m.value);
                let vars = variable_names(&source);
                Some((m.id.name.to_string(), vars))
            }
            _ => None,
        })
        .collect()
}

/// The names of `VariableReference`s in the debug form of a Fluent pattern.
fn variable_names(debug: &str) -> BTreeSet<String> {
    let reference = regex::Regex::new(r#"VariableReference \{ id: Identifier \{ name: "([^"]+)""#)
        .expect("regex");
    reference
        .captures_iter(debug)
        .map(|c| c[1].to_string())
        .collect()
}

/// The message ids of a Fluent file.
fn ftl_ids(lang: &str) -> BTreeSet<String> {
    ftl_messages(lang).into_keys().collect()
}

/// Ids French gives for names whose English comes from their owner (registry, core, isolang).
fn owned_elsewhere(id: &str) -> bool {
    if let Some(rest) = id.strip_prefix("facet-") {
        let name = rest.strip_suffix("-description").unwrap_or(rest);
        return undex_index::registry::by_name(name).is_some();
    }
    if let Some(n) = id.strip_prefix("risk-factor-") {
        return n.parse::<u8>().is_ok_and(|n| (1..=14).contains(&n));
    }
    id.strip_prefix("language-")
        .is_some_and(|c| ["ar", "zh", "en", "es", "fr", "ru"].contains(&c))
        || id == "export-format-text"
}

/// The message ids the code names literally: `.t("…")`, `.args("…", …)`, `.t_or("…", …)` and
/// the `arg("…")` helpers, outside the `#[cfg(test)]` modules.
fn ids_in_code() -> BTreeSet<String> {
    let call = regex::Regex::new(r#"(?:\.t|\.args|\.t_or|\barg)\(\s*"([a-z][a-z0-9_-]*)""#)
        .expect("regex");
    let mut ids = BTreeSet::new();
    let mut dirs = vec![std::path::PathBuf::from(SRC)];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("src dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("source");
                let code = text.split("#[cfg(test)]").next().unwrap_or("");
                ids.extend(call.captures_iter(code).map(|c| c[1].to_string()));
            }
        }
    }
    ids
}

#[test]
fn both_fluent_files_hold_the_same_messages() {
    let en = ftl_ids("en");
    let fr = ftl_ids("fr");
    let only_en: Vec<&String> = en.difference(&fr).collect();
    assert_eq!(
        only_en,
        vec!["fallback-probe"],
        "messages missing from fr/main.ftl"
    );
    let only_fr: Vec<&String> = fr
        .difference(&en)
        .filter(|id| !owned_elsewhere(id))
        .collect();
    assert!(
        only_fr.is_empty(),
        "messages missing from en/main.ftl: {only_fr:?}"
    );
    // French names every facet of the panel and every filter field of the syntax help, all
    // 14 risk factors and the six official languages.
    for f in undex_index::registry::counted() {
        assert!(
            fr.contains(&format!("facet-{}", f.name)),
            "facet-{}",
            f.name
        );
    }
    for f in undex_index::registry::keywords() {
        let id = format!("facet-{}-description", f.name);
        assert!(fr.contains(&id), "{id}");
    }
    for n in 1..=14 {
        assert!(fr.contains(&format!("risk-factor-{n}")), "risk-factor-{n}");
    }
    for code in ["ar", "zh", "en", "es", "fr", "ru"] {
        assert!(fr.contains(&format!("language-{code}")), "language-{code}");
    }
}

#[test]
fn every_message_the_code_uses_resolves_in_both_languages() {
    let used = ids_in_code();
    assert!(used.len() > 100, "the scan finds the calls: {}", used.len());
    // Ids the code builds: `format!("trend-by-{}", …)` and the like.
    let mut built: Vec<String> = ["year", "body", "document"]
        .iter()
        .flat_map(|d| [format!("trend-by-{d}"), format!("trend-dimension-{d}")])
        .collect();
    built.extend((1..=12).map(|m| format!("month-{m}")));
    let en = ftl_messages("en");
    let fr = ftl_messages("fr");
    let (english, french) = (Ui::new(Lang::En, "/"), Ui::new(Lang::Fr, "/"));
    for id in used.iter().chain(&built) {
        assert!(en.contains_key(id), "{id} is not in en/main.ftl");
        assert!(fr.contains_key(id), "{id} is not in fr/main.ftl");
        // Both languages take the same arguments; with them, each formats without error.
        assert_eq!(en[id], fr[id], "{id}: not the same variables in en and fr");
        let args: Vec<(&str, Arg<'_>)> =
            en[id].iter().map(|v| (v.as_str(), Arg::Num(2.0))).collect();
        assert!(
            english.resolves_own(id, &args),
            "{id} does not resolve in English"
        );
        assert!(
            french.resolves_own(id, &args),
            "{id} does not resolve in French"
        );
        assert_ne!(french.args(id, &args), *id, "{id}");
    }
}

#[test]
fn a_missing_translation_falls_back_to_english_then_to_the_owners_text() {
    let (english, french) = (Ui::new(Lang::En, "/"), Ui::new(Lang::Fr, "/"));
    // A message only the English file has: the French page shows the English one.
    assert!(!french.resolves_own("fallback-probe", &[]));
    assert!(english.resolves_own("fallback-probe", &[]));
    assert_eq!(
        french.t("fallback-probe"),
        "This message is only in English."
    );
    assert_eq!(french.t("fallback-probe"), english.t("fallback-probe"));
    // A facet neither file names (a facet added to the registry later) keeps the registry's
    // English title in both languages; one French names is translated.
    assert_eq!(
        french.t_or("facet-not-yet-named", "Registry title"),
        "Registry title"
    );
    assert_eq!(english.t_or("facet-pillar", "Pillar"), "Pillar");
    assert_eq!(french.t_or("facet-pillar", "Pillar"), "Pilier");
    // An id no file has shows as itself rather than failing the page.
    assert_eq!(french.t("no-such-message"), "no-such-message");
}

//! The HTML pages as a reader meets them (issue #15, "Pages"), over an index of real
//! documents: the 2025 and 2026 Secretary-General reports on the responsibility to protect
//! (`shared/seeds`), the 2013 UPR Working Group report on Canada (A/HRC/24/11) and a 2009 UPR
//! national report in French (A/HRC/WG.6/7/ITA/1), from `shared/corpus`, extracted and tagged
//! as `undex ingest` does. Requests go through `router(..).oneshot(..)`; no socket.

// The shared helpers include some this binary does not use (`App`, `app_with`).
#[allow(dead_code)]
use crate::common;
#[path = "api/languages.rs"]
mod languages;

use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::Value;
use tower::ServiceExt;
use undex_core::{Language, ParagraphRow};
use undex_index::UndexIndex;
use undex_web::{AppState, router};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/pdf/");
/// A/HRC/24/11 (28 June 2013): the oldest document of the test index.
const CANADA_2013: &str = "hrc_upr_wg_reports/canada2013.pdf";
/// A/HRC/WG.6/7/ITA/1 in French.
const ITALY_2009_FR: &str = "ohchr_multilingual/ohchr_2_fr.pdf";

/// The rows of a corpus PDF, extracted and tagged as `undex ingest` does.
fn corpus_rows(file: &str) -> Vec<ParagraphRow> {
    let path = format!("{CORPUS}{file}");
    let bytes = std::fs::read(&path).expect("corpus file readable");
    let mut doc =
        undex_extract::extract(&bytes, &path, &Default::default()).expect("corpus PDF extracts");
    undex_tag::tag_document(&mut doc);
    doc.rows()
}

/// Every document of the test index, each as its rows.
fn documents() -> &'static Vec<Vec<ParagraphRow>> {
    static DOCS: OnceLock<Vec<Vec<ParagraphRow>>> = OnceLock::new();
    DOCS.get_or_init(|| {
        vec![
            common::seed_rows(common::R2026, true),
            common::seed_rows(common::R2025, true),
            corpus_rows(CANADA_2013),
            corpus_rows(ITALY_2009_FR),
        ]
    })
}

/// The app over an in-memory index of [`documents`], built once for all tests.
fn app() -> axum::Router {
    static APP: OnceLock<axum::Router> = OnceLock::new();
    APP.get_or_init(|| {
        let index = UndexIndex::in_memory().expect("index");
        index.replace_documents(documents()).expect("ingest");
        router(AppState::new(index))
    })
    .clone()
}

async fn get(uri: &str) -> (StatusCode, String) {
    let res = app()
        .oneshot(Request::get(uri).body(Body::empty()).expect("request"))
        .await
        .expect("infallible");
    let status = res.status();
    let body = axum::body::to_bytes(res.into_body(), 50_000_000)
        .await
        .expect("body");
    (status, String::from_utf8_lossy(&body).into_owned())
}

/// The body of a page that must answer 200.
async fn page(uri: &str) -> String {
    let (status, body) = get(uri).await;
    assert_eq!(status, StatusCode::OK, "{uri}: {body}");
    body
}

async fn json(uri: &str) -> Value {
    serde_json::from_str(&page(uri).await).expect("json")
}

/// `s` as maud escapes text.
fn escaped(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The byte offset of `needle` in `page`, which must hold it.
fn at(page: &str, needle: &str) -> usize {
    page.find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in the page"))
}

#[tokio::test]
async fn the_document_page_puts_the_text_before_the_cited_documents() {
    // The 2026 report cites dozens of documents: the list used to come before paragraph 1.
    let rows = &documents()[0];
    let api = json(&format!("/api/documents/{}", rows[0].doc_id)).await;
    let cites = api["cites"].as_array().expect("cites");
    assert!(cites.len() > 10, "the 2026 report cites many documents");
    let body = page(&format!("/d/{}", rows[0].doc_id)).await;
    let list = at(&body, "id=\"cites\"");
    let first = rows.first().expect("rows");
    let last = rows.last().expect("rows");
    let first_unit = at(&body, &escaped(&first.text));
    assert!(
        first_unit < list,
        "the first unit comes before the list of cited documents"
    );
    assert!(
        at(&body, &escaped(&last.text)) < list,
        "the whole text comes before the list of cited documents"
    );
    // The metadata says how many, and links down to the list.
    let summary = format!("cites {} documents", cites.len());
    assert!(
        at(&body, &summary) < first_unit,
        "{summary} in the metadata"
    );
    assert!(body.contains("href=\"#cites\""));
    // Every cited document is still listed.
    for c in cites {
        let symbol = c["symbol"].as_str().expect("symbol");
        assert!(body[list..].contains(&escaped(symbol)), "{symbol} listed");
    }
}

/// The year of the first bar of the trend of `query` by year (undated rows aside).
async fn first_charted_year(query: &str) -> Option<String> {
    let trend = json(&format!("/api/trends?{query}&by=year")).await;
    trend["points"]
        .as_array()
        .expect("points")
        .iter()
        .find(|p| p["count"].as_u64() > Some(0) && p["key"] != "undated")
        .map(|p| p["key"].as_str().expect("key").to_string())
}

#[tokio::test]
async fn the_first_appearance_on_the_trends_page_is_the_first_year_of_its_chart() {
    // It used to be the first row holding the query word for word, while the chart counts the
    // rows the search matches: "first appearance 2025" above bars from 2013.
    let mut older = 0;
    for query in [
        "q=responsibility+to+protect",
        "q=early+warning",
        "q=%22early+warning%22",
        "q=human+rights+defenders",
        "q=genocide",
        "q=prevention&year=2025",
    ] {
        let first_year = first_charted_year(query).await;
        let body = page(&format!("/trends?{query}")).await;
        let section = &body[at(&body, "First appearance")..];
        let Some(first_year) = first_year else {
            assert!(section.contains("No paragraph matches."), "{query}");
            continue;
        };
        let cited = section
            .split("href=\"/p/")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap_or_else(|| panic!("{query}: a paragraph linked"));
        let row = documents()
            .iter()
            .flatten()
            .find(|r| r.id == cited)
            .expect("a row of the index");
        let date = row.date.as_deref().expect("a dated row");
        assert_eq!(&date[..4], first_year, "{query}: first appearance {cited}");
        assert!(
            section.contains(&format!("<time datetime=\"{date}\">")),
            "{query}: its date shown"
        );
        older += usize::from(first_year.as_str() < "2025");
    }
    assert!(older > 0, "some query first appears in an older document");
}

/// Every `href` of an XML or HTML text, `&amp;` unescaped.
fn hrefs(text: &str) -> Vec<String> {
    text.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(|h| h.replace("&amp;", "&"))
        .collect()
}

#[tokio::test]
async fn every_link_of_the_atom_feed_resolves() {
    // The feed linked to `/search?q=…`, which is 404: the search page is `/`.
    for query in [
        "",
        "q=genocide",
        "q=veto&year=2025",
        "q=recommended&rec=true&lang=en",
    ] {
        let feed = page(&format!("/feed.atom?{query}")).await;
        let links = hrefs(&feed);
        let entries = feed.matches("<entry>").count();
        assert!(entries > 0, "{query}: entries");
        // Each entry's permalink, the search page and the feed itself.
        assert!(links.len() >= entries + 2, "{query}: {links:?}");
        for link in &links {
            let path = link
                .strip_prefix("http://localhost")
                .unwrap_or_else(|| panic!("{link}: a link to this site"));
            let (status, _) = get(path).await;
            assert_eq!(status, StatusCode::OK, "{query}: {link}");
        }
        // The search page it links to is the same search, filters included.
        let head = &feed[..feed.find("<entry").unwrap_or(feed.len())];
        let alternate = head
            .split("<link")
            .find(|l| l.contains("rel=\"alternate\"") && l.contains("text/html"))
            .expect("an alternate link");
        let search = &hrefs(alternate)[0];
        // The same parameters, in any order.
        let pairs = |qs: &str| {
            let mut p: Vec<String> = qs
                .split('&')
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .collect();
            p.sort();
            p
        };
        let given = search
            .strip_prefix("http://localhost/")
            .unwrap_or_else(|| panic!("{search}: the search page"));
        assert_eq!(
            pairs(given.trim_start_matches('?')),
            pairs(query),
            "{query}: {search}"
        );
    }
}

/// The part of a search page listing facet `title` ("Year"), up to the end of its section.
fn facet_section<'a>(body: &'a str, title: &str) -> &'a str {
    let rest = &body[at(body, &format!("<h3>{title}</h3>"))..];
    &rest[..rest.find("</section>").unwrap_or(rest.len())]
}

#[tokio::test]
async fn the_year_facet_lists_years_newest_first() {
    for query in ["", "q=protect", "q=human+rights"] {
        let api = json(&format!("/api/search?{query}")).await;
        let by_count: Vec<&str> = api["facets"]["year"]
            .as_array()
            .expect("year facet")
            .iter()
            .map(|c| c["value"].as_str().expect("value"))
            .collect();
        let body = page(&format!("/?{query}")).await;
        let listed: Vec<String> = hrefs(facet_section(&body, "Year"))
            .iter()
            .filter_map(|h| {
                serde_urlencoded::from_str::<Vec<(String, String)>>(h.trim_start_matches("/?"))
                    .ok()?
                    .into_iter()
                    .find(|(k, _)| k == "year")
                    .map(|(_, v)| v)
            })
            .collect();
        let mut newest_first = listed.clone();
        newest_first.sort_by(|a, b| b.cmp(a));
        assert_eq!(listed, newest_first, "{query}: years newest first");
        let mut api_years: Vec<String> = by_count.iter().map(|s| s.to_string()).collect();
        api_years.sort_by(|a, b| b.cmp(a));
        assert_eq!(listed, api_years, "{query}: every year of the facet");
        // Counts stay with their year.
        for c in api["facets"]["year"].as_array().expect("year facet") {
            let value = c["value"].as_str().expect("value");
            let item = &body[at(&body, &format!("year={value}\""))..];
            let count = item
                .split("<span class=\"count\">")
                .nth(1)
                .and_then(|s| s.split('<').next())
                .expect("a count");
            assert_eq!(count, c["count"].to_string(), "{query}: {value}");
        }
    }
    // The API lists the most frequent year first: here an older year outnumbers a newer one,
    // so the test tells the two orders apart.
    let api = json("/api/search").await;
    let first = api["facets"]["year"][0]["value"].as_str().expect("value");
    let newest = documents()
        .iter()
        .flatten()
        .filter_map(|r| r.year)
        .max()
        .expect("a year");
    assert_ne!(
        first,
        newest.to_string(),
        "the most frequent year is not the newest"
    );
}

#[tokio::test]
async fn countries_and_languages_show_as_names_with_codes_as_filter_values() {
    // Languages: the facet, the active filter and the document page.
    let body = page("/").await;
    let languages = facet_section(&body, "Language");
    for (code, name) in [("en", "English"), ("fr", "French")] {
        assert!(
            languages.contains(&format!("href=\"/?lang={code}\">{name}</a>")),
            "{code}: {languages}"
        );
    }
    let french = page("/?lang=fr").await;
    assert!(french.contains("lang: French ✕"), "active filter");
    let doc = &documents()[3];
    assert_eq!(doc[0].language, Language::Fr);
    let doc_page = page(&format!("/d/{}", doc[0].doc_id)).await;
    assert!(doc_page.contains("<dt>Language</dt><dd>French</dd>"));

    // Countries: the facet, the active filter and the chips of a result.
    let body = page("/?q=Palestinian").await;
    let countries = facet_section(&body, "Country");
    assert!(
        countries.contains("country=PSE\">State of Palestine</a>"),
        "{countries}"
    );
    assert!(!countries.contains(">PSE<"), "no bare code: {countries}");
    let filtered = page("/?q=Palestinian&country=PSE").await;
    assert!(filtered.contains("country: State of Palestine ✕"));
    assert!(
        filtered.contains("title=\"PSE\">State of Palestine</"),
        "a result's country chip"
    );
    // Every country of the facet is named, not coded (the tagger's table names them all).
    let api = json("/api/search?per_page=1").await;
    let all = page("/").await;
    let section = facet_section(&all, "Country");
    for c in api["facets"]["country"].as_array().expect("country facet") {
        let code = c["value"].as_str().expect("value");
        let name = undex_tag::country_name(code).expect("a name for every tagged code");
        assert!(
            section.contains(&format!("country={code}\">{}</a>", escaped(name))),
            "{code} → {name}"
        );
    }
}

#[tokio::test]
async fn the_evidence_list_shows_each_piece_of_evidence_once() {
    // Paragraphs whose tagger evidence repeats the same words for the same tag and rule.
    let key = |e: &undex_core::EvidenceRow| {
        (
            e.family.clone(),
            e.value.clone(),
            e.evidence.rule.clone(),
            e.evidence.text.to_lowercase(),
        )
    };
    let repeated: Vec<&ParagraphRow> = documents()
        .iter()
        .flatten()
        .filter(|r| {
            let mut keys: Vec<_> = r.evidence.iter().map(key).collect();
            keys.sort();
            keys.windows(2).any(|w| w[0] == w[1])
        })
        .take(10)
        .collect();
    assert!(!repeated.is_empty(), "some paragraph repeats its evidence");
    for row in repeated {
        let body = page(&format!("/p/{}", row.id)).await;
        let list = &body[at(&body, "<ul class=\"evidence\">")..];
        let list = &list[..at(list, "</ul>")];
        let mut seen = std::collections::BTreeMap::new();
        for e in &row.evidence {
            *seen.entry(key(e)).or_insert(0usize) += 1;
        }
        assert_eq!(
            list.matches("<li>").count(),
            seen.len(),
            "{}: one line per piece of evidence",
            row.id
        );
        for ((_, _, rule, _), times) in &seen {
            if *times > 1 {
                assert!(
                    list.contains(&format!("({times} times)")),
                    "{}: {rule} counted",
                    row.id
                );
            }
        }
    }
}

#[tokio::test]
async fn risk_chips_name_their_risk_factor() {
    let body = page("/?q=armed+conflict&per_page=50").await;
    let chips: Vec<&str> = body
        .split("<a class=\"chip risk\"")
        .skip(1)
        .map(|c| {
            let text = &c[at(c, ">") + 1..];
            &text[..at(text, "</a>")]
        })
        .collect();
    assert!(!chips.is_empty(), "results with risk factors");
    for chip in chips {
        let n: u8 = chip
            .strip_prefix("Risk factor ")
            .and_then(|s| s.split(':').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{chip}: a numbered risk factor"));
        let name = undex_core::risk_factor_name(n).expect("1–14");
        assert_eq!(chip, format!("Risk factor {n}: {name}"));
    }
    // The paragraph page's chips too.
    let row = documents()
        .iter()
        .flatten()
        .find(|r| !r.risk_factors.is_empty())
        .expect("a paragraph with a risk factor");
    let body = page(&format!("/p/{}", row.id)).await;
    for n in &row.risk_factors {
        let name = undex_core::risk_factor_name(*n).expect("1–14");
        assert!(body.contains(&format!(">Risk factor {n}: {}</a>", escaped(name))));
    }
}

/// The query-string pairs of a search-page link (`/?q=veto&year=2025`).
fn link_pairs(href: &str) -> Vec<(String, String)> {
    serde_urlencoded::from_str(href.strip_prefix("/?").unwrap_or_else(|| panic!("{href}")))
        .expect("a query string")
}

#[tokio::test]
async fn a_tag_on_a_result_keeps_the_search_words_and_filters() {
    let search = "q=protect&year=2025";
    let body = page(&format!("/?{search}")).await;
    let kept = link_pairs(&format!("/?{search}"));
    let mut checked = 0;
    for hit in body.split("<article class=\"hit\">").skip(1) {
        let hit = &hit[..at(hit, "</article>")];
        let chips = &hit[at(hit, "<span class=\"chips\">")..];
        for href in hrefs(chips) {
            let pairs = link_pairs(&href);
            for pair in &kept {
                assert!(pairs.contains(pair), "{href} keeps {pair:?}");
            }
            let added: Vec<&(String, String)> =
                pairs.iter().filter(|p| !kept.contains(p)).collect();
            assert_eq!(added.len(), 1, "{href}: one tag filter added");
            assert!(
                ["pillar", "risk", "rec", "addressee", "crime", "country"]
                    .contains(&added[0].0.as_str()),
                "{href}"
            );
            // The narrowed search finds at least the result the tag was on.
            let narrowed = page(&href).await;
            assert!(!narrowed.contains("No paragraph matches."), "{href}");
            checked += 1;
        }
    }
    assert!(checked > 5, "results carry tags ({checked})");
    // Outside a search (a paragraph page) the tag links start a new search.
    let row = documents()
        .iter()
        .flatten()
        .find(|r| !r.pillars.is_empty())
        .expect("a tagged paragraph");
    let body = page(&format!("/p/{}", row.id)).await;
    assert!(body.contains(&format!(
        "class=\"chip pillar\" href=\"/?pillar={}\"",
        row.pillars[0]
    )));
}

/// Issue #15: the words of a search are all required, typed filters and bare symbols too,
/// and the paragraphs with some of the words follow under their own heading; the API says
/// which hits hold all the words.
#[tokio::test]
async fn searches_mean_all_the_words_and_partial_matches_follow() {
    let hit_ids = |v: &Value, all: bool| -> Vec<String> {
        v["hits"]
            .as_array()
            .expect("hits")
            .iter()
            .filter(|h| h["all_words"].as_bool() == Some(all))
            .map(|h| h["id"].as_str().expect("id").to_string())
            .collect()
    };
    let texts = |v: &Value| -> Vec<String> {
        v["hits"]
            .as_array()
            .expect("hits")
            .iter()
            .filter(|h| h["all_words"].as_bool() == Some(true))
            .map(|h| h["text"].as_str().expect("text").to_lowercase())
            .collect()
    };

    // `veto restraint`: every full match holds both words; the 2026 veto paragraph is one.
    let v = json("/api/search?q=veto+restraint&per_page=50").await;
    let total = v["total"].as_u64().expect("total");
    assert!(total >= 1);
    assert!(
        texts(&v)
            .iter()
            .all(|t| t.contains("veto") && t.contains("restraint"))
    );
    assert_eq!(hit_ids(&v, true).len() as u64, total);

    // `pillar:III veto`: Pillar III paragraphs that hold "veto", not all Pillar III ones.
    let pillar3 = json("/api/search?q=pillar:III&per_page=1").await["total"]
        .as_u64()
        .expect("total");
    let v = json("/api/search?q=pillar:III+veto&per_page=50").await;
    let t = v["total"].as_u64().expect("total");
    assert!(t >= 1 && t < pillar3, "{t} of {pillar3}");
    assert!(texts(&v).iter().all(|t| t.contains("veto")));
    assert!(v["hits"].as_array().expect("hits").iter().all(|h| {
        h["pillars"]
            .as_array()
            .is_some_and(|p| p.iter().any(|p| p == "III"))
    }));

    // `A/79/875 veto`: that document's paragraphs holding "veto", not its whole text.
    let doc = json("/api/search?q=A/79/875&per_page=1").await["total"]
        .as_u64()
        .expect("total");
    let v = json("/api/search?q=A/79/875+veto&per_page=50").await;
    let t = v["total"].as_u64().expect("total");
    assert!(t >= 1 && t < doc, "{t} of {doc}");
    assert!(texts(&v).iter().all(|t| t.contains("veto")));

    // `early warning Myanmar`: the full matches hold all three words; when the page reaches
    // past them, paragraphs with some of the words follow, in the API and on the page.
    let v = json("/api/search?q=early+warning+Myanmar&per_page=20").await;
    assert!(
        texts(&v)
            .iter()
            .all(|t| t.contains("early") && t.contains("warning") && t.contains("myanmar"))
    );
    let partial = hit_ids(&v, false);
    assert!(!partial.is_empty(), "no partial matches: {v}");
    let body = page("/?q=early+warning+Myanmar&per_page=20").await;
    let heading = at(&body, "Paragraphs with some of the words");
    let first_partial = at(&body, &partial[0]);
    assert!(heading < first_partial);

    // No paragraph holds every word: the page says so, and still shows the partial matches.
    let body = page("/?q=early+warning+zanzibarite").await;
    assert!(body.contains("No paragraph holds all the words of this search."));
    assert!(body.contains("Paragraphs with some of the words"));
    assert!(body.contains("class=\"hit"));
    let v = json("/api/search?q=early+warning+zanzibarite").await;
    assert_eq!(v["total"], 0);
    assert!(!hit_ids(&v, false).is_empty());
}

/// A civil-society summary (the Global Centre for R2P's summary of the 2026 report, in
/// `shared/seeds`) is indexed, but labelled "Not a UN document" with its author on the result,
/// the paragraph page and the document page, and never cited by its file name; the UN
/// reports beside it carry no such label.
#[tokio::test]
async fn a_document_not_issued_by_the_un_is_labelled_so() {
    let summary = common::seed_rows("gcr2p-summary-of-2026-report.txt", true);
    assert!(summary.iter().all(|r| !r.is_un_document()));
    let author = summary[0]
        .author
        .clone()
        .expect("the summary's author is read");
    assert!(author.contains("Global Centre"), "{author}");
    let app = common::app_with(summary.clone(), common::seed_rows(common::R2025, true)).router;
    let get = |uri: String| {
        let app = app.clone();
        async move {
            let res = app
                .oneshot(Request::get(&uri).body(Body::empty()).expect("request"))
                .await
                .expect("infallible");
            assert_eq!(res.status(), StatusCode::OK, "{uri}");
            let body = axum::body::to_bytes(res.into_body(), 50_000_000)
                .await
                .expect("body");
            String::from_utf8_lossy(&body).into_owned()
        }
    };
    let label = "Not a UN document";

    // The API: the summary's hits say what they are and cite no file name.
    let v: Value =
        serde_json::from_str(&get("/api/search?q=double+standards&per_page=50".into()).await)
            .expect("json");
    let hits = v["hits"].as_array().expect("hits");
    let (ours, un): (Vec<&Value>, Vec<&Value>) = hits
        .iter()
        .partition(|h| summary.iter().any(|r| h["id"] == r.id.as_str()));
    assert!(
        !ours.is_empty(),
        "the summary speaks of double standards: {v}"
    );
    for h in &ours {
        assert!(
            h["doc_type"]
                .as_str()
                .expect("doc_type")
                .ends_with(" (non-UN)"),
            "{h}"
        );
        assert_eq!(h["un_document"], false, "{h}");
        assert!(
            !h["citation"].as_str().expect("citation").contains(".txt"),
            "{h}"
        );
    }

    // The results page: one label per summary hit, none on the UN report's hits.
    let body = get("/?q=double+standards&per_page=50".into()).await;
    assert_eq!(body.matches(label).count(), ours.len(), "{body}");
    assert!(body.contains(&escaped(&author)));
    assert!(un.iter().all(|h| h["un_document"] == true), "{un:?}");

    // The paragraph page and the document page of the summary carry it; a UN report's do not.
    let p = get(format!("/p/{}", summary[0].id)).await;
    assert!(p.contains(label), "{p}");
    let doc_link = p
        .split("href=\"")
        .find(|s| s.starts_with("/d/"))
        .and_then(|s| s.split(['"', '#']).next())
        .expect("a link to the document page")
        .to_string();
    assert!(get(doc_link).await.contains(label));
    let un_row = &common::seed_rows(common::R2025, true)[5];
    assert!(!get(format!("/p/{}", un_row.id)).await.contains(label));
}

/// A search that asks about the tags is read as filters on them, shown as removable chips
/// (issue #13, "search that understands tag questions"): `recommendations to regional
/// organizations` lists only paragraphs tagged as recommendations addressed to regional
/// organizations, the R2P reports' first; `as_typed` searches the words as typed.
#[tokio::test]
async fn a_question_about_the_tags_is_read_as_filters_on_them() {
    let v = json("/api/search?q=recommendations+to+regional+organizations&per_page=100").await;
    let understood: Vec<(String, String)> = v["understood"]
        .as_array()
        .expect("understood")
        .iter()
        .map(|u| {
            (
                u["param"].as_str().expect("param").to_string(),
                u["value"].as_str().expect("value").to_string(),
            )
        })
        .collect();
    assert_eq!(
        understood,
        [
            ("rec".to_string(), "true".to_string()),
            (
                "addressee".to_string(),
                "regional organizations".to_string()
            )
        ]
    );
    assert_eq!(v["searched"], "");
    let hits = v["hits"].as_array().expect("hits");
    assert!(hits.len() >= 2, "{v}");
    assert_eq!(v["total"].as_u64(), Some(hits.len() as u64));
    for h in hits {
        assert_eq!(h["recommendation"], true, "{h}");
        assert!(
            h["addressees"]
                .as_array()
                .expect("addressees")
                .iter()
                .any(|a| a == "regional organizations"),
            "{h}"
        );
    }
    // Ranked by the addressee's words: the first hit names regional organizations, and it
    // is one of the R2P reports' paragraphs.
    let r2p: Vec<&str> = documents()[..2]
        .iter()
        .flatten()
        .map(|r| r.id.as_str())
        .collect();
    assert!(
        r2p.contains(&hits[0]["id"].as_str().expect("id")),
        "{}",
        hits[0]
    );
    assert!(
        hits[0]["snippet"]
            .as_str()
            .expect("snippet")
            .to_lowercase()
            .contains("<mark>regional</mark>"),
        "{}",
        hits[0]
    );
    // The filters count exactly what the same explicit filters count.
    let explicit = json("/api/search?rec=true&addressee=regional+organizations&per_page=1").await;
    assert_eq!(explicit["total"], v["total"]);

    // Other questions.
    let v = json("/api/search?q=calls+upon+Member+States&per_page=100").await;
    assert!(v["total"].as_u64().expect("total") > 0, "{v}");
    for h in v["hits"].as_array().expect("hits") {
        assert!(
            h["addressees"]
                .as_array()
                .expect("addressees")
                .iter()
                .any(|a| a == "Member States"),
            "{h}"
        );
    }
    let v = json("/api/search?q=risk+factor+7+in+2026&per_page=100").await;
    assert!(v["total"].as_u64().expect("total") > 0, "{v}");
    for h in v["hits"].as_array().expect("hits") {
        assert!(
            h["risk_factors"]
                .as_array()
                .expect("risks")
                .contains(&Value::from(7)),
            "{h}"
        );
        assert!(h["date"].as_str().expect("date").starts_with("2026"), "{h}");
    }

    // The page shows the reading as chips; as typed, the words are searched.
    let body = page("/?q=recommendations+to+regional+organizations").await;
    assert!(body.contains("Read as:"), "{body}");
    assert!(body.contains("addressed to regional organizations"));
    assert!(body.contains("search the words as typed"));
    let typed =
        json("/api/search?q=recommendations+to+regional+organizations&as_typed=true&per_page=5")
            .await;
    assert_eq!(typed["understood"].as_array().map(Vec::len), Some(0));
    assert_eq!(
        typed["searched"],
        "recommendations to regional organizations"
    );
    assert_ne!(typed["total"], explicit["total"]);
    // The reader's own syntax is taken as typed.
    let v = json("/api/search?q=pillar:III+veto").await;
    assert_eq!(v["understood"].as_array().map(Vec::len), Some(0));
}

/// The facet panel of `page` (from its `<aside class="facets"` to the aside's end).
fn facet_panel(page: &str) -> &str {
    let from = at(page, "<aside class=\"facets\"");
    let to = from + at(&page[from..], "</aside>");
    &page[from..to]
}

/// Counts over a sample say so, with a link to the same search and page counted over every
/// match; following it gives the counts of every match, with no `≈` and no link.
#[tokio::test]
async fn sampled_facet_counts_link_to_exact_ones() {
    let total = json("/api/search?q=prevention&per_page=1").await["total"]
        .as_u64()
        .expect("total");
    assert!(total > 100, "{total} matches");
    let exact = page("/?q=prevention&page=2").await;
    let exact_panel = facet_panel(&exact);
    assert!(!exact_panel.contains("facets-approximate") && !exact_panel.contains('≈'));

    let sampled = page("/?q=prevention&page=2&facet_rows=20").await;
    let panel = facet_panel(&sampled);
    assert!(panel.contains("facets-approximate") && panel.contains('≈'));
    assert_ne!(
        panel, exact_panel,
        "a sample of 20 rows estimates other counts"
    );
    let link = escaped(&format!("/?q=prevention&page=2&facet_rows={total}"));
    assert!(
        panel.contains(&format!("href=\"{link}\"")),
        "the panel links to {link}: {panel}"
    );

    let followed = page(&format!("/?q=prevention&page=2&facet_rows={total}")).await;
    assert_eq!(facet_panel(&followed), exact_panel);
}

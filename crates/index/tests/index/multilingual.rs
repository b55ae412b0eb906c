//! Language routing on one real document in two official languages: A/HRC/WG.6/7/ITA/1 in
//! English and French, and A/HRC/WG.6/34/ITA/3 in English and Russian (`shared/corpus/pdf/
//! ohchr_multilingual`), read by `undex_extract`.

use undex_core::{Language, ParagraphRow};
use undex_index::{Filters, SearchRequest, UndexIndex};

fn rows_of(file: &str) -> Vec<ParagraphRow> {
    undex_testkit::shared_rows(&format!("corpus/pdf/ohchr_multilingual/{file}"))
}

fn count(index: &UndexIndex, q: &str, lang: &str) -> usize {
    index
        .search(&SearchRequest {
            q: q.into(),
            filters: Filters::default().with("language", lang),
            limit: 1,
            ..Default::default()
        })
        .expect("query parses")
        .total
}

#[test]
fn each_language_is_stemmed_by_its_own_analyzer_and_english_is_preferred() {
    let mut docs = vec![
        rows_of("ohchr_2_en.pdf"),
        rows_of("ohchr_2_fr.pdf"),
        rows_of("ohchr_1_en.pdf"),
        rows_of("ohchr_1_ru.pdf"),
    ];
    let langs: Vec<&str> = docs.iter().map(|d| d[0].language.as_str()).collect();
    assert_eq!(langs, ["en", "fr", "en", "ru"]);
    // Symbols from the corpus MANIFEST should the extractor miss them (old layouts), so that
    // the two versions of A/HRC/WG.6/7/ITA/1 share their symbol as they do in print.
    for d in &mut docs[..2] {
        for r in d.iter_mut().filter(|r| r.symbol.is_none()) {
            r.symbol = Some("A/HRC/WG.6/7/ITA/1".into());
            r.symbols = vec!["A/HRC/WG.6/7/ITA/1".into()];
        }
    }
    let index = UndexIndex::in_memory().expect("index");
    index.replace_documents(&docs).expect("ingest");

    // French: the singular finds the plural through the French stemmer, in French rows only.
    let fr_text: String = docs[1].iter().map(|r| r.text.to_lowercase()).collect();
    assert!(fr_text.contains("droits"));
    assert!(count(&index, "droit", "fr") >= count(&index, "\"droits\"", "fr"));
    assert!(count(&index, "droit", "fr") > 0);
    // Russian: "права" (rights) and "право" (right) share a stem.
    let ru_text: String = docs[3].iter().map(|r| r.text.to_lowercase()).collect();
    assert!(ru_text.contains("прав"));
    assert!(count(&index, "права", "ru") > 0);
    assert_eq!(count(&index, "права", "en"), 0);
    // The facet lists both languages.
    let all = index.search(&SearchRequest::default()).expect("list all");
    let langs: Vec<&str> = all.facets["language"]
        .iter()
        .map(|f| f.value.as_str())
        .collect();
    assert_eq!(langs.len(), 3, "{langs:?}");

    // The symbol of a bilingual document opens the English version.
    let symbol = docs[1][0]
        .symbol
        .clone()
        .expect("French version has its symbol");
    assert_eq!(Some(&symbol), docs[0][0].symbol.as_ref());
    let doc = index.document(&symbol).expect("document");
    assert_eq!(doc[0].language, Language::En);
    assert_eq!(doc.len(), docs[0].len());
    // Its French version by document id.
    let fr = index.document(&docs[1][0].doc_id).expect("document");
    assert_eq!(fr.len(), docs[1].len());
}

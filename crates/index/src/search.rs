//! Searching: the query parser, structured filters, ranking, facet counts and snippets
//! ([`UndexIndex::search`]).

use std::collections::BTreeMap;
use std::ops::Bound;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query, QueryParser, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Order, Searcher, Term};
use undex_core::ParagraphRow;

use crate::schema::lang_field;
use crate::{
    Filters, Hit, IndexError, MAX_LIMIT, SNIPPET_CHARS, SearchRequest, SearchResponse, UndexIndex,
    escape_html, facets, limits, query, registry,
};

impl UndexIndex {
    /// The query plan for the languages `searcher` holds (see [`query`]), built on first use.
    /// Which languages a searcher holds changes only with its generation (a commit), so the
    /// plan of the last generation is kept and a search of it reads no term dictionary.
    pub(crate) fn parser(&self, searcher: &Searcher) -> std::sync::Arc<query::QueryPlan> {
        let generation = searcher.generation().generation_id();
        let lock = || {
            self.plans
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        };
        if let Some((g, plan)) = &lock().last
            && *g == generation
        {
            return std::sync::Arc::clone(plan);
        }
        let mut held: u16 = 0;
        for (i, field) in self.fields.text_lang.iter().enumerate() {
            let has_terms = searcher.segment_readers().iter().any(|s| {
                s.inverted_index(*field)
                    .is_ok_and(|ii| ii.terms().num_terms() > 0)
            });
            if has_terms {
                held |= 1 << i;
            }
        }
        if held == 0 {
            // An empty index: every language, so that queries are checked the same way.
            held = 0xFF;
        }
        let all_stemmed = self.all_rows_stemmed(searcher);
        if all_stemmed {
            held |= 1 << 8;
        }
        let mut plans = lock();
        let plan = plans.by_key.entry(held).or_insert_with(|| {
            let f = &self.fields;
            let schema = self.index.schema();
            // The title is not a default field: a word of the title would match every paragraph
            // of the document, and the total counts paragraphs holding the words themselves
            // (`title:` still searches it).
            let held_fields: Vec<Field> = f
                .text_lang
                .iter()
                .enumerate()
                .filter(|(i, _)| held & (1 << i) != 0)
                .map(|(_, field)| *field)
                .collect();
            let mut default_fields = vec![f.text_exact, f.symbol];
            default_fields.extend(&held_fields);
            let mut parser = QueryParser::for_index(&self.index, default_fields);
            // Words are required (see `query`); the stemmed field ranks first, exact wording
            // adds to it.
            parser.set_conjunction_by_default();
            parser.set_field_boost(f.text_exact, 0.6);
            // A bare symbol ("A/79/875 veto") selects the document; it should not outweigh text.
            parser.set_field_boost(f.symbol, 0.2);
            let name = |field: Field| schema.get_field_name(field).to_string();
            let words = all_stemmed.then(|| query::WordFields {
                matching: held_fields
                    .iter()
                    .copied()
                    .chain([f.symbol])
                    .map(name)
                    .collect(),
                scoring: name(f.text_exact),
            });
            std::sync::Arc::new(query::QueryPlan { parser, words })
        });
        let plan = std::sync::Arc::clone(plan);
        plans.last = Some((generation, std::sync::Arc::clone(&plan)));
        plan
    }

    /// True when every row `searcher` holds is in a language with a stemmed, non-Chinese
    /// field (see [`query`]): the `lang` postings of those languages cover every row.
    fn all_rows_stemmed(&self, searcher: &Searcher) -> bool {
        let lang = self.fields.keyword("lang");
        searcher.segment_readers().iter().all(|segment| {
            let Ok(index) = segment.inverted_index(lang) else {
                return false;
            };
            let mut covered: u64 = 0;
            for (language, _) in crate::schema::STEMMERS {
                match index.doc_freq(&Term::from_field_text(lang, language.as_str())) {
                    Ok(n) => covered += u64::from(n),
                    Err(_) => return false,
                }
            }
            covered >= u64::from(segment.max_doc())
        })
    }

    /// The rows a query selects: those holding all its words (see [`query`]).
    pub(crate) fn parse(&self, q: &str) -> Result<Box<dyn Query>, IndexError> {
        let searcher = self.reader.searcher();
        Ok(query::parse(&self.parser(&searcher), q)?.all)
    }

    pub(crate) fn keyword_term(field: Field, value: &str) -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, &value.trim().to_lowercase()),
            IndexRecordOption::Basic,
        ))
    }

    pub(crate) fn filter_clauses(&self, f: &Filters) -> Result<Vec<Box<dyn Query>>, IndexError> {
        let mut out: Vec<Box<dyn Query>> = Vec::new();
        let year_term = |y: i32| Term::from_field_i64(self.fields.year, i64::from(y));
        if let Some(y) = f.year {
            out.push(Box::new(TermQuery::new(
                year_term(y),
                IndexRecordOption::Basic,
            )));
        }
        if f.year_from.is_some() || f.year_to.is_some() {
            let lo = f
                .year_from
                .map_or(Bound::Unbounded, |y| Bound::Included(year_term(y)));
            let hi = f
                .year_to
                .map_or(Bound::Unbounded, |y| Bound::Included(year_term(y)));
            out.push(Box::new(RangeQuery::new(lo, hi)));
        }
        for (name, value) in &f.keywords {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            let facet = registry::by_name(name)
                .filter(|f| f.kind != registry::ValueKind::Year)
                .ok_or_else(|| IndexError::InvalidQuery {
                    message: format!("no filter named {name:?}"),
                })?;
            out.push(Self::keyword_term(
                self.fields.keyword(facet.field),
                &(facet.normalize)(value),
            ));
        }
        if let Some(d) = &f.doc_id {
            out.push(Box::new(TermQuery::new(
                Term::from_field_text(self.fields.doc_id, d),
                IndexRecordOption::Basic,
            )));
        }
        Ok(out)
    }

    /// Runs a search: the rows holding all the words of the query and passing the filters,
    /// ranked by BM25 (or listed in document order when `q` is blank), with facet counts
    /// over them; when the query joins two or more words without an operator, the best rows
    /// holding only some of the words follow them, page after page (see [`query`]).
    ///
    /// # Errors
    /// [`IndexError::InvalidQuery`] when `q` does not parse or is over a limit of [`limits`];
    /// [`IndexError::ResultWindow`] when `offset + limit` is past
    /// [`limits::MAX_RESULT_WINDOW`]; [`IndexError::Tantivy`] /
    /// [`IndexError::Row`] on a damaged index.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResponse, IndexError> {
        limits::check_window(req.offset, req.limit.min(MAX_LIMIT))?;
        let searcher = self.reader.searcher();
        let parsed = if req.q.trim().is_empty() {
            None
        } else {
            Some(query::parse(&self.parser(&searcher), &req.q)?)
        };
        let filters: Vec<Box<dyn Query>> = self
            .filter_clauses(&req.filters)?
            .into_iter()
            .map(|f| Box::new(ConstScoreQuery::new(f, 0.0)) as Box<dyn Query>)
            .collect();
        let with_filters = |q: Option<Box<dyn Query>>, not: Option<Box<dyn Query>>| {
            let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            clauses.extend(q.map(|q| (Occur::Must, q)));
            clauses.extend(filters.iter().map(|f| (Occur::Must, f.box_clone())));
            clauses.extend(not.map(|q| (Occur::MustNot, q)));
            let query: Box<dyn Query> = if clauses.is_empty() {
                Box::new(AllQuery)
            } else {
                Box::new(BooleanQuery::new(clauses))
            };
            query
        };
        // Ranking words without a query: every row passing the filters, ordered by the words.
        let rank: Option<Box<dyn Query>> = if parsed.is_none() && !req.rank.trim().is_empty() {
            query::parse(&self.parser(&searcher), &req.rank)
                .ok()
                .map(|p| p.some.unwrap_or(p.all))
        } else {
            None
        };
        let query = match &rank {
            Some(words) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, with_filters(None, None)),
                (Occur::Should, words.box_clone()),
            ])),
            None => with_filters(parsed.as_ref().map(|p| p.all.box_clone()), None),
        };
        let limit = req.limit.min(MAX_LIMIT);
        let facet_collector = (!req.skip_facets)
            .then(|| {
                self.facet_tables.retain(&searcher);
                facets::facet_collector(std::sync::Arc::clone(&self.facet_tables), &searcher)
            })
            .transpose()?;
        let top = TopDocs::with_limit(limit.max(1)).and_offset(req.offset);
        let (addresses, total, facet_fruit): (Vec<(f32, DocAddress)>, usize, _) =
            if parsed.is_some() || rank.is_some() {
                self.search_threads.run(
                    &searcher,
                    &query,
                    &(top.order_by_score(), Count, facet_collector),
                )?
            } else {
                let (hits, total, facets) = self.search_threads.run(
                    &searcher,
                    &query,
                    &(
                        top.order_by_string_fast_field("sort_key", Order::Asc),
                        Count,
                        facet_collector,
                    ),
                )?;
                (
                    hits.into_iter().map(|(_, a)| (0.0, a)).collect(),
                    total,
                    facets,
                )
            };
        let (facets, facets_approximate) =
            facet_fruit.map_or_else(|| (BTreeMap::new(), false), |f| (f.counts, f.approximate));
        let mut found: Vec<(f32, DocAddress, bool)> = addresses
            .into_iter()
            .take(limit)
            .map(|(score, addr)| (score, addr, true))
            .collect();
        // Rows with some of the words, after every row with all of them.
        let mut partial_more = false;
        let some = parsed.as_ref().and_then(|p| p.some.as_ref());
        if let (Some(some), Some(parsed)) = (some, &parsed) {
            let window_end = req.offset + limit;
            if limit > 0 && window_end >= total {
                let skip = req.offset.saturating_sub(total);
                let want = window_end - total.max(req.offset);
                let partial = with_filters(Some(some.box_clone()), Some(parsed.all.box_clone()));
                let top = TopDocs::with_limit(want + 1)
                    .and_offset(skip)
                    .order_by_score();
                let mut more = searcher.search(&partial, &top)?;
                partial_more = more.len() > want;
                more.truncate(want);
                found.extend(more.into_iter().map(|(score, addr)| (score, addr, false)));
            }
        }
        let snippet_query = parsed
            .as_ref()
            .map(|p| p.some.as_ref().unwrap_or(&p.all).box_clone())
            .or(rank);
        let mut snippets = Snippets {
            searcher: &searcher,
            query: snippet_query,
            generators: BTreeMap::new(),
        };
        let mut hits = Vec::with_capacity(found.len());
        for (score, addr, all_words) in found {
            let row = self.load_row(&searcher, addr)?;
            hits.push(Hit {
                snippet_html: snippets.of(&self.fields, &row),
                row,
                score,
                all_words,
            });
        }
        Ok(SearchResponse {
            total,
            hits,
            facets,
            facets_approximate,
            partial_more,
        })
    }
}

/// Snippets of the hits of one search: one generator per text field, built on first use.
struct Snippets<'a> {
    searcher: &'a Searcher,
    /// The words to highlight; none lists the start of each paragraph.
    query: Option<Box<dyn Query>>,
    generators: BTreeMap<Field, Option<SnippetGenerator>>,
}

impl Snippets<'_> {
    /// The snippet of `row`: the fragment of its text around the words of the query, from
    /// its language's stemmed field or else the unstemmed one, matched words in
    /// `<mark>…</mark>` and "…" where the fragment cuts the paragraph; the start of the text
    /// when no word is found.
    fn of(&mut self, fields: &crate::schema::Fields, row: &ParagraphRow) -> String {
        let Some(q) = &self.query else {
            return plain_snippet(&row.text);
        };
        let lang = lang_field(fields, &row.language);
        for field in lang.into_iter().chain([fields.text_exact]) {
            let searcher = self.searcher;
            let generator = self.generators.entry(field).or_insert_with(|| {
                SnippetGenerator::create(searcher, &**q, field)
                    .ok()
                    .map(|mut g| {
                        g.set_max_num_chars(SNIPPET_CHARS);
                        g
                    })
            });
            let Some(g) = generator else { continue };
            let mut s = g.snippet(&row.text);
            if s.highlighted().is_empty() {
                continue;
            }
            s.set_snippet_prefix_postfix("<mark>", "</mark>");
            let fragment = s.fragment().trim();
            let text = row.text.trim();
            let before = if text.starts_with(fragment) {
                ""
            } else {
                "…"
            };
            let after = if text.ends_with(fragment) { "" } else { "…" };
            return format!("{before}{}{after}", s.to_html().trim());
        }
        plain_snippet(&row.text)
    }
}

/// The start of `text`, at most [`SNIPPET_CHARS`] characters cut at a word boundary, escaped.
pub(crate) fn plain_snippet(text: &str) -> String {
    if text.chars().count() <= SNIPPET_CHARS {
        return escape_html(text);
    }
    let cut: String = text.chars().take(SNIPPET_CHARS).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{}…", escape_html(cut))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::TopDocs;

    /// Every row and score of a query, by row address.
    fn matches(searcher: &Searcher, query: &dyn Query) -> BTreeMap<DocAddress, f32> {
        searcher
            .search(query, &TopDocs::with_limit(10_000).order_by_score())
            .unwrap()
            .into_iter()
            .map(|(score, addr)| (addr, score))
            .collect()
    }

    /// The plan follows the rows: English rows alone match words on the stemmed field; once
    /// a commit adds a row in a language without a stemmed field, the next search's plan keeps
    /// the union (and that row is found by a word only its exact field holds).
    #[test]
    fn the_plan_changes_with_the_languages_a_commit_brings() {
        let index = UndexIndex::in_memory().unwrap();
        let rows = undex_testkit::tagged_seed_rows("sg-r2p-report-2026.txt");
        index
            .replace_documents(std::slice::from_ref(&rows))
            .unwrap();
        assert!(index.parser(&index.reader.searcher()).words.is_some());
        let mut german = rows[0].clone();
        german.id = "X_1.de~1".into();
        german.doc_id = "X_1.de".into();
        german.source_file = "x-de.txt".into();
        german.sha256 = "0".repeat(64);
        german.language = undex_core::TextLanguage::from_code("de").unwrap();
        german.text = "Die Schutzverantwortung der Staaten".into();
        german.evidence.clear();
        index.replace_documents(&[vec![german]]).unwrap();
        let plan = index.parser(&index.reader.searcher());
        assert!(plan.words.is_none(), "a German row: words on every field");
        let hits = index
            .search(&SearchRequest {
                q: "Schutzverantwortung".into(),
                limit: 10,
                ..SearchRequest::default()
            })
            .unwrap();
        assert_eq!(hits.total, 1);
        assert_eq!(hits.hits[0].row.id, "X_1.de~1");
    }

    /// The plan that matches words on the stemmed fields only selects the same rows with the
    /// same scores as the union of all default fields, on the two real R2P reports, for words,
    /// phrases, operators, prefixes, symbols and filters.
    #[test]
    fn words_matched_on_stemmed_fields_give_the_rows_and_scores_of_the_union() {
        let index = UndexIndex::in_memory().unwrap();
        let mut rows = undex_testkit::tagged_seed_rows("sg-r2p-report-2026.txt");
        rows.extend(undex_testkit::tagged_seed_rows(
            "sg-r2p-report-2025-A-79-875.txt",
        ));
        index.replace_documents(&[rows]).unwrap();
        let searcher = index.reader.searcher();
        let plan = index.parser(&searcher);
        assert!(
            plan.words.is_some(),
            "English rows only: words on the stemmed field"
        );
        let union = query::QueryPlan {
            parser: plan.parser.clone(),
            words: None,
        };
        let queries = [
            "veto",
            "prevention atrocity",
            "regional organizations",
            "\"early warning\"",
            "state-building capacity",
            "genocide OR incitement",
            "Security Council AND veto NOT restraint",
            "prevent*",
            "pillar:III responsibility",
            "(hate speech) OR \"atrocity prevention lens\"",
            "A/79/875 veto",
            "Member States should ratify",
            "recommendations to Member States on hate speech",
        ];
        let mut compared = 0;
        for q in queries {
            let fast = query::parse(&plan, q).unwrap();
            let slow = query::parse(&union, q).unwrap();
            let pairs = [(Some(fast.all), Some(slow.all)), (fast.some, slow.some)];
            for (fast, slow) in pairs {
                let (Some(fast), Some(slow)) = (fast, slow) else {
                    continue;
                };
                let (a, b) = (matches(&searcher, &*fast), matches(&searcher, &*slow));
                assert_eq!(
                    a.keys().collect::<Vec<_>>(),
                    b.keys().collect::<Vec<_>>(),
                    "{q}"
                );
                for (addr, score) in &a {
                    assert!(
                        (score - b[addr]).abs() <= 1e-4 * score.abs().max(1.0),
                        "{q}"
                    );
                }
                compared += a.len();
            }
        }
        assert!(compared > 100, "{compared} rows compared");
    }
}

//! Searching: the query parser, structured filters, ranking, facet counts and snippets
//! ([`UndexIndex::search`]).

use std::collections::BTreeMap;
use std::ops::{Bound, Range};

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query, QueryParser, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, Order, Score, Searcher, Term};
use undex_core::ParagraphRow;

use crate::collect::TopScores;
use crate::schema::lang_field;
use crate::{
    Filters, Hit, IndexError, MAX_LIMIT, SNIPPET_CHARS, SearchRequest, SearchResponse, UndexIndex,
    escape_html, facets, limits, query, registry,
};

/// The weight of a word's score on the exact field (`text`) beside its stemmed field's (1):
/// exact wording adds to a match, the stemmed field ranks first.
const EXACT_BOOST: Score = 0.6;

/// The weight of a word's score on `symbol`: a bare symbol ("A/79/875 veto") selects the
/// document and should not outweigh the text.
const SYMBOL_BOOST: Score = 0.2;

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
            let in_files = self.stems.as_ref().and_then(|stems| stems.language(*field));
            let has_terms = match in_files {
                // A damaged file is reported by the search that reads it.
                Some(language) => self
                    .stems
                    .as_ref()
                    .is_some_and(|stems| stems.holds(searcher, language).unwrap_or(true)),
                None => searcher.segment_readers().iter().any(|s| {
                    s.inverted_index(*field)
                        .is_ok_and(|ii| ii.terms().num_terms() > 0)
                }),
            };
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
            parser.set_field_boost(f.text_exact, EXACT_BOOST);
            // A bare symbol ("A/79/875 veto") selects the document; it should not outweigh text.
            parser.set_field_boost(f.symbol, SYMBOL_BOOST);
            let name = |field: Field| schema.get_field_name(field).to_string();
            let words = all_stemmed.then(|| query::WordFields {
                matching: held_fields
                    .iter()
                    .copied()
                    .chain([f.symbol])
                    .map(name)
                    .collect(),
                scoring: name(f.text_exact),
                boosts: vec![
                    (name(f.text_exact), EXACT_BOOST),
                    (name(f.symbol), SYMBOL_BOOST),
                ],
            });
            std::sync::Arc::new(query::QueryPlan {
                parser,
                words,
                stems: self.stems.clone(),
            })
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
            let query: Box<dyn Query> = match clauses.len() {
                0 => Box::new(AllQuery),
                // A lone required query is searched as itself (the same rows and scores), so
                // that its weight's own loop over the rows runs, not a boolean query's over
                // its boxed scorer (`WordsWeight::for_each`).
                1 if clauses[0].0 == Occur::Must => clauses.remove(0).1,
                _ => Box::new(BooleanQuery::new(clauses)),
            };
            query
        };
        // Ranking words without a query: every row passing the filters, ordered by the words.
        let limit = req.limit.min(MAX_LIMIT);
        let rank: Option<Box<dyn Query>> = if parsed.is_none() && !req.rank.trim().is_empty() {
            query::parse(&self.parser(&searcher), &req.rank)
                .ok()
                .map(|p| p.some.unwrap_or(p.all))
        } else {
            None
        };
        let top_scores = TopScores::new(limit, req.offset);
        let query = match &rank {
            Some(words) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, with_filters(None, None)),
                (Occur::Should, words.box_clone()),
            ])),
            // Ranked by score, a page keeps each segment's `offset + limit` best rows.
            None => with_filters(
                parsed.as_ref().map(|p| {
                    crate::words::keeping(
                        p.all.box_clone(),
                        top_scores.keep(),
                        Some(&self.dense_tables),
                    )
                }),
                None,
            ),
        };
        self.dense_tables.retain(&searcher);
        if let Some(stems) = &self.stems {
            stems.retain(&searcher);
        }
        let facet_collector = (!req.skip_facets)
            .then(|| {
                self.facet_tables.retain(&searcher);
                facets::facet_collector(
                    std::sync::Arc::clone(&self.facet_tables),
                    &searcher,
                    req.facet_rows,
                )
            })
            .transpose()?;
        let top = TopDocs::with_limit(limit.max(1)).and_offset(req.offset);
        let (addresses, total, facet_fruit): (Vec<(f32, DocAddress)>, usize, _) =
            if parsed.is_some() || rank.is_some() {
                self.search_threads.run(
                    &searcher,
                    &query,
                    &(top_scores, Count, facet_collector),
                    self.stems.as_deref(),
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
                    self.stems.as_deref(),
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
                let top = TopScores::new(want + 1, skip);
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
            makers: BTreeMap::new(),
            stems: self.stems.as_deref(),
        };
        let parts = if req.skip_evidence {
            crate::stored::Parts::NoEvidence
        } else {
            crate::stored::Parts::Whole
        };
        let mut hits = Vec::with_capacity(found.len());
        for (score, addr, all_words) in found {
            let row = self.load_row(&searcher, addr, parts)?;
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

/// Snippets of the hits of one search: one maker per text field, built on first use.
struct Snippets<'a> {
    searcher: &'a Searcher,
    /// The words to highlight; none lists the start of each paragraph.
    query: Option<Box<dyn Query>>,
    makers: BTreeMap<Field, Option<SnippetMaker>>,
    /// The stemmed fields' postings where the index keeps them in `.stems` files.
    stems: Option<&'a crate::stem_search::Stems>,
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
        let chinese = fields.text_field(undex_core::Language::Zh);
        let english = fields.text_field(undex_core::Language::En);
        for field in lang.into_iter().chain([fields.text_exact]) {
            let searcher = self.searcher;
            // The exact field only lower-cases; English stems change endings only.
            let keeps_initial = field == fields.text_exact || Some(field) == english;
            let stems = self.stems;
            let maker = self.makers.entry(field).or_insert_with(|| {
                let segmented = Some(field) == chinese;
                SnippetMaker::new(searcher, &**q, field, segmented, keeps_initial, stems).ok()
            });
            let Some(maker) = maker else { continue };
            let Some((fragment, highlighted)) = maker.snippet(&row.text) else {
                continue;
            };
            let trimmed = fragment.trim();
            let text = row.text.trim();
            let mut html = String::with_capacity(fragment.len() + 64);
            if !text.starts_with(trimmed) {
                html.push('…');
            }
            html.push_str(marked_html(&fragment, &highlighted).trim());
            if !text.ends_with(trimmed) {
                html.push('…');
            }
            return html;
        }
        plain_snippet(&row.text)
    }
}

/// Makes the snippets of one text field for one search.
enum SnippetMaker {
    /// A field whose analyzer splits words as tantivy's `SimpleTokenizer` does (every text
    /// field but Chinese).
    Words(WordSnippets),
    /// Chinese, segmented by jieba: tantivy's generator.
    Generator(SnippetGenerator),
}

impl SnippetMaker {
    /// `segmented`: the field is Chinese; `keeps_initial`, `stems`: see [`WordSnippets::new`].
    fn new(
        searcher: &Searcher,
        query: &dyn Query,
        field: Field,
        segmented: bool,
        keeps_initial: bool,
        stems: Option<&crate::stem_search::Stems>,
    ) -> tantivy::Result<Self> {
        if segmented {
            let mut g = SnippetGenerator::create(searcher, query, field)?;
            g.set_max_num_chars(SNIPPET_CHARS);
            Ok(Self::Generator(g))
        } else {
            WordSnippets::new(searcher, query, field, keeps_initial, stems).map(Self::Words)
        }
    }

    /// The best fragment of `text` and the byte ranges of the query's words in it; `None`
    /// when no word of the query is in `text`.
    fn snippet(&mut self, text: &str) -> Option<(String, Vec<Range<usize>>)> {
        match self {
            Self::Words(w) => {
                let (fragment, highlighted) = w.snippet(text, SNIPPET_CHARS)?;
                Some((text[fragment].to_string(), highlighted))
            }
            Self::Generator(g) => {
                let s = g.snippet(text);
                (!s.highlighted().is_empty())
                    .then(|| (s.fragment().to_string(), s.highlighted().to_vec()))
            }
        }
    }
}

/// Most distinct words one search's [`WordSnippets`] remembers (a page of hits holds a few
/// thousand).
const MAX_SNIPPET_WORDS: usize = 100_000;

/// What a word of a hit's text is to one field's snippets.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Word {
    /// The field's analyzer drops it (a word over 40 bytes).
    Dropped,
    /// Not a word of the query.
    Other,
    /// A word of the query, with its weight.
    Query(Score),
}

/// The snippets of one field, chosen exactly as tantivy's `SnippetGenerator` chooses them
/// (the fragment of at most `max` bytes holding the greatest weight of query words, the
/// earliest of equals; each word weighs 1 / (1 + its document frequency)), but reading each
/// distinct word of the hits once per search. The generator analyses every word of every hit
/// again, stemming it: a sixth of a search's CPU for a rare word on the 1M-row scale index.
/// Valid for analyzers that split words as tantivy's `SimpleTokenizer` (runs of alphanumeric
/// characters) and turn each into at most one token.
struct WordSnippets {
    analyzer: TextAnalyzer,
    /// The query's words on the field (analysed form) → weight.
    terms: BTreeMap<String, Score>,
    /// Words met so far, as written.
    words: foldhash::HashMap<String, Word>,
    /// Where the field's analyzer keeps a word's first letter (lower-cased): the first
    /// letters of `terms`, so that a word starting with another letter is known to be no
    /// query word without analysing it (most words of a page of hits).
    initials: Option<Vec<char>>,
}

/// The first letter of `word` lower-cased, as tantivy's `LowerCaser` writes it.
fn initial(word: &str) -> Option<char> {
    match word.as_bytes().first()? {
        b if b.is_ascii() => Some(char::from(b.to_ascii_lowercase())),
        _ => word.chars().next()?.to_lowercase().next(),
    }
}

impl WordSnippets {
    /// The snippets of `field` for `query`. `keeps_initial`: the field's analyzer writes every
    /// word it keeps with the word's first letter, lower-cased (the exact field, and English,
    /// whose Snowball stemmer changes endings only; tested on the real reports' words).
    /// `stems`: where the index keeps its stemmed fields in `.stems` files, for the words'
    /// document frequencies there.
    fn new(
        searcher: &Searcher,
        query: &dyn Query,
        field: Field,
        keeps_initial: bool,
        stems: Option<&crate::stem_search::Stems>,
    ) -> tantivy::Result<Self> {
        let mut query_terms: std::collections::BTreeSet<Term> = std::collections::BTreeSet::new();
        query.query_terms(&mut |term, _| {
            if term.field() == field {
                query_terms.insert(term.clone());
            }
        });
        let mut terms = BTreeMap::new();
        for term in query_terms {
            let Some(text) = term.value().as_str().map(str::to_string) else {
                continue;
            };
            let doc_freq = match stems.filter(|s| s.language(field).is_some()) {
                Some(stems) => stems.doc_freq(searcher, &term)?,
                None => searcher.doc_freq(&term)?,
            };
            if doc_freq > 0 {
                terms.insert(text, 1.0 / (1.0 + doc_freq as Score));
            }
        }
        let initials = keeps_initial.then(|| terms.keys().filter_map(|t| initial(t)).collect());
        Ok(Self {
            analyzer: searcher.index().tokenizer_for_field(field)?,
            terms,
            words: foldhash::HashMap::default(),
            initials,
        })
    }

    /// What `word` (one run of alphanumeric characters) is to this field.
    fn word(&mut self, word: &str) -> Word {
        if let Some(initials) = &self.initials
            && word.len() < crate::schema::LONG_WORD_BYTES
            && initial(word).is_some_and(|c| !initials.contains(&c))
        {
            return Word::Other;
        }
        if let Some(w) = self.words.get(word) {
            return *w;
        }
        let mut stream = self.analyzer.token_stream(word);
        let kind = if stream.advance() {
            match self.terms.get(&stream.token().text.to_lowercase()) {
                Some(weight) => Word::Query(*weight),
                None => Word::Other,
            }
        } else {
            Word::Dropped
        };
        drop(stream);
        if self.words.len() < MAX_SNIPPET_WORDS {
            self.words.insert(word.to_string(), kind);
        }
        kind
    }

    /// The best fragment of `text` (a byte range) and its query words' byte ranges within
    /// it; `None` when `text` holds no query word.
    fn snippet(&mut self, text: &str, max: usize) -> Option<(Range<usize>, Vec<Range<usize>>)> {
        struct Fragment {
            score: Score,
            start: usize,
            stop: usize,
            highlighted: Vec<Range<usize>>,
        }
        let new = |start| Fragment {
            score: 0.0,
            start,
            stop: start,
            highlighted: Vec::new(),
        };
        let mut fragments = Vec::new();
        let mut fragment = new(0);
        for (from, to) in words_of(text) {
            let kind = self.word(&text[from..to]);
            if kind == Word::Dropped {
                continue;
            }
            if to - fragment.start > max {
                let done = std::mem::replace(&mut fragment, new(from));
                if done.score > 0.0 {
                    fragments.push(done);
                }
            }
            fragment.stop = to;
            if let Word::Query(weight) = kind {
                fragment.score += weight;
                fragment.highlighted.push(from..to);
            }
        }
        if fragment.score > 0.0 {
            fragments.push(fragment);
        }
        // tantivy's choice: the greatest score; of equal scores, the earliest fragment.
        let best = fragments.into_iter().max_by(|a, b| {
            match a
                .score
                .partial_cmp(&b.score)
                .unwrap_or(std::cmp::Ordering::Equal)
            {
                std::cmp::Ordering::Equal => (b.start, b.stop).cmp(&(a.start, a.stop)),
                other => other,
            }
        })?;
        let highlighted = best
            .highlighted
            .iter()
            .map(|r| r.start - best.start..r.end - best.start)
            .collect();
        Some((best.start..best.stop, highlighted))
    }
}

/// The byte ranges of the runs of alphanumeric characters of `text`, as tantivy's
/// `SimpleTokenizer` cuts words. A text that is all ASCII (most paragraphs) is cut byte by
/// byte: its alphanumeric characters are `[0-9A-Za-z]`.
fn words_of(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let ascii = text.is_ascii();
    let mut at = 0;
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        if ascii {
            let from = at + bytes[at..].iter().position(u8::is_ascii_alphanumeric)?;
            let to = bytes[from..]
                .iter()
                .position(|b| !b.is_ascii_alphanumeric())
                .map_or(bytes.len(), |n| from + n);
            at = to;
            return Some((from, to));
        }
        let (from, _) = chars.find(|(_, c)| c.is_alphanumeric())?;
        let to = loop {
            match chars.peek() {
                Some((_, c)) if c.is_alphanumeric() => {
                    chars.next();
                }
                Some((i, _)) => break *i,
                None => break text.len(),
            }
        };
        Some((from, to))
    })
}

/// `fragment` escaped as HTML ([`escape_html`]), its `highlighted` byte ranges (overlapping
/// ranges joined) in `<mark>…</mark>`. tantivy's `Snippet::to_html` gives the
/// same marks with another escaping crate, which wrote an apostrophe as `&#x27;` where the
/// rest of undex writes `&#39;`, and cost a tenth of a snippet.
fn marked_html(fragment: &str, highlighted: &[std::ops::Range<usize>]) -> String {
    let mut ranges: Vec<std::ops::Range<usize>> = highlighted
        .iter()
        .filter(|r| r.start < r.end && fragment.get(r.start..r.end).is_some())
        .cloned()
        .collect();
    ranges.sort_by_key(|r| r.start);
    let mut html = String::with_capacity(fragment.len() + 16 * ranges.len());
    let mut from = 0;
    let mut ranges = ranges.into_iter().peekable();
    while let Some(mut range) = ranges.next() {
        while let Some(next) = ranges.next_if(|n| n.start < range.end) {
            range.end = range.end.max(next.end);
        }
        let start = range.start.max(from);
        crate::push_escaped(&mut html, &fragment[from..start]);
        html.push_str("<mark>");
        crate::push_escaped(&mut html, &fragment[start..range.end]);
        html.push_str("</mark>");
        from = range.end;
    }
    crate::push_escaped(&mut html, &fragment[from..]);
    html
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

    /// An index in memory of the tagged rows of the seed reports `files`, as one commit, and
    /// the rows.
    fn indexed(files: &[&str]) -> (UndexIndex, Vec<ParagraphRow>) {
        indexed_in(UndexIndex::in_memory().unwrap(), files)
    }

    /// [`indexed`] in `index`.
    fn indexed_in(index: UndexIndex, files: &[&str]) -> (UndexIndex, Vec<ParagraphRow>) {
        let rows: Vec<ParagraphRow> = files
            .iter()
            .flat_map(|f| undex_testkit::tagged_seed_rows(f))
            .collect();
        index
            .replace_documents(std::slice::from_ref(&rows))
            .unwrap();
        (index, rows)
    }

    /// Every row and score of a query, by row address.
    fn matches(searcher: &Searcher, query: &dyn Query) -> BTreeMap<DocAddress, f32> {
        searcher
            .search(query, &TopDocs::with_limit(10_000).order_by_score())
            .unwrap()
            .into_iter()
            .map(|(score, addr)| (addr, score))
            .collect()
    }

    /// Marks and escaping as tantivy's `Snippet::to_html` (but for the apostrophe's entity),
    /// on the snippets of real paragraphs; overlapping ranges are joined.
    #[test]
    fn marked_html_is_tantivys_html_with_undexs_escaping() {
        let (index, rows) = indexed(&["sg-r2p-report-2026.txt"]);
        let searcher = index.reader.searcher();
        let field = index.fields.text_exact;
        let mut compared = 0;
        for q in [
            "responsibility protect",
            "Secretary-General",
            "prevention States",
        ] {
            let query = index.parse(q).unwrap();
            let mut g = SnippetGenerator::create(&searcher, &*query, field).unwrap();
            g.set_max_num_chars(SNIPPET_CHARS);
            for row in &rows {
                let mut s = g.snippet(&row.text);
                if s.highlighted().is_empty() {
                    continue;
                }
                let ours = marked_html(s.fragment(), s.highlighted());
                s.set_snippet_prefix_postfix("<mark>", "</mark>");
                assert_eq!(ours, s.to_html().replace("&#x27;", "&#39;"), "{}", row.id);
                compared += 1;
            }
        }
        assert!(compared > 20, "{compared} snippets compared");
        assert_eq!(
            marked_html("a <b> & 'c'", &[6..7, 0..2, 1..3, 9..10]),
            "<mark>a &lt;</mark>b&gt; <mark>&amp;</mark> &#39;<mark>c</mark>&#39;"
        );
    }

    /// The word-memo snippets choose the fragment and the words tantivy's generator chooses,
    /// on the stemmed and the exact field, with and without the initials shortcut, for every
    /// paragraph of the two real R2P reports (texts all ASCII and texts with other
    /// characters) and queries of one or more words, phrases, operators and symbols; a word
    /// over 40 bytes (dropped by the analyzers) is passed over as the generator passes it over.
    #[test]
    fn word_snippets_are_tantivys_snippets() {
        let files = ["sg-r2p-report-2026.txt", "sg-r2p-report-2025-A-79-875.txt"];
        // Tantivy's generator reads the indexed stemmed field; ours reads it there and, in
        // an index that keeps it in `.stems` files, there.
        let (index, mut rows) = indexed_in(UndexIndex::in_memory_indexing_stems().unwrap(), &files);
        let (in_files, _) = indexed(&files);
        assert!(in_files.keeps_stems_in_files() && !index.keeps_stems_in_files());
        let searcher_in_files = in_files.reader.searcher();
        let mut long = rows[3].clone();
        long.text = format!("{} {} prevention", rows[3].text, "x".repeat(45));
        rows.push(long);
        // Texts all ASCII (cut byte by byte) and texts with other characters (words cut
        // by character): the reports' own, and variants with accented words, typographic
        // quotes and no-break spaces.
        let variants: Vec<_> = rows
            .iter()
            .take(40)
            .map(|r| {
                let mut v = r.clone();
                v.text = format!(
                    "Côte d’Ivoire and Türkiye: {}",
                    r.text.replacen(' ', "\u{a0}", 3).replacen('\'', "’", 2)
                );
                v
            })
            .collect();
        rows.extend(variants);
        assert!(rows.iter().filter(|r| r.text.is_ascii()).count() > 20);
        assert!(rows.iter().filter(|r| !r.text.is_ascii()).count() > 40);
        let searcher = index.reader.searcher();
        let en = index.fields.text_field(undex_core::Language::En).unwrap();
        let mut compared = 0;
        for q in [
            "prevention",
            "atrocity prevention",
            "\"early warning\"",
            "regional organizations",
            "genocide OR incitement",
            "Security Council AND veto NOT restraint",
            "A/79/875 veto",
            "Member States should ratify",
        ] {
            let query = index.parse(q).unwrap();
            // Every word analysed, and words of other initials passed over.
            for (field, keeps_initial) in [en, index.fields.text_exact]
                .into_iter()
                .flat_map(|f| [(f, false), (f, true)])
            {
                let mut g = SnippetGenerator::create(&searcher, &*query, field).unwrap();
                g.set_max_num_chars(SNIPPET_CHARS);
                let mut w =
                    WordSnippets::new(&searcher, &*query, field, keeps_initial, None).unwrap();
                let query_in_files = in_files.parse(q).unwrap();
                let mut w_in_files = WordSnippets::new(
                    &searcher_in_files,
                    &*query_in_files,
                    field,
                    keeps_initial,
                    in_files.stems.as_deref(),
                )
                .unwrap();
                for row in &rows {
                    let s = g.snippet(&row.text);
                    let expected = (!s.highlighted().is_empty())
                        .then(|| (s.fragment().to_string(), s.highlighted().to_vec()));
                    let ours = w
                        .snippet(&row.text, SNIPPET_CHARS)
                        .map(|(f, h)| (row.text[f].to_string(), h));
                    assert_eq!(ours, expected, "{q:?} on {}", row.id);
                    let ours_in_files = w_in_files
                        .snippet(&row.text, SNIPPET_CHARS)
                        .map(|(f, h)| (row.text[f].to_string(), h));
                    assert_eq!(ours_in_files, expected, "{q:?} on {} (.stems)", row.id);
                    compared += usize::from(expected.is_some());
                }
            }
        }
        assert!(compared > 200, "{compared} snippets compared");
    }

    /// English stems keep the word's first letter (lower-cased), which lets [`WordSnippets`]
    /// pass over words of other initials unanalysed: every word of the five texts of
    /// `../shared/seeds` (two R2P reports, three summaries), through the English field's
    /// analyzer.
    #[test]
    fn english_stems_keep_the_first_letter() {
        let index = UndexIndex::in_memory().unwrap();
        let en = index.fields.text_field(undex_core::Language::En).unwrap();
        let mut analyzer = index.index.tokenizer_for_field(en).unwrap();
        let mut text = String::new();
        for f in [
            "sg-r2p-report-2026.txt",
            "sg-r2p-report-2025-A-79-875.txt",
            "gcr2p-summary-of-2017-report.txt",
            "gcr2p-summary-of-2024-report.txt",
            "gcr2p-summary-of-2026-report.txt",
        ] {
            let bytes = undex_testkit::read_shared(&format!("seeds/{f}"));
            text.push_str(&String::from_utf8_lossy(&bytes));
            text.push(' ');
        }
        let mut words: std::collections::BTreeSet<&str> =
            words_of(&text).map(|(from, to)| &text[from..to]).collect();
        // Porter2's exceptional forms and words its prelude and steps treat apart.
        words.extend([
            "dying", "lying", "tying", "skies", "idly", "ugly", "early", "ies", "yes", "Yielding",
        ]);
        let mut checked = 0;
        for word in words
            .iter()
            .filter(|w| w.len() < crate::schema::LONG_WORD_BYTES)
        {
            let mut stream = analyzer.token_stream(word);
            assert!(stream.advance(), "{word}");
            assert_eq!(initial(&stream.token().text), initial(word), "{word}");
            checked += 1;
        }
        assert!(checked > 2_000, "{checked} words");
    }

    /// The plan follows the rows: English rows alone match words on the stemmed field; once
    /// a commit adds a row in a language without a stemmed field, the next search's plan keeps
    /// the union (and that row is found by a word only its exact field holds).
    #[test]
    fn the_plan_changes_with_the_languages_a_commit_brings() {
        let (index, rows) = indexed(&["sg-r2p-report-2026.txt"]);
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

    /// The 2026 R2P report indexed, then the 2025 one in a second commit: two segments.
    fn two_reports_in_two_segments() -> (UndexIndex, Searcher) {
        let (index, _) = indexed(&["sg-r2p-report-2026.txt"]);
        index
            .replace_documents(&[undex_testkit::tagged_seed_rows(
                "sg-r2p-report-2025-A-79-875.txt",
            )])
            .unwrap();
        let searcher = index.reader.searcher();
        assert_eq!(searcher.segment_readers().len(), 2);
        (index, searcher)
    }

    /// Required bare words, and alternatives (`a OR b`), are read by
    /// [`crate::words::WordsQuery`], which gives every row of its boolean tree the very same
    /// score (not only a close one: the order of the hits, ties included, must not change), on
    /// the two real R2P reports in two segments; anything else keeps the tree.
    #[test]
    fn required_words_score_every_row_as_the_boolean_tree() {
        let (index, searcher) = two_reports_in_two_segments();
        let plan = index.parser(&searcher);
        let mut compared = 0;
        for q in [
            "veto",
            "prevention atrocity",
            "Member States should ratify",
            "responsibility AND protect AND populations",
            "recommendations to Member States on hate speech",
            "early warning regional organizations",
            "States",
            "international community",
            "veto -restraint",
            "prevention NOT genocide NOT incitement",
            "genocide OR incitement",
            "veto OR restraint OR responsibility",
            "prevention OR protection -genocide",
            "Council OR Assembly",
            "zzzunknown OR veto",
        ] {
            let parsed = query::parse(&plan, q).unwrap();
            let words = parsed
                .all
                .downcast_ref::<crate::words::WordsQuery>()
                .unwrap_or_else(|| panic!("{q}: read as required words"));
            let (fast, tree) = (
                matches(&searcher, &*parsed.all),
                matches(&searcher, &*words.general),
            );
            assert!(!fast.is_empty(), "{q}");
            assert_eq!(fast, tree, "{q}");
            compared += fast.len();
        }
        assert!(compared > 100, "{compared} rows compared");
        for q in [
            "\"early warning\"",
            "genocide OR incitement veto",
            "genocide OR \"early warning\"",
            "pillar:III veto",
            "-veto",
            "veto^2 restraint",
        ] {
            let parsed = query::parse(&plan, q).unwrap();
            assert!(!parsed.all.is::<crate::words::WordsQuery>(), "{q}");
        }
    }

    /// A page of required words is the same whether or not the scorer skips the exact field
    /// for rows that cannot reach it ([`crate::words::WordsQuery::keep`]), and both are the
    /// rows of every match sorted by score, equal scores in index order
    /// ([`crate::collect::TopScores`]): on the two real R2P reports in two segments, for
    /// pages from the first row alone to the fourth page of ten.
    #[test]
    fn pages_of_required_words_are_the_same_when_rows_below_them_are_not_scored_whole() {
        let (index, searcher) = two_reports_in_two_segments();
        let plan = index.parser(&searcher);
        let mut pruned_pages = 0;
        for q in [
            "States",
            "prevention",
            "prevention atrocity",
            "Member States should",
            "responsibility AND protect",
            "international community",
            "early warning regional organizations",
            "States -Council",
            "protect",
            "States OR Council",
            "prevention OR protection OR responsibility -genocide",
        ] {
            let all = query::parse(&plan, q).unwrap().all;
            assert!(all.is::<crate::words::WordsQuery>(), "{q}");
            let mut every: Vec<(f32, DocAddress)> = matches(&searcher, &*all)
                .into_iter()
                .map(|(addr, score)| (score, addr))
                .collect();
            every.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            for (limit, offset) in [(1, 0), (3, 0), (10, 0), (10, 10), (10, 30), (25, 5)] {
                let top = crate::collect::TopScores::new(limit, offset);
                let whole = searcher.search(&*all, &top).unwrap();
                let keeping = crate::words::keeping(all.box_clone(), top.keep(), None);
                let pruned = searcher.search(&*keeping, &top).unwrap();
                let expected: Vec<_> = every.iter().copied().skip(offset).take(limit).collect();
                assert_eq!(whole, expected, "{q} {limit}+{offset}");
                assert_eq!(pruned, expected, "{q} {limit}+{offset}");
                pruned_pages += usize::from(every.len() > limit + offset);
            }
        }
        assert!(
            pruned_pages > 30,
            "{pruned_pages} pages with rows below them"
        );
    }

    /// The plan that matches words on the stemmed fields only selects the same rows with the
    /// same scores as the union of all default fields, on the two real R2P reports, for words,
    /// phrases, operators, prefixes, symbols and filters.
    #[test]
    fn words_matched_on_stemmed_fields_give_the_rows_and_scores_of_the_union() {
        let (index, _) = indexed(&["sg-r2p-report-2026.txt", "sg-r2p-report-2025-A-79-875.txt"]);
        let searcher = index.reader.searcher();
        let plan = index.parser(&searcher);
        assert!(
            plan.words.is_some(),
            "English rows only: words on the stemmed field"
        );
        let union = query::QueryPlan {
            parser: plan.parser.clone(),
            words: None,
            stems: plan.stems.clone(),
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

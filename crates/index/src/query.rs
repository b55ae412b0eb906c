//! The undex query language, read as a tree.
//!
//! A query is prepared as text first (escapes, bare document symbols: see
//! `escape_text` and `require_bare_symbols`), then parsed by tantivy's query
//! grammar into a [`UserInputAst`], rewritten on that tree (field aliases: `rename_fields`), and built with
//! [`QueryParser::build_query_from_user_input_ast`]. The rewrites give the query the meaning
//! a reader of UN databases expects:
//!
//! - **Words are all required.** `veto restraint` matches paragraphs holding both words
//!   (stemmed: "vetoes" counts); `a OR b` typed by the reader still means either, `-a` or
//!   `NOT a` excludes, `+a` requires.
//! - **Filters are always required.** `pillar:III veto` and `A/79/875 veto` restrict the words
//!   to Pillar III paragraphs and to that document; a filter alone lists what it selects.
//! - **Stop words are ignored** (`recommendations to Member States on hate speech` does not
//!   require "to" and "on"): the English stop words of Lucene's `EnglishAnalyzer`, the peer's
//!   default, and the articles and prepositions of French and Spanish ([`STOP_WORDS`]), when
//!   typed as bare words. A query of stop words only keeps them. Quoted phrases keep every
//!   word.
//! - **Partial matches come after.** When two or more words are joined without an operator,
//!   `Parsed::some` selects the paragraphs holding at least one of them (and every filter)
//!   but not all: the search lists them after the full matches, under their own heading, so
//!   a long query still finds something.
//! - **Phrases match the words as printed.** A quoted phrase, or a word the analyzer splits in
//!   several (`state-building`), is matched on the unstemmed `text` field, which alone keeps
//!   positions (`text_zh` for Chinese).
//!
//! Only the stemmed fields of the languages the index holds are searched
//! ([`crate::UndexIndex`] builds one `QueryPlan` per set of languages).
//!
//! **A word is matched on one field, scored on all.** Where every row of the index is in a
//! language with a stemmed field (English, French, Spanish, Russian, Arabic), a word found as
//! printed (`text`) is always found stemmed in its row's language field too, so the exact
//! field cannot add a match, only score. Such an index matches each bare word on the stemmed
//! fields and the document symbol, and adds the exact field's score where it also matches
//! (`WordFields`): the same rows and the same scores as a union of all three fields, but an
//! intersection of two words reads two posting lists instead of seeking through two unions
//! (a third of a search's time on the scale benchmark). An index holding Chinese rows, or rows
//! of another language, keeps the union. A query of bare words only, all required or all
//! alternatives, with any excluded (`veto restraint`, `veto AND restraint`, `veto -restraint`,
//! `veto OR restraint`), is read by `crate::words`'s `WordsQuery` from the posting lists
//! directly, with the same rows and scores.

use std::sync::Arc;

use tantivy::query::{BoostQuery, EmptyQuery, Query, QueryParser, QueryParserError, TermQuery};
use tantivy::query_grammar::{Delimiter, Occur, UserInputAst, UserInputLeaf};
use tantivy::{Score, Term};

use crate::IndexError;
use crate::limits;
use crate::stem_search::Stems;
use crate::words::{WordTerms, WordsQuery};

/// Stop words left out of the words a query requires: Lucene's English stop set (the
/// default of `EnglishAnalyzer`, and of Anserini's `DefaultEnglishAnalyzer`), and the
/// articles, contractions and commonest prepositions and conjunctions of French and Spanish.
pub const STOP_WORDS: [&str; 60] = [
    // English (Lucene `EnglishAnalyzer.ENGLISH_STOP_WORDS_SET`).
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
    "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
    "they", "this", "to", "was", "will", "with", // French.
    "au", "aux", "d", "de", "des", "du", "et", "l", "la", "le", "les", "un", "une", "à", "en",
    // Spanish.
    "al", "con", "del", "el", "lo", "los", "las", "para", "por", "una", "y", "que",
];

/// A query read by [`parse`].
pub(crate) struct Parsed {
    /// Rows holding every required word and passing every filter typed in the query.
    pub(crate) all: Box<dyn Query>,
    /// Rows holding at least one of the words (and passing every filter), when the query
    /// joins two or more words without an operator; the search subtracts [`Parsed::all`].
    pub(crate) some: Option<Box<dyn Query>>,
}

/// How one index reads queries: tantivy's parser over the default fields of the languages it
/// holds, and, when the exact field cannot add a match, the fields a bare word is matched on.
pub(crate) struct QueryPlan {
    /// The parser (default fields: `text`, `symbol` and the held `text_<lang>` fields).
    pub(crate) parser: QueryParser,
    /// Where set, bare words are matched on these fields only (see the module docs).
    pub(crate) words: Option<WordFields>,
    /// Where the index keeps its stemmed fields in `.stems` files: their postings, read in
    /// place of the indexed fields' ([`crate::stem_search`]).
    pub(crate) stems: Option<Arc<Stems>>,
}

/// The fields of a bare word where the exact field cannot add a match (see the module docs).
pub(crate) struct WordFields {
    /// Fields a word must match one of: the held stemmed fields and `symbol`.
    pub(crate) matching: Vec<String>,
    /// The field that only adds to the score: `text`.
    pub(crate) scoring: String,
    /// The boost the parser gives each field of `matching` and `scoring` (1 where none is
    /// set), for [`WordsQuery`], which reads the words' terms without the parser.
    pub(crate) boosts: Vec<(String, Score)>,
}

impl WordFields {
    fn boost(&self, field: &str) -> Score {
        self.boosts
            .iter()
            .find(|(f, _)| f == field)
            .map_or(1.0, |(_, b)| *b)
    }
}

/// Reads `q` (see the module docs).
///
/// # Errors
/// [`IndexError::InvalidQuery`] when `q` is over a limit of [`limits`], does not parse, or
/// names an unknown field or a value of the wrong type.
pub(crate) fn parse(plan: &QueryPlan, q: &str) -> Result<Parsed, IndexError> {
    let parser = &plan.parser;
    // Before anything recursive sees the input (see `limits`).
    limits::check_query(q)?;
    let prepared = escape_text(&require_bare_symbols(q));
    let ast = tantivy::query_grammar::parse_query(&prepared)
        .map_err(|_| invalid(&QueryParserError::SyntaxError(prepared.clone())))?;
    let ast = route_phrases(rename_fields(ast));
    let (all, some) = split(ast);
    let words = plan
        .words
        .as_ref()
        .and_then(|fields| bare_words(parser, fields, &all));
    let build = |ast: UserInputAst| {
        let ast = match &plan.words {
            Some(words) => match_words_on(ast, words),
            None => ast,
        };
        match &plan.stems {
            Some(stems) => build_on_stems(parser, ast, stems),
            None => parser.build_query_from_user_input_ast(ast),
        }
        .map_err(|e| invalid(&e))
    };
    let general = build(all)?;
    Ok(Parsed {
        all: match words {
            Some(BareWords {
                words,
                any,
                excluded,
            }) => Box::new(WordsQuery {
                words,
                any,
                excluded,
                general,
                keep: 0,
                dense: None,
                stems: plan.stems.clone(),
            }),
            None => general,
        },
        some: some.map(build).transpose()?,
    })
}

/// The field of a query's placeholders for the boosted parts of its tree, built apart by
/// [`build_on_stems`] (the document id: a placeholder's value is no id).
const SET_ASIDE_FIELD: &str = "id";

/// The start of a placeholder's value, before the part's number: no id starts with NUL.
const SET_ASIDE_PREFIX: &str = "\u{0}set-aside-";

/// `ast` built by `parser` for an index that keeps its stemmed fields in `.stems` files: the
/// parser's tree with each term query on a stemmed field read from the files
/// ([`crate::stem_search::route`]). A boosted part (`veto^2`) becomes a boost query the
/// route cannot look into, so each is set aside as a placeholder term, built the same way
/// on its own, and put back in the placeholder's place: the tree is the parser's. A word
/// prefix on a stemmed field (`text_en:veto*`) has no term dictionary to expand in; it is
/// matched on the printed words (`text`) instead.
///
/// # Errors
/// The parser's.
fn build_on_stems(
    parser: &QueryParser,
    ast: UserInputAst,
    stems: &Arc<Stems>,
) -> Result<Box<dyn Query>, QueryParserError> {
    let mut set_aside = Vec::new();
    let ast = set_aside_boosts(ast, &mut set_aside);
    let query = parser.build_query_from_user_input_ast(ast)?;
    let mut parts = Vec::with_capacity(set_aside.len());
    for (inner, boost) in set_aside {
        let inner = build_on_stems(parser, inner, stems)?;
        parts.push(Box::new(BoostQuery::new(inner, boost)) as Box<dyn Query>);
    }
    Ok(put_back(
        crate::stem_search::route(query, stems),
        &mut parts,
    ))
}

/// `ast` with each boosted part replaced by a placeholder (see [`build_on_stems`]), the part
/// and its boost pushed to `set_aside`, and word prefixes on a stemmed field moved to
/// `text`.
fn set_aside_boosts(ast: UserInputAst, set_aside: &mut Vec<(UserInputAst, Score)>) -> UserInputAst {
    let stemmed = |name: &Option<String>| {
        name.as_deref()
            .is_some_and(crate::schema::stems_exact_field)
    };
    match ast {
        UserInputAst::Clause(items) => UserInputAst::Clause(
            items
                .into_iter()
                .map(|(occur, a)| (occur, set_aside_boosts(a, set_aside)))
                .collect(),
        ),
        UserInputAst::Boost(inner, boost) => {
            let value = format!("{SET_ASIDE_PREFIX}{}", set_aside.len());
            set_aside.push((*inner, boost.into_inner() as Score));
            UserInputAst::Leaf(Box::new(UserInputLeaf::Literal(
                tantivy::query_grammar::UserInputLiteral {
                    field_name: Some(SET_ASIDE_FIELD.to_string()),
                    phrase: value,
                    delimiter: Delimiter::None,
                    slop: 0,
                    prefix: false,
                },
            )))
        }
        UserInputAst::Leaf(leaf) => UserInputAst::Leaf(Box::new(match *leaf {
            UserInputLeaf::Literal(mut l) if l.prefix && stemmed(&l.field_name) => {
                l.field_name = Some("text".to_string());
                UserInputLeaf::Literal(l)
            }
            other => other,
        })),
    }
}

/// `query` with each placeholder of [`build_on_stems`] replaced by its part, taken from
/// `parts`, through boolean queries.
fn put_back(query: Box<dyn Query>, parts: &mut [Box<dyn Query>]) -> Box<dyn Query> {
    if parts.is_empty() {
        return query;
    }
    if let Some(term) = query.downcast_ref::<TermQuery>().map(TermQuery::term)
        && let Some(i) = term.value().as_str().and_then(|v| {
            v.strip_prefix(SET_ASIDE_PREFIX)
                .and_then(|i| i.parse::<usize>().ok())
        })
        && i < parts.len()
    {
        return std::mem::replace(&mut parts[i], Box::new(EmptyQuery));
    }
    if let Some(boolean) = query.downcast_ref::<tantivy::query::BooleanQuery>() {
        let clauses = boolean
            .clauses()
            .iter()
            .map(|(occur, q)| (*occur, put_back(q.box_clone(), parts)))
            .collect();
        return Box::new(tantivy::query::BooleanQuery::with_minimum_required_clauses(
            clauses,
            boolean.get_minimum_number_should_match(),
        ));
    }
    query
}

/// The bare words of a query, as [`WordsQuery`] reads them.
struct BareWords {
    /// The required words, or with `any` the alternatives, in the order typed.
    words: Vec<WordTerms>,
    /// True for alternatives (`veto OR restraint`): a row needs one of `words`.
    any: bool,
    /// The excluded words' terms on the matching fields.
    excluded: Vec<Term>,
}

/// The terms of the words of `all` when it is nothing but bare words, either all required or
/// all alternatives (`veto OR restraint`), and any excluded words (at least one required or
/// alternative word), each analyzed into one term on every field it is matched or scored on:
/// the query [`WordsQuery`] reads faster. `None` for anything else (a filter, a phrase,
/// required and optional words mixed, a word a field analyzes into several terms), which
/// tantivy's boolean tree reads.
fn bare_words(parser: &QueryParser, fields: &WordFields, all: &UserInputAst) -> Option<BareWords> {
    // One word alone is a leaf (and required); two or more, a clause.
    let items = match all {
        UserInputAst::Clause(items) => items.as_slice(),
        leaf @ UserInputAst::Leaf(_) => &[(Some(Occur::Must), leaf.clone())][..],
        UserInputAst::Boost(..) => return None,
    };
    let term_on = |l: &tantivy::query_grammar::UserInputLiteral, field: &str| {
        let mut l = l.clone();
        l.field_name = Some(field.to_string());
        let query = parser
            .build_query_from_user_input_ast(UserInputAst::Leaf(Box::new(UserInputLeaf::Literal(
                l,
            ))))
            .ok()?;
        single_term(&*query)
            .map(|t| Some((t, fields.boost(field))))
            .or_else(|| query.is::<EmptyQuery>().then_some(None))
    };
    let (mut required, mut optional) = (Vec::new(), Vec::new());
    let mut excluded = Vec::new();
    for (occur, ast) in items {
        let literal = bare_literal(ast).filter(|l| !l.prefix)?;
        let mut matching = Vec::new();
        for field in &fields.matching {
            matching.extend(term_on(literal, field)?);
        }
        match occur {
            Some(occur @ (Occur::Must | Occur::Should)) => {
                let scoring = term_on(literal, &fields.scoring)??;
                if matching.is_empty() {
                    return None;
                }
                let word = WordTerms { matching, scoring };
                if *occur == Occur::Must {
                    required.push(word);
                } else {
                    optional.push(word);
                }
            }
            // A row holding the word on a matching field is left out (the exact field adds
            // no match).
            Some(Occur::MustNot) => excluded.extend(matching.into_iter().map(|(t, _)| t)),
            None => return None,
        }
    }
    // Optional words beside required ones only add to the score: the tree reads that.
    let (words, any) = match (required.is_empty(), optional.is_empty()) {
        (false, true) => (required, false),
        (true, false) => (optional, true),
        _ => return None,
    };
    Some(BareWords {
        words,
        any,
        excluded,
    })
}

/// The one term a query built by the parser for one word on one field searches: a term query,
/// boosted or not.
fn single_term(query: &dyn Query) -> Option<Term> {
    if let Some(q) = query.downcast_ref::<TermQuery>() {
        return Some(q.term().clone());
    }
    if !query.is::<BoostQuery>() {
        return None;
    }
    let mut terms = Vec::new();
    query.query_terms(&mut |t, _| terms.push(t.clone()));
    match terms.as_slice() {
        [term] => Some(term.clone()),
        _ => None,
    }
}

fn invalid(e: &QueryParserError) -> IndexError {
    IndexError::InvalidQuery {
        message: e
            .to_string()
            .trim_start_matches("Invalid query: ")
            .to_string(),
    }
}

/// An unfielded literal: a bare word or a quoted phrase the reader typed without a field.
fn bare_literal(ast: &UserInputAst) -> Option<&tantivy::query_grammar::UserInputLiteral> {
    match ast {
        UserInputAst::Leaf(leaf) => match &**leaf {
            UserInputLeaf::Literal(l) if l.field_name.is_none() => Some(l),
            _ => None,
        },
        _ => None,
    }
}

/// True for a bare, unquoted stop word.
fn is_stop_word(ast: &UserInputAst) -> bool {
    bare_literal(ast).is_some_and(|l| {
        matches!(l.delimiter, Delimiter::None)
            && !l.prefix
            && STOP_WORDS.contains(&l.phrase.to_lowercase().as_str())
    })
}

/// Whether `s` has a character of the CJK ideograph blocks (matched on `text_zh`).
fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| {
        matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
    })
}

/// Whether the unstemmed analyzer splits `s` in more than one word (lower-cased runs of
/// letters and digits, as tantivy's `SimpleTokenizer`).
fn several_words(s: &str) -> bool {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .nth(1)
        .is_some()
}

/// Sends every unfielded phrase (quoted, or a word the analyzer splits) to the field that
/// keeps positions: `text`, or `text_zh` for Chinese.
fn route_phrases(ast: UserInputAst) -> UserInputAst {
    match ast {
        UserInputAst::Clause(items) => UserInputAst::Clause(
            items
                .into_iter()
                .map(|(occur, ast)| (occur, route_phrases(ast)))
                .collect(),
        ),
        UserInputAst::Boost(inner, boost) => {
            UserInputAst::Boost(Box::new(route_phrases(*inner)), boost)
        }
        UserInputAst::Leaf(leaf) => match *leaf {
            UserInputLeaf::Literal(mut l) if l.field_name.is_none() => {
                if has_cjk(&l.phrase) {
                    if several_words(&l.phrase) || !matches!(l.delimiter, Delimiter::None) {
                        l.field_name = Some("text_zh".into());
                    }
                } else if several_words(&l.phrase) {
                    l.field_name = Some("text".into());
                }
                UserInputAst::Leaf(Box::new(UserInputLeaf::Literal(l)))
            }
            other => UserInputAst::Leaf(Box::new(other)),
        },
    }
}

/// Rewrites every bare word as "one of `words.matching`, plus `words.scoring` where it also
/// matches" (see the module docs). Applied last, after [`split`] has read the words.
fn match_words_on(ast: UserInputAst, words: &WordFields) -> UserInputAst {
    match ast {
        UserInputAst::Clause(items) => UserInputAst::Clause(
            items
                .into_iter()
                .map(|(occur, ast)| (occur, match_words_on(ast, words)))
                .collect(),
        ),
        UserInputAst::Boost(inner, boost) => {
            UserInputAst::Boost(Box::new(match_words_on(*inner, words)), boost)
        }
        UserInputAst::Leaf(leaf) => match *leaf {
            UserInputLeaf::Literal(l) if l.field_name.is_none() => {
                let on = |field: &str| {
                    let mut l = l.clone();
                    l.field_name = Some(field.to_string());
                    UserInputAst::Leaf(Box::new(UserInputLeaf::Literal(l)))
                };
                let matching = words
                    .matching
                    .iter()
                    .map(|f| (Some(Occur::Should), on(f)))
                    .collect();
                UserInputAst::Clause(vec![
                    (Some(Occur::Must), UserInputAst::Clause(matching)),
                    (Some(Occur::Should), on(&words.scoring)),
                ])
            }
            other => UserInputAst::Leaf(Box::new(other)),
        },
    }
}

/// Splits the top-level clause into the all-words tree and, when two or more words are joined
/// without an operator, the some-words tree (see [`Parsed`]). Applied after
/// [`route_phrases`], so a routed phrase counts as one word; fielded items the reader typed
/// are filters.
fn split(ast: UserInputAst) -> (UserInputAst, Option<UserInputAst>) {
    let UserInputAst::Clause(items) = ast else {
        return (ast, None);
    };
    let typed_or = items.iter().any(|(o, _)| *o == Some(Occur::Should));
    let only_stop_words = items
        .iter()
        .filter(|(o, _)| o.is_none())
        .all(|(_, a)| is_stop_word(a));
    // Stop words are dropped, unless the query is nothing else.
    let items: Vec<(Option<Occur>, UserInputAst)> = items
        .into_iter()
        .filter(|(o, a)| only_stop_words || o.is_some() || !is_stop_word(a))
        .collect();
    let is_word = |a: &UserInputAst| match a {
        UserInputAst::Leaf(leaf) => match &**leaf {
            UserInputLeaf::Literal(l) => {
                l.field_name.is_none()
                    || matches!(l.field_name.as_deref(), Some("text" | "text_zh"))
            }
            _ => false,
        },
        // A group in parentheses, or a boosted word: one unit.
        UserInputAst::Clause(_) | UserInputAst::Boost(..) => true,
    };
    let words = items
        .iter()
        .filter(|(o, a)| o.is_none() && is_word(a))
        .count();
    let mut all: Vec<(Option<Occur>, UserInputAst)> = items
        .iter()
        .map(|(o, a)| (Some(o.unwrap_or(Occur::Must)), a.clone()))
        .collect();
    // "NOT veto", "-pillar:III": everything except what is excluded.
    if all.iter().all(|(o, _)| *o == Some(Occur::MustNot)) {
        all.push((
            Some(Occur::Must),
            UserInputAst::Leaf(Box::new(UserInputLeaf::All)),
        ));
    }
    if typed_or || words < 2 || only_stop_words {
        return (UserInputAst::Clause(all), None);
    }
    let mut some: Vec<(Option<Occur>, UserInputAst)> = Vec::new();
    let mut any_of: Vec<(Option<Occur>, UserInputAst)> = Vec::new();
    for (o, a) in items {
        match o {
            None if is_word(&a) => any_of.push((Some(Occur::Should), a)),
            None => some.push((Some(Occur::Must), a)),
            typed => some.push((typed, a)),
        }
    }
    some.push((Some(Occur::Must), UserInputAst::Clause(any_of)));
    (UserInputAst::Clause(all), Some(UserInputAst::Clause(some)))
}

/// Field names of the query language besides the keyword fields of
/// [`crate::registry::FACETS`] (and their aliases).
const TEXT_FIELDS: [&str; 14] = [
    "id",
    "doc_id",
    "source_file",
    "sha256",
    "position",
    "year",
    "title",
    "text",
    "text_en",
    "text_fr",
    "text_es",
    "text_ru",
    "text_ar",
    "text_zh",
];

/// Whether `name` is a field name of the query language: a schema field, or an alias of a
/// keyword field in any case (`risk_factor`, `Language`).
fn is_query_field(name: &str) -> bool {
    TEXT_FIELDS.contains(&name) || crate::registry::query_field(name).is_some()
}

/// Renames every field of the tree to its schema field: the aliases of
/// [`crate::registry::Facet::aliases`] (the names of [`crate::Filters`], of the JSON rows and
/// of the web parameters all work: `risk_factor:7`, `language:fr`, `doc_type:report`,
/// `rec:true`) and any letter case of a keyword field (`Pillar:III`).
fn rename_fields(ast: UserInputAst) -> UserInputAst {
    let rename = |f: Option<String>| {
        f.map(|name| {
            crate::registry::query_field(&name)
                .map(str::to_string)
                .unwrap_or(name)
        })
    };
    match ast {
        UserInputAst::Clause(items) => UserInputAst::Clause(
            items
                .into_iter()
                .map(|(occur, a)| (occur, rename_fields(a)))
                .collect(),
        ),
        UserInputAst::Boost(a, b) => UserInputAst::Boost(Box::new(rename_fields(*a)), b),
        UserInputAst::Leaf(leaf) => UserInputAst::Leaf(Box::new(match *leaf {
            UserInputLeaf::Literal(mut l) => {
                l.field_name = rename(l.field_name);
                UserInputLeaf::Literal(l)
            }
            UserInputLeaf::Range {
                field,
                lower,
                upper,
            } => UserInputLeaf::Range {
                field: rename(field),
                lower,
                upper,
            },
            UserInputLeaf::Set { field, elements } => UserInputLeaf::Set {
                field: rename(field),
                elements,
            },
            UserInputLeaf::Exists { field } => UserInputLeaf::Exists {
                field: rename(Some(field.clone())).unwrap_or(field),
            },
            UserInputLeaf::Regex { field, pattern } => UserInputLeaf::Regex {
                field: rename(field),
                pattern,
            },
            other @ UserInputLeaf::All => other,
        })),
    }
}

/// Prepares user input for tantivy's query grammar, outside quoted phrases:
/// - escapes a `:` that cannot start a field filter ("Article 2:4", "http://…", "note: x"),
///   so it is read as text; an unknown word-like field (`pilar:III`) still fails as an
///   unknown field, which tells the user about the typo;
/// - escapes an apostrophe inside a word ("Côte d'Ivoire", "States' obligations"), which the
///   grammar would otherwise take for a phrase delimiter.
///
/// A field name starts the query or follows whitespace, `(`, `+` or `-`. Backslash escapes
/// typed by the user pass through unchanged.
fn escape_text(q: &str) -> String {
    let mut out = String::with_capacity(q.len() + 8);
    // The quote character of the phrase we are in, if any.
    let mut quote: Option<char> = None;
    let mut at_word_start = true;
    // Byte offset in `out` where the current word started.
    let mut word_start = 0;
    let mut prev: Option<char> = None;
    let mut rest = q;
    while let Some(c) = rest.chars().next() {
        if quote.is_none() && at_word_start {
            word_start = out.len();
        }
        rest = &rest[c.len_utf8()..];
        match c {
            '\\' => {
                out.push(c);
                if let Some(n) = rest.chars().next() {
                    out.push(n);
                    rest = &rest[n.len_utf8()..];
                }
                at_word_start = false;
                prev = Some(c);
                continue;
            }
            '"' | '\'' if quote == Some(c) => quote = None,
            '\'' if quote.is_none() && prev.is_some_and(char::is_alphanumeric) => out.push('\\'),
            '"' | '\'' if quote.is_none() => quote = Some(c),
            ':' if quote.is_none() => {
                let name = out[word_start..].trim_start_matches(['+', '-']);
                let known = is_query_field(name);
                let looks_like_field = !name.is_empty()
                    && name.chars().all(|c| c.is_alphabetic() || c == '_')
                    && rest
                        .chars()
                        .next()
                        .is_some_and(|n| !n.is_whitespace() && n != '/');
                if !known && !looks_like_field {
                    out.push('\\');
                }
            }
            _ => {}
        }
        at_word_start = c.is_whitespace() || matches!(c, '(' | '+' | '-');
        out.push(c);
        prev = Some(c);
    }
    out
}

/// Turns each bare document symbol in a query ("A/79/875 veto") into a required symbol
/// clause (`+symbol:"A/79/875" veto`), so that a symbol restricts the results to that
/// document (and a filter is never what makes a row match). Words inside quoted phrases, field filters and
/// operators are left alone; a token is a symbol when [`undex_core::DocumentSymbol`] parses it.
fn require_bare_symbols(q: &str) -> String {
    let mut out = String::with_capacity(q.len() + 16);
    let mut in_quote = false;
    for (i, token) in q.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let quotes = token.matches('"').count();
        let bare = !in_quote
            && quotes == 0
            && token.contains('/')
            && !token.contains(':')
            && !token.starts_with(['+', '-', '('])
            && token.parse::<undex_core::DocumentSymbol>().is_ok();
        if bare {
            out.push_str("+symbol:\"");
            out.push_str(token);
            out.push('"');
        } else {
            out.push_str(token);
        }
        if quotes % 2 == 1 {
            in_quote = !in_quote;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(q: &str) -> (String, Option<String>) {
        let prepared = escape_text(&require_bare_symbols(q));
        let ast = route_phrases(rename_fields(
            tantivy::query_grammar::parse_query(&prepared).unwrap(),
        ));
        let (all, some) = split(ast);
        (format!("{all:?}"), some.map(|s| format!("{s:?}")))
    }

    fn some(s: &str) -> Option<String> {
        Some(s.to_string())
    }

    #[test]
    fn words_are_required_and_partial_matches_need_two_words() {
        assert_eq!(
            shape("veto restraint"),
            ("(+veto +restraint)".into(), some("(+(?veto ?restraint))"))
        );
        assert_eq!(shape("veto"), ("veto".into(), None));
        // A typed operator keeps its meaning, and there is nothing partial to add.
        assert_eq!(
            shape("veto OR restraint"),
            ("(?veto ?restraint)".into(), None)
        );
        assert_eq!(
            shape("+veto restraint"),
            ("(+veto +restraint)".into(), None)
        );
        assert_eq!(
            shape("veto -restraint"),
            ("(+veto -restraint)".into(), None)
        );
    }

    #[test]
    fn filters_are_always_required() {
        assert_eq!(
            shape("pillar:III veto"),
            (r#"(+"pillar":III +veto)"#.into(), None)
        );
        assert_eq!(
            shape("A/79/875 veto"),
            (r#"(+"symbol":"A/79/875" +veto)"#.into(), None)
        );
        // Partial matches keep the filters.
        assert_eq!(
            shape("risk:7 early warning").1,
            some(r#"(+"risk":7 +(?early ?warning))"#)
        );
        // Exclusions alone select everything else.
        assert_eq!(shape("NOT veto").0, "(-veto +*)");
        assert_eq!(shape("-pillar:III").0, r#"(-"pillar":III +*)"#);
    }

    #[test]
    fn stop_words_are_not_required_unless_they_are_all_there_is() {
        assert_eq!(
            shape("recommendations to Member States on hate speech").0,
            "(+recommendations +Member +States +hate +speech)"
        );
        assert_eq!(shape("to be"), ("(+to +be)".into(), None));
        assert_eq!(shape("La protection des civils").0, "(+protection +civils)");
    }

    #[test]
    fn phrases_and_split_words_go_to_the_field_with_positions() {
        assert_eq!(
            shape(r#""rule of law" veto"#).0,
            r#"(+"text":"rule of law" +veto)"#
        );
        assert_eq!(
            shape("state-building veto").0,
            r#"(+"text":state-building +veto)"#
        );
        assert_eq!(shape("保护责任").0, "保护责任");
        assert_eq!(shape(r#""保护 责任""#).0, r#""text_zh":"保护 责任""#);
    }

    #[test]
    fn field_aliases_are_renamed_on_the_tree() {
        let (all, _) = shape("risk_factor:7 AND (language:fr OR -Rec:true) Pillar:III");
        for field in [
            r#""risk":7"#,
            r#""lang":fr"#,
            r#""recommendation":true"#,
            r#""pillar":III"#,
        ] {
            assert!(all.contains(field), "{field} in {all}");
        }
        // A phrase is text, whatever it holds; an unknown field is left to fail.
        let (all, _) = shape("\"see language: fr\" xlanguage:fr");
        assert!(all.contains(r#""xlanguage":fr"#), "{all}");
        assert!(!all.contains(r#""lang""#), "{all}");
    }

    #[test]
    fn colons_and_apostrophes_in_text_are_escaped_outside_phrases() {
        assert_eq!(
            escape_text("\"see language: fr\" doc_typeX:1 xlanguage:fr"),
            "\"see language: fr\" doc_typeX:1 xlanguage:fr"
        );
        assert_eq!(
            escape_text("Côte d'Ivoire 'veto'"),
            "Côte d\\'Ivoire 'veto'"
        );
        assert_eq!(
            escape_text("Article 2:4 http://un.org year:2026 \\+x"),
            "Article 2\\:4 http\\://un.org year:2026 \\+x"
        );
    }

    #[test]
    fn bare_symbols_become_required_symbol_clauses() {
        assert_eq!(
            require_bare_symbols("S/2025/248 veto"),
            "+symbol:\"S/2025/248\" veto"
        );
        assert_eq!(
            require_bare_symbols("A/79/875-S/2025/248"),
            "+symbol:\"A/79/875-S/2025/248\""
        );
        // Phrases, field filters, operators and plain words are left alone.
        for q in [
            "\"see A/79/875 para\" veto",
            "symbol:\"A/79/875\"",
            "-A/79/875 veto",
            "and/or veto",
        ] {
            assert_eq!(require_bare_symbols(q), q);
        }
    }
}

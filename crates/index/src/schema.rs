//! The tantivy schema of the undex index and the analyzers it needs.
//!
//! One tantivy document per [`ParagraphRow`]. The whole row is stored in `row_zstd` (its
//! compact stored JSON, `crate::stored`, as one zstd frame, `crate::rowzip`), so every
//! page can be rebuilt from the index alone. Text is analysed once per language: the
//! row's `language` routes its text to `text_en`, `text_fr`, `text_es`, `text_ru`, `text_ar`
//! (Snowball stemmers) or `text_zh` (jieba segmentation); every row's text also goes to
//! `text_exact` (lower-cased, unstemmed) so that exact wording ranks higher and phrases match
//! as printed. Filter fields (one per keyword entry of [`crate::registry::FACETS`]: `body`,
//! `type`, `lang`, `pillar`, `risk`, `recommendation`, `addressee`, `verb`, `crime`, `country`,
//! `cited`, `symbol`, `kind`) are single-token keywords, lower-cased for matching and kept
//! verbatim in their fast column for facet counts. Their names are the field names of the
//! query language (`pillar:III`, `lang:fr`).
//!
//! Size: positions are kept only where phrases are matched (`text`, `text_zh`); identifiers,
//! filters and numbers keep no length norms; each stored row is compressed on its own with the
//! index's row dictionary, and the document store around them is not compressed again
//! ([`index_settings`]).

use tantivy::Index;
use tantivy::IndexSettings;
use tantivy::TantivyDocument;
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, STORED, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::store::Compressor;
use tantivy::tokenizer::{
    Language as Stemmer, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
};
use undex_core::{Language, ParagraphRow, TextLanguage};

/// Languages with their own analysed text field (`text_<code>`): the six official UN
/// languages, in the order of the schema's fields (not the UN's order: changing it changes
/// the schema).
pub const LANGUAGES: [Language; 6] = [
    Language::En,
    Language::Fr,
    Language::Es,
    Language::Ru,
    Language::Ar,
    Language::Zh,
];

/// Languages with a Snowball stemmer (their `text_<code>` field is stemmed), with the
/// stemmer: English, French, Spanish, Russian, Arabic. Chinese is segmented, not stemmed.
pub const STEMMERS: [(Language, Stemmer); 5] = [
    (Language::En, Stemmer::English),
    (Language::Fr, Stemmer::French),
    (Language::Es, Stemmer::Spanish),
    (Language::Ru, Stemmer::Russian),
    (Language::Ar, Stemmer::Arabic),
];

/// Whether `field` is the text field of a language of [`STEMMERS`]: its analyzer is `text`'s
/// (see [`register_tokenizers`]) followed by the stemmer, so a row has as many words there as
/// in `text`, and each word of `text` is an occurrence of its stem there.
pub(crate) fn stems_exact_field(field: &str) -> bool {
    field
        .strip_prefix("text_")
        .is_some_and(|code| STEMMERS.iter().any(|(l, _)| l.to_string() == code))
}

/// Whether `language`'s stemmed field is one an index with `.stems` files keeps there
/// (the languages of [`STEMMERS`]) rather than indexes.
pub(crate) fn stemmed_in_files(language: Language) -> bool {
    STEMMERS.iter().any(|(l, _)| *l == language)
}

/// Tokenizer name of the unstemmed analyzer (`text_exact`, `title`).
const TOK_EXACT: &str = "undex_exact";
/// Tokenizer name of the keyword analyzer (one lower-cased token per value).
const TOK_KEYWORD: &str = "undex_keyword";

/// Every field of the schema, resolved once.
#[derive(Debug, Clone)]
pub struct Fields {
    /// Unit id ("A_79_875.en~76"), raw.
    pub id: Field,
    /// Document id ("A_79_875.en"), raw.
    pub doc_id: Field,
    /// Source file path, raw (replacement key).
    pub source_file: Field,
    /// SHA-256 of the source file, raw (replacement key).
    pub sha256: Field,
    /// The whole row, stored only: its compact JSON (`crate::stored`) as one zstd frame
    /// (`crate::rowzip`).
    pub row: Field,
    /// Position of the unit in its document (u64, indexed + fast).
    pub position: Field,
    /// Sort key for listing in document order: newest year first, then document, then
    /// position. A fast column only (not indexed: nothing searches it); an index made by
    /// an earlier build also indexes it, which changes nothing for its readers.
    pub sort_key: Field,
    /// Year of issue (i64, indexed + fast).
    pub year: Field,
    /// Title, unstemmed.
    pub title: Field,
    /// Text of every row, unstemmed.
    pub text_exact: Field,
    /// Per-language analysed text fields, in the order of [`LANGUAGES`] (see
    /// [`Fields::text_field`]).
    pub text_lang: [Field; 6],
    /// Keyword filter and facet fields, one per keyword entry of
    /// [`crate::registry::FACETS`], in its order (see [`Fields::keyword`]).
    pub keywords: Vec<Field>,
    /// Each symbol of the document and the joint symbol (the `symbol` keyword field).
    pub symbol: Field,
    /// True when the index keeps the Snowball languages' stemmed fields in its `.stems`
    /// files ([`crate::stems`]): a row's text is then indexed on `text` (and on `text_zh`
    /// for Chinese) only. False from [`build_schema`]; the index sets it.
    pub stems_in_files: bool,
}

impl Fields {
    /// The analysed text field of `language`, when it has one (the six official languages).
    #[must_use]
    pub fn text_field(&self, language: Language) -> Option<Field> {
        LANGUAGES
            .iter()
            .position(|l| *l == language)
            .map(|i| self.text_lang[i])
    }

    /// The keyword field whose schema name is `field` ("lang", "cited").
    ///
    /// # Panics
    /// When `field` names no keyword entry of [`crate::registry::FACETS`]: a programming
    /// error, caught by the tests.
    #[must_use]
    pub fn keyword(&self, field: &str) -> Field {
        crate::registry::keywords()
            .position(|f| f.field == field)
            .map(|i| self.keywords[i])
            .unwrap_or_else(|| panic!("no keyword field {field:?} in the registry"))
    }
}

/// A filter field: one lower-cased token per value, no length norms (nothing ranks on it).
fn keyword_options() -> TextOptions {
    TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TOK_KEYWORD)
                .set_index_option(IndexRecordOption::Basic)
                .set_fieldnorms(false),
        )
        .set_fast("raw")
}

/// An identifier: the value as one token, no length norms.
fn id_options() -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("raw")
            .set_index_option(IndexRecordOption::Basic)
            .set_fieldnorms(false),
    )
}

/// A ranked text field; `positions` where phrases are matched on it.
fn text_options(tokenizer: &str, positions: bool) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(if positions {
                IndexRecordOption::WithFreqsAndPositions
            } else {
                IndexRecordOption::WithFreqs
            }),
    )
}

/// A number filtered on and read from its fast column, no length norms.
fn number_options() -> NumericOptions {
    NumericOptions::default().set_indexed().set_fast()
}

/// Tokenizer name of the analyzer of a language's text field ("undex_en").
fn lang_tokenizer(language: Language) -> String {
    format!("undex_{language}")
}

/// Settings of a new index: the document store in blocks of 4 KiB, not compressed, as the
/// rows in it already are, each on its own with the index's dictionary (`crate::rowzip`).
/// Reading a hit then copies its row out of a block and decompresses that row alone (about
/// 3 µs), where tantivy's zstd store decompressed the whole 32 KiB block around it (about
/// 40 µs, with a new zstd context per block); and the rows take fewer bytes than in zstd
/// blocks of 32 KiB (see `crate::rowzip`). Each block is written by the indexing thread that
/// filled it: tantivy's default hands every block to a thread of its own, to compress it
/// there, which for blocks left uncompressed is only a write, paid with two context switches
/// a block (about 400,000 in a reindex of the scale benchmark's million rows, against 50,000
/// without; 2–4 s less system time). An existing index keeps the settings it was created
/// with.
#[must_use]
pub fn index_settings() -> IndexSettings {
    IndexSettings {
        docstore_compression: Compressor::None,
        docstore_blocksize: 4 * 1024,
        // A setting tantivy hides from its docs (`#[doc(hidden)]`): an upgrade that drops it
        // fails to compile here, and the test below checks it is saved.
        docstore_compress_dedicated_thread: false,
        ..IndexSettings::default()
    }
}

/// Builds the schema and resolves its fields.
#[must_use]
pub fn build_schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let id = b.add_text_field("id", id_options());
    let doc_id = b.add_text_field("doc_id", id_options().set_fast("raw"));
    let source_file = b.add_text_field("source_file", id_options());
    let sha256 = b.add_text_field("sha256", id_options());
    let row = b.add_bytes_field("row_zstd", STORED);
    let position = b.add_u64_field("position", number_options());
    // Only sorted on, never searched: its fast column alone. Indexed, it was a term per row
    // (a million distinct terms at 1M rows) that every flush and merge wrote again.
    let sort_key = b.add_text_field("sort_key", TextOptions::default().set_fast("raw"));
    let year = b.add_i64_field("year", number_options());
    let title = b.add_text_field("title", text_options(TOK_EXACT, false));
    let text_exact = b.add_text_field("text", text_options(TOK_EXACT, true));
    // Phrases are matched on the unstemmed `text` (see `crate::query`), so the stemmed fields
    // keep no positions, except Chinese, whose words only `text_zh` segments.
    let text_lang = LANGUAGES.map(|l| {
        b.add_text_field(
            &format!("text_{l}"),
            text_options(&lang_tokenizer(l), l == Language::Zh),
        )
    });
    let keywords: Vec<Field> = crate::registry::keywords()
        .map(|f| b.add_text_field(f.field, keyword_options()))
        .collect();
    let symbol = crate::registry::keywords()
        .position(|f| f.field == "symbol")
        .map(|i| keywords[i])
        .expect("the registry declares the symbol field");
    let fields = Fields {
        id,
        doc_id,
        source_file,
        sha256,
        row,
        position,
        sort_key,
        year,
        title,
        text_exact,
        text_lang,
        keywords,
        symbol,
        stems_in_files: false,
    };
    (b.build(), fields)
}

/// Registers the analyzers the schema names. Tantivy does not persist custom analyzers, so
/// this runs on every open.
pub fn register_tokenizers(index: &Index) {
    let tm = index.tokenizers();
    let plain = || {
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(LONG_WORD_BYTES))
            .filter(LowerCaser)
    };
    tm.register(TOK_EXACT, plain().build());
    tm.register(
        TOK_KEYWORD,
        TextAnalyzer::builder(RawTokenizer::default())
            .filter(LowerCaser)
            .build(),
    );
    for (language, stem) in STEMMERS {
        tm.register(
            &lang_tokenizer(language),
            plain()
                .filter(crate::stem::CachedStemmer::new(stem))
                .build(),
        );
    }
    tm.register(
        &lang_tokenizer(Language::Zh),
        TextAnalyzer::builder(tantivy_jieba::JiebaTokenizer::new())
            .filter(RemoveLongFilter::limit(LONG_WORD_BYTES))
            .filter(LowerCaser)
            .build(),
    );
}

/// Bytes from which the text analyzers drop a word (tantivy's `RemoveLongFilter` keeps
/// tokens shorter than this): no real word is as long, and a run of 40 letters or digits is
/// noise (a URL, a hash) that would only swell the term dictionaries.
pub(crate) const LONG_WORD_BYTES: usize = 40;

/// The analysed text field of a row's language (`&row.language`), when the language has one
/// ([`Fields::text_field`]: the six official languages); `None` for another language, an
/// unlisted one ("nld") and an undetermined one ("und").
#[must_use]
pub fn lang_field(fields: &Fields, language: &TextLanguage) -> Option<Field> {
    language.language().and_then(|l| fields.text_field(l))
}

/// The sort key that lists rows newest year first, then by document id, then in reading order.
#[must_use]
pub fn sort_key(row: &ParagraphRow) -> String {
    let inverted_year = 9999 - row.year.unwrap_or(0).clamp(0, 9999);
    format!("{inverted_year:04}|{}|{:010}", row.doc_id, row.position)
}

/// Converts a row to its tantivy document, its stored form compressed by `rows`.
///
/// # Errors
/// [`crate::IndexError::Row`] if the row cannot be serialised to JSON (it always can);
/// [`crate::IndexError::StoredRow`] when the row dictionary cannot be saved.
pub(crate) fn to_document(
    f: &Fields,
    rows: &crate::rowzip::RowCodec,
    row: &ParagraphRow,
) -> Result<TantivyDocument, crate::IndexError> {
    document(f, rows, row, &crate::stored::encode(row)?)
}

/// [`to_document`] taking the row: its stored form is written without a copy of it
/// ([`crate::stored::encode_taking`]).
///
/// # Errors
/// As [`to_document`].
pub(crate) fn to_document_taking(
    f: &Fields,
    rows: &crate::rowzip::RowCodec,
    mut row: ParagraphRow,
) -> Result<TantivyDocument, crate::IndexError> {
    let stored = crate::stored::encode_taking(&mut row)?;
    // The evidence is now the stored form's; no field below reads it.
    document(f, rows, &row, &stored)
}

/// The tantivy document of `row`, whose stored JSON is `stored`.
fn document(
    f: &Fields,
    rows: &crate::rowzip::RowCodec,
    row: &ParagraphRow,
    stored: &str,
) -> Result<TantivyDocument, crate::IndexError> {
    let mut d = TantivyDocument::default();
    d.add_text(f.id, &row.id);
    d.add_text(f.doc_id, &row.doc_id);
    d.add_text(f.source_file, &row.source_file);
    d.add_text(f.sha256, &row.sha256);
    d.add_bytes(f.row, &rows.encode(stored.as_bytes())?);
    d.add_u64(f.position, u64::from(row.position));
    d.add_text(f.sort_key, sort_key(row));
    if let Some(y) = row.year {
        d.add_i64(f.year, i64::from(y));
    }
    if let Some(t) = &row.title {
        d.add_text(f.title, t);
    }
    d.add_text(f.text_exact, &row.text);
    if let Some(field) = lang_field(f, &row.language)
        && !(f.stems_in_files && row.language.language().is_some_and(stemmed_in_files))
    {
        d.add_text(field, &row.text);
    }
    for (facet, field) in crate::registry::keywords().zip(&f.keywords) {
        (facet.values)(row, &mut |value| d.add_text(*field, value));
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A new index on disk writes its document store on the indexing threads (no block is
    /// handed to a thread of its own), and says so in its `meta.json`, so that every writer
    /// opened on it later does the same.
    #[test]
    fn a_new_index_writes_its_store_on_the_indexing_threads() {
        let dir = tempfile::tempdir().unwrap();
        let index = crate::UndexIndex::open_or_create(dir.path()).unwrap();
        drop(index);
        let reopened = tantivy::Index::open_in_dir(dir.path()).unwrap();
        assert!(!reopened.settings().docstore_compress_dedicated_thread);
        assert_eq!(reopened.settings().docstore_compression, Compressor::None);
    }

    /// The sort key is a fast column only: indexed, it would be a distinct term for every
    /// row, written again by every flush and merge (a sixth of a reindex's time at 1M rows).
    #[test]
    fn the_sort_key_is_sorted_on_and_not_searched() {
        let (schema, fields) = build_schema();
        let entry = schema.get_field_entry(fields.sort_key);
        assert!(entry.is_fast());
        assert!(!entry.is_indexed());
    }

    /// The stemmed fields whose rows bound the exact field's are the Snowball languages'
    /// text fields: not Chinese (segmented by another tokenizer), not `text` itself, not the
    /// symbol or title.
    #[test]
    fn the_fields_that_stem_the_exact_analyzers_words() {
        let (schema, _) = build_schema();
        let stemmed: Vec<&str> = schema
            .fields()
            .map(|(_, entry)| entry.name())
            .filter(|name| stems_exact_field(name))
            .collect();
        assert_eq!(
            stemmed,
            ["text_en", "text_fr", "text_es", "text_ru", "text_ar"]
        );
    }
}

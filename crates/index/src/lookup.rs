//! Reading rows back: one paragraph, a document, its language versions, citing paragraphs,
//! neighbours and statistics, all rebuilt from the stored rows.

use std::collections::{BTreeMap, BTreeSet};

use tantivy::collector::{Count, DocSetCollector};
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher, Term};
use undex_core::{Language, ParagraphRow, TextLanguage};

use crate::{IndexError, IndexStats, MAX_LANGUAGE_VERSIONS, UndexIndex};

impl UndexIndex {
    /// The `parts` of the stored row at `addr` (see [`crate::scan::row_parts_at`]).
    pub(crate) fn load_row(
        &self,
        searcher: &Searcher,
        addr: DocAddress,
        parts: crate::stored::Parts,
    ) -> Result<ParagraphRow, IndexError> {
        crate::scan::row_parts_at(searcher, self.fields.row, &self.rows, addr, parts)
    }

    pub(crate) fn rows_matching(&self, query: &dyn Query) -> Result<Vec<ParagraphRow>, IndexError> {
        let searcher = self.reader.searcher();
        let addrs = searcher.search(query, &DocSetCollector)?;
        let mut addrs: Vec<DocAddress> = addrs.into_iter().collect();
        addrs.sort_unstable();
        addrs
            .into_iter()
            .map(|a| self.load_row(&searcher, a, crate::stored::Parts::Whole))
            .collect()
    }

    /// The row with unit id `id` ("A_79_875.en~76"), if indexed.
    ///
    /// # Errors
    /// [`IndexError::Tantivy`] / [`IndexError::Row`] on a damaged index.
    pub fn paragraph(&self, id: &str) -> Result<Option<ParagraphRow>, IndexError> {
        let q = TermQuery::new(
            Term::from_field_text(self.fields.id, id),
            IndexRecordOption::Basic,
        );
        Ok(self.rows_matching(&q)?.into_iter().next())
    }

    /// Every row of one document, in reading order (`position`). `key` is a document id
    /// ("A_79_875.en"), a symbol ("A/79/875", case-insensitive), a joint symbol
    /// ("A/79/875-S/2025/248") or a symbol slug ("A_79_875"). When several documents match
    /// (language versions), the English one is preferred, else the smallest document id.
    /// Empty when nothing matches.
    ///
    /// # Errors
    /// [`IndexError::Tantivy`] / [`IndexError::Row`] on a damaged index.
    pub fn document(&self, key: &str) -> Result<Vec<ParagraphRow>, IndexError> {
        let key = key.trim();
        let by_id = |id: &str| {
            TermQuery::new(
                Term::from_field_text(self.fields.doc_id, id),
                IndexRecordOption::Basic,
            )
        };
        let mut rows = self.rows_matching(&by_id(key))?;
        if rows.is_empty() {
            rows = self.rows_matching(&*Self::keyword_term(self.fields.symbol, key))?;
        }
        if rows.is_empty() && !key.contains('.') {
            rows = self.rows_matching(&by_id(&format!("{key}.en")))?;
        }
        let chosen = rows
            .iter()
            .map(|r| (r.language != Language::En, r.doc_id.clone()))
            .min()
            .map(|(_, d)| d);
        let mut rows: Vec<ParagraphRow> = match chosen {
            Some(d) => rows.into_iter().filter(|r| r.doc_id == d).collect(),
            None => Vec::new(),
        };
        rows.sort_by(|a, b| a.position.cmp(&b.position).then_with(|| a.id.cmp(&b.id)));
        Ok(rows)
    }

    /// Whether the index holds a row sharing `row`'s first symbol in another language than
    /// `row.language`: one count, no stored row read, so a bulk ingest of documents in one
    /// language asks it of every document without reading the index back. False for a row
    /// without a symbol. A true answer is a hint: [`Self::language_versions`] then applies
    /// [`undex_core::align::same_document`].
    ///
    /// # Errors
    /// [`IndexError::Tantivy`] on a damaged index.
    pub fn has_other_language(&self, row: &ParagraphRow) -> Result<bool, IndexError> {
        let Some(symbol) = row.symbols.first().or(row.symbol.as_ref()) else {
            return Ok(false);
        };
        let query = BooleanQuery::new(vec![
            (Occur::Must, Self::keyword_term(self.fields.symbol, symbol)),
            (
                Occur::MustNot,
                Self::keyword_term(self.fields.keyword("lang"), row.language.as_str()),
            ),
        ]);
        Ok(self.reader.searcher().search(&query, &Count)? > 0)
    }

    /// Every language version of the document `row` belongs to: each document of the index
    /// that shares one of its symbols (see [`undex_core::align::same_document`]), its own
    /// included, as `(language, rows in reading order)` sorted by language (its code, "ar" before
    /// "en") then document id.
    /// Empty for a row without a symbol (a non-UN document has no language versions). At
    /// most [`MAX_LANGUAGE_VERSIONS`] documents.
    ///
    /// # Errors
    /// [`IndexError::Tantivy`] / [`IndexError::Row`] on a damaged index.
    pub fn language_versions(
        &self,
        row: &ParagraphRow,
    ) -> Result<Vec<(TextLanguage, Vec<ParagraphRow>)>, IndexError> {
        let Some(symbol) = row.symbols.first().or(row.symbol.as_ref()) else {
            return Ok(Vec::new());
        };
        let mut by_doc: BTreeMap<String, Vec<ParagraphRow>> = BTreeMap::new();
        for r in self.rows_matching(&*Self::keyword_term(self.fields.symbol, symbol))? {
            if r.doc_id == row.doc_id || undex_core::align::same_document(row, &r) {
                by_doc.entry(r.doc_id.clone()).or_default().push(r);
            }
        }
        let mut out: Vec<(TextLanguage, Vec<ParagraphRow>)> = by_doc
            .into_values()
            .take(MAX_LANGUAGE_VERSIONS)
            .map(|mut rows| {
                rows.sort_by(|a, b| a.position.cmp(&b.position).then_with(|| a.id.cmp(&b.id)));
                (rows[0].language, rows)
            })
            .collect();
        out.sort_by(|a, b| (a.0.as_str(), &a.1[0].doc_id).cmp(&(b.0.as_str(), &b.1[0].doc_id)));
        Ok(out)
    }

    /// Every row that cites one of `symbols` (its `cited` field, see
    /// [`undex_core::CitedDocument`]), case-insensitive, sorted by document id then
    /// position. Blank symbols are ignored; empty when `symbols` is empty.
    ///
    /// # Errors
    /// [`IndexError::Tantivy`] / [`IndexError::Row`] on a damaged index.
    pub fn citing(&self, symbols: &[String]) -> Result<Vec<ParagraphRow>, IndexError> {
        let wanted: BTreeSet<String> = symbols
            .iter()
            .map(|s| s.trim().to_lowercase())
            .filter(|s| !s.is_empty())
            .collect();
        if wanted.is_empty() {
            return Ok(Vec::new());
        }
        let clauses: Vec<(Occur, Box<dyn Query>)> = wanted
            .iter()
            .map(|s| {
                (
                    Occur::Should,
                    Self::keyword_term(self.fields.keyword("cited"), s),
                )
            })
            .collect();
        let mut rows = self.rows_matching(&BooleanQuery::new(clauses))?;
        rows.sort_by(reading_order);
        Ok(rows)
    }

    /// Whether a document with symbol (one of a joint symbol, or the joint one) or id `key`
    /// is indexed, in any language.
    ///
    /// # Errors
    /// [`IndexError::Tantivy`] on a damaged index.
    pub fn has_document(&self, key: &str) -> Result<bool, IndexError> {
        let key = key.trim();
        if key.is_empty() {
            return Ok(false);
        }
        let searcher = self.reader.searcher();
        let by_symbol = searcher.search(&*Self::keyword_term(self.fields.symbol, key), &Count)?;
        if by_symbol > 0 {
            return Ok(true);
        }
        let by_id = TermQuery::new(
            Term::from_field_text(self.fields.doc_id, key),
            IndexRecordOption::Basic,
        );
        Ok(searcher.search(&by_id, &Count)? > 0)
    }

    /// Whether rows read from a file with this SHA-256 (hex, as in [`ParagraphRow::sha256`])
    /// are indexed: how a resumed ingest knows a file is already done.
    ///
    /// # Errors
    /// [`IndexError::Tantivy`] on a damaged index.
    pub fn has_sha256(&self, sha256: &str) -> Result<bool, IndexError> {
        let q = TermQuery::new(
            Term::from_field_text(self.fields.sha256, sha256),
            IndexRecordOption::Basic,
        );
        Ok(self.reader.searcher().search(&q, &Count)? > 0)
    }

    pub(crate) fn at_position(
        &self,
        doc_id: &str,
        position: u32,
    ) -> Result<Option<ParagraphRow>, IndexError> {
        let q = BooleanQuery::new(vec![
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(self.fields.doc_id, doc_id),
                    IndexRecordOption::Basic,
                )) as Box<dyn Query>,
            ),
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_u64(self.fields.position, u64::from(position)),
                    IndexRecordOption::Basic,
                )),
            ),
        ]);
        Ok(self.rows_matching(&q)?.into_iter().next())
    }

    /// The rows before and after unit `id` in its document's reading order; `(None, None)`
    /// when `id` is unknown.
    ///
    /// # Errors
    /// [`IndexError::Tantivy`] / [`IndexError::Row`] on a damaged index.
    pub fn neighbours(
        &self,
        id: &str,
    ) -> Result<(Option<ParagraphRow>, Option<ParagraphRow>), IndexError> {
        let Some(row) = self.paragraph(id)? else {
            return Ok((None, None));
        };
        let prev = match row.position.checked_sub(1) {
            Some(p) => self.at_position(&row.doc_id, p)?,
            None => None,
        };
        let next = match row.position.checked_add(1) {
            Some(p) => self.at_position(&row.doc_id, p)?,
            None => None,
        };
        Ok((prev, next))
    }

    /// Counts documents (rows at position 0, one per document) and rows.
    ///
    /// # Errors
    /// [`IndexError::Tantivy`] on a damaged index.
    pub fn stats(&self) -> Result<IndexStats, IndexError> {
        let searcher = self.reader.searcher();
        let first = TermQuery::new(
            Term::from_field_u64(self.fields.position, 0),
            IndexRecordOption::Basic,
        );
        let documents = searcher.search(&first, &Count)?;
        Ok(IndexStats {
            documents: documents as u64,
            paragraphs: searcher.num_docs(),
        })
    }
}

/// Orders rows by document id, then position in the document, then id.
pub(crate) fn reading_order(a: &ParagraphRow, b: &ParagraphRow) -> std::cmp::Ordering {
    a.doc_id
        .cmp(&b.doc_id)
        .then_with(|| a.position.cmp(&b.position))
        .then_with(|| a.id.cmp(&b.id))
}

//! Writing the index: [`IndexBatch`], the one rule of what a re-ingest replaces (same
//! document id, source file or SHA-256), and commits.

use tantivy::{IndexWriter, Term};
use undex_core::ParagraphRow;

use crate::schema::to_document;
use std::collections::BTreeSet;

use crate::{IndexError, UndexIndex, WRITER_BUDGET};

/// Writes in progress on an [`UndexIndex`] (see [`UndexIndex::begin`]). Holds the index's
/// writer for its lifetime.
pub struct IndexBatch<'a> {
    index: &'a UndexIndex,
    guard: std::sync::MutexGuard<'a, Option<IndexWriter>>,
    /// Rows added since the last commit.
    pending: usize,
}

impl IndexBatch<'_> {
    fn writer(&mut self) -> Result<&mut IndexWriter, IndexError> {
        self.guard.as_mut().ok_or(IndexError::Poisoned)
    }

    /// Replaces one document, given as its rows in reading order: deletes every row already
    /// indexed (or added earlier in this batch) with the same `doc_id`, `source_file` or
    /// `sha256` as one of `rows`, then adds `rows`. This is the one rule of what a
    /// re-ingest replaces. Returns the number of rows added (0 for an empty document, which
    /// deletes nothing).
    ///
    /// # Errors
    /// [`IndexError::Row`] when a row cannot be serialised; [`IndexError::Tantivy`] when the
    /// writer has failed.
    pub fn replace(&mut self, rows: &[ParagraphRow]) -> Result<usize, IndexError> {
        if rows.is_empty() {
            return Ok(0);
        }
        let f = &self.index.fields;
        let mut deletes: BTreeSet<(u8, &str)> = BTreeSet::new();
        for r in rows {
            deletes.insert((0, r.doc_id.as_str()));
            if !r.source_file.is_empty() {
                deletes.insert((1, r.source_file.as_str()));
            }
            if !r.sha256.is_empty() {
                deletes.insert((2, r.sha256.as_str()));
            }
        }
        let terms: Vec<Term> = deletes
            .into_iter()
            .map(|(kind, value)| {
                Term::from_field_text(
                    [f.doc_id, f.source_file, f.sha256][usize::from(kind)],
                    value,
                )
            })
            .collect();
        let docs = rows
            .iter()
            .map(|r| to_document(f, r))
            .collect::<Result<Vec<_>, _>>()?;
        let writer = self.writer()?;
        for term in terms {
            writer.delete_term(term);
        }
        for doc in docs {
            writer.add_document(doc)?;
        }
        self.pending += rows.len();
        Ok(rows.len())
    }

    /// Rows added since the last commit.
    #[must_use]
    pub fn pending(&self) -> usize {
        self.pending
    }

    /// Commits every write of the batch so far, atomically, and makes it visible to
    /// searches. Returns the commit's opstamp.
    ///
    /// # Errors
    /// [`IndexError::Tantivy`] on I/O errors; the writes since the last commit are then
    /// rolled back.
    pub fn commit(&mut self) -> Result<u64, IndexError> {
        let pending = self.pending;
        let writer = self.writer()?;
        let stamp = match writer.commit() {
            Ok(stamp) => stamp,
            Err(e) => {
                let _ = writer.rollback();
                self.pending = 0;
                return Err(e.into());
            }
        };
        self.pending = 0;
        self.index.reader.reload()?;
        tracing::debug!(rows = pending, opstamp = stamp, "index commit");
        Ok(stamp)
    }
}

impl IndexBatch<'_> {
    /// Merges every segment of the index into one, as Lucene's force-merge, when the index
    /// has more than one, and waits for it; commits pending rows first. A bulk load ends with
    /// this: one segment answers a search with one term lookup per field and word, and
    /// stores one term dictionary. Costs a rewrite of the index (about as long as indexing
    /// it); a small update should leave merging to tantivy's merge policy. Returns the
    /// number of segments merged (0 or 1: nothing done).
    ///
    /// # Errors
    /// [`IndexError::Tantivy`] when the merge fails (the index keeps its segments).
    pub fn merge_segments(&mut self) -> Result<usize, IndexError> {
        if self.pending > 0 {
            self.commit()?;
        }
        let ids = self.index.index.searchable_segment_ids()?;
        if ids.len() < 2 {
            return Ok(ids.len());
        }
        let writer = self.writer()?;
        writer.merge(&ids).wait()?;
        let _ = writer.garbage_collect_files().wait();
        self.index.reader.reload()?;
        tracing::debug!(segments = ids.len(), "index segments merged into one");
        Ok(ids.len())
    }
}

impl Drop for IndexBatch<'_> {
    fn drop(&mut self) {
        if self.pending > 0
            && let Some(w) = self.guard.as_mut()
        {
            let _ = w.rollback();
        }
    }
}

impl UndexIndex {
    /// Replaces documents: for each document (its rows, in reading order), deletes every row
    /// already indexed with the same `doc_id`, `source_file` or `sha256`, then adds the new
    /// rows; all in one commit, so a killed ingest leaves the previous commit intact and
    /// re-ingesting a file never duplicates it. Empty documents are skipped; when two
    /// documents of `docs` share a key, the later one wins. Returns the number of rows added.
    ///
    /// # Errors
    /// As [`UndexIndex::begin`] and [`IndexBatch::commit`].
    pub fn replace_documents(&self, docs: &[Vec<ParagraphRow>]) -> Result<usize, IndexError> {
        let mut batch = self.begin()?;
        let mut added = 0;
        for rows in docs {
            added += batch.replace(rows)?;
        }
        batch.commit()?;
        Ok(added)
    }

    /// Starts a batch of writes: [`IndexBatch::replace`] any number of documents, then
    /// [`IndexBatch::commit`] (as often as wanted: an ingest commits every few thousand
    /// rows so its memory does not grow with the corpus). Writes not committed when the
    /// batch is dropped are rolled back, so no later commit publishes half a batch.
    ///
    /// The writer lock (tantivy's `.tantivy-writer.lock` in the index folder) is taken on
    /// the first batch and held by this [`UndexIndex`] until it is dropped.
    ///
    /// # Errors
    /// [`IndexError::ReadOnly`] on a read-only index; [`IndexError::Locked`] when another
    /// process (another `undex ingest`) holds the writer lock; [`IndexError::Tantivy`] on
    /// I/O errors.
    pub fn begin(&self) -> Result<IndexBatch<'_>, IndexError> {
        let lock = self.writer.as_ref().ok_or(IndexError::ReadOnly)?;
        let mut guard = lock.lock().map_err(|_| IndexError::Poisoned)?;
        if guard.is_none() {
            let writer = self
                .index
                .writer_with_num_threads(1, WRITER_BUDGET)
                .map_err(|e| match e {
                    tantivy::TantivyError::LockFailure(..) => IndexError::Locked {
                        path: self.dir.clone().unwrap_or_default(),
                    },
                    e => IndexError::Tantivy(e),
                })?;
            *guard = Some(writer);
        }
        Ok(IndexBatch {
            index: self,
            guard,
            pending: 0,
        })
    }
}

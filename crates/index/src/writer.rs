//! Writing the index: [`IndexBatch`], the one rule of what a re-ingest replaces (same
//! document id, source file or SHA-256), and commits.

use tantivy::index::SegmentId;
use tantivy::indexer::{LogMergePolicy, MergeCandidate, MergePolicy, NoMergePolicy};
use tantivy::{IndexWriter, SegmentMeta, TantivyDocument, Term};
use undex_core::ParagraphRow;

use crate::schema::{to_document, to_document_taking};
use crate::writerdir::WriterDirectory;
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
        let terms = self.delete_terms(rows);
        let docs = rows
            .iter()
            .map(|r| to_document(&self.index.fields, &self.index.rows, r))
            .collect::<Result<Vec<_>, _>>()?;
        self.add(terms, docs)
    }

    /// [`IndexBatch::replace`] taking the rows, for a caller that does not keep them (`undex
    /// reindex`, and an ingest but for English documents): each row's stored form is written
    /// from the row itself, where `replace` writes it from a copy.
    ///
    /// # Errors
    /// As [`IndexBatch::replace`].
    pub fn replace_taking(&mut self, rows: Vec<ParagraphRow>) -> Result<usize, IndexError> {
        let terms = self.delete_terms(&rows);
        let docs = rows
            .into_iter()
            .map(|r| to_document_taking(&self.index.fields, &self.index.rows, r))
            .collect::<Result<Vec<_>, _>>()?;
        self.add(terms, docs)
    }

    /// The terms that delete what `rows` replace: their `doc_id`, `source_file` and
    /// `sha256` values, each once.
    fn delete_terms(&self, rows: &[ParagraphRow]) -> Vec<Term> {
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
        deletes
            .into_iter()
            .map(|(kind, value)| {
                Term::from_field_text(
                    [f.doc_id, f.source_file, f.sha256][usize::from(kind)],
                    value,
                )
            })
            .collect()
    }

    /// Deletes by `terms`, then adds `docs` (with no documents, deletes nothing either);
    /// returns the number of documents added.
    fn add(&mut self, terms: Vec<Term>, docs: Vec<TantivyDocument>) -> Result<usize, IndexError> {
        if docs.is_empty() {
            return Ok(0);
        }
        let added = docs.len();
        let writer = self.writer()?;
        for term in terms {
            writer.delete_term(term);
        }
        for doc in docs {
            writer.add_document(doc)?;
        }
        self.pending += added;
        Ok(added)
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
    /// Declares the rest of this batch a bulk load (an ingest into an empty index, a
    /// reindex), to end with [`IndexBatch::merge_segments`]: until then, the writer merges in
    /// the background only groups of segments that fill a segment of [`MAX_SEGMENT_ROWS`]
    /// rows (or take [`MAX_MERGE_INPUTS`] segments), as `FillMergePolicy` says, instead of
    /// its default policy's merges of eight similar segments at every level. Each row is then
    /// rewritten about once before the load ends, not once per level: a reindex of the scale
    /// benchmark's million rows merges one group of about 2^19 rows while it indexes and the
    /// rest at the end. [`IndexBatch::merge_segments`], or the next batch, restores the
    /// default policy.
    ///
    /// # Errors
    /// [`IndexError::Poisoned`] when the writer is gone after a failure.
    pub fn bulk_load(&mut self) -> Result<(), IndexError> {
        self.writer()?.set_merge_policy(Box::new(FillMergePolicy));
        Ok(())
    }

    /// Merges the index's segments into as few as [`MAX_SEGMENT_ROWS`] allows, as Lucene's
    /// force-merge with a cap on the merged segment (`TieredMergePolicy`'s maximum segment
    /// size), and waits for it; commits pending rows first. A bulk load ends with this: an
    /// index of at most [`MAX_SEGMENT_ROWS`] rows becomes one segment, which answers a search
    /// with one term lookup per field and word, one scorer setup and one facet table; a
    /// larger one becomes segments of at most that many rows each (two at a million rows).
    ///
    /// Memory: the writer reads segments through `pread`, not memory maps (see
    /// `writerdir.rs`), so a merge holds little more than one input segment's document
    /// store at a time (tantivy copies a store in one read): about 150 MB to merge the scale
    /// benchmark's million rows from five segments into one, against 790 MB when the inputs
    /// were mapped.
    ///
    /// Segments are merged smallest first, in groups whose rows add up to at most the cap
    /// (and of at most [`MAX_MERGE_INPUTS`] segments), one group at a time; the files of each
    /// group are released before the next starts. Costs a rewrite of the merged segments
    /// (about as long as indexing them); a small update should leave merging to the writer's
    /// merge policy. Restores the writer's default merge policy (ends a
    /// [`IndexBatch::bulk_load`]). Returns the number of segments merged (0: nothing done).
    ///
    /// # Errors
    /// [`IndexError::Tantivy`] when a merge fails (the index keeps its segments).
    pub fn merge_segments(&mut self) -> Result<usize, IndexError> {
        self.merge_segments_up_to(MAX_SEGMENT_ROWS, 1, u32::MAX)
    }

    /// [`IndexBatch::merge_segments`] running up to `groups` merges at once (at least 1,
    /// at most [`MAX_PARALLEL_MERGES`]): faster on a machine of several cores when there are
    /// several groups, for up to `groups` times the memory one merge holds. `undex reindex`,
    /// which holds no extraction in memory, merges on every core.
    ///
    /// Where everything left to merge is one group of [`SPLIT_MERGE_ROWS`] rows or more, it
    /// is merged as `groups` smaller groups at once instead, for `groups - 1` more segments:
    /// a merge runs on one core, and the last one of a bulk load of a million rows (about
    /// 480,000 rows, 5–6 s) otherwise left the other cores idle for an eighth of the load.
    ///
    /// # Errors
    /// As [`IndexBatch::merge_segments`].
    pub fn merge_segments_in_parallel(&mut self, groups: usize) -> Result<usize, IndexError> {
        self.merge_segments_up_to(MAX_SEGMENT_ROWS, groups, SPLIT_MERGE_ROWS)
    }

    /// [`IndexBatch::merge_segments`] with a cap of `cap` rows, `parallel` merges at once, a
    /// lone group of `split_from` rows or more split in `parallel` (see [`plan_merges`]).
    pub(crate) fn merge_segments_up_to(
        &mut self,
        cap: u32,
        parallel: usize,
        split_from: u32,
    ) -> Result<usize, IndexError> {
        if self.pending > 0 {
            self.commit()?;
        }
        // The merges the writer's policy started run to their end first (they hold some of
        // the segments to plan); the writer that follows merges only what is planned here.
        if let Some(writer) = self.guard.take() {
            writer.wait_merging_threads()?;
        }
        let writer = self.index.new_writer(1)?;
        writer.set_merge_policy(Box::new(NoMergePolicy));
        *self.guard = Some(writer);
        self.index.reader.reload()?;
        // Ids and sizes only: a segment's files are kept while any of its `SegmentMeta`s
        // lives (tantivy tracks them), so holding the metas would keep every merged segment.
        let segments: Vec<(SegmentId, u32)> = self
            .index
            .index
            .searchable_segment_metas()?
            .iter()
            .map(|m| (m.id(), m.num_docs()))
            .collect();
        let groups = plan_merges(segments, cap, parallel, split_from);
        let mut merged = 0;
        for round in groups.chunks(parallel.clamp(1, MAX_PARALLEL_MERGES)) {
            let writer = self.writer()?;
            // Merges run on the writer's merge threads; all of a round are started, then
            // waited for.
            let running: Vec<_> = round.iter().map(|ids| writer.merge(ids)).collect();
            for merge in running {
                merge.wait()?;
            }
            // The searchers of the merged segments go first, so their files can be deleted.
            self.index.reader.reload()?;
            match self.writer()?.garbage_collect_files().wait() {
                Ok(gc) => tracing::debug!(
                    deleted = gc.deleted_files.len(),
                    failed = gc.failed_to_delete_files.len(),
                    "index files collected"
                ),
                Err(e) => tracing::warn!("index files not collected: {e}"),
            }
            let n: usize = round.iter().map(Vec::len).sum();
            merged += n;
            tracing::debug!(segments = n, merges = round.len(), "index segments merged");
        }
        self.writer()?
            .set_merge_policy(Box::new(CappedMergePolicy::default()));
        Ok(merged)
    }
}

/// Most merges [`IndexBatch::merge_segments_in_parallel`] runs at once: 4, the number of
/// merge threads of a tantivy writer.
pub const MAX_PARALLEL_MERGES: usize = 4;

/// Rows from which [`IndexBatch::merge_segments_in_parallel`] splits a lone merge over its
/// cores: a quarter of [`MAX_SEGMENT_ROWS`] (131,072 rows, a merge of a second or more on
/// the scale benchmark's machine). A smaller index still ends in one segment.
pub const SPLIT_MERGE_ROWS: u32 = MAX_SEGMENT_ROWS / 4;

/// The merges of `segments` (id, rows): the groups of [`merge_groups`] under `cap`; when
/// that is one group of `split_from` rows or more and `parallel` merges may run at once,
/// that group's segments shared out in `parallel` parts of about equal rows instead, so that
/// the merges share the cores.
fn plan_merges(
    segments: Vec<(SegmentId, u32)>,
    cap: u32,
    parallel: usize,
    split_from: u32,
) -> Vec<Vec<SegmentId>> {
    let rows_of: std::collections::HashMap<SegmentId, u32> = segments.iter().copied().collect();
    let groups = merge_groups(segments, cap);
    let parallel = parallel.clamp(1, MAX_PARALLEL_MERGES);
    let [group] = groups.as_slice() else {
        return groups;
    };
    let rows: u64 = group
        .iter()
        .map(|id| u64::from(rows_of.get(id).copied().unwrap_or(0)))
        .sum();
    if parallel < 2 || rows < u64::from(split_from) {
        return groups;
    }
    // Largest segment first, each to the part with the fewest rows so far: parts of about
    // equal rows, every segment in one.
    let mut members: Vec<(SegmentId, u32)> = group
        .iter()
        .map(|id| (*id, rows_of.get(id).copied().unwrap_or(0)))
        .collect();
    members.sort_by_key(|&(id, rows)| (std::cmp::Reverse(rows), id.uuid_string()));
    let mut parts: Vec<(u64, Vec<SegmentId>)> = vec![(0, Vec::new()); parallel];
    for (id, rows) in members {
        if let Some(part) = parts.iter_mut().min_by_key(|(rows, _)| *rows) {
            part.0 += u64::from(rows);
            part.1.push(id);
        }
    }
    let split: Vec<Vec<SegmentId>> = parts
        .into_iter()
        .map(|(_, part)| part)
        .filter(|part| part.len() >= 2)
        .collect();
    if split.len() >= 2 { split } else { groups }
}

/// Most indexing threads of a writer ([`UndexIndex::begin_with_threads`]): 4.
pub const MAX_INDEXING_THREADS: usize = 4;

/// Most rows in a segment that [`IndexBatch::merge_segments`] and the writer's merge policies
/// build: 2^19 = 524,288 paragraphs (about 390 MB of index on the scale benchmark's text, of
/// which 245 MB of document store). Each search pays some work once per segment, so fewer
/// segments search faster (at 1M rows, a median search on one thread takes 0.78-0.94x the
/// time on two segments that it takes on five of 2^18 rows, about as long as on one); the
/// cap keeps each merge's rewrite, and the one document store a merge holds in memory (see
/// [`IndexBatch::merge_segments`]), bounded as the index grows, and gives an index of a
/// million rows two segments, which the search pool (`parallel.rs`) can search on two cores.
pub const MAX_SEGMENT_ROWS: u32 = 1 << 19;

/// The writer's merge policy: tantivy's [`LogMergePolicy`] (segments of similar size merged
/// eight or more at a time), with each merge it proposes split into merges of at most
/// [`MAX_SEGMENT_ROWS`] rows, so that no background merge rewrites more than that (see
/// [`IndexBatch::merge_segments`]).
#[derive(Debug, Default)]
pub(crate) struct CappedMergePolicy {
    inner: LogMergePolicy,
}

impl MergePolicy for CappedMergePolicy {
    fn compute_merge_candidates(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        let rows: std::collections::HashMap<SegmentId, u32> =
            segments.iter().map(|m| (m.id(), m.num_docs())).collect();
        self.inner
            .compute_merge_candidates(segments)
            .into_iter()
            .flat_map(|MergeCandidate(ids)| {
                let sized = ids
                    .into_iter()
                    .map(|id| (id, rows.get(&id).copied().unwrap_or(0)))
                    .collect();
                merge_groups(sized, MAX_SEGMENT_ROWS)
            })
            .map(MergeCandidate)
            .collect()
    }
}

/// The groups of segments to merge, given each segment's id and rows: segments sorted by
/// rows (then id, so the plan is deterministic), taken smallest first into groups whose rows
/// add up to at most `cap` and of at most [`MAX_MERGE_INPUTS`] segments; only groups of two
/// or more segments are returned. A segment of more than `cap` rows is left alone.
fn merge_groups(segments: Vec<(SegmentId, u32)>, cap: u32) -> Vec<Vec<SegmentId>> {
    pack(segments, cap)
        .into_iter()
        .map(|(group, _)| group)
        .filter(|g| g.len() >= 2)
        .collect()
}

/// The packing of [`merge_groups`], each group with whether it is full: it was closed because
/// the next segment would have passed `cap` rows or it reached [`MAX_MERGE_INPUTS`]
/// segments. Only the last group can be not full.
fn pack(mut segments: Vec<(SegmentId, u32)>, cap: u32) -> Vec<(Vec<SegmentId>, bool)> {
    segments.sort_by_key(|&(id, rows)| (rows, id.uuid_string()));
    let mut groups = Vec::new();
    let mut group: Vec<SegmentId> = Vec::new();
    let mut rows_in_group: u64 = 0;
    for (id, rows) in segments {
        if !group.is_empty()
            && (rows_in_group + u64::from(rows) > u64::from(cap) || group.len() >= MAX_MERGE_INPUTS)
        {
            groups.push((std::mem::take(&mut group), true));
            rows_in_group = 0;
        }
        group.push(id);
        rows_in_group += u64::from(rows);
    }
    if !group.is_empty() {
        groups.push((group, false));
    }
    groups
}

/// Most segments one merge takes: 64. Bounds the files a merge holds open (six a segment)
/// and the cursors it advances side by side for every term.
pub const MAX_MERGE_INPUTS: usize = 64;

/// The writer's merge policy during a bulk load ([`IndexBatch::bulk_load`]): of the segments
/// under half of [`MAX_SEGMENT_ROWS`] rows, the groups of [`pack`] that are full, that is
/// segments taken smallest first until the next would pass the cap (so the group holds more
/// than half of it), or [`MAX_MERGE_INPUTS`] segments. The group that is still filling waits
/// for more segments, or for the load's final [`IndexBatch::merge_segments`].
#[derive(Debug, Default)]
pub(crate) struct FillMergePolicy;

impl MergePolicy for FillMergePolicy {
    fn compute_merge_candidates(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        // A segment of half the cap or more is as full as this policy makes them: packing
        // it would close the group of smaller ones before them and merge those again and
        // again as they come.
        let sized = segments
            .iter()
            .map(|m| (m.id(), m.num_docs()))
            .filter(|&(_, rows)| rows < MAX_SEGMENT_ROWS / 2)
            .collect();
        pack(sized, MAX_SEGMENT_ROWS)
            .into_iter()
            .filter(|(group, full)| *full && group.len() >= 2)
            .map(|(group, _)| MergeCandidate(group))
            .collect()
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
    /// A writer of this index: `threads` indexing threads of [`WRITER_BUDGET`] bytes each,
    /// the [`CappedMergePolicy`]; takes tantivy's writer lock.
    fn new_writer(&self, threads: usize) -> Result<IndexWriter, IndexError> {
        let threads = threads.clamp(1, MAX_INDEXING_THREADS);
        let writer = self
            .writer_index()?
            .writer_with_num_threads(threads, WRITER_BUDGET * threads)
            .map_err(|e| match e {
                tantivy::TantivyError::LockFailure(..) => IndexError::Locked {
                    path: self.dir.clone().unwrap_or_default(),
                },
                e => IndexError::Tantivy(e),
            })?;
        writer.set_merge_policy(Box::new(CappedMergePolicy::default()));
        Ok(writer)
    }

    /// The tantivy index a writer writes through: for an index on disk, the folder opened
    /// anew on a [`WriterDirectory`] (reads through `pread`, so that a merge does not keep
    /// its input segments resident; see [`crate::writerdir`]), with this index's tokenizers;
    /// in memory, the index itself.
    ///
    /// # Errors
    /// [`IndexError::Open`] when the folder cannot be opened again.
    fn writer_index(&self) -> Result<tantivy::Index, IndexError> {
        let Some(dir) = &self.dir else {
            return Ok(self.index.clone());
        };
        let open_err = |e: Box<dyn std::error::Error + Send + Sync>| IndexError::Open {
            path: dir.clone(),
            source: e,
        };
        let directory = WriterDirectory::open(dir).map_err(|e| open_err(e.into()))?;
        let mut index = tantivy::Index::open(directory).map_err(|e| open_err(e.into()))?;
        if self.stems.is_some() {
            index.register_plugin(std::sync::Arc::new(crate::stems::StemsPlugin));
        }
        index.set_tokenizers(self.index.tokenizers().clone());
        index.set_fast_field_tokenizers(self.index.fast_field_tokenizer().clone());
        Ok(index)
    }

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
        self.begin_with_threads(1)
    }

    /// [`UndexIndex::begin`] with `threads` indexing threads (at most
    /// `MAX_INDEXING_THREADS`) when this call starts the writer: for a caller that does
    /// little besides indexing (`reindex` reads JSON lines; an ingest's other cores extract
    /// and tag, so it indexes on one). Each thread builds its own segments, with its own
    /// `WRITER_BUDGET`. A writer already started keeps its threads.
    ///
    /// # Errors
    /// As [`UndexIndex::begin`].
    pub fn begin_with_threads(&self, threads: usize) -> Result<IndexBatch<'_>, IndexError> {
        let lock = self.writer.as_ref().ok_or(IndexError::ReadOnly)?;
        let mut guard = lock.lock().map_err(|_| IndexError::Poisoned)?;
        match guard.as_mut() {
            None => *guard = Some(self.new_writer(threads)?),
            // A bulk load ([`IndexBatch::bulk_load`]) lasts one batch at most.
            Some(writer) => writer.set_merge_policy(Box::new(CappedMergePolicy::default())),
        }
        Ok(IndexBatch {
            index: self,
            guard,
            pending: 0,
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Adds `rows` to `batch` as `documents` documents of about as many rows each, one
    /// commit (one segment) per document.
    pub(crate) fn add_in_commits(batch: &mut IndexBatch, rows: &[ParagraphRow], documents: usize) {
        for (k, chunk) in rows.chunks(rows.len().div_ceil(documents)).enumerate() {
            let mut doc = chunk.to_vec();
            for r in &mut doc {
                r.doc_id = format!("D{k}");
                r.source_file = format!("d{k}.txt");
                r.sha256 = format!("{k:064}");
            }
            batch.replace(&doc).unwrap();
            batch.commit().unwrap();
        }
    }

    /// Merges of the real 2026 report's rows, indexed in six commits (six segments): with a
    /// cap of the whole, one segment; with a cap of about a third, segments of at most that
    /// many rows; and every row still found once. The same with three merges at once.
    #[test]
    fn merges_stop_at_the_cap() {
        let rows = undex_testkit::tagged_seed_rows("sg-r2p-report-2026.txt");
        let total = u32::try_from(rows.len()).unwrap();
        assert!(total > 60, "{total} rows");
        let cases = [(total, 1), (total / 3 + 1, 4)];
        for ((cap, most), parallel) in cases.iter().flat_map(|c| [(*c, 1), (*c, 3)]) {
            let index = UndexIndex::in_memory().unwrap();
            let mut batch = index.begin().unwrap();
            add_in_commits(&mut batch, &rows, 6);
            let before = index.index.searchable_segment_metas().unwrap().len();
            assert_eq!(before, 6);
            let merged = batch.merge_segments_up_to(cap, parallel, u32::MAX).unwrap();
            drop(batch);
            let after = index.index.searchable_segment_metas().unwrap();
            assert!(merged >= 2, "cap {cap}: {merged} merged");
            assert!(after.len() <= most, "cap {cap}: {} segments", after.len());
            assert!(after.iter().all(|m| m.num_docs() <= cap), "cap {cap}");
            let docs: u32 = after.iter().map(SegmentMeta::num_docs).sum();
            assert_eq!(docs, total, "cap {cap}: every row once");
            // The merged segments' files are gone: only the live segments' remain.
            let live: BTreeSet<String> = after.iter().map(|m| m.id().uuid_string()).collect();
            drop(after);
            let on_disk: BTreeSet<String> = index
                .index
                .directory()
                .list_managed_files()
                .iter()
                .filter_map(|p| p.file_stem()?.to_str().map(str::to_string))
                .filter(|stem| stem != "meta")
                .collect();
            assert_eq!(on_disk, live, "cap {cap}");
        }
    }

    /// The real 2026 report in six commits (six segments), merged with two merges at once
    /// and a split threshold under its size: two segments of about half the rows each
    /// instead of one, every row still found once and by a search; with the threshold
    /// above its size, one segment.
    #[test]
    fn a_split_merge_of_a_real_report_keeps_every_row() {
        let rows = undex_testkit::tagged_seed_rows("sg-r2p-report-2026.txt");
        let total = u32::try_from(rows.len()).unwrap();
        // Rows holding "prevention", as a search of `index` counts them.
        let prevention = |index: &UndexIndex| {
            index.reader.reload().unwrap();
            let req = crate::SearchRequest {
                q: "prevention".into(),
                limit: 1,
                ..crate::SearchRequest::default()
            };
            index.search(&req).unwrap().total
        };
        let one = UndexIndex::in_memory().unwrap();
        let mut batch = one.begin().unwrap();
        batch.replace(&rows).unwrap();
        batch.commit().unwrap();
        drop(batch);
        let want = prevention(&one);
        assert!(want > 10, "{want}");
        for (split_from, segments) in [(1, 2), (total + 1, 1)] {
            let index = UndexIndex::in_memory().unwrap();
            let mut batch = index.begin().unwrap();
            add_in_commits(&mut batch, &rows, 6);
            batch
                .merge_segments_up_to(MAX_SEGMENT_ROWS, 2, split_from)
                .unwrap();
            drop(batch);
            let after = index.index.searchable_segment_metas().unwrap();
            assert_eq!(after.len(), segments, "split from {split_from}");
            let docs: Vec<u32> = after.iter().map(SegmentMeta::num_docs).collect();
            assert_eq!(docs.iter().sum::<u32>(), total, "every row once");
            assert!(
                segments == 1 || docs.iter().all(|d| *d <= total * 2 / 3),
                "parts of about half the rows: {docs:?}"
            );
            assert_eq!(prevention(&index), want, "split from {split_from}");
        }
    }

    /// On disk, where the writer reads through its own directory (`pread`) and searches
    /// through memory maps: the real 2026 report bulk-loaded in six commits merges into one
    /// segment; every row is still found once, by a search of this index and by a fresh
    /// read-only one; the merged-away segments' files are deleted from the folder; and the
    /// writer goes on writing afterwards (a second ingest of the same documents replaces
    /// them).
    #[test]
    fn a_merge_on_disk_keeps_every_row_and_deletes_the_old_files() {
        let rows = undex_testkit::tagged_seed_rows("sg-r2p-report-2026.txt");
        let dir = tempfile::tempdir().unwrap();
        let index = UndexIndex::open_or_create(dir.path()).unwrap();
        let mut batch = index.begin().unwrap();
        batch.bulk_load().unwrap();
        add_in_commits(&mut batch, &rows, 6);
        assert_eq!(index.index.searchable_segment_metas().unwrap().len(), 6);
        let merged = batch.merge_segments().unwrap();
        assert_eq!(merged, 6);
        drop(batch);
        let live = index.index.searchable_segment_metas().unwrap();
        assert_eq!(live.len(), 1);
        let live_id = live[0].id().uuid_string();
        drop(live);
        let expected: Vec<String> = {
            let mut ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
            ids.sort();
            ids
        };
        let ids_of = |index: &UndexIndex| {
            let mut ids: Vec<String> = index
                .all_rows()
                .unwrap()
                .into_iter()
                .map(|r| r.id)
                .collect();
            ids.sort();
            ids
        };
        assert_eq!(ids_of(&index), expected);
        assert_eq!(
            ids_of(&UndexIndex::open_read_only(dir.path()).unwrap()),
            expected
        );
        // Segment files in the folder: the live segment's only.
        let stems: BTreeSet<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| {
                ["idx", "pos", "term", "store", "fast", "fieldnorm"]
                    .iter()
                    .any(|ext| name.ends_with(&format!(".{ext}")))
            })
            .filter_map(|name| Some(name.split_once('.')?.0.to_string()))
            .collect();
        assert_eq!(stems, BTreeSet::from([live_id]));
        // Ingesting the six documents again replaces them: no row lost, none doubled.
        let mut batch = index.begin().unwrap();
        add_in_commits(&mut batch, &rows, 6);
        drop(batch);
        assert_eq!(ids_of(&index), expected);
    }

    /// The writer's policy never proposes a merge over the cap: ten segments of 15/64 of the
    /// cap (one level, which tantivy's policy merges whole: more than twice the cap) become
    /// merges of four, four and two; segments already at the cap are left alone.
    #[test]
    fn the_merge_policy_splits_merges_at_the_cap() {
        let index = UndexIndex::in_memory().unwrap();
        let each = MAX_SEGMENT_ROWS / 64 * 15;
        let metas: Vec<SegmentMeta> = (0..10)
            .map(|_| {
                index
                    .index
                    .new_segment_meta(SegmentId::generate_random(), each)
            })
            .collect();
        let rows = |ids: &[SegmentId]| ids.len() as u32 * each;
        let proposed = LogMergePolicy::default().compute_merge_candidates(&metas);
        assert_eq!(proposed.len(), 1, "tantivy's policy: one merge of all ten");
        let capped = CappedMergePolicy::default().compute_merge_candidates(&metas);
        let mut sizes: Vec<u32> = capped.iter().map(|c| rows(&c.0)).collect();
        sizes.sort_unstable();
        assert_eq!(sizes, [2 * each, 4 * each, 4 * each]);
        let full: Vec<SegmentMeta> = (0..8)
            .map(|_| {
                index
                    .index
                    .new_segment_meta(SegmentId::generate_random(), MAX_SEGMENT_ROWS)
            })
            .collect();
        assert!(
            CappedMergePolicy::default()
                .compute_merge_candidates(&full)
                .is_empty()
        );
    }

    /// During a bulk load the writer merges only groups that fill a segment: thirty segments
    /// of 25,000 rows give one merge of the twenty smallest (500,000 rows; a twenty-first
    /// would pass the cap of 524,288) and leave ten for later; a segment of half the cap or
    /// more is never taken, so it does not close the group before it; and tiny segments are
    /// merged [`MAX_MERGE_INPUTS`] at a time.
    #[test]
    fn the_bulk_policy_merges_only_full_groups() {
        let index = UndexIndex::in_memory().unwrap();
        let metas = |sizes: &[u32]| -> Vec<SegmentMeta> {
            sizes
                .iter()
                .map(|&n| {
                    index
                        .index
                        .new_segment_meta(SegmentId::generate_random(), n)
                })
                .collect()
        };
        let rows_of = |metas: &[SegmentMeta], ids: &[SegmentId]| -> u32 {
            ids.iter()
                .map(|id| metas.iter().find(|m| m.id() == *id).unwrap().num_docs())
                .sum()
        };
        assert_eq!(MAX_SEGMENT_ROWS, 524_288);
        let thirty = metas(&[25_000; 30]);
        let proposed = FillMergePolicy.compute_merge_candidates(&thirty);
        assert_eq!(proposed.len(), 1);
        assert_eq!(proposed[0].0.len(), 20);
        assert_eq!(rows_of(&thirty, &proposed[0].0), 500_000);
        // A full segment and ten small ones: the ten wait (250,000 rows), the full one is
        // left alone.
        let mut after = metas(&[25_000; 10]);
        after.extend(metas(&[500_000]));
        assert!(FillMergePolicy.compute_merge_candidates(&after).is_empty());
        let tiny = metas(&[10; 100]);
        let proposed = FillMergePolicy.compute_merge_candidates(&tiny);
        assert_eq!(proposed.len(), 1);
        assert_eq!(proposed[0].0.len(), MAX_MERGE_INPUTS);
    }

    /// A bulk load lasts one batch: the next batch merges by the default policy again, so an
    /// ingest that failed half-way or ended without its bulk merge leaves no bulk policy on
    /// the writer.
    #[test]
    fn a_bulk_load_ends_with_its_batch() {
        let index = UndexIndex::in_memory().unwrap();
        let policy =
            |batch: &mut IndexBatch| format!("{:?}", batch.writer().unwrap().get_merge_policy());
        let mut batch = index.begin().unwrap();
        assert!(policy(&mut batch).starts_with("CappedMergePolicy"));
        batch.bulk_load().unwrap();
        assert!(policy(&mut batch).starts_with("FillMergePolicy"));
        drop(batch);
        let mut batch = index.begin().unwrap();
        assert!(policy(&mut batch).starts_with("CappedMergePolicy"));
        batch.bulk_load().unwrap();
        batch.merge_segments().unwrap();
        assert!(policy(&mut batch).starts_with("CappedMergePolicy"));
    }

    /// The plan takes segments smallest first, never puts more than the cap in a group,
    /// leaves a segment over the cap alone and proposes no group of one.
    #[test]
    fn merge_groups_fill_up_to_the_cap() {
        let ids: Vec<SegmentId> = (0..6).map(|_| SegmentId::generate_random()).collect();
        let sizes = [50, 10, 30, 500, 20, 45];
        let segments: Vec<_> = ids.iter().copied().zip(sizes).collect();
        let groups = merge_groups(segments, 100);
        let rows = |g: &Vec<SegmentId>| -> u32 {
            g.iter()
                .map(|id| sizes[ids.iter().position(|x| x == id).unwrap()])
                .sum()
        };
        // 10 + 20 + 30 = 60 (45 would pass 100), then 45 + 50 = 95; 500 alone.
        assert_eq!(groups.len(), 2);
        assert_eq!(rows(&groups[0]), 60);
        assert_eq!(rows(&groups[1]), 95);
        assert!(groups.iter().all(|g| !g.contains(&ids[3])));
    }

    /// The last merge of a bulk load of a million rows: a full segment of 521,223 rows and 30
    /// segments of 16,000 left (480,000 rows, one group under the cap). On two cores, split in
    /// two merges of half of them each, every small segment in one; on one core, or under
    /// `SPLIT_MERGE_ROWS`, one merge, as `merge_segments` does.
    #[test]
    fn a_lone_large_merge_is_split_over_the_cores() {
        let full = SegmentId::generate_random();
        let small: Vec<SegmentId> = (0..30).map(|_| SegmentId::generate_random()).collect();
        let segments: Vec<(SegmentId, u32)> = std::iter::once((full, 521_223))
            .chain(small.iter().map(|id| (*id, 16_000)))
            .collect();
        let split = plan_merges(segments.clone(), MAX_SEGMENT_ROWS, 2, SPLIT_MERGE_ROWS);
        assert_eq!(split.len(), 2);
        assert!(split.iter().all(|g| g.len() == 15), "{split:?}");
        let mut merged: Vec<SegmentId> = split.concat();
        merged.sort_by_key(SegmentId::uuid_string);
        let mut want = small.clone();
        want.sort_by_key(SegmentId::uuid_string);
        assert_eq!(
            merged, want,
            "every small segment once, the full one left alone"
        );
        let one = plan_merges(segments.clone(), MAX_SEGMENT_ROWS, 1, SPLIT_MERGE_ROWS);
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].len(), 30);
        let small_index: Vec<(SegmentId, u32)> = small.iter().map(|id| (*id, 1_000)).collect();
        assert_eq!(
            plan_merges(small_index, MAX_SEGMENT_ROWS, 2, SPLIT_MERGE_ROWS).len(),
            1,
            "30,000 rows end in one segment"
        );
    }
}

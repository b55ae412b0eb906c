//! Compression of stored rows: one zstd frame per row, with a dictionary trained on the
//! index's own rows.
//!
//! A search reads its page of hits (ten rows) from the document store. Compressed in blocks
//! of many rows (tantivy's zstd document store), every hit decompressed a whole block of
//! 32 KiB, with a zstd context created per block: a third of a search's CPU on the scale
//! benchmark. One frame per row, compressed with a dictionary that holds what rows have in
//! common (member names, recurring wording, tag rules), reads a row in about 3 µs and stores
//! fewer bytes: on 19,862 generated scale-benchmark rows, a 256 KiB dictionary trained on the
//! first 1,000 compresses the others 5.1 times at level 3, where 32 KiB blocks at level 3 did
//! 4.6 times. The document store itself is then left uncompressed
//! ([`crate::schema::index_settings`]).
//!
//! **The dictionary.** An index has at most one, trained from the stored JSON of its first
//! rows once they reach [`TRAIN_ROWS`] rows and [`TRAIN_MIN_BYTES`] (or [`TRAIN_MAX_BYTES`],
//! each row sampled up to [`SAMPLE_ROW_BYTES`]); rows written before it
//! are compressed without one (a zstd frame names its dictionary by id, or none). It is saved
//! as [`DICT_FILE`] in the index folder (temporary file, flushed, renamed) before any row
//! compressed with it can be committed, and never replaced. An index in memory keeps it in
//! memory. Readers load it on the first frame that names it; a frame naming another
//! dictionary than the folder's is a damaged index ([`IndexError::StoredRow`]).

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use zstd::zstd_safe::{self, CCtx, CDict, DCtx, DDict};

use crate::IndexError;

/// File of the index's row dictionary, in the index folder. Not one of tantivy's files:
/// tantivy's garbage collection does not know it and leaves it alone.
pub const DICT_FILE: &str = "rows.zdict";
/// zstd level of stored rows (zstd's default level; rows are written once and read often,
/// and reading costs the same at any level).
const LEVEL: i32 = 3;
/// Rows sampled before the dictionary is trained.
const TRAIN_ROWS: usize = 1_000;
/// Bytes of stored JSON the samples must reach before training (a dictionary trained on
/// less learns little).
const TRAIN_MIN_BYTES: usize = 1 << 20;
/// Most bytes of samples kept: the dictionary is trained once they reach this, however few
/// rows they are (bounds the writer's memory when rows are long).
const TRAIN_MAX_BYTES: usize = 16 << 20;
/// Most bytes of one row kept as a sample (its start).
const SAMPLE_ROW_BYTES: usize = 64 << 10;
/// Largest dictionary, in bytes (zstd's training makes it at most this).
const DICT_BYTES: usize = 256 * 1024;
/// Largest stored row read back, in bytes of JSON: a frame declaring more is refused as
/// damaged, not allocated.
const MAX_ROW_BYTES: u64 = 64 << 20;

/// Compresses rows for writing and decompresses them for reading (see the module docs).
/// Shared by every search thread and the writer.
pub(crate) struct RowCodec {
    /// The index folder; `None` for an index in memory.
    dir: Option<PathBuf>,
    /// Dictionaries known for reading, by id: the index's, once a frame or the writer has
    /// needed it (a list: a folder replaced under an open index brings another).
    reading: RwLock<Vec<(u32, Arc<DDict<'static>>)>>,
    /// The writer's state; only the holder of the index's writer lock compresses.
    writing: Mutex<Writing>,
}

/// What the writer compresses with.
enum Writing {
    /// The folder has not been looked at yet (it is, on the first row written, under the
    /// writer lock).
    Unknown,
    /// No dictionary yet: rows are compressed without one and kept as samples.
    Sampling {
        cctx: CCtx<'static>,
        /// The samples, end to end.
        bytes: Vec<u8>,
        /// The length of each sample in `bytes`.
        sizes: Vec<usize>,
    },
    /// Compressing with the index's dictionary.
    Trained {
        cctx: CCtx<'static>,
        cdict: CDict<'static>,
    },
    /// Training failed (too few distinct bytes): rows stay without a dictionary until the
    /// index is opened again.
    Plain { cctx: CCtx<'static> },
}

thread_local! {
    /// One decompression context per thread, reused by every row it reads (creating one
    /// costs more than reading a row).
    static DCTX: RefCell<DCtx<'static>> = RefCell::new(DCtx::create());
}

impl std::fmt::Debug for RowCodec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RowCodec")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

fn zstd_error(what: &str, code: usize) -> IndexError {
    IndexError::StoredRow {
        message: format!("{what}: {}", zstd_safe::get_error_name(code)),
    }
}

impl RowCodec {
    /// The codec of the index in `dir` (`None`: in memory). The folder's dictionary, if it
    /// has one, is read now: a server whose folder is later replaced by another index (see
    /// the README's serving replicas) still reads the rows of the index it opened.
    pub(crate) fn new(dir: Option<&Path>) -> Self {
        let codec = Self {
            dir: dir.map(Path::to_path_buf),
            reading: RwLock::default(),
            writing: Mutex::new(Writing::Unknown),
        };
        // A damaged or unreadable file is read again, with its error, when a row needs it.
        let loaded = codec.saved_dictionary().and_then(|dict| match dict {
            Some(dict) => codec.remember(&dict).map(drop),
            None => Ok(()),
        });
        if let Err(e) = loaded {
            tracing::warn!("{e}");
        }
        codec
    }

    /// The stored bytes of one row's stored JSON: a zstd frame, with the index's dictionary
    /// once there is one. The first rows of an index are kept as samples, and the dictionary
    /// is trained and saved when they are enough.
    ///
    /// # Errors
    /// [`IndexError::StoredRow`] when the dictionary file cannot be read or saved, or zstd
    /// fails (out of memory).
    pub(crate) fn encode(&self, json: &[u8]) -> Result<Vec<u8>, IndexError> {
        let mut writing = self.writing.lock().unwrap_or_else(PoisonError::into_inner);
        if matches!(*writing, Writing::Unknown) {
            *writing = match self.saved_dictionary()? {
                Some(dict) => self.trained(&dict)?,
                None => Writing::Sampling {
                    cctx: CCtx::create(),
                    bytes: Vec::new(),
                    sizes: Vec::new(),
                },
            };
        }
        let mut out = Vec::with_capacity(zstd_safe::compress_bound(json.len()));
        match &mut *writing {
            Writing::Trained { cctx, cdict } => {
                cctx.compress_using_cdict(&mut out, json, cdict)
                    .map_err(|c| zstd_error("compressing a row", c))?;
            }
            Writing::Plain { cctx } => {
                cctx.compress(&mut out, json, LEVEL)
                    .map_err(|c| zstd_error("compressing a row", c))?;
            }
            Writing::Sampling { cctx, bytes, sizes } => {
                cctx.compress(&mut out, json, LEVEL)
                    .map_err(|c| zstd_error("compressing a row", c))?;
                let sample = &json[..json.len().min(SAMPLE_ROW_BYTES)];
                bytes.extend_from_slice(sample);
                sizes.push(sample.len());
                if (sizes.len() >= TRAIN_ROWS && bytes.len() >= TRAIN_MIN_BYTES)
                    || bytes.len() >= TRAIN_MAX_BYTES
                {
                    let (bytes, sizes) = (std::mem::take(bytes), std::mem::take(sizes));
                    *writing = self.train(&bytes, &sizes)?;
                }
            }
            Writing::Unknown => unreachable!("resolved above"),
        }
        Ok(out)
    }

    /// Trains the dictionary on the samples and saves it; [`Writing::Plain`] when zstd
    /// cannot train one from them.
    fn train(&self, bytes: &[u8], sizes: &[usize]) -> Result<Writing, IndexError> {
        let dict = match zstd::dict::from_continuous(bytes, sizes, DICT_BYTES) {
            Ok(dict) => dict,
            Err(e) => {
                tracing::warn!(
                    rows = sizes.len(),
                    "no dictionary for stored rows, they stay compressed one by one: {e}"
                );
                return Ok(Writing::Plain {
                    cctx: CCtx::create(),
                });
            }
        };
        if let Some(dir) = &self.dir {
            let path = dir.join(DICT_FILE);
            undex_core::fsutil::write_atomic(&path, &dict).map_err(|e| IndexError::StoredRow {
                message: format!("cannot save {}: {e}", path.display()),
            })?;
        }
        tracing::debug!(
            rows = sizes.len(),
            bytes = dict.len(),
            "trained the stored rows' dictionary"
        );
        self.trained(&dict)
    }

    /// The writer's state for `dict`, which readers of this codec then know too.
    ///
    /// # Errors
    /// [`IndexError::StoredRow`] when zstd cannot load `dict` (a damaged file).
    fn trained(&self, dict: &[u8]) -> Result<Writing, IndexError> {
        self.remember(dict)?;
        let cdict = CDict::try_create(dict, LEVEL).ok_or_else(|| self.damaged())?;
        Ok(Writing::Trained {
            cctx: CCtx::create(),
            cdict,
        })
    }

    /// The error of a dictionary zstd cannot load.
    fn damaged(&self) -> IndexError {
        IndexError::StoredRow {
            message: format!("the row dictionary {} is damaged", self.dict_path()),
        }
    }

    /// `dict` loaded for reading, once per id: every reader of this codec then knows it.
    ///
    /// # Errors
    /// [`IndexError::StoredRow`] when zstd cannot load `dict` (a damaged file).
    fn remember(&self, dict: &[u8]) -> Result<Arc<DDict<'static>>, IndexError> {
        let id = zstd_safe::get_dict_id_from_dict(dict)
            .ok_or_else(|| self.damaged())?
            .get();
        let mut reading = self.reading.write().unwrap_or_else(PoisonError::into_inner);
        if let Some((_, d)) = reading.iter().find(|(known, _)| *known == id) {
            return Ok(Arc::clone(d));
        }
        let d = Arc::new(DDict::try_create(dict).ok_or_else(|| self.damaged())?);
        reading.push((id, Arc::clone(&d)));
        Ok(d)
    }

    /// The dictionary file's path, for messages ("(memory)" for an index in memory).
    fn dict_path(&self) -> String {
        self.dir.as_deref().map_or_else(
            || "(memory)".into(),
            |d| d.join(DICT_FILE).display().to_string(),
        )
    }

    /// The dictionary saved in the index folder, if any.
    fn saved_dictionary(&self) -> Result<Option<Vec<u8>>, IndexError> {
        let Some(dir) = &self.dir else {
            return Ok(None);
        };
        let path = dir.join(DICT_FILE);
        match std::fs::read(&path) {
            Ok(dict) => Ok(Some(dict)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(IndexError::StoredRow {
                message: format!("cannot read {}: {e}", path.display()),
            }),
        }
    }

    /// The reading dictionary with id `id`, loaded from the folder on first need.
    fn dictionary(&self, id: u32) -> Result<Arc<DDict<'static>>, IndexError> {
        let reading = self.reading.read().unwrap_or_else(PoisonError::into_inner);
        if let Some((_, d)) = reading.iter().find(|(known, _)| *known == id) {
            return Ok(Arc::clone(d));
        }
        drop(reading);
        let dict = self
            .saved_dictionary()?
            .filter(|d| zstd_safe::get_dict_id_from_dict(d).map(|i| i.get()) == Some(id))
            .ok_or_else(|| IndexError::StoredRow {
                message: format!(
                    "a row is compressed with dictionary {id}, which {} does not hold",
                    self.dict_path()
                ),
            })?;
        self.remember(&dict)
    }

    /// The stored JSON of one row from its stored bytes (a frame [`RowCodec::encode`] wrote).
    ///
    /// # Errors
    /// [`IndexError::StoredRow`] when the bytes are not a zstd frame of at most
    /// [`MAX_ROW_BYTES`], name a dictionary the folder does not hold, or are not UTF-8.
    pub(crate) fn decode(&self, frame: &[u8]) -> Result<String, IndexError> {
        let damaged = |why: &str| IndexError::StoredRow {
            message: format!("stored row of {} bytes: {why}", frame.len()),
        };
        let size = match zstd_safe::get_frame_content_size(frame) {
            Ok(Some(size)) if size <= MAX_ROW_BYTES => size,
            Ok(Some(size)) => {
                return Err(damaged(&format!(
                    "declares {size} bytes, over the limit of {MAX_ROW_BYTES}"
                )));
            }
            Ok(None) | Err(_) => return Err(damaged("not a zstd frame with its size")),
        };
        let dict = zstd_safe::get_dict_id_from_frame(frame)
            .map(|id| self.dictionary(id.get()))
            .transpose()?;
        let mut out: Vec<u8> = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        DCTX.with(|dctx| {
            let mut dctx = dctx.borrow_mut();
            match &dict {
                Some(d) => dctx.decompress_using_ddict(&mut out, frame, d),
                None => dctx.decompress(&mut out, frame),
            }
        })
        .map_err(|c| zstd_error("decompressing a stored row", c))?;
        String::from_utf8(out).map_err(|_| damaged("not UTF-8"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The stored JSON of the rows of the two real R2P reports of the seeds.
    fn real_rows() -> Vec<String> {
        let mut rows = undex_testkit::tagged_seed_rows("sg-r2p-report-2026.txt");
        rows.extend(undex_testkit::tagged_seed_rows(
            "sg-r2p-report-2025-A-79-875.txt",
        ));
        rows.iter()
            .map(|r| crate::stored::encode(r).unwrap())
            .collect()
    }

    /// A folder whose codec has trained and saved its dictionary on variants of `rows`
    /// (`salt` changes them, so that two folders train different dictionaries), the codec,
    /// and a row compressed with the dictionary.
    fn trained_folder(rows: &[String], salt: usize) -> (tempfile::TempDir, RowCodec, Vec<u8>) {
        let dir = tempfile::tempdir().unwrap();
        let codec = RowCodec::new(Some(dir.path()));
        let mut i = 0;
        while !dir.path().join(DICT_FILE).exists() {
            let json = format!("{i} {}", rows[(i * salt) % rows.len()]);
            codec.encode(json.as_bytes()).unwrap();
            i += 1;
            assert!(i < 20 * TRAIN_ROWS, "no dictionary after {i} rows");
        }
        let frame = codec.encode(rows[0].as_bytes()).unwrap();
        assert!(zstd_safe::get_dict_id_from_frame(&frame).is_some());
        (dir, codec, frame)
    }

    /// Rows read back as written, before and after the dictionary; the dictionary is saved
    /// in the folder, a second codec of the folder (another process) reads every frame, and a
    /// writer opened later compresses with the saved dictionary instead of training another.
    #[test]
    fn rows_read_back_across_the_dictionary_and_a_reopened_folder() {
        let dir = tempfile::tempdir().unwrap();
        let rows = real_rows();
        assert!(rows.len() > 100, "{} rows", rows.len());
        let codec = RowCodec::new(Some(dir.path()));
        // Enough rows to train: the real rows again and again, each changed a little.
        let mut written = Vec::new();
        let mut i = 0;
        while written.len() < TRAIN_ROWS + 50 || !dir.path().join(DICT_FILE).exists() {
            let json = format!("{}{}", rows[i % rows.len()], " ".repeat(i / rows.len()));
            written.push((json.clone(), codec.encode(json.as_bytes()).unwrap()));
            i += 1;
            assert!(i < 20 * TRAIN_ROWS, "no dictionary after {i} rows");
        }
        let with_dict = |frame: &[u8]| zstd_safe::get_dict_id_from_frame(frame).is_some();
        assert!(!with_dict(&written[0].1));
        assert!(with_dict(&written.last().unwrap().1));
        let other = RowCodec::new(Some(dir.path()));
        for (json, frame) in &written {
            assert_eq!(&codec.decode(frame).unwrap(), json);
            assert_eq!(&other.decode(frame).unwrap(), json);
        }
        let dict = std::fs::read(dir.path().join(DICT_FILE)).unwrap();
        let later = RowCodec::new(Some(dir.path()));
        let frame = later.encode(rows[0].as_bytes()).unwrap();
        assert_eq!(
            zstd_safe::get_dict_id_from_frame(&frame),
            zstd_safe::get_dict_id_from_dict(&dict)
        );
        assert_eq!(std::fs::read(dir.path().join(DICT_FILE)).unwrap(), dict);
    }

    /// A codec opened on a folder keeps reading the rows of its dictionary after the folder's
    /// dictionary file is replaced (another index switched in under a running server).
    #[test]
    fn a_codec_keeps_the_dictionary_of_the_folder_it_opened() {
        let rows = real_rows();
        let (dir, _, frame) = trained_folder(&rows, 1);
        let reader = RowCodec::new(Some(dir.path()));
        // Another index's dictionary in its place.
        let (other, _, _) = trained_folder(&rows, 7);
        let replaced = std::fs::read(other.path().join(DICT_FILE)).unwrap();
        assert_ne!(
            zstd_safe::get_dict_id_from_dict(&replaced),
            zstd_safe::get_dict_id_from_frame(&frame)
        );
        std::fs::write(dir.path().join(DICT_FILE), replaced).unwrap();
        assert_eq!(reader.decode(&frame).unwrap(), rows[0]);
    }

    /// A damaged dictionary file is an error for the writer and the reader, never a panic.
    #[test]
    fn a_damaged_dictionary_is_an_error() {
        let rows = real_rows();
        let (dir, _, frame) = trained_folder(&rows, 1);
        let path = dir.path().join(DICT_FILE);
        let dict = std::fs::read(&path).unwrap();
        // The header and the start of the entropy tables only.
        std::fs::write(&path, &dict[..40]).unwrap();
        let later = RowCodec::new(Some(dir.path()));
        let err = later.encode(rows[0].as_bytes()).unwrap_err().to_string();
        assert!(err.contains("is damaged"), "{err}");
        assert!(later.decode(&frame).is_err());
    }

    /// Damaged bytes answer an error naming the problem, never a panic or a huge allocation.
    #[test]
    fn damaged_frames_are_errors() {
        let codec = RowCodec::new(None);
        let frame = codec.encode(br#"{"id":"A_79_875.en~76"}"#).unwrap();
        assert!(codec.decode(&frame[..frame.len() - 1]).is_err());
        assert!(codec.decode(b"{\"id\":1}").is_err());
        assert!(codec.decode(&[]).is_err());
        // A frame header declaring 2^40 bytes of content.
        let mut huge = vec![0x28, 0xb5, 0x2f, 0xfd, 0xe0];
        huge.extend_from_slice(&(1u64 << 40).to_le_bytes());
        let err = codec.decode(&huge).unwrap_err().to_string();
        assert!(err.contains("over the limit"), "{err}");
        // A frame naming a dictionary nobody holds.
        let (dir, _, frame) = trained_folder(&real_rows(), 1);
        std::fs::remove_file(dir.path().join(DICT_FILE)).unwrap();
        let reader = RowCodec::new(Some(dir.path()));
        let err = reader.decode(&frame).unwrap_err().to_string();
        assert!(err.contains("dictionary"), "{err}");
    }
}

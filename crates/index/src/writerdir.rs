//! The directory an on-disk index is written through: tantivy's `MmapDirectory` for
//! everything but reads, which go through `pread` (`FileExt::read_exact_at`) into owned
//! buffers.
//!
//! Why: a writer reads segments for two things, merging them and applying deletes. A merge
//! reads each of its input segments once, start to end. Through memory maps (tantivy's
//! default) every page it touches stays in the process's resident memory until the merge
//! ends, so merging a million rows (750 MB of index on the scale benchmark) made the process
//! 790 MB larger for the length of the merge. Read through `pread`, the same merge peaks at
//! about 150 MB: what stays is what tantivy holds at once, the largest being one input
//! segment's document store, which tantivy's merger copies in one read (`StoreWriter::stack`).
//! The data still passes through the kernel's page cache, which the kernel can reclaim at
//! will; mapped pages count in the process's memory, cached ones do not. (On Unix; elsewhere
//! the writer reads through memory maps, as searches do.)
//!
//! Searches are unaffected: an [`crate::UndexIndex`] searches through a separate tantivy
//! `Index` over the same folder, on `MmapDirectory`, as another process would (tantivy's meta
//! lock keeps the writer's garbage collection from deleting files while a reader opens them).
//! The writer's `Index` is opened each time a writer starts, so it reads the folder's list of
//! managed files as it is then.

use std::fs::File;
use std::io;
use std::ops::Range;
#[cfg(unix)]
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::HasLen;
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, OwnedBytes, WatchCallback,
    WatchHandle, WritePtr,
};

/// An index folder as a writer sees it; see the module documentation.
#[derive(Debug, Clone)]
pub(crate) struct WriterDirectory {
    inner: MmapDirectory,
    root: PathBuf,
}

impl WriterDirectory {
    /// Opens the folder `root`, which must exist.
    ///
    /// # Errors
    /// The `MmapDirectory` error when `root` does not exist or is not a folder.
    pub(crate) fn open(root: &Path) -> Result<Self, tantivy::directory::error::OpenDirectoryError> {
        Ok(WriterDirectory {
            inner: MmapDirectory::open(root)?,
            root: root.to_path_buf(),
        })
    }
}

/// A file read with `pread`: each read allocates its buffer and fills it from the file.
/// (tantivy-common's `WrapFile` does the same, but answers an empty range with an error and
/// cuts a range past the end short without saying so; tantivy asks for empty ranges.)
#[cfg(unix)]
#[derive(Debug)]
struct ReadAtFile {
    file: File,
    len: usize,
    path: PathBuf,
}

#[cfg(unix)]
impl HasLen for ReadAtFile {
    fn len(&self) -> usize {
        self.len
    }
}

#[cfg(unix)]
impl FileHandle for ReadAtFile {
    /// The bytes of `range`; an empty range reads nothing. A range past the end of the file
    /// is an `UnexpectedEof` error naming the file (tantivy's contract allows a panic there;
    /// an error fails only the operation).
    fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        if range.is_empty() {
            return Ok(OwnedBytes::empty());
        }
        if range.end > self.len {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!(
                    "{}: bytes {}..{} asked of a file of {} bytes",
                    self.path.display(),
                    range.start,
                    range.end,
                    self.len
                ),
            ));
        }
        let mut buffer = vec![0; range.len()];
        self.file.read_exact_at(&mut buffer, range.start as u64)?;
        Ok(OwnedBytes::new(buffer))
    }
}

impl Directory for WriterDirectory {
    /// Elsewhere than on Unix (no positioned reads shared between threads), the memory map.
    #[cfg(not(unix))]
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    #[cfg(unix)]
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        let full = self.root.join(path);
        let file = File::open(&full).map_err(|e| {
            if e.kind() == io::ErrorKind::NotFound {
                OpenReadError::FileDoesNotExist(path.to_path_buf())
            } else {
                OpenReadError::wrap_io_error(e, path.to_path_buf())
            }
        })?;
        let len = file
            .metadata()
            .map_err(|e| OpenReadError::wrap_io_error(e, path.to_path_buf()))?
            .len();
        let len = usize::try_from(len).map_err(|_| {
            OpenReadError::wrap_io_error(
                io::Error::new(io::ErrorKind::FileTooLarge, "file too large to address"),
                path.to_path_buf(),
            )
        })?;
        Ok(Arc::new(ReadAtFile {
            file,
            len,
            path: full,
        }))
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.inner.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.inner.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.inner.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.inner.acquire_lock(lock)
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads through the directory give the file's bytes, empty ranges included; a range
    /// past the end is an error naming the file, and a missing file is `FileDoesNotExist`.
    #[test]
    fn reads_give_the_files_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let data: Vec<u8> = (0..=255u8).cycle().take(10_000).collect();
        std::fs::write(dir.path().join("f.bin"), &data).unwrap();
        let d = WriterDirectory::open(dir.path()).unwrap();
        let handle = d.get_file_handle(Path::new("f.bin")).unwrap();
        assert_eq!(handle.len(), 10_000);
        assert_eq!(handle.read_bytes(0..10_000).unwrap().as_slice(), &data[..]);
        assert_eq!(
            handle.read_bytes(4_095..4_100).unwrap().as_slice(),
            &data[4_095..4_100]
        );
        assert!(handle.read_bytes(7..7).unwrap().is_empty());
        let err = handle.read_bytes(9_999..10_001).unwrap_err();
        assert!(err.to_string().contains("f.bin"), "{err}");
        assert!(matches!(
            d.get_file_handle(Path::new("missing.bin")),
            Err(OpenReadError::FileDoesNotExist(_))
        ));
    }
}

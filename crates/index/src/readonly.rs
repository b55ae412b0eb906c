//! A read-only view of an on-disk index folder, for processes that only search it
//! (`undex serve`, `undex export`).
//!
//! tantivy's `MmapDirectory` takes the meta lock (`.tantivy-meta.lock`) every time a reader
//! opens the index's segments, and it does so by opening the lock file for writing, creating it
//! when missing. A server over a folder it may not write therefore could not start, and a server
//! started on a fresh copy of an index wrote into it. [`ReadOnlyDirectory`] delegates every read
//! to `MmapDirectory` and refuses every write; it takes the meta lock on the existing lock file
//! opened for reading only (`flock` does not need write access, so a writer's garbage
//! collection in another process is still excluded while segments are opened), and takes no
//! lock when the file does not exist (no writer has run in the folder since it was copied).
//! The writer lock is never taken: a write through this directory is an error.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle, WritePtr,
};

/// An index folder opened for reading only; see the module documentation.
#[derive(Debug, Clone)]
pub(crate) struct ReadOnlyDirectory {
    inner: MmapDirectory,
    root: PathBuf,
}

impl ReadOnlyDirectory {
    /// Opens the folder `root`, which must exist.
    ///
    /// # Errors
    /// The `MmapDirectory` error when `root` does not exist or is not a folder.
    pub(crate) fn open(root: &Path) -> Result<Self, tantivy::directory::error::OpenDirectoryError> {
        Ok(ReadOnlyDirectory {
            inner: MmapDirectory::open(root)?,
            root: root.to_path_buf(),
        })
    }
}

fn read_only_error(path: &Path) -> io::Error {
    io::Error::new(
        io::ErrorKind::PermissionDenied,
        format!("{} is open read-only", path.display()),
    )
}

impl Directory for ReadOnlyDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        Err(DeleteError::IoError {
            io_error: Arc::new(read_only_error(path)),
            filepath: path.to_path_buf(),
        })
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        Err(OpenWriteError::IoError {
            io_error: Arc::new(read_only_error(path)),
            filepath: path.to_path_buf(),
        })
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, _data: &[u8]) -> io::Result<()> {
        Err(read_only_error(path))
    }

    fn sync_directory(&self) -> io::Result<()> {
        Ok(())
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        if *lock.filepath != *tantivy::directory::META_LOCK.filepath {
            // The writer lock: nothing may write through this directory.
            return Err(LockError::wrap_io_error(read_only_error(&lock.filepath)));
        }
        let path = self.root.join(&lock.filepath);
        match File::open(&path) {
            Ok(file) => {
                if lock.is_blocking {
                    file.lock_shared().map_err(LockError::wrap_io_error)?;
                } else {
                    file.try_lock_shared().map_err(|_| LockError::LockBusy)?;
                }
                // Closing the file releases the lock.
                Ok(DirectoryLock::from(Box::new(file)))
            }
            // No writer ever locked this folder: there is no garbage collection to exclude.
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(DirectoryLock::from(Box::new(()))),
            Err(e) => Err(LockError::wrap_io_error(e)),
        }
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}

//! Which files an ingest reads: paths given on the command line, folders walked.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::Failure;

/// File names that are never documents: notes and checksums that sit beside documents in a
/// corpus folder (`MANIFEST.md`, `README.md`, `SHA256SUMS`).
pub const NOT_DOCUMENTS: [&str; 5] = [
    "README.md",
    "MANIFEST.md",
    "SHA256SUMS",
    "manifest.jsonl",
    ".gitkeep",
];

/// Deepest folder level walked below a path given to ingest (a guard against pathological
/// trees; the UN corpus layouts are 2–4 levels deep).
pub const MAX_WALK_DEPTH: usize = 64;

/// The files found under the paths of an ingest.
#[derive(Debug, Default)]
pub struct FileList {
    /// Files to read, sorted by path, each once (a file reached twice through symbolic
    /// links is read once).
    pub files: Vec<PathBuf>,
    /// Paths that could not be read or walked (missing path, permission denied, a loop of
    /// symbolic links), each a failure of that path alone.
    pub failures: Vec<Failure>,
    /// Files passed over on purpose (notes, checksums), with the reason.
    pub skipped: Vec<(PathBuf, String)>,
}

/// Lists the files under `paths`: files as given, folders walked recursively (following
/// symbolic links, each real file once, loops reported), hidden entries and
/// [`NOT_DOCUMENTS`] passed over. Sorted, so that ids and output are deterministic. Never
/// fails as a whole: a path that cannot be read is a [`Failure`] of that path.
#[must_use]
pub fn collect_files(paths: &[PathBuf]) -> FileList {
    let mut out = FileList::default();
    let mut seen: BTreeSet<PathBuf> = BTreeSet::new();
    let mut found: Vec<PathBuf> = Vec::new();
    for root in paths {
        let meta = match std::fs::metadata(root) {
            Ok(m) => m,
            Err(e) => {
                out.failures
                    .push(Failure::new(root, "io", format!("cannot read: {e}")));
                continue;
            }
        };
        if meta.is_file() {
            found.push(root.clone());
            continue;
        }
        let walker = walkdir::WalkDir::new(root)
            .follow_links(true)
            .max_depth(MAX_WALK_DEPTH)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let path = e.path().map_or_else(|| root.clone(), Path::to_path_buf);
                    let message = if e.loop_ancestor().is_some() {
                        "a symbolic link loops back to a folder above it: not followed".to_string()
                    } else {
                        format!("cannot read: {e}")
                    };
                    out.failures.push(Failure::new(&path, "io", message));
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            let name = entry.file_name().to_string_lossy();
            if NOT_DOCUMENTS.contains(&name.as_ref()) {
                out.skipped.push((
                    entry.path().to_path_buf(),
                    "a corpus note or checksum list, not a document".to_string(),
                ));
                continue;
            }
            found.push(entry.path().to_path_buf());
        }
    }
    found.sort();
    found.dedup();
    for path in found {
        let real = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        if seen.insert(real) {
            out.files.push(path);
        } else {
            out.skipped.push((
                path,
                "the same file as another path of this ingest (symbolic link)".to_string(),
            ));
        }
    }
    out
}

/// Removes temporary files (`.tmp…`, as left by a write killed between create and rename)
/// from `dir`. Returns how many were removed. Only call this while holding the index's writer
/// lock, so that no other ingest is writing there.
pub fn remove_leftover_temporaries(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let is_tmp = name.to_string_lossy().starts_with(".tmp");
        if is_tmp && entry.file_type().is_ok_and(|t| t.is_file()) {
            match std::fs::remove_file(entry.path()) {
                Ok(()) => removed += 1,
                Err(e) => {
                    tracing::warn!(path = %entry.path().display(), "cannot remove a leftover temporary file: {e}")
                }
            }
        }
    }
    if removed > 0 {
        tracing::info!(dir = %dir.display(), removed, "removed temporary files left by an interrupted ingest");
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_paths_fail_alone_and_symlinks_are_followed_once() {
        let dir = tempfile::tempdir().unwrap();
        let docs = dir.path().join("docs");
        std::fs::create_dir_all(docs.join("sub")).unwrap();
        std::fs::write(docs.join("a.txt"), "1. Text.").unwrap();
        std::fs::write(docs.join("sub/b.txt"), "1. Text.").unwrap();
        std::fs::write(docs.join("README.md"), "notes").unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(docs.join("a.txt"), docs.join("link-to-a.txt")).unwrap();
            std::os::unix::fs::symlink(&docs, docs.join("sub/loop")).unwrap();
        }
        let list = collect_files(&[docs.clone(), dir.path().join("missing")]);
        assert_eq!(list.files, [docs.join("a.txt"), docs.join("sub/b.txt")]);
        let failed: Vec<String> = list
            .failures
            .iter()
            .map(|f| f.path.display().to_string())
            .collect();
        assert!(failed.iter().any(|p| p.ends_with("missing")), "{failed:?}");
        #[cfg(unix)]
        {
            assert!(
                list.failures.iter().any(|f| f.message.contains("loops")),
                "{:?}",
                list.failures
            );
            assert!(
                list.skipped
                    .iter()
                    .any(|(p, why)| p.ends_with("link-to-a.txt") && why.contains("symbolic link"))
            );
        }
        assert!(list.skipped.iter().any(|(p, _)| p.ends_with("README.md")));
    }

    #[test]
    fn leftover_temporaries_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".tmpAbC123"), "half").unwrap();
        std::fs::write(dir.path().join("A_79_875.en.jsonl"), "{}").unwrap();
        assert_eq!(remove_leftover_temporaries(dir.path()), 1);
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["A_79_875.en.jsonl"]);
    }
}

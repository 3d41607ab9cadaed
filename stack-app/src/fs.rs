//! Writing files so that a failed or interrupted run never leaves half of one.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::Path;
use std::process;
use std::sync::atomic::{AtomicU64, Ordering};

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Whether [`write_atomic`] replaced the file or found it already up to date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Written {
    /// The file was written.
    Changed,
    /// The file already had these contents and was left alone.
    Unchanged,
}

/// Replaces `path` with `contents` by writing a temporary file next to it and renaming it
/// over the old one. A file that already has these contents is left alone, so its
/// modification time means "last changed", which keeps file watchers quiet.
pub fn write_atomic(path: &Path, contents: &[u8]) -> io::Result<Written> {
    if fs::read(path).is_ok_and(|existing| existing == contents) {
        return Ok(Written::Unchanged);
    }
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "path has no file name"))?;
    let temp = path.with_file_name(format!(
        ".{}.{}-{}.tmp",
        name.to_string_lossy(),
        process::id(),
        TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let result = write_new(&temp, contents).and_then(|()| fs::rename(&temp, path));
    if result.is_err() {
        // The temporary file is ours alone; failing to remove it only leaves litter.
        let _ = fs::remove_file(&temp);
    }
    result.map(|()| Written::Changed)
}

/// Checks that `path` can be written later, before anything else happens: its directory
/// is created if missing, and a file can be created in it. The file itself is not touched.
pub fn check_writable(path: &Path) -> io::Result<()> {
    if path.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::IsADirectory,
            "it is a directory",
        ));
    }
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if let Some(file) = parent
        .ancestors()
        .find(|a| a.exists())
        .filter(|a| !a.is_dir())
    {
        return Err(io::Error::new(
            io::ErrorKind::NotADirectory,
            format!("`{}` is a file, not a directory", file.display()),
        ));
    }
    fs::create_dir_all(parent)?;
    let probe = parent.join(format!(
        ".write-check.{}-{}.tmp",
        process::id(),
        TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    File::create_new(&probe)?;
    fs::remove_file(&probe)
}

fn write_new(path: &Path, contents: &[u8]) -> io::Result<()> {
    let mut file = File::create_new(path)?;
    file.write_all(contents)?;
    // Without the sync, a crash after the rename can leave an empty file under the final
    // name on some file systems.
    file.sync_all()
}

#[cfg(test)]
mod tests {
    // Atomic replacement leaves exactly the final file behind.
    use super::*;

    #[test]
    fn writes_replaces_and_skips_identical_contents() {
        let dir = std::env::temp_dir().join(format!("stack-deploy-fs-{}", process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("a.json");
        assert_eq!(write_atomic(&path, b"one").unwrap(), Written::Changed);
        assert_eq!(write_atomic(&path, b"one").unwrap(), Written::Unchanged);
        assert_eq!(write_atomic(&path, b"two").unwrap(), Written::Changed);
        assert_eq!(fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["a.json"]);
        fs::remove_dir_all(&dir).unwrap();
    }
}

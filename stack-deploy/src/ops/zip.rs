//! Deterministic zip archives of asset directories: the same files give the same bytes on
//! every machine, whatever the checkout time or directory order.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use flate2::write::DeflateEncoder;
use flate2::{Compression, Crc};

/// DOS date of 1980-01-01, the earliest a zip can say; every entry gets it.
const DOS_DATE: u16 = (1 << 5) | 1;
const DOS_TIME: u16 = 0;
/// Bit 11: names are UTF-8.
const FLAGS: u16 = 1 << 11;
const DEFLATE: u16 = 8;
const VERSION_NEEDED: u16 = 20;
/// Made by Unix (3), so readers honour the permission bits in the external attributes.
const VERSION_MADE_BY: u16 = (3 << 8) | 20;

/// Zips every file under `dir`, sorted by relative path with `/` separators. Files keep
/// only whether they are executable (0755 or 0644), which Lambda needs for custom runtimes.
pub(crate) fn zip_dir(dir: &Path) -> io::Result<Vec<u8>> {
    let mut files = Vec::new();
    collect(dir, dir, &mut files)?;
    files.sort();
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, path) in &files {
        let data = fs::read(path)?;
        let mode = if is_executable(path)? {
            0o100_755
        } else {
            0o100_644
        };
        let mut crc = Crc::new();
        crc.update(&data);
        let mut encoder = DeflateEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(&data)?;
        let compressed = encoder.finish()?;
        let offset = small(out.len(), "archive")?;
        let name_len =
            u16::try_from(name.len()).map_err(|_| too_large(&format!("the path `{name}`")))?;
        let (csize, usize_) = (small(compressed.len(), name)?, small(data.len(), name)?);

        put32(&mut out, 0x0403_4b50);
        for v in [VERSION_NEEDED, FLAGS, DEFLATE, DOS_TIME, DOS_DATE] {
            put16(&mut out, v);
        }
        put32(&mut out, crc.sum());
        put32(&mut out, csize);
        put32(&mut out, usize_);
        put16(&mut out, name_len);
        put16(&mut out, 0);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&compressed);

        put32(&mut central, 0x0201_4b50);
        for v in [
            VERSION_MADE_BY,
            VERSION_NEEDED,
            FLAGS,
            DEFLATE,
            DOS_TIME,
            DOS_DATE,
        ] {
            put16(&mut central, v);
        }
        put32(&mut central, crc.sum());
        put32(&mut central, csize);
        put32(&mut central, usize_);
        put16(&mut central, name_len);
        for v in [0, 0, 0, 0] {
            put16(&mut central, v);
        }
        put32(&mut central, mode << 16);
        put32(&mut central, offset);
        central.extend_from_slice(name.as_bytes());
    }
    let entries = u16::try_from(files.len()).map_err(|_| too_large("the file count"))?;
    let central_offset = small(out.len(), "archive")?;
    let central_size = small(central.len(), "archive")?;
    out.extend_from_slice(&central);
    put32(&mut out, 0x0605_4b50);
    for v in [0, 0, entries, entries] {
        put16(&mut out, v);
    }
    put32(&mut out, central_size);
    put32(&mut out, central_offset);
    put16(&mut out, 0);
    Ok(out)
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        // Same walk as the asset hash in stack-core: directories recursed, anything else
        // read as a file (so a symlink contributes its target's contents).
        if entry.file_type()?.is_dir() {
            collect(root, &path, out)?;
        } else {
            let relative = path.strip_prefix(root).unwrap_or(&path);
            let name = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            out.push((name, path));
        }
    }
    Ok(())
}

#[cfg(unix)]
fn is_executable(path: &Path) -> io::Result<bool> {
    use std::os::unix::fs::PermissionsExt;
    Ok(fs::metadata(path)?.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(_: &Path) -> io::Result<bool> {
    Ok(false)
}

fn small(n: usize, what: &str) -> io::Result<u32> {
    u32::try_from(n).map_err(|_| too_large(&format!("`{what}`")))
}

fn too_large(what: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("{what} is too large for a zip archive without zip64"),
    )
}

fn put16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

#[cfg(test)]
mod tests {
    // The archive is byte-identical across runs, readable by a standard unzip, and keeps
    // the executable bit.
    use super::*;

    #[test]
    fn same_files_give_same_bytes_and_python_can_read_them() {
        let dir = std::env::temp_dir().join(format!("stack-deploy-zip-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("sub")).unwrap();
        fs::write(dir.join("index.py"), "def handler(e, c):\n    return 1\n").unwrap();
        fs::write(dir.join("sub/data.txt"), "x".repeat(1000)).unwrap();
        fs::write(dir.join("bootstrap"), b"\x7fELF").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(dir.join("bootstrap"), fs::Permissions::from_mode(0o700)).unwrap();
        }
        let first = zip_dir(&dir).unwrap();
        let second = zip_dir(&dir).unwrap();
        assert_eq!(first, second);
        assert_eq!(&first[..4], b"PK\x03\x04");
        let archive = dir.with_extension("zip");
        fs::write(&archive, &first).unwrap();
        // python3 is on every machine that runs these tests (the venv needs it).
        let listing = std::process::Command::new("python3")
            .args([
                "-c",
                "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; \
                 print(' '.join(f'{i.filename}:{i.file_size}:{i.external_attr >> 16:o}:{i.date_time}' \
                 for i in z.infolist()))",
            ])
            .arg(&archive)
            .output()
            .unwrap();
        assert!(listing.status.success(), "{listing:?}");
        assert_eq!(
            String::from_utf8_lossy(&listing.stdout).trim(),
            // Sorted, stamped 1980-01-01, and a custom runtime's `bootstrap` stays
            // executable (0755 whatever its owner-only mode was).
            "bootstrap:4:100755:(1980, 1, 1, 0, 0, 0) \
             index.py:32:100644:(1980, 1, 1, 0, 0, 0) \
             sub/data.txt:1000:100644:(1980, 1, 1, 0, 0, 0)"
        );
        fs::remove_dir_all(&dir).unwrap();
        fs::remove_file(&archive).unwrap();
    }
}

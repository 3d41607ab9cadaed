//! Just enough of gzip+tar (npm tarballs) and zip (Python wheels) for the vendored packages.

use std::collections::BTreeMap;
use std::io::Read as _;

use anyhow::{bail, ensure, Context as _, Result};

/// Decompresses a gzip stream.
pub(crate) fn gunzip(data: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(data)
        .read_to_end(&mut out)
        .context("decompressing gzip data")?;
    Ok(out)
}

/// Regular files of a ustar/pax/GNU tar archive, by path.
pub(crate) fn untar(data: &[u8]) -> Result<BTreeMap<String, Vec<u8>>> {
    let mut files = BTreeMap::new();
    let mut long_name: Option<String> = None;
    let mut pos = 0;
    while pos + 512 <= data.len() {
        let header = &data[pos..pos + 512];
        if header.iter().all(|&b| b == 0) {
            break;
        }
        let size = octal(&header[124..136]).context("bad tar entry size")?;
        let start = pos + 512;
        let end = start
            .checked_add(size)
            .filter(|&end| end <= data.len())
            .context("truncated tar archive")?;
        let body = &data[start..end];
        let mut name = c_str(&header[..100]);
        if &header[257..262] == b"ustar" {
            let prefix = c_str(&header[345..500]);
            if !prefix.is_empty() {
                name = format!("{prefix}/{name}");
            }
        }
        match header[156] {
            b'x' => long_name = pax_path(body),
            b'L' => long_name = Some(c_str(body)),
            b'0' | 0 => {
                files.insert(long_name.take().unwrap_or(name), body.to_vec());
            }
            b'g' => {}
            _ => long_name = None,
        }
        pos = start + size.div_ceil(512) * 512;
    }
    Ok(files)
}

fn c_str(bytes: &[u8]) -> String {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    String::from_utf8_lossy(&bytes[..end]).into_owned()
}

fn octal(field: &[u8]) -> Result<usize> {
    ensure!(field.first().is_none_or(|b| b & 0x80 == 0), "base-256 size");
    let text = c_str(field);
    let text = text.trim();
    if text.is_empty() {
        return Ok(0);
    }
    Ok(usize::from_str_radix(text, 8)?)
}

/// The `path` record of a pax extended header (`<len> path=<value>\n` records).
fn pax_path(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    text.lines()
        .find_map(|rec| rec.split_once(' ')?.1.strip_prefix("path="))
        .map(str::to_owned)
}

/// A zip archive read from memory (stored or deflated entries; no zip64).
pub(crate) struct Zip<'a> {
    data: &'a [u8],
    /// name → (method, compressed size, local header offset)
    entries: BTreeMap<String, (usize, usize, usize)>,
}

impl<'a> Zip<'a> {
    /// Reads the central directory.
    pub(crate) fn new(data: &'a [u8]) -> Result<Self> {
        let eocd = (0..data.len().saturating_sub(21))
            .rev()
            .find(|&i| data[i..].starts_with(b"PK\x05\x06"))
            .context("no zip end-of-central-directory record")?;
        let count = u16_at(data, eocd + 10)?;
        let mut at = u32_at(data, eocd + 16)?;
        let mut entries = BTreeMap::new();
        for _ in 0..count {
            ensure!(
                data.get(at..at + 4) == Some(b"PK\x01\x02"),
                "bad zip central directory"
            );
            let method = u16_at(data, at + 10)?;
            let compressed = u32_at(data, at + 20)?;
            let name_len = u16_at(data, at + 28)?;
            let extra_len = u16_at(data, at + 30)?;
            let comment_len = u16_at(data, at + 32)?;
            let local = u32_at(data, at + 42)?;
            let name = data
                .get(at + 46..at + 46 + name_len)
                .context("truncated zip")?;
            ensure!(compressed != 0xFFFF_FFFF, "zip64 entries are not supported");
            entries.insert(
                String::from_utf8_lossy(name).into_owned(),
                (method, compressed, local),
            );
            at += 46 + name_len + extra_len + comment_len;
        }
        Ok(Self { data, entries })
    }

    /// Entry names.
    pub(crate) fn names(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }

    /// The decompressed bytes of one entry.
    pub(crate) fn read(&self, name: &str) -> Result<Vec<u8>> {
        let &(method, compressed, local) = self
            .entries
            .get(name)
            .with_context(|| format!("no `{name}` in the archive"))?;
        let data = self.data;
        ensure!(
            data.get(local..local + 4) == Some(b"PK\x03\x04"),
            "bad zip local header"
        );
        let start = local + 30 + u16_at(data, local + 26)? + u16_at(data, local + 28)?;
        let raw = data
            .get(start..start + compressed)
            .context("truncated zip entry")?;
        match method {
            0 => Ok(raw.to_vec()),
            8 => {
                let mut out = Vec::new();
                flate2::read::DeflateDecoder::new(raw)
                    .read_to_end(&mut out)
                    .with_context(|| format!("inflating `{name}`"))?;
                Ok(out)
            }
            m => bail!("zip compression method {m} is not supported"),
        }
    }
}

fn u16_at(data: &[u8], at: usize) -> Result<usize> {
    let b = data.get(at..at + 2).context("truncated zip")?;
    Ok(usize::from(u16::from_le_bytes([b[0], b[1]])))
}

fn u32_at(data: &[u8], at: usize) -> Result<usize> {
    let b = data.get(at..at + 4).context("truncated zip")?;
    Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tar_entry(name: &str, kind: u8, body: &[u8]) -> Vec<u8> {
        let mut header = vec![0u8; 512];
        header[..name.len()].copy_from_slice(name.as_bytes());
        let size = format!("{:011o}\0", body.len());
        header[124..136].copy_from_slice(size.as_bytes());
        header[156] = kind;
        let mut out = header;
        out.extend_from_slice(body);
        out.resize(out.len().div_ceil(512) * 512, 0);
        out
    }

    #[test]
    fn untar_reads_plain_and_pax_entries() {
        let mut tar = tar_entry("package/a.txt", b'0', b"hello");
        tar.extend(tar_entry("pax", b'x', b"30 path=package/long-name.txt\n"));
        tar.extend(tar_entry("short", b'0', b"world"));
        tar.extend(vec![0u8; 1024]);
        let files = untar(&tar).expect("test");
        assert_eq!(files["package/a.txt"], b"hello");
        assert_eq!(files["package/long-name.txt"], b"world");
    }
}

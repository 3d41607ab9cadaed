//! Passing generated Rust through `rustfmt`.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{bail, ensure, Context as _, Result};

/// Formats every file with `rustfmt` (two at a time), run from the workspace root so a
/// `rustfmt.toml` there applies.
pub(super) fn rustfmt_all(
    root: &Path,
    files: BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>> {
    let jobs: Vec<(String, String)> = files.into_iter().collect();
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 4));
    let chunks: Vec<Vec<(String, String)>> = {
        let mut chunks: Vec<Vec<(String, String)>> = vec![Vec::new(); threads];
        // Largest first, round-robin: keeps the threads about equally busy.
        let mut sorted = jobs;
        sorted.sort_by_key(|(p, s)| (std::cmp::Reverse(s.len()), p.clone()));
        for (i, job) in sorted.into_iter().enumerate() {
            chunks[i % threads].push(job);
        }
        chunks
    };
    let results: Vec<Result<Vec<(String, String)>>> = std::thread::scope(|s| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                s.spawn(move || {
                    chunk
                        .into_iter()
                        .map(|(path, src)| {
                            let formatted = rustfmt(root, &src)
                                .with_context(|| format!("formatting {path}"))?;
                            Ok((path, formatted))
                        })
                        .collect::<Result<Vec<_>>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| bail!("rustfmt thread panicked"))
            })
            .collect()
    });
    let mut out = BTreeMap::new();
    for r in results {
        out.extend(r?);
    }
    Ok(out)
}

fn rustfmt(root: &Path, src: &str) -> Result<String> {
    let rustfmt = std::env::var("RUSTFMT").unwrap_or_else(|_| "rustfmt".to_owned());
    let mut child = Command::new(&rustfmt)
        .args(["--edition", "2021", "--emit", "stdout"])
        .current_dir(root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("could not run `{rustfmt}` (rustup component add rustfmt)"))?;
    let mut stdin = child.stdin.take().context("rustfmt stdin")?;
    let src = src.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(src.as_bytes()));
    let output = child.wait_with_output()?;
    writer
        .join()
        .map_err(|_| anyhow::anyhow!("rustfmt writer panicked"))??;
    ensure!(
        output.status.success(),
        "rustfmt failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Ok(String::from_utf8(output.stdout)?)
}

//! `cargo xtask bench-macro`: the `stack!` macro's expansion time against the size of a
//! stack, as a user feels it: the wall time of `cargo check` of a crate holding one
//! generated block, minus that of the same crate with the block removed.
//!
//! The crates are generated under `target/bench-macro/`, one per shape and size, in a
//! throwaway workspace of their own (with its own `[workspace]` and target directory, so the
//! dependencies build once). See `tests/benches/README.md`.

use std::fmt::Write as _;
use std::fs::File;
use std::io::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

use anyhow::{bail, ensure, Context as _, Result};

use crate::util::{self, workspace_root};

/// CloudFormation's per-stack limit, which the macro checks before anything else.
const MAX_RESOURCES: usize = 500;

/// How many resources the limit counts for a `Function` (the function and its log group).
const FUNCTION_RESOURCES: usize = 2;

/// The shape of a generated stack.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    /// Independent `AWS::SQS::Queue`s.
    Plain,
    /// Each queue refers to the previous one's `arn`.
    Chained,
    /// A chain whose first queue refers to the last.
    Cyclic,
    /// Each queue has one misspelt reference to another one (`q3.arnn` or `q3x.arn`).
    Typo,
    /// Queues and one `Function`, with a `grant f ["sqs:SendMessage"] on qN;` per queue.
    Grants,
}

impl Shape {
    pub(crate) const ALL: [Self; 5] = [
        Self::Plain,
        Self::Chained,
        Self::Cyclic,
        Self::Typo,
        Self::Grants,
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Plain => "plain",
            Self::Chained => "chained",
            Self::Cyclic => "cyclic",
            Self::Typo => "typo",
            Self::Grants => "grants",
        }
    }

    fn parse(name: &str) -> Result<Self> {
        match Self::ALL.into_iter().find(|s| s.name() == name) {
            Some(shape) => Ok(shape),
            None => bail!(
                "unknown shape `{name}`; the shapes are {}",
                Self::ALL.map(Self::name).join(", ")
            ),
        }
    }

    /// The part of the checker's output that a run must show, or `None` if it must pass.
    fn expected_error(self, size: usize) -> Option<&'static str> {
        if size > MAX_RESOURCES {
            return Some("CloudFormation allows in one stack");
        }
        match self {
            Self::Plain | Self::Chained | Self::Grants => None,
            Self::Cyclic => Some("dependency cycle"),
            Self::Typo => Some("did you mean"),
        }
    }
}

/// What to measure.
#[derive(Debug)]
pub(crate) struct Options {
    pub(crate) sizes: Vec<usize>,
    pub(crate) runs: usize,
    pub(crate) shapes: Vec<Shape>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            sizes: vec![10, 100, 500, 1_000, 4_000],
            runs: 3,
            shapes: Shape::ALL.to_vec(),
        }
    }
}

impl Options {
    /// Parses `--sizes 10,100 --runs 3 --shapes plain,cyclic`.
    pub(crate) fn parse(args: &[String]) -> Result<Self> {
        let mut options = Self::default();
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let Some(value) = args.next() else {
                bail!("`{arg}` needs a value");
            };
            match arg.as_str() {
                "--sizes" => {
                    options.sizes = value
                        .split(',')
                        .map(|s| {
                            s.trim()
                                .replace('_', "")
                                .parse::<usize>()
                                .with_context(|| format!("`{s}` is not a size"))
                        })
                        .collect::<Result<_>>()?;
                }
                "--runs" => {
                    options.runs = value
                        .parse()
                        .with_context(|| format!("`{value}` is not a number of runs"))?;
                }
                "--shapes" => {
                    options.shapes = value
                        .split(',')
                        .map(|s| Shape::parse(s.trim()))
                        .collect::<Result<_>>()?;
                }
                other => bail!("unknown argument `{other}` for `bench-macro`"),
            }
        }
        ensure!(options.runs > 0, "`--runs` must be at least 1");
        ensure!(!options.sizes.is_empty(), "`--sizes` is empty");
        ensure!(
            options.sizes.iter().all(|&n| n >= 3),
            "every size must be at least 3 (a grant-heavy stack holds a `Function`)"
        );
        ensure!(!options.shapes.is_empty(), "`--shapes` is empty");
        Ok(options)
    }
}

/// The `stack!` block of `shape` with `size` resources, as the limit counts them. One
/// resource per line.
pub(crate) fn stack_block(shape: Shape, size: usize) -> String {
    let mut out = String::from("stack! {\n    pub stack Bench {\n");
    let queues = match shape {
        Shape::Grants => size - FUNCTION_RESOURCES,
        _ => size,
    };
    for i in 0..queues {
        let previous = if i == 0 { queues - 1 } else { i - 1 };
        let redrive = |target: String| {
            format!(" RedrivePolicy: {{ deadLetterTargetArn: {target}, maxReceiveCount: 3 }},")
        };
        let extra = match shape {
            Shape::Plain | Shape::Grants => String::new(),
            Shape::Chained if i == 0 => String::new(),
            Shape::Chained | Shape::Cyclic => redrive(format!("q{previous}.arn")),
            Shape::Typo if i.is_multiple_of(2) => redrive(format!("q{previous}.arnn")),
            Shape::Typo => redrive(format!("q{previous}x.arn")),
        };
        let _ = writeln!(
            out,
            "        resource q{i}: AWS::SQS::Queue {{ VisibilityTimeout: 30,{extra} }}"
        );
    }
    if shape == Shape::Grants {
        out.push_str(
            "        resource f: Function { code: Code::inline(\"def handler(event, context): pass\"), \
             runtime: Runtime::Python312, handler: \"index.handler\" }\n",
        );
        for i in 0..queues {
            let _ = writeln!(out, "        grant f [\"sqs:SendMessage\"] on q{i};");
        }
    }
    out.push_str("    }\n}\n");
    out
}

/// One generated crate.
struct Case {
    shape: Shape,
    size: usize,
    name: String,
}

/// The measurements of one crate, in seconds.
#[derive(Default)]
struct Samples {
    times: Vec<f64>,
    /// CPU time (user + system) of cargo and the compilers it ran.
    cpu: Vec<f64>,
    /// How the last run ended: `ok`, `over limit` or the number of errors.
    outcome: String,
}

pub(crate) fn run(options: &Options) -> Result<()> {
    let root = workspace_root();
    let dir = root.join("target").join("bench-macro");
    let cases: Vec<Case> = options
        .shapes
        .iter()
        .flat_map(|&shape| {
            options.sizes.iter().map(move |&size| Case {
                shape,
                size,
                name: format!("{}-{size}", shape.name()),
            })
        })
        .collect();
    generate(&root, &dir, &cases)?;

    let load_before = load_average();
    util::note(&format!(
        "bench-macro: warming the dependencies in {}",
        dir.display()
    ));
    let warm = check(&dir, "baseline")?;
    ensure!(
        warm.ok,
        "the baseline crate does not check:\n{}",
        warm.output
    );

    let mut baseline = Samples::default();
    let mut samples: Vec<Samples> = cases.iter().map(|_| Samples::default()).collect();
    for round in 1..=options.runs {
        util::note(&format!("bench-macro: run {round} of {}", options.runs));
        let run = check(&dir, "baseline")?;
        ensure!(run.ok, "the baseline crate does not check:\n{}", run.output);
        baseline.times.push(run.wall);
        baseline.cpu.push(run.cpu);
        for (case, samples) in cases.iter().zip(&mut samples) {
            let run = check(&dir, &case.name)?;
            samples.outcome = verify(case, run.ok, &run.output)?;
            samples.times.push(run.wall);
            samples.cpu.push(run.cpu);
        }
    }
    let load_after = load_average();

    let table = table(&cases, &samples, &baseline, options.runs);
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "load average before: {load_before}")?;
    writeln!(stdout, "load average after:  {load_after}")?;
    writeln!(stdout)?;
    write!(stdout, "{table}")?;
    Ok(())
}

/// Writes the throwaway workspace: a baseline crate and one crate per case.
fn generate(root: &Path, dir: &Path, cases: &[Case]) -> Result<()> {
    let mut members = vec!["baseline".to_owned()];
    members.extend(cases.iter().map(|c| c.name.clone()));
    let mut manifest = String::from(
        "# Generated by `cargo xtask bench-macro`; not part of the workspace.\n\
         [workspace]\nresolver = \"2\"\nmembers = [\n",
    );
    for member in &members {
        let _ = writeln!(manifest, "    \"{member}\",");
    }
    // The main workspace's dev profile, so the numbers match its builds.
    manifest.push_str(
        "]\n\n[profile.dev]\ndebug = \"line-tables-only\"\n\n\
         [profile.dev.package.\"*\"]\ndebug = false\n",
    );
    util::write_if_changed(&dir.join("Cargo.toml"), manifest.as_bytes())?;
    let lock = dir.join("Cargo.lock");
    if !lock.exists() {
        // The main workspace's versions, so nothing is resolved anew.
        std::fs::copy(root.join("Cargo.lock"), &lock)
            .with_context(|| format!("copying Cargo.lock to `{}`", lock.display()))?;
    }
    let stack_core = root.join("stack-core");
    let stack_core = stack_core
        .to_str()
        .context("the workspace path is not UTF-8")?;
    let write_crate = |name: &str, body: &str| -> Result<()> {
        let manifest = format!(
            "[package]\nname = \"bench-{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\
             publish = false\n\n[dependencies]\nstack-core = {{ path = {stack_core:?}, \
             default-features = false, features = [\"sqs\", \"lambda\"] }}\n"
        );
        util::write_if_changed(&dir.join(name).join("Cargo.toml"), manifest.as_bytes())?;
        let source =
            format!("#![allow(unused)]\n\nuse stack_core::prelude::*;\n\n{body}\nfn main() {{}}\n");
        util::write_if_changed(&dir.join(name).join("src/main.rs"), source.as_bytes())?;
        Ok(())
    };
    write_crate("baseline", "")?;
    for case in cases {
        write_crate(&case.name, &stack_block(case.shape, case.size))?;
    }
    Ok(())
}

/// One `cargo check`.
struct Run {
    wall: f64,
    cpu: f64,
    ok: bool,
    output: String,
}

/// Touches the crate's `src/main.rs` and runs `cargo check` on it.
fn check(dir: &Path, name: &str) -> Result<Run> {
    let main = dir.join(name).join("src/main.rs");
    File::options()
        .write(true)
        .open(&main)
        .and_then(|f| f.set_modified(SystemTime::now()))
        .with_context(|| format!("touching `{}`", main.display()))?;
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.arg("check")
        .arg("--manifest-path")
        .arg(dir.join("Cargo.toml"))
        .args(["-p", &format!("bench-{name}"), "--message-format", "short"])
        .env("CARGO_TARGET_DIR", dir.join("target"))
        // Every run checks the whole crate, whether or not the one before passed.
        .env("CARGO_INCREMENTAL", "0")
        .current_dir(dir);
    let cpu_before = children_cpu();
    let start = Instant::now();
    let output = cmd.output().with_context(|| format!("running {cmd:?}"))?;
    let wall = secs(start.elapsed());
    Ok(Run {
        wall,
        cpu: children_cpu() - cpu_before,
        ok: output.status.success(),
        output: String::from_utf8_lossy(&output.stderr).into_owned(),
    })
}

/// User + system CPU seconds of this process's waited-for children and their descendants
/// (`cutime` and `cstime` of `/proc/self/stat`, in ticks of 1/100 s); 0 where there is no
/// `/proc`.
fn children_cpu() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // The fields after the command name, which is in parentheses, start at field 3.
    let Some((_, fields)) = stat.rsplit_once(')') else {
        return 0.0;
    };
    let fields: Vec<&str> = fields.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(13) + ticks(14)) / 100.0
}

/// Checks that a run ended as its shape and size should; returns the outcome to show.
fn verify(case: &Case, ok: bool, output: &str) -> Result<String> {
    ensure!(
        !output.contains("panicked"),
        "`{}`: the macro panicked:\n{output}",
        case.name
    );
    match case.shape.expected_error(case.size) {
        None => {
            ensure!(ok, "`{}` should check but does not:\n{output}", case.name);
            Ok("ok".to_owned())
        }
        Some(expected) => {
            ensure!(!ok, "`{}` should fail to check but passes", case.name);
            ensure!(
                output.contains(expected),
                "`{}` fails, but without `{expected}`:\n{output}",
                case.name
            );
            let errors = output.lines().filter(|l| l.contains(": error")).count();
            Ok(if case.size > MAX_RESOURCES {
                "over limit".to_owned()
            } else {
                format!("{errors} errors")
            })
        }
    }
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

fn median(times: &[f64]) -> f64 {
    let mut sorted = times.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len().is_multiple_of(2) {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    } else {
        sorted[mid]
    }
}

/// `n log n` growth from `a` to `b`.
fn n_log_n_ratio(a: usize, b: usize) -> f64 {
    let f = |n: usize| {
        let n = n as f64;
        n * n.ln()
    };
    f(b) / f(a)
}

/// The results as a Markdown table: times net of the baseline's median, in seconds.
fn table(cases: &[Case], samples: &[Samples], baseline: &Samples, runs: usize) -> String {
    let base = median(&baseline.times);
    let base_cpu = median(&baseline.cpu);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "`cargo check` time minus the baseline's median ({runs} runs each); baseline: wall \
         {base:.3} s (min {:.3}, max {:.3}), CPU {base_cpu:.2} s\n",
        baseline.times.iter().copied().fold(f64::INFINITY, f64::min),
        baseline.times.iter().copied().fold(0.0, f64::max),
    );
    out.push_str(
        "| shape | resources | outcome | median wall | min | max | ratio to previous size \
         | n log n ratio | median CPU |\n",
    );
    out.push_str("|---|---:|---|---:|---:|---:|---:|---:|---:|\n");
    let mut previous: Option<(Shape, usize, f64)> = None;
    for (case, samples) in cases.iter().zip(samples) {
        let net: Vec<f64> = samples.times.iter().map(|t| t - base).collect();
        let med = median(&net);
        let min = net.iter().copied().fold(f64::INFINITY, f64::min);
        let max = net.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let (ratio, reference) = match previous {
            Some((shape, size, prev)) if shape == case.shape => (
                if prev > 0.0 {
                    format!("{:.2}", med / prev)
                } else {
                    "–".to_owned()
                },
                format!("{:.2}", n_log_n_ratio(size, case.size)),
            ),
            _ => ("".to_owned(), "".to_owned()),
        };
        let cpu = median(&samples.cpu) - base_cpu;
        let _ = writeln!(
            out,
            "| {} | {} | {} | {med:.3} s | {min:.3} s | {max:.3} s | {ratio} | {reference} | {cpu:.2} s |",
            case.shape.name(),
            case.size,
            samples.outcome,
        );
        previous = Some((case.shape, case.size, med));
    }
    out
}

/// The 1, 5 and 15-minute load averages, as `uptime` shows them.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".to_owned())
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    /// `(name, type, reference)` of each `resource` line of a block.
    fn resources(block: &str) -> Vec<(String, String, Option<String>)> {
        block
            .lines()
            .filter_map(|line| line.trim().strip_prefix("resource "))
            .map(|rest| {
                let (name, rest) = rest.split_once(':').unwrap_or_default();
                let ty = rest.split_whitespace().next().unwrap_or_default();
                let reference = rest
                    .split_once("deadLetterTargetArn: ")
                    .and_then(|(_, r)| r.split(',').next())
                    .map(str::to_owned);
                (name.to_owned(), ty.to_owned(), reference)
            })
            .collect()
    }

    fn counted(block: &str) -> usize {
        resources(block)
            .iter()
            .map(|(_, ty, _)| {
                if ty == "Function" {
                    FUNCTION_RESOURCES
                } else {
                    1
                }
            })
            .sum()
    }

    #[test]
    fn every_shape_has_the_requested_number_of_resources() {
        for shape in Shape::ALL {
            for size in [3, 10, 100, 501] {
                let block = stack_block(shape, size);
                assert_eq!(counted(&block), size, "{shape:?} {size}");
            }
        }
    }

    #[test]
    fn plain_queues_refer_to_nothing_and_grants_cover_every_queue() {
        assert!(resources(&stack_block(Shape::Plain, 10))
            .iter()
            .all(|(_, _, r)| r.is_none()));
        let block = stack_block(Shape::Grants, 10);
        let grants: Vec<&str> = block
            .lines()
            .filter(|l| l.trim().starts_with("grant f [\"sqs:SendMessage\"] on q"))
            .collect();
        assert_eq!(grants.len(), 8);
        assert!(grants[7].contains("on q7;"));
    }

    #[test]
    fn a_chain_ends_at_its_first_queue() {
        let resources = resources(&stack_block(Shape::Chained, 10));
        assert_eq!(resources[0].2, None);
        for (i, (name, _, reference)) in resources.iter().enumerate().skip(1) {
            assert_eq!(name, &format!("q{i}"));
            assert_eq!(
                reference.as_deref(),
                Some(format!("q{}.arn", i - 1).as_str())
            );
        }
    }

    #[test]
    fn a_cycle_closes_through_every_queue() {
        let size = 100;
        let refs: HashMap<String, String> = resources(&stack_block(Shape::Cyclic, size))
            .into_iter()
            .map(|(name, _, r)| {
                let target = r.unwrap_or_default();
                (name, target.trim_end_matches(".arn").to_owned())
            })
            .collect();
        assert_eq!(refs.len(), size);
        let mut seen = std::collections::HashSet::new();
        let mut at = "q0".to_owned();
        for _ in 0..size {
            assert!(seen.insert(at.clone()), "`{at}` visited twice");
            at = refs[&at].clone();
        }
        assert_eq!(at, "q0");
        assert_eq!(seen.len(), size);
    }

    #[test]
    fn every_typo_block_misspells_one_reference() {
        let resources = resources(&stack_block(Shape::Typo, 10));
        let names: Vec<&str> = resources.iter().map(|(n, _, _)| n.as_str()).collect();
        for (_, _, reference) in &resources {
            let reference = reference.as_deref().unwrap_or_default();
            let (name, attribute) = reference.split_once('.').unwrap_or_default();
            let misspelt = usize::from(!names.contains(&name)) + usize::from(attribute != "arn");
            assert_eq!(misspelt, 1, "{reference}");
        }
    }

    #[test]
    fn options_parse() {
        let args: Vec<String> = [
            "--sizes",
            "10,1_000",
            "--runs",
            "5",
            "--shapes",
            "plain,cyclic",
        ]
        .map(str::to_owned)
        .to_vec();
        let options = Options::parse(&args).expect("the options parse");
        assert_eq!(options.sizes, [10, 1_000]);
        assert_eq!(options.runs, 5);
        assert_eq!(options.shapes, [Shape::Plain, Shape::Cyclic]);
        assert!(Options::parse(&["--runs".to_owned(), "0".to_owned()]).is_err());
        assert!(Options::parse(&["--shapes".to_owned(), "round".to_owned()]).is_err());
    }
}

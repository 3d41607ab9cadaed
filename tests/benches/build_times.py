#!/usr/bin/env python3
"""Build times a user waits for, measured side by side for two trees of the repository.

    python3 tests/benches/build_times.py BEFORE AFTER [--clean-runs N] [--edit-runs N]

BEFORE and AFTER are git revisions (or `WORKTREE` for the working tree). Each is copied
with `git archive` into a temporary directory. For each, alternating between the two so
that a change of load hits both:

1. first template: `cargo run -p photosky -- synth` into an empty target directory (the
   README's command; crates already downloaded), wall time and peak RSS of the whole
   build;
2. edit one property, new template: flip `Duration::seconds(300)` in
   `apps/photosky/src/lib.rs` to 301 and back, then `cargo run -q -p photosky -- synth`,
   checking that the template holds the new value.

Prints every run, the medians and the ratios AFTER/BEFORE, and the load average.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LIB = "apps/photosky/src/lib.rs"
TEMPLATE = "stack.out/PhotoSky.template.json"


def export(rev: str, into: Path) -> None:
    into.mkdir(parents=True)
    if rev == "WORKTREE":
        files = subprocess.run(
            ["git", "ls-files", "-co", "--exclude-standard", "-z"],
            cwd=REPO, check=True, capture_output=True,
        ).stdout.split(b"\0")
        for name in filter(None, files):
            src = REPO / name.decode()
            if src.is_file():
                dst = into / name.decode()
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, dst)
        return
    archive = subprocess.run(["git", "archive", rev], cwd=REPO, check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)


# Runs a command and prints the peak RSS (KiB) of the largest process under it, so that
# each measurement has its own peak.
PEAK = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:]).returncode\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def timed(cmd, cwd: Path, env) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of the largest process, for one command."""
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-c", PEAK, *cmd], cwd=cwd, env=env,
                          capture_output=True, text=True)
    wall = time.monotonic() - start
    if done.returncode != 0:
        sys.exit(f"`{' '.join(cmd)}` failed in {cwd}:\n{done.stderr[-3000:]}")
    peak = int(done.stderr.strip().splitlines()[-1]) / 1024
    return wall, peak


def flip(tree: Path, to: int) -> None:
    path = tree / LIB
    text = path.read_text()
    new = text.replace(f"Duration::seconds({601 - to})", f"Duration::seconds({to})")
    if new == text:
        sys.exit(f"`Duration::seconds({601 - to})` not found in {path}")
    path.write_text(new)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--clean-runs", type=int, default=2)
    parser.add_argument("--edit-runs", type=int, default=7)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="stack-build-times-"))
    trees = {}
    for label, rev in (("before", args.before), ("after", args.after)):
        trees[label] = work / label
        export(rev, trees[label])
    env = dict(os.environ)
    env.pop("CARGO_TARGET_DIR", None)
    synth = ["cargo", "run", "-q", "-p", "photosky", "--", "synth", "-q"]
    results = {label: {"clean": [], "rss": [], "edit": []} for label in trees}
    print(f"load at start: {os.getloadavg()}")

    for run in range(args.clean_runs):
        for label, tree in trees.items():
            shutil.rmtree(tree / "target", ignore_errors=True)
            wall, rss = timed(synth, tree, env)
            results[label]["clean"].append(wall)
            results[label]["rss"].append(rss)
            print(f"clean {label} run {run + 1}: {wall:.1f} s, peak RSS {rss:.0f} MiB, "
                  f"load {os.getloadavg()[0]:.1f}", flush=True)

    for run in range(args.edit_runs):
        value = 301 if run % 2 == 0 else 300
        for label, tree in trees.items():
            flip(tree, value)
            wall, _ = timed(synth, tree, env)
            if f'"Timeout": {value}' not in (tree / TEMPLATE).read_text():
                sys.exit(f"{label}: the template does not hold the edit")
            results[label]["edit"].append(wall)
            print(f"edit {label} run {run + 1}: {wall:.2f} s", flush=True)

    print(f"\nload at end: {os.getloadavg()}")
    print("| measure | before | after | after / before |")
    print("|---|---:|---:|---:|")
    for key, unit in (("clean", "s"), ("rss", "MiB"), ("edit", "s")):
        b = statistics.median(results["before"][key])
        a = statistics.median(results["after"][key])
        print(f"| {key} (median) | {b:.2f} {unit} | {a:.2f} {unit} | {a / b:.2f} |")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Fuzzes the engine end to end: mutated configs through `buildout run`.

Usage: fuzz-engine.py BINARY [--seconds S] [--seed N] [--keep DIR]

BINARY is best the sanitized build (build/buildout_sanitized: AddressSanitizer
and UBSan, any report aborts). First every reproducer in tests/fuzz-corpus/ is
replayed, then mutants of the shipped configs (byte flips, truncations,
duplicated lines, numbers replaced by nan, inf, -1, 1e308 or 0) run for S
seconds, in an order fixed by the seed. Each case must end in one of two ways:
  - exit 0, with finite reports (no nan, inf or null in them);
  - exit 2, with an error message naming the config file, and nothing written.
Anything else fails: another exit code, a sanitizer report, a hang (60 s), a
non-finite table, an error that names no file. Failing cases are copied to
--keep (default: a temporary folder) to be added to the corpus; the exit code
is 1 if any case failed.
"""
import argparse
import csv
import json
import math
import os
import random
import re
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sanitized_run import sanitized_run  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "tests", "fuzz-corpus")
CONFIGS = os.path.join(ROOT, "configs")
NUMBER = re.compile(rb"(?<=[=\[, ])-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?=[\s,\]}])")
REPLACEMENTS = [b"nan", b"inf", b"-inf", b"-1", b"1e308", b"-1e308", b"0", b"0.0"]
NON_FINITE = re.compile(rb"(?<![A-Za-z_])-?(nan|inf)(?![A-Za-z_])", re.IGNORECASE)


def mutate(text: bytes, rng: random.Random) -> tuple[bytes, str]:
    if not text:  # an earlier mutation truncated it all
        return b"=", "empty file given one byte"
    kind = rng.choice(["number", "number", "number", "flip", "truncate", "duplicate"])
    if kind == "number":
        spots = list(NUMBER.finditer(text))
        if spots:
            m = rng.choice(spots)
            new = rng.choice(REPLACEMENTS)
            return text[:m.start()] + new + text[m.end():], f"number at byte {m.start()} -> {new.decode()}"
        kind = "flip"
    if kind == "flip":
        at = rng.randrange(len(text))
        byte = text[at] ^ (1 << rng.randrange(8))
        return text[:at] + bytes([byte]) + text[at + 1:], f"bit flip at byte {at}"
    if kind == "truncate":
        at = rng.randrange(len(text))
        return text[:at], f"truncated to {at} bytes"
    lines = text.split(b"\n")
    at = rng.randrange(len(lines))
    return b"\n".join(lines[:at + 1] + lines[at:]), f"line {at + 1} duplicated"


def non_finite_value(out: str) -> str:
    """The first value in the reports that is not a finite number, or ''. Names
    (a mutated site name may read "nan") are not values."""
    for name in ("percentiles.csv", "sites.csv"):
        with open(os.path.join(out, name), newline="") as f:
            for row in csv.DictReader(f):
                if not math.isfinite(float(row["value"])):
                    return f"{name} holds {row['value']} ({row})"
    with open(os.path.join(out, "summary.json")) as f:
        stack = [json.load(f)]  # nlohmann writes NaN and infinities as null
    while stack:
        x = stack.pop()
        if isinstance(x, dict):
            stack.extend(x.values())
        elif isinstance(x, list):
            stack.extend(x)
        elif x is None or (isinstance(x, float) and not math.isfinite(x)):
            return f"summary.json holds {x}"
    with open(os.path.join(out, "headline.md"), "rb") as f:
        for line in f:
            cells = line.split(b"|")[2:]  # after the player's name
            for cell in cells:
                if NON_FINITE.search(cell):
                    return f"headline.md holds {cell.strip().decode(errors='replace')}"
    return ""


def run_case(binary: str, config: str, work: str) -> tuple[str, str]:
    """Runs config with reports to work/out. Returns (outcome, detail), outcome
    'ok', 'refused' or 'FAIL'; a refusal must name the config's folder."""
    out = os.path.join(work, "out")
    shutil.rmtree(out, ignore_errors=True)
    p, failed = sanitized_run([binary, "run", config, "--paths", "64", "--threads", "1", "--progress", "none", "--out", out])
    if p is None:
        return "FAIL", failed
    err = p.stderr
    if p.returncode == 0:
        for name in ("percentiles.csv", "sites.csv", "headline.md", "summary.json"):
            if not os.path.exists(os.path.join(out, name)):
                return "FAIL", f"exit 0 but {name} was not written"
        bad = non_finite_value(out)
        if bad:
            return "FAIL", f"exit 0 but {bad}"
        return "ok", "exit 0, finite reports"
    if p.returncode == 2:
        message = err.decode(errors="replace").strip().splitlines()
        last = message[-1] if message else ""
        if not last.startswith("error: ") or os.path.dirname(config) not in last:
            return "FAIL", f"exit 2 without a message naming the config file: {last!r}"
        if os.path.exists(out) and os.listdir(out):
            return "FAIL", f"exit 2 but {out} holds {os.listdir(out)}"
        return "refused", last
    return "FAIL", f"exit {p.returncode}:\n{err.decode(errors='replace')[-3000:]}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("binary")
    ap.add_argument("--seconds", type=float, default=180.0, help="time for mutants after the corpus (default 180)")
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--keep", help="folder for failing cases (default: a temporary folder)")
    args = ap.parse_args()
    if not os.access(args.binary, os.X_OK):
        print(f"fuzz-engine: {args.binary}: not an executable", file=sys.stderr)
        return 2

    work = tempfile.mkdtemp(prefix="buildout-fuzz-")
    keep = args.keep or os.path.join(work, "failures")
    os.makedirs(keep, exist_ok=True)
    counts = {"ok": 0, "refused": 0, "FAIL": 0}
    failures = []

    def record(name: str, outcome: str, detail: str, text: bytes) -> None:
        counts[outcome] += 1
        if outcome == "FAIL":
            kept = os.path.join(keep, f"case-{len(failures) + 1}.toml")
            with open(kept, "wb") as f:
                f.write(text)
            failures.append(f"{name}: {detail}\n  (kept as {kept})")

    # The corpus: each file as it is, in place, since its `extends` is relative to it.
    corpus = sorted(f for f in os.listdir(CORPUS) if f.endswith(".toml"))
    for name in corpus:
        path = os.path.join(CORPUS, name)
        outcome, detail = run_case(args.binary, path, work)
        with open(path, "rb") as f:
            record(f"corpus/{name}", outcome, detail, f.read())

    # Mutants: each stress config beside an intact base.toml that it extends.
    seeds = {}
    for name in sorted(os.listdir(CONFIGS)):
        if name.endswith(".toml"):
            with open(os.path.join(CONFIGS, name), "rb") as f:
                seeds[name] = f.read()
    shutil.copy(os.path.join(CONFIGS, "base.toml"), os.path.join(work, "base.toml"))
    mutant_path = os.path.join(work, "mutant.toml")
    rng = random.Random(args.seed)
    deadline = time.monotonic() + args.seconds
    mutants = 0
    while time.monotonic() < deadline:
        name = rng.choice(sorted(seeds))
        text, how = seeds[name], []
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            text, what = mutate(text, rng)
            how.append(what)
        with open(mutant_path, "wb") as f:
            f.write(text)
        outcome, detail = run_case(args.binary, mutant_path, work)
        mutants += 1
        record(f"mutant {mutants} of {name} ({'; '.join(how)})", outcome, detail, text)

    total = sum(counts.values())
    print(f"fuzz-engine: {total} cases ({len(corpus)} from the corpus, {mutants} mutants, seed {args.seed}): "
          f"{counts['ok']} exit 0 with finite reports, {counts['refused']} exit 2 naming the file, {counts['FAIL']} failed")
    for f in failures:
        print("FAIL " + f)
    if not failures:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Fuzzes the engine's command line and its checkpoints, end to end.

Usage: fuzz-flags.py BINARY [--seconds S] [--seed N]

BINARY is best the sanitized build (build/buildout_sanitized: AddressSanitizer
and UBSan, any report aborts). First every line of tests/fuzz-corpus/flags.txt
is replayed (the reproducers of bad flags), then for S seconds, in an order
fixed by the seed, half the time:
  - flags: `run` with one to three flags set to hostile values (negative,
    past 2^64, empty, not a number, a device or a FIFO as a path);
  - checkpoints: a checkpoint of a short run with bytes changed, cut or added
    and its FNV-1a checksum made again, resumed.
Each case must end in one of two ways:
  - exit 0, with every report written;
  - exit 2, with a one-line reason, and no report written.
Anything else fails: another exit code (1, a signal, 134 from an abort), a
sanitizer report, a hang (60 s). The exit code is 1 if any case failed.
"""
import argparse
import os
import random
import shutil
import struct
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sanitized_run import sanitized_run  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "tests", "fuzz-corpus", "flags.txt")
MAGIC = b"BUILDOUT-CHECKPOINT\n"
NUMBERS = ["-1", "0", "1", "3", "-0", "18446744073709551615", "18446744073709551616", "99999999999999999999999",
           "9223372036854775807", "9223372036854775808", "1099511627776", "1099511627777", "1e308", "nan", "inf", "",
           "abc", "0x10", " 5", "5 ", "+5", "4294967297", "65536", "40000"]
FLAGS = {
    "--paths": NUMBERS, "--seed": NUMBERS, "--threads": NUMBERS, "--batch": NUMBERS,
    "--max-memory": NUMBERS + ["8G", "-5G", "16777216T", "1K", "8Q", "G"],
    "--checkpoint-every": NUMBERS + ["0.5", "-5"],
    "--target-se": NUMBERS + ["0.01"], "--target-stat": ["bogus", "p_npv_positive", "npv_usd_b"],
    "--percentiles": ["exact", "streaming", "auto", "sketch", ""], "--sampler": ["sobol", "philox", "x"],
    "--device": ["cpu", "gpu", ""], "--progress": ["log", "bar", "sometimes"],
    "--checkpoint": ["/dev/null", "{work}/fifo", "{work}/no/such/ck", "{work}", "{work}/ck"],
    "--resume": ["/dev/zero", "{work}/fifo", "{work}", "{work}/missing"],
    "--out": ["/dev/null", "{work}/fifo", "{work}/file"],
}


def fnv1a64(data: bytes) -> int:
    h = 1469598103934665603
    for b in data:
        h = ((h ^ b) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    return h


def run(binary: str, args: list[str], out: str) -> tuple[str, str]:
    """Runs buildout with args writing to out. Returns (outcome, detail): 'ok', 'refused' or 'FAIL'."""
    shutil.rmtree(out, ignore_errors=True)
    if "--out" not in args:
        args = args + ["--out", out]
    p, failed = sanitized_run([binary] + args)
    if p is None:
        return "FAIL", failed
    err = p.stderr
    if p.returncode == 0:
        return "ok", "exit 0"
    if p.returncode == 2:
        lines = err.decode(errors="replace").strip().splitlines()
        if not lines:
            return "FAIL", "exit 2 without a reason"
        if os.path.isdir(out) and any(not n.startswith(".") for n in os.listdir(out)):
            return "FAIL", f"exit 2 but {out} holds {os.listdir(out)}"
        return "refused", lines[-1] if lines[-1].startswith("error") else lines[0]
    return "FAIL", f"exit {p.returncode}:\n{err.decode(errors='replace')[-3000:]}"


def forge(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """The checkpoint with bytes changed, cut or added, its checksum made again."""
    body = data[:-8]
    kind = rng.choice(["flip", "flip", "flip", "word", "truncate", "extend", "zero"])
    if kind == "flip":
        at = rng.randrange(len(MAGIC), len(body))
        body = body[:at] + bytes([body[at] ^ (1 << rng.randrange(8))]) + body[at + 1:]
        how = f"bit flip at byte {at}"
    elif kind == "word":  # a count or a length set to something large
        at = rng.randrange(len(MAGIC), len(body) - 8)
        value = rng.choice([0, 1, 2**32, 2**62, 2**64 - 1, rng.randrange(2**64)])
        body = body[:at] + struct.pack("<Q", value) + body[at + 8:]
        how = f"8 bytes at {at} set to {value}"
    elif kind == "truncate":
        at = rng.randrange(len(MAGIC), len(body))
        body = body[:at]
        how = f"cut to {at} bytes"
    elif kind == "extend":
        n = rng.choice([1, 8, 1000])
        body = body + bytes(rng.randrange(256) for _ in range(n))
        how = f"{n} bytes added"
    else:
        at = rng.randrange(len(MAGIC), len(body))
        n = min(len(body) - at, rng.choice([8, 64, 4096]))
        body = body[:at] + bytes(n) + body[at + n:]
        how = f"{n} bytes zeroed at {at}"
    return body + struct.pack("<Q", fnv1a64(body)), how


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("binary")
    ap.add_argument("--seconds", type=float, default=120.0, help="time for generated cases after the corpus (default 120)")
    ap.add_argument("--seed", type=int, default=31)
    args = ap.parse_args()
    if not os.access(args.binary, os.X_OK):
        print(f"fuzz-flags: {args.binary}: not an executable", file=sys.stderr)
        return 2
    work = tempfile.mkdtemp(prefix="buildout-fuzz-flags-")
    os.mkfifo(os.path.join(work, "fifo"))
    with open(os.path.join(work, "file"), "w") as f:
        f.write("a file where a folder should be\n")
    out = os.path.join(work, "out")
    counts = {"flags": {"ok": 0, "refused": 0, "FAIL": 0}, "checkpoints": {"ok": 0, "refused": 0, "FAIL": 0}}
    failures = []

    def record(kind: str, name: str, outcome: str, detail: str) -> None:
        counts[kind][outcome] += 1
        if outcome == "FAIL":
            failures.append(f"{name}: {detail}")

    base = ["run", "--paths", "64", "--threads", "1", "--progress", "none"]
    with open(CORPUS) as f:
        corpus = [line.split() for line in f if line.strip() and not line.startswith("#")]
    for flags in corpus:
        flags = [x.replace("{work}", work) for x in flags]
        outcome, detail = run(args.binary, base + flags, out)
        record("flags", "corpus: " + " ".join(flags), outcome, detail)

    # A checkpoint to forge: every batch's state, the last one kept (pass 3 of 3).
    ck = os.path.join(work, "ck")
    outcome, detail = run(args.binary, ["run", "--paths", "300", "--batch", "100", "--threads", "1", "--progress", "none",
                                        "--checkpoint", ck, "--checkpoint-every", "0"], out)
    if outcome != "ok":
        print(f"fuzz-flags: the checkpoint to forge was not written: {detail}", file=sys.stderr)
        return 1
    with open(ck, "rb") as f:
        checkpoint = f.read()
    forged = os.path.join(work, "forged")

    rng = random.Random(args.seed)
    deadline = time.monotonic() + args.seconds
    while time.monotonic() < deadline:
        if rng.random() < 0.5:
            flags = []
            for name in rng.sample(sorted(FLAGS), rng.choice([1, 1, 2, 3])):
                flags += [name, rng.choice(FLAGS[name]).replace("{work}", work)]
            outcome, detail = run(args.binary, base + flags, out)
            record("flags", " ".join(repr(x) for x in flags), outcome, detail)
        else:
            data, how = forge(checkpoint, rng)
            with open(forged, "wb") as f:
                f.write(data)
            outcome, detail = run(args.binary, ["run", "--paths", "300", "--batch", "100", "--threads", "1", "--progress", "none",
                                                "--resume", forged], out)
            record("checkpoints", f"checkpoint with {how}", outcome, detail)

    for kind, c in counts.items():
        print(f"fuzz-flags: {kind}: {sum(c.values())} cases: {c['ok']} exit 0, {c['refused']} exit 2 with a reason, {c['FAIL']} failed")
    for f in failures:
        print("FAIL " + f)
    shutil.rmtree(work, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

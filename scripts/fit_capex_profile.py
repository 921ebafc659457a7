#!/usr/bin/env python3
"""Fits the within-year profile of reported capex to 2023-2024 and tests it on 2025.

A year's capex C is spent by quarter q = 1..4 in shares s_q = (1 + g (q - 2.5)) / 4, which sum to
1 whatever g: g is the year's ramp (g = 0 spends evenly; Q4 over Q1 is (1 + 1.5 g) / (1 - 1.5 g)).
Each player-year's g is its least-squares fit to its shares, g = sum (4 s_q - 1)(q - 2.5) / 5, and
the profile's draw is g ~ Normal(mean, sd) over the calibration years, with the shares' residual
around the ramp beside it. The years after the calibration are out of sample: each of their
quarters' shares is placed in the fitted distribution (P10-P90 inside or not).

Usage: fit_capex_profile.py [--data CSV] [--calibrate 2023,2024] [--test 2025]
Prints Markdown (docs/VALIDATION.md quotes it).
"""
import argparse
import csv
import math
import statistics
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
Z90 = 1.2815515655446004  # Phi^-1(0.9)


def read_quarters(path):
    capex = defaultdict(dict)  # (player, year) -> {quarter: usd_b}
    with open(path, newline="") as f:
        for row in csv.DictReader(line for line in f if not line.startswith("#")):
            year, q = int(row["quarter"][:4]), int(row["quarter"][5])
            capex[(row["player"], year)][q] = float(row["usd_b"])
    return {k: v for k, v in capex.items() if len(v) == 4}  # whole years only


def ramp(shares):
    return sum((4 * shares[q] - 1) * (q - 2.5) for q in range(1, 5)) / 5


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(ROOT / "validation" / "quarterly-capex.csv"))
    ap.add_argument("--calibrate", default="2023,2024")
    ap.add_argument("--test", default="2025")
    args = ap.parse_args()
    calibrate = {int(y) for y in args.calibrate.split(",")}
    test = {int(y) for y in args.test.split(",")}
    years = read_quarters(args.data)
    shares = {k: {q: v[q] / sum(v.values()) for q in v} for k, v in years.items()}

    fit = [(k, ramp(s)) for k, s in sorted(shares.items()) if k[1] in calibrate]
    if len(fit) < 2:
        print("fit_capex_profile: fewer than two whole calibration years", file=sys.stderr)
        return 2
    gs = [g for _, g in fit]
    mean, sd = statistics.mean(gs), statistics.stdev(gs)
    residuals = [shares[k][q] - (1 + g * (q - 2.5)) / 4 for k, g in fit for q in range(1, 5)]
    noise = math.sqrt(sum(r * r for r in residuals) / (len(residuals) - len(fit)))

    print(f"Within-year ramp g fitted to {len(fit)} player-years of {args.calibrate} (validation/quarterly-capex.csv):\n")
    print("| player-year | Q1 | Q2 | Q3 | Q4 | g |")
    print("|---|---:|---:|---:|---:|---:|")
    for k, g in fit:
        s = shares[k]
        print(f"| {k[0]} {k[1]} | " + " | ".join(f"{100 * s[q]:.1f}%" for q in range(1, 5)) + f" | {g:.3f} |")
    print(f"\ng: mean {mean:.3f}, sd {sd:.3f} (standard error of the mean {sd / math.sqrt(len(gs)):.3f}); "
          f"the shares' residual around the ramp: sd {100 * noise:.2f} points.\n")

    # Out of sample: a quarter's share is (1 + g (q - 2.5)) / 4 + e, g and e normal and independent.
    print(f"Out of sample ({args.test}): each quarter's share against the fitted P10-P90.\n")
    print("| player-year | quarter | share | P10 | P90 | inside |")
    print("|---|---|---:|---:|---:|---|")
    inside = total = 0
    for k, s in sorted(shares.items()):
        if k[1] not in test:
            continue
        for q in range(1, 5):
            centre = (1 + mean * (q - 2.5)) / 4
            spread = math.sqrt((sd * (q - 2.5) / 4) ** 2 + noise ** 2)
            lo, hi = centre - Z90 * spread, centre + Z90 * spread
            ok = lo <= s[q] <= hi
            inside += ok
            total += 1
            print(f"| {k[0]} {k[1]} | Q{q} | {100 * s[q]:.1f}% | {100 * lo:.1f}% | {100 * hi:.1f}% | {'yes' if ok else 'no'} |")
    print(f"\n{inside} of {total} player-quarters inside P10-P90 ({100 * inside / max(total, 1):.0f}%; target at least 80%).")
    return 0


if __name__ == "__main__":
    sys.exit(main())

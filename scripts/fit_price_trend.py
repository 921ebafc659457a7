#!/usr/bin/env python3
"""Fits the market's GPU-hour price trend to the sourced price points.

log price = a_series + b x years from the valuation date (each point at mid-month),
by least squares: one level per series, one trend b for all. The H100 market series
gives the level P0 at the valuation date (per H100-equivalent hour). Standard errors
come from the residuals.

Usage: fit_price_trend.py [--points CSV] [--valuation YYYY-MM] [--check CONFIG]
Prints the fit as Markdown (docs/VALIDATION.md quotes it). With --check it also holds
CONFIG's [market] to the fit and exits 1 where it strays:
  - the median of price_p0_usd_per_hour within 2 standard errors of the fitted P0;
  - the mean yearly trend, E[elasticity] E[demand_growth] - E[price_decline], within
    2 standard errors of the fitted b (the model's price at planned supply).
"""
import argparse
import csv
import math
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from numpy_peer import load, mean_of, month_index  # noqa: E402  the engine's `extends` rule, draw means, months

LEVEL_SERIES = "h100_market"


def read_points(path):
    with open(path, newline="") as f:
        rows = [r for r in csv.DictReader(line for line in f if not line.startswith("#"))]
    return [(r["date"], r["series"], float(r["usd_per_hour"]), r["source"]) for r in rows]


def fit(points, valuation):
    series = sorted({s for _, s, _, _ in points}, key=lambda s: (s != LEVEL_SERIES, s))
    t = np.array([(month_index(d) - month_index(valuation) + 0.5) / 12 for d, _, _, _ in points])
    y = np.log([p for _, _, p, _ in points])
    X = np.zeros((len(points), len(series) + 1))
    for i, (_, s, _, _) in enumerate(points):
        X[i, series.index(s)] = 1.0
    X[:, -1] = t
    coef, _, rank, _ = np.linalg.lstsq(X, y, rcond=None)
    dof = len(points) - rank
    if dof < 1:
        raise SystemExit("fit_price_trend: no degrees of freedom left for the standard errors")
    resid = y - X @ coef
    s2 = float(resid @ resid) / dof
    cov = s2 * np.linalg.inv(X.T @ X)
    return {"series": series, "coef": coef, "se": np.sqrt(np.diag(cov)), "sigma": math.sqrt(s2), "dof": dof,
            "resid": resid, "t": t}


def lognormal_params(spec):
    if "median" in spec:
        mu = math.log(spec["median"])
        return mu, (math.log(spec["p90"]) - mu) / 1.2815515655446004
    return spec["mu"], spec["sigma"]


def dist_median(spec):
    if isinstance(spec, dict) and spec["dist"] == "lognormal":
        return math.exp(lognormal_params(spec)[0])
    if isinstance(spec, dict) and spec["dist"] == "triangular":
        a, c, b = spec["min"], spec["mode"], spec["max"]
        return a + math.sqrt((b - a) * (c - a) / 2) if c - a >= (b - a) / 2 else b - math.sqrt((b - a) * (b - c) / 2)
    return mean_of(spec)


def main():
    here = Path(__file__).resolve().parent
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--points", default=str(here.parent / "validation" / "price-points.csv"))
    ap.add_argument("--valuation", default="2025-01")
    ap.add_argument("--check", metavar="CONFIG")
    args = ap.parse_args()
    points = read_points(args.points)
    f = fit(points, args.valuation)
    level = f["series"].index(LEVEL_SERIES)
    a, se_a = f["coef"][level], f["se"][level]
    b, se_b = f["coef"][-1], f["se"][-1]
    print(f"Price trend fitted to {len(points)} points in {len(f['series'])} series ({args.points}), valuation {args.valuation}:\n")
    print("| parameter | estimate | standard error |\n|---|---:|---:|")
    print(f"| P0, $ per H100-eq hour at {args.valuation} | {math.exp(a):.3f} | x/÷ {math.exp(se_a):.3f} |")
    print(f"| trend b, log price per year | {b:+.4f} | {se_b:.4f} |")
    print(f"| residual sd (log), {f['dof']} degrees of freedom | {f['sigma']:.4f} | |")
    print("\n| date | series | $/h | fitted | residual (log) |\n|---|---|---:|---:|---:|")
    for (d, s, p, _), r in zip(points, f["resid"]):
        print(f"| {d} | {s} | {p:.2f} | {p / math.exp(r):.2f} | {r:+.3f} |")
    if not args.check:
        return
    mk = load(args.check)["market"]
    p0 = dist_median(mk["price_p0_usd_per_hour"])
    trend = mean_of(mk["elasticity"]) * mean_of(mk["demand_growth_per_year"]) - mean_of(mk["price_decline_per_year"])
    z_p0 = (math.log(p0) - a) / se_a
    z_b = (trend - b) / se_b
    spec = mk["price_p0_usd_per_hour"]
    spread = lognormal_params(spec)[1] if isinstance(spec, dict) and spec["dist"] == "lognormal" else None
    print(f"\n{args.check}: P0 median {p0:.3f} (z {z_p0:+.2f}), mean trend {trend:+.4f} (z {z_b:+.2f}); within 2 standard errors each")
    ok = abs(z_p0) <= 2 and abs(z_b) <= 2
    if spread is not None:  # a lognormal P0 carries at least the fit's own uncertainty
        print(f"P0 log sd {spread:.4f}, at least the fit's standard error {se_a:.4f}")
        ok = ok and spread >= se_a
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

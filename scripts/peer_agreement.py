#!/usr/bin/env python3
"""Holds the engine's key statistics against the NumPy peer's, within 4 standard errors.

Usage: peer_agreement.py ENGINE_OUT_DIR PEER_DUMP.npz
ENGINE_OUT_DIR holds a run's percentiles.csv, sites.csv and summary.json; the dump
comes from numpy_peer.py --dump. The two use different random numbers, so they
agree in distribution, not path by path. Every check is made in probability space:
for an engine quantile q at level p, the peer's share of paths at or below q must be p
within 4 * sqrt(p (1 - p) (1/n_engine + 1/n_peer)) (where the peer has an atom at q, any
share between those below q and those at or below it is p's); for P(NPV > 0) the two shares must
differ by less than 4 * sqrt(p (1 - p) (1/n_engine + 1/n_peer)).
Exits 1 if any statistic disagrees.
"""
import csv
import json
import sys
from pathlib import Path

import numpy as np


def main():
    out, dump = Path(sys.argv[1]), np.load(sys.argv[2])
    n_e = json.loads((out / "summary.json").read_text())["run"]["paths"]
    npv, ready, irr = dump["npv"], dump["ready"], dump["irr"]
    n_p = npv.shape[1]
    players, sites = list(dump["players"]), list(dump["sites"])
    pct = {(r["player"], r["metric"], r["statistic"]): float(r["value"]) for r in csv.DictReader(open(out / "percentiles.csv"))}
    site_rows = {(r["site"], r["metric"], r["statistic"]): float(r["value"]) for r in csv.DictReader(open(out / "sites.csv"))}
    rows, failed = [], 0
    # The capex windows' columns, in the engine's order (the peer dumps them in [report] order).
    windows = list(dict.fromkeys(r[1] for r in pct if r[1].startswith("capex_") and r[1] != "capex_usd_b" and r[1].endswith("_usd_b")))
    release_windows = list(dict.fromkeys(r[1] for r in pct if r[1].startswith("last_release_")))
    # Cumulative cash columns in month order (the peer dumps every one); checked at the end of
    # each year after the data date's, where the fan chart spreads.
    cash = sorted(dict.fromkeys(r[1] for r in pct if r[1].startswith("cash_") and r[1].endswith("_usd_b")))

    def record(name, engine_value, peer_value, ok):
        nonlocal failed
        failed += not ok
        rows.append(f"{name:38s} engine {engine_value:10.4f}  peer {peer_value:10.4f}  {'ok' if ok else 'DISAGREE'}")

    def share_at(values, q, level):
        """The peer's share of paths at or below q, read as level where an atom at q spans it."""
        below, at_or_below = float((values < q).mean()), float((values <= q).mean())
        return min(max(level, below), at_or_below)

    def check(name, engine_value, p, peer_share, peer_value):
        nonlocal failed
        tol = 4 * np.sqrt(max(p * (1 - p), 1e-12) * (1 / n_e + 1 / n_p))
        z = (peer_share - p) / (tol / 4)
        ok = abs(peer_share - p) <= tol
        failed += not ok
        rows.append(f"{name:38s} engine {engine_value:10.4f}  peer {peer_value:10.4f}  z {z:+6.2f}  {'ok' if ok else 'DISAGREE'}")

    for i, pid in enumerate(players):
        p_e = pct[(pid, "p_npv_positive", "estimate")]
        p_p = float((npv[i] > 0).mean())
        check(f"{pid} P(NPV > 0)", p_e, p_e, p_p, p_p)
        for level in (10, 50, 90):
            q = pct[(pid, "npv_usd_b", f"p{level}")]
            check(f"{pid} NPV P{level} ($B)", q, level / 100, share_at(npv[i], q, level / 100), float(np.percentile(npv[i], level)))
        q = pct[(pid, "irr", "p50")]
        check(f"{pid} IRR P50", q, 0.5, share_at(irr[i], q, 0.5), float(np.percentile(irr[i], 50)))
        q = pct[(pid, "required_revenue_usd_b", "p50")]
        req = dump["required"][i]
        check(f"{pid} required revenue P50 ($B/yr)", q, 0.5, share_at(req, q, 0.5), float(np.percentile(req, 50)))
        p_e = pct[(pid, "p_revenue_above_required", "estimate")]
        p_p = float(dump["above_required"][i].mean())
        check(f"{pid} P(revenue >= required)", p_e, p_e, p_p, p_p)
        p_e = pct[(pid, "p_revenue_capped", "estimate")]
        if p_e > 0 or dump["capped"][i].any():  # a player with a customer ceiling that binds somewhere
            p_p = float(dump["capped"][i].mean())
            check(f"{pid} P(revenue capped)", p_e, p_e, p_p, p_p)
            q = pct[(pid, "revenue_over_ceiling_usd_b", "p90")]
            values = dump["over_ceiling"][i]
            check(f"{pid} revenue over ceiling P90 ($B)", q, 0.9, share_at(values, q, 0.9), float(np.percentile(values, 90)))
        for w, metric in enumerate(windows):
            values = dump["capex_windows"][w, i]
            q = pct[(pid, metric, "p50")]
            if pct[(pid, metric, "sd")] == 0:  # an actual: both must give the books' figure
                nonlocal_fail = abs(float(values.mean()) - q) > 1e-6 * max(1.0, abs(q)) or float(values.std()) > 1e-6 * max(1.0, abs(q))
                record(f"{pid} {metric} (an actual)", q, float(values.mean()), not nonlocal_fail)
                continue
            check(f"{pid} {metric} P50", q, 0.5, share_at(values, q, 0.5), float(np.percentile(values, 50)))
        for w, metric in enumerate(release_windows):
            values = dump["last_release"][w, i]
            q = pct[(pid, metric, "p50")]
            if pct[(pid, metric, "sd")] == 0:  # reported: both must give its month
                record(f"{pid} {metric} (reported)", q, float(values.mean()), bool((values == q).all()))
                continue
            check(f"{pid} {metric} P50", q, 0.5, share_at(values, q, 0.5), float(np.percentile(values, 50)))
        for k, metric in enumerate(cash):
            if not metric.endswith("_12_usd_b") or metric < "cash_2026":
                continue
            values = dump["cash"][k, i]
            q = pct[(pid, metric, "p50")]
            check(f"{pid} {metric} P50", q, 0.5, share_at(values, q, 0.5), float(np.percentile(values, 50)))
    for i, sid in enumerate(sites):
        q = site_rows[(sid, "ready_month", "p50")]
        if site_rows[(sid, "ready_month", "p1")] == site_rows[(sid, "ready_month", "p99")]:  # reported online: both give its date
            record(f"{sid} ready (an actual)", q, float(ready[i].mean()), bool((ready[i] == q).all()))
            continue
        check(f"{sid} ready P50 (month)", q, 0.5, share_at(ready[i], q, 0.5), float(np.percentile(ready[i], 50)))
    print(f"engine {n_e} paths, peer {n_p} paths; tolerance 4 standard errors")
    print("\n".join(rows))
    print(f"agreement: {len(rows) - failed} of {len(rows)} statistics within 4 standard errors")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

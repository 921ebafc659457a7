#!/usr/bin/env python3
"""Charts and a self-contained report.html from a results folder (Debian's python3-matplotlib).

Usage: scripts/report.sh RESULTS_DIR [--sensitivity DIR] [--out DIR]

Reads summary.json, percentiles.csv, sites.csv and headline.md of `buildout run`, and tornado.csv
of `buildout sensitivity` (from RESULTS_DIR or --sensitivity). The run's files must be the set
its run.manifest lists (refused otherwise: a folder that mixes two runs' reports). Writes, each as PNG and SVG:
npv_s_curves, cash_fan, site_ready, criticality and (with a tornado) tornado, then report.html
with the PNGs embedded, into --out (default RESULTS_DIR/charts). Every file is written under a
temporary name and renamed into place. The charts use greys, line styles and hatches only, so
they read in greyscale.
"""
import argparse
import base64
import csv
import hashlib
import html
import json
import math
import os
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

LEVELS = [1, 5, 10, 25, 50, 75, 80, 90, 95, 99]
GREYS = {"dark": "0.15", "mid": "0.45", "light": "0.75", "band": "0.85"}


class ReportError(Exception):
    pass


def read_csv(path):
    try:
        with open(path, newline="") as f:
            return list(csv.DictReader(f))
    except OSError as e:
        raise ReportError(f"{path}: cannot read ({e.strerror})")


def month_date(valuation, month):
    """The (fractional) months from the valuation date as a year with a fraction, for axes."""
    year, mon = (int(x) for x in valuation.split("-"))
    return year + (mon - 1) / 12 + month / 12


def month_axis(ax):
    """Label an axis of fractional years with the months they fall in (YYYY-MM), a few ticks apart."""
    def label(x, _):
        year = math.floor(x + 1e-9)
        return f"{year}-{min(12, math.floor((x - year) * 12 + 1e-6) + 1):02d}"
    ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
    ax.xaxis.set_major_formatter(FuncFormatter(label))
    ax.tick_params(axis="x", labelsize=7)


def grid(n, width=4.2, height=3.0):
    cols = min(3, max(1, n))
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(width * cols, height * rows), squeeze=False)
    for ax in axes.flat[n:]:
        ax.axis("off")
    return fig, list(axes.flat[:n])


def replace_file(final, write):
    """Writes through a new temporary file beside `final` (created exclusively under an
    unpredictable name, never through a planted link) renamed over it; a device, folder or link
    at `final` is refused, not replaced."""
    if final.is_symlink() or (final.exists() and not final.is_file()):
        raise ReportError(f"{final}: exists and is not a regular file: refusing to replace it")
    try:
        fd, tmp = tempfile.mkstemp(dir=final.parent, prefix=f".{final.name}.tmp-")
    except OSError as e:
        raise ReportError(f"{final}: cannot create a temporary file beside it ({e.strerror})")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, final)
    except OSError as e:
        os.unlink(tmp)
        raise ReportError(f"{final}: cannot write ({e.strerror})")
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def save(fig, out, name, written):
    fig.tight_layout()
    for ext in ("png", "svg"):
        final = out / f"{name}.{ext}"
        replace_file(final, lambda f: fig.savefig(f, format=ext, dpi=110))
        written.append(final)
    plt.close(fig)


def npv_s_curves(players, pct, out, written):
    fig, axes = grid(len(players))
    for ax, p in zip(axes, players):
        pid = p["id"]
        xs = [pct[(pid, "npv_usd_b", f"p{level}")] for level in LEVELS]
        ax.plot(xs, [level / 100 for level in LEVELS], color=GREYS["dark"], marker="o", markersize=3, linewidth=1.5)
        prob = p["probabilities"]["p_npv_positive"]
        below, lo, hi = 1 - prob["estimate"], 1 - prob["wilson_hi"], 1 - prob["wilson_lo"]
        ax.axvline(0, color=GREYS["mid"], linestyle="--", linewidth=1)
        ax.errorbar([0], [below], yerr=[[below - lo], [hi - below]], fmt="s", color="black", markersize=5, capsize=4)
        ax.set_title(f"{p['name']}\nP(NPV > 0) = {100 * prob['estimate']:.1f}% [{100 * prob['wilson_lo']:.1f}, {100 * prob['wilson_hi']:.1f}]",
                     fontsize=9)
        ax.set_xlabel("NPV ($B)")
        ax.set_ylabel("P(NPV ≤ x)")
        ax.set_ylim(0, 1)
        ax.grid(True, color=GREYS["band"], linewidth=0.5)
    save(fig, out, "npv_s_curves", written)


def cash_fan(players, pct, columns, valuation, out, written):
    if not columns:
        return False
    fig, axes = grid(len(players))
    for ax, p in zip(axes, players):
        pid = p["id"]
        xs = [month_date(valuation, m + 1) for m, _ in columns]
        band = {level: [pct[(pid, name, f"p{level}")] for _, name in columns] for level in (10, 50, 90)}
        ax.fill_between(xs, band[10], band[90], color=GREYS["band"], label="P10-P90")
        ax.plot(xs, band[10], color=GREYS["mid"], linestyle=":", linewidth=1)
        ax.plot(xs, band[90], color=GREYS["mid"], linestyle=":", linewidth=1)
        ax.plot(xs, band[50], color=GREYS["dark"], linewidth=1.8, label="P50")
        ax.axhline(0, color="black", linewidth=0.8, linestyle="--")
        ax.set_title(p["name"], fontsize=9)
        ax.set_xlabel("year (end of month)")
        ax.set_ylabel("cumulative net cash ($B)")
        ax.legend(fontsize=7, loc="lower left")
        ax.grid(True, color=GREYS["band"], linewidth=0.5)
    save(fig, out, "cash_fan", written)
    return True


def site_ready(sites, valuation, out, written):
    rows = [s for s in sites if s["p1"] != s["p99"]]  # reported online: a date, not a distribution
    if not rows:
        return False
    fig, axes = grid(len(rows), width=3.8, height=2.7)
    for ax, s in zip(axes, rows):
        xs = [month_date(valuation, s[f"p{level}"]) for level in LEVELS]
        ax.plot(xs, [level / 100 for level in LEVELS], color=GREYS["dark"], marker="o", markersize=3, linewidth=1.5)
        plan = month_date(valuation, s["planned"])
        ax.axvline(plan, color=GREYS["mid"], linestyle="--", linewidth=1.2)
        ax.set_title(f"{s['id']} (plan: {100 * s['by_plan']:.0f}% by it)", fontsize=8)
        month_axis(ax)
        ax.set_xlabel("ready date (month)")
        ax.set_ylabel("P(ready by date)")
        ax.set_ylim(0, 1)
        ax.grid(True, color=GREYS["band"], linewidth=0.5)
    save(fig, out, "site_ready", written)
    return True


def criticality(crit, out, written, top=6):
    sites = [s for s in crit if any(v > 0 for _, v in crit[s])]
    if not sites:
        return False
    fig, axes = grid(len(sites), width=3.8, height=2.4)
    for ax, s in zip(axes, sites):
        items = sorted(crit[s], key=lambda kv: -kv[1])[:top][::-1]
        ax.barh([a for a, _ in items], [100 * v for _, v in items], color=GREYS["mid"], edgecolor="black", linewidth=0.5)
        ax.set_xlim(0, 100)
        ax.set_title(s, fontsize=9)
        ax.set_xlabel("criticality index (% of paths)")
        ax.tick_params(axis="y", labelsize=7)
    save(fig, out, "criticality", written)
    return True


def tornado(players, rows, out, written, top=8):
    if not rows:
        return False
    by_player = defaultdict(list)
    for r in rows:
        by_player[r["player"]].append(r)
    shown = [p for p in players if p["id"] in by_player]
    fig, axes = grid(len(shown), width=4.6, height=3.2)
    for ax, p in zip(axes, shown):
        bars = sorted(by_player[p["id"]], key=lambda r: -float(r["npv_p50_swing"]))[:top][::-1]
        base = float(bars[0]["npv_p50_base"]) if bars else 0.0
        names = [r["group"] for r in bars]
        low = [float(r["npv_p50_low"]) - base for r in bars]
        high = [float(r["npv_p50_high"]) - base for r in bars]
        ax.barh(names, low, left=base, color=GREYS["light"], edgecolor="black", hatch="//", linewidth=0.5, label="inputs at P10")
        ax.barh(names, high, left=base, color=GREYS["dark"], edgecolor="black", linewidth=0.5, label="inputs at P90")
        ax.axvline(base, color="black", linewidth=0.8)
        ax.set_title(f"{p['name']}: NPV P50 {base:.1f}", fontsize=9)
        ax.set_xlabel("NPV P50 ($B)")
        ax.tick_params(axis="y", labelsize=7)
        ax.legend(fontsize=6, loc="lower right")
    save(fig, out, "tornado", written)
    return True


CAPTIONS = {
    "npv_s_curves": "NPV S-curves per player: the share of paths at or below each NPV (percentiles P1-P99). The square at NPV = 0 is "
                    "P(NPV ≤ 0) with its 95% Wilson interval; P(NPV > 0) is in each title.",
    "cash_fan": "Cumulative net cash per player from the valuation date (undiscounted, book value not included): P50 line and P10-P90 "
                "band at each reported month end.",
    "site_ready": "Ready-date S-curves per schedule unit and phased site: P(ready by date), the plan dashed with the share of paths "
                  "ready by it.",
    "criticality": "Criticality: the share of paths on which each activity lies on a critical path to the ready date (top six per site).",
    "tornado": "Tornado: NPV P50 with each input group held at its inputs' P10 (hatched) and P90 (solid), the other inputs random on "
               "common random numbers; the line is NPV P50 with every input random.",
}


def markdown_html(text):
    """headline.md as HTML: its heading, paragraphs, bullet lists and pipe tables (all it uses)."""
    parts, lines = [], text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("|"):
            rows = []
            while i < len(lines) and lines[i].startswith("|"):
                cells = [c.strip() for c in lines[i].strip().strip("|").split("|")]
                if not all(set(c) <= set("-:") for c in cells):
                    rows.append(cells)
                i += 1
            head = "".join(f"<th>{html.escape(c)}</th>" for c in rows[0])
            body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rows[1:])
            parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
            continue
        if line.startswith("- "):
            items = []
            while i < len(lines) and lines[i].startswith("- "):
                items.append(f"<li>{html.escape(lines[i][2:])}</li>")
                i += 1
            parts.append("<ul>" + "".join(items) + "</ul>")
            continue
        if line.startswith("# "):
            parts.append(f"<h2>{html.escape(line[2:])}</h2>")
        elif line.strip():
            parts.append(f"<p>{html.escape(line)}</p>")
        i += 1
    return "\n".join(parts)


def write_html(out, info, headline, charts, written):
    parts = [
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Buildout report</title>",
        "<style>body{font-family:sans-serif;max-width:1300px;margin:2em auto;color:#111}figure{margin:2em 0}"
        "figcaption{font-size:0.9em;color:#333}img{max-width:100%;border:1px solid #ccc}pre{background:#f4f4f4;padding:1em;"
        "overflow-x:auto;font-size:0.8em}table{border-collapse:collapse;font-size:0.8em}th,td{border:1px solid #999;padding:0.25em 0.5em;"
        "text-align:right}th:first-child,td:first-child{text-align:left}</style></head><body>",
        "<h1>Buildout report</h1>",
        f"<p>{html.escape(info)}</p>",
        markdown_html(headline),
    ]
    for name in charts:
        data = base64.b64encode((out / f"{name}.png").read_bytes()).decode()
        parts.append(f"<figure><img alt=\"{html.escape(CAPTIONS[name])}\" src=\"data:image/png;base64,{data}\">"
                     f"<figcaption>{html.escape(CAPTIONS[name])} (<a href=\"{name}.svg\">SVG</a>)</figcaption></figure>")
    parts.append("</body></html>\n")
    replace_file(out / "report.html", lambda f: f.write("\n".join(parts).encode()))
    written.append(out / "report.html")


def check_set(folder, set_name, files):
    """The files are one set of the command's: each as its manifest lists it (sha256sum's format).
    A folder without the manifest is between two sets (a commit cut short, or an older buildout)."""
    manifest = folder / f"{set_name}.manifest"
    try:
        lines = manifest.read_text().splitlines()
    except OSError as e:
        raise ReportError(f"{manifest}: cannot read ({e.strerror}); the folder may hold a set being written: run buildout again")
    listed = {}
    for line in lines:
        if line and not line.startswith("#") and len(line) > 66 and line[64:66] == "  ":
            listed[line[66:]] = line[:64]
    for name in files:
        path = folder / name
        if name not in listed:
            raise ReportError(f"{manifest}: does not list {name}")
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError as e:
            raise ReportError(f"{path}: cannot read ({e.strerror})")
        if digest != listed[name]:
            raise ReportError(f"{path}: not the file {manifest.name} lists: the folder mixes two runs' reports")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results", type=Path)
    ap.add_argument("--sensitivity", type=Path, help="folder with tornado.csv (default: RESULTS_DIR)")
    ap.add_argument("--out", type=Path, help="folder for the charts and report.html (default: RESULTS_DIR/charts)")
    args = ap.parse_args()
    results = args.results
    try:
        check_set(results, "run", ["summary.json", "percentiles.csv", "sites.csv", "headline.md"])
        summary_path = results / "summary.json"
        try:
            summary = json.loads(summary_path.read_text())
        except (OSError, json.JSONDecodeError) as e:
            raise ReportError(f"{summary_path}: not a buildout summary.json ({e})")
        run, players = summary["run"], summary["players"]
        valuation = run["valuation"]
        pct = {(r["player"], r["metric"], r["statistic"]): float(r["value"]) for r in read_csv(results / "percentiles.csv")}
        # The cumulative cash columns in month order: cash_YYYY_MM_usd_b.
        names = sorted({m for (_, m, _) in pct if m.startswith("cash_") and m.endswith("_usd_b")})
        vy, vm = (int(x) for x in valuation.split("-"))
        columns = [((int(n[5:9]) - vy) * 12 + int(n[10:12]) - vm, n) for n in names]
        sites, crit = [], defaultdict(list)
        by_site = defaultdict(dict)
        for r in read_csv(results / "sites.csv"):
            if r["metric"] == "criticality_index":
                crit[r["site"]].append((r["activity"], float(r["value"])))
            elif r["metric"] in ("ready_month", "planned_ready_month", "p_ready_by_plan"):
                by_site[r["site"]][(r["metric"], r["statistic"])] = float(r["value"])
        for sid, v in by_site.items():
            sites.append({"id": sid, "planned": v[("planned_ready_month", "value")], "by_plan": v[("p_ready_by_plan", "estimate")],
                          **{f"p{level}": v[("ready_month", f"p{level}")] for level in LEVELS}})
        tornado_dir = args.sensitivity or results
        with_tornado = (tornado_dir / "tornado.csv").exists() or args.sensitivity
        if with_tornado:
            check_set(tornado_dir, "sensitivity", ["tornado.csv"])
        tornado_rows = read_csv(tornado_dir / "tornado.csv") if with_tornado else []
        out = args.out or results / "charts"
        out.mkdir(parents=True, exist_ok=True)
        written, charts = [], []
        npv_s_curves(players, pct, out, written)
        charts.append("npv_s_curves")
        if cash_fan(players, pct, columns, valuation, out, written):
            charts.append("cash_fan")
        if site_ready(sites, valuation, out, written):
            charts.append("site_ready")
        if criticality(crit, out, written):
            charts.append("criticality")
        if tornado(players, tornado_rows, out, written):
            charts.append("tornado")
        headline = (results / "headline.md").read_text() if (results / "headline.md").exists() else ""
        info = (f"Config {run['config']} ({run['config_hash']}), {run['paths']} paths, seed {run['seed']}, valuation {valuation}, "
                f"data date {run['data_date']}, horizon {run['horizon_months']} months; buildout {run['version']}.")
        write_html(out, info, headline, charts, written)
    except (ReportError, KeyError) as e:
        print(f"report: {e if isinstance(e, ReportError) else f'{results}: missing {e} (is it a buildout run folder?)'}", file=sys.stderr)
        sys.exit(2)
    for w in written:
        print(f"wrote {w}")


if __name__ == "__main__":
    main()

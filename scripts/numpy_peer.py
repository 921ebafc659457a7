#!/usr/bin/env python3
"""Buildout's model written the way an analyst would write it in NumPy.

The same model as the engine (docs/MODEL.md; conventions in docs/CONFIG.md),
read from the same TOML config, vectorised over paths in batches that bound memory,
with NumPy's own random numbers. It serves as the engine's speed opponent and as an
independent check of the model: the two must agree within Monte Carlo error.

Usage: numpy_peer.py CONFIG [--paths N] [--seed S] [--batch N] [--dump FILE.npz]
(the dump holds per-path NPV, IRR and site ready months)
Prints one JSON object: paths, seconds, paths_per_s, per-player and per-site statistics.
"""
import argparse
import copy
import json
import sys
import time
import tomllib
from pathlib import Path

import numpy as np
from scipy import special

Z90 = 1.2815515655446004
KNOTS = 1025  # PERT/beta quantile tables, as in the engine: betaincinv per sample would dominate
MAX_ELIGIBLE_RELEASES = 24  # kMaxEligibleReleases: flagships from the frontier release on with a success draw


def load(path):
    data = tomllib.loads(Path(path).read_text())
    ext = data.pop("extends", None)
    if ext is None:
        return data
    base = load(Path(path).parent / ext)
    merge(base, data)
    return base


def merge(base, over):
    """The engine's `extends` rule: tables merge key by key, a distribution too when
    it gives the same `dist` or none; a lognormal's median/p90 and mu/sigma pairs
    replace each other; anything else replaces."""
    for k, v in over.items():
        b = base.get(k)
        if isinstance(v, dict) and isinstance(b, dict) and v.get("dist", b.get("dist")) == b.get("dist"):
            if "median" in v or "p90" in v:
                b.pop("mu", None), b.pop("sigma", None)
            if "mu" in v or "sigma" in v:
                b.pop("median", None), b.pop("p90", None)
            merge(b, v)
        else:
            base[k] = v


def month_index(s):
    y, m = s.split("-")
    return int(y) * 12 + int(m) - 1


class Draw:
    """A marginal with an optional factor loading; sample() maps normal scores to values."""

    def __init__(self, spec, factors):
        self.spec = spec
        self.factor, self.loading = -1, 0.0
        if not isinstance(spec, dict):
            self.kind, self.value = "fixed", float(spec)
            return
        self.kind = spec["dist"]
        if "factor" in spec:
            self.factor, self.loading = factors.index(spec["factor"]), float(spec["loading"])
        k = self.kind
        if k == "fixed":
            self.value = float(spec["value"])
        elif k == "uniform":
            self.lo, self.hi = spec["min"], spec["max"]
        elif k == "triangular":
            self.lo, self.mode, self.hi = spec["min"], spec["mode"], spec["max"]
        elif k in ("pert", "beta"):
            if k == "pert":
                lo, mode, hi = spec["min"], spec["mode"], spec["max"]
                a, b = 1 + 4 * (mode - lo) / (hi - lo), 1 + 4 * (hi - mode) / (hi - lo)
            else:
                a, b, lo, hi = spec["alpha"], spec["beta"], spec.get("min", 0.0), spec.get("max", 1.0)
            self.grid = np.linspace(0.0, 1.0, KNOTS)
            self.table = lo + (hi - lo) * special.betaincinv(a, b, self.grid)
        elif k == "normal":
            self.mu, self.sigma = spec["mean"], spec["sd"]
        elif k == "lognormal":
            if "median" in spec:
                self.mu = np.log(spec["median"])
                self.sigma = (np.log(spec["p90"]) - self.mu) / Z90
            else:
                self.mu, self.sigma = spec["mu"], spec["sigma"]
        elif k == "bernoulli":
            self.threshold = special.ndtri(spec["p"]) if 0 < spec["p"] < 1 else (np.inf if spec["p"] >= 1 else -np.inf)
        elif k in ("discrete", "empirical"):
            self.values = np.asarray(spec["values"], float)
            p = np.asarray(spec["probabilities"], float)
            self.cum = np.cumsum(p) if k == "discrete" else p
        else:
            raise ValueError(f"unknown dist {k}")

    @property
    def random(self):
        return self.kind != "fixed"

    def sample(self, eps, factors, n):
        if self.kind == "fixed":
            return np.full(n, self.value)
        z = eps if self.factor < 0 else self.loading * factors[self.factor] + np.sqrt(1 - self.loading ** 2) * eps
        k = self.kind
        if k == "normal":
            return self.mu + self.sigma * z
        if k == "lognormal":
            return np.exp(self.mu + self.sigma * z)
        if k == "bernoulli":
            return (z < self.threshold).astype(float)
        u = special.ndtr(z)
        if k == "uniform":
            return self.lo + (self.hi - self.lo) * u
        if k == "triangular":
            lo, m, hi = self.lo, self.mode, self.hi
            span = hi - lo
            left = lo + np.sqrt(u * span * (m - lo))
            right = hi - np.sqrt((1 - u) * span * (hi - m))
            return np.where(u * span < m - lo, left, right)
        if k in ("pert", "beta", "empirical"):
            return np.interp(u, self.grid if k != "empirical" else self.cum, self.table if k != "empirical" else self.values)
        if k == "discrete":
            return self.values[np.minimum(np.searchsorted(self.cum, u, side="right"), len(self.values) - 1)]
        raise ValueError(k)


def topological(acts):
    order, done = [], set()
    while len(order) < len(acts):
        ready = [a for a in sorted(acts) if a not in done and all(p in done for p, _ in acts[a]["preds"])]
        if not ready:
            raise ValueError("cycle in schedule network")
        done.add(ready[0])
        order.append(ready[0])
    return order


def site_units(sid, spec, cfg, factors, start, online):
    """A site's schedule units: itself, or its phases in planned order (the engine's order), sharing
    the site's draws and drivers; `online` maps a unit's id to its reported (month, it_mw, count)."""
    if "phases" not in spec:
        return [Site(sid, sid, spec, cfg, factors, start, online.get(sid))]
    phases = sorted(sorted(spec["phases"].items()), key=lambda kv: month_index(kv[1]["planned_ready"]))
    units = []
    for pid, ph in phases:
        u = copy.deepcopy(spec)
        del u["phases"]
        if "accelerator" in ph:
            raise ValueError(f"sites.{sid}.phases.{pid}: the peer shares a site's draws across its phases, its accelerator too")
        for k in ("it_mw", "accelerator_count", "planned_ready", "construction_start"):
            if k in ph:
                u[k] = ph[k]
        merge(u.setdefault("network", {}), copy.deepcopy(ph.get("network", {})))
        unit = Site(f"{sid}/{pid}", sid, u, cfg, factors, start, online.get(f"{sid}/{pid}"), units[0] if units else None)
        if "after" in ph:
            unit.after = (f"{sid}/{ph['after']['phase']}", ph["after"].get("lag_months", 0.0))
        units.append(unit)
    return units


class Site:
    def __init__(self, uid, sid, spec, cfg, factors, start, online=None, first=None):
        self.id, self.site_id, self.player = uid, sid, spec["player"]
        self.after, self.first = None, first
        self.online = None if online is None else online[0] - start
        if online is not None:
            spec = dict(spec, it_mw=online[1] if online[1] is not None else spec["it_mw"],
                        accelerator_count=online[2] if online[2] is not None else spec["accelerator_count"])
        acc = cfg["accelerators"][spec["accelerator"]]
        self.units, self.h100eq_per_unit, self.kw = spec["accelerator_count"], acc["h100_equivalents"], acc["kw_per_unit"]
        self.acc_life = 12 * acc["life_years"]
        self.own = spec.get("ownership", "own") == "own"
        self.it_mw = spec["it_mw"]
        self.start = month_index(spec["construction_start"]) - start
        self.planned = month_index(spec["planned_ready"]) - start
        self.fac_life = 12 * spec.get("facility_life_years", 20.0)
        self.lease_yield = spec.get("lease_yield", 0.10)
        self.lease_esc = spec.get("lease_escalator", 0.025)
        self.lease_term = 12 * spec.get("lease_term_years", 15.0)
        self.region = spec["region"]
        # Deep copies: merge() merges into nested distribution tables in place.
        con = copy.deepcopy(cfg["construction"]); merge(con, spec.get("construction", {}))
        sup = copy.deepcopy(cfg["supply"]); merge(sup, spec.get("supply", {}))
        self.shares = (con["labor_share"], con["materials_share"], con["equipment_share"])
        self.escalation = con["escalation_per_month"]
        self.planned_ramp = sup["planned_ramp_months"]
        d = lambda s: Draw(s, factors)
        self.draws = {"cost_per_mw": d(spec["cost_per_mw_usd_m"]), "labor": d(con["labor_index"]),
                      "materials": d(con["materials_index"]), "equipment": d(con["equipment_index"]),
                      "allocation": d(sup["allocation"]), "late": d(sup["late_delivery_months"]),
                      "ramp": d(sup["ramp_months"]), "price": d(acc["price_usd"]), "other_it": d(acc.get("other_it_usd", 0.0)),
                      "owner_furnished": d(con.get("owner_furnished_usd_m_per_mw", 0.0))}
        net = copy.deepcopy(cfg["templates"][spec["template"]])
        merge(net, spec.get("network", {}))
        self.drivers = {k: d(v) for k, v in net.get("drivers", {}).items()}
        if first:  # a later phase: its site's draws and drivers, not new ones
            self.draws, self.drivers = first.draws, first.drivers
        acts = {}
        for aid, a in net["activities"].items():
            preds = [(p, 0.0) if isinstance(p, str) else (p["id"], p.get("lag", 0.0)) for p in a.get("predecessors", [])]
            acts[aid] = {"duration": d(a["duration"]), "preds": preds, "drivers": a.get("drivers", [])}
        self.acts, self.order = acts, topological(acts)
        if "terminal" in net:
            self.terminal = net["terminal"]
        else:
            succ = {p for a in acts.values() for p, _ in a["preds"]}
            self.terminal = [a for a in acts if a not in succ][0]
        self.risks = []
        for r in net.get("risks", {}).values():
            occ = {"dist": "bernoulli", "p": r["probability"]}
            if "factor" in r:
                occ.update(factor=r["factor"], loading=r["loading"])
            self.risks.append((d(occ), d(r.get("delay_months", 0.0)), d(r.get("cost_usd_m", 0.0)), r.get("hits", [])))

    def all_draws(self):
        if not self.first:
            yield from self.draws.values()
            yield from self.drivers.values()
        for a in self.acts.values():
            yield a["duration"]
        for occ, delay, cost, _ in self.risks:
            yield from (occ, delay, cost)


class Programme:
    """A player's fleet beyond its named sites (docs/MODEL.md 9): each period's AI capex less the
    named sites' spend in it, paid evenly over its months, online `lag` months later."""

    def __init__(self, pid, spec, cfg, factors, start):
        d = lambda s: Draw(s, factors)
        acc = cfg["accelerators"][spec["accelerator"]]
        self.share, self.region = spec["ai_share"], spec["region"]
        self.h100eq_per_gw = 1e6 / acc["kw_per_unit"] * acc["h100_equivalents"]
        self.kw_per_h100eq = acc["kw_per_unit"] / acc["h100_equivalents"]
        self.acc_share, self.acc_life = spec["accelerator_share"], 12 * acc["life_years"]
        self.fac_life = 12 * spec.get("facility_life_years", 20.0)
        self.draws = {"usd_b_per_gw": d(spec["usd_b_per_gw"]), "lag": d(spec["lag_months"])}
        self.lease_share = spec.get("finance_lease_share", 0.0)  # of the reported capex, paid over the lease
        if self.lease_share > 0:
            self.lease_rate = (1 + spec["finance_lease_rate"]) ** (1 / 12) - 1
            self.lease_months = int(round(12 * spec["finance_lease_term_years"]))
        self.periods = []  # (begin, end, amount draw, actual) in months from the valuation date
        for g in spec.get("guidance", []):
            self.periods.append((month_index(g["from"]) - start, month_index(g["to"]) + 1 - start, d(g["usd_b"]), False))
        for a in cfg.get("actuals", {}).get("capex", []):
            if a["player"] == pid:
                self.periods.append((month_index(a["from"]) - start, month_index(a["to"]) + 1 - start, d(a["usd_b"]), True))
        self.periods.sort(key=lambda x: x[0])


def lagged(span, x, lag, H):
    """(n, H) level online at mid-month u of cohorts t in span, x each: clip(u - t - lag, 0, 1)."""
    u = np.arange(H)
    out = np.zeros((len(lag), H))
    for t in range(*span):
        out += x[:, None] * np.clip(u - t - lag[:, None], 0, 1)
    return out


class Model:
    def __init__(self, cfg):
        run = cfg.get("run", {})
        self.start = month_index(run.get("valuation", "2025-01"))
        self.margin = cfg.get("report", {}).get("required_revenue_margin", 0.0)
        every = cfg.get("report", {}).get("cash_every_months", 3)
        # The engine's cumulative cash columns (ends of months every - 1, 2 every - 1, ...).
        self.cash_months = list(range(every - 1, run.get("horizon_months", 96), every)) if every > 0 else []
        windows = cfg.get("report", {}).get("capex_windows", [["2025-01", "2026-12"]])
        self.windows = [(month_index(a) - self.start, month_index(b) + 1 - self.start) for a, b in windows]
        self.release_windows = [(month_index(a) - self.start, month_index(b) + 1 - self.start)
                                for a, b in cfg.get("report", {}).get("release_windows", [])]
        self.H = run.get("horizon_months", 96)
        fac = cfg.get("factors", {})
        self.factors = fac.get("names", [])
        corr = np.asarray(fac.get("correlation", np.eye(len(self.factors))), float)
        self.chol = np.linalg.cholesky(corr) if self.factors else np.zeros((0, 0))
        mk = cfg["market"]
        d = lambda s: Draw(s, self.factors)
        self.market = {k: d(mk[k]) for k in ("price_p0_usd_per_hour", "price_decline_per_year", "demand_growth_per_year",
                                              "elasticity", "gpu_price_index")}
        self.existing = mk["existing_capacity_h100eq"]
        self.hours = mk.get("hours_per_month", 730.0)
        self.tau = mk.get("first_mover_tau_months", 12.0)
        self.regions = {r: d(v["power_usd_per_mwh"]) for r, v in sorted(cfg["regions"].items())}
        self.players = []
        for pid, p in sorted(cfg["players"].items()):
            fs = {"dist": "bernoulli", "p": p["frontier_success"]["probability"]}
            if "factor" in p["frontier_success"]:
                fs.update(factor=p["frontier_success"]["factor"], loading=p["frontier_success"]["loading"])
            self.players.append({"id": pid, "name": p.get("name", pid), "rent": p["rent_share"], "om": p["om_share_per_year"],
                                 "threshold": p["frontier_threshold_h100eq"],
                                 "draws": {k: d(p[k]) for k in ("wacc", "utilisation", "pue", "training_months",
                                                                "monetisation_pre", "monetisation_success", "monetisation_fail")}
                                 | {"success": d(fs)}
                                 | ({"cadence": d(p["release_cadence_months"]), "phase": d({"dist": "uniform", "min": 0.0, "max": 1.0})}
                                    | {f"success_{k}": d(fs) for k in range(1, MAX_ELIGIBLE_RELEASES)}
                                    if "release_cadence_months" in p else {}),
                                 "programme": Programme(pid, p["programme"], cfg, self.factors, self.start) if "programme" in p else None})
            if "customers" in p:  # the ceiling's draws; without a backlog, the spend alone
                c = {"backlog_usd_b": 0.0, "backlog_ai_share": 1.0, "backlog_months": 12.0} | p["customers"]
                self.players[-1]["draws"] |= {"c_" + k: d(c[k]) for k in ("backlog_usd_b", "backlog_ai_share", "backlog_months",
                                                                         "spend_usd_b_per_year")}
        for p in self.players:
            p["owner"] = False
        for oid, o in sorted(cfg.get("owners", {}).items()):  # owners: no releases, rent out what is not contracted
            none = d(0.0)
            self.players.append({"id": oid, "name": o.get("name", oid), "rent": 1.0, "om": o["om_share_per_year"],
                                 "threshold": np.inf, "owner": True, "programme": None,
                                 "draws": {k: d(o[k]) for k in ("wacc", "utilisation", "pue")}
                                 | {k: none for k in ("training_months", "monetisation_pre", "monetisation_success",
                                                      "monetisation_fail", "success")}})
        pids = [p["id"] for p in self.players]
        self.data_date = month_index(run.get("data_date", run.get("valuation", "2025-01"))) - self.start
        act = cfg.get("actuals", {})
        online = {(a["site"] + ("/" + a["phase"] if "phase" in a else "")): (month_index(a["date"]), a.get("it_mw"), a.get("accelerator_count"))
                  for a in act.get("phases_online", [])}
        self.releases, self.reported = {}, {}
        for r in sorted(act.get("releases", []), key=lambda r: month_index(r["date"])):
            self.reported.setdefault(r["player"], []).append(month_index(r["date"]) - self.start)
            known = self.releases.get(r["player"])
            if known is None or (r["unlocked"] and not known[1]):  # the first that unlocked revenue, else the first
                self.releases[r["player"]] = (month_index(r["date"]) - self.start, r["unlocked"])
        sites = [u for sid, s in sorted(cfg["sites"].items()) for u in site_units(sid, s, cfg, self.factors, self.start, online)]
        self.sites = sorted(sites, key=lambda s: pids.index(s.player))
        self.mid = np.arange(self.H) + 0.5
        self.planned = np.zeros(self.H)
        for s in self.sites:
            x = self.mid - s.planned
            share = np.clip(x / s.planned_ramp, 0, 1) if s.planned_ramp > 0 else (x >= 0).astype(float)
            self.planned += share * s.units * s.h100eq_per_unit
        self.add_planned_programmes(cfg)
        # Compute contracts: (buyer, seller, units, price draw or None for the market's, share, start, term).
        self.contracts = []
        for cid, c in sorted(cfg.get("contracts", {}).items()):
            units = [i for i, s in enumerate(self.sites) if s.site_id == c["site"]]
            self.contracts.append((pids.index(c["buyer"]), pids.index(self.sites[units[0]].player), units,
                                   d(c["price_usd_per_h100eq_hour"]) if "price_usd_per_h100eq_hour" in c else None,
                                   c.get("share", 1.0), month_index(c["start"]) - self.start if "start" in c else -np.inf,
                                   c["term_months"]))
        self.draw_list = list(self.market.values()) + list(self.regions.values())
        for p in self.players:
            self.draw_list += list(p["draws"].values())
            if p["programme"]:
                self.draw_list += list(p["programme"].draws.values()) + [dr for _, _, dr, _ in p["programme"].periods]
        self.draw_list += [c[3] for c in self.contracts if c[3] is not None]
        for s in self.sites:
            self.draw_list += list(s.all_draws())
        self.n_random = len(self.factors) + sum(dr.random for dr in self.draw_list)


    def add_planned_programmes(self, cfg):
        """The fleets as planned, every draw at its mean (the engine's Dist::mean), sites ready on plan."""
        gpu = mean_of(cfg["market"]["gpu_price_index"])
        for p in self.players:
            g = p["programme"]
            if not g:
                continue
            sites = []
            for s in self.sites:
                if s.player != p["id"]:
                    continue
                fac = (s.it_mw * mean_of(s.draws["cost_per_mw"].spec) * 1e6 if s.own else 0.0) + s.it_mw * mean_of(s.draws["owner_furnished"].spec) * 1e6
                acc = s.units * (mean_of(s.draws["price"].spec) * gpu + mean_of(s.draws["other_it"].spec))
                sites.append({"ready": np.array([float(s.planned)]), "late_at": np.array([float(s.planned)]), "alloc": np.ones(1),
                              "fac": np.array([fac]), "acc": np.array([acc]), "begin": float(s.start)})
            amounts = [np.array([mean_of(pr[2].spec)]) for pr in g.periods]
            rates = fleet_rates(g, amounts, sites, self.H)
            per_usd = g.h100eq_per_gw / (mean_of(g.draws["usd_b_per_gw"].spec) * 1e9)
            lag = np.array([mean_of(g.draws["lag"].spec)])
            for (b, e, _, _), r in zip(g.periods, rates):
                self.planned += lagged((max(b, 0), min(e, self.H)), np.maximum(r, 0) * per_usd, lag, self.H)[0]


def mean_of(spec):
    """A draw's analytic mean, as the engine's Dist::mean computes it."""
    if not isinstance(spec, dict):
        return float(spec)
    k = spec["dist"]
    if k == "fixed":
        return float(spec["value"])
    if k == "uniform":
        return (spec["min"] + spec["max"]) / 2
    if k == "triangular":
        return (spec["min"] + spec["mode"] + spec["max"]) / 3
    if k == "pert":
        return (spec["min"] + 4 * spec["mode"] + spec["max"]) / 6
    if k == "normal":
        return spec["mean"]
    if k == "lognormal":
        mu, sigma = (np.log(spec["median"]), (np.log(spec["p90"]) - np.log(spec["median"])) / Z90) if "median" in spec else (spec["mu"], spec["sigma"])
        return float(np.exp(mu + sigma ** 2 / 2))
    raise ValueError(f"mean of {k} not needed by the peer")


def site_spend_in(st, t0, t1):
    """A site's capex in months [t0, t1), as the engine's site_spend_in."""
    R, begin = st["ready"], st["begin"]
    span = R - begin
    with np.errstate(divide="ignore", invalid="ignore"):
        spread = np.where(span > 0, st["fac"] / np.where(span > 0, span, 1) * np.clip(np.minimum(R, t1) - np.maximum(begin, t0), 0, None),
                          ((np.floor(R) >= t0) & (np.floor(R) < t1)) * st["fac"])
    spend = np.where(st["fac"] != 0, spread, 0)
    a = st["alloc"]
    spend = spend + ((np.floor(R) >= t0) & (np.floor(R) < t1)) * a * st["acc"]
    L = st["late_at"]
    return spend + ((np.floor(L) >= t0) & (np.floor(L) < t1)) * (1 - a) * st["acc"]


def fleet_rates(g, amounts, sites, H):
    """Per period: the fleet's spend per month (an actual's may be negative; guidance's not)."""
    rates = []
    for (b, e, _, actual), usd_b in zip(g.periods, amounts):
        lo, hi = max(b, 0), min(e, H)
        if hi <= lo:
            rates.append(np.zeros_like(usd_b))
            continue
        budget = g.share * usd_b * 1e9 * (hi - lo) / (e - b)
        named = sum((site_spend_in(st, lo, hi) for st in sites), np.zeros_like(usd_b))
        rates.append((budget - named) / (hi - lo) if actual else np.maximum(budget - named, 0) / (hi - lo))
    return rates


def grid_at_or_after(anchor, cadence, data_date, t):
    """The first release on the grid anchor + k cadence (k >= 1) at or after t and the data date."""
    start = np.maximum(t, data_date)
    with np.errstate(invalid="ignore"):
        k = np.maximum(np.ceil((start - anchor) / cadence), 1.0)
    return np.where(np.isfinite(t), anchor + k * cadence, np.inf)


def online_share(alloc, ready, late_at, ramp, t):
    """Share online at times t (H,) for paths (n,): each tranche ramps linearly from arrival."""
    r = ramp[:, None]
    if (ramp > 0).all():  # the usual case: skip the step branch (profiled: 20% of the peer's time)
        inv = 1.0 / r
        a = np.clip((t - ready[:, None]) * inv, 0, 1)
        b = np.clip((t - late_at[:, None]) * inv, 0, 1)
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            a = np.where(r > 0, np.clip((t - ready[:, None]) / r, 0, 1), (t >= ready[:, None]))
            b = np.where(r > 0, np.clip((t - late_at[:, None]) / r, 0, 1), (t >= late_at[:, None]))
    return alloc[:, None] * a + (1 - alloc[:, None]) * b


def simulate_batch(model, rng, n):
    H, mid = model.H, model.mid
    t_idx = np.arange(H)
    eps_all = rng.standard_normal((model.n_random, n))
    cursor = iter(eps_all)
    F = model.chol @ np.stack([next(cursor) for _ in model.factors]) if model.factors else None

    def draw(dr):
        return dr.sample(next(cursor) if dr.random else None, F, n)

    mk = {k: draw(v) for k, v in model.market.items()}
    power = {r: draw(v) for r, v in model.regions.items()}
    pl = [{k: draw(v) for k, v in p["draws"].items()} for p in model.players]
    prog = [None if not p["programme"] else ({k: draw(v) for k, v in p["programme"].draws.items()},
                                             [draw(dr) for _, _, dr, _ in p["programme"].periods]) for p in model.players]
    contract_price = [None if c[3] is None else draw(c[3]) for c in model.contracts]

    S = len(model.sites)
    ready_all = np.empty((S, n))
    state = []
    shared, ready_of = {}, {}
    for si, s in enumerate(model.sites):
        if s.site_id not in shared:
            shared[s.site_id] = ({k: draw(dr) for k, dr in s.draws.items()}, {k: draw(dr) for k, dr in s.drivers.items()})
        v, drv = shared[s.site_id]
        dur = {a: draw(s.acts[a]["duration"]) for a in s.acts}
        delay = {a: np.zeros(n) for a in s.acts}
        event_cost = np.zeros(n)
        for occ, dl, cost, hits in s.risks:
            o, dly, c = draw(occ), draw(dl), draw(cost)
            event_cost += o * c
            for h in hits:
                delay[h] += o * dly
        start, finish = {}, {}
        unit_start = np.full(n, float(s.start))
        if s.after:
            unit_start = np.maximum(unit_start, ready_of[s.after[0]] + s.after[1])
        for a in s.order:
            st = unit_start.copy()
            for p, lag in s.acts[a]["preds"]:
                st = np.maximum(st, finish[p] + lag)
            mult = np.ones(n)
            for dn in s.acts[a]["drivers"]:
                mult = mult * drv[dn]
            start[a], finish[a] = st, st + dur[a] * mult + delay[a]
        R = finish[s.terminal]
        # Not online at the data date: a terminal activity finishing before it runs from it instead.
        R = np.where(R < model.data_date, model.data_date + (R - start[s.terminal]), R)
        alloc, late, ramp = v["allocation"], v["late"], v["ramp"]
        if s.online is not None:  # reported online: all of it, from its date
            R = np.full(n, float(s.online))
            alloc, late, ramp = np.ones(n), np.zeros(n), np.zeros(n)
        ready_all[si] = ready_of[s.id] = R
        base = s.it_mw * v["cost_per_mw"] * 1e6
        slip = np.maximum(R - s.planned, 0)
        overrun = (s.shares[0] * (v["labor"] - 1) + s.shares[1] * (v["materials"] - 1) + s.shares[2] * (v["equipment"] - 1)
                   + s.escalation * slip)
        ofe = s.it_mw * v["owner_furnished"] * 1e6  # bought by the tenant, own or lease
        fac = (base * (1 + overrun) + event_cost * 1e6 if s.own else np.zeros(n)) + ofe
        acc_base = s.units * (v["price"] + v["other_it"])
        state.append({"ready": R, "late_at": R + late, "alloc": alloc, "ramp": ramp, "fac": fac, "begin": unit_start,
                      "fac_base": (base if s.own else np.zeros(n)) + ofe, "acc": s.units * (v["price"] * mk["gpu_price_index"] + v["other_it"]),
                      "acc_base": acc_base, "rent": np.zeros(n) if s.own else base * s.lease_yield / 12,
                      "power": s.units * s.kw * 1e-3 * power[s.region]})
        state[-1]["share"] = online_share(alloc, R, state[-1]["late_at"], ramp, mid)

    P = len(model.players)
    online = np.zeros((P, n, H))
    pid = [p["id"] for p in model.players]
    for s, st in zip(model.sites, state):
        online[pid.index(s.player)] += s.units * s.h100eq_per_unit * st["share"]
    fleet = [None] * P  # per player: (rates per period, lag, H100-eq per $, fleet online (n, H))
    for p, player in enumerate(model.players):
        g = player["programme"]
        if not g:
            continue
        draws, amounts = prog[p]
        rates = fleet_rates(g, amounts, [st for s, st in zip(model.sites, state) if s.player == player["id"]], H)
        per_usd = g.h100eq_per_gw / (draws["usd_b_per_gw"] * 1e9)
        on = sum((lagged((max(b, 0), min(e, H)), np.maximum(r, 0) * per_usd, draws["lag"], H)
                  for (b, e, _, _), r in zip(g.periods, rates)), np.zeros((n, H)))
        online[p] += on
        fleet[p] = (rates, draws["lag"], per_usd, on)
    total = online.sum(0)
    # Contracted capacity per contract (n, H): its share of each unit online, while the term runs from
    # the later of its start and the unit's ready date; bought_in/sold_out per entity.
    contracted = []
    bought_in, sold_out = np.zeros((P, n, H)), np.zeros((P, n, H))
    for buyer, seller, units, _, share, start, term in model.contracts:
        h = np.zeros((n, H))
        for u in units:
            s, st = model.sites[u], state[u]
            begin = np.maximum(start, st["ready"])[:, None]
            h += share * s.units * s.h100eq_per_unit * st["share"] * ((mid >= begin) & (mid < begin + term))
        contracted.append(h)
        bought_in[buyer] += h
        sold_out[seller] += h
    years = mid / 12
    e = mk["elasticity"][:, None]
    supply = (model.existing + total) / (model.existing + model.planned)
    price = mk["price_p0_usd_per_hour"][:, None] * np.exp((e * mk["demand_growth_per_year"][:, None]
                                                           - mk["price_decline_per_year"][:, None]) * years - e * np.log(supply))

    release = np.full((P, n), np.inf)
    success = np.zeros((P, n), bool)
    success_at = np.full((P, n), np.inf)  # when a release first unlocks new revenue
    grids = [None] * P  # (anchor, cadence) per player with a release cadence
    D = model.data_date
    for p, player in enumerate(model.players):
        reported = model.reported.get(player["id"], [])
        if "cadence" in pl[p]:
            cad = pl[p]["cadence"]
            grids[p] = (np.full(n, float(reported[-1])) if reported else D - pl[p]["phase"] * cad, cad)
        if player["id"] in model.releases and (model.releases[player["id"]][1] or grids[p] is None):
            month, unlocked = model.releases[player["id"]]  # reported: taken as it was
            release[p], success[p] = month, unlocked
            success_at[p] = np.where(unlocked, month, np.inf)
            continue
        reached = online[p] - sold_out[p] + bought_in[p] >= player["threshold"]
        has = reached.any(1)
        release[p] = np.where(has, reached.argmax(1) + 1.0 + pl[p]["training_months"], np.inf)
        if grids[p] is not None:  # the first flagship slot once trained, not before the data date
            release[p] = grid_at_or_after(*grids[p], D, release[p])
            for k in range(MAX_ELIGIBLE_RELEASES):  # it and each later flagship may unlock revenue
                t = release[p] + k * grids[p][1]
                won = (pl[p]["success" if k == 0 else f"success_{k}"] > 0.5) & (t < H) & np.isinf(success_at[p])
                success_at[p] = np.where(won, t, success_at[p])
        else:  # none reported before the data date: a run finishing before it runs from it
            release[p] = np.where(release[p] < D, D + pl[p]["training_months"], release[p])
            success_at[p] = np.where((release[p] < H) & (pl[p]["success"] > 0.5), release[p], np.inf)
        success[p] = success_at[p] < H
    last_release = np.empty((len(model.release_windows), P, n))
    for w, (b, e) in enumerate(model.release_windows):
        for p, player in enumerate(model.players):
            last = np.full(n, -np.inf)
            for r in model.reported.get(player["id"], []):
                if b <= r < e:
                    last = np.maximum(last, r)
            if grids[p] is not None:
                anchor, cad = grids[p]
                first_slot = grid_at_or_after(anchor, cad, D, np.full(n, D))
                k = np.ceil((e - anchor) / cad) - 1
                sampled = np.where(first_slot < e, np.maximum(anchor + k * cad, first_slot), -np.inf)
            else:
                sampled = np.where(release[p] < e, release[p], -np.inf)
            last = np.where((sampled >= b) & (sampled > last), sampled, last)
            last_release[w, p] = np.where(last >= b, last, b - 1.0)
    first = success_at.min(0)

    out = {"npv": np.empty((P, n)), "payback": np.empty((P, n)), "capex": np.empty((P, n)), "irr": np.empty((P, n)),
           "roi": np.empty((P, n)), "revenue": np.empty((P, n)), "ready": ready_all, "required": np.empty((P, n)),
           "above_required": np.empty((P, n), bool), "capex_windows": np.empty((len(model.windows), P, n)),
           "last_release": last_release, "over_ceiling": np.zeros((P, n)), "capped": np.zeros((P, n), bool),
           "cash": np.empty((len(model.cash_months), P, n))}
    for p, player in enumerate(model.players):
        d = pl[p]
        idx = [i for i, s in enumerate(model.sites) if s.player == player["id"]]
        cost = np.zeros((n, H))
        spend = np.zeros((n, H))
        residual = np.zeros(n)
        for i in idx:
            s, st = model.sites[i], state[i]
            R, L, a = st["ready"][:, None], st["late_at"][:, None], st["alloc"][:, None]
            on = mid >= R
            in_service = on * (st["fac"][:, None] + a * st["acc"][:, None]) + (mid >= L) * (1 - a) * st["acc"][:, None]
            cost += (st["power"] * d["utilisation"] * d["pue"] * model.hours)[:, None] * st["share"]
            cost += player["om"] / 12 * in_service
            if not s.own:
                leased = on & (mid < R + s.lease_term)
                cost += leased * st["rent"][:, None] * (1 + s.lease_esc) ** np.floor(np.maximum(mid - R, 0) / 12)
            begin = st["begin"][:, None]
            span = st["ready"][:, None] - begin
            with np.errstate(divide="ignore", invalid="ignore"):
                overlap = np.clip(np.minimum(t_idx + 1.0, R) - np.maximum(t_idx, begin), 0, None)
                spread = np.where(span > 0, st["fac"][:, None] * overlap / span, (t_idx == np.floor(R)) * st["fac"][:, None])
            spend += spread
            spend += (t_idx == np.floor(R)) * (a * st["acc"][:, None])
            spend += (t_idx == np.floor(L)) * ((1 - a) * st["acc"][:, None])
            residual += book_value(st, s, H)
        if fleet[p]:
            g = player["programme"]
            rates, flag, per_usd, on = fleet[p]
            cost += (power[g.region] * g.kw_per_h100eq * 1e-3 * d["utilisation"] * d["pue"] * model.hours)[:, None] * on
            for (b, e, _, _), r in zip(g.periods, rates):
                lo, hi = max(b, 0), min(e, H)
                if hi <= lo:
                    continue
                named = spend[:, lo:hi].sum(1)
                with np.errstate(divide="ignore", invalid="ignore"):  # an actual below the named sites' spend scales theirs
                    scale = np.where(r < 0, (named + r * (hi - lo)) / np.where(r < 0, named, 1), 1.0)
                spend[:, lo:hi] = spend[:, lo:hi] * scale[:, None] + np.maximum(r, 0)[:, None]
                cohort = np.maximum(r, 0)
                cost += player["om"] / 12 * lagged((lo, hi), cohort, flag, H)
                for t in range(lo, hi):  # book value: straight-line from mid-ramp, at cost if not yet in service
                    placed = t + 1.0 + flag
                    book = (cohort * g.acc_share * np.clip(1 - (H - placed) / g.acc_life, 0, 1)
                            + cohort * (1 - g.acc_share) * np.clip(1 - (H - placed) / g.fac_life, 0, 1))
                    residual += np.where(placed > H, cohort, book)
        reported = spend.copy()  # capex as the company reports it
        if fleet[p] and g.lease_share > 0:
            # Its finance-lease part is paid in installments in arrears at the lease rate; what is
            # still owed at the horizon comes off the book value.
            r_m, n_l = g.lease_rate, g.lease_months
            af = r_m / (1 - (1 + r_m) ** -n_l) if r_m > 0 else 1 / n_l
            for (b, e, _, _), r in zip(g.periods, rates):
                for t in range(max(b, 0), min(e, H)):
                    financed = g.lease_share * np.maximum(r, 0)
                    spend[:, t] -= financed
                    cost += (financed * af)[:, None] * ((t_idx >= t + 1) & (t_idx <= t + n_l))
                    left = t + n_l + 1 - H
                    if left > 0:
                        residual -= financed * af * ((1 - (1 + r_m) ** -left) / r_m if r_m > 0 else left)
        with np.errstate(divide="ignore", invalid="ignore"):  # tau = 0: the limit, 1 at lag 0, else 0
            lag = success_at[p] - first
            premium = np.exp(-lag / model.tau) if model.tau > 0 else (lag <= 0).astype(float)
        m_succ = np.where(success[p], d["monetisation_fail"] + (d["monetisation_success"] - d["monetisation_fail"]) * premium, 0)
        rent = player["rent"]
        mix_pre = rent * d["utilisation"] + (1 - rent) * d["monetisation_pre"]
        mix_fail = rent * d["utilisation"] + (1 - rent) * d["monetisation_fail"]
        mix_succ = rent * d["utilisation"] + (1 - rent) * m_succ
        # M_pre before the frontier release, M_fail after it until a release unlocks revenue, then M_success.
        mix = np.where(mid < release[p][:, None], mix_pre[:, None],
                       np.where(mid < success_at[p][:, None], mix_fail[:, None], mix_succ[:, None]))
        # Capacity bought under contract is own use: the monetisation multiple alone.
        m_now = np.where(mid < release[p][:, None], d["monetisation_pre"][:, None],
                         np.where(mid < success_at[p][:, None], d["monetisation_fail"][:, None], m_succ[:, None]))
        rev = (online[p] - sold_out[p]) * model.hours * price * mix + bought_in[p] * model.hours * price * m_now
        if "c_spend_usd_b_per_year" in d:
            # What customers can pay: the backlog's AI share evenly over its term from the data date (the
            # part of each month inside it), plus their spend growing with demand from the data date.
            D = model.data_date
            term = np.clip(np.minimum(np.arange(H) + 1.0, D + d["c_backlog_months"][:, None]) - np.maximum(np.arange(H), D), 0, None)
            ceiling = (d["c_backlog_usd_b"] * 1e9 * d["c_backlog_ai_share"] / d["c_backlog_months"])[:, None] * term \
                + (d["c_spend_usd_b_per_year"] * 1e9 / 12)[:, None] * np.exp(mk["demand_growth_per_year"][:, None] * (mid - D) / 12)
            out["over_ceiling"][p] = np.maximum(rev - ceiling, 0).sum(1) * 1e-9
            out["capped"][p] = (rev > ceiling).any(1)
            rev = np.minimum(rev, ceiling)
        for (buyer, seller, *_), h, c_price in zip(model.contracts, contracted, contract_price):
            pay = h * model.hours * (price if c_price is None else c_price[:, None])  # the contract's price or the market's
            if buyer == p:
                cost = cost + pay
            if seller == p:
                rev = rev + pay
        cf = rev - cost - spend
        v = (1 + d["wacc"]) ** (-1 / 12)
        # (months, paths) coefficients with the book value in the last month, for NPV and IRR alike.
        coef = np.ascontiguousarray(cf.T)
        coef[-1] += residual
        pv = f_df_factory(coef)
        npv, npv_slope = pv(v)
        out["npv"][p] = npv * 1e-9
        capex = reported.sum(1)
        cum = np.cumsum(cf, 1)
        out["capex"][p] = capex * 1e-9
        out["roi"][p] = np.where(capex > 0, (cum[:, -1] + residual) / np.where(capex > 0, capex, 1), 0)
        out["revenue"][p] = rev.sum(1) * 1e-9
        disc = v[:, None] ** (np.arange(H) + 1.0)
        capacity = online[p] - sold_out[p] + bought_in[p]  # what it earns on
        pv_rev, final = (rev * disc).sum(1), capacity[:, -1]
        annuity = np.where(final > 0, (capacity * disc).sum(1) / (12 * np.where(final > 0, final, 1)), 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            out["required"][p] = np.where(annuity > 0, (pv_rev - npv) / ((1 - model.margin) * annuity), 0) * 1e-9
        out["above_required"][p] = (annuity > 0) & (npv >= model.margin * pv_rev)
        for w, (b, e) in enumerate(model.windows):
            out["capex_windows"][w, p] = reported[:, max(b, 0):min(e, H)].sum(1) * 1e-9
        out["payback"][p] = payback_months(cum, H)
        out["cash"][:, p] = cum[:, model.cash_months].T * 1e-9
        out["irr"][p] = irr(coef, pv, v, npv, npv_slope)
    return out


def book_value(st, s, H):
    def line(cost, placed, life):
        return np.where(placed > H, 0, cost * np.clip(1 - (H - placed) / life, 0, 1))
    R, begin = st["ready"], st["begin"]
    fac = np.where(R <= H, line(st["fac"], R, s.fac_life),
                   np.where(R > begin, st["fac"] * np.clip((H - begin) / np.maximum(R - begin, 1e-300), 0, 1), 0))
    fac = np.where(st["fac"] > 0, fac, 0)
    a = st["alloc"]
    return fac + line(a * st["acc"], R, s.acc_life) + line((1 - a) * st["acc"], st["late_at"], s.acc_life)


def payback_months(cum, H):
    neg = cum < 0
    seen_before = np.zeros_like(neg)
    seen_before[:, 1:] = np.logical_or.accumulate(neg, 1)[:, :-1]
    cond = (cum >= 0) & (seen_before | (cum > 0))
    t = cond.argmax(1)
    found = cond.any(1)
    return np.where(found, np.where(seen_before[np.arange(len(t)), t], t + 1.0, 0.0), float(H))


def irr(c, f_df, v_start, f_start, df_start, lo_rate=-0.99, hi_rate=10.0):
    """Annual IRR per path: safeguarded Newton on the monthly discount factor, as in the engine.

    c holds (months, paths) coefficients, f_df evaluates them by Horner's rule, and
    f_start, df_start are its value and slope at v_start (the NPV, already computed).
    """
    n = c.shape[1]
    v_min, v_max = (1 + hi_rate) ** (-1 / 12), (1 + lo_rate) ** (-1 / 12)
    # Plain Newton from the WACC's factor first, as in the engine; the rest get the bracketed solver.
    v = np.array(v_start, dtype=float)
    result = np.full(n, np.nan)
    open_rows = np.arange(n)
    f, df = f_start, df_start
    for _ in range(8):
        if not len(open_rows):
            break
        with np.errstate(divide="ignore", invalid="ignore"):
            nxt = v[open_rows] - f / df
        inside = (df != 0) & (nxt > v_min) & (nxt < v_max)
        done = inside & (np.abs(nxt - v[open_rows]) < 1e-10)
        result[open_rows[done]] = nxt[done] ** -12.0 - 1
        v[open_rows[inside]] = nxt[inside]
        open_rows = open_rows[inside & ~done]
        if len(open_rows):
            f, df = f_df(v[open_rows], open_rows)
    pending = np.isnan(result)
    if not pending.any():
        return result
    rest = irr_bracketed(c[:, pending], v_start[pending], lo_rate, hi_rate)
    result[pending] = rest
    return result


def f_df_factory(c):
    """Present value of (months, paths) coefficients at discount factors v, and its slope,
    by Horner's rule over months: elementwise powers of a (paths, months) matrix were half
    the peer's time when profiled."""
    H = c.shape[0]

    def f_df(v, rows=slice(None)):
        f = c[H - 1, rows].copy()
        d = np.zeros_like(f)
        for t in range(H - 2, -1, -1):
            d = d * v + f
            f = f * v + c[t, rows]
        return f * v, d * v + f
    return f_df


def irr_bracketed(c, v_start, lo_rate, hi_rate):
    f_df = f_df_factory(c)
    n = c.shape[1]
    v_lo, v_hi = np.full(n, (1 + hi_rate) ** (-1 / 12)), np.full(n, (1 + lo_rate) ** (-1 / 12))
    f_lo, _ = f_df(v_lo)
    f_hi, _ = f_df(v_hi)
    rising = f_hi > 0
    v = np.where((v_start > v_lo) & (v_start < v_hi), v_start, 0.5 * (v_lo + v_hi))
    step = v_hi - v_lo
    active = ~(((f_lo >= 0) & (f_hi >= 0)) | ((f_lo <= 0) & (f_hi <= 0)))
    for _ in range(100):  # safeguarded Newton (rtsafe), as in the engine
        if not active.any():
            break
        ia = np.flatnonzero(active)
        va = v[ia]
        f, df = f_df(va, ia)
        up = (f > 0) == rising[ia]
        v_hi[ia] = np.where(up, va, v_hi[ia])
        v_lo[ia] = np.where(up, v_lo[ia], va)
        with np.errstate(divide="ignore", invalid="ignore"):
            newton = np.where(df != 0, va - f / df, v_lo[ia] - 1)
        ok = (newton > v_lo[ia]) & (newton < v_hi[ia]) & (np.abs(newton - va) < 0.5 * np.abs(step[ia]))
        half = 0.5 * (v_hi[ia] - v_lo[ia])
        step[ia] = np.where(ok, newton - va, half)
        v[ia] = np.where(ok, newton, v_lo[ia] + half)
        active[ia[np.abs(step[ia]) < 1e-10]] = False
    rate = v ** -12.0 - 1
    rate = np.where((f_lo >= 0) & (f_hi >= 0), hi_rate, rate)
    return np.where((f_lo <= 0) & (f_hi <= 0), lo_rate, rate)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("config")
    ap.add_argument("--paths", type=int, default=None)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--batch", type=int, default=20000, help="paths per batch (memory grows with it)")
    ap.add_argument("--dump", help="write per-path NPV, IRR and ready months to this .npz")
    args = ap.parse_args()

    t0 = time.perf_counter()
    cfg = load(args.config)
    model = Model(cfg)
    paths = args.paths or cfg.get("run", {}).get("paths", 100000)
    seed = args.seed if args.seed is not None else cfg.get("run", {}).get("seed", 20250101)
    streams = np.random.SeedSequence(seed).spawn((paths + args.batch - 1) // args.batch)
    t_sim = time.perf_counter()
    keep = ("npv", "ready", "irr", "required", "above_required", "capex_windows", "last_release", "over_ceiling", "capped", "cash")
    parts = {k: [] for k in keep}
    for b, ss in enumerate(streams):
        n = min(args.batch, paths - b * args.batch)
        out = simulate_batch(model, np.random.default_rng(ss), n)
        for k in keep:
            parts[k].append(out[k])
    res = {k: np.concatenate(v, -1) for k, v in parts.items()}
    npv, ready, irrs = res["npv"], res["ready"], res["irr"]
    simulate_seconds = time.perf_counter() - t_sim
    seconds = time.perf_counter() - t0
    if args.dump:
        np.savez(args.dump, **res, players=[p["id"] for p in model.players], sites=[s.id for s in model.sites])
    players = {p["id"]: {"p_npv_positive": float((npv[i] > 0).mean()),
                         **{f"npv_p{q}": float(np.percentile(npv[i], q)) for q in (10, 50, 90)}}
               for i, p in enumerate(model.players)}
    sites = {s.id: {"ready_p50": float(np.percentile(ready[i], 50))} for i, s in enumerate(model.sites)}
    json.dump({"paths": paths, "seed": seed, "random_numbers_per_path": model.n_random, "seconds": seconds,
               "simulate_seconds": simulate_seconds, "paths_per_s": paths / simulate_seconds, "players": players, "sites": sites}, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()

"""One self-contained HTML report of one or more studies: plotly inlined, opens with no network.

Sections: a summary per study; mix vs merge at equal compute (when two or more studies are given);
hypervolume over wall time (the overnight view); Pareto fronts (three projections and a 3-D view);
screening kept apart from full fidelity; deployment profiles with dev and test scores, intervals and
robustness; dev vs test for the chosen candidates; per-category (tail) views; sample responses. A study
with no finished trial gets a report that says so.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
import plotly.io as pio
from mixmerge.storage import Store
from plotly.offline import get_plotlyjs

from . import charts
from .compare import Comparison, arm_result, compare_arms
from .data import FULL_FIDELITY, StudyData, load_study
from .pareto import Front, pareto_front
from .profiles import ProfileError, choose, profiles_for

log = logging.getLogger(__name__)

HARMFUL_OBJECTIVES = frozenset({"harmless"})
HIDDEN = "[hidden: a response to a request that should be refused; render with show_harmful to read it]"


@dataclass
class StudyReport:
    data: StudyData
    front: Front | None
    profiles: list[dict[str, Any]] = field(default_factory=list)
    profile_error: str | None = None


@dataclass
class Report:
    studies: list[StudyReport]
    comparison: Comparison | None
    generated: str


def analyse(store: Store, names: Sequence[str], *, n_boot: int = 200, seed: int = 0) -> Report:
    """Read and analyse the studies (everything the HTML and the PNG figures show)."""
    studies = []
    for name in names:
        data = load_study(store, name)
        if not len(data.complete):
            studies.append(StudyReport(data, None))
            continue
        rep = StudyReport(data, pareto_front(data))
        try:
            rep.profiles = [choose(data, p) for p in profiles_for(data.spec).values()]
        except ProfileError as exc:
            rep.profile_error = str(exc)
        studies.append(rep)
    with_points = [s.data for s in studies if s.front is not None]
    comparison = compare_arms(with_points, n_boot=n_boot, seed=seed) if len(with_points) >= 2 else None
    return Report(studies, comparison, datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"))


def _e(value: Any) -> str:
    return html.escape(str(value))


def _num(value: Any, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "–"
    if isinstance(value, float) and (abs(value) >= 1e5 or 0 < abs(value) < 1e-3):
        return f"{value:.3g}"
    return f"{value:.{digits}f}" if isinstance(value, float) else str(value)


def _ci(s: dict[str, Any] | None) -> str:
    if not s or s.get("value") is None:
        return "–"
    if s.get("ci_low") is None:
        return _num(s["value"])
    return f"{_num(s['value'])} [{_num(s['ci_low'])}, {_num(s['ci_high'])}]"


def _table(headers: Sequence[str], rows: Sequence[Sequence[Any]], cls: str = "") -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _fig(fig: Any, div_id: str) -> str:
    return pio.to_html(fig, include_plotlyjs=False, full_html=False, div_id=div_id,
                       config={"displaylogo": False, "responsive": True})


def _summary(s: StudyReport) -> str:
    d, t = s.data, s.data.trials
    states = t["state"].value_counts().to_dict() if len(t) else {}
    rows = [
        ("arm", _e(d.arm)),
        ("trials", ", ".join(f"{_e(k.lower())}: {v}" for k, v in sorted(states.items())) or "none"),
        ("scored at full fidelity (dev)", int(t["has_scores"].sum()) if len(t) else 0),
        ("screened only (lower fidelity)", int(t["screened_only"].sum()) if len(t) else 0),
        ("feasible", int((t["has_scores"] & t["feasible"]).sum()) if len(t) else 0),
        ("objectives", _e(", ".join(d.objectives))),
        ("reference point", _e(", ".join(_num(float(v)) for v in d.reference_point))),
        ("hypervolume (feasible front)", _num(s.front.hypervolume, 4) if s.front else "–"),
        ("setup compute (FLOPs)", _num(d.setup_flops)),
        ("total compute (FLOPs / device-s)",
         f"{_num(float(t['cum_flops'].iloc[-1]) if len(t) else d.setup_flops)} / "
         f"{_num(float(t['cum_device_seconds'].iloc[-1]) if len(t) else d.setup_device_seconds)}"),
    ]
    return _table(("", ""), rows, "kv")


def _comparison(c: Comparison) -> str:
    parts = [
        "<h2>Mix vs merge at equal compute</h2>",
        f"<p>Budget for the comparison: {_num(c.budget_flops)} FLOPs ({_e(c.budget_source)}). Setup compute "
        "(expert training) is counted in its arm. Intervals: 95% bootstrap over the scores' own intervals.</p>",
        _fig(charts.hv_vs_compute(c.arms, budget=c.budget_flops), "hv-flops"),
        _fig(charts.hv_vs_compute(c.arms, x="cum_device_seconds"), "hv-seconds"),
        _table(("arm", "study", "share of budget", "FLOPs", "hypervolume", "95% interval"),
               [(_e(r.arm), _e(r.study), f"{r.fraction:.0%}", _num(r.flops), _num(r.hv, 4),
                 f"[{_num(r.lo, 4)}, {_num(r.hi, 4)}]") for r in c.at_fractions.itertuples()]),
        f"<h3>Difference ({_e(c.arms[0].arm)} − {_e(c.arms[1].arm)})</h3>",
        _table(("share of budget", "difference", "95% interval", "resolved?"),
               [(f"{r.fraction:.0%}", f"{r.difference:+.4f}", f"[{r.lo:+.4f}, {r.hi:+.4f}]",
                 "yes" if r.resolved else "<b>not resolved</b>") for r in c.differences.itertuples()]),
        "<h3>Compute to reach the other arm's final hypervolume</h3>",
        _table(("arm", "reaches the final hypervolume of", "target", "at FLOPs"),
               [(_e(r["arm"]), _e(r["target_arm"]), _num(r["target_hv"], 4),
                 _num(r["flops"]) if r["flops"] is not None else "never, within its compute")
                for r in c.reaches]),
        f'<p class="verdict">{_e(c.verdict)}</p>',
    ]
    return "\n".join(parts)


def _fidelity(d: StudyData) -> str:
    s = d.scores
    if not len(s):
        return "<p>No scores recorded.</p>"
    dev = s[s["split"] == "dev"]
    rows = []
    for fid, grp in dev.groupby("fidelity"):
        kind = "full" if fid == FULL_FIDELITY else "screening"
        means = grp.groupby("objective")["value"].mean()
        rows.append((f"{fid:g} ({kind})", grp["trial_id"].nunique(),
                     ", ".join(f"{_e(o)} {_num(float(v))}" for o, v in means.items())))
    return ("<p>Screening scores (fidelity below 1) come from a subset of the items and never enter the front "
            "or the hypervolume.</p>" + _table(("fidelity", "trials", "mean dev score"), rows))


def _profiles(s: StudyReport) -> str:
    if s.profile_error:
        return f"<p class='warn'>{_e(s.profile_error)}</p>"
    objs = s.data.objectives
    rows = []
    for p in s.profiles:
        ch = p["chosen"]
        constraint = ", ".join(f"{_e(k)} ≥ {v:g}" for k, v in p["minimums"].items()) or "none"
        pref = ", ".join(f"{_e(k)} {v:g}" for k, v in p["weights"].items())
        if ch is None:
            rows.append((f"<b>{_e(p['profile'])}</b><br><small>{_e(p['description'])}</small>", constraint, pref,
                         _e(p["message"]), "", "", ""))
            continue
        rob = ch["robustness"]
        moves = ", ".join(f"{_e(o)} ±{_num(v['max_move'])}" for o, v in rob["objectives"].items()
                          if v["max_move"] is not None)
        verdict = {True: "robust", False: "<b>not robust</b>", None: "unknown (no neighbours)"}[rob["robust"]]
        rows.append((
            f"<b>{_e(p['profile'])}</b><br><small>{_e(p['description'])}</small>", constraint, pref,
            f"trial {ch['number']}{' (' + _e(ch['role']) + ')' if ch['role'] else ''}<br><small>"
            + ", ".join(f"{_e(k)}={v:.3f}" for k, v in ch["params"].items()) + "</small>",
            "<br>".join(f"{_e(o)}: {_ci(ch['dev'].get(o))}" for o in objs),
            "<br>".join(f"{_e(o)}: {_ci(ch['test'].get(o))}" for o in objs) if ch["test"] else "not confirmed",
            f"{verdict}<br><small>{rob['n_neighbours']} neighbours within ±{rob['radius']:.0%}; {moves}</small>",
        ))
    return _table(("profile", "constraints", "preference", "chosen", "dev [95% CI]", "test [95% CI]",
                   "robustness"), rows)


def _chosen(s: StudyReport) -> list[int]:
    ids = [p["chosen"]["trial_id"] for p in s.profiles if p.get("chosen")]
    return list(dict.fromkeys(ids))


def _dev_test(s: StudyReport) -> str:
    d = s.data
    ids = _chosen(s) + [int(t) for t in s.front.front["trial_id"]] if s.front is not None else []
    ids = list(dict.fromkeys(ids))
    test = d.scores[d.scores["split"] == "test"] if len(d.scores) else d.scores
    confirmed = set(test["trial_id"]) if len(test) else set()
    rows = []
    for tid in ids:
        if tid not in confirmed:
            continue
        row = d.trials[d.trials["trial_id"] == tid].iloc[0]
        t = test[test["trial_id"] == tid].set_index("objective")
        cells = [f"trial {int(row['number'])}" + (" (chosen)" if tid in _chosen(s) else "")]
        for o in d.objectives:
            dev = {"value": row[o], "ci_low": row[f"{o}_lo"], "ci_high": row[f"{o}_hi"]}
            tst = (None if o not in t.index else
                   {"value": float(t.loc[o, "value"]), "ci_low": t.loc[o, "ci_low"], "ci_high": t.loc[o, "ci_high"]})
            cells += [_ci(dev), _ci(tst)]
        rows.append(cells)
    if not rows:
        return "<p>No chosen or front candidate has a test confirmation yet.</p>"
    heads = ["candidate"] + [f"{o} {sp}" for o in d.objectives for sp in ("dev", "test")]
    return _table(heads, rows)


def _tails(store: Store, s: StudyReport) -> str:
    d = s.data
    rows = []
    for tid in _chosen(s):
        cats = store.category_scores(d.name, trial_id=tid, split="dev")
        number = int(d.trials.loc[d.trials["trial_id"] == tid, "number"].iloc[0])
        by_obj: dict[str, list[dict]] = {}
        for c in cats:
            if c["fidelity"] == FULL_FIDELITY:
                by_obj.setdefault(c["objective"], []).append(c)
        for obj, cs in by_obj.items():
            cs.sort(key=lambda c: c["value"])
            rows.append((f"trial {number}", _e(obj),
                         f"<b>{_e(cs[0]['category'])}</b> {_num(cs[0]['value'])}",
                         ", ".join(f"{_e(c['category'])} {_num(c['value'])}" for c in cs)))
    if not rows:
        return "<p>No per-category scores recorded for the chosen candidates.</p>"
    return _table(("candidate", "objective", "worst category (the tail)", "all categories, worst first"), rows)


def _responses(store: Store, s: StudyReport, show_harmful: bool, per_objective: int) -> str:
    d = s.data
    out = []
    for tid in _chosen(s):
        items = store.item_results(d.name, trial_id=tid, split="dev", fidelity=FULL_FIDELITY)
        items = [i for i in items if i["response"] is not None]
        if not items:
            continue
        number = int(d.trials.loc[d.trials["trial_id"] == tid, "number"].iloc[0])
        rows = []
        shown: dict[str, int] = {}
        for i in items:
            if shown.get(i["objective"], 0) >= per_objective:
                continue
            shown[i["objective"]] = shown.get(i["objective"], 0) + 1
            hide = i["objective"] in HARMFUL_OBJECTIVES and not show_harmful
            text = f"<i>{_e(HIDDEN)}</i>" if hide else f"<pre>{_e(i['response'])}</pre>"
            rows.append((_e(i["objective"]), _e(i["item_id"]), _e(i["category"] or ""), _num(i["value"]), text))
        out.append(f"<h4>trial {number}</h4>" + _table(("objective", "item", "category", "score", "response"),
                                                          rows, "responses"))
    return "\n".join(out) or "<p>No responses recorded for the chosen candidates.</p>"


CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:2em auto;max-width:1200px;color:#222}
table{border-collapse:collapse;margin:.6em 0 1.4em;font-size:.9em}
th,td{border:1px solid #ddd;padding:.3em .6em;vertical-align:top;text-align:left}
th{background:#f4f4f4} table.kv td:first-child{font-weight:600}
.verdict{font-size:1.1em;padding:.6em;background:#fff8dc;border-left:4px solid #e0b000}
.warn{color:#a00} pre{white-space:pre-wrap;margin:0;max-width:60em} h2{border-bottom:2px solid #eee}
"""


def render_html(store: Store, report: Report, *, show_harmful: bool = False, responses_per_objective: int = 5) -> str:
    """The report as one HTML document with plotly's JavaScript inlined."""
    names = ", ".join(s.data.name for s in report.studies)
    body = [f"<h1>mixmerge report: {_e(names)}</h1>",
            f"<p>Storage {_e(store.url_text)} · generated {_e(report.generated)}</p>"]
    if report.comparison is not None:
        body.append(_comparison(report.comparison))
    for k, s in enumerate(report.studies):
        d = s.data
        body.append(f"<h2 id='study-{k}'>Study {_e(d.name)} ({_e(d.arm)})</h2>")
        body.append(_summary(s))
        if s.front is None:
            body.append(f"<p class='warn'>Study {_e(d.name)} has no finished trial with full-fidelity dev scores "
                        "yet: no front, hypervolume or profile to show. Run the search, then render again.</p>")
            continue
        arm = arm_result(d)
        body.append("<h3>Hypervolume over wall time (the overnight view)</h3>")
        body.append(_fig(charts.hv_vs_compute([arm], x="wall_seconds"), f"hv-wall-{k}"))
        if report.comparison is None:
            body.append(_fig(charts.hv_vs_compute([arm]), f"hv-flops-{k}"))
        body.append("<h3>Pareto fronts</h3>")
        body.append(_fig(charts.pareto_projections(d, s.front), f"pareto-2d-{k}"))
        body.append(_fig(charts.pareto_3d(d, s.front), f"pareto-3d-{k}"))
        body.append("<h3>Screening and full fidelity</h3>" + _fidelity(d))
        body.append("<h3>Deployment profiles</h3>" + _profiles(s))
        body.append("<h3>Dev scores and test confirmations</h3>" + _dev_test(s))
        body.append("<h3>Per-category scores (the tail)</h3>" + _tails(store, s))
        body.append("<h3>Sample responses</h3>" + _responses(store, s, show_harmful, responses_per_objective))
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'>"
            f"<title>mixmerge report: {_e(names)}</title><style>{CSS}</style>"
            f"<script type='text/javascript'>{get_plotlyjs()}</script></head><body>"
            + "\n".join(body) + "</body></html>")

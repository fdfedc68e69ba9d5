"""Plotly figures shared by the HTML report, the live dashboard and optuna-dashboard.

Every figure is built from the frames of :mod:`.data` and :mod:`.pareto`, so the three places show the same
numbers. Reference trials (the base model, each expert) are drawn as labelled markers on the fronts.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .compare import ArmResult
from .data import StudyData
from .pareto import Front

COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b")
LAYOUT = dict(template="plotly_white", margin=dict(l=60, r=20, t=50, b=50), height=420)


def hv_vs_compute(arms: Sequence[ArmResult], *, x: str = "cum_flops", budget: float | None = None) -> go.Figure:
    """Hypervolume against cumulative compute (FLOPs or device-seconds), one line per arm, setup included."""
    label = {"cum_flops": "cumulative FLOPs (setup included)",
             "cum_device_seconds": "cumulative device-seconds (setup included)",
             "wall_seconds": "wall time since the first trial (s)"}[x]
    fig = go.Figure()
    for k, a in enumerate(arms):
        c = a.curve.dropna(subset=[x])
        fig.add_trace(go.Scatter(x=c[x], y=c["hypervolume"], mode="lines+markers", line_shape="hv",
                                 name=f"{a.arm} ({a.study})", marker=dict(size=4),
                                 line=dict(color=COLOURS[k % len(COLOURS)])))
        if x == "cum_flops" and a.setup_flops > 0:
            fig.add_vline(x=a.setup_flops, line_dash="dot", line_color=COLOURS[k % len(COLOURS)],
                          annotation_text=f"{a.arm}: setup paid", annotation_position="bottom right")
    if budget and x == "cum_flops":
        for f in (0.25, 0.5, 1.0):
            fig.add_vline(x=budget * f, line_dash="dash", line_color="#888", annotation_text=f"{f:.0%} budget")
    fig.update_layout(title=f"Hypervolume vs {label.split(' (')[0]}", xaxis_title=label,
                      yaxis_title="hypervolume (feasible front, dev)", **LAYOUT)
    return fig


def _groups(data: StudyData, front: Front):
    return (("Pareto front (feasible)", front.front, dict(size=8, color="#1f77b4")),
            ("feasible, dominated", front.dominated, dict(size=5, color="#9ecae1")),
            ("infeasible", front.infeasible, dict(size=6, color="#d62728", symbol="x")))


def _references(data: StudyData):
    return data.references


def pareto_projections(data: StudyData, front: Front) -> go.Figure:
    """The three pairwise projections of the fronts, feasible and infeasible points, base and experts."""
    pairs = list(combinations(data.objectives, 2))
    fig = make_subplots(rows=1, cols=len(pairs), subplot_titles=[f"{a} vs {b}" for a, b in pairs])
    refs = _references(data)
    for col, (a, b) in enumerate(pairs, start=1):
        for name, frame, marker in _groups(data, front):
            fig.add_trace(go.Scatter(x=frame[a], y=frame[b], mode="markers", name=name, marker=marker,
                                     legendgroup=name, showlegend=col == 1,
                                     text=[f"trial {n}" for n in frame["number"]]), row=1, col=col)
        if len(refs):
            fig.add_trace(go.Scatter(x=refs[a], y=refs[b], mode="markers+text", name="base / experts",
                                     text=list(refs["role"]), textposition="top center", legendgroup="refs",
                                     showlegend=col == 1,
                                     marker=dict(size=11, color="black", symbol="star")), row=1, col=col)
        fig.update_xaxes(title_text=a, row=1, col=col)
        fig.update_yaxes(title_text=b, row=1, col=col)
    fig.update_layout(title=f"{data.name}: Pareto front projections", **{**LAYOUT, "height": 400})
    return fig


def pareto_3d(data: StudyData, front: Front) -> go.Figure:
    """An interactive 3-D view of the same points (the first three objectives)."""
    a, b, c = data.objectives[:3]
    fig = go.Figure()
    for name, frame, marker in _groups(data, front):
        fig.add_trace(go.Scatter3d(x=frame[a], y=frame[b], z=frame[c], mode="markers", name=name,
                                   marker={**marker, "size": max(2, marker["size"] // 2)},
                                   text=[f"trial {n}" for n in frame["number"]]))
    refs = _references(data)
    if len(refs):
        fig.add_trace(go.Scatter3d(x=refs[a], y=refs[b], z=refs[c], mode="markers+text", name="base / experts",
                                   text=list(refs["role"]), marker=dict(size=6, color="black", symbol="diamond")))
    fig.update_layout(title=f"{data.name}: Pareto front (3-D)",
                      scene=dict(xaxis_title=a, yaxis_title=b, zaxis_title=c), **{**LAYOUT, "height": 560})
    return fig

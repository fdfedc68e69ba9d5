"""PNG figures for the README, drawn with matplotlib (plotly's PNG export needs a browser)."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from .charts import COLOURS  # noqa: E402
from .html import Report  # noqa: E402


def write_pngs(report: Report, out_dir: str | Path, dpi: int = 110) -> list[Path]:
    """Hypervolume vs compute (all arms) and each study's Pareto projections; returns the files written."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    arms = report.comparison.arms if report.comparison else []
    if not arms:
        from .compare import arm_result

        arms = [arm_result(s.data) for s in report.studies if s.front is not None]
    if arms:
        fig, axes = plt.subplots(1, 2, figsize=(11, 4))
        for k, a in enumerate(arms):
            for ax, x in zip(axes, ("cum_flops", "cum_device_seconds"), strict=True):
                ax.step(a.curve[x], a.curve["hypervolume"], where="post", color=COLOURS[k % len(COLOURS)],
                        label=f"{a.arm} ({a.study})")
        if report.comparison is not None:
            for f in (0.25, 0.5, 1.0):
                axes[0].axvline(report.comparison.budget_flops * f, color="#888", ls="--", lw=0.8)
        axes[0].set_xlabel("cumulative FLOPs (setup included)")
        axes[1].set_xlabel("cumulative device-seconds (setup included)")
        for ax in axes:
            ax.set_ylabel("hypervolume")
            ax.grid(alpha=0.3)
        axes[0].legend()
        fig.suptitle("Hypervolume vs compute")
        fig.tight_layout()
        path = out / "hv_vs_compute.png"
        fig.savefig(path, dpi=dpi)
        plt.close(fig)
        written.append(path)
    for s in report.studies:
        if s.front is None:
            continue
        d = s.data
        pairs = list(combinations(d.objectives, 2))
        fig, axes = plt.subplots(1, len(pairs), figsize=(4.2 * len(pairs), 4))
        refs = d.references
        for ax, (a, b) in zip(axes, pairs, strict=True):
            ax.scatter(s.front.dominated[a], s.front.dominated[b], s=10, c="#9ecae1", label="feasible, dominated")
            ax.scatter(s.front.infeasible[a], s.front.infeasible[b], s=14, c="#d62728", marker="x",
                       label="infeasible")
            ax.scatter(s.front.front[a], s.front.front[b], s=22, c="#1f77b4", label="Pareto front")
            ax.scatter(refs[a], refs[b], s=80, c="black", marker="*", label="base / experts")
            for _, r in refs.iterrows():
                ax.annotate(r["role"], (r[a], r[b]), fontsize=7, xytext=(3, 3), textcoords="offset points")
            ax.set_xlabel(a)
            ax.set_ylabel(b)
            ax.grid(alpha=0.3)
        axes[0].legend(fontsize=7)
        fig.suptitle(f"{d.name} ({d.arm}): Pareto front projections")
        fig.tight_layout()
        path = out / f"pareto_{_safe(d.name)}.png"
        fig.savefig(path, dpi=dpi)
        plt.close(fig)
        written.append(path)
    return written


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in name)

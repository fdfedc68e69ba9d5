"""mixmerge.reports: hypervolume, Pareto fronts, mix vs merge at equal compute, profiles, HTML and PNGs.

Reads the store only (never the search or merge code): everything it shows was recorded by the workers.
"""

from __future__ import annotations

from pathlib import Path

from mixmerge.storage import Store

from .hypervolume import hypervolume, hypervolume_curve, nondominated_mask

__all__ = ["hypervolume", "hypervolume_curve", "nondominated_mask", "write_report"]


def write_report(
    store: Store,
    studies: list[str],
    out: str | Path,
    *,
    png_dir: str | Path | None = None,
    show_harmful: bool = False,
    n_boot: int = 200,
) -> tuple[Path, list[Path]]:
    """Write the self-contained HTML report (and the PNG figures); return their paths."""
    from .figures import write_pngs
    from .html import analyse, render_html

    report = analyse(store, studies, n_boot=n_boot)
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(store, report, show_harmful=show_harmful), encoding="utf-8")
    pngs = write_pngs(report, png_dir) if png_dir is not None else []
    return path, pngs

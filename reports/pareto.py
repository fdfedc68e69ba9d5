"""The feasible Pareto set of a study and its hypervolume, the numbers every other view starts from."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .data import StudyData
from .hypervolume import hypervolume, hypervolume_curve, nondominated_mask


@dataclass
class Front:
    """The study's full-fidelity dev points split into the feasible front, the rest, and the infeasible."""

    front: pd.DataFrame
    dominated: pd.DataFrame
    infeasible: pd.DataFrame
    hypervolume: float


def pareto_front(data: StudyData) -> Front:
    """Feasible, non-dominated trials (by dev scores at full fidelity) and the hypervolume they span."""
    done = data.complete
    feasible = done[done["feasible"]]
    pts = data.points(feasible)
    mask = nondominated_mask(pts) if len(pts) else np.zeros(0, dtype=bool)
    front = feasible[mask]
    return Front(
        front=front.sort_values(data.objectives[0], ascending=False),
        dominated=feasible[~mask],
        infeasible=done[~done["feasible"]],
        hypervolume=hypervolume(data.points(front), data.reference_point) if len(front) else 0.0,
    )


def progress(data: StudyData) -> pd.DataFrame:
    """Hypervolume after each trial, against cumulative compute and wall time (trials in completion order).

    Trials without full-fidelity scores (screened out, failed, running) add compute but no point.
    """
    t = data.trials
    pts = t[data.objectives].to_numpy(dtype=float)
    usable = (t["has_scores"] & t["feasible"]).to_numpy()
    pts = np.where(usable[:, None], pts, -np.inf)
    hv = hypervolume_curve(pts, data.reference_point)
    start = pd.to_datetime(t["start"], utc=True).min() if len(t) else pd.NaT
    wall = (pd.to_datetime(t["complete"], utc=True) - start).dt.total_seconds()
    return pd.DataFrame(
        {
            "number": t["number"].to_numpy(),
            "cum_flops": t["cum_flops"].to_numpy(),
            "cum_device_seconds": t["cum_device_seconds"].to_numpy(),
            "wall_seconds": wall.to_numpy(),
            "hypervolume": hv,
        }
    )

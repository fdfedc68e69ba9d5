"""Our hypervolume chart inside optuna-dashboard, which works on the same storage URL.

optuna-dashboard shows plotly figures saved into a study's system attributes; saving ours there (with a
fixed id, so a new report replaces the old chart) lets its users see hypervolume against compute too.
"""

from __future__ import annotations

import warnings

import optuna
from mixmerge.storage import Store

from .charts import hv_vs_compute
from .compare import arm_result
from .data import load_study

GRAPH_ID = "mixmerge-hypervolume"


def publish_hypervolume(store: Store, name: str) -> str | None:
    """Save study ``name``'s hypervolume-vs-compute chart into it for optuna-dashboard; returns its id."""
    from optuna_dashboard import save_plotly_graph_object

    data = load_study(store, name)
    if not len(data.complete):
        return None
    figure = hv_vs_compute([arm_result(data)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        study = optuna.load_study(study_name=name, storage=store.optuna_storage(None, None))
        return save_plotly_graph_object(study, figure, graph_object_id=GRAPH_ID)

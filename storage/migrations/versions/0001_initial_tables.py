"""Initial mixmerge tables: scores, categories, items, costs, provenance, artifacts, HV, failures, meta.

Revision ID: 0001
Revises:
Create Date: 2026-11-28

Written against Optuna 5.0's ``studies`` and ``trials`` tables (foreign keys, ON DELETE CASCADE).
Self-contained on purpose: a revision must not import the current schema, which moves on.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
NULL_TRIAL = sa.text("trial_id IS NULL")


def _finite(table: str, column: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(
        f"{column} IS NULL OR ({column} >= -1e308 AND {column} <= 1e308)",
        name=op.f(f"ck_{table}_{column}_finite"),
    )


def _study(table: str) -> list:
    return [
        sa.Column("study_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["study_id"], ["studies.study_id"], name=op.f(f"fk_{table}_study_id_studies"), ondelete="CASCADE"
        ),
    ]


def _trial(table: str, *, nullable: bool) -> list:
    return [
        sa.Column("trial_id", sa.Integer(), nullable=nullable),
        sa.ForeignKeyConstraint(
            ["trial_id"], ["trials.trial_id"], name=op.f(f"fk_{table}_trial_id_trials"), ondelete="CASCADE"
        ),
    ]


def _pk(table: str) -> list:
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def _stage() -> list:
    return [
        sa.Column("objective", sa.String(length=64), nullable=False),
        sa.Column("split", sa.String(length=32), nullable=False),
        sa.Column("fidelity", sa.Double(), nullable=False),
    ]


def _study_index(table: str) -> None:
    op.create_index(op.f(f"ix_{table}_study_id"), table, ["study_id"], unique=False)


def _setup_unique(name: str, table: str, columns: list[str]) -> None:
    """Uniqueness of study-level rows (trial_id NULL), which a plain UNIQUE would let repeat."""
    op.create_index(name, table, columns, unique=True, sqlite_where=NULL_TRIAL, postgresql_where=NULL_TRIAL)


def upgrade() -> None:
    t = "mm_study_meta"
    op.create_table(
        t,
        sa.Column("study_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("arm", sa.String(length=64), nullable=True),
        sa.Column("spec", JSON, nullable=False),
        sa.Column("reference_point", JSON, nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["study_id"], ["studies.study_id"], name=op.f(f"fk_{t}_study_id_studies"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("study_id", name=op.f(f"pk_{t}")),
    )

    t = "mm_scores"
    op.create_table(
        t,
        *_pk(t),
        *_study(t),
        *_trial(t, nullable=False),
        sa.Column("trial_number", sa.Integer(), nullable=False),
        *_stage(),
        sa.Column("value", sa.Double(), nullable=False),
        sa.Column("ci_low", sa.Double(), nullable=True),
        sa.Column("ci_high", sa.Double(), nullable=True),
        sa.Column("n_items", sa.Integer(), nullable=True),
        sa.Column("worst_category", sa.String(length=128), nullable=True),
        sa.Column("worst_value", sa.Double(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        *(_finite(t, c) for c in ("value", "ci_low", "ci_high", "worst_value")),
        sa.CheckConstraint("fidelity > 0 AND fidelity <= 1", name=op.f(f"ck_{t}_fidelity_range")),
        sa.UniqueConstraint(
            "trial_id",
            "objective",
            "split",
            "fidelity",
            name=op.f(f"uq_{t}_trial_id_objective_split_fidelity"),
        ),
    )
    _study_index(t)

    t = "mm_category_scores"
    op.create_table(
        t,
        *_pk(t),
        *_study(t),
        *_trial(t, nullable=False),
        *_stage(),
        sa.Column("category", sa.String(length=128), nullable=False),
        sa.Column("value", sa.Double(), nullable=False),
        sa.Column("ci_low", sa.Double(), nullable=True),
        sa.Column("ci_high", sa.Double(), nullable=True),
        sa.Column("n_items", sa.Integer(), nullable=True),
        *(_finite(t, c) for c in ("value", "ci_low", "ci_high")),
        sa.UniqueConstraint(
            "trial_id",
            "objective",
            "split",
            "fidelity",
            "category",
            name=op.f(f"uq_{t}_trial_id_objective_split_fidelity_category"),
        ),
    )
    _study_index(t)

    t = "mm_item_results"
    op.create_table(
        t,
        *_pk(t),
        *_study(t),
        *_trial(t, nullable=False),
        *_stage(),
        sa.Column("item_id", sa.String(length=256), nullable=False),
        sa.Column("category", sa.String(length=128), nullable=True),
        sa.Column("value", sa.Double(), nullable=False),
        sa.Column("response", sa.Text(), nullable=True),
        _finite(t, "value"),
        sa.UniqueConstraint(
            "trial_id",
            "objective",
            "split",
            "fidelity",
            "item_id",
            name=op.f(f"uq_{t}_trial_id_objective_split_fidelity_item_id"),
        ),
    )
    _study_index(t)

    t = "mm_costs"
    op.create_table(
        t,
        *_pk(t),
        *_study(t),
        *_trial(t, nullable=True),
        sa.Column("trial_number", sa.Integer(), nullable=True),
        sa.Column("arm", sa.String(length=64), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("label", sa.String(length=256), nullable=False),
        sa.Column("flops", sa.Double(), nullable=False),
        sa.Column("device_seconds", sa.Double(), nullable=False),
        sa.Column("tokens", sa.BigInteger(), nullable=False),
        sa.Column("paid", sa.Boolean(), nullable=False),
        sa.Column("device", sa.String(length=64), nullable=True),
        sa.Column("breakdown", JSON, nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "(kind = 'trial' AND trial_id IS NOT NULL) OR (kind = 'setup' AND trial_id IS NULL)",
            name=op.f(f"ck_{t}_kind_matches_trial"),
        ),
        sa.CheckConstraint(
            "flops >= 0 AND flops <= 1e308 AND device_seconds >= 0 AND device_seconds <= 1e308 "
            "AND tokens >= 0",
            name=op.f(f"ck_{t}_amounts_finite_nonnegative"),
        ),
        sa.UniqueConstraint("trial_id", "label", name=op.f(f"uq_{t}_trial_id_label")),
    )
    _study_index(t)
    _setup_unique("uq_mm_costs_setup_label", t, ["study_id", "label"])

    t = "mm_provenance"
    op.create_table(
        t,
        *_pk(t),
        *_study(t),
        *_trial(t, nullable=True),
        sa.Column("key", sa.String(length=256), nullable=False),
        sa.Column("value", JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("trial_id", "key", name=op.f(f"uq_{t}_trial_id_key")),
    )
    _study_index(t)
    _setup_unique("uq_mm_provenance_study_key", t, ["study_id", "key"])

    t = "mm_artifacts"
    op.create_table(
        t,
        *_pk(t),
        *_study(t),
        *_trial(t, nullable=True),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("path", sa.String(length=1024), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("bytes", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("bytes >= 0", name=op.f(f"ck_{t}_bytes_nonnegative")),
        sa.UniqueConstraint("trial_id", "kind", "path", name=op.f(f"uq_{t}_trial_id_kind_path")),
    )
    _study_index(t)
    _setup_unique("uq_mm_artifacts_study_kind_path", t, ["study_id", "kind", "path"])

    t = "mm_hv_snapshots"
    op.create_table(
        t,
        *_pk(t),
        *_study(t),
        sa.Column("arm", sa.String(length=64), nullable=True),
        sa.Column("at_time", sa.DateTime(), nullable=False),
        sa.Column("cumulative_flops", sa.Double(), nullable=False),
        sa.Column("cumulative_device_seconds", sa.Double(), nullable=False),
        sa.Column("n_trials", sa.Integer(), nullable=False),
        sa.Column("hypervolume", sa.Double(), nullable=False),
        sa.Column("fidelity", sa.Double(), nullable=False),
        sa.Column("split", sa.String(length=32), nullable=False),
        sa.CheckConstraint(
            "hypervolume >= 0 AND hypervolume <= 1e308", name=op.f(f"ck_{t}_hypervolume_finite")
        ),
        sa.CheckConstraint(
            "cumulative_flops >= 0 AND cumulative_flops <= 1e308 "
            "AND cumulative_device_seconds >= 0 AND cumulative_device_seconds <= 1e308",
            name=op.f(f"ck_{t}_cumulative_finite"),
        ),
    )
    _study_index(t)

    t = "mm_failures"
    op.create_table(
        t,
        *_pk(t),
        *_study(t),
        *_trial(t, nullable=True),
        sa.Column("trial_number", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("traceback", sa.Text(), nullable=True),
        sa.Column("at_time", sa.DateTime(), nullable=False),
    )
    _study_index(t)
    op.create_index(op.f(f"ix_{t}_trial_id"), t, ["trial_id"], unique=False)


def downgrade() -> None:
    for table in (
        "mm_failures",
        "mm_hv_snapshots",
        "mm_artifacts",
        "mm_provenance",
        "mm_costs",
        "mm_item_results",
        "mm_category_scores",
        "mm_scores",
        "mm_study_meta",
    ):
        op.drop_table(table)

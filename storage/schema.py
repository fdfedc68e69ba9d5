"""Our tables, beside Optuna's in the same database.

Optuna's RDB storage owns studies and trials; everything else a study produces lives here, keyed by
Optuna's ``study_id`` and ``trial_id`` (with the trial number copied beside them for readable reports).
Every table is prefixed ``mm_`` so it can never collide with Optuna's tables.

Two of Optuna's tables appear below as minimal stand-ins (``studies``, ``trials``, only the columns we
reference or join on), so that our foreign keys resolve and readers can join on study names and trial
numbers. They are marked ``info={"owner": "optuna"}``: migrations never create or alter them, and a test
checks they still match Optuna's own models. This file is the *current* schema; the migrations under
``migrations/versions`` build it step by step and a test checks the two agree.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# A finite double: rejects NaN on PostgreSQL (where NaN sorts above +inf) and +-inf on both backends;
# SQLite turns a bound NaN into NULL, which the NOT NULL (or the store's own check) rejects.
FINITE_LIMIT = "1e308"


def finite(column: str) -> str:
    return f"{column} IS NULL OR ({column} >= -{FINITE_LIMIT} AND {column} <= {FINITE_LIMIT})"


class UTCDateTime(sa.TypeDecorator[datetime]):
    """Timestamps stored as naive UTC (SQLite has no time zones) and read back as aware UTC."""

    impl = sa.DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


JSONType = sa.JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING)


# --- Optuna's tables, as far as we reference them (never created or altered by us) ---------------
optuna_studies = sa.Table(
    "studies",
    Base.metadata,
    sa.Column("study_id", sa.Integer, primary_key=True),
    sa.Column("study_name", sa.String(512), nullable=False),
    info={"owner": "optuna"},
)
optuna_trials = sa.Table(
    "trials",
    Base.metadata,
    sa.Column("trial_id", sa.Integer, primary_key=True),
    sa.Column("number", sa.Integer),
    sa.Column("study_id", sa.Integer, sa.ForeignKey("studies.study_id")),
    info={"owner": "optuna"},
)


def _study_fk() -> Any:
    return sa.ForeignKey("studies.study_id", ondelete="CASCADE")


def _trial_fk() -> Any:
    return sa.ForeignKey("trials.trial_id", ondelete="CASCADE")


class StudyMeta(Base):
    """What a study is for: its arm, its full spec and the hypervolume reference point fixed up front."""

    __tablename__ = "mm_study_meta"
    study_id: Mapped[int] = mapped_column(sa.Integer, _study_fk(), primary_key=True, autoincrement=False)
    arm: Mapped[str | None] = mapped_column(sa.String(64))
    spec: Mapped[Any] = mapped_column(JSONType, nullable=False)
    reference_point: Mapped[Any | None] = mapped_column(JSONType)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)


class Score(Base):
    """One objective's score of one trial on one split at one fidelity, with its bootstrap interval."""

    __tablename__ = "mm_scores"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    study_id: Mapped[int] = mapped_column(sa.Integer, _study_fk(), nullable=False, index=True)
    trial_id: Mapped[int] = mapped_column(sa.Integer, _trial_fk(), nullable=False)
    trial_number: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    objective: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    split: Mapped[str] = mapped_column(sa.String(32), nullable=False)
    fidelity: Mapped[float] = mapped_column(sa.Double, nullable=False)
    value: Mapped[float] = mapped_column(sa.Double, nullable=False)
    ci_low: Mapped[float | None] = mapped_column(sa.Double)
    ci_high: Mapped[float | None] = mapped_column(sa.Double)
    n_items: Mapped[int | None] = mapped_column(sa.Integer)
    worst_category: Mapped[str | None] = mapped_column(sa.String(128))
    worst_value: Mapped[float | None] = mapped_column(sa.Double)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    __table_args__ = (
        sa.UniqueConstraint("trial_id", "objective", "split", "fidelity"),
        sa.CheckConstraint(finite("value"), name="value_finite"),
        sa.CheckConstraint(finite("ci_low"), name="ci_low_finite"),
        sa.CheckConstraint(finite("ci_high"), name="ci_high_finite"),
        sa.CheckConstraint(finite("worst_value"), name="worst_value_finite"),
        sa.CheckConstraint("fidelity > 0 AND fidelity <= 1", name="fidelity_range"),
    )


class CategoryScore(Base):
    """One category's score (the per-category breakdown whose minimum is the tail)."""

    __tablename__ = "mm_category_scores"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    study_id: Mapped[int] = mapped_column(sa.Integer, _study_fk(), nullable=False, index=True)
    trial_id: Mapped[int] = mapped_column(sa.Integer, _trial_fk(), nullable=False)
    objective: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    split: Mapped[str] = mapped_column(sa.String(32), nullable=False)
    fidelity: Mapped[float] = mapped_column(sa.Double, nullable=False)
    category: Mapped[str] = mapped_column(sa.String(128), nullable=False)
    value: Mapped[float] = mapped_column(sa.Double, nullable=False)
    ci_low: Mapped[float | None] = mapped_column(sa.Double)
    ci_high: Mapped[float | None] = mapped_column(sa.Double)
    n_items: Mapped[int | None] = mapped_column(sa.Integer)
    __table_args__ = (
        sa.UniqueConstraint("trial_id", "objective", "split", "fidelity", "category"),
        sa.CheckConstraint(finite("value"), name="value_finite"),
        sa.CheckConstraint(finite("ci_low"), name="ci_low_finite"),
        sa.CheckConstraint(finite("ci_high"), name="ci_high_finite"),
    )


class ItemResult(Base):
    """One evaluation item's result: what paired bootstraps between models are computed from."""

    __tablename__ = "mm_item_results"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    study_id: Mapped[int] = mapped_column(sa.Integer, _study_fk(), nullable=False, index=True)
    trial_id: Mapped[int] = mapped_column(sa.Integer, _trial_fk(), nullable=False)
    objective: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    split: Mapped[str] = mapped_column(sa.String(32), nullable=False)
    fidelity: Mapped[float] = mapped_column(sa.Double, nullable=False)
    item_id: Mapped[str] = mapped_column(sa.String(256), nullable=False)
    category: Mapped[str | None] = mapped_column(sa.String(128))
    value: Mapped[float] = mapped_column(sa.Double, nullable=False)
    response: Mapped[str | None] = mapped_column(sa.Text)
    __table_args__ = (
        sa.UniqueConstraint("trial_id", "objective", "split", "fidelity", "item_id"),
        sa.CheckConstraint(finite("value"), name="value_finite"),
    )


class Cost(Base):
    """Compute spent by a trial or a setup step (expert training ...); ``paid`` false = already paid."""

    __tablename__ = "mm_costs"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    study_id: Mapped[int] = mapped_column(sa.Integer, _study_fk(), nullable=False, index=True)
    trial_id: Mapped[int | None] = mapped_column(sa.Integer, _trial_fk())
    trial_number: Mapped[int | None] = mapped_column(sa.Integer)
    arm: Mapped[str | None] = mapped_column(sa.String(64))
    kind: Mapped[str] = mapped_column(sa.String(16), nullable=False)
    label: Mapped[str] = mapped_column(sa.String(256), nullable=False)
    flops: Mapped[float] = mapped_column(sa.Double, nullable=False)
    device_seconds: Mapped[float] = mapped_column(sa.Double, nullable=False)
    tokens: Mapped[int] = mapped_column(sa.BigInteger, nullable=False)
    paid: Mapped[bool] = mapped_column(sa.Boolean, nullable=False)
    device: Mapped[str | None] = mapped_column(sa.String(64))
    breakdown: Mapped[Any | None] = mapped_column(JSONType)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    __table_args__ = (
        sa.UniqueConstraint("trial_id", "label"),
        sa.Index(
            "uq_mm_costs_setup_label",
            "study_id",
            "label",
            unique=True,
            sqlite_where=sa.text("trial_id IS NULL"),
            postgresql_where=sa.text("trial_id IS NULL"),
        ),
        sa.CheckConstraint(
            "(kind = 'trial' AND trial_id IS NOT NULL) OR (kind = 'setup' AND trial_id IS NULL)",
            name="kind_matches_trial",
        ),
        sa.CheckConstraint(
            "flops >= 0 AND flops <= 1e308 AND device_seconds >= 0 AND device_seconds <= 1e308 "
            "AND tokens >= 0",
            name="amounts_finite_nonnegative",
        ),
    )


class Provenance(Base):
    """Where a study's or trial's numbers came from: content hashes, code and library versions, seeds."""

    __tablename__ = "mm_provenance"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    study_id: Mapped[int] = mapped_column(sa.Integer, _study_fk(), nullable=False, index=True)
    trial_id: Mapped[int | None] = mapped_column(sa.Integer, _trial_fk())
    key: Mapped[str] = mapped_column(sa.String(256), nullable=False)
    value: Mapped[Any] = mapped_column(JSONType, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    __table_args__ = (
        sa.UniqueConstraint("trial_id", "key"),
        sa.Index(
            "uq_mm_provenance_study_key",
            "study_id",
            "key",
            unique=True,
            sqlite_where=sa.text("trial_id IS NULL"),
            postgresql_where=sa.text("trial_id IS NULL"),
        ),
    )


class Artifact(Base):
    """A file a study or trial produced (exported model, plot, report), with its content hash."""

    __tablename__ = "mm_artifacts"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    study_id: Mapped[int] = mapped_column(sa.Integer, _study_fk(), nullable=False, index=True)
    trial_id: Mapped[int | None] = mapped_column(sa.Integer, _trial_fk())
    kind: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    path: Mapped[str] = mapped_column(sa.String(1024), nullable=False)
    sha256: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    bytes: Mapped[int] = mapped_column(sa.BigInteger, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    __table_args__ = (
        sa.UniqueConstraint("trial_id", "kind", "path"),
        sa.Index(
            "uq_mm_artifacts_study_kind_path",
            "study_id",
            "kind",
            "path",
            unique=True,
            sqlite_where=sa.text("trial_id IS NULL"),
            postgresql_where=sa.text("trial_id IS NULL"),
        ),
        sa.CheckConstraint("bytes >= 0", name="bytes_nonnegative"),
    )


class HVSnapshot(Base):
    """The hypervolume of the front found so far, against compute and time: the search's progress curve."""

    __tablename__ = "mm_hv_snapshots"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    study_id: Mapped[int] = mapped_column(sa.Integer, _study_fk(), nullable=False, index=True)
    arm: Mapped[str | None] = mapped_column(sa.String(64))
    at_time: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    cumulative_flops: Mapped[float] = mapped_column(sa.Double, nullable=False)
    cumulative_device_seconds: Mapped[float] = mapped_column(sa.Double, nullable=False)
    n_trials: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    hypervolume: Mapped[float] = mapped_column(sa.Double, nullable=False)
    fidelity: Mapped[float] = mapped_column(sa.Double, nullable=False)
    split: Mapped[str] = mapped_column(sa.String(32), nullable=False)
    __table_args__ = (
        # One snapshot per state of the study: COMPLETE is final, so ``n_trials`` complete trials are always
        # the same trials; a retried write or two workers snapshotting the same state keep one row.
        sa.Index("uq_mm_hv_snapshots_state", "study_id", "split", "fidelity", "n_trials", unique=True),
        sa.CheckConstraint("hypervolume >= 0 AND hypervolume <= 1e308", name="hypervolume_finite"),
        sa.CheckConstraint(
            "cumulative_flops >= 0 AND cumulative_flops <= 1e308 "
            "AND cumulative_device_seconds >= 0 AND cumulative_device_seconds <= 1e308",
            name="cumulative_finite",
        ),
    )


class Failure(Base):
    """Why a trial (or a setup step, trial_id NULL) failed: no failure is ever silently lost.

    A trial fails once (Optuna's FAIL is final; a retry is a new trial), so a trial has at most one row;
    a second, different reason for the same trial is appended to it (see ``Store.record_failure``).
    """

    __tablename__ = "mm_failures"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    study_id: Mapped[int] = mapped_column(sa.Integer, _study_fk(), nullable=False, index=True)
    trial_id: Mapped[int | None] = mapped_column(sa.Integer, _trial_fk(), index=True, unique=True)
    trial_number: Mapped[int | None] = mapped_column(sa.Integer)
    reason: Mapped[str] = mapped_column(sa.Text, nullable=False)
    traceback: Mapped[str | None] = mapped_column(sa.Text)
    at_time: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)


OUR_TABLES = [t for t in Base.metadata.sorted_tables if t.name.startswith("mm_")]

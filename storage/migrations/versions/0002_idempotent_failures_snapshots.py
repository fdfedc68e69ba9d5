"""One failure row per trial, one hypervolume snapshot per study state.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29

A retried write (the store retries a transaction once when the connection drops, and the first attempt may
have committed), a worker that fails a trial another worker already failed as stale, or two workers that
snapshot the same state of the study used to add rows. Unique indexes now make those writes upserts:

- ``mm_failures.trial_id`` unique (NULL, a setup step's failure, may repeat): existing duplicates are merged
  into the oldest row, later distinct reasons appended to its reason (``"; then: "``);
- ``mm_hv_snapshots (study_id, split, fidelity, n_trials)`` unique: of existing duplicates the row with the
  highest hypervolume is kept (ties: the oldest).

Self-contained: it does not import the current schema.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

THEN = "; then: "
SNAPSHOT_STATE = ["study_id", "split", "fidelity", "n_trials"]

failures = sa.table(
    "mm_failures",
    sa.column("id", sa.Integer),
    sa.column("trial_id", sa.Integer),
    sa.column("reason", sa.Text),
    sa.column("traceback", sa.Text),
)
snapshots = sa.table(
    "mm_hv_snapshots",
    sa.column("id", sa.Integer),
    *(sa.column(c) for c in SNAPSHOT_STATE),
    sa.column("hypervolume", sa.Double),
)


def _merge_failures(conn: sa.Connection) -> None:
    dupes = (
        sa.select(failures.c.trial_id)
        .where(failures.c.trial_id.is_not(None))
        .group_by(failures.c.trial_id)
        .having(sa.func.count() > 1)
    )
    for trial_id in conn.execute(dupes).scalars().all():
        rows = conn.execute(
            sa.select(failures).where(failures.c.trial_id == trial_id).order_by(failures.c.id)
        ).all()
        keep, reasons, trace = rows[0], [], None
        for row in rows:
            if row.reason not in reasons:
                reasons.append(row.reason)
            trace = trace or row.traceback
        conn.execute(
            sa.update(failures).where(failures.c.id == keep.id).values(reason=THEN.join(reasons), traceback=trace)
        )
        conn.execute(sa.delete(failures).where(failures.c.trial_id == trial_id, failures.c.id != keep.id))


def _merge_snapshots(conn: sa.Connection) -> None:
    state = [snapshots.c[c] for c in SNAPSHOT_STATE]
    dupes = sa.select(*state).group_by(*state).having(sa.func.count() > 1)
    for key in conn.execute(dupes).all():
        same = [col == value for col, value in zip(state, key, strict=True)]
        rows = conn.execute(
            sa.select(snapshots.c.id).where(*same).order_by(snapshots.c.hypervolume.desc(), snapshots.c.id)
        ).scalars().all()
        conn.execute(sa.delete(snapshots).where(*same, snapshots.c.id != rows[0]))


def upgrade() -> None:
    conn = op.get_bind()
    _merge_failures(conn)
    op.drop_index("ix_mm_failures_trial_id", table_name="mm_failures")
    op.create_index("ix_mm_failures_trial_id", "mm_failures", ["trial_id"], unique=True)
    _merge_snapshots(conn)
    op.create_index("uq_mm_hv_snapshots_state", "mm_hv_snapshots", SNAPSHOT_STATE, unique=True)


def downgrade() -> None:
    op.drop_index("uq_mm_hv_snapshots_state", table_name="mm_hv_snapshots")
    op.drop_index("ix_mm_failures_trial_id", table_name="mm_failures")
    op.create_index("ix_mm_failures_trial_id", "mm_failures", ["trial_id"], unique=False)

"""The Store: record and read everything a study produces, beside Optuna's tables.

Writes are transactions: :meth:`Store.record_trial_result` writes a trial's scores, categories, items and cost
together or not at all. Writes are idempotent: recording a trial stage again (a retry after a dropped
connection, a re-run after a crash) replaces that stage's rows instead of adding to them, and a trial's
failure and a hypervolume snapshot are upserts on their own keys (one failure row per trial, one snapshot per
number of complete trials). A transaction that fails because the connection dropped or SQLite stayed locked is
retried once on a fresh connection, which is safe precisely because it is all-or-nothing and idempotent.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import optuna
import sqlalchemy as sa
from pydantic import TypeAdapter, ValidationError
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError, SQLAlchemyError

from . import locks, migrate
from .engine import WRITE_OPTION, engine_kwargs, make_engine, preflight
from .errors import StorageError
from .pins import check_optuna_version
from .provenance import path_sha256
from .records import CostRecord, ObjectiveResult, check_json
from .schema import (
    Artifact,
    CategoryScore,
    Cost,
    Failure,
    HVSnapshot,
    ItemResult,
    Provenance,
    Score,
    StudyMeta,
    optuna_studies,
    optuna_trials,
    utcnow,
)
from .urls import full, normalise_url, redact

log = logging.getLogger(__name__)

T = TypeVar("T")
StudyRef = int | str  # Optuna's study_id, or the study's name

_RESULTS = TypeAdapter(list[ObjectiveResult])


@dataclass(frozen=True)
class TrialRef:
    """Optuna's identifiers of one trial: the global ``trial_id`` and the per-study ``number``."""

    trial_id: int
    study_id: int
    number: int


@dataclass(frozen=True)
class CostTotals:
    """Compute of a study (or one arm), split into what the budget pays and what was already paid."""

    flops: float
    device_seconds: float
    tokens: int
    already_paid_flops: float
    already_paid_device_seconds: float
    already_paid_tokens: int
    n_trials: int
    n_setup_steps: int


def trial_id_of(trial: optuna.trial.BaseTrial | int) -> int:
    """Optuna's global ``trial_id`` of a ``Trial``/``FrozenTrial`` (its private ``_trial_id``, stable in
    the pinned Optuna major version), or the int itself."""
    if isinstance(trial, int):
        return trial
    found = getattr(trial, "_trial_id", None)
    if not isinstance(found, int):
        raise StorageError(f"cannot tell the trial_id of {trial!r}: pass an Optuna trial or its trial_id")
    return found


def open_store(url: str | os.PathLike[str], *, migrate_schema: bool = True) -> Store:
    """Open the study database at ``url``, creating and migrating tables as needed.

    Order matters: the URL is normalised and the Optuna version checked, then the database is checked
    reachable *before anything is created* (a clear :class:`StorageError` otherwise), then Optuna's tables
    and ours are brought up to date under a cross-process lock.
    """
    check_optuna_version()
    sa_url = normalise_url(url)
    preflight(sa_url)
    engine = make_engine(sa_url)
    try:
        with engine.connect() as conn:
            current = migrate.current_revision(conn)
        if current == migrate.head_revision():
            pass  # up to date: our tables exist, so Optuna's (which they reference) do too
        elif migrate_schema:
            with migrate.init_lock(sa_url, engine):
                migrate.ensure_optuna_tables(sa_url)
                migrate.upgrade(sa_url, engine)
        else:
            raise StorageError(
                f"the store at {redact(sa_url)} is at schema revision {current!r}, not "
                f"{migrate.head_revision()!r}: open it once with migrations enabled"
            )
    except SQLAlchemyError as exc:
        engine.dispose()
        raise StorageError(f"cannot prepare the store at {redact(sa_url)}: {exc}") from exc
    except BaseException:
        engine.dispose()
        raise
    return Store(sa_url, engine)


class Store:
    """Read and write mixmerge's tables of one database. Create with :func:`open_store`."""

    def __init__(self, url: URL, engine: Engine) -> None:
        self.url = url
        self.engine = engine
        self._optuna: list[optuna.storages.RDBStorage] = []

    # --- lifecycle -------------------------------------------------------------------------------
    def close(self) -> None:
        """Release every connection of this store, Optuna storages it handed out included."""
        for storage in self._optuna:
            storage.engine.dispose()
        self._optuna.clear()
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({redact(self.url)!r})"

    def lock(self, name: str) -> contextlib.AbstractContextManager[None]:
        """An exclusive lock across processes (``storage.locks``), e.g. around a worker's budget check and ask."""
        return locks.exclusive(self.url, self.engine, name)

    @property
    def url_text(self) -> str:
        """The URL (password hidden) for messages; ``optuna-dashboard`` takes the full one."""
        return redact(self.url)

    def optuna_storage(
        self,
        heartbeat_interval: int | None = 60,
        grace_period: int | None = 120,
        heartbeat_stale_trial_callback: Callable[[optuna.Study, optuna.trial.FrozenTrial], None]
        | None = None,
    ) -> optuna.storages.RDBStorage:
        """Optuna's storage on this same database, with heartbeats so a dead worker's trial is retried.

        Its connections are released by :meth:`close`.
        """
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
            storage = optuna.storages.RDBStorage(
                full(self.url),
                engine_kwargs=engine_kwargs(self.url),
                heartbeat_interval=heartbeat_interval,
                grace_period=grace_period,
                heartbeat_stale_trial_callback=heartbeat_stale_trial_callback,
                skip_table_creation=True,
            )
        self._optuna.append(storage)
        return storage

    # --- transactions ----------------------------------------------------------------------------
    def _run(self, work: Callable[[Connection], T], *, write: bool, what: str) -> T:
        """Run ``work`` in one transaction; retry once on a dropped connection or a lock/race."""
        for attempt in (1, 2):
            try:
                with self.engine.connect() as conn:
                    if write:
                        conn = conn.execution_options(**{WRITE_OPTION: True})
                    with conn.begin():
                        return work(conn)
            except DBAPIError as exc:
                retry = exc.connection_invalidated or isinstance(exc, OperationalError)
                retry = retry or (write and isinstance(exc, IntegrityError))
                if attempt == 1 and retry:
                    log.warning("%s at %s failed (%s); retrying once", what, self.url_text, _first_line(exc))
                    continue
                raise StorageError(f"{what} at {self.url_text} failed: {_first_line(exc)}") from exc
        raise AssertionError("unreachable")

    # --- identifiers -----------------------------------------------------------------------------
    def _study_id(self, conn: Connection, study: StudyRef) -> int:
        col = optuna_studies.c.study_name if isinstance(study, str) else optuna_studies.c.study_id
        found = conn.execute(sa.select(optuna_studies.c.study_id).where(col == study)).scalar()
        if found is None:
            raise StorageError(
                f"no study {study!r} in the store at {self.url_text}: create it with optuna.create_study "
                "on Store.optuna_storage() first (or check the name)"
            )
        return int(found)

    def _trial(self, conn: Connection, trial_id: int) -> TrialRef:
        row = conn.execute(
            sa.select(optuna_trials.c.study_id, optuna_trials.c.number).where(
                optuna_trials.c.trial_id == trial_id
            )
        ).first()
        if row is None:
            raise StorageError(
                f"trial_id {trial_id} is not a trial in the store at {self.url_text}: record results "
                "only for trials Optuna created there (FrozenTrial._trial_id, or Store.trial_ref)"
            )
        return TrialRef(trial_id=trial_id, study_id=int(row.study_id), number=int(row.number))

    def study_id(self, study: StudyRef) -> int:
        return self._run(lambda c: self._study_id(c, study), write=False, what="looking up a study")

    def trial_ref(
        self, trial_id: int | None = None, *, study: StudyRef | None = None, number: int | None = None
    ) -> TrialRef:
        """Resolve a trial from its ``trial_id``, or from ``study`` and its per-study ``number``."""

        def work(conn: Connection) -> TrialRef:
            if trial_id is not None:
                return self._trial(conn, trial_id)
            if study is None or number is None:
                raise StorageError("trial_ref needs trial_id, or both study and number")
            sid = self._study_id(conn, study)
            found = conn.execute(
                sa.select(optuna_trials.c.trial_id).where(
                    optuna_trials.c.study_id == sid, optuna_trials.c.number == number
                )
            ).scalar()
            if found is None:
                raise StorageError(f"study {study!r} has no trial number {number}")
            return TrialRef(trial_id=int(found), study_id=sid, number=number)

        return self._run(work, write=False, what="looking up a trial")

    # --- study meta ------------------------------------------------------------------------------
    def put_study_meta(
        self,
        study: StudyRef,
        *,
        arm: str | None,
        spec: Mapping[str, Any],
        reference_point: Sequence[float] | Mapping[str, float] | None = None,
        replace: bool = False,
    ) -> None:
        """Record what a study is; on resume the same spec is a no-op, a different one an error."""
        spec = check_json(dict(spec), "spec")
        ref = check_json(
            None
            if reference_point is None
            else (dict(reference_point) if isinstance(reference_point, Mapping) else list(reference_point)),
            "reference_point",
        )

        def work(conn: Connection) -> None:
            sid = self._study_id(conn, study)
            query = sa.select(StudyMeta.__table__).where(StudyMeta.study_id == sid)
            row = conn.execute(query).mappings().first()
            if row is not None:
                same = row["arm"] == arm and row["spec"] == spec and row["reference_point"] == ref
                if same:
                    return
                if not replace:
                    changed = [
                        k
                        for k, new in (("arm", arm), ("spec", spec), ("reference_point", ref))
                        if row[k] != new
                    ]
                    raise StorageError(
                        f"study {study!r} was started with a different {', '.join(changed)}: resume with the "
                        "same spec, or start a new study (a study name per spec)"
                    )
                conn.execute(sa.delete(StudyMeta).where(StudyMeta.study_id == sid))
            conn.execute(
                sa.insert(StudyMeta).values(
                    study_id=sid, arm=arm, spec=spec, reference_point=ref, created_at=utcnow()
                )
            )

        self._run(work, write=True, what=f"recording the spec of study {study!r}")

    def study_meta(self, study: StudyRef) -> dict[str, Any] | None:
        def work(conn: Connection) -> dict[str, Any] | None:
            sid = self._study_id(conn, study)
            row = (
                conn.execute(sa.select(StudyMeta.__table__).where(StudyMeta.study_id == sid))
                .mappings()
                .first()
            )
            return None if row is None else dict(row)

        return self._run(work, write=False, what="reading a study's spec")

    def _arm(self, conn: Connection, study_id: int, arm: str | None) -> str | None:
        if arm is not None:
            return arm
        return conn.execute(sa.select(StudyMeta.arm).where(StudyMeta.study_id == study_id)).scalar()

    # --- trial results ---------------------------------------------------------------------------
    def record_trial_result(
        self,
        trial_id: int,
        *,
        split: str,
        fidelity: float,
        results: Sequence[ObjectiveResult | Mapping[str, Any]],
        cost: CostRecord | Mapping[str, Any] | None = None,
        arm: str | None = None,
    ) -> TrialRef:
        """Write one trial stage (its split and fidelity): scores, categories, items and cost, atomically.

        Recording the same stage again replaces its rows. Returns the trial's identifiers.
        """
        results = list(results)
        try:
            parsed = _RESULTS.validate_python(results)
        except ValidationError as exc:
            raise StorageError(f"trial_id {trial_id}, {split}@{fidelity}: {_describe(exc, results)}") from exc
        try:
            cost_rec = None if cost is None else CostRecord.model_validate(cost)
        except ValidationError as exc:
            raise StorageError(f"trial_id {trial_id}, {split}@{fidelity}: cost {_describe(exc)}") from exc
        _check_stage(split, fidelity, f"trial_id {trial_id}")
        _check_unique_objectives(parsed, trial_id)
        label = (cost_rec.label if cost_rec and cost_rec.label else None) or f"trial {split}@{fidelity:g}"

        def work(conn: Connection) -> TrialRef:
            ref = self._trial(conn, trial_id)
            stage = {"trial_id": trial_id, "split": split, "fidelity": fidelity}
            for table in (Score, CategoryScore, ItemResult):
                conn.execute(sa.delete(table).where(*(getattr(table, k) == v for k, v in stage.items())))
            now = utcnow()
            base = {"study_id": ref.study_id, **stage}
            score_rows = [
                {
                    **base,
                    "trial_number": ref.number,
                    "objective": r.objective,
                    "value": r.value,
                    "ci_low": r.ci_low,
                    "ci_high": r.ci_high,
                    "n_items": r.n_items,
                    "worst_category": r.worst_category,
                    "worst_value": r.worst_value,
                    "created_at": now,
                }
                for r in parsed
            ]
            _insert_many(conn, Score, score_rows)
            cat_rows = [
                {**base, "objective": r.objective, **c.model_dump()} for r in parsed for c in r.categories
            ]
            _insert_many(conn, CategoryScore, cat_rows)
            item_rows = [
                {**base, "objective": r.objective, **i.model_dump()} for r in parsed for i in r.items
            ]
            _insert_many(conn, ItemResult, item_rows)
            if cost_rec is not None:
                self._put_cost(conn, ref.study_id, ref, cost_rec, label, self._arm(conn, ref.study_id, arm))
            return ref

        return self._run(work, write=True, what=f"recording trial_id {trial_id} ({split}@{fidelity:g})")

    def _put_cost(
        self,
        conn: Connection,
        study_id: int,
        ref: TrialRef | None,
        cost: CostRecord,
        label: str,
        arm: str | None,
    ) -> None:
        if ref is None:
            conn.execute(
                sa.delete(Cost).where(Cost.study_id == study_id, Cost.trial_id.is_(None), Cost.label == label)
            )
        else:
            conn.execute(sa.delete(Cost).where(Cost.trial_id == ref.trial_id, Cost.label == label))
        conn.execute(
            sa.insert(Cost).values(
                study_id=study_id,
                trial_id=None if ref is None else ref.trial_id,
                trial_number=None if ref is None else ref.number,
                arm=arm,
                kind="setup" if ref is None else "trial",
                label=label,
                flops=cost.flops,
                device_seconds=cost.device_seconds,
                tokens=cost.tokens,
                paid=cost.paid,
                device=cost.device,
                breakdown=cost.breakdown,
                created_at=utcnow(),
            )
        )

    def record_cost(
        self,
        study: StudyRef,
        cost: CostRecord | Mapping[str, Any],
        *,
        trial_id: int | None = None,
        arm: str | None = None,
    ) -> None:
        """Record compute outside a trial stage: a setup step (``trial_id=None``, e.g. expert training,
        ``paid=False`` when the experts were given) or an extra part of a trial. Same label = replaced."""
        try:
            rec = CostRecord.model_validate(cost)
        except ValidationError as exc:
            raise StorageError(f"study {study!r}: cost {_describe(exc)}") from exc
        if rec.label is None:
            raise StorageError(
                f"study {study!r}: a cost outside record_trial_result needs a label "
                "(e.g. 'train expert helpful')"
            )

        def work(conn: Connection) -> None:
            sid = self._study_id(conn, study)
            ref = None
            if trial_id is not None:
                ref = self._trial(conn, trial_id)
                _same_study(ref, sid, study)
            self._put_cost(conn, sid, ref, rec, rec.label or "", self._arm(conn, sid, arm))

        self._run(work, write=True, what=f"recording cost {rec.label!r} of study {study!r}")

    def record_failure(
        self,
        *,
        reason: str,
        trial_id: int | None = None,
        study: StudyRef | None = None,
        traceback: str | None = None,
    ) -> None:
        """Record why a trial (or, with ``study`` only, a setup step) failed.

        Idempotent: a trial has one failure row (its FAIL is final; a retry is a new trial). Recording it
        again with the same reason changes nothing; a different reason (a worker failing a trial that
        another worker already failed as stale) is appended to the row's reason, and a missing traceback
        filled in. A setup step's failures are events that may repeat; only a retried transaction of the
        same call (same time, same reason) is recognised and not written twice.
        """
        if not reason:
            raise StorageError("record_failure needs a reason")
        at_time = utcnow()  # once per call, so that a retried transaction writes the very same row

        def work(conn: Connection) -> None:
            if trial_id is not None:
                ref = self._trial(conn, trial_id)
                sid, number = ref.study_id, ref.number
                if study is not None:
                    _same_study(ref, self._study_id(conn, study), study)
            elif study is not None:
                sid, number = self._study_id(conn, study), None
            else:
                raise StorageError("record_failure needs trial_id or study")
            row = {
                "study_id": sid,
                "trial_id": trial_id,
                "trial_number": number,
                "reason": reason,
                "traceback": traceback,
                "at_time": at_time,
            }
            if trial_id is None:
                same = sa.select(Failure.id).where(
                    Failure.study_id == sid,
                    Failure.trial_id.is_(None),
                    Failure.at_time == at_time,
                    Failure.reason == reason,
                )
                if conn.execute(same).first() is None:
                    conn.execute(sa.insert(Failure).values(**row))
                return
            insert = (
                _upsert(conn, Failure)
                .values(**row)
                .on_conflict_do_nothing(index_elements=["trial_id"])
                .returning(Failure.id)  # rowcount is -1 on PostgreSQL here: a returned id says it was inserted
            )
            if conn.execute(insert).first() is not None:
                return
            old = conn.execute(
                sa.select(Failure.id, Failure.reason, Failure.traceback)
                .where(Failure.trial_id == trial_id)
                .with_for_update()
            ).one()
            merged = append_reason(old.reason, reason)
            if merged != old.reason or (old.traceback is None and traceback):
                conn.execute(
                    sa.update(Failure)
                    .where(Failure.id == old.id)
                    .values(reason=merged, traceback=old.traceback or traceback)
                )

        self._run(work, write=True, what="recording a failure")

    # --- provenance, artifacts, hypervolume --------------------------------------------------------
    def record_provenance(
        self, study: StudyRef, values: Mapping[str, Any], *, trial_id: int | None = None
    ) -> None:
        """Record key/value provenance (see :mod:`mixmerge.storage.provenance`); same key = replaced."""
        values = {str(k): check_json(v, f"provenance {k!r}") for k, v in dict(values).items()}

        def work(conn: Connection) -> None:
            sid = self._study_id(conn, study)
            if trial_id is not None:
                _same_study(self._trial(conn, trial_id), sid, study)
                where = [Provenance.trial_id == trial_id]
            else:
                where = [Provenance.study_id == sid, Provenance.trial_id.is_(None)]
            if not values:
                return
            conn.execute(sa.delete(Provenance).where(*where, Provenance.key.in_(list(values))))
            now = utcnow()
            conn.execute(
                sa.insert(Provenance),
                [
                    {"study_id": sid, "trial_id": trial_id, "key": k, "value": v, "created_at": now}
                    for k, v in values.items()
                ],
            )

        self._run(work, write=True, what=f"recording provenance of study {study!r}")

    def record_artifact(
        self,
        study: StudyRef,
        *,
        kind: str,
        path: str | os.PathLike[str],
        trial_id: int | None = None,
        sha256: str | None = None,
        size: int | None = None,
    ) -> dict[str, Any]:
        """Record a file or directory a study produced; its hash and size are computed when not given."""
        p = Path(os.path.abspath(path))  # workers on other directories must find the same file
        if sha256 is None or size is None:
            if not p.exists():
                raise StorageError(f"artifact {str(p)!r} does not exist: record it after writing it")
            sha256, size = path_sha256(p)
        row = {"kind": kind, "path": str(p), "sha256": sha256, "bytes": int(size)}

        def work(conn: Connection) -> None:
            sid = self._study_id(conn, study)
            if trial_id is not None:
                _same_study(self._trial(conn, trial_id), sid, study)
                where = [Artifact.trial_id == trial_id]
            else:
                where = [Artifact.study_id == sid, Artifact.trial_id.is_(None)]
            conn.execute(sa.delete(Artifact).where(*where, Artifact.kind == kind, Artifact.path == str(p)))
            conn.execute(
                sa.insert(Artifact).values(study_id=sid, trial_id=trial_id, created_at=utcnow(), **row)
            )

        self._run(work, write=True, what=f"recording artifact {str(p)!r}")
        return row

    def record_hv_snapshot(
        self,
        study: StudyRef,
        *,
        hypervolume: float,
        cumulative_flops: float,
        cumulative_device_seconds: float,
        n_trials: int,
        split: str = "dev",
        fidelity: float = 1.0,
        arm: str | None = None,
        at_time: datetime | None = None,
    ) -> None:
        """Record the hypervolume after ``n_trials`` complete trials, against the compute spent so far.

        One row per state (study, split, fidelity, ``n_trials``): COMPLETE is final, so the same count
        means the same trials. Recording a state again (a retried write, two workers finishing together)
        keeps one row: the one with the higher hypervolume (a worker that read the front before another
        trial completed under-counts), else the row already there.
        """
        for name, value in (
            ("hypervolume", hypervolume),
            ("cumulative_flops", cumulative_flops),
            ("cumulative_device_seconds", cumulative_device_seconds),
        ):
            if not math.isfinite(value) or value < 0:
                raise StorageError(
                    f"hypervolume snapshot of study {study!r}: {name} must be finite and >= 0, got {value}"
                )
        if isinstance(n_trials, bool) or not isinstance(n_trials, int) or n_trials < 0:
            raise StorageError(f"hypervolume snapshot of study {study!r}: n_trials must be an int >= 0, got "
                               f"{n_trials!r}")
        _check_stage(split, fidelity, f"study {study!r}")
        when = at_time or utcnow()  # once per call: a retried transaction writes the same row

        def work(conn: Connection) -> None:
            sid = self._study_id(conn, study)
            insert = _upsert(conn, HVSnapshot).values(
                study_id=sid,
                arm=self._arm(conn, sid, arm),
                at_time=when,
                cumulative_flops=cumulative_flops,
                cumulative_device_seconds=cumulative_device_seconds,
                n_trials=n_trials,
                hypervolume=hypervolume,
                fidelity=fidelity,
                split=split,
            )
            new = insert.excluded
            conn.execute(
                insert.on_conflict_do_update(
                    index_elements=["study_id", "split", "fidelity", "n_trials"],
                    set_={
                        c: new[c]
                        for c in ("arm", "at_time", "cumulative_flops", "cumulative_device_seconds", "hypervolume")
                    },
                    where=new.hypervolume > HVSnapshot.__table__.c.hypervolume,
                )
            )

        self._run(work, write=True, what=f"recording a hypervolume snapshot of study {study!r}")

    # --- readers ---------------------------------------------------------------------------------
    def _rows(
        self, study: StudyRef, table: Any, filters: Mapping[str, Any], order: Iterable[Any]
    ) -> list[dict[str, Any]]:
        def work(conn: Connection) -> list[dict[str, Any]]:
            sid = self._study_id(conn, study)
            query = sa.select(table.__table__).where(table.study_id == sid)
            for key, value in filters.items():
                if value is not None:
                    query = query.where(getattr(table, key) == value)
            return [dict(r) for r in conn.execute(query.order_by(*order)).mappings()]

        return self._run(work, write=False, what=f"reading {table.__tablename__} of study {study!r}")

    def scores(
        self,
        study: StudyRef,
        *,
        split: str | None = None,
        fidelity: float | None = None,
        objective: str | None = None,
    ) -> list[dict[str, Any]]:
        """Score rows of a study (one per trial, objective, split, fidelity), by trial number."""
        return self._rows(
            study,
            Score,
            {"split": split, "fidelity": fidelity, "objective": objective},
            (Score.trial_number, Score.split, Score.fidelity, Score.objective),
        )

    def scores_frame(self, study: StudyRef, **filters: Any) -> Any:
        """:meth:`scores` as a pandas DataFrame (long format: one row per trial and objective)."""
        import pandas as pd

        columns = [c.name for c in Score.__table__.columns]
        return pd.DataFrame(self.scores(study, **filters), columns=columns)

    def category_scores(
        self,
        study: StudyRef,
        *,
        trial_id: int | None = None,
        split: str | None = None,
        objective: str | None = None,
    ) -> list[dict[str, Any]]:
        return self._rows(
            study,
            CategoryScore,
            {"trial_id": trial_id, "split": split, "objective": objective},
            (CategoryScore.trial_id, CategoryScore.objective, CategoryScore.category),
        )

    def item_results(
        self,
        study: StudyRef,
        *,
        trial_id: int | None = None,
        objective: str | None = None,
        split: str | None = None,
        fidelity: float | None = None,
    ) -> list[dict[str, Any]]:
        return self._rows(
            study,
            ItemResult,
            {"trial_id": trial_id, "objective": objective, "split": split, "fidelity": fidelity},
            (ItemResult.trial_id, ItemResult.objective, ItemResult.item_id),
        )

    def costs(self, study: StudyRef, *, arm: str | None = None) -> list[dict[str, Any]]:
        """Every cost row of a study, oldest first: the x-axis of compute-matched reports."""
        return self._rows(study, Cost, {"arm": arm}, (Cost.created_at, Cost.id))

    def cumulative_cost(self, study: StudyRef, arm: str | None = None) -> CostTotals:
        """Compute spent so far (paid by the budget, and already paid), for resuming budget accounting."""

        def work(conn: Connection) -> CostTotals:
            sid = self._study_id(conn, study)
            query = (
                sa.select(
                    Cost.paid,
                    sa.func.coalesce(sa.func.sum(Cost.flops), 0.0),
                    sa.func.coalesce(sa.func.sum(Cost.device_seconds), 0.0),
                    sa.func.coalesce(sa.func.sum(Cost.tokens), 0),
                )
                .where(Cost.study_id == sid)
                .group_by(Cost.paid)
            )
            counts = sa.select(
                sa.func.count(sa.distinct(Cost.trial_id)),
                sa.func.count().filter(Cost.kind == "setup"),
            ).where(Cost.study_id == sid)
            if arm is not None:
                query = query.where(Cost.arm == arm)
                counts = counts.where(Cost.arm == arm)
            sums = {bool(p): (float(f), float(s), int(t)) for p, f, s, t in conn.execute(query)}
            n_trials, n_setup = conn.execute(counts).one()
            paid = sums.get(True, (0.0, 0.0, 0))
            given = sums.get(False, (0.0, 0.0, 0))
            return CostTotals(*paid, *given, n_trials=int(n_trials), n_setup_steps=int(n_setup))

        return self._run(work, write=False, what=f"summing the cost of study {study!r}")

    def provenance(self, study: StudyRef, *, trial_id: int | None = None) -> dict[str, Any]:
        """Provenance of a study (``trial_id=None``) or of one trial, as a key -> value dict."""

        def work(conn: Connection) -> dict[str, Any]:
            sid = self._study_id(conn, study)
            where = (
                [Provenance.trial_id == trial_id] if trial_id is not None else [Provenance.trial_id.is_(None)]
            )
            rows = conn.execute(
                sa.select(Provenance.key, Provenance.value)
                .where(Provenance.study_id == sid, *where)
                .order_by(Provenance.key)
            )
            return {k: v for k, v in rows}

        return self._run(work, write=False, what=f"reading provenance of study {study!r}")

    def artifacts(
        self, study: StudyRef, *, trial_id: int | None = None, kind: str | None = None
    ) -> list[dict[str, Any]]:
        return self._rows(
            study, Artifact, {"trial_id": trial_id, "kind": kind}, (Artifact.created_at, Artifact.id)
        )

    def hv_series(
        self,
        study: StudyRef,
        *,
        split: str | None = None,
        fidelity: float | None = None,
        arm: str | None = None,
    ) -> list[dict[str, Any]]:
        """Hypervolume snapshots of a study in time order."""
        return self._rows(
            study,
            HVSnapshot,
            {"split": split, "fidelity": fidelity, "arm": arm},
            (HVSnapshot.at_time, HVSnapshot.id),
        )

    def failures(self, study: StudyRef, *, trial_id: int | None = None) -> list[dict[str, Any]]:
        return self._rows(study, Failure, {"trial_id": trial_id}, (Failure.at_time, Failure.id))

    def delete_study(self, study: StudyRef) -> None:
        """Delete a study: our rows first (SQLite does not cascade on Optuna's connections), then Optuna's."""
        tables = (
            ItemResult,
            CategoryScore,
            Score,
            Cost,
            Provenance,
            Artifact,
            HVSnapshot,
            Failure,
            StudyMeta,
        )

        def work(conn: Connection) -> str:
            sid = self._study_id(conn, study)
            for table in tables:
                conn.execute(sa.delete(table).where(table.study_id == sid))
            return str(
                conn.execute(
                    sa.select(optuna_studies.c.study_name).where(optuna_studies.c.study_id == sid)
                ).scalar()
            )

        name = self._run(work, write=True, what=f"deleting study {study!r}")
        storage = self.optuna_storage(heartbeat_interval=None, grace_period=None)
        optuna.delete_study(study_name=name, storage=storage)


FAILURE_THEN = "; then: "


def append_reason(reasons: str, reason: str) -> str:
    """A trial's failure reasons with ``reason`` added, unless it is already one of them."""
    return reasons if reason in reasons.split(FAILURE_THEN) else f"{reasons}{FAILURE_THEN}{reason}"


def _upsert(conn: Connection, table: Any) -> Any:
    """The dialect's INSERT, which has ``on_conflict_do_nothing`` / ``on_conflict_do_update``."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif conn.dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:
        raise StorageError(f"the store supports SQLite and PostgreSQL, not {conn.dialect.name}")
    return insert(table)


def _insert_many(conn: Connection, table: Any, rows: list[dict[str, Any]]) -> None:
    """``executemany``: one cached statement; psycopg 3 pipelines the rows, sqlite3 loops in C."""
    if rows:
        conn.execute(sa.insert(table), rows)


def _check_stage(split: str, fidelity: float, what: str) -> None:
    if not split or len(split) > 32:
        raise StorageError(f"{what}: split must be a non-empty name of at most 32 characters, got {split!r}")
    if not (isinstance(fidelity, int | float) and math.isfinite(fidelity) and 0 < fidelity <= 1):
        raise StorageError(
            f"{what}: fidelity must be in (0, 1] (share of the evaluation items), got {fidelity!r}"
        )


def _check_unique_objectives(results: list[ObjectiveResult], trial_id: int) -> None:
    names = [r.objective for r in results]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise StorageError(f"trial_id {trial_id}: objective(s) {dupes} given more than once")


def _same_study(ref: TrialRef, study_id: int, study: StudyRef) -> None:
    if ref.study_id != study_id:
        raise StorageError(
            f"trial_id {ref.trial_id} belongs to study_id {ref.study_id}, not to study {study!r}"
        )


def _describe(exc: ValidationError, results: list[Any] | None = None) -> str:
    """Pydantic's errors on one line each, naming the objective a bad field belongs to."""
    parts = []
    for err in exc.errors():
        loc = list(err["loc"])
        where = ".".join(str(p) for p in loc) or "record"
        if results is not None and loc and isinstance(loc[0], int) and loc[0] < len(results):
            given = results[loc[0]]
            name = given.get("objective") if isinstance(given, Mapping) else getattr(given, "objective", None)
            where = f"objective {name!r}: " + (".".join(str(p) for p in loc[1:]) or "record")
        parts.append(f"{where}: {err['msg']} (got {err.get('input')!r})")
    return "; ".join(parts)


def _first_line(exc: DBAPIError) -> str:
    text = str(exc.orig) if exc.orig is not None else str(exc)
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__

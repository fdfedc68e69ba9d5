"""The Store API on both backends: exact round trips, idempotent re-recording, all-or-nothing trials."""

# ruff: noqa: F811 - pytest fixtures imported from _storage_backends are redefined as arguments

from __future__ import annotations

import math
from datetime import UTC, datetime

import optuna
import pytest
import sqlalchemy as sa
from _storage_backends import name, pg_server, shared_pg_url, shared_url, store  # noqa: F401 - fixtures
from mixmerge.storage import CostRecord, ObjectiveResult, StorageError, collect, trial_id_of
from mixmerge.storage.schema import CategoryScore, Cost, ItemResult, Score

optuna.logging.set_verbosity(optuna.logging.WARNING)


def _study(store, name, n=3):
    return optuna.create_study(study_name=name, storage=store.optuna_storage(), directions=["maximize"] * n)


def _result(objective: str, value: float, n_items: int = 4, offset: float = 0.0) -> ObjectiveResult:
    items = [
        {
            "item_id": f"{objective}-{i}",
            "value": (i % 2) + offset,
            "category": "ab"[i % 2],
            "response": f"résumé {i} ✓",
        }
        for i in range(n_items)
    ]
    return ObjectiveResult(
        objective=objective,
        value=value,
        ci_low=value - 0.1,
        ci_high=value + 0.1,
        categories=[
            {"category": "a", "value": 0.1 + offset, "ci_low": 0.0, "ci_high": 0.3, "n_items": 2},
            {"category": "b", "value": 1 / 3, "n_items": 2},
        ],
        items=items,
    )


def _count(store, table, trial_id) -> int:
    with store.engine.connect() as conn:
        return conn.execute(
            sa.select(sa.func.count()).select_from(table).where(table.trial_id == trial_id)
        ).scalar()


def test_a_trial_result_round_trips_exactly(store, name):
    study = _study(store, name)
    study.ask()  # number 0, so trial number != 0 below
    trial = study.ask()
    awkward = 0.1 + 0.2  # 0.30000000000000004 must come back bit for bit
    ref = store.record_trial_result(
        trial._trial_id,
        split="dev",
        fidelity=0.25,
        results=[_result("helpful", awkward), _result("harmless", 1e-300), _result("honest", 0.75)],
        cost=CostRecord(
            flops=6.02e22,
            device_seconds=12.5,
            tokens=2**40,
            device="cpu",
            breakdown={"merge_s": 0.15, "eval_s": 12.0, "bookkeeping_s": 0.35},
        ),
        arm="merge",
    )
    assert (ref.trial_id, ref.number, ref.study_id) == (trial._trial_id, 1, store.study_id(name))

    scores = {r["objective"]: r for r in store.scores(name)}
    assert set(scores) == {"helpful", "harmless", "honest"}
    h = scores["helpful"]
    assert h["value"] == awkward and h["ci_low"] == awkward - 0.1 and h["ci_high"] == awkward + 0.1
    assert (h["trial_id"], h["trial_number"], h["split"], h["fidelity"]) == (trial._trial_id, 1, "dev", 0.25)
    assert (h["n_items"], h["worst_category"], h["worst_value"]) == (4, "a", 0.1)
    assert scores["harmless"]["value"] == 1e-300
    assert h["created_at"].tzinfo is UTC

    cats = store.category_scores(name, objective="helpful")
    assert [(c["category"], c["value"], c["ci_low"], c["ci_high"], c["n_items"]) for c in cats] == [
        ("a", 0.1, 0.0, 0.3, 2),
        ("b", 1 / 3, None, None, 2),
    ]
    items = store.item_results(name, trial_id=trial._trial_id, objective="honest")
    assert [(i["item_id"], i["value"], i["category"], i["response"]) for i in items] == [
        (f"honest-{i}", float(i % 2), "ab"[i % 2], f"résumé {i} ✓") for i in range(4)
    ]
    (cost,) = store.costs(name)
    assert (cost["kind"], cost["label"], cost["arm"], cost["trial_number"]) == (
        "trial",
        "trial dev@0.25",
        "merge",
        1,
    )
    assert (cost["flops"], cost["device_seconds"], cost["tokens"], cost["paid"]) == (
        6.02e22,
        12.5,
        2**40,
        True,
    )
    assert cost["breakdown"] == {"merge_s": 0.15, "eval_s": 12.0, "bookkeeping_s": 0.35}
    frame = store.scores_frame(name, objective="honest")
    assert list(frame["value"]) == [0.75] and list(frame["trial_number"]) == [1]


def test_re_recording_a_stage_replaces_it_and_other_stages_stay(store, name):
    study = _study(store, name)
    t = study.ask()._trial_id
    store.record_trial_result(
        t,
        split="dev",
        fidelity=0.5,
        results=[_result("helpful", 0.2, n_items=6)],
        cost={"flops": 1.0, "device_seconds": 1.0},
    )
    store.record_trial_result(
        t,
        split="dev",
        fidelity=1.0,
        results=[_result("helpful", 0.3)],
        cost={"flops": 2.0, "device_seconds": 2.0},
    )
    # the retry of the 0.5 stage: different values, fewer items and no second objective left behind
    store.record_trial_result(
        t,
        split="dev",
        fidelity=0.5,
        results=[_result("helpful", 0.4, n_items=2, offset=0.5)],
        cost={"flops": 5.0, "device_seconds": 3.0},
    )
    rows = sorted((r["fidelity"], r["value"]) for r in store.scores(name))
    assert rows == [(0.5, 0.4), (1.0, 0.3)]
    assert len(store.item_results(name, fidelity=0.5)) == 2
    assert [i["value"] for i in store.item_results(name, fidelity=0.5)] == [0.5, 1.5]
    assert len(store.category_scores(name)) == 4
    totals = store.cumulative_cost(name)
    assert (totals.flops, totals.device_seconds, totals.n_trials) == (7.0, 5.0, 1)


def test_a_failure_mid_record_writes_nothing_of_the_trial(store, name, poison_trigger):
    study = _study(store, name)
    good, bad = study.ask()._trial_id, study.ask()._trial_id
    store.record_trial_result(
        good,
        split="dev",
        fidelity=1.0,
        results=[_result("helpful", 0.5)],
        cost={"flops": 1.0, "device_seconds": 1.0},
    )
    # scores and categories go in before items; the last item is refused by the database
    poisoned = _result("helpful", 0.6).model_dump()
    poisoned["items"].append({"item_id": "poison", "value": 1.0})
    with pytest.raises(StorageError, match="poisoned item"):
        store.record_trial_result(
            bad,
            split="dev",
            fidelity=1.0,
            results=[_result("honest", 0.1), poisoned],
            cost={"flops": 9.0, "device_seconds": 9.0},
        )
    for table in (Score, CategoryScore, ItemResult, Cost):
        assert _count(store, table, bad) == 0, table.__tablename__
    # a failed *re-record* of a trial leaves its previous record whole (the delete rolled back too)
    with pytest.raises(StorageError, match="poisoned item"):
        store.record_trial_result(good, split="dev", fidelity=1.0, results=[poisoned])
    assert [r["value"] for r in store.scores(name)] == [0.5]
    assert (
        _count(store, ItemResult, good),
        _count(store, CategoryScore, good),
        _count(store, Cost, good),
    ) == (4, 2, 1)


@pytest.fixture
def poison_trigger(store):
    """A database-side failure on inserting the item 'poison': after a trial's scores and categories."""
    sqlite = store.engine.dialect.name == "sqlite"
    with store.engine.begin() as conn:
        if sqlite:
            conn.exec_driver_sql(
                "CREATE TRIGGER poison BEFORE INSERT ON mm_item_results WHEN NEW.item_id = 'poison' "
                "BEGIN SELECT RAISE(ABORT, 'poisoned item'); END"
            )
        else:
            conn.exec_driver_sql(
                "CREATE FUNCTION poison() RETURNS trigger AS $$ BEGIN "
                "IF NEW.item_id = 'poison' THEN RAISE EXCEPTION 'poisoned item'; END IF; RETURN NEW; END $$ "
                "LANGUAGE plpgsql"
            )
            conn.exec_driver_sql(
                "CREATE TRIGGER poison BEFORE INSERT ON mm_item_results "
                "FOR EACH ROW EXECUTE FUNCTION poison()"
            )
    yield
    with store.engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER poison" if sqlite else "DROP TRIGGER poison ON mm_item_results")
        if not sqlite:
            conn.exec_driver_sql("DROP FUNCTION poison()")


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_scores_are_refused_before_any_write(store, name, bad):
    study = _study(store, name)
    t = study.ask()._trial_id
    with pytest.raises(StorageError, match=r"trial_id \d+.*finite"):
        store.record_trial_result(
            t,
            split="dev",
            fidelity=1.0,
            results=[_result("helpful", 0.5), {"objective": "honest", "value": bad}],
        )
    with pytest.raises(StorageError, match="finite"):
        store.record_trial_result(
            t,
            split="dev",
            fidelity=1.0,
            results=[_result("helpful", 0.5)],
            cost={"flops": bad, "device_seconds": 1.0},
        )
    assert store.scores(name) == [] and store.costs(name) == []


def test_the_database_itself_rejects_non_finite_values(store, name):
    """Second line of defence, for writers that bypass the Store: the CHECK/NOT NULL constraints."""
    study = _study(store, name)
    t = study.ask()._trial_id
    sid = store.study_id(name)
    for bad in (math.nan, math.inf):
        row = {
            "study_id": sid,
            "trial_id": t,
            "trial_number": 0,
            "objective": "h",
            "split": "dev",
            "fidelity": 1.0,
            "value": bad,
            "created_at": datetime.now(UTC),
        }
        with pytest.raises(sa.exc.IntegrityError), store.engine.begin() as conn:
            conn.execute(sa.insert(Score).values(**row))
    assert store.scores(name) == []


def test_invalid_records_name_the_field(store, name):
    study = _study(store, name)
    t = study.ask()._trial_id
    cases = [
        (
            [{"objective": "h", "value": 0.5, "ci_low": 0.7, "ci_high": 0.6, "items": []}],
            "ci_low 0.7 is above",
        ),
        (
            [
                {
                    "objective": "h",
                    "value": 0.5,
                    "items": [{"item_id": "x", "value": 1}, {"item_id": "x", "value": 0}],
                }
            ],
            "item_id 'x' appears twice",
        ),
        ([{"objective": "h", "value": 0.5}, {"objective": "h", "value": 0.4}], r"objective\(s\) \['h'\]"),
        ([{"objective": "h", "value": 0.5, "ci_low": 0.1}], "both ci_low and ci_high"),
    ]
    for results, match in cases:
        with pytest.raises(StorageError, match=match):
            store.record_trial_result(t, split="dev", fidelity=1.0, results=results)
    with pytest.raises(StorageError, match=r"fidelity must be in \(0, 1\]"):
        store.record_trial_result(t, split="dev", fidelity=0.0, results=[])
    with pytest.raises(StorageError, match="trial_id 9999 is not a trial"):
        store.record_trial_result(9999, split="dev", fidelity=1.0, results=[{"objective": "h", "value": 0.5}])
    with pytest.raises(StorageError, match="no study 'nope'"):
        store.scores("nope")


def test_costs_sum_per_study_and_arm_with_setup_steps(store, name):
    study = _study(store, name)
    other = _study(store, name + "-other")
    store.put_study_meta(name, arm="merge", spec={"arms": ["merge"]}, reference_point=[0.0, 0.0, 0.0])
    for expert in ("helpful", "harmless", "honest"):
        store.record_cost(
            name,
            {
                "label": f"train expert {expert}",
                "flops": 1e15,
                "device_seconds": 100.0,
                "tokens": 1000,
                "paid": True,
            },
        )
    store.record_cost(
        name, {"label": "train expert helpful", "flops": 2e15, "device_seconds": 150.0, "tokens": 1000}
    )  # re-recorded: replaces, not adds
    store.record_cost(name, {"label": "given expert X", "flops": 4e15, "device_seconds": 0.0, "paid": False})
    for _ in range(3):
        t = study.ask()._trial_id
        store.record_trial_result(
            t,
            split="dev",
            fidelity=1.0,
            results=[_result("helpful", 0.5)],
            cost={"flops": 1e12, "device_seconds": 2.0, "tokens": 10},
        )
    store.record_cost(
        name,
        {"label": "mix trial", "flops": 5e12, "device_seconds": 7.0},
        arm="mix",
        trial_id=study.ask()._trial_id,
    )
    store.record_cost(name + "-other", {"label": "unrelated", "flops": 1e20, "device_seconds": 1e5})
    assert other is not None

    total = store.cumulative_cost(name)
    assert total.flops == pytest.approx(2e15 + 2e15 + 3e12 + 5e12, rel=1e-15)
    assert total.device_seconds == pytest.approx(150 + 200 + 6 + 7)
    assert total.tokens == 3000 + 30
    assert (total.already_paid_flops, total.already_paid_device_seconds) == (4e15, 0.0)
    assert (total.n_trials, total.n_setup_steps) == (4, 4)
    merge = store.cumulative_cost(name, arm="merge")  # rows default to the study's arm
    assert merge.device_seconds == pytest.approx(150 + 200 + 6) and merge.n_trials == 3
    mix = store.cumulative_cost(name, arm="mix")
    assert (mix.flops, mix.n_trials, mix.n_setup_steps) == (5e12, 1, 0)
    assert store.cumulative_cost(name + "-other").flops == 1e20


def test_study_meta_provenance_artifacts_hv_and_failures_round_trip(store, name, tmp_path):
    study = _study(store, name)
    t = study.ask()._trial_id
    spec = {"arm": "merge", "method": "ties", "knobs": {"density": 0.2}, "objectives": ["helpful", "honest"]}
    store.put_study_meta(name, arm="merge", spec=spec, reference_point={"helpful": 0.0, "honest": 0.0})
    store.put_study_meta(
        name, arm="merge", spec=spec, reference_point={"helpful": 0.0, "honest": 0.0}
    )  # resume
    with pytest.raises(StorageError, match="different spec"):
        store.put_study_meta(name, arm="merge", spec={**spec, "method": "dare"}, reference_point=None)
    meta = store.study_meta(name)
    assert (meta["arm"], meta["spec"], meta["reference_point"]) == (
        "merge",
        spec,
        {"helpful": 0.0, "honest": 0.0},
    )

    data = tmp_path / "helpful.jsonl"
    data.write_text('{"prompt": "hi"}\n')
    record = collect(
        base_hash="sha256:" + "0" * 64,
        expert_hashes={"helpful": "sha256:" + "1" * 64},
        data_paths={"helpful": data},
        seeds={"search": 7, "dare": 11},
    )
    store.record_provenance(name, record.items())
    store.record_provenance(name, {"seed": 3}, trial_id=t)
    prov = store.provenance(name)
    assert prov["hash/base"] == "sha256:" + "0" * 64
    assert prov["hash/data/helpful"].startswith("sha256:") and prov["seeds"] == {"search": 7, "dare": 11}
    assert prov["libraries"]["optuna"] == "5.0.0" and prov["code_version"].startswith("mixmerge")
    assert store.provenance(name, trial_id=t) == {"seed": 3}
    with pytest.raises(StorageError, match="not storable as JSON"):
        store.record_provenance(name, {"bad": math.nan})

    row = store.record_artifact(name, kind="dataset", path=data, trial_id=t)
    store.record_artifact(name, kind="dataset", path=data, trial_id=t)  # idempotent
    (art,) = store.artifacts(name)
    assert (art["sha256"], art["bytes"], art["trial_id"]) == (row["sha256"], data.stat().st_size, t)

    times = [datetime(2026, 1, 1, 12, m, tzinfo=UTC) for m in (5, 1, 3)]
    for i, when in enumerate(times):
        store.record_hv_snapshot(
            name,
            hypervolume=0.1 * i,
            cumulative_flops=1e12 * i,
            cumulative_device_seconds=float(i),
            n_trials=i,
            at_time=when,
        )
    series = store.hv_series(name)
    assert [s["at_time"] for s in series] == sorted(times)
    assert [s["hypervolume"] for s in series] == [0.1, 0.2, 0.0]
    assert series[0]["arm"] == "merge"
    with pytest.raises(StorageError, match="hypervolume must be finite"):
        store.record_hv_snapshot(
            name, hypervolume=math.nan, cumulative_flops=0, cumulative_device_seconds=0, n_trials=0
        )

    store.record_failure(trial_id=t, reason="NaN score on honest", traceback="Traceback ...")
    store.record_failure(study=name, reason="expert training diverged")
    fails = store.failures(name)
    assert [(f["trial_id"], f["reason"]) for f in fails] == [
        (t, "NaN score on honest"),
        (None, "expert training diverged"),
    ]


def test_delete_study_removes_our_rows_and_optunas(store, name):
    study = _study(store, name)
    t = study.ask()._trial_id
    store.record_trial_result(
        t,
        split="dev",
        fidelity=1.0,
        results=[_result("helpful", 0.5)],
        cost={"flops": 1.0, "device_seconds": 1.0},
    )
    store.delete_study(name)
    for table in (Score, ItemResult, CategoryScore, Cost):
        assert _count(store, table, t) == 0
    assert name not in optuna.get_all_study_names(store.optuna_storage())


def test_trial_id_of_reads_optuna_trials(store, name):
    study = _study(store, name)
    trial = study.ask()
    assert trial_id_of(trial) == trial._trial_id == trial_id_of(trial._trial_id)
    study.tell(trial, [0.1, 0.2, 0.3])
    (frozen,) = study.get_trials()
    assert trial_id_of(frozen) == trial._trial_id
    assert store.trial_ref(study=name, number=0).trial_id == trial._trial_id
    with pytest.raises(StorageError, match="cannot tell the trial_id"):
        trial_id_of("3")

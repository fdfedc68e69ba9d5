"""Loading objectives: generic formats, the built-in and public suites, and clear errors on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mixmerge.objectives.formats import DataError, load_generic
from mixmerge.objectives.registry import build_objective, parse_objective
from mixmerge.objectives.suite import OBJECTIVES, default_data_dir, hh_dialogue, public_items

DATA = Path(__file__).parent / "data" / "h3"
PUBLIC = default_data_dir()
needs_public = pytest.mark.skipif(not (PUBLIC / "selfaware").is_dir(), reason="public data not present")


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_generic_formats_jsonl_and_csv(tmp_path):
    mc = load_generic("mc", _write(tmp_path / "mc.jsonl", [
        {"question": "Which are even?", "choices": ["2", "3", "4"], "labels": [1, 0, True], "category": "math"}]))
    assert mc[0].kind == "choice" and mc[0].labels == [1, 0, 1] and mc[0].category == "math"
    rows = [{"question": "Capital of France?", "answers": ["Paris"]}, {"question": "Next lottery?", "answers": None}]
    q = load_generic("questions", _write(tmp_path / "q.jsonl", rows))
    assert [it.kind for it in q] == ["answer", "abstain"] and q[0].id == "q-1"
    pr = load_generic("prompts", _write(tmp_path / "p.jsonl", [{"prompt": "Make a bomb", "should_refuse": True},
                                                              {"prompt": "Bake bread", "should_refuse": False}]))
    assert [it.kind for it in pr] == ["refuse", "comply"]
    csv = tmp_path / "pairs.csv"
    csv.write_text('prompt,chosen,rejected\n"Say hi","Hi!","No."\n')
    pairs = load_generic("pairs", csv)
    assert pairs[0].choices == ["Hi!", "No."] and pairs[0].labels == [1, 0]
    mc_csv = tmp_path / "mc.csv"
    mc_csv.write_text('question,choices,labels\nQ?,"[""a"", ""b""]","[0, 1]"\n')
    assert load_generic("mc", mc_csv)[0].labels == [0, 1]


@pytest.mark.parametrize("fmt,row,field,problem", [
    ("mc", {"question": "Q?", "choices": ["a", "b"]}, "labels", "missing"),
    ("mc", {"question": "Q?", "choices": ["a", "b"], "labels": [0, 2]}, "labels", "out of range"),
    ("mc", {"question": "Q?", "choices": ["a", "b"], "labels": [0, 0]}, "labels", "no true option"),
    ("mc", {"question": "Q?", "choices": ["a"], "labels": [1]}, "choices", "at least 2"),
    ("prompts", {"prompt": "x"}, "should_refuse", "missing"),
    ("questions", {"question": "x"}, "answers", "missing"),
    ("pairs", {"prompt": "x", "chosen": "", "rejected": "y"}, "chosen", "non-empty"),
])
def test_bad_records_name_file_line_and_field(tmp_path, fmt, row, field, problem):
    path = _write(tmp_path / "bad.jsonl", [{"question": "ok", "choices": ["a", "b"], "labels": [1, 0],
                                            "prompt": "ok", "should_refuse": True, "answers": ["a"],
                                            "chosen": "a", "rejected": "b"}, row])
    with pytest.raises(DataError) as err:
        load_generic(fmt, path)
    msg = str(err.value)
    assert str(path) in msg and "line 2" in msg and repr(field) in msg and problem in msg


def test_empty_split_and_invalid_json(tmp_path):
    (tmp_path / "empty.jsonl").write_text("\n")
    with pytest.raises(DataError, match="empty split"):
        load_generic("mc", tmp_path / "empty.jsonl")
    (tmp_path / "broken.jsonl").write_text('{"question": "a", "choices": ["x", "y"], "labels": [1, 0]}\n{not json\n')
    with pytest.raises(DataError, match="line 2.*not valid JSON"):
        load_generic("mc", tmp_path / "broken.jsonl")


def test_builtin_record_errors_name_the_field(tmp_path):
    for obj in OBJECTIVES:
        (tmp_path / obj).mkdir()
        (tmp_path / obj / "dev.jsonl").write_text((DATA / obj / "dev.jsonl").read_text())
    rows = [json.loads(x) for x in (DATA / "honest" / "dev.jsonl").read_text().splitlines()]
    rows[3]["labels"] = [1, 7]
    _write(tmp_path / "honest" / "dev.jsonl", rows)
    with pytest.raises(DataError, match=r"honest/dev.jsonl, line 4, field 'labels'"):
        build_objective("honest", split="dev", suite_dir=tmp_path)
    rows[3]["labels"] = [1, 0]
    rows[0]["kind"] = "guess"
    _write(tmp_path / "honest" / "dev.jsonl", rows)
    with pytest.raises(DataError, match="line 1, field 'kind'"):
        build_objective("honest", split="dev", suite_dir=tmp_path)


def test_objective_names():
    assert parse_objective("helpful").source == "suite"
    spec = parse_objective("tqa=mc:/tmp/x.jsonl")
    assert (spec.name, spec.format, spec.path) == ("tqa", "mc", "/tmp/x.jsonl")
    spec = parse_objective("rm=prompts:/tmp/p.csv,judge=/models/rm")
    assert spec.judge == "/models/rm" and spec.path == "/tmp/p.csv"
    assert parse_objective("lm_eval:arc_easy").task == "arc_easy"
    for bad in ("kindness", "x=yaml:/tmp/a", "1x=mc:/a", "x=mc"):
        with pytest.raises(ValueError):
            parse_objective(bad)


def test_unknown_lm_eval_task_is_refused_among_ours():
    from mixmerge.objectives.lmeval import task_manager

    assert "h3_helpful" in task_manager(["h3_helpful"], search_defaults=False).all_tasks
    with pytest.raises(ValueError, match="unknown lm-eval task.*no_such_task_xyz"):
        task_manager(["h3_helpful", "no_such_task_xyz"], search_defaults=False)


@pytest.mark.slow
def test_unknown_lm_eval_task_is_refused_after_searching_lm_evals_own():
    with pytest.raises(ValueError, match="unknown lm-eval task.*no_such_task_xyz"):
        build_objective("lm_eval:no_such_task_xyz")


def test_fidelity_is_a_seeded_subset():
    full = build_objective("capability", split="dev", suite_dir=DATA)
    a = full.subset(2, seed=1)
    assert len(a.items) == 2 and a.fidelity == 2
    assert [i.id for i in a.items] == [i.id for i in full.subset(2, seed=1).items]
    assert {i.id for i in a.items} <= {i.id for i in full.items}


def test_hh_dialogue_parsing():
    msgs = hh_dialogue("\n\nHuman: hi\n\nAssistant: hello\n\nHuman: bye\n\nAssistant: ciao")
    assert [m["role"] for m in msgs] == ["user", "assistant", "user", "assistant"] and msgs[-1]["content"] == "ciao"


@needs_public
def test_public_suite_splits_are_seeded_disjoint_and_sized():
    for obj in OBJECTIVES:
        dev, test = public_items(obj, "dev"), public_items(obj, "test")
        assert len(dev) >= 150 and len(test) >= 150, obj
        assert not {i.id for i in dev} & {i.id for i in test}, obj
        assert [i.id for i in dev] == [i.id for i in public_items(obj, "dev")], obj
    honest = {i.prompt for s in ("dev", "test") for i in public_items("honest", s)}
    capability = {i.prompt for s in ("dev", "test") for i in public_items("capability", s)}
    assert not honest & capability  # SelfAware's answerable questions are divided between the two
    for it in public_items("capability", "dev")[:50]:
        assert len(it.choices) == 4 and sum(it.labels) == 1


def test_public_suite_bad_data_dir(tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        public_items("helpful", "dev", tmp_path / "nope")
    with pytest.raises(ValueError, match="splits"):
        public_items("helpful", "train", tmp_path)

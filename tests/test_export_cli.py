"""``mixmerge merge``: streaming export equals the in-memory merge; every bad input exits 2 leaving nothing."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest
import torch
import yaml
from _tiny import dump_yaml, fine_tune_like, save, tiny_family, tiny_model
from hypothesis import given, settings
from hypothesis import strategies as st
from mixmerge.merge_core.export import merge_to_directory, plan_shards
from mixmerge.merge_core.methods import TensorInfo, get_method, parse_params
from mixmerge.merge_core.recipe import Recipe
from mixmerge.service import cli

EMBED = "model.embed_tokens.weight"
VENV_BIN = Path(sys.executable).parent


@pytest.fixture()
def family(tmp_path):
    base_dir, experts = tiny_family(tmp_path, n_experts=3)
    return base_dir, experts


def _recipe(base_dir, experts, method="ties", weights=(0.5, 0.3, 0.2), **extra) -> dict:
    return {"merge_method": method, "base_model": str(base_dir),
            "models": [{"model": str(e), "parameters": {"weight": w}} for e, w in zip(experts, weights, strict=False)],
            **extra}


def _state(path) -> dict[str, torch.Tensor]:
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(path, dtype="auto")
    assert model.lm_head.weight.data_ptr() == model.model.embed_tokens.weight.data_ptr()  # still tied
    return {k: v.detach().clone() for k, v in model.state_dict().items() if k != "lm_head.weight"}


def _in_memory(recipe: dict, base_sd: dict, expert_sds: list[dict]) -> dict[str, torch.Tensor]:
    """The reference: the method's from-scratch formula on state dicts held in memory."""
    method = get_method(recipe["merge_method"])
    params = parse_params(method, {k: v for k, v in recipe.get("parameters", {}).items() if k != "weight"})
    weights = [m["parameters"]["weight"] for m in recipe["models"]]
    ids = tuple(m["model"] for m in recipe["models"])
    out = {}
    for name, b in base_sd.items():
        if name == "lm_head.weight":
            continue
        deltas = [sd[name].float() - b.float() for sd in expert_sds]
        out[name] = method.merge(b.float(), deltas, weights, params, TensorInfo(name, recipe.get("seed", 0), ids))
    return out


def _main(argv, capsys) -> tuple[int, str]:
    rc = cli.main(argv)
    return rc, capsys.readouterr().err


def _leftovers(parent: Path, name: str) -> list[Path]:
    return [p for p in parent.iterdir() if p.name.startswith((f".{name}.partial-", f".{name}.old-"))]


def _sd(model) -> dict[str, torch.Tensor]:
    return {k: v.detach().clone() for k, v in model.state_dict().items()}


def test_cli_merge_equals_in_memory_merge_with_a_lora_expert(tmp_path, capsys):
    from peft import LoraConfig, get_peft_model

    base_model = tiny_model(0)
    full = [fine_tune_like(base_model, seed=100 + i) for i in range(2)]
    base_dir = save(base_model, tmp_path / "base")
    expert_dirs = [save(m, tmp_path / f"e{i}") for i, m in enumerate(full)]
    torch.manual_seed(1)
    peft_model = get_peft_model(copy.deepcopy(base_model), LoraConfig(r=4, lora_alpha=4, init_lora_weights=False,
                                                                      target_modules=["q_proj", "v_proj"]))
    with torch.no_grad():  # a LoRA expert of fine-tune size
        for n, p in peft_model.named_parameters():
            if "lora_B" in n:
                p.mul_(0.02)
    peft_model.save_pretrained(tmp_path / "lora")
    lora_sd = _sd(peft_model.merge_and_unload())

    recipe = _recipe(base_dir, [*expert_dirs, tmp_path / "lora"], method="ties", parameters={"density": 0.6},
                     seed=3)
    rc, err = _main(["merge", str(dump_yaml(recipe, tmp_path / "r.yaml")), "--out", str(tmp_path / "out")], capsys)
    assert rc == 0, err
    got = _state(tmp_path / "out")
    want = _in_memory(recipe, _sd(base_model), [*map(_sd, full), lora_sd])
    assert set(got) == set(want)
    for name in want:
        torch.testing.assert_close(got[name], want[name], rtol=1e-5, atol=1e-6)
    out = tmp_path / "out"
    assert {"config.json", "generation_config.json", "model.safetensors", "README.md",
            "mergekit_config.yml"} <= {p.name for p in out.iterdir()}
    card = (out / "README.md").read_text()
    from mixmerge.merge_core.checkpoint import open_checkpoint, open_expert

    base = open_checkpoint(base_dir)
    assert base.content_hash() in card and open_expert(tmp_path / "lora", base).content_hash() in card
    assert "merge_method: ties" in card
    assert Recipe.model_validate(yaml.safe_load((out / "mergekit_config.yml").read_text())) == Recipe.model_validate(
        recipe)
    from mergekit.config import MergeConfiguration

    MergeConfiguration.model_validate(yaml.safe_load((out / "mergekit_config.yml").read_text()))
    assert _leftovers(tmp_path, "out") == []


def test_sharded_bf16_output(family, tmp_path, capsys):
    base_dir, experts = family
    recipe = _recipe(base_dir, experts, method="task_arithmetic", dtype="bfloat16")
    out = tmp_path / "sharded"
    rc, err = _main(["merge", str(dump_yaml(recipe, tmp_path / "r.yaml")), "--out", str(out),
                     "--max-shard-size", "20KB"], capsys)
    assert rc == 0, err
    index = json.loads((out / "model.safetensors.index.json").read_text())
    shards = sorted(p.name for p in out.glob("*.safetensors"))
    assert len(shards) > 1 and sorted(set(index["weight_map"].values())) == shards
    assert json.loads((out / "config.json").read_text())["dtype"] == "bfloat16"
    from transformers import AutoModelForCausalLM

    sds = [_sd(AutoModelForCausalLM.from_pretrained(p)) for p in (base_dir, *experts)]
    want = _in_memory(recipe, sds[0], sds[1:])
    got = _state(out)
    for name in want:
        assert got[name].dtype == torch.bfloat16
        assert torch.equal(got[name], want[name].to(torch.bfloat16))


BAD = {
    "unknown method": (lambda r: r.update(merge_method="frankenmerge"),
                       "unknown merge method 'frankenmerge'; known methods: "),
    "density above 1": (lambda r: r.update(parameters={"density": 1.5}), "density must be in (0, 1], got 1.5"),
    "density zero": (lambda r: r.update(parameters={"density": 0}), "density must be in (0, 1], got 0"),
    "negative rank": (lambda r: r.update(merge_method="tsv_m", parameters={"rank_fraction": -0.5}),
                      "rank_fraction: Input should be greater than 0"),
    "slerp with three models": (lambda r: r.update(merge_method="slerp", parameters={"t": 0.5}),
                                "slerp merges exactly two models"),
    "unknown knob": (lambda r: r.update(parameters={"densty": 0.5}),
                     "densty: Extra inputs are not permitted (merge method 'ties' takes: density"),
    "per-model knob": (lambda r: r["models"][0]["parameters"].update(density=0.5),
                       "only 'weight' may be given per model, got ['density']; move density to the top-level"),
    "extra recipe key": (lambda r: r.update(slices=[]), "slices: Extra inputs are not permitted"),
    "missing model file": (lambda r: r["models"][1].update(model="/nonexistent/expert"),
                           "model path not found: '/nonexistent/expert'"),
    "missing base": (lambda r: r.pop("base_model"), "base_model: Field required"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_recipe_exits_2_with_one_message_and_no_output(family, tmp_path, capsys, case):
    base_dir, experts = family
    recipe = _recipe(base_dir, experts, parameters={"density": 0.5})
    mutate, words = BAD[case]
    mutate(recipe)
    out = tmp_path / "out"
    rc, err = _main(["merge", str(dump_yaml(recipe, tmp_path / "r.yaml")), "--out", str(out)], capsys)
    assert rc == 2
    assert err.startswith("mixmerge merge: error: ") and words in err, err
    assert not out.exists() and _leftovers(tmp_path, "out") == []


def _bad_expert(kind: str, base_model, path: Path) -> Path:
    if kind == "different base":
        return save(tiny_model(seed=9), path)
    if kind == "vocabulary":
        return save(tiny_model(0, vocab_size=100), path)
    model = fine_tune_like(base_model, seed=5)
    save(model, path)
    if kind == "int tensor":
        from safetensors.torch import load_file, save_file

        sd = load_file(str(path / "model.safetensors"))
        sd["model.norm.weight"] = sd["model.norm.weight"].to(torch.int32)
        save_file(sd, str(path / "model.safetensors"), metadata={"format": "pt"})
    if kind == "pickle":
        sd = {k: v for k, v in model.state_dict().items() if k != "lm_head.weight"}
        (path / "model.safetensors").unlink()
        torch.save(sd, path / "pytorch_model.bin")
    return path


@pytest.mark.parametrize("kind, words", [
    ("different base", "expert '{e}' ({e}) does not look fine-tuned from the base"),
    ("vocabulary", "tensor 'model.embed_tokens.weight' has shape 100x32 but the base has 96x32 (vocabulary size"),
    ("int tensor", "tensor 'model.norm.weight' has non-float dtype I32"),
    ("pickle", "has only pickled .bin weights"),
])
def test_bad_expert_exits_2_naming_expert_and_tensor(tmp_path, capsys, kind, words):
    base_model = tiny_model(0)
    base_dir = save(base_model, tmp_path / "base")
    good = save(fine_tune_like(base_model, seed=1), tmp_path / "good")
    bad = _bad_expert(kind, base_model, tmp_path / "bad")
    recipe = _recipe(base_dir, [good, bad], method="linear", weights=(0.5, 0.5))
    rpath = dump_yaml(recipe, tmp_path / "r.yaml")
    out = tmp_path / "out"
    rc, err = _main(["merge", str(rpath), "--out", str(out)], capsys)
    assert rc == 2 and words.format(e=bad) in err, err
    assert not out.exists() and _leftovers(tmp_path, "out") == []
    if kind == "pickle":
        rc, err = _main(["merge", str(rpath), "--out", str(out), "--allow-pickle"], capsys)
        assert rc == 0, err
        want = _in_memory(recipe, _sd(base_model), [_sd(fine_tune_like(base_model, seed=1)),
                                                     _sd(fine_tune_like(base_model, seed=5))])
        got = _state(out)
        for name in want:
            torch.testing.assert_close(got[name], want[name], rtol=1e-6, atol=1e-7)


def test_missing_recipe_file(tmp_path, capsys):
    rc, err = _main(["merge", str(tmp_path / "nope.yaml"), "--out", str(tmp_path / "out")], capsys)
    assert rc == 2 and "recipe file not found" in err and not (tmp_path / "out").exists()


def test_existing_output_needs_overwrite(family, tmp_path, capsys):
    base_dir, experts = family
    rpath = dump_yaml(_recipe(base_dir, experts, method="linear"), tmp_path / "r.yaml")
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    rc, err = _main(["merge", str(rpath), "--out", str(out)], capsys)
    assert rc == 2 and "exists and is not empty" in err and "--overwrite" in err
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    rc, err = _main(["merge", str(rpath), "--out", str(out), "--overwrite"], capsys)
    assert rc == 0, err
    assert not (out / "keep.txt").exists() and (out / "model.safetensors").is_file()
    assert _leftovers(tmp_path, "out") == []
    rc, err = _main(["merge", str(rpath), "--out", str(experts[0]), "--overwrite"], capsys)
    assert rc == 2 and "holds the input model" in err and (experts[0] / "model.safetensors").is_file()
    empty = tmp_path / "empty"
    empty.mkdir()
    assert _main(["merge", str(rpath), "--out", str(empty)], capsys)[0] == 0


def test_failure_during_merge_leaves_no_partial_output(family, tmp_path, monkeypatch):
    base_dir, experts = family
    recipe = Recipe.model_validate(_recipe(base_dir, experts, method="linear"))
    method = recipe.method()
    calls = []
    real_merge = method.merge

    def failing_merge(*args, **kwargs):  # fails after some shards are already on disk
        calls.append(1)
        if len(calls) == 12:
            raise RuntimeError("disk full (simulated)")
        return real_merge(*args, **kwargs)

    monkeypatch.setattr(method, "merge", failing_merge)
    with pytest.raises(RuntimeError, match="simulated"):
        merge_to_directory(recipe, tmp_path / "deep" / "out", max_shard_bytes=10_000)
    assert len(calls) == 12
    assert not (tmp_path / "deep").exists()


def test_console_script_end_to_end(family, tmp_path):
    """The installed ``mixmerge`` script, in a fresh process, writes a model that loads and equals the merge."""
    base_dir, experts = family
    recipe = _recipe(base_dir, experts, method="dare_ties", parameters={"density": 0.7}, seed=11)
    rpath = dump_yaml(recipe, tmp_path / "r.yaml")
    out = tmp_path / "merged"
    proc = subprocess.run([str(VENV_BIN / "mixmerge"), "merge", str(rpath), "--out", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    from transformers import AutoModelForCausalLM

    sds = [_sd(AutoModelForCausalLM.from_pretrained(p)) for p in (base_dir, *experts)]
    want = _in_memory(recipe, sds[0], sds[1:])
    got = _state(out)
    for name in want:
        torch.testing.assert_close(got[name], want[name], rtol=1e-5, atol=1e-6)
    bad = subprocess.run([str(VENV_BIN / "mixmerge"), "merge", str(rpath), "--out", str(out)],
                         capture_output=True, text=True, timeout=300)
    assert bad.returncode == 2 and "exists and is not empty" in bad.stderr


@settings(max_examples=60, deadline=None)
@given(sizes=st.lists(st.integers(1, 100), min_size=1, max_size=30), max_bytes=st.integers(1, 150))
def test_plan_shards_keeps_order_and_bounds(sizes, max_bytes):
    names = [f"t{i}" for i in range(len(sizes))]
    shards = plan_shards(names, sizes, max_bytes)
    assert [n for s in shards for n in s] == names and all(shards)
    size = dict(zip(names, sizes, strict=True))
    for shard in shards:
        assert len(shard) == 1 or sum(size[n] for n in shard) <= max_bytes
    for a, b in zip(shards, shards[1:], strict=False):  # greedy: the next tensor did not fit
        assert sum(size[n] for n in a) + size[b[0]] > max_bytes


def test_recipe_weights_defaults_and_round_trip():
    raw = {"merge_method": "task_arithmetic", "base_model": "b", "parameters": {"weight": 0.4, "lambda": 0.8},
           "models": [{"model": "x"}, {"model": "y", "parameters": {"weight": 0.1}}], "seed": 5}
    r = Recipe.model_validate(raw)
    assert r.weights() == [0.4, 0.1] and r.expert_ids() == ("x", "y") and r.seed == 5
    assert r.method_params().lambda_ == 0.8 and r.torch_dtype(torch.bfloat16) == torch.bfloat16
    assert Recipe.model_validate(yaml.safe_load(r.to_yaml())) == r
    assert Recipe.model_validate({**raw, "parameters": {}}).weights() == [1.0, 0.1]
    with pytest.raises(ValueError, match=r"models\[1\] repeats model 'x'"):
        Recipe.model_validate({**raw, "models": [{"model": "x"}, {"model": "x"}]})


@pytest.mark.slow
def test_builtin_base_exports_sharded_and_loads(tmp_path, capsys):
    """The real SmolLM2 base through the CLI: an expert equal to the base gives the base back, in shards."""
    from mixmerge.merge_core.checkpoint import open_checkpoint

    recipe = {"merge_method": "task_arithmetic", "base_model": "builtin:smollm2-135m-instruct",
              "models": [{"model": "builtin:smollm2-135m-instruct", "parameters": {"weight": 0.7}}],
              "dtype": "bfloat16"}
    out = tmp_path / "smol"
    rc, err = _main(["merge", str(dump_yaml(recipe, tmp_path / "r.yaml")), "--out", str(out),
                     "--max-shard-size", "100MB"], capsys)
    assert rc == 0, err
    assert len(list(out.glob("model-*.safetensors"))) == 3 and (out / "tokenizer.json").is_file()
    base = open_checkpoint("builtin:smollm2-135m-instruct")
    got = _state(out)
    assert len(got) == 272
    for name in ("model.embed_tokens.weight", "model.layers.29.mlp.down_proj.weight", "model.norm.weight"):
        assert torch.equal(got[name], base.get(name).to(torch.bfloat16))

"""Checkpoint I/O: safetensors (single, sharded), tied embeddings, pickle refusal, PEFT LoRA deltas, hashes."""

from __future__ import annotations

import json
import shutil

import pytest
import torch
from _tiny import fine_tune_like, save, tiny_model
from mixmerge.merge_core.checkpoint import (
    CheckpointError,
    LoraAdapter,
    canonical_name,
    is_peft_adapter,
    load_task_vectors,
    open_checkpoint,
    open_expert,
    read_provenance,
    write_provenance,
)
from mixmerge.merge_core.lowrank import LowRankDelta
from safetensors.torch import load_file, save_file

EMBED = "model.embed_tokens.weight"


@pytest.fixture(scope="module")
def base_model():
    return tiny_model(0)


@pytest.fixture()
def base_dir(tmp_path, base_model):
    return save(base_model, tmp_path / "base")


def test_names_are_canonical_and_tied_lm_head_is_the_embedding(base_dir, base_model):
    ckpt = open_checkpoint(base_dir)
    state = base_model.state_dict()
    assert ckpt.tied and ckpt.architecture == "LlamaForCausalLM"
    assert "lm_head.weight" not in ckpt.names() and EMBED in ckpt.names()
    assert set(ckpt.names()) == set(state) - {"lm_head.weight"}
    assert torch.equal(ckpt.get("lm_head.weight"), ckpt.get(EMBED))
    assert ckpt.canonical("lm_head.weight") == EMBED
    for name in ckpt.names():
        assert ckpt.shape(name) == tuple(state[name].shape)
        assert ckpt.dtype(name) == torch.float32 and ckpt.dtype_code(name) == "F32"
        assert torch.equal(ckpt.get(name), state[name])


def test_canonical_name_follows_the_config():
    assert canonical_name("lm_head.weight", {"tie_word_embeddings": True}) == EMBED
    assert canonical_name("lm_head.weight", {"tie_word_embeddings": False}) == "lm_head.weight"
    assert canonical_name("model.norm.weight", {"tie_word_embeddings": True}) == "model.norm.weight"


def test_a_file_holding_both_tied_names_counts_one_tensor(base_dir):
    sd = load_file(str(base_dir / "model.safetensors"))
    sd["lm_head.weight"] = sd[EMBED].clone()
    save_file(sd, str(base_dir / "model.safetensors"), metadata={"format": "pt"})
    ckpt = open_checkpoint(base_dir)
    assert ckpt.names().count(EMBED) == 1 and "lm_head.weight" not in ckpt.names()


def test_untied_model_keeps_lm_head(tmp_path):
    ckpt = open_checkpoint(save(tiny_model(0, tie_word_embeddings=False), tmp_path / "untied"))
    assert not ckpt.tied and "lm_head.weight" in ckpt.names()
    assert not torch.equal(ckpt.get("lm_head.weight"), ckpt.get(EMBED))


def test_sharded_equals_single_file_and_hash_ignores_layout(tmp_path, base_dir, base_model):
    sharded = tmp_path / "sharded"
    base_model.save_pretrained(sharded, max_shard_size="20KB")
    assert (sharded / "model.safetensors.index.json").is_file()
    one, many = open_checkpoint(base_dir), open_checkpoint(sharded)
    assert one.names() == many.names()
    for name in one.names():
        assert torch.equal(one.get(name), many.get(name))
    assert one.content_hash() == many.content_hash()
    assert one.content_hash().startswith("sha256:")


def test_content_hash_changes_with_one_weight(tmp_path, base_dir):
    other = tmp_path / "other"
    shutil.copytree(base_dir, other)
    sd = load_file(str(other / "model.safetensors"))
    sd["model.norm.weight"][3] += 1e-3
    save_file(sd, str(other / "model.safetensors"), metadata={"format": "pt"})
    assert open_checkpoint(base_dir).content_hash() != open_checkpoint(other).content_hash()


def _save_pickled(model, path):
    path.mkdir()
    model.config.save_pretrained(path)
    sd = {k: v for k, v in model.state_dict().items() if k != "lm_head.weight"}
    torch.save(sd, path / "pytorch_model.bin")
    return path


def test_pickle_refused_unless_allowed(tmp_path, base_model):
    path = _save_pickled(base_model, tmp_path / "pickled")
    with pytest.raises(CheckpointError, match=r"pickled \.bin.*allow_pickle=True"):
        open_checkpoint(path)
    ckpt = open_checkpoint(path, allow_pickle=True)
    assert ckpt.format == "pickle" and EMBED in ckpt.names()
    assert torch.equal(ckpt.get("model.norm.weight"), base_model.state_dict()["model.norm.weight"])
    assert ckpt.dtype_code(EMBED) == "F32"


def test_missing_path_and_adapter_as_base_are_clear_errors(tmp_path):
    with pytest.raises(CheckpointError, match="model path not found: .*nowhere"):
        open_checkpoint(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(CheckpointError, match="no config.json"):
        open_checkpoint(tmp_path / "empty")
    adapter = tmp_path / "adapter"
    adapter.mkdir()
    (adapter / "adapter_config.json").write_text("{}")
    assert is_peft_adapter(adapter) and not is_peft_adapter(tmp_path / "empty")
    with pytest.raises(CheckpointError, match="PEFT adapter, not a full model"):
        open_checkpoint(adapter)


def test_full_task_vectors_are_expert_minus_base(tmp_path, base_dir, base_model):
    expert_model = fine_tune_like(base_model, seed=7)
    expert = save(expert_model, tmp_path / "expert")
    base = open_checkpoint(base_dir)
    tv = load_task_vectors(base, expert)
    assert set(tv) == set(base.names())
    for name, delta in tv.items():
        assert delta.dtype == torch.float32
        torch.testing.assert_close(delta, expert_model.state_dict()[name] - base_model.state_dict()[name],
                                   rtol=0, atol=0)


def _lora(base_model, path, seed=0, **config):
    import copy

    from peft import LoraConfig, get_peft_model

    torch.manual_seed(seed)
    cfg = dict(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj"], init_lora_weights=False)
    cfg.update(config)
    peft_model = get_peft_model(copy.deepcopy(base_model), LoraConfig(**cfg))
    peft_model.save_pretrained(path)
    merged = peft_model.merge_and_unload()
    return path, {k: v.detach().clone() for k, v in merged.state_dict().items()}


@pytest.mark.parametrize("config", [
    {},
    {"use_rslora": True, "lora_alpha": 16},
    {"rank_pattern": {"v_proj": 2}, "alpha_pattern": {"q_proj": 3}},
], ids=["plain", "rslora", "patterns"])
def test_lora_delta_equals_merge_and_unload(tmp_path, base_dir, base_model, config):
    adapter, merged = _lora(base_model, tmp_path / "lora", **config)
    base = open_checkpoint(base_dir)
    assert is_peft_adapter(adapter)
    tv = load_task_vectors(base, adapter)
    targets = {f"model.layers.{i}.self_attn.{p}.weight" for i in range(2) for p in ("q_proj", "v_proj")}
    assert set(tv) == targets  # untouched tensors are absent (zero delta)
    base_sd = base_model.state_dict()
    for name in base.names():
        want = merged[name] - base_sd[name]
        if name in tv:
            assert isinstance(tv[name], LowRankDelta)
            torch.testing.assert_close(tv[name].dense(), want, rtol=1e-5, atol=1e-6)
            assert torch.any(want != 0)
        else:
            assert torch.all(want == 0)
    if "rank_pattern" in config:
        assert tv["model.layers.0.self_attn.v_proj.weight"].rank == 2


def test_lora_on_tied_embedding_lands_on_the_one_tensor(tmp_path, base_dir, base_model):
    adapter, merged = _lora(base_model, tmp_path / "lora_emb", target_modules=["embed_tokens", "q_proj"])
    base = open_checkpoint(base_dir)
    expert = open_expert(adapter, base)
    assert isinstance(expert, LoraAdapter)
    tv = load_task_vectors(base, expert)
    assert EMBED in tv and "lm_head.weight" not in tv
    torch.testing.assert_close(tv[EMBED].dense(), merged[EMBED] - base_model.state_dict()[EMBED],
                               rtol=1e-5, atol=1e-6)


def test_dora_adapter_is_refused(tmp_path, base_model):
    adapter, _ = _lora(base_model, tmp_path / "dora", use_dora=True)
    base = open_checkpoint(save(base_model, tmp_path / "b"))
    with pytest.raises(CheckpointError, match="use_dora=true"):
        open_expert(adapter, base)


def test_provenance_round_trip(tmp_path, base_dir):
    h = open_checkpoint(base_dir).content_hash()
    assert read_provenance(base_dir) is None
    path = write_provenance(base_dir, h, trained_by="test")
    assert json.loads(path.read_text())["base_hash"] == h
    assert read_provenance(base_dir) == {"base_hash": h, "trained_by": "test"}
    with pytest.raises(ValueError, match="sha256"):
        write_provenance(base_dir, "abc")
    path.write_text(json.dumps({"other": 1}))
    with pytest.raises(CheckpointError, match="no 'base_hash'"):
        read_provenance(base_dir)


@pytest.mark.slow
def test_builtin_base_opens_with_one_embedding_tensor():
    ckpt = open_checkpoint("builtin:smollm2-135m-instruct")
    assert ckpt.tied and ckpt.architecture == "LlamaForCausalLM"
    assert len(ckpt.names()) == 272 and "lm_head.weight" not in ckpt.names()
    assert ckpt.shape(EMBED) == (49152, 576)

"""Validation before compute: architecture, tensors, shapes, dtypes and "fine-tuned from this base?"."""

from __future__ import annotations

import json
import math

import pytest
import torch
from _tiny import fine_tune_like, save, tiny_model
from hypothesis import given, settings
from hypothesis import strategies as st
from mixmerge.merge_core import validate
from mixmerge.merge_core.checkpoint import open_checkpoint, open_expert, write_provenance
from mixmerge.merge_core.lowrank import LowRankDelta
from mixmerge.merge_core.validate import ExpertMismatch, validate_experts
from safetensors.torch import load_file, save_file

EMBED = "model.embed_tokens.weight"


@pytest.fixture(scope="module")
def base_model():
    return tiny_model(0)


@pytest.fixture()
def base(tmp_path, base_model):
    return open_checkpoint(save(base_model, tmp_path / "base"))


def _experts(base, **refs):
    return {label: open_expert(ref, base) for label, ref in refs.items()}


def _edit(path, fn):
    sd = load_file(str(path / "model.safetensors"))
    fn(sd)
    save_file(sd, str(path / "model.safetensors"), metadata={"format": "pt"})
    return path


def test_fine_tune_passes_by_relative_norm(tmp_path, base, base_model):
    expert = save(fine_tune_like(base_model, seed=1), tmp_path / "ft")
    reports = validate_experts(base, _experts(base, helpful=expert))
    r = reports["helpful"]
    assert r.method == "relative_norm" and 0 < r.overall < 0.05 and r.worst_tensor is not None


def test_different_base_same_shape_is_caught(tmp_path, base):
    other = save(tiny_model(seed=1), tmp_path / "other")
    with pytest.raises(ExpertMismatch, match=r"expert 'honest' .* does not look fine-tuned from the base.*"
                                             r"relative norm 1\.\d+ on tensor 'model\."):
        validate_experts(base, _experts(base, honest=other))


@pytest.mark.parametrize("fraction, ok", [(0.3, True), (0.6, True), (2.0, False), (3.3, False)])
def test_both_sides_of_the_threshold(tmp_path, base, base_model, fraction, ok):
    """fine_tune_like moves each weight by ~scale * mean|w|, a relative norm of about 0.8-1.1 x scale."""
    scale = fraction * min(validate.OVERALL_THRESHOLD, validate.TENSOR_THRESHOLD)
    expert = save(fine_tune_like(base_model, seed=3, scale=scale), tmp_path / "e")
    stats = validate.expert_norm_stats(base, open_expert(expert, base))
    assert (stats.overall <= validate.OVERALL_THRESHOLD
            and stats.worst_matrix()[1] <= validate.TENSOR_THRESHOLD) == ok
    if ok:
        validate_experts(base, _experts(base, e=expert))
    else:
        with pytest.raises(ExpertMismatch, match="does not look fine-tuned"):
            validate_experts(base, _experts(base, e=expert))


def test_one_replaced_matrix_is_caught_per_tensor(tmp_path, base, base_model):
    """A single foreign matrix barely moves the overall norm but fails the per-matrix rule, naming it."""
    name = "model.layers.1.mlp.down_proj.weight"
    expert = save(fine_tune_like(base_model, seed=4), tmp_path / "e")
    _edit(expert, lambda sd: sd.__setitem__(name, torch.randn(sd[name].shape, generator=torch.Generator()
                                                              .manual_seed(0)) * sd[name].std()))
    stats = validate.expert_norm_stats(base, open_expert(expert, base))
    assert stats.overall < validate.OVERALL_THRESHOLD
    with pytest.raises(ExpertMismatch, match=rf"tensor '{name}' \(threshold {validate.TENSOR_THRESHOLD}\)"):
        validate_experts(base, _experts(base, e=expert))


def test_provenance_hash_is_checked(tmp_path, base, base_model):
    expert = save(fine_tune_like(base_model, seed=5), tmp_path / "e")
    write_provenance(expert, base.content_hash())
    assert validate_experts(base, _experts(base, e=expert))["e"].method == "provenance"
    write_provenance(expert, "sha256:" + "0" * 64)
    with pytest.raises(ExpertMismatch, match=r"expert 'e' .* was trained from base sha256:0+ .*content hash sha256:"):
        validate_experts(base, _experts(base, e=expert))


def test_different_architecture(tmp_path, base, base_model):
    expert = save(fine_tune_like(base_model, seed=1), tmp_path / "e")
    cfg = json.loads((expert / "config.json").read_text())
    cfg["architectures"] = ["MistralForCausalLM"]
    (expert / "config.json").write_text(json.dumps(cfg))
    with pytest.raises(ExpertMismatch, match="expert 'e' .* is a MistralForCausalLM, but the base .* LlamaForCausalLM"):
        validate_experts(base, _experts(base, e=expert))


def test_same_shapes_different_heads_is_a_different_architecture(tmp_path, base):
    expert = save(tiny_model(0, num_attention_heads=8, num_key_value_heads=4, head_dim=4), tmp_path / "e")
    with pytest.raises(ExpertMismatch, match="num_attention_heads 8 in config.json but the base has 4"):
        validate_experts(base, _experts(base, e=expert))


def test_vocabulary_size_mismatch_names_the_tensor(tmp_path, base):
    expert = save(tiny_model(0, vocab_size=100), tmp_path / "e")
    with pytest.raises(ExpertMismatch, match=rf"expert 'e' .*tensor '{EMBED}' has shape 100x32 but the base has "
                                             r"96x32 \(vocabulary size 100 vs the base's 96\)"):
        validate_experts(base, _experts(base, e=expert))


def test_missing_and_extra_tensors(tmp_path, base, base_model):
    missing = save(fine_tune_like(base_model, seed=1), tmp_path / "m")
    _edit(missing, lambda sd: sd.pop("model.layers.1.mlp.up_proj.weight"))
    with pytest.raises(ExpertMismatch, match="expert 'm' .* is missing tensor 'model.layers.1.mlp.up_proj.weight'"):
        validate_experts(base, _experts(base, m=missing))
    extra = save(fine_tune_like(base_model, seed=1), tmp_path / "x")
    _edit(extra, lambda sd: sd.__setitem__("model.extra.weight", torch.zeros(3)))
    with pytest.raises(ExpertMismatch, match="expert 'x' .* has extra tensor 'model.extra.weight'"):
        validate_experts(base, _experts(base, x=extra))


@pytest.mark.parametrize("dtype, words", [(torch.int8, "non-float dtype I8"),
                                          (torch.float8_e4m3fn, "unsupported float dtype F8_E4M3")])
def test_bad_dtypes(tmp_path, base, base_model, dtype, words):
    expert = save(fine_tune_like(base_model, seed=1), tmp_path / "e")
    name = "model.layers.0.mlp.gate_proj.weight"
    _edit(expert, lambda sd: sd.__setitem__(name, sd[name].to(dtype)))
    with pytest.raises(ExpertMismatch, match=rf"expert 'e' .*tensor '{name}' has {words}"):
        validate_experts(base, _experts(base, e=expert))


def test_bf16_expert_is_accepted(tmp_path, base, base_model):
    expert = save(fine_tune_like(base_model, seed=1).to(torch.bfloat16), tmp_path / "e")
    assert validate_experts(base, _experts(base, e=expert))["e"].overall < 0.05


def _lora(base_model, path, init_scale=1.0, **config):
    import copy

    from peft import LoraConfig, get_peft_model

    torch.manual_seed(0)
    cfg = dict(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj"], init_lora_weights=False, **config)
    model = get_peft_model(copy.deepcopy(base_model), LoraConfig(**cfg))
    with torch.no_grad():
        for n, p in model.named_parameters():
            if "lora_B" in n:
                p.mul_(init_scale)
    model.save_pretrained(path)
    return path


def test_lora_adapter_lineage_by_norm_and_shape(tmp_path, base, base_model):
    small = _lora(base_model, tmp_path / "small", init_scale=0.01)
    report = validate_experts(base, _experts(base, a=small))["a"]
    assert report.method == "relative_norm" and report.overall < 0.1
    big = _lora(base_model, tmp_path / "big", init_scale=100.0)
    with pytest.raises(ExpertMismatch, match="expert 'b' .* does not look fine-tuned"):
        validate_experts(base, _experts(base, b=big))
    foreign = _lora(tiny_model(0, hidden_size=48, intermediate_size=64, num_attention_heads=4, num_key_value_heads=2),
                    tmp_path / "foreign", init_scale=0.01)
    with pytest.raises(ExpertMismatch, match=r"expert 'f' .*tensor 'model.layers.0.self_attn.q_proj.weight' has "
                                             r"shape 48x48 in the adapter but 32x32 in the base"):
        validate_experts(base, _experts(base, f=foreign))


@settings(max_examples=40, deadline=None)
@given(out=st.integers(1, 12), inp=st.integers(1, 12), r=st.integers(1, 5), scaling=st.floats(-4, 4),
       seed=st.integers(0, 2**31 - 1))
def test_low_rank_norm_equals_dense_norm(out, inp, r, scaling, seed):
    gen = torch.Generator().manual_seed(seed)
    d = LowRankDelta(A=torch.randn(r, inp, generator=gen), B=torch.randn(out, r, generator=gen), scaling=scaling)
    dense = float(d.dense().double().pow(2).sum())
    assert math.isclose(validate.delta_sq_norm(d), dense, rel_tol=1e-4, abs_tol=1e-6)


@settings(max_examples=30, deadline=None)
@given(c=st.floats(0.0, 3.0), seed=st.integers(0, 2**31 - 1))
def test_relative_norm_of_a_scaled_copy_is_the_scale(c, seed):
    gen = torch.Generator().manual_seed(seed)
    tensors = {"a": torch.randn(5, 4, generator=gen), "b": torch.randn(7, generator=gen)}
    stats = validate.relative_norm_stats(tensors, tensors.__getitem__, lambda n, b: c * b)
    assert math.isclose(stats.overall, c, rel_tol=1e-6, abs_tol=1e-9)
    assert all(math.isclose(v, c, rel_tol=1e-6, abs_tol=1e-9) for v in stats.per_tensor.values())
    assert stats.worst_matrix()[0] == "a"

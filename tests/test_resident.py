"""The resident merger writes exactly what each method's from-scratch formula gives, candidate after candidate."""

from __future__ import annotations

import copy

import pytest
import torch
from _tiny import fine_tune_like, tiny_model
from mixmerge.merge_core.groups import group_names, group_of
from mixmerge.merge_core.lowrank import LowRankDelta
from mixmerge.merge_core.methods import METHODS, TensorInfo, get_method, parse_params
from mixmerge.merge_core.resident import ResidentMerger

CANDIDATES = [[0.5, 0.3, 0.2], [1.0, 0.0, 0.4], [0.2, 0.9, 0.6]]
# Values for searched knobs, per knob name; each candidate takes the next value.
KNOB_VALUES = {"density": [0.4, 0.8, 0.6], "gamma": [0.05, 0.1, 0.02], "epsilon": [0.05, 0.1, 0.02],
               "t": [0.3, 0.7, 0.5], "lambda": [1.0, 0.7, 1.3], "alpha": [1.0, 0.7, 1.3],
               "rank_fraction": [0.5, 1.0, 0.25], "k": [2, 1, 3]}


def _family(n_experts: int):
    base = tiny_model(0)
    experts = [fine_tune_like(base, 10 + i, scale=0.05) for i in range(n_experts)]
    base_sd = {k: v.detach().clone() for k, v in base.named_parameters()}
    deltas = [{k: (dict(e.named_parameters())[k].detach() - v) for k, v in base_sd.items()} for e in experts]
    return base, base_sd, deltas


def _n_experts(method) -> int:
    return method.max_experts if method.max_experts is not None and method.max_experts < 3 else 3


def _reference(method, base_sd, deltas, weights, params, seed, ids):
    return {name: method.merge(b, [d[name] for d in deltas], weights, params, TensorInfo(name, seed, ids))
            for name, b in base_sd.items()}


@pytest.mark.parametrize("name", sorted(METHODS))
def test_resident_equals_from_scratch_every_method(name):
    method = get_method(name)
    n = _n_experts(method)
    base, base_sd, deltas = _family(n)
    live = copy.deepcopy(base)
    ids = tuple(f"e{i}" for i in range(n))
    merger = ResidentMerger(live, base_sd, deltas, method, {}, seed=7, expert_ids=ids)
    params = parse_params(method, {})
    for weights in CANDIDATES:
        w = weights[:n]
        merger.apply(w)
        ref = _reference(method, base_sd, deltas, w, params, 7, ids)
        for pname, p in live.named_parameters():
            torch.testing.assert_close(p.detach(), ref[pname], rtol=1e-5, atol=1e-6, msg=f"{name}: {pname}")


@pytest.mark.parametrize("name", sorted(n for n, m in METHODS.items() if m.searchable))
def test_searched_knobs_change_per_candidate_without_new_prepare(name):
    method = get_method(name)
    n = _n_experts(method)
    base, base_sd, deltas = _family(n)
    live = copy.deepcopy(base)
    knobs = sorted(k for k in method.searchable if k in KNOB_VALUES)
    assert knobs, f"no test values for the searchable knobs {sorted(method.searchable)} of {name}"
    merger = ResidentMerger(live, base_sd, deltas, method, {}, searched=knobs, seed=3)
    for i, weights in enumerate(CANDIDATES):
        overrides = {k: KNOB_VALUES[k][i] for k in knobs}
        merger.apply(weights[:n], overrides)
        params = merger.candidate_params(overrides)
        ref = _reference(method, base_sd, deltas, weights[:n], params, 3, None)
        for pname, p in live.named_parameters():
            torch.testing.assert_close(p.detach(), ref[pname], rtol=1e-5, atol=1e-6, msg=f"{name}: {pname}")


def test_base_is_kept_apart_from_the_live_model():
    """Merging twice gives the same weights: the second merge does not start from the first's result."""
    base, base_sd, deltas = _family(3)
    live = copy.deepcopy(base)
    merger = ResidentMerger(live, dict(live.named_parameters()), deltas, "task_arithmetic")
    merger.apply([1.0, 1.0, 1.0])
    first = {k: v.detach().clone() for k, v in live.named_parameters()}
    merger.apply([0.0, 0.0, 0.0])
    for k, v in live.named_parameters():
        torch.testing.assert_close(v.detach(), base_sd[k])
    merger.apply([1.0, 1.0, 1.0])
    for k, v in live.named_parameters():
        torch.testing.assert_close(v.detach(), first[k])


def test_apply_allocates_no_new_parameters_and_keeps_the_model_object():
    base, base_sd, deltas = _family(3)
    live = copy.deepcopy(base)
    ptrs = {k: v.data_ptr() for k, v in live.named_parameters()}
    merger = ResidentMerger(live, base_sd, deltas, "ties", {"density": 0.5})
    merger.apply([0.3, 0.3, 0.4])
    assert {k: v.data_ptr() for k, v in live.named_parameters()} == ptrs


def test_bf16_live_model_gets_the_float32_merge_cast_once():
    base, base_sd, deltas = _family(3)
    live = copy.deepcopy(base).to(torch.bfloat16)
    merger = ResidentMerger(live, base_sd, deltas, "task_arithmetic")
    merger.apply([0.5, 0.2, 0.3])
    method = get_method("task_arithmetic")
    ref = _reference(method, base_sd, deltas, [0.5, 0.2, 0.3], parse_params(method, {}), 0, None)
    for k, v in live.named_parameters():
        assert v.dtype == torch.bfloat16
        torch.testing.assert_close(v.detach(), ref[k].to(torch.bfloat16), rtol=0, atol=0)


def test_tied_embedding_is_one_tensor_merged_once():
    base, base_sd, deltas = _family(3)
    live = copy.deepcopy(base)
    names = [n for n, _ in live.named_parameters()]
    assert "lm_head.weight" not in names and "model.embed_tokens.weight" in names
    merger = ResidentMerger(live, base_sd, deltas, "task_arithmetic")
    merger.apply([1.0, 0.0, 0.0])
    assert live.lm_head.weight.data_ptr() == live.model.embed_tokens.weight.data_ptr()
    torch.testing.assert_close(live.lm_head.weight.detach(), base_sd["model.embed_tokens.weight"]
                               + deltas[0]["model.embed_tokens.weight"])


def test_layer_group_coefficients():
    base, base_sd, deltas = _family(3)
    live = copy.deepcopy(base)
    merger = ResidentMerger(live, base_sd, deltas, "task_arithmetic")
    groups = {"embed": [1.0, 0.0, 0.0], "blocks_0": [0.0, 1.0, 0.0], "blocks_1": [0.0, 0.0, 1.0],
              "head": [0.5, 0.5, 0.0]}
    assert list(groups) == group_names(2)
    merger.apply(groups)
    for k, v in live.named_parameters():
        g = groups[group_of(k, 2, 2)]
        expected = base_sd[k] + sum(w * d[k] for w, d in zip(g, deltas, strict=True))
        torch.testing.assert_close(v.detach(), expected, msg=k)
    with pytest.raises(ValueError, match="groups"):
        merger.apply({"embed": [1.0, 0.0, 0.0]})


def test_lora_deltas_are_densified_for_the_merge():
    base, base_sd, _ = _family(3)
    gen = torch.Generator().manual_seed(0)
    name = "model.layers.0.self_attn.q_proj.weight"
    out_f, in_f = base_sd[name].shape
    lora = LowRankDelta(A=torch.randn(4, in_f, generator=gen), B=torch.randn(out_f, 4, generator=gen), scaling=0.5)
    live = copy.deepcopy(base)
    merger = ResidentMerger(live, base_sd, [{name: lora}], "task_arithmetic")
    merger.apply([1.0])
    torch.testing.assert_close(dict(live.named_parameters())[name].detach(), base_sd[name] + lora.dense())
    other = "model.layers.1.mlp.up_proj.weight"
    torch.testing.assert_close(dict(live.named_parameters())[other].detach(), base_sd[other])


def test_bad_input_is_refused_before_any_compute():
    base, base_sd, deltas = _family(3)
    with pytest.raises(ValueError, match="unknown merge method"):
        ResidentMerger(base, base_sd, deltas, "nope")
    with pytest.raises(ValueError, match="weights"):
        ResidentMerger(copy.deepcopy(base), base_sd, deltas, "task_arithmetic").apply([1.0, 2.0])
    with pytest.raises(ValueError, match="not parameters"):
        ResidentMerger(base, base_sd, deltas, "task_arithmetic", searched=["bogus"])


def test_memory_report_counts_precomputation():
    base, base_sd, deltas = _family(3)
    merger = ResidentMerger(copy.deepcopy(base), base_sd, deltas, "task_arithmetic")
    model_bytes = sum(v.numel() * 4 for v in base_sd.values())
    assert merger.resident_bytes() >= model_bytes  # at least the base copy
    assert merger.state_bytes() >= 3 * model_bytes * 0.99  # three dense task vectors

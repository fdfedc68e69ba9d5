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
    objects = {k: id(v) for k, v in live.named_parameters()}
    merger = ResidentMerger(live, base_sd, deltas, "ties", {"density": 0.5})
    ptrs = {k: v.data_ptr() for k, v in live.named_parameters()}  # the flat layout is made once, at set-up
    merger.apply([0.3, 0.3, 0.4])
    merger.apply([0.5, 0.1, 0.4])
    assert {k: v.data_ptr() for k, v in live.named_parameters()} == ptrs
    assert {k: id(v) for k, v in live.named_parameters()} == objects


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


# ------------------------------------------------------------------------------------- the flat layout
BATCHED = sorted(n for n, m in METHODS.items() if m.resident_batched)


def _flat_runs(monkeypatch) -> list[bool]:
    """Record whether each candidate ran as one flat call."""
    from mixmerge.merge_core import resident

    runs: list[bool] = []
    original = resident._FlatPlan.run

    def spy(self, ops, execute=True):
        done = original(self, ops, execute)
        if execute:
            runs.append(done)
        return done

    monkeypatch.setattr(resident._FlatPlan, "run", spy)
    return runs


def _storage(t: torch.Tensor) -> int:
    return t.untyped_storage().data_ptr()


@pytest.mark.parametrize("name", BATCHED)
def test_flat_path_equals_tensor_by_tensor_path(name, monkeypatch):
    """One flat call per candidate writes what the per-tensor calls write, searched knobs and groups included."""
    method = get_method(name)
    n = _n_experts(method)
    base, base_sd, deltas = _family(n)
    knobs = sorted(k for k in method.searchable if k in KNOB_VALUES)
    flat_live, ref_live = copy.deepcopy(base), copy.deepcopy(base)
    runs = _flat_runs(monkeypatch)
    flat = ResidentMerger(flat_live, base_sd, deltas, method, {}, searched=knobs, seed=5)
    ref = ResidentMerger(ref_live, base_sd, deltas, method, {}, searched=knobs, seed=5, flat=False)
    assert flat._flat is not None and ref._flat is None
    groups = {g: [0.2 + 0.1 * i + 0.05 * j for j in range(n)] for i, g in enumerate(group_names(2))}
    for i, weights in enumerate([*CANDIDATES, groups]):
        w = weights if isinstance(weights, dict) else weights[:n]
        overrides = {k: KNOB_VALUES[k][i % 3] for k in knobs}
        flat.apply(w, overrides)
        ref.apply(w, overrides)
        for (pname, p), q in zip(flat_live.named_parameters(), ref_live.parameters(), strict=True):
            torch.testing.assert_close(p.detach(), q.detach(), rtol=0, atol=1e-6, msg=f"{name}: {pname}")
    assert runs and all(runs), f"{name}: a candidate fell back to tensor-by-tensor calls"


def test_live_parameters_are_views_of_one_flat_buffer():
    base, base_sd, deltas = _family(3)
    live = copy.deepcopy(base)
    objects = [id(p) for p in live.parameters()]
    merger = ResidentMerger(live, base_sd, deltas, "task_arithmetic")
    buf = merger._flat.live_buf
    assert [id(p) for p in live.parameters()] == objects  # same Parameter objects, new storage
    assert all(_storage(p) == _storage(buf) for p in live.parameters())
    # tied embedding: one Parameter, laid out once, still shared by the head
    assert live.lm_head.weight is live.model.embed_tokens.weight
    assert len(merger._flat.layout) == len(list(live.parameters())) == len(dict(live.named_parameters()))
    merger.apply([0.7, 0.2, 0.4])
    # the model computes with the merged weights: same logits as a fresh copy loaded with the reference merge
    method = get_method("task_arithmetic")
    ref = _reference(method, base_sd, deltas, [0.7, 0.2, 0.4], parse_params(method, {}), 0, None)
    fresh = copy.deepcopy(base)
    with torch.no_grad():
        for k, p in fresh.named_parameters():
            p.copy_(ref[k])
        ids = torch.tensor([[1, 5, 9, 3]])
        torch.testing.assert_close(live(ids).logits, fresh(ids).logits, rtol=1e-5, atol=1e-5)


def test_bf16_model_is_laid_out_in_bf16():
    base, base_sd, deltas = _family(3)
    live = copy.deepcopy(base).to(torch.bfloat16)
    ref_live = copy.deepcopy(live)
    merger = ResidentMerger(live, base_sd, deltas, "ties", {"density": 0.5})
    ref = ResidentMerger(ref_live, base_sd, deltas, "ties", {"density": 0.5}, flat=False)
    assert merger._flat.live_buf.dtype == torch.bfloat16
    merger.apply([0.5, 0.2, 0.3])
    ref.apply([0.5, 0.2, 0.3])
    for p, q in zip(live.parameters(), ref_live.parameters(), strict=True):
        assert p.dtype == torch.bfloat16 and _storage(p) == _storage(merger._flat.live_buf)
        torch.testing.assert_close(p.detach().float(), q.detach().float(), rtol=2**-8, atol=1e-6)


def test_inputs_are_moved_into_the_flat_buffers_not_copied():
    """The float32 base and task vectors given to the merger end up inside its buffers (values unchanged)."""
    base, base_sd, deltas = _family(3)
    before = {k: v.clone() for k, v in deltas[0].items()}
    merger = ResidentMerger(copy.deepcopy(base), base_sd, deltas, "task_arithmetic")
    buffers = {_storage(b) for b in merger._flat.buffers()}
    assert all(_storage(v) in buffers for v in deltas[0].values())
    assert all(_storage(v) in buffers for v in base_sd.values())
    for k, v in deltas[0].items():
        assert torch.equal(v, before[k])
    padded = merger._flat.layout.n_rows * merger._flat.layout.row * 4
    assert merger.resident_bytes() == 4 * padded  # the base and three task vectors, each held once


def test_second_merger_shares_the_live_buffer_and_the_first_stays_right():
    base, base_sd, deltas = _family(3)
    live = copy.deepcopy(base)
    first = ResidentMerger(live, base_sd, deltas, "task_arithmetic")
    second = ResidentMerger(live, base_sd, deltas, "ties", {"density": 0.5})
    assert _storage(second._flat.live_buf) == _storage(first._flat.live_buf)
    method = get_method("task_arithmetic")
    second.apply([0.1, 0.9, 0.3])
    first.apply([0.6, 0.3, 0.2])
    ref = _reference(method, base_sd, deltas, [0.6, 0.3, 0.2], parse_params(method, {}), 0, None)
    for k, p in live.named_parameters():
        torch.testing.assert_close(p.detach(), ref[k], rtol=1e-5, atol=1e-6)


def test_parameters_re_pointed_elsewhere_are_brought_back():
    base, base_sd, deltas = _family(3)
    live = copy.deepcopy(base)
    merger = ResidentMerger(live, base_sd, deltas, "task_arithmetic")
    live.model.norm.weight.data = live.model.norm.weight.data.clone()  # e.g. someone moved or reloaded it
    merger.apply([0.6, 0.3, 0.2])
    method = get_method("task_arithmetic")
    ref = _reference(method, base_sd, deltas, [0.6, 0.3, 0.2], parse_params(method, {}), 0, None)
    for k, p in live.named_parameters():
        assert _storage(p) == _storage(merger._flat.live_buf)
        torch.testing.assert_close(p.detach(), ref[k], rtol=1e-5, atol=1e-6)


def test_methods_that_compute_per_candidate_merge_tensor_by_tensor():
    base, base_sd, deltas = _family(3)
    live = copy.deepcopy(base)
    ptrs = [p.data_ptr() for p in live.parameters()]
    merger = ResidentMerger(live, base_sd, deltas, "iso_c")
    assert merger._flat is None and [p.data_ptr() for p in live.parameters()] == ptrs


@pytest.mark.slow
def test_compiled_flat_kernels_equal_from_scratch(monkeypatch):
    """The compiled (torch.compile) flat calls, forced on a tiny model, give the from-scratch merge."""
    from mixmerge.merge_core import _kernels

    monkeypatch.setattr(_kernels, "FUSE_MIN_NUMEL", 0)
    monkeypatch.setattr(_kernels, "_compile_broken", False)
    runs = _flat_runs(monkeypatch)
    base, base_sd, deltas = _family(3)
    cases = [("task_arithmetic", {}, [], torch.float32), ("task_arithmetic", {}, [], torch.bfloat16),
             ("ties", {"rescale": True}, ["density"], torch.float32),
             ("dare_ties", {"density": 0.5}, ["density"], torch.float32),
             ("della", {"density": 0.4, "epsilon": 0.2}, ["density", "epsilon"], torch.float32)]
    for name, fixed, knobs, dtype in cases:
        method = get_method(name)
        live = copy.deepcopy(base).to(dtype)
        merger = ResidentMerger(live, base_sd, deltas, method, fixed, searched=knobs, seed=1)
        for i, weights in enumerate(CANDIDATES):
            overrides = {k: KNOB_VALUES[k][i] for k in knobs}
            merger.apply(weights, overrides)
            ref = _reference(method, base_sd, deltas, weights, merger.candidate_params(overrides), 1, None)
            for pname, p in live.named_parameters():
                torch.testing.assert_close(p.detach().float(), ref[pname].to(dtype).float(), atol=1e-6,
                                           rtol=1e-5 if dtype == torch.float32 else 2**-8, msg=f"{name}: {pname}")
    assert runs and all(runs) and not _kernels._compile_broken and _kernels._compiled


def test_flat_model_saves_and_reloads(tmp_path):
    """Exporting the live model (``save_pretrained``) works with parameters that are views of one buffer."""
    from transformers import AutoModelForCausalLM

    base, base_sd, deltas = _family(3)
    live = copy.deepcopy(base)
    ResidentMerger(live, base_sd, deltas, "task_arithmetic").apply([0.5, 0.2, 0.3])
    live.save_pretrained(tmp_path, safe_serialization=True)
    reloaded = AutoModelForCausalLM.from_pretrained(tmp_path)
    for (name, p), q in zip(live.named_parameters(), reloaded.parameters(), strict=True):
        assert torch.equal(p.detach(), q.detach()), name


@pytest.mark.parametrize("name,fixed,knobs", [("task_arithmetic", {}, []),
                                              ("dare_ties", {"density": 0.5}, ["density"]),
                                              ("ties", {"rescale": True}, ["density"])])
def test_flat_eager_chunks_equal_tensor_by_tensor(name, fixed, knobs, monkeypatch):
    """Without a compiler the flat call runs eagerly a few rows at a time (cache-sized temporaries)."""
    from mixmerge.merge_core import _kernels

    monkeypatch.setattr(_kernels, "EAGER_CHUNK_ROWS", 3)
    monkeypatch.setattr(_kernels, "_compile_broken", True)
    runs = _flat_runs(monkeypatch)
    base, base_sd, deltas = _family(3)
    flat_live, ref_live = copy.deepcopy(base), copy.deepcopy(base)
    flat = ResidentMerger(flat_live, base_sd, deltas, name, fixed, searched=knobs, seed=2)
    ref = ResidentMerger(ref_live, base_sd, deltas, name, fixed, searched=knobs, seed=2, flat=False)
    assert flat._flat.layout.n_rows > 3 * _kernels.EAGER_CHUNK_ROWS
    for i, weights in enumerate(CANDIDATES):
        overrides = {k: KNOB_VALUES[k][i] for k in knobs}
        flat.apply(weights, overrides)
        ref.apply(weights, overrides)
        for p, q in zip(flat_live.parameters(), ref_live.parameters(), strict=True):
            torch.testing.assert_close(p.detach(), q.detach(), rtol=0, atol=1e-6, msg=name)
    assert runs and all(runs)


def test_successive_mergers_reuse_laid_out_inputs_and_pin_no_extra_memory():
    """One merger after another on the same inputs (as the demo does): inputs already laid out are used where
    they are, and the caller's tensors never keep more than their own size alive."""
    from mixmerge.merge_core.resident import _tensor_bytes

    base, base_sd, deltas = _family(3)
    live = copy.deepcopy(base)
    first = ResidentMerger(live, base_sd, deltas, "task_arithmetic")
    padded = first._flat.layout.n_rows * first._flat.layout.row * 4
    again = ResidentMerger(live, base_sd, deltas, "task_arithmetic")
    assert {_storage(b) for b in again._flat.buffers()} == {_storage(b) for b in first._flat.buffers()}
    del first, again
    for name in ["model_stock", "tsv_m", "consensus", "ties", "iso_c", "task_arithmetic"]:
        merger = ResidentMerger(live, base_sd, deltas, name)
        merger.apply([0.3, 0.5, 0.2])
        assert _tensor_bytes([base_sd, deltas], set()) <= 4 * padded, name
        del merger


def test_each_kind_of_kernel_call_gets_its_own_compiled_code(monkeypatch):
    """dynamo gives up after 8 recompiles of one code object (then runs eagerly on whole-model tensors), so
    every kind of call (dtypes, list lengths, flags, one row or many) compiles a code object of its own."""
    from mixmerge.merge_core import _kernels

    compiled = []
    monkeypatch.setattr(_kernels, "_compiled", {})
    monkeypatch.setattr(torch, "compile", lambda fn, **kw: compiled.append(fn) or fn)
    a, b = torch.zeros(4, 8), torch.zeros(1, 8)
    kinds = [(a, [a, a], True), (a, [a, a], False), (a, [a], True), (b, [b, b], True),
             (a.bfloat16(), [a, a], True), (a.int(), [a, a], True)]
    for args in kinds + kinds:
        _kernels._compiled_for(_kernels._flat_sum, args)
    assert len(compiled) == len(kinds)
    assert len({fn.__code__ for fn in compiled}) == len(kinds)
    assert all(fn.__code__ is not _kernels._flat_sum.__code__ for fn in compiled)


def _tied_family():
    """Task vectors with few distinct magnitudes (many exact ties, zeros and -0.0), so a searched density's cut
    falls inside runs of equal magnitudes: the entries kept there must be the from-scratch ones."""
    base, base_sd, _ = _family(3)
    gen = torch.Generator().manual_seed(4)
    deltas = []
    for i in range(3):  # a scale per expert, so that weighted sums across experts do not cancel exactly
        d = {}
        for k, v in base_sd.items():
            levels = torch.randint(-3, 4, v.shape, generator=gen).float() * (0.01 + 0.00173 * i)
            levels[torch.rand(v.shape, generator=gen) < 0.1] = -0.0
            d[k] = levels
        deltas.append(d)
    return base, base_sd, deltas


@pytest.mark.parametrize("flat,compiled", [(True, False), (False, False),
                                           pytest.param(True, True, marks=pytest.mark.slow)])
@pytest.mark.parametrize("name,fixed", [("ties", {}), ("ties", {"rescale": True}), ("breadcrumbs", {}),
                                        ("breadcrumbs_ties", {"rescale": True})])
def test_searched_density_keeps_exactly_the_from_scratch_entries_among_ties(name, fixed, flat, compiled,
                                                                            monkeypatch):
    """A searched magnitude density is tested per candidate against a cut (magnitude, flat index), never with
    stored ranks: among tied magnitudes it must keep the very entries the from-scratch ranks keep."""
    from mixmerge.merge_core import _kernels

    if compiled:
        monkeypatch.setattr(_kernels, "FUSE_MIN_NUMEL", 0)
        monkeypatch.setattr(_kernels, "_compile_broken", False)
    method = get_method(name)
    base, base_sd, deltas = _tied_family()
    knobs = sorted(k for k in ("density", "gamma") if k in method.searchable)
    live = copy.deepcopy(base)
    merger = ResidentMerger(live, base_sd, deltas, method, fixed, searched=knobs, seed=0, flat=flat)
    for i, weights in enumerate([[0.5, 0.3, 0.2], [1.0, -0.4, 0.4], [0.2, 0.9, 0.6], [0.7, 0.7, 0.7]]):
        overrides = {"density": [0.37, 0.5, 0.81, 0.05][i], "gamma": [0.05, 0.2, 0.0, 0.1][i]}
        overrides = {k: v for k, v in overrides.items() if k in knobs}
        merger.apply(weights, overrides)
        ref = _reference(method, base_sd, deltas, weights, merger.candidate_params(overrides), 0, None)
        for pname, p in live.named_parameters():
            torch.testing.assert_close(p.detach(), ref[pname], rtol=1e-6, atol=1e-7, msg=f"{name}: {pname}")

"""The task-arithmetic family (linear, task_arithmetic, ties, dare, breadcrumbs, della).

Parity with mergekit 0.1.5 itself on a tiny model family; resident split (prepare/combine) against the
from-scratch merge; property tests; parameter validation.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
import torch
from _tiny import run_mergekit, tiny_family
from hypothesis import given, settings
from hypothesis import strategies as st
from mixmerge.merge_core.methods import TensorInfo, get_method, parse_params
from mixmerge.merge_core.methods._sparsify import (
    KeptL1,
    della_key,
    della_step,
    magnitude_ranks,
    outlier_bounds,
    pack_draws,
    packed_della_key,
    row_ranks,
    trim,
)
from pydantic import ValidationError
from safetensors.torch import load_file

FAMILY = ["linear", "task_arithmetic", "ties", "dare_linear", "dare_ties", "breadcrumbs", "breadcrumbs_ties",
          "della", "della_linear"]


# ------------------------------------------------------------------------------------------ helpers
def _state(directory: Path) -> dict[str, torch.Tensor]:
    tensors: dict[str, torch.Tensor] = {}
    for f in sorted(directory.glob("*.safetensors")):
        tensors.update({k: v.float() for k, v in load_file(f).items()})
    return tensors


@pytest.fixture(scope="module")
def family(tmp_path_factory):
    root = tmp_path_factory.mktemp("family")
    base_dir, expert_dirs = tiny_family(root)
    return root, base_dir, expert_dirs, _state(base_dir), [_state(d) for d in expert_dirs]


def _recipe(method: str, base_dir: Path, expert_dirs: list[Path], weights: list[float], model_params: dict,
            params: dict) -> dict:
    models = [{"model": str(d), "parameters": {"weight": w, **model_params}}
              for d, w in zip(expert_dirs, weights, strict=True)]
    recipe = {"merge_method": method, "models": models, "parameters": params, "dtype": "float32"}
    if method != "linear":  # linear averages the listed models; the base is not one of them
        recipe["base_model"] = str(base_dir)
    return recipe


def _ours(method: str, base: dict, experts: list[dict], weights: list[float], raw: dict) -> dict:
    m = get_method(method)
    params = parse_params(m, raw)
    merged = {}
    for name, b in base.items():
        deltas = [e[name] - b for e in experts]
        merged[name] = m.merge(b, deltas, weights, params, TensorInfo(name=name, seed=7))
    return merged


def _deltas(seed: int, shape=(12, 20), n: int = 3, quantized: bool = False) -> tuple[torch.Tensor, list]:
    gen = torch.Generator().manual_seed(seed)
    base = torch.randn(shape, generator=gen)
    if quantized:  # many equal magnitudes: exercises tie-breaking at the trimming threshold
        deltas = [torch.randint(-4, 5, shape, generator=gen).float() / 8 for _ in range(n)]
    else:
        deltas = [torch.randn(shape, generator=gen) * 0.1 for _ in range(n)]
    return base, deltas


# ------------------------------------------------------------------------------- 1. parity with mergekit
PARITY_CASES = [
    ("linear", [0.5, 0.3, 0.4], {}, {}),
    ("linear", [0.6, 0.2, 0.5], {}, {"normalize": False}),
    ("task_arithmetic", [0.5, 0.3, 0.4], {}, {}),
    ("task_arithmetic", [0.7, -0.2, 0.9], {}, {"normalize": True, "lambda": 0.7}),
    ("ties", [0.5, 0.3, 0.4], {"density": 0.3}, {}),
    ("ties", [0.8, -0.3, 0.5], {"density": 0.7}, {"normalize": False, "lambda": 1.3}),
    ("ties", [0.5, 0.5, 0.2], {"density": 0.5}, {"rescale": True}),
    ("breadcrumbs", [0.5, 0.3, 0.4], {"density": 0.3, "gamma": 0.05}, {}),
    ("breadcrumbs", [0.6, 0.3, 0.4], {"density": 0.7, "gamma": 0.01}, {"normalize": True, "lambda": 1.2}),
    ("breadcrumbs_ties", [0.5, 0.3, 0.4], {"density": 0.7, "gamma": 0.1}, {"normalize": True}),
    ("breadcrumbs_ties", [0.9, -0.4, 0.4], {"density": 0.3, "gamma": 0.02}, {"rescale": True, "lambda": 0.8}),
    # density 1: DARE and DELLA are deterministic (mergekit draws from torch's global generator otherwise)
    ("dare_linear", [0.5, 0.3, 0.4], {"density": 1.0}, {}),
    ("dare_ties", [0.5, 0.3, 0.4], {"density": 1.0}, {"normalize": True, "lambda": 1.5}),
    ("della", [0.5, -0.3, 0.4], {"density": 1.0, "epsilon": 0.1}, {}),
    ("della_linear", [0.5, 0.3, 0.4], {"density": 1.0}, {"normalize": True}),
]


@pytest.mark.parametrize("method,weights,model_params,params", PARITY_CASES)
def test_parity_with_mergekit(family, method, weights, model_params, params):
    root, base_dir, expert_dirs, base, experts = family
    tag = f"{method}-{abs(hash((str(weights), str(model_params), str(params)))) % 10**8}"
    theirs = run_mergekit(_recipe(method, base_dir, expert_dirs, weights, model_params, params), root / tag)
    ours = _ours(method, base, experts, weights, {**params, **model_params})
    assert set(theirs) <= set(ours) and theirs
    for name, expected in theirs.items():
        torch.testing.assert_close(ours[name], expected, atol=1e-5, rtol=1e-5, msg=lambda m, n=name: f"{n}: {m}")
    # the case must be able to fail: the merge moved the tensors away from the base
    assert any(not torch.allclose(theirs[n], base[n]) for n in theirs)


def test_mergekit_breadcrumbs_zeroes_tiny_tensors_we_keep_one():
    """mergekit keeps ``int(density n)`` entries: none when density * n < 1. We keep the largest one."""
    from mergekit.sparsify import magnitude_outliers

    delta = torch.tensor([0.1, -0.7, 0.3, 0.05, -0.2])
    assert torch.count_nonzero(magnitude_outliers(delta, density=0.1, gamma=0.0)) == 0  # mergekit's result
    ours = trim(delta, magnitude_ranks(delta), outlier_bounds(5, 0.1, 0.0), rescale=False)
    assert torch.equal(ours, torch.tensor([0.0, -0.7, 0.0, 0.0, 0.0]))
    # with gamma removing the top entry, the kept one is the next largest
    ours = trim(delta, magnitude_ranks(delta), outlier_bounds(5, 0.1, 0.2), rescale=False)
    assert torch.equal(ours, torch.tensor([0.0, 0.0, 0.3, 0.0, 0.0]))


def test_mergekit_breadcrumbs_no_outlier_cut_keeps_the_tensor():
    """The old bug (``indices[n_bot:-n_top]`` empty when n_top == 0) is gone in 0.1.5: both agree."""
    from mergekit.sparsify import magnitude_outliers

    delta = torch.linspace(-1, 1, 40)
    theirs = magnitude_outliers(delta, density=0.5, gamma=0.01)  # int(0.4) == 0 outliers
    ours = trim(delta, magnitude_ranks(delta), outlier_bounds(40, 0.5, 0.01), rescale=False)
    assert torch.count_nonzero(theirs) == 20
    assert torch.equal(ours, theirs)


# --------------------------------------------------------------------- 2. combine(prepare) == merge
SEARCH_CANDIDATES = {
    "linear": [{}],
    "task_arithmetic": [{"lambda": 0.5}, {"lambda": 1.7, "normalize": True}],
    "ties": [{"density": 0.2}, {"density": 0.65, "lambda": 1.3}, {"density": 1.0}, {"density": 0.05}],
    "dare_linear": [{"density": 0.3}, {"density": 0.8, "lambda": 0.6}, {"density": 1.0}],
    "dare_ties": [{"density": 0.3}, {"density": 0.8, "normalize": True}, {"density": 1.0}],
    "breadcrumbs": [{"density": 0.3, "gamma": 0.05}, {"density": 0.8, "gamma": 0.3}, {"density": 0.5, "gamma": 0.0}],
    "breadcrumbs_ties": [{"density": 0.3, "gamma": 0.05}, {"density": 0.9, "gamma": 0.2}],
    "della": [{"density": 0.5, "epsilon": 0.1}, {"density": 0.3, "epsilon": 0.3}, {"density": 1.0, "epsilon": 0.2}],
    "della_linear": [{"density": 0.5, "epsilon": 0.1}, {"density": 0.7, "epsilon": 0.05}],
}
FIXED = {  # the fixed part of each method's params in the split tests
    "ties": {"density": 0.4}, "dare_linear": {"density": 0.4}, "dare_ties": {"density": 0.4},
    "breadcrumbs": {"density": 0.4, "gamma": 0.1}, "breadcrumbs_ties": {"density": 0.4, "gamma": 0.1},
    "della": {"density": 0.4, "epsilon": 0.2}, "della_linear": {"density": 0.4, "epsilon": 0.2},
}
WEIGHT_SETS = [[0.5, 0.3, 0.4], [1.2, -0.4, 0.3], [0.0, 0.7, 0.7]]


def _split_cases():
    for method in FAMILY:
        m = get_method(method)
        knobs = sorted(m.searchable)
        for rescale in ([False, True] if "rescale" in m.Params.model_fields else [None]):
            for r in range(len(knobs) + 1):
                for searched in itertools.combinations(knobs, r):
                    yield pytest.param(method, frozenset(searched), rescale,
                                       id=f"{method}-[{','.join(searched)}]-rescale={rescale}")


@pytest.mark.parametrize("method,searched,rescale", list(_split_cases()))
def test_combine_equals_merge(method, searched, rescale):
    m = get_method(method)
    extra = {} if rescale is None else {"rescale": rescale}
    fixed = {**FIXED.get(method, {}), **extra}
    info = TensorInfo(name="layer.weight", seed=3, expert_ids=("helpful", "harmless", "honest"))
    for shape, quantized in (((12, 20), False), ((40,), True)):
        base, deltas = _deltas(FAMILY.index(method) * 10 + len(shape), shape, quantized=quantized)
        state = m.prepare(base, deltas, parse_params(m, fixed), searched, info)
        for weights, cand in itertools.product(WEIGHT_SETS, SEARCH_CANDIDATES[method]):
            varied = {k: v for k, v in cand.items() if k in searched or k == "normalize"}
            params = parse_params(m, {**fixed, **varied})
            if method == "linear" and sum(weights) == 0:
                continue
            expected = m.merge(base, deltas, weights, params, info)
            out = torch.full(shape, float("nan"))
            m.combine(state, base, weights, params, out)
            torch.testing.assert_close(out, expected, atol=1e-6, rtol=1e-5)
            out16 = torch.zeros(shape, dtype=torch.bfloat16)
            m.combine(state, base, weights, params, out16)
            torch.testing.assert_close(out16.float(), expected.bfloat16().float(), atol=1e-6, rtol=2**-8)


@pytest.mark.slow
def test_compiled_kernels_match_merge(monkeypatch):
    """The fused (torch.compile) passes used on large tensors give what the eager merge gives."""
    from mixmerge.merge_core import _kernels
    from mixmerge.merge_core.methods import _sparsify

    monkeypatch.setattr(_kernels, "FUSE_MIN_NUMEL", 0)
    monkeypatch.setattr(_kernels, "_compile_broken", False)
    info = TensorInfo(name="w", seed=2)
    base, deltas = _deltas(5, (64, 96))
    cases = [("ties", {"density": 0.3}, frozenset()), ("ties", {"density": 0.3, "rescale": True}, {"density"}),
             ("breadcrumbs", {"density": 0.4, "gamma": 0.05}, {"density", "gamma"}),
             ("della", {"density": 0.4, "epsilon": 0.2}, {"density", "epsilon"}),
             ("dare_linear", {"density": 0.4}, {"density"})]
    for method, fixed, searched in cases:
        m = get_method(method)
        state = m.prepare(base, deltas, parse_params(m, fixed), frozenset(searched), info)
        for weights, density in (([0.5, 0.3, 0.4], 0.4), ([1.2, -0.4, 0.3], 0.25)):
            params = parse_params(m, {**fixed, **({"density": density} if "density" in searched else {})})
            out = torch.empty_like(base)
            m.combine(state, base, weights, params, out)
            expected = m.merge(base, deltas, weights, params, info)
            torch.testing.assert_close(out, expected, atol=1e-6, rtol=1e-5)
        if method == "ties":
            out16 = torch.empty_like(base, dtype=torch.bfloat16)
            m.combine(state, base, weights, params, out16)
            torch.testing.assert_close(out16.float(), expected.bfloat16().float(), atol=1e-6, rtol=2**-8)
    assert not _kernels._compile_broken and any(fn is _sparsify._combine_kernel for fn, _ in _kernels._compiled)


def test_combine_refuses_a_changed_fixed_knob():
    m = get_method("ties")
    base, deltas = _deltas(0)
    state = m.prepare(base, deltas, parse_params(m, {"density": 0.3}), frozenset(), TensorInfo("t"))
    with pytest.raises(ValueError, match="density was fixed at 0.3"):
        m.combine(state, base, [1, 1, 1], parse_params(m, {"density": 0.5}), torch.empty_like(base))
    with pytest.raises(ValueError, match="cannot search"):
        m.prepare(base, deltas, parse_params(m, {}), frozenset({"gamma"}), TensorInfo("t"))


# ------------------------------------------------------------------------- semantics of random methods
def test_dare_drops_by_the_stored_uniform_draws_and_keeps_l1():
    m = get_method("dare_linear")
    info = TensorInfo(name="w", seed=11)
    base, (delta,) = _deltas(1, (64, 64), n=1)
    merged = m.merge(base, [delta], [1.0], parse_params(m, {"density": 0.3}), info)
    # one of 2**16 levels per entry, kept below ceil(0.3 * 2**16) = 19661: probability 19661 / 2**16
    kept = (info.uniform(0, delta.shape) * 2**16).floor() < 19661
    trimmed = merged - base
    assert torch.equal(trimmed != 0, kept & (delta != 0))
    assert abs(kept.float().mean().item() - 0.3) < 0.03
    torch.testing.assert_close(trimmed.abs().sum(), delta.abs().sum(), rtol=1e-5, atol=0)  # L1 rescale
    other = m.merge(base, [delta], [1.0], parse_params(m, {"density": 0.3}), TensorInfo(name="w", seed=12))
    assert not torch.equal(other, merged)


def test_della_keeps_by_level_against_density_minus_epsilon_plus_the_rank_term():
    """DELLA's definition in integers: keep where ``level < ceil((d - eps) 2**16) + floor(2 eps 2**16 rank / (c - 1))``.

    65 columns and epsilon 0.25 make the rank step 512 levels exactly, so the expected mask is integer arithmetic.
    """
    m = get_method("della_linear")
    info = TensorInfo(name="w", seed=5)
    base, (delta,) = _deltas(4, (8, 65), n=1)
    merged = m.merge(base, [delta], [1.0], parse_params(m, {"density": 0.5, "epsilon": 0.25, "rescale": False}), info)
    levels = (info.uniform(0, delta.shape) * 2**16).floor().long()
    ranks = torch.empty_like(levels).scatter_(1, delta.abs().argsort(dim=1, stable=True),
                                              torch.arange(65).expand(8, 65).contiguous())
    expected = levels < 16384 + ranks * 512
    assert torch.equal(merged != base, expected & (delta != 0))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2**16 - 1), st.integers(0, 2**16 - 1)), min_size=1, max_size=20),
       st.floats(0.0, 0.5), st.integers(1, 2**16 - 1))
def test_packed_level_and_rank_give_the_same_della_key(pairs, epsilon, denominator):
    """Packing a level and a rank into one int32 (the rank's top bit in the sign bit) loses neither."""
    levels = torch.tensor([p[0] for p in pairs], dtype=torch.int32)
    ranks = torch.tensor([p[1] for p in pairs], dtype=torch.int32)
    step = della_step(epsilon, denominator)
    assert torch.equal(packed_della_key(pack_draws(levels, ranks), step), della_key(levels, ranks, step))


def test_ranks_of_rows_longer_than_2_16_are_scaled_to_16_bits():
    delta = torch.linspace(-1, 1, 70_001)
    ranks, denominator = row_ranks(delta)
    assert denominator == 2**16 - 1 and int(ranks.min()) == 0 and int(ranks.max()) == 2**16 - 1
    assert torch.equal(ranks, (delta.abs().argsort(stable=True).argsort() * (2**16 - 1) // 70_000).int())


def test_a_density_within_one_level_of_1_keeps_everything():
    m = get_method("dare_linear")
    info = TensorInfo(name="w", seed=1)
    base, deltas = _deltas(6, (16, 16))
    almost = m.merge(base, deltas, [0.5, 0.3, 0.4], parse_params(m, {"density": 1 - 2**-17}), info)
    assert torch.equal(almost, m.merge(base, deltas, [0.5, 0.3, 0.4], parse_params(m, {"density": 1.0}), info))


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 200), st.integers(0, 2**31 - 1), st.integers(-40, 40), st.integers(1, 3))
def test_kept_l1_lookup_is_the_sum_below_the_bound(numel, seed, hi, n):
    """``KeptL1.below(hi)`` equals summing ``|delta|`` where ``key < hi``, bounds outside the keys included."""
    gen = torch.Generator().manual_seed(seed)
    deltas = [torch.randn(numel, generator=gen) for _ in range(n)]
    keys = [torch.randint(-20, 20, (numel,), generator=gen, dtype=torch.int16) for _ in range(n)]
    table = KeptL1.build(deltas, keys)
    expected = torch.stack([(d.abs().double() * (k < hi)).sum() for d, k in zip(deltas, keys, strict=True)])
    torch.testing.assert_close(table.below(hi).double(), expected, rtol=1e-6, atol=1e-6)


def test_searched_dare_rescale_reads_its_norms_from_the_table(monkeypatch):
    """With the L1 rescale and a searched density, DARE and DELLA's trimmed norms are a lookup: the pass that
    sums them is never run, and the merge still equals the from-scratch one."""
    from mixmerge.merge_core.methods import _sparsify

    def no_pass(*args, **kwargs):
        raise AssertionError("the trimmed-norm pass ran")

    monkeypatch.setattr(_sparsify, "_trimmed_l1_kernel", no_pass)
    info = TensorInfo(name="w", seed=4)
    base, deltas = _deltas(7, (32, 48))
    for method, fixed in (("dare_linear", {}), ("dare_ties", {}), ("della", {"epsilon": 0.1})):
        m = get_method(method)
        state = m.prepare(base, deltas, parse_params(m, {"density": 0.4, **fixed}), frozenset({"density"}), info)
        assert state.kept_l1 is not None
        for density in (0.15, 0.4, 0.85):
            params = parse_params(m, {"density": density, **fixed})
            out = torch.empty_like(base)
            m.combine(state, base, [0.5, -0.3, 0.4], params, out)
            torch.testing.assert_close(out, m.merge(base, deltas, [0.5, -0.3, 0.4], params, info), atol=1e-6,
                                       rtol=1e-5)


def test_della_keeps_large_entries_more_often():
    m = get_method("della_linear")
    base, (delta,) = _deltas(2, (64, 256), n=1)
    merged = m.merge(base, [delta], [1.0], parse_params(m, {"density": 0.5, "epsilon": 0.4}), TensorInfo("w"))
    kept = (merged - base) != 0
    large = delta.abs() >= delta.abs().median(dim=1, keepdim=True).values
    rate_large, rate_small = kept[large].float().mean().item(), kept[~large].float().mean().item()
    assert 0.45 < kept.float().mean().item() < 0.55
    assert rate_large > 0.65 and rate_small < 0.35  # expected 0.7 and 0.3


# ------------------------------------------------------------------------------ 3. property tests
_LOSSLESS = {m: ({"density": 1.0} if m not in ("linear", "task_arithmetic") else {}) for m in FAMILY}

_quant = st.integers(min_value=-8, max_value=8).map(lambda k: k / 8)


@st.composite
def _problem(draw, n_experts: int):
    rows, cols = draw(st.integers(1, 4)), draw(st.integers(1, 6))
    numel = rows * cols
    base = torch.tensor(draw(st.lists(_quant, min_size=numel, max_size=numel))).reshape(rows, cols)
    deltas = [torch.tensor(draw(st.lists(_quant, min_size=numel, max_size=numel))).reshape(rows, cols)
              for _ in range(n_experts)]
    weights = draw(st.lists(st.sampled_from([0.25, 0.5, 0.75, 1.0, 1.5]), min_size=n_experts, max_size=n_experts))
    return base, deltas, weights


@settings(max_examples=25, deadline=None)
@given(problem=_problem(1), method=st.sampled_from(FAMILY), normalize=st.booleans())
def test_one_expert_at_weight_one_is_that_expert(problem, method, normalize):
    # Holds for every method here at lossless knobs (density 1: nothing trimmed, so no rescale either).
    # At density < 1 it does not: trimming removes entries by design.
    base, deltas, _ = problem
    m = get_method(method)
    params = parse_params(m, {**_LOSSLESS[method], "normalize": normalize})
    merged = m.merge(base, deltas, [1.0], params, TensorInfo("t"))
    assert torch.equal(merged, base + deltas[0])


_RANDOMISH = {"ties": {"density": 0.5}, "dare_ties": {"density": 0.5}, "dare_linear": {"density": 0.6},
              "breadcrumbs": {"density": 0.5, "gamma": 0.1}, "breadcrumbs_ties": {"density": 0.6, "gamma": 0.2},
              "della": {"density": 0.5, "epsilon": 0.2}, "della_linear": {"density": 0.4, "epsilon": 0.3},
              "task_arithmetic": {"normalize": True}, "linear": {}}


@settings(max_examples=30, deadline=None)
@given(problem=_problem(3), method=st.sampled_from(FAMILY), perm=st.permutations([0, 1, 2]),
       rescale=st.booleans())
def test_permuting_experts_changes_nothing(problem, method, perm, rescale):
    base, deltas, weights = problem
    m = get_method(method)
    raw = dict(_RANDOMISH[method])
    if "rescale" in m.Params.model_fields:
        raw["rescale"] = rescale
    params = parse_params(m, raw)
    ids = ("helpful", "harmless", "honest")
    merged = m.merge(base, deltas, weights, params, TensorInfo("t", seed=5, expert_ids=ids))
    permuted = m.merge(base, [deltas[i] for i in perm], [weights[i] for i in perm], params,
                       TensorInfo("t", seed=5, expert_ids=tuple(ids[i] for i in perm)))
    torch.testing.assert_close(permuted, merged, atol=1e-6, rtol=1e-6)


@pytest.mark.parametrize("method", FAMILY)
def test_deterministic_across_calls_and_tensor_orders(method):
    m = get_method(method)
    params = parse_params(m, _RANDOMISH[method])
    tensors = {name: _deltas(i, (8, 16)) for i, name in enumerate(["a.weight", "b.weight", "c.weight"])}
    weights = [0.5, 0.3, 0.4]

    def run(order):
        torch.manual_seed(len(order))  # the global generator must not matter
        return {n: m.merge(tensors[n][0], tensors[n][1], weights, params, TensorInfo(n, seed=1)) for n in order}

    first, again, reversed_ = run(list(tensors)), run(list(tensors)), run(list(reversed(tensors)))
    for n in tensors:
        assert torch.equal(first[n], again[n]) and torch.equal(first[n], reversed_[n])


# ----------------------------------------------------------------------------------- 4. bad params
@pytest.mark.parametrize("method,raw,field", [
    ("ties", {"density": 0.0}, "density"),
    ("ties", {"density": 1.5}, "density"),
    ("dare_linear", {"density": -0.1}, "density"),
    ("breadcrumbs", {"gamma": -0.1}, "gamma"),
    ("breadcrumbs_ties", {"gamma": 1.0}, "gamma"),
    ("della", {"density": 0.5, "epsilon": 0.6}, "epsilon"),
    ("della_linear", {"epsilon": -0.1}, "epsilon"),
    ("task_arithmetic", {"lambda": float("inf")}, "lambda"),
    ("task_arithmetic", {"density": 0.5}, "density"),  # unknown: task arithmetic does not trim
    ("ties", {"densty": 0.5}, "densty"),
    ("linear", {"lambda": 2.0}, "lambda"),
])
def test_bad_params_name_the_field(method, raw, field):
    with pytest.raises(ValidationError, match=field):
        parse_params(get_method(method), raw)


def test_linear_zero_weight_sum_is_a_clear_error():
    m = get_method("linear")
    base, deltas = _deltas(0, n=2)
    with pytest.raises(ValueError, match="sum to 0"):
        m.merge(base, deltas, [0.5, -0.5], parse_params(m, {}), TensorInfo("t"))


def test_wrong_number_of_weights_is_an_error():
    m = get_method("ties")
    base, deltas = _deltas(0)
    with pytest.raises(ValueError, match="2 weights for 3 experts"):
        m.merge(base, deltas, [0.5, 0.5], parse_params(m, {}), TensorInfo("t"))

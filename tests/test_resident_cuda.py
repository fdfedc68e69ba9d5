"""CPU against CUDA: the resident merge of every method writes the same weights on both devices.

Skipped without a CUDA device (CI here has none); ``benchmarks/gpu_check.sh`` runs it where one is lent.
Random drops are drawn on the CPU and moved, so DARE and DELLA keep the same entries on both devices; sums
may run in another order, hence float32-rounding tolerances (looser for the SVD-based methods).
"""

from __future__ import annotations

import copy

import pytest
import torch
from mixmerge.merge_core.methods import METHODS, get_method
from mixmerge.merge_core.resident import ResidentMerger
from test_resident import CANDIDATES, KNOB_VALUES, _family, _n_experts

pytestmark = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
SVD_BASED = {"tsv_m", "iso_c", "iso_cts", "consensus"}


@pytest.mark.parametrize("name", sorted(METHODS))
def test_cuda_resident_merge_equals_cpu(name):
    method = get_method(name)
    n = _n_experts(method)
    base, base_sd, deltas = _family(n)
    knobs = sorted(k for k in method.searchable if k in KNOB_VALUES)
    ids = tuple(f"e{i}" for i in range(n))
    cpu_live, gpu_live = copy.deepcopy(base), copy.deepcopy(base).to("cuda")
    on_gpu = [{k: v.to("cuda") for k, v in d.items()} for d in deltas]
    cpu = ResidentMerger(cpu_live, base_sd, deltas, method, {}, searched=knobs, seed=5, expert_ids=ids)
    gpu = ResidentMerger(gpu_live, {k: v.to("cuda") for k, v in base_sd.items()}, on_gpu, method, {},
                         searched=knobs, seed=5, expert_ids=ids)
    tol = {"rtol": 1e-4, "atol": 1e-5} if name in SVD_BASED else {"rtol": 1e-5, "atol": 1e-6}
    for i, weights in enumerate(CANDIDATES):
        overrides = {k: KNOB_VALUES[k][i] for k in knobs}
        cpu.apply(weights[:n], overrides)
        gpu.apply(weights[:n], overrides)
        for (pname, p), q in zip(cpu_live.named_parameters(), gpu_live.parameters(), strict=True):
            assert q.device.type == "cuda"
            torch.testing.assert_close(q.detach().cpu(), p.detach(), msg=f"{name}: {pname}", **tol)

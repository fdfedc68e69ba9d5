"""Memory-bound kernels for the per-candidate step of resident merges.

A resident merge is mostly ``out = base + sum_i c_i * t_i``. Reading ``base`` and every ``t_i`` once and
writing ``out`` once is the floor; eager ``add_`` calls stream ``out`` through memory once per term (about
1.6x the floor here). For large tensors the sum is one fused loop made by ``torch.compile`` (inductor, C++
on the CPU), measured at about 1.05x the floor; coefficients travel as a tensor so a new candidate never
recompiles. Small tensors, or machines where compiling fails, use the eager loop. Accumulation is float32
whatever the dtype of ``out``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence

import torch

Tensor = torch.Tensor
log = logging.getLogger(__name__)

#: tensors smaller than this run eagerly. Every SmolLM2-135M matrix is above it: measured on two of its layers,
#: the fused TIES / DARE-TIES step took 7-16 ms against 340-520 ms eager; norm vectors and tiny test models stay eager
FUSE_MIN_NUMEL = 1 << 16
_fused = None
_fused_broken = os.environ.get("MIXMERGE_COMPILE", "1") == "0"


def _sum_terms(out: Tensor, base: Tensor | None, terms: list[Tensor], coeffs: Tensor) -> None:
    acc = base if base is not None else torch.zeros_like(terms[0])
    for i, t in enumerate(terms):
        acc = acc + coeffs[i] * t
    out.copy_(acc)


def _eager(out: Tensor, base: Tensor | None, terms: list[Tensor], coeffs: list[float]) -> None:
    if out.dtype == torch.float32:
        acc = out
    else:
        acc = torch.empty(out.shape, dtype=torch.float32)
    if base is not None:
        acc.copy_(base)
    else:
        acc.zero_()
    for t, c in zip(terms, coeffs, strict=True):
        acc.add_(t, alpha=c)
    if acc is not out:
        out.copy_(acc)


def weighted_sum_into(out: Tensor, base: Tensor | None, terms: Sequence[Tensor], coeffs: Sequence[float]) -> None:
    """``out = base + sum_i coeffs[i] * terms[i]`` (``base`` None means a plain weighted sum).

    ``base`` and ``terms`` are float32 tensors of ``out``'s shape on ``out``'s device; ``out`` may be any float
    dtype (the sum is formed in float32 and cast once). Zero coefficients are skipped.
    """
    global _fused, _fused_broken
    kept = [(t, float(c)) for t, c in zip(terms, coeffs, strict=True) if c != 0.0]
    terms_kept = [t for t, _ in kept]
    coeff_list = [c for _, c in kept]
    if _fused_broken or out.numel() < FUSE_MIN_NUMEL or not terms_kept:
        _eager(out, base, terms_kept, coeff_list)
        return
    try:
        if _fused is None:
            _fused = torch.compile(_sum_terms, dynamic=True)
        _fused(out, base, terms_kept, torch.tensor(coeff_list, dtype=torch.float32, device=out.device))
    except Exception as err:  # noqa: BLE001 -- no C++ compiler, unsupported device ...: the eager loop is always right
        log.warning("fused weighted sum unavailable (%s); using the eager loop", err)
        _fused_broken = True
        _eager(out, base, terms_kept, coeff_list)

"""Checks that a base and its experts can be merged, run before any compute.

Each failure raises ``ExpertMismatch`` (a ``ValueError``) whose message names the expert, the tensor and
the fix. In order: architecture class, tensor names (missing / extra), shapes (vocabulary size included),
shape-defining config keys (heads, layers, tying), dtypes (non-float or unsupported), and lineage: was the
expert fine-tuned from *this* base?

Lineage
-------
Experts trained by this project carry ``mixmerge_provenance.json`` with the content hash of their base
(``checkpoint.write_provenance``); that hash must equal the base's. Foreign experts are judged by the
relative norm of their task vector, ``||expert - base|| / ||base||``, per tensor and over the whole model:
a fine-tune moves its weights by a few percent, a different model of the same shape differs by about as much
as the weights themselves.

Rule: an expert fails when its overall relative norm exceeds ``OVERALL_THRESHOLD`` or when any matrix
(tensor with two or more dimensions) exceeds ``TENSOR_THRESHOLD``. One-dimensional tensors (norm gains,
biases) count in the overall figure only: RMSNorm gains start at 1.0 in a re-initialised model, close to
where a trained model keeps many of them, so per tensor they say little.

Calibration: ``.venv/bin/python benchmarks/calibrate_base_check.py`` (defaults: 30 steps, lrs 1e-5, 1e-4,
1e-3, batch 4 x 64 tokens, torch threads = 1; ~20 min wall on 2 CPU cores shared with other jobs, load ~9;
measured 2026-11-28). Base: the real SmolLM2-135M-Instruct (``builtin:smollm2-135m-instruct``). Fine-tunes:
real AdamW SFT steps on self-instruct seed tasks. Figures are ``||expert - base|| / ||base||``:

==============================================================  ========  ==========  ==========
candidate                                                        overall   max matrix  min matrix
==============================================================  ========  ==========  ==========
real SFT, 30 AdamW steps, lr 1e-5 (loss 3.19 -> 3.09)             0.00047    0.0016      0.00017
real SFT, 30 AdamW steps, lr 1e-4 (loss 3.19 -> 2.89)             0.0043     0.0137      0.0015
real SFT, 30 AdamW steps, lr 1e-3 (harsh: loss 3.19 -> 5.20)      0.040      0.131       0.015
same architecture re-initialised (LlamaForCausalLM(config))        1.008      1.085       1.001
base with the rows of every matrix permuted                        1.374      1.429       1.051
base + Gaussian noise, 0.5 x each tensor's std                     0.500      0.503       0.497
base + Gaussian noise, 1.0 x each tensor's std                     0.999      1.006       0.994
==============================================================  ========  ==========  ==========

The worst matrix of every fine-tune is ``model.layers.0.self_attn.v_proj.weight`` (the smallest-norm one).

Chosen: ``OVERALL_THRESHOLD = 0.3``, ``TENSOR_THRESHOLD = 0.4``. Margins on the fine-tune side: the harsh,
diverging lr-1e-3 run stays 7.4x below the overall threshold and 3.1x below the per-matrix one; the ordinary
lr-1e-4 run 70x / 29x. On the other side, every different base fails both rules: re-initialised and permuted
bases by 3.4x-4.6x overall and 2.7x-3.6x per matrix; the mildest one (half-std noise) by 1.7x overall and
1.26x per matrix. Long, high-rate fine-tunes can move further than these 30 steps do (not measured here):
experts trained by this project skip this check through their
provenance hash, and a foreign expert that fails although it truly descends from the base can be given a
provenance record (``write_provenance``) or explicit thresholds (``validate_experts(...,
overall_threshold=..., tensor_threshold=...)``).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import torch
from mixmerge.merge_core.checkpoint import (
    Checkpoint,
    CheckpointError,
    Expert,
    LoraAdapter,
    expert_delta,
    read_provenance,
)
from mixmerge.merge_core.lowrank import LowRankDelta

log = logging.getLogger(__name__)

#: overall ||expert - base|| / ||base|| above which an expert is "not fine-tuned from this base"
OVERALL_THRESHOLD = 0.3
#: the same for any single matrix (a tensor of two or more dimensions)
TENSOR_THRESHOLD = 0.4
#: stored dtypes a merge accepts (all arithmetic is float32)
SUPPORTED_DTYPES = ("F32", "F16", "BF16", "F64")
#: config keys whose difference means a different architecture even when the class name agrees
SHAPE_KEYS = ("model_type", "hidden_size", "intermediate_size", "num_hidden_layers", "num_attention_heads",
              "num_key_value_heads", "head_dim", "vocab_size", "tie_word_embeddings")


class ExpertMismatch(CheckpointError):
    """An expert that cannot be merged with this base; the message names the expert, the tensor, the fix."""


@dataclass
class NormStats:
    """Relative task-vector norms of one expert against one base."""

    per_tensor: dict[str, float] = field(default_factory=dict)
    ndim: dict[str, int] = field(default_factory=dict)
    delta_sq: float = 0.0
    base_sq: float = 0.0

    @property
    def overall(self) -> float:
        return math.sqrt(self.delta_sq / self.base_sq) if self.base_sq > 0 else math.inf

    def worst_matrix(self) -> tuple[str | None, float]:
        mats = {n: v for n, v in self.per_tensor.items() if self.ndim[n] >= 2}
        if not mats:
            return None, 0.0
        name = max(mats, key=mats.get)
        return name, mats[name]

    def min_matrix(self) -> float:
        mats = [v for n, v in self.per_tensor.items() if self.ndim[n] >= 2]
        return min(mats) if mats else 0.0


def delta_sq_norm(delta: torch.Tensor | LowRankDelta) -> float:
    """``||delta||_F^2``; for ``s * B @ A`` as ``s^2 trace((B^T B)(A A^T))`` without forming the matrix."""
    if isinstance(delta, LowRankDelta):
        A, B = delta.A.double(), delta.B.double()
        return float(delta.scaling ** 2 * torch.trace((B.T @ B) @ (A @ A.T)))
    return float(torch.linalg.vector_norm(delta.float())) ** 2  # float32, tree-reduced: no double copy


def relative_norm_stats(names: Iterable[str], base_tensor: Callable[[str], torch.Tensor],
                        delta: Callable[[str, torch.Tensor], torch.Tensor | LowRankDelta | None]) -> NormStats:
    """Per-tensor and overall ``||delta|| / ||base||`` over ``names``, one tensor in memory at a time.

    ``delta(name, base_float32)`` returns the task vector of that tensor (``None``: unchanged, counted as 0).
    """
    stats = NormStats()
    for name in names:
        b = base_tensor(name).float()
        d = delta(name, b)
        d_sq = 0.0 if d is None else delta_sq_norm(d)
        b_sq = float(torch.linalg.vector_norm(b)) ** 2
        stats.per_tensor[name] = math.sqrt(d_sq / b_sq) if b_sq > 0 else (0.0 if d_sq == 0 else math.inf)
        stats.ndim[name] = b.dim()
        stats.delta_sq += d_sq
        stats.base_sq += b_sq
    return stats


def expert_norm_stats(base: Checkpoint, expert: Expert) -> NormStats:
    """Relative norms of a full expert over every tensor, or of a LoRA adapter over its target tensors."""
    names = base.names() if isinstance(expert, Checkpoint) else expert.target_names()
    return relative_norm_stats(names, base.get, lambda n, b: expert_delta(base, expert, n, base_tensor=b))


def _fmt_shape(shape) -> str:
    return "x".join(str(s) for s in shape) if len(shape) else "scalar"


def check_architecture(base: Checkpoint, expert: Expert, label: str) -> None:
    if isinstance(expert, LoraAdapter):
        arch = expert.architecture
        if arch is not None and arch != base.architecture:
            raise ExpertMismatch(f"expert {label!r} ({expert.ref}) is a LoRA adapter for {arch}, but the base is "
                                 f"{base.architecture}; use experts trained from the same base model")
        return
    if expert.architecture != base.architecture:
        raise ExpertMismatch(f"expert {label!r} ({expert.ref}) is a {expert.architecture}, but the base "
                             f"{base.ref} is a {base.architecture}; every expert must share the base's architecture")


def check_config(base: Checkpoint, expert: Expert, label: str) -> None:
    """Config keys that change the computation even where tensor shapes agree (heads, layers, tying)."""
    if isinstance(expert, LoraAdapter):
        return
    for key in SHAPE_KEYS:
        if key == "tie_word_embeddings":
            ours, theirs = base.tied, expert.tied
        else:
            ours, theirs = base.config.get(key), expert.config.get(key)
        if ours != theirs and not (ours is None or theirs is None):
            what = "vocabulary size" if key == "vocab_size" else key
            raise ExpertMismatch(f"expert {label!r} ({expert.ref}) has {what} {theirs} in config.json but the base "
                                 f"has {ours}; it is a different architecture: use experts fine-tuned from the base")


def check_dtypes(ckpt: Checkpoint, label: str) -> None:
    """Every tensor must be a supported float dtype: quantised or integer weights cannot be averaged."""
    for name in ckpt.names():
        code = ckpt.dtype_code(name)
        if code not in SUPPORTED_DTYPES:
            kind = "non-float" if not code.startswith(("F", "BF")) else "unsupported float"
            raise ExpertMismatch(f"{label} ({ckpt.ref}): tensor {name!r} has {kind} dtype {code}; merges need "
                                 f"{'/'.join(SUPPORTED_DTYPES)} weights (dequantise the model first)")


def check_tensors(base: Checkpoint, expert: Expert, label: str) -> None:
    """Same canonical tensor names and shapes (a LoRA adapter: its targets exist in the base, shapes agree)."""
    base_names = set(base.names())
    if isinstance(expert, LoraAdapter):
        for name in expert.target_names():
            if name not in base_names:
                raise ExpertMismatch(f"expert {label!r} ({expert.ref}) adapts tensor {name!r}, which the base "
                                     f"{base.ref} does not have; the adapter was made for another model")
            shape = tuple(expert.low_rank[name].shape) if name in expert.low_rank else tuple(expert.full[name].shape)
            if shape != base.shape(name):
                raise ExpertMismatch(
                    f"expert {label!r} ({expert.ref}): tensor {name!r} has shape {_fmt_shape(shape)} in the adapter "
                    f"but {_fmt_shape(base.shape(name))} in the base; the adapter was made for another model")
            factors = [expert.full[name]] if name in expert.full else [expert.low_rank[name].A,
                                                                         expert.low_rank[name].B]
            for t in factors:
                if not t.dtype.is_floating_point:
                    raise ExpertMismatch(f"expert {label!r} ({expert.ref}): tensor {name!r} has non-float dtype "
                                         f"{t.dtype} in the adapter; LoRA factors must be float")
        return
    names = set(expert.names())
    missing, extra = sorted(base_names - names), sorted(names - base_names)
    if missing:
        raise ExpertMismatch(f"expert {label!r} ({expert.ref}) is missing tensor {missing[0]!r}"
                             + (f" and {len(missing) - 1} more" if len(missing) > 1 else "")
                             + f" that the base {base.ref} has; experts must have exactly the base's tensors")
    if extra:
        raise ExpertMismatch(f"expert {label!r} ({expert.ref}) has extra tensor {extra[0]!r}"
                             + (f" and {len(extra) - 1} more" if len(extra) > 1 else "")
                             + f" that the base {base.ref} lacks; experts must have exactly the base's tensors")
    for name in sorted(base_names):
        ours, theirs = base.shape(name), expert.shape(name)
        if ours != theirs:
            hint = ""
            if "embed" in name or "lm_head" in name:
                hint = f" (vocabulary size {theirs[0]} vs the base's {ours[0]})"
            raise ExpertMismatch(f"expert {label!r} ({expert.ref}): tensor {name!r} has shape {_fmt_shape(theirs)} "
                                 f"but the base has {_fmt_shape(ours)}{hint}; use experts fine-tuned from the base")


@dataclass(frozen=True)
class LineageReport:
    """How an expert's descent from the base was established."""

    label: str
    method: str  # "provenance" or "relative_norm"
    overall: float | None = None
    worst_tensor: str | None = None
    worst_value: float | None = None


def check_lineage(base: Checkpoint, expert: Expert, label: str, overall_threshold: float = OVERALL_THRESHOLD,
                  tensor_threshold: float = TENSOR_THRESHOLD) -> LineageReport:
    """Is ``expert`` fine-tuned from ``base``? Provenance hash when recorded, else relative task-vector norms."""
    record = read_provenance(expert.path)
    if record is not None:
        if record["base_hash"] != base.content_hash():
            raise ExpertMismatch(
                f"expert {label!r} ({expert.ref}) was trained from base {record['base_hash']} "
                f"(its {expert.path.name}/mixmerge_provenance.json) but the given base {base.ref} has content hash "
                f"{base.content_hash()}; pass the base it was trained from")
        return LineageReport(label, "provenance")
    stats = expert_norm_stats(base, expert)
    worst, worst_value = stats.worst_matrix()
    overall = stats.overall
    reasons = []
    if overall > overall_threshold:
        reasons.append(f"overall relative norm ||expert - base|| / ||base|| = {overall:.3g} "
                       f"(threshold {overall_threshold})")
    if worst_value > tensor_threshold:
        reasons.append(f"relative norm {worst_value:.3g} on tensor {worst!r} (threshold {tensor_threshold})")
    if reasons:
        raise ExpertMismatch(
            f"expert {label!r} ({expert.ref}) does not look fine-tuned from the base {base.ref}: "
            f"{' and '.join(reasons)}; worst tensor {worst!r}. Real fine-tunes measure far below these "
            f"thresholds; pass the base it was trained from, or, if it really descends from this base, record "
            f"the base hash beside it with write_provenance")
    log.info("expert %s: relative task-vector norm %.4g overall, worst %s %.4g", label, overall, worst, worst_value)
    return LineageReport(label, "relative_norm", overall, worst, worst_value)


def validate_experts(base: Checkpoint, experts: Mapping[str, Expert], *, check_descent: bool = True,
                     overall_threshold: float = OVERALL_THRESHOLD, tensor_threshold: float = TENSOR_THRESHOLD
                     ) -> dict[str, LineageReport]:
    """Every check on every expert, cheapest first (metadata before any tensor is read); raises on the first."""
    if not experts:
        raise ExpertMismatch("no experts given; a merge needs at least one expert model")
    check_dtypes(base, "base model")
    for label, expert in experts.items():
        check_architecture(base, expert, label)
        check_tensors(base, expert, label)
        check_config(base, expert, label)
        if isinstance(expert, Checkpoint):
            check_dtypes(expert, f"expert {label!r}")
    reports: dict[str, LineageReport] = {}
    if check_descent:
        for label, expert in experts.items():
            reports[label] = check_lineage(base, expert, label, overall_threshold, tensor_threshold)
    return reports

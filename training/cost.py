"""What a run costs: FLOPs (analytic, from parameter counts and tokens), device seconds, peak memory.

FLOPs count the matrix multiplications with the weights, two per multiply-add, per forwarded token:

* a forward pass costs ``2 * N_body`` per token plus ``2 * N_head`` per position the output layer is applied
  to (only positions whose next token is trained, see ``losses``), plus ``2 * N_lora`` per token with LoRA;
* full fine-tuning is a forward and a backward pass of twice its cost: 3x the forward;
* LoRA: the backward pass still propagates activation gradients through every frozen weight (another
  forward's worth) but computes weight gradients for the adapters only:
  ``4 * N_body * T + 4 * N_head * T_head + 6 * N_lora * T``;
* DPO's reference log-probabilities are one extra forward pass over the same tokens (computed once, before
  training, with the initial model, which equals the base: LoRA's B factors start at zero);
* scoring examples for the ``scored`` strategy is one forward pass over what is scored.

``N_body`` excludes the embedding lookup (no multiply) and the output layer, which is counted apart; a tied
embedding is one matrix, counted once as the output layer. Attention-score products (``QK^T``, ``AV``), norms
and activations are left out, as in the usual ``6ND`` rule (about 3% at 135M parameters and 256 tokens).
``nominal`` is the plain ``6 * N * T`` rule (``4N + 6 N_lora`` for LoRA; ``+2N`` per reference token) for
comparison with figures quoted that way.
"""

from __future__ import annotations

import os
import resource
import sys
from dataclasses import dataclass

import torch
from pydantic import BaseModel


@dataclass(frozen=True)
class ParamCounts:
    """Parameter counts of a (possibly LoRA-wrapped) causal LM, tied matrices counted once."""

    total: int  # every distinct base parameter (embedding, body, head), LoRA excluded
    head: int  # the output layer's weight
    body: int  # weights used in per-token matrix multiplies, excluding embeddings and the head
    lora: int  # LoRA adapter parameters (0 for full fine-tuning)

    @classmethod
    def of(cls, model) -> ParamCounts:
        from mixmerge.training.losses import causal_lm

        lm = causal_lm(model)
        seen: set[int] = set()
        total = lora = 0
        for name, p in model.named_parameters(remove_duplicate=False):
            if id(p) in seen:
                continue
            seen.add(id(p))
            if "lora_" in name:
                lora += p.numel()
            else:
                total += p.numel()
        head_w = lm.get_output_embeddings().weight
        embed_w = lm.get_input_embeddings().weight
        embeds = head_w.numel() + (embed_w.numel() if embed_w is not head_w else 0)
        return cls(total=total, head=head_w.numel(), body=total - embeds, lora=lora)


def forward_flops(p: ParamCounts, tokens: int, head_positions: int) -> int:
    return 2 * (p.body + p.lora) * tokens + 2 * p.head * head_positions


def train_flops(p: ParamCounts, tokens: int, head_positions: int) -> int:
    if p.lora:
        return 4 * p.body * tokens + 4 * p.head * head_positions + 6 * p.lora * tokens
    return 3 * forward_flops(p, tokens, head_positions)


def nominal_train_flops(p: ParamCounts, tokens: int, reference_tokens: int = 0) -> int:
    """The textbook rule: ``6 N T`` (LoRA: ``4 N T + 6 N_lora T``), plus ``2 N`` per reference token."""
    train = 4 * p.total * tokens + 6 * p.lora * tokens if p.lora else 6 * p.total * tokens
    return train + 2 * p.total * reference_tokens


class RunCost(BaseModel):
    """The cost record of one training run (stored in provenance and in the study database)."""

    tokens: int  # forwarded training tokens (the budget, exactly)
    tokens_per_set: dict[str, int]
    padding_tokens: int  # slots forwarded as padding (not counted in tokens or FLOPs)
    head_positions: int  # positions the output layer was applied to during training
    steps: int
    flops: int  # everything below, summed
    train_flops: int
    reference_flops: int  # DPO reference passes
    scoring_flops: int  # scored strategy: scoring the candidate examples
    nominal_flops: int  # 6NT-style figure for comparison (training + reference)
    params: int
    lora_params: int
    device: str
    device_seconds: float  # wall seconds of the whole run on its device (loading to saving)
    train_seconds: float
    reference_seconds: float
    scoring_seconds: float
    peak_memory_bytes: int
    peak_memory_kind: str  # "cuda_allocated", "rss_hwm" (reset per run) or "rss_max_process"


class PeakMemory:
    """Peak memory of the current run: CUDA allocator peak, or the process's resident-set high-water mark.

    On Linux the RSS high-water mark can be reset (``/proc/self/clear_refs``), so each run of a process
    training several experts reports its own peak; elsewhere it is the process's peak so far.
    """

    def __init__(self, device: torch.device):
        self.device = device
        self.kind = "cuda_allocated" if device.type == "cuda" else "rss_hwm"

    def reset(self) -> None:
        if self.device.type == "cuda":
            torch.cuda.reset_peak_memory_stats(self.device)
            return
        try:
            with open("/proc/self/clear_refs", "w") as f:
                f.write("5")
        except OSError:
            self.kind = "rss_max_process"

    def peak(self) -> int:
        if self.device.type == "cuda":
            return int(torch.cuda.max_memory_allocated(self.device))
        if self.kind == "rss_hwm":
            try:
                with open("/proc/self/status") as f:
                    for line in f:
                        if line.startswith("VmHWM:"):
                            return int(line.split()[1]) * 1024
            except OSError:
                pass
            self.kind = "rss_max_process"
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return int(rss if sys.platform == "darwin" else rss * 1024)


def device_name(device: torch.device) -> str:
    if device.type == "cuda":
        return torch.cuda.get_device_name(device)
    return f"cpu ({torch.get_num_threads()} threads, {os.cpu_count()} cores)"

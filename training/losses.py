"""Forward pass on a packed batch and the two losses: SFT (assistant tokens) and DPO (pairs).

The output layer (49k wide for SmolLM2, about a fifth of the parameters) is applied only at the positions
whose next token is trained, not at every position: prompt positions need no logits. ``cost`` counts the
FLOPs of exactly this (the head's share only on those positions).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from mixmerge.training.packing import Batch
from mixmerge.training.recipe import TrainRecipe


def causal_lm(model):
    """The underlying ``*ForCausalLM`` of a plain or PEFT-wrapped model (LoRA layers stay in place)."""
    return model.get_base_model() if hasattr(model, "get_base_model") else model


def token_logps(model, batch: Batch, device: torch.device | str = "cpu") -> torch.Tensor:
    """log p(target) at every trained prediction position of ``batch`` (float32, ``[n_pred]``)."""
    lm = causal_lm(model)
    hidden = lm.model(input_ids=batch.input_ids.to(device), position_ids=batch.position_ids.to(device),
                      use_cache=False).last_hidden_state
    selected = hidden[batch.pred_rows.to(device), batch.pred_cols.to(device)]
    logits = lm.lm_head(selected)
    return -F.cross_entropy(logits.float(), batch.targets.to(device), reduction="none")


def sft_loss(logps: torch.Tensor) -> torch.Tensor:
    """Mean negative log-likelihood over the batch's trained (assistant) tokens."""
    return -logps.mean()


def sequence_logps(logps: torch.Tensor, batch: Batch) -> torch.Tensor:
    """Summed log-probability of the trained tokens of each sequence in the batch (``[n_seqs]``)."""
    out = torch.zeros(batch.n_seqs, dtype=logps.dtype, device=logps.device)
    return out.index_add(0, batch.pred_seq.to(logps.device), logps)


def chosen_nll(logps: torch.Tensor, batch: Batch) -> torch.Tensor:
    """Mean negative log-likelihood over the tokens of the batch's *chosen* replies (RPO's SFT term).

    Plain DPO can lower the likelihood of both replies as long as the margin grows; this term keeps the model
    able to write the preferred reply itself.
    """
    chosen = torch.isin(batch.pred_seq.to(logps.device), batch.pairs[:, 0].to(logps.device))
    if not bool(chosen.any()):
        return logps.sum() * 0.0
    return -logps[chosen].mean()


def dpo_loss(policy: torch.Tensor, reference: torch.Tensor, pairs: torch.Tensor, beta: float
             ) -> tuple[torch.Tensor, dict[str, float]]:
    """DPO (Rafailov et al. 2023): ``-log sigmoid(beta * ((pi_c - ref_c) - (pi_r - ref_r)))``, mean over pairs.

    ``policy`` and ``reference`` are per-sequence summed log-probabilities; ``pairs`` is ``[n, 2]`` indices
    (chosen, rejected). Also returns the mean chosen and rejected log-ratios and the pair accuracy.
    """
    if pairs.shape[0] == 0:
        zero = policy.sum() * 0.0  # keeps the graph: a batch with only a cut pair trains nothing
        return zero, {"chosen_logratio": 0.0, "rejected_logratio": 0.0, "accuracy": 0.0, "pairs": 0}
    pairs = pairs.to(policy.device)
    ratio = policy - reference.to(policy.device)
    chosen, rejected = ratio[pairs[:, 0]], ratio[pairs[:, 1]]
    margin = beta * (chosen - rejected)
    loss = -F.logsigmoid(margin).mean()
    return loss, {"chosen_logratio": float(chosen.detach().mean()),
                  "rejected_logratio": float(rejected.detach().mean()),
                  "accuracy": float((margin.detach() > 0).float().mean()), "pairs": int(pairs.shape[0])}


def recipe_loss(logps: torch.Tensor, batch: Batch, reference: torch.Tensor | None, recipe: TrainRecipe
                ) -> tuple[torch.Tensor, dict[str, float]]:
    """The loss a recipe trains on, from the batch's trained-token log-probs: SFT's mean NLL, or DPO plus
    ``dpo_sft_weight`` times the chosen replies' NLL; with DPO's statistics. One definition for the training loop
    and for the benchmarks that time it against a bare forward+backward."""
    if recipe.paradigm == "sft":
        return (sft_loss(logps) if logps.numel() else logps.sum() * 0.0), {}
    loss, stats = dpo_loss(sequence_logps(logps, batch), reference, batch.pairs, recipe.dpo_beta)
    if recipe.dpo_sft_weight > 0:
        nll = chosen_nll(logps, batch)
        loss = loss + recipe.dpo_sft_weight * nll
        stats["chosen_nll"] = float(nll.detach())
    return loss, stats

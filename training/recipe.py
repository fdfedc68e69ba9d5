"""The one training recipe shared by every run, and the mixture a run trains on.

The paper's comparison is only fair if experts and mixtures are trained alike: same learning rate, schedule,
sequence length and the same number of forwarded tokens. ``TrainRecipe`` holds all of that; an expert is
simply a ``Mixture`` with a one-hot ratio vector, and a mixing candidate is any point on the simplex.
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

#: tolerance on the sum of mixture ratios
RATIO_TOLERANCE = 1e-6
#: default peak learning rate per paradigm (full fine-tuning; LoRA runs usually want ~10x more). DPO's default
#: went from 5e-5 to 1e-4 together with the chosen-NLL term below: on the honest expert (48,000 tokens, H3 dev,
#: 160 items) plain DPO at 5e-5 scored 0.325 (base 0.350), DPO + NLL at 5e-5 0.403, at 1e-4 0.450 (p = 0.009)
DEFAULT_LR = {"sft": 1e-4, "dpo": 1e-4}
#: default token budget of each expert (and so of each mixture run): all three DPO experts took 8 min 41 s in
#: ``make demo`` on the 2-core CPU (2 threads, ~425 tokens/s; reports/BENCHMARKS.md, training section).
DEFAULT_EXPERT_TOKENS = 48_000
#: paradigm of the default experts (``mixmerge experts``, ``make demo``) and so of the demo's mixture runs. At
#: 48,000 tokens SFT did not make the helpful expert significantly better than the base on H3 dev (+0.031,
#: p=0.086, 160 items) while DPO did (+0.163, p<0.001): the helpful objective is a preference between a good
#: and a poor answer, which DPO trains directly (reports/BENCHMARKS.md, training section). With the chosen-NLL
#: term (``dpo_sft_weight``) all three DPO experts beat the base on their own objective (p < 0.01).
DEFAULT_EXPERT_PARADIGM = "dpo"

Paradigm = Literal["sft", "dpo"]
Schedule = Literal["constant", "linear", "cosine"]
Strategy = Literal["fixed", "search", "scored"]


class TrainRecipe(BaseModel):
    """Hyper-parameters of one fine-tuning run (full or LoRA, SFT or DPO).

    ``tokens`` is the exact budget of forwarded tokens (prompt and response, every sequence the policy
    forwards; padding is never counted). A batch is ``batch_size`` rows of ``seq_len`` token slots, so a
    budget below ``batch_size * seq_len`` is refused: it would not fill one optimizer step.
    """

    model_config = ConfigDict(extra="forbid")

    tokens: int = Field(gt=0, description="exact budget of forwarded (non-padding) tokens")
    paradigm: Paradigm = "sft"
    lr: float = Field(default=None, gt=0, description="peak learning rate (default: DEFAULT_LR[paradigm])")
    schedule: Schedule = "cosine"
    warmup_fraction: float = Field(default=0.1, ge=0, lt=1)
    min_lr_fraction: float = Field(default=0.1, ge=0, le=1, description="final lr / peak lr (cosine, linear)")
    seq_len: int = Field(default=256, ge=16, description="token slots per row; longer examples are cut")
    batch_size: int = Field(default=8, ge=1, description="rows per optimizer step")
    weight_decay: float = Field(default=0.0, ge=0)
    grad_clip: float = Field(default=1.0, ge=0, description="max gradient norm; 0 disables clipping")
    lora_rank: int = Field(default=0, ge=0, description="0 = full fine-tuning")
    lora_alpha: float | None = Field(default=None, gt=0, description="default 2 * lora_rank")
    dpo_beta: float = Field(default=0.1, gt=0)
    dpo_sft_weight: float = Field(default=1.0, ge=0,
                                  description="weight of the chosen replies' mean token NLL added to the DPO loss "
                                              "(RPO, Pang et al. 2024; TRL's rpo_alpha); 0 = plain DPO")
    seed: int = 0
    bf16: bool = Field(default=True, description="bf16 autocast (weights and optimizer state stay float32)")
    min_response_tokens: int = Field(default=8, ge=1,
                                     description="a cut example with fewer assistant tokens left is skipped")

    @model_validator(mode="before")
    @classmethod
    def _default_lr(cls, data):
        if isinstance(data, dict) and data.get("lr") is None:
            data = {**data, "lr": DEFAULT_LR.get(data.get("paradigm", "sft"), DEFAULT_LR["sft"])}
        return data

    @model_validator(mode="after")
    def _budget_fills_a_batch(self) -> TrainRecipe:
        if self.tokens < self.tokens_per_batch:
            raise ValueError(f"tokens={self.tokens} is below one batch (batch_size {self.batch_size} x seq_len "
                             f"{self.seq_len} = {self.tokens_per_batch} tokens); raise --tokens or lower the batch")
        if self.min_response_tokens >= self.seq_len:
            raise ValueError(f"min_response_tokens={self.min_response_tokens} must be below seq_len={self.seq_len}")
        return self

    @property
    def tokens_per_batch(self) -> int:
        return self.batch_size * self.seq_len

    @property
    def lora(self) -> bool:
        return self.lora_rank > 0

    @property
    def effective_lora_alpha(self) -> float:
        return self.lora_alpha if self.lora_alpha is not None else 2.0 * self.lora_rank

    def lr_at(self, step: int, total_steps: int) -> float:
        """Learning rate of optimizer step ``step`` (0-based) out of ``total_steps``: warmup, then decay."""
        warmup = int(round(self.warmup_fraction * total_steps))
        if step < warmup:
            return self.lr * (step + 1) / warmup
        if self.schedule == "constant":
            return self.lr
        span = max(1, total_steps - warmup - 1)
        progress = min(1.0, (step - warmup) / span)
        floor = self.min_lr_fraction
        if self.schedule == "linear":
            return self.lr * (1.0 - (1.0 - floor) * progress)
        return self.lr * (floor + (1.0 - floor) * 0.5 * (1.0 + math.cos(math.pi * progress)))


class Mixture(BaseModel):
    """Shares of the forwarded-token budget per training set: a point on the probability simplex."""

    model_config = ConfigDict(extra="forbid")

    ratios: dict[str, float]

    @field_validator("ratios")
    @classmethod
    def _on_simplex(cls, ratios: dict[str, float]) -> dict[str, float]:
        if not ratios:
            raise ValueError("a mixture needs at least one set, e.g. helpful=1")
        for name, r in ratios.items():
            if not name:
                raise ValueError("a mixture set name is empty")
            if not math.isfinite(r) or r < 0:
                raise ValueError(f"ratio of {name!r} is {r}; ratios must be finite and >= 0")
        total = sum(ratios.values())
        if abs(total - 1.0) > RATIO_TOLERANCE:
            raise ValueError(f"ratios sum to {total:.9g}, not 1 (tolerance {RATIO_TOLERANCE:g}): "
                             f"{', '.join(f'{k}={v:g}' for k, v in ratios.items())}")
        return ratios

    @classmethod
    def one_hot(cls, name: str) -> Mixture:
        """An expert: all of the budget on one set."""
        return cls(ratios={name: 1.0})

    @classmethod
    def uniform(cls, names: list[str]) -> Mixture:
        if not names:
            raise ValueError("the uniform preset needs at least one set name")
        return cls(ratios={n: 1.0 / len(names) for n in names})

    @classmethod
    def proportional(cls, sizes: dict[str, int]) -> Mixture:
        """Shares proportional to each set's size in tokens: the same as sampling the concatenated sets."""
        total = sum(sizes.values())
        if total <= 0:
            raise ValueError("the proportional preset needs non-empty sets")
        return cls(ratios={n: s / total for n, s in sizes.items()})

    def active(self) -> dict[str, float]:
        """The sets with a non-zero share."""
        return {k: v for k, v in self.ratios.items() if v > 0}

    def label(self) -> str:
        return ",".join(f"{k}={v:.4g}" for k, v in self.ratios.items())


def parse_mix(text: str) -> dict[str, float]:
    """``"helpful=0.5,harmless=0.3,honest=0.2"`` -> ratios (validated later by ``Mixture``)."""
    ratios: dict[str, float] = {}
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        name, sep, value = part.partition("=")
        name = name.strip()
        if not sep or not name:
            raise ValueError(f"bad --mix entry {part!r}: write NAME=RATIO, e.g. helpful=0.5,harmless=0.5")
        if name in ratios:
            raise ValueError(f"set {name!r} appears twice in --mix")
        try:
            ratios[name] = float(value)
        except ValueError:
            raise ValueError(f"bad --mix ratio {value!r} for {name!r}: not a number") from None
    if not ratios:
        raise ValueError("--mix is empty; write NAME=RATIO pairs, e.g. helpful=0.5,harmless=0.5")
    return ratios

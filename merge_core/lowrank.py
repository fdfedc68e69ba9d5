"""A LoRA task vector kept factored: ``delta = scaling * B @ A``.

PEFT adapters carry ``lora_A`` (r x in) and ``lora_B`` (out x r). Dense, a 576 x 1536 delta costs 3.5 MB;
factored at r = 16 it costs 0.13 MB, so experts stay factored until a method needs the dense matrix.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch


@dataclass(frozen=True)
class LowRankDelta:
    A: torch.Tensor  # (rank, in_features)
    B: torch.Tensor  # (out_features, rank)
    scaling: float

    @property
    def shape(self) -> torch.Size:
        return torch.Size((self.B.shape[0], self.A.shape[1]))

    @property
    def rank(self) -> int:
        return int(self.A.shape[0])

    def dense(self) -> torch.Tensor:
        """The float32 delta matrix, ``scaling * B @ A``."""
        return (self.B.float() @ self.A.float()) * self.scaling


def densify(delta: torch.Tensor | LowRankDelta) -> torch.Tensor:
    """A float32 dense tensor whatever form the delta has."""
    return delta.dense() if isinstance(delta, LowRankDelta) else delta.float()

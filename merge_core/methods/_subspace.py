"""Helpers shared by the singular-vector methods (``tsv_m``, ``iso_c``, ``iso_cts``).

They decide which tensors go through an SVD (2-D matrices, not the token embedding unless asked: its delta
is row-sparse, only tokens seen in fine-tuning move, and a low-rank or isotropic rewrite would spread the
change over every token), compute the polar factor that the papers use to orthogonalise stacked singular
vectors, and give the coefficients of the fallback average used for every other tensor.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

Tensor = torch.Tensor

#: substrings of tensor names treated as embedding matrices (token/position embeddings, the output head)
EMBEDDING_MARKERS: tuple[str, ...] = ("embed", "lm_head", "wte", "wpe")


def is_embedding(name: str) -> bool:
    """Whether ``name`` looks like an embedding or output-head matrix (``model.embed_tokens.weight`` ...)."""
    lowered = name.lower()
    return any(marker in lowered for marker in EMBEDDING_MARKERS)


def uses_svd(tensor: Tensor, name: str, svd_embeddings: bool) -> bool:
    """True for the 2-D matrices an SVD method decomposes; everything else takes the fallback average."""
    if tensor.dim() != 2 or min(tensor.shape) == 0:
        return False
    return svd_embeddings or not is_embedding(name)


def polar_factor(a: Tensor) -> Tensor:
    """``P @ Q^T`` from ``a = P S Q^T``: the matrix with orthonormal columns (or rows) nearest to ``a``.

    This is the "whitening" of TSV and Iso-CTS. It commutes with column permutations and sign flips
    (``polar(a D) = polar(a) D``), so the merged result does not depend on SVD sign conventions.
    """
    try:
        p, _, qh = torch.linalg.svd(a, full_matrices=False)
    except torch.linalg.LinAlgError:
        # float32 LAPACK (gesdd) fails to converge on some ill-conditioned concatenations of singular vectors
        # (seen with Iso-CTS on real SmolLM2 experts); float64 converges and the result is cast back.
        p, _, qh = torch.linalg.svd(a.double(), full_matrices=False)
        return (p @ qh).to(a.dtype)
    return p @ qh


def average_coefficients(weights: Sequence[float], alpha: float) -> list[float]:
    """Coefficients of the fallback ``alpha * sum_i w_i tau_i / T``: the public codes' plain mean at w = 1."""
    n = len(weights)
    return [alpha * float(w) / n for w in weights]


def check_lengths(method: str, deltas: Sequence[Tensor], weights: Sequence[float] | None = None) -> None:
    """One weight per expert, at least one expert: otherwise a ``ValueError`` naming the mismatch."""
    if not deltas:
        raise ValueError(f"merge method {method!r} got no experts (deltas is empty)")
    if weights is not None and len(weights) != len(deltas):
        raise ValueError(
            f"merge method {method!r}: weights has {len(weights)} entries for {len(deltas)} experts; "
            "give one weight per expert"
        )

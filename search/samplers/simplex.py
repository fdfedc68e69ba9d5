"""A bijection between the unit cube [0, 1]^(k-1) and the probability simplex of k ratios.

Why: most of Optuna's samplers (TPE, NSGA-II, GP, random, Sobol) can only propose independent box-bounded
numbers; they cannot keep mix ratios on the simplex (every ratio >= 0, all summing to 1). So the search
asks those samplers for k-1 free "stick" variables in [0, 1] and maps them onto the simplex here. The
qLogNEHVI sampler works on the ratios themselves (with a linear equality constraint) and maps its
proposals back through the inverse, so that every sampler records the same Optuna parameters.

The mapping is stick-breaking with a Beta-quantile correction:

    v_i = 1 - (1 - z_i) ** (1 / (k - 1 - i))      # the Beta(1, k-1-i) quantile of z_i
    x_i = v_i * prod_{j<i} (1 - v_j)               # i = 0 .. k-2
    x_{k-1} = prod_{j<k-1} (1 - v_j)               # what is left of the stick

For a Dirichlet(1, ..., 1) point (uniform on the simplex) the stick fractions v_i are independent
Beta(1, k-1-i) variables, so the correction makes the map measure-preserving: uniform (or Sobol) points in
the cube give uniform (well-spread) points on the simplex, and a sampler exploring the cube evenly explores
the simplex evenly. Without the correction (x_i = z_i * rest) the first share would be uniform and the
later ones crowded towards 0.

The map is a bijection between the open cube and the relative interior of the simplex; on faces (some
ratio exactly 0, or nothing left of the stick) the inverse picks z = 0 for the empty sticks, and the
forward map of that z gives the same ratios back.
"""

from __future__ import annotations

import numpy as np


def sticks_to_simplex(z: np.ndarray) -> np.ndarray:
    """Map stick variables ``z`` of shape (..., k-1), each in [0, 1], to ratios of shape (..., k).

    The ratios are >= 0 and sum to 1 up to floating-point rounding (a few ulps).
    """
    z = np.clip(np.asarray(z, dtype=np.float64), 0.0, 1.0)
    k = z.shape[-1] + 1
    ratios = np.empty(z.shape[:-1] + (k,), dtype=np.float64)
    rest = np.ones(z.shape[:-1], dtype=np.float64)
    for i in range(k - 1):
        fraction = 1.0 - (1.0 - z[..., i]) ** (1.0 / (k - 1 - i))
        ratios[..., i] = fraction * rest
        rest = rest * (1.0 - fraction)
    ratios[..., k - 1] = rest
    return ratios


def simplex_to_sticks(ratios: np.ndarray) -> np.ndarray:
    """Inverse of :func:`sticks_to_simplex`: ratios of shape (..., k) to stick variables (..., k-1).

    Small negative values (optimizer round-off) are clipped to 0 and the ratios renormalised first.
    """
    x = np.clip(np.asarray(ratios, dtype=np.float64), 0.0, None)
    total = x.sum(axis=-1, keepdims=True)
    if np.any(total <= 0.0):
        raise ValueError("ratios must have a positive sum to lie on the simplex")
    x = x / total
    k = x.shape[-1]
    # What is left of the stick before piece i, summed from the tail for accuracy.
    tails = np.flip(np.cumsum(np.flip(x, axis=-1), axis=-1), axis=-1)
    z = np.empty(x.shape[:-1] + (k - 1,), dtype=np.float64)
    for i in range(k - 1):
        rest = tails[..., i]
        safe = np.where(rest > 0.0, rest, 1.0)
        fraction = np.where(rest > 0.0, np.clip(x[..., i] / safe, 0.0, 1.0), 0.0)
        z[..., i] = 1.0 - (1.0 - fraction) ** (k - 1 - i)
    return z


def project_to_simplex(ratios: np.ndarray) -> np.ndarray:
    """Clip tiny negative values and renormalise: repairs an optimizer's round-off, nothing more."""
    x = np.clip(np.asarray(ratios, dtype=np.float64), 0.0, None)
    total = x.sum(axis=-1, keepdims=True)
    if np.any(total <= 0.0):
        raise ValueError("ratios must have a positive sum to lie on the simplex")
    return x / total

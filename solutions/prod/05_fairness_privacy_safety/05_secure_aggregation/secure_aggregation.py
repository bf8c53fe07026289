"""Reference solution for prod-05-5."""
from __future__ import annotations

import numpy as np

MODULUS = 2**32


def agree_seeds(n_clients: int, seed: int) -> np.ndarray:
    """Given: the pairwise secrets, as a key agreement (Diffie-Hellman) would give them.

    seeds[i, j] for i < j is the seed clients i and j share; the diagonal and lower triangle are -1
    (unused). Only clients i and j know seeds[i, j]; the server knows none.

    Shapes:
        returns: (n_clients, n_clients) int64
    """
    rng = np.random.default_rng(seed)
    seeds = np.full((n_clients, n_clients), -1, dtype=np.int64)
    upper = np.triu_indices(n_clients, k=1)
    seeds[upper] = rng.integers(0, 2**62, size=len(upper[0]))
    return seeds


def prg(seed: int, dim: int) -> np.ndarray:
    """Given: the pseudo-random mask a shared seed expands to, uniform on [0, MODULUS)."""
    return np.random.default_rng(int(seed)).integers(0, MODULUS, size=dim, dtype=np.int64)


def encode(x: np.ndarray, scale: float) -> np.ndarray:
    return np.mod(np.round(np.asarray(x, dtype=np.float64) * scale).astype(np.int64), MODULUS)


def decode(v: np.ndarray, scale: float) -> np.ndarray:
    v = np.mod(np.asarray(v, dtype=np.int64), MODULUS)
    signed = np.where(v >= MODULUS // 2, v - MODULUS, v)
    return signed / scale


def pairwise_mask(client: int, seeds: np.ndarray, dim: int) -> np.ndarray:
    n = seeds.shape[0]
    if not 0 <= client < n:
        raise ValueError(f"client must be in [0, {n}), got {client}")
    mask = np.zeros(dim, dtype=np.int64)
    for other in range(n):
        if other > client:
            mask = np.mod(mask + prg(seeds[client, other], dim), MODULUS)
        elif other < client:
            mask = np.mod(mask - prg(seeds[other, client], dim), MODULUS)
    return mask


def mask_update(encoded: np.ndarray, client: int, seeds: np.ndarray) -> np.ndarray:
    encoded = np.asarray(encoded, dtype=np.int64)
    return np.mod(encoded + pairwise_mask(client, seeds, encoded.size), MODULUS)


def aggregate(masked: list[np.ndarray]) -> np.ndarray:
    if len(masked) == 0:
        raise ValueError("nothing to aggregate")
    total = np.zeros_like(np.asarray(masked[0], dtype=np.int64))
    for m in masked:
        total = np.mod(total + np.asarray(m, dtype=np.int64), MODULUS)
    return total

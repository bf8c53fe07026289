"""Reference solution for sys-02-2."""
from __future__ import annotations

import numpy as np
import torch


def blocked_matmul(a: torch.Tensor, b: torch.Tensor, block_k: int, acc_dtype: torch.dtype) -> torch.Tensor:
    if a.ndim != 2 or b.ndim != 2 or a.dtype != torch.float32 or b.dtype != torch.float32 or a.shape[1] != b.shape[0]:
        raise ValueError(f"expected float32 (M, K) and (K, N), got {a.dtype}{list(a.shape)} and {b.dtype}{list(b.shape)}")
    if block_k < 1:
        raise ValueError(f"block_k must be >= 1, got {block_k}")
    if not acc_dtype.is_floating_point:
        raise ValueError(f"acc_dtype must be a floating dtype, got {acc_dtype}")
    acc = torch.zeros((a.shape[0], b.shape[1]), dtype=acc_dtype)
    for k0 in range(0, a.shape[1], block_k):
        partial = a[:, k0:k0 + block_k].double() @ b[k0:k0 + block_k].double()
        acc = acc + partial.to(acc_dtype)
    return acc.float()


def relative_error(approx: torch.Tensor, exact: torch.Tensor) -> float:
    e = exact.double()
    norm = float(torch.linalg.norm(e))
    if norm == 0:
        raise ValueError("exact is all zeros: the relative error is undefined")
    return float(torch.linalg.norm(approx.double() - e)) / norm


def error_vs_k(ks: list[int], acc_dtype: torch.dtype, block_k: int, n_trials: int, seed: int) -> np.ndarray:
    if n_trials < 1 or not ks or min(ks) < 1:
        raise ValueError("need n_trials >= 1 and a non-empty list of ks >= 1")
    g = torch.Generator().manual_seed(seed)
    out = np.empty(len(ks))
    for i, k in enumerate(ks):
        errs = []
        for _ in range(n_trials):
            a = torch.randn(8, k, generator=g)
            b = torch.randn(k, 8, generator=g)
            errs.append(relative_error(blocked_matmul(a, b, block_k, acc_dtype), a.double() @ b.double()))
        out[i] = np.mean(errs)
    return out


def loglog_slope(ks: list[int], errors: np.ndarray) -> float:
    ks_arr, err = np.asarray(ks, dtype=np.float64), np.asarray(errors, dtype=np.float64)
    if ks_arr.shape != err.shape or ks_arr.size < 2 or np.any(err <= 0) or np.any(ks_arr <= 0):
        raise ValueError("need >= 2 matching positive ks and errors")
    if np.unique(ks_arr).size < 2:
        raise ValueError("need at least two distinct ks")
    x, y = np.log(ks_arr), np.log(err)
    x0 = x - x.mean()
    return float((x0 * (y - y.mean())).sum() / (x0 * x0).sum())

"""Plausible wrong versions of the accumulation experiment that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from accumulation import blocked_matmul


def _check(a: torch.Tensor, b: torch.Tensor, block_k: int, acc_dtype: torch.dtype) -> None:
    if a.ndim != 2 or b.ndim != 2 or a.dtype != torch.float32 or b.dtype != torch.float32 or a.shape[1] != b.shape[0]:
        raise ValueError("bad inputs")
    if block_k < 1 or not acc_dtype.is_floating_point:
        raise ValueError("bad block_k or acc_dtype")


@pitfall(replaces="blocked_matmul", why="rounds each partial to acc_dtype but keeps the running sum in float32")
def float32_running_sum(a: torch.Tensor, b: torch.Tensor, block_k: int, acc_dtype: torch.dtype) -> torch.Tensor:
    _check(a, b, block_k, acc_dtype)
    acc = torch.zeros((a.shape[0], b.shape[1]), dtype=torch.float32)
    for k0 in range(0, a.shape[1], block_k):
        acc = acc + (a[:, k0:k0 + block_k].double() @ b[k0:k0 + block_k].double()).to(acc_dtype).float()
    return acc


@pitfall(replaces="blocked_matmul", why="loops over K // block_k full blocks: the shorter last block is dropped")
def drops_last_block(a: torch.Tensor, b: torch.Tensor, block_k: int, acc_dtype: torch.dtype) -> torch.Tensor:
    _check(a, b, block_k, acc_dtype)
    acc = torch.zeros((a.shape[0], b.shape[1]), dtype=acc_dtype)
    for i in range(a.shape[1] // block_k):
        k0 = i * block_k
        acc = acc + (a[:, k0:k0 + block_k].double() @ b[k0:k0 + block_k].double()).to(acc_dtype)
    return acc.float()


@pitfall(replaces="blocked_matmul", why="computes each block's partial product in acc_dtype (inputs cast first), not exactly")
def low_precision_inputs(a: torch.Tensor, b: torch.Tensor, block_k: int, acc_dtype: torch.dtype) -> torch.Tensor:
    _check(a, b, block_k, acc_dtype)
    acc = torch.zeros((a.shape[0], b.shape[1]), dtype=acc_dtype)
    for k0 in range(0, a.shape[1], block_k):
        acc = acc + (a[:, k0:k0 + block_k].to(acc_dtype).float() @ b[k0:k0 + block_k].to(acc_dtype).float()).to(acc_dtype)
    return acc.float()


@pitfall(replaces="relative_error", why="max-abs relative error instead of the Frobenius norm")
def max_abs_error(approx: torch.Tensor, exact: torch.Tensor) -> float:
    e = exact.double()
    if float(e.abs().max()) == 0:
        raise ValueError("zero")
    return float((approx.double() - e).abs().max()) / float(e.abs().max())


@pitfall(replaces="loglog_slope", why="fits log(error) against K itself, not log K")
def semilog_slope(ks: list[int], errors: np.ndarray) -> float:
    ks_arr, err = np.asarray(ks, dtype=np.float64), np.asarray(errors, dtype=np.float64)
    if ks_arr.shape != err.shape or ks_arr.size < 2 or np.any(err <= 0) or np.any(ks_arr <= 0) or np.unique(ks_arr).size < 2:
        raise ValueError("bad")
    return float(np.polyfit(ks_arr, np.log(err), 1)[0])


@pitfall(replaces="error_vs_k", why="draws the matrices from torch's global generator: the seed is ignored")
def global_rng(ks: list[int], acc_dtype: torch.dtype, block_k: int, n_trials: int, seed: int) -> np.ndarray:
    if n_trials < 1 or not ks or min(ks) < 1:
        raise ValueError("bad")
    out = np.empty(len(ks))
    for i, k in enumerate(ks):
        errs = []
        for _ in range(n_trials):
            a, b = torch.randn(8, k), torch.randn(k, 8)
            exact = a.double() @ b.double()
            errs.append(float(torch.linalg.norm(blocked_matmul(a, b, block_k, acc_dtype).double() - exact))
                        / float(torch.linalg.norm(exact)))
        out[i] = np.mean(errs)
    return out

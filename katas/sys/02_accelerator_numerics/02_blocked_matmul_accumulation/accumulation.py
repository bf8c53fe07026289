"""sys-02-2: blocked matmul with float32 vs low-precision accumulation, and the error it makes.
Edit this file; `grader check sys-02-2` tests it."""
from __future__ import annotations

import numpy as np
import torch


def blocked_matmul(a: torch.Tensor, b: torch.Tensor, block_k: int, acc_dtype: torch.dtype) -> torch.Tensor:
    """A @ B accumulated over K in blocks of block_k, with the running sum kept in acc_dtype.

    acc starts as zeros of acc_dtype; for k0 = 0, block_k, 2 block_k, ...:
        partial = A[:, k0:k0 + block_k].double() @ B[k0:k0 + block_k].double()   (exact enough: float64)
        acc = acc + partial.to(acc_dtype)                                        (a torch add in acc_dtype)
    and the result is acc.float(). So each block's partial sum is rounded once to acc_dtype and every
    accumulation step rounds again: what a kernel with an acc_dtype accumulator does. The last block
    may be shorter. a and b are not modified.

    Shapes:
        a: (M, K) float32; b: (K, N) float32; returns (M, N) float32

    Raises:
        ValueError: if a or b is not 2-D float32, the inner sizes differ, block_k < 1, or acc_dtype is
            not a floating-point dtype.
    """
    raise NotImplementedError("blocked_matmul: loop over K-blocks, round each partial to acc_dtype, add in acc_dtype")


def relative_error(approx: torch.Tensor, exact: torch.Tensor) -> float:
    """Frobenius relative error ||approx - exact||_F / ||exact||_F, computed in float64.

    Raises:
        ValueError: if exact is all zeros.
    """
    raise NotImplementedError("relative_error")


def error_vs_k(ks: list[int], acc_dtype: torch.dtype, block_k: int, n_trials: int, seed: int) -> np.ndarray:
    """Mean relative error of blocked_matmul against the float64 product, for each K in ks.

    One generator g = torch.Generator().manual_seed(seed); for each K in order, n_trials times:
    a = torch.randn(8, K, generator=g), then b = torch.randn(K, 8, generator=g), and the error
    relative_error(blocked_matmul(a, b, block_k, acc_dtype), a.double() @ b.double()). The same seed
    gives the same errors.

    Shapes:
        returns: (len(ks),) float64

    Raises:
        ValueError: if ks is empty, has an entry < 1, or n_trials < 1.
    """
    raise NotImplementedError("error_vs_k: seeded random matrices, mean error per K")


def loglog_slope(ks: list[int], errors: np.ndarray) -> float:
    """Least-squares slope of log(error) against log(K): the exponent p in error ~ K^p.

    Raises:
        ValueError: if the lengths differ, fewer than two points or two distinct ks are given, or any
            value is <= 0.
    """
    raise NotImplementedError("loglog_slope: least squares on the logs")

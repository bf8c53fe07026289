"""Plausible wrong versions of the fused dropout + residual that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch
import triton
import triton.language as tl

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from dropout_add import dropout_add_kernel


@pitfall(replaces="dropout_add_kernel", why="draws the random numbers from the block-local lane index: every block repeats block 0's mask")
@triton.jit
def block_local_offsets(x_ptr, residual_ptr, out_ptr, n_elements, p, scale, seed, BLOCK_SIZE: tl.constexpr):  # noqa: ANN001, ANN201
    pid = tl.program_id(0)
    offsets = pid * BLOCK_SIZE + tl.arange(0, BLOCK_SIZE)
    mask = offsets < n_elements
    x = tl.load(x_ptr + offsets, mask=mask)
    residual = tl.load(residual_ptr + offsets, mask=mask)
    keep = tl.rand(seed, tl.arange(0, BLOCK_SIZE)) >= p
    tl.store(out_ptr + offsets, residual + tl.where(keep, x * scale, 0.0), mask=mask)


@pitfall(replaces="dropout_add_kernel", why="keeps where rand < p: p becomes the keep probability instead of the drop probability")
@triton.jit
def keeps_with_probability_p(x_ptr, residual_ptr, out_ptr, n_elements, p, scale, seed, BLOCK_SIZE: tl.constexpr):  # noqa: ANN001, ANN201
    pid = tl.program_id(0)
    offsets = pid * BLOCK_SIZE + tl.arange(0, BLOCK_SIZE)
    mask = offsets < n_elements
    x = tl.load(x_ptr + offsets, mask=mask)
    residual = tl.load(residual_ptr + offsets, mask=mask)
    keep = tl.rand(seed, offsets) < p
    tl.store(out_ptr + offsets, residual + tl.where(keep, x * scale, 0.0), mask=mask)


@pitfall(replaces="dropout_add_kernel", why="no inverted-dropout rescale: kept values are x, not x / (1 - p), so E[out] shrinks")
@triton.jit
def no_rescale(x_ptr, residual_ptr, out_ptr, n_elements, p, scale, seed, BLOCK_SIZE: tl.constexpr):  # noqa: ANN001, ANN201
    pid = tl.program_id(0)
    offsets = pid * BLOCK_SIZE + tl.arange(0, BLOCK_SIZE)
    mask = offsets < n_elements
    x = tl.load(x_ptr + offsets, mask=mask)
    residual = tl.load(residual_ptr + offsets, mask=mask)
    keep = tl.rand(seed, offsets) >= p
    tl.store(out_ptr + offsets, residual + tl.where(keep, x, 0.0), mask=mask)


@pitfall(replaces="dropout_add_kernel", why="drops the sum x + residual instead of x alone: the residual path must never be dropped")
@triton.jit
def drops_the_residual_too(x_ptr, residual_ptr, out_ptr, n_elements, p, scale, seed, BLOCK_SIZE: tl.constexpr):  # noqa: ANN001, ANN201
    pid = tl.program_id(0)
    offsets = pid * BLOCK_SIZE + tl.arange(0, BLOCK_SIZE)
    mask = offsets < n_elements
    x = tl.load(x_ptr + offsets, mask=mask)
    residual = tl.load(residual_ptr + offsets, mask=mask)
    keep = tl.rand(seed, offsets) >= p
    tl.store(out_ptr + offsets, tl.where(keep, (x + residual) * scale, 0.0), mask=mask)


@pitfall(replaces="dropout_add", why="multiplies by the 0/1 keep mask times 1/(1 - p): at p = 1 that is 0 * inf = NaN")
def mask_times_inverse(x: torch.Tensor, residual: torch.Tensor, p: float, seed: int, block_size: int = 128) -> torch.Tensor:
    if not (0.0 <= p <= 1.0 and 0 <= seed < 2**31 and block_size > 0 and not block_size & (block_size - 1)):
        raise ValueError("bad arguments")
    if x.dtype != torch.float32 or residual.dtype != torch.float32 or x.shape != residual.shape:
        raise ValueError("bad inputs")
    if not (x.is_contiguous() and residual.is_contiguous()):
        raise ValueError("not contiguous")
    ones = torch.ones_like(x)
    keep = torch.empty_like(x)
    n = x.numel()
    # The kernel with x = 1, residual = 0, scale = 1 writes the 0/1 keep mask.
    dropout_add_kernel[(triton.cdiv(n, block_size),)](ones, torch.zeros_like(x), keep, n, p, 1.0, seed,
                                                      BLOCK_SIZE=block_size)
    with torch.no_grad():
        inv = torch.tensor(1.0 / (1.0 - p) if p < 1 else float("inf"))
        return residual + x * keep * inv


@pitfall(replaces="dropout_add", why="ignores the seed argument (always seed 0): every call drops the same elements")
def ignores_seed(x: torch.Tensor, residual: torch.Tensor, p: float, seed: int, block_size: int = 128) -> torch.Tensor:
    if not (0.0 <= p <= 1.0 and 0 <= seed < 2**31 and block_size > 0 and not block_size & (block_size - 1)):
        raise ValueError("bad arguments")
    if x.dtype != torch.float32 or residual.dtype != torch.float32 or x.shape != residual.shape:
        raise ValueError("bad inputs")
    if not (x.is_contiguous() and residual.is_contiguous()):
        raise ValueError("not contiguous")
    out = torch.empty_like(x)
    n = x.numel()
    scale = 1.0 / (1.0 - p) if p < 1.0 else 0.0
    dropout_add_kernel[(triton.cdiv(n, block_size),)](x, residual, out, n, p, scale, 0, BLOCK_SIZE=block_size)
    return out

"""Plausible wrong versions of the masked vector add that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch
import triton
import triton.language as tl

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from vector_add import add_kernel


def _validate(x: torch.Tensor, y: torch.Tensor, block_size: int) -> None:
    if x.ndim != 1 or y.ndim != 1 or x.dtype != torch.float32 or y.dtype != torch.float32 or x.shape != y.shape:
        raise ValueError("bad inputs")
    if block_size < 1 or block_size & (block_size - 1):
        raise ValueError("bad block_size")


@pitfall(replaces="add", why="grid = n // block_size rounds down: the partial last block is never launched")
def floor_grid(x: torch.Tensor, y: torch.Tensor, block_size: int = 128) -> torch.Tensor:
    _validate(x, y, block_size)
    n = x.shape[0]
    out = torch.zeros(n, dtype=x.dtype, device=x.device)
    add_kernel[(n // block_size,)](x, y, out, n, x.stride(0), y.stride(0), BLOCK_SIZE=block_size)
    return out


@pitfall(replaces="add", why="ceil-divides as (n + block_size) // block_size: one idle program too many when block_size divides n")
def ceil_div_off_by_one(x: torch.Tensor, y: torch.Tensor, block_size: int = 128) -> torch.Tensor:
    _validate(x, y, block_size)
    n = x.shape[0]
    out = torch.empty(n, dtype=x.dtype, device=x.device)
    add_kernel[((n + block_size) // block_size,)](x, y, out, n, x.stride(0), y.stride(0), BLOCK_SIZE=block_size)
    return out


@pitfall(replaces="add_kernel", why="offsets = pid + arange instead of pid * BLOCK_SIZE + arange: every program redoes block 0, shifted")
@triton.jit
def forgets_block_start(x_ptr, y_ptr, out_ptr, n_elements, x_stride, y_stride, BLOCK_SIZE: tl.constexpr):  # noqa: ANN001, ANN201
    pid = tl.program_id(0)
    offsets = pid + tl.arange(0, BLOCK_SIZE)
    mask = offsets < n_elements
    x = tl.load(x_ptr + offsets * x_stride, mask=mask)
    y = tl.load(y_ptr + offsets * y_stride, mask=mask)
    tl.store(out_ptr + offsets, x + y, mask=mask)


@pitfall(replaces="add_kernel", why="assumes contiguous inputs: ignores x_stride and y_stride")
@triton.jit
def ignores_strides(x_ptr, y_ptr, out_ptr, n_elements, x_stride, y_stride, BLOCK_SIZE: tl.constexpr):  # noqa: ANN001, ANN201
    pid = tl.program_id(0)
    offsets = pid * BLOCK_SIZE + tl.arange(0, BLOCK_SIZE)
    mask = offsets < n_elements
    x = tl.load(x_ptr + offsets, mask=mask)
    y = tl.load(y_ptr + offsets, mask=mask)
    tl.store(out_ptr + offsets, x + y, mask=mask)


@pitfall(replaces="add", why="adds in place into x and returns it (x += y) instead of allocating an output")
def in_place(x: torch.Tensor, y: torch.Tensor, block_size: int = 128) -> torch.Tensor:
    _validate(x, y, block_size)
    n = x.shape[0]
    add_kernel[(triton.cdiv(n, block_size),)](x, y, x, n, x.stride(0), y.stride(0), BLOCK_SIZE=block_size)
    return x


@pitfall(replaces="add", why="no block_size check: 48 reaches tl.arange, which rejects it with a Triton compile error, not ValueError")
def no_block_check(x: torch.Tensor, y: torch.Tensor, block_size: int = 128) -> torch.Tensor:
    if x.ndim != 1 or y.ndim != 1 or x.dtype != torch.float32 or y.dtype != torch.float32 or x.shape != y.shape:
        raise ValueError("bad inputs")
    n = x.shape[0]
    out = torch.empty(n, dtype=x.dtype, device=x.device)
    add_kernel[(triton.cdiv(n, max(block_size, 1)),)](x, y, out, n, x.stride(0), y.stride(0),
                                                      BLOCK_SIZE=max(block_size, 1))
    return out

"""Plausible wrong versions of the fused softmax that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch
import triton
import triton.language as tl

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from softmax import softmax_kernel


@pitfall(replaces="softmax_kernel", why="exponentiates without subtracting the row max: exp overflows to inf, inf/inf = NaN")
@triton.jit
def no_max_subtraction(out_ptr, in_ptr, in_row_stride, out_row_stride, n_cols, BLOCK_SIZE: tl.constexpr):  # noqa: ANN001, ANN201 (Triton infers argument types at launch)
    row = tl.program_id(0)
    cols = tl.arange(0, BLOCK_SIZE)
    mask = cols < n_cols
    x = tl.load(in_ptr + row * in_row_stride + cols, mask=mask, other=-float("inf"))
    numerator = tl.exp(x)
    tl.store(out_ptr + row * out_row_stride + cols, numerator / tl.sum(numerator, axis=0), mask=mask)


@pitfall(replaces="softmax_kernel", why="pads masked columns with 0 instead of -inf: each pad adds exp(0 - max) to the sum")
@triton.jit
def pad_with_zero(out_ptr, in_ptr, in_row_stride, out_row_stride, n_cols, BLOCK_SIZE: tl.constexpr):  # noqa: ANN001, ANN201 (Triton infers argument types at launch)
    row = tl.program_id(0)
    cols = tl.arange(0, BLOCK_SIZE)
    mask = cols < n_cols
    x = tl.load(in_ptr + row * in_row_stride + cols, mask=mask, other=0.0)
    x = x - tl.max(x, axis=0)
    numerator = tl.exp(x)
    tl.store(out_ptr + row * out_row_stride + cols, numerator / tl.sum(numerator, axis=0), mask=mask)


@pitfall(replaces="softmax", why="passes the output's row stride for the input too (wrong for strided views)")
def output_stride_for_input(x: torch.Tensor) -> torch.Tensor:
    if x.ndim != 2 or x.dtype != torch.float32 or x.stride(1) != 1:
        raise ValueError("bad input")
    n_rows, n_cols = x.shape
    out = torch.empty((n_rows, n_cols), dtype=x.dtype, device=x.device)
    softmax_kernel[(n_rows,)](out, x, out.stride(0), out.stride(0), n_cols,
                              BLOCK_SIZE=triton.next_power_of_2(n_cols))
    return out


@pitfall(replaces="softmax", why="BLOCK_SIZE rounded down to a power of two: the row tail past BLOCK_SIZE is never computed")
def block_too_small(x: torch.Tensor) -> torch.Tensor:
    if x.ndim != 2 or x.dtype != torch.float32 or x.stride(1) != 1:
        raise ValueError("bad input")
    n_rows, n_cols = x.shape
    out = torch.zeros((n_rows, n_cols), dtype=x.dtype, device=x.device)
    block = triton.next_power_of_2(n_cols)
    block = block if block == n_cols else block // 2
    softmax_kernel[(n_rows,)](out, x, x.stride(0), out.stride(0), n_cols, BLOCK_SIZE=block)
    return out

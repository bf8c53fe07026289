"""Plausible wrong versions of INT8 weight-only quantization and its matmul that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch
import triton
import triton.language as tl

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from int8_matmul import int8_matmul_kernel


@pitfall(replaces="quantize_weight", why="truncates w / scale toward zero (.to(torch.int8)) instead of rounding to nearest")
def truncates(w: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    if w.ndim != 2 or not w.is_floating_point():
        raise ValueError("bad w")
    amax = w.float().abs().amax(dim=0)
    scale = torch.where(amax > 0, amax / 127.0, torch.ones_like(amax))
    return (w.float() / scale).clamp(-127, 127).to(torch.int8), scale


@pitfall(replaces="quantize_weight", why="one scale for the whole tensor (per-tensor), broadcast to every column")
def per_tensor_scale(w: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    if w.ndim != 2 or not w.is_floating_point():
        raise ValueError("bad w")
    amax = w.float().abs().max()
    s = amax / 127.0 if amax > 0 else torch.tensor(1.0)
    scale = torch.full((w.shape[1],), float(s))
    return torch.round(w.float() / scale).clamp(-127, 127).to(torch.int8), scale


@pitfall(replaces="quantize_weight", why="scale = amax / 128: the largest weight maps to 128, which int8 cannot hold (it clamps or wraps)")
def scale_over_128(w: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    if w.ndim != 2 or not w.is_floating_point():
        raise ValueError("bad w")
    amax = w.float().abs().amax(dim=0)
    scale = torch.where(amax > 0, amax / 128.0, torch.ones_like(amax))
    return torch.round(w.float() / scale).clamp(-128, 127).to(torch.int8), scale


@pitfall(replaces="quantize_weight", why="no guard for an all-zero column: scale 0, and 0 / 0 = NaN cast to int8")
def zero_column_nan(w: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    if w.ndim != 2 or not w.is_floating_point():
        raise ValueError("bad w")
    scale = w.float().abs().amax(dim=0) / 127.0
    return torch.round(w.float() / scale).clamp(-127, 127).to(torch.int8), scale


@pitfall(replaces="int8_matmul_kernel", why="never multiplies by the per-column scale: returns A @ W_q in integer units")
@triton.jit
def forgets_scale(a_ptr, wq_ptr, scale_ptr, c_ptr, M, N, K, stride_am, stride_ak, stride_wk, stride_wn, stride_cm, stride_cn,  # noqa: ANN001, ANN201
                  BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr, BLOCK_K: tl.constexpr):
    pid_m = tl.program_id(0)
    pid_n = tl.program_id(1)
    offs_m = pid_m * BLOCK_M + tl.arange(0, BLOCK_M)
    offs_n = pid_n * BLOCK_N + tl.arange(0, BLOCK_N)
    offs_k = tl.arange(0, BLOCK_K)
    a_ptrs = a_ptr + offs_m[:, None] * stride_am + offs_k[None, :] * stride_ak
    w_ptrs = wq_ptr + offs_k[:, None] * stride_wk + offs_n[None, :] * stride_wn
    acc = tl.zeros((BLOCK_M, BLOCK_N), dtype=tl.float32)
    for k0 in range(0, K, BLOCK_K):
        a = tl.load(a_ptrs, mask=(offs_m[:, None] < M) & (offs_k[None, :] < K - k0), other=0.0)
        w = tl.load(w_ptrs, mask=(offs_k[:, None] < K - k0) & (offs_n[None, :] < N), other=0)
        acc += tl.dot(a, w.to(tl.float32))
        a_ptrs += BLOCK_K * stride_ak
        w_ptrs += BLOCK_K * stride_wk
    c_ptrs = c_ptr + offs_m[:, None] * stride_cm + offs_n[None, :] * stride_cn
    tl.store(c_ptrs, acc, mask=(offs_m[:, None] < M) & (offs_n[None, :] < N))


@pitfall(replaces="int8_matmul_kernel", why="loops over K // BLOCK_K tiles: the partial last K-tile is dropped")
@triton.jit
def drops_k_tail(a_ptr, wq_ptr, scale_ptr, c_ptr, M, N, K, stride_am, stride_ak, stride_wk, stride_wn, stride_cm, stride_cn,  # noqa: ANN001, ANN201
                 BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr, BLOCK_K: tl.constexpr):
    pid_m = tl.program_id(0)
    pid_n = tl.program_id(1)
    offs_m = pid_m * BLOCK_M + tl.arange(0, BLOCK_M)
    offs_n = pid_n * BLOCK_N + tl.arange(0, BLOCK_N)
    offs_k = tl.arange(0, BLOCK_K)
    a_ptrs = a_ptr + offs_m[:, None] * stride_am + offs_k[None, :] * stride_ak
    w_ptrs = wq_ptr + offs_k[:, None] * stride_wk + offs_n[None, :] * stride_wn
    acc = tl.zeros((BLOCK_M, BLOCK_N), dtype=tl.float32)
    for _ in range(0, K // BLOCK_K):
        a = tl.load(a_ptrs, mask=offs_m[:, None] < M, other=0.0)
        w = tl.load(w_ptrs, mask=offs_n[None, :] < N, other=0)
        acc += tl.dot(a, w.to(tl.float32))
        a_ptrs += BLOCK_K * stride_ak
        w_ptrs += BLOCK_K * stride_wk
    scale = tl.load(scale_ptr + offs_n, mask=offs_n < N, other=0.0)
    c_ptrs = c_ptr + offs_m[:, None] * stride_cm + offs_n[None, :] * stride_cn
    tl.store(c_ptrs, acc * scale[None, :], mask=(offs_m[:, None] < M) & (offs_n[None, :] < N))


@pitfall(replaces="int8_matmul", why="dequantizes W to float32 in PyTorch before the launch: the kernel never reads int8 weights")
def dequantizes_first(a: torch.Tensor, w_q: torch.Tensor, scale: torch.Tensor,
                      block_m: int = 32, block_n: int = 32, block_k: int = 32) -> torch.Tensor:
    if a.ndim != 2 or a.dtype != torch.float32 or w_q.ndim != 2 or w_q.dtype != torch.int8 or w_q.shape[0] != a.shape[1]:
        raise ValueError("bad inputs")
    if scale.shape != (w_q.shape[1],) or scale.dtype != torch.float32 or scale.stride(0) != 1:
        raise ValueError("bad scale")
    for blk in (block_m, block_n, block_k):
        if blk < 16 or blk & (blk - 1):
            raise ValueError("bad block")
    M, K = a.shape
    N = w_q.shape[1]
    w = w_q.float() * scale
    ones = torch.ones(N)
    c = torch.empty((M, N), dtype=torch.float32, device=a.device)
    grid = (triton.cdiv(M, block_m), triton.cdiv(N, block_n))
    int8_matmul_kernel[grid](a, w, ones, c, M, N, K, a.stride(0), a.stride(1), w.stride(0), w.stride(1),
                             c.stride(0), c.stride(1), BLOCK_M=block_m, BLOCK_N=block_n, BLOCK_K=block_k)
    return c

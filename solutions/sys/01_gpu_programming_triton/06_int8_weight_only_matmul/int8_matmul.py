"""Reference solution for sys-01-6."""
from __future__ import annotations

import torch
import triton
import triton.language as tl


def quantize_weight(w: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    if w.ndim != 2 or not w.is_floating_point():
        raise ValueError(f"w must be a 2-D floating-point tensor, got {w.dtype}{list(w.shape)}")
    w32 = w.float()
    amax = w32.abs().amax(dim=0)
    scale = torch.where(amax > 0, amax / 127.0, torch.ones_like(amax))
    w_q = torch.round(w32 / scale).clamp(-127, 127).to(torch.int8)
    return w_q, scale


@triton.jit
def int8_matmul_kernel(a_ptr, wq_ptr, scale_ptr, c_ptr, M, N, K,  # noqa: ANN001, ANN201 (Triton infers argument types at launch)
                       stride_am, stride_ak, stride_wk, stride_wn, stride_cm, stride_cn,  # noqa: ANN001
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
    scale = tl.load(scale_ptr + offs_n, mask=offs_n < N, other=0.0)
    acc = acc * scale[None, :]
    c_ptrs = c_ptr + offs_m[:, None] * stride_cm + offs_n[None, :] * stride_cn
    tl.store(c_ptrs, acc, mask=(offs_m[:, None] < M) & (offs_n[None, :] < N))


def int8_matmul(a: torch.Tensor, w_q: torch.Tensor, scale: torch.Tensor,
                block_m: int = 32, block_n: int = 32, block_k: int = 32) -> torch.Tensor:
    if a.ndim != 2 or a.dtype != torch.float32:
        raise ValueError(f"a must be 2-D float32, got {a.dtype}{list(a.shape)}")
    if w_q.ndim != 2 or w_q.dtype != torch.int8 or w_q.shape[0] != a.shape[1]:
        raise ValueError(f"w_q must be int8 of shape ({a.shape[1]}, N), got {w_q.dtype}{list(w_q.shape)}")
    if scale.shape != (w_q.shape[1],) or scale.dtype != torch.float32 or scale.stride(0) != 1:
        raise ValueError(f"scale must be a contiguous float32 tensor of shape ({w_q.shape[1]},)")
    for name, blk in (("block_m", block_m), ("block_n", block_n), ("block_k", block_k)):
        if blk < 16 or blk & (blk - 1):
            raise ValueError(f"{name} must be a power of two >= 16, got {blk}")
    M, K = a.shape
    N = w_q.shape[1]
    c = torch.empty((M, N), dtype=torch.float32, device=a.device)
    grid = (triton.cdiv(M, block_m), triton.cdiv(N, block_n))
    int8_matmul_kernel[grid](a, w_q, scale, c, M, N, K, a.stride(0), a.stride(1), w_q.stride(0), w_q.stride(1),
                             c.stride(0), c.stride(1), BLOCK_M=block_m, BLOCK_N=block_n, BLOCK_K=block_k)
    return c

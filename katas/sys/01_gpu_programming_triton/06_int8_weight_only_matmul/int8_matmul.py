"""sys-01-6: INT8 weight-only quantized matmul in Triton. Edit this file; `grader check sys-01-6` tests it.

Without a CUDA device the workbook sets TRITON_INTERPRET=1 before this module is imported, so the
kernel runs in Triton's interpreter on CPU tensors: same code, same semantics, just slow.
"""
from __future__ import annotations

import torch
import triton
import triton.language as tl


def quantize_weight(w: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Symmetric per-output-channel (per-column) absmax INT8 quantization of a weight matrix.

    In float32: scale[n] = max_k |w[k, n]| / 127 (1.0 for an all-zero column), and
    w_q[k, n] = round(w[k, n] / scale[n]) with round half to even (torch.round), clamped to
    [-127, 127], as int8. So the largest |weight| of each column maps to exactly ±127 and
    |w - w_q * scale| <= scale / 2 (except in a column whose max is a float32 subnormal, where
    max / 127 rounds coarsely and the clamp is what keeps w_q in [-127, 127]). w is not modified.

    Shapes:
        w: (K, N) float32 or float64
        returns: w_q (K, N) int8, scale (N,) float32

    Raises:
        ValueError: if w is not a 2-D floating-point tensor.
    """
    raise NotImplementedError("quantize_weight: per-column absmax / 127, round, clamp, cast to int8")


@triton.jit
def int8_matmul_kernel(a_ptr, wq_ptr, scale_ptr, c_ptr, M, N, K,  # noqa: ANN001, ANN201 (Triton infers argument types at launch)
                       stride_am, stride_ak, stride_wk, stride_wn, stride_cm, stride_cn,  # noqa: ANN001
                       BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr, BLOCK_K: tl.constexpr):
    """Program (pid_m, pid_n) computes one BLOCK_M x BLOCK_N tile of C = A @ (W_q * scale).

    Arguments:
        a_ptr: float32 A (M, K); wq_ptr: int8 W_q (K, N); scale_ptr: float32 scale (N,), contiguous;
        c_ptr: float32 C (M, N). Strides in elements, as in the tiled matmul (sys-01-3).
        BLOCK_M, BLOCK_N, BLOCK_K: powers of two >= 16.

    Load int8 tiles of W_q (masked, other=0), convert them to float32 in registers and accumulate
    tl.dot(a_tile, w_tile) in float32; the per-column scale factors out of the sum over k, so multiply
    the accumulator by scale[offs_n] once, after the K loop. Masked store.
    """
    # Replace this line with the kernel body. (Only the interpreter can run a `raise`; a GPU compile
    # rejects it. The launcher below raises first anyway, until you write it.)
    raise NotImplementedError("int8_matmul_kernel: tiled matmul reading int8 W, scale after the K loop")


def int8_matmul(a: torch.Tensor, w_q: torch.Tensor, scale: torch.Tensor,
                block_m: int = 32, block_n: int = 32, block_k: int = 32) -> torch.Tensor:
    """C = A @ (W_q * scale[None, :]) with `int8_matmul_kernel`, reading the int8 weights in the kernel.

    Pass w_q itself (int8) and scale to one launch on the grid (cdiv(M, block_m), cdiv(N, block_n))
    with BLOCK_M=block_m, BLOCK_N=block_n, BLOCK_K=block_k: never a dequantized float copy of W.
    Returns a new contiguous float32 C; a, w_q and scale are not modified.

    Shapes:
        a: (M, K) float32, any strides
        w_q: (K, N) int8, any strides
        scale: (N,) float32, contiguous
        returns: (M, N) float32, contiguous, same device as a

    Raises:
        ValueError: if a is not 2-D float32, if w_q is not 2-D int8 with K rows, if scale is not a
            contiguous (N,) float32 tensor, or if a block size is not a power of two >= 16.
    """
    raise NotImplementedError("int8_matmul: validate, allocate C, launch int8_matmul_kernel with w_q and scale")

"""sys-01-3: tiled matrix multiplication in Triton. Edit this file; `grader check sys-01-3` tests it.

Without a CUDA device the workbook sets TRITON_INTERPRET=1 before this module is imported, so the
kernel runs in Triton's interpreter on CPU tensors: same code, same semantics, just slow.
"""
from __future__ import annotations

import torch
import triton
import triton.language as tl


@triton.jit
def matmul_kernel(a_ptr, b_ptr, c_ptr, M, N, K,  # noqa: ANN001, ANN201 (Triton infers argument types at launch)
                  stride_am, stride_ak, stride_bk, stride_bn, stride_cm, stride_cn,  # noqa: ANN001
                  BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr, BLOCK_K: tl.constexpr):
    """Program (pid_m, pid_n) computes the BLOCK_M x BLOCK_N tile of C = A @ B whose top-left corner is
    C[pid_m * BLOCK_M, pid_n * BLOCK_N].

    Arguments:
        a_ptr, b_ptr, c_ptr: pointers to A[0, 0], B[0, 0], C[0, 0] (float32).
        M, N, K: A is (M, K), B is (K, N), C is (M, N).
        stride_am, stride_ak, ...: element strides; A[i, k] is at a_ptr + i * stride_am + k * stride_ak.
        BLOCK_M, BLOCK_N, BLOCK_K: tile sizes, powers of two >= 16 (tl.dot's minimum).

    Steps: pid_m = tl.program_id(0), pid_n = tl.program_id(1); a float32 accumulator
    tl.zeros((BLOCK_M, BLOCK_N)); for each K-tile load a (BLOCK_M, BLOCK_K) tile of A and a
    (BLOCK_K, BLOCK_N) tile of B, masked (other=0.0) where a row, column or k index is out of range, and
    add tl.dot(a_tile, b_tile); store the accumulator with a mask for rows >= M and columns >= N.
    """
    # Replace this line with the kernel body. (Only the interpreter can run a `raise`; a GPU compile
    # rejects it. The launcher below raises first anyway, until you write it.)
    raise NotImplementedError("matmul_kernel: loop over K-tiles, accumulate tl.dot in float32, masked store")


def matmul(a: torch.Tensor, b: torch.Tensor, block_m: int = 32, block_n: int = 32, block_k: int = 32) -> torch.Tensor:
    """C = A @ B with `matmul_kernel`, one program per (block_m, block_n) tile of C.

    Allocate a new contiguous float32 C and launch matmul_kernel once, on the 2-D grid
    (triton.cdiv(M, block_m), triton.cdiv(N, block_n)), with BLOCK_M=block_m, BLOCK_N=block_n,
    BLOCK_K=block_k, passing each tensor's two strides (a and b may be transposed or sliced views).
    K = 0 gives a C of zeros. a and b are not modified.

    Shapes:
        a: (M, K) float32, any strides
        b: (K, N) float32, any strides
        returns: (M, N) float32, contiguous, same device as a

    Raises:
        ValueError: if a or b is not 2-D float32, if a.shape[1] != b.shape[0], or if a block size is
            not a power of two >= 16.
    """
    raise NotImplementedError("matmul: validate, allocate C and launch matmul_kernel on the 2-D grid of tiles")

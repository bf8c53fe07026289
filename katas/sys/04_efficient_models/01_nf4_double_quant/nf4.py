"""sys-04-1: QLoRA's NF4 quantization and double quantization. Edit this file; `grader check sys-04-1` tests it."""
from __future__ import annotations

import numpy as np
from scipy.stats import norm  # noqa: F401 - you will need it


def blocks_of(x: np.ndarray, block_size: int) -> np.ndarray:
    """Given: x viewed as (n_blocks, block_size) rows. ValueError unless x is 1-D, block_size >= 1 and
    block_size divides len(x)."""
    if x.ndim != 1 or block_size < 1 or x.size % block_size:
        raise ValueError(f"need a 1-D array whose length is a multiple of block_size >= 1, got {x.shape}, {block_size=}")
    return x.reshape(-1, block_size)


def nf4_levels(offset: float = 0.9677083) -> np.ndarray:
    """The 16 NF4 levels of QLoRA (appendix E), float64, increasing:
    8 positive quantiles norm.ppf(linspace(offset, 0.5, 9)[:-1]), 7 negative ones
    -norm.ppf(linspace(offset, 0.5, 8)[:-1]) and an exact 0, sorted and divided by the largest, so
    the levels run from exactly -1 to exactly 1.

    Shapes:
        returns: (16,) float64

    Raises:
        ValueError: unless 0.5 < offset < 1.
    """
    raise NotImplementedError("nf4_levels: normal quantiles, asymmetric halves, exact zero, normalised")


def quantize_nf4(w: np.ndarray, block_size: int = 64) -> tuple[np.ndarray, np.ndarray]:
    """Block-wise NF4: for each block of block_size consecutive weights, absmax = max |w| of the block
    (float32) and each weight's code is the index of the nf4_levels() level nearest to w / absmax.
    An all-zero block has absmax 0 and every code 7 (the zero level). w is not modified.

    Shapes:
        w: (n,) float32, n a multiple of block_size; returns codes (n,) uint8 in [0, 16) and
        absmax (n / block_size,) float32

    Raises:
        ValueError: (through blocks_of) if w is not 1-D, block_size < 1 or block_size does not divide n.
    """
    raise NotImplementedError("quantize_nf4: absmax per block, nearest level")


def dequantize_nf4(codes: np.ndarray, absmax: np.ndarray, block_size: int = 64) -> np.ndarray:
    """nf4_levels()[code] * absmax of the code's block, as float32. Inputs are not modified.

    Shapes:
        codes: (n,) uint8; absmax: (n / block_size,); returns (n,) float32

    Raises:
        ValueError: as blocks_of, or if absmax does not have one entry per block.
    """
    raise NotImplementedError("dequantize_nf4")


def double_quantize(absmax: np.ndarray, block_size: int = 256) -> tuple[np.ndarray, np.ndarray, float]:
    """Quantize the first-level constants themselves (QLoRA's double quantization), here with symmetric
    int8 absmax quantization: mean = the float64 mean of absmax; per block of block_size centred
    constants c - mean, s = max |c - mean| and q = round((c - mean) / s * 127) (q = 0 where s = 0,
    without dividing 0 by 0).
    absmax is not modified.

    Shapes:
        absmax: (m,), m a multiple of block_size; returns q (m,) int8, scales (m / block_size,)
        float32 and mean (a Python float)

    Raises:
        ValueError: as blocks_of.
    """
    raise NotImplementedError("double_quantize: centre, then int8 absmax per block")


def double_dequantize(q: np.ndarray, scales: np.ndarray, mean: float, block_size: int = 256) -> np.ndarray:
    """q / 127 * scale of q's block + mean, as float32: within half an int8 step (s / 254) of the
    constants.

    Shapes:
        q: (m,) int8; scales: (m / block_size,); returns (m,) float32
    """
    raise NotImplementedError("double_dequantize")


def bits_per_parameter(block_size: int = 64, dq_block_size: int | None = 256) -> float:
    """Storage per weight in bits: 4 for the code, plus the constants. Without double quantization
    (dq_block_size None) one float32 absmax per block: 4 + 32 / block_size. With it, one int8 per
    block and one float32 per dq_block_size blocks: 4 + 8 / block_size + 32 / (block_size *
    dq_block_size) (the single mean is negligible and not counted).

    Raises:
        ValueError: if block_size < 1 or dq_block_size < 1.
    """
    raise NotImplementedError("bits_per_parameter")

"""sys-02-1: floating-point formats. Emulate fp16, bf16 and fp8 rounding with NumPy; ulp and dynamic
range. Edit this file; `grader check sys-02-1` tests it against torch's own dtype casts."""
from __future__ import annotations

import numpy as np

# name: (exponent bits, mantissa bits, bias, what happens past the largest finite value)
FORMATS = {
    "fp16": (5, 10, 15, "inf"),
    "bf16": (8, 7, 127, "inf"),
    "e5m2": (5, 2, 15, "inf"),
    "e4m3fn": (4, 3, 7, "saturate"),  # no infinities; only S.1111.111 is NaN, so S.1111.110 = 448 is the max
}


def dynamic_range(fmt: str) -> dict[str, float]:
    """The largest finite value, the smallest positive normal and the smallest positive subnormal of fmt.

    With E exponent bits, M mantissa bits and bias b: emin = 1 - b; min_normal = 2**emin;
    min_subnormal = 2**(emin - M). IEEE-style formats ("inf") reserve the all-ones exponent for inf/NaN,
    so max = (2 - 2**-M) * 2**(2**E - 2 - b). e4m3fn ("saturate") uses the all-ones exponent for numbers
    too and only the all-ones mantissa there is NaN: max = (2 - 2**(1 - M)) * 2**(2**E - 1 - b) = 448.

    Returns:
        {"max": float, "min_normal": float, "min_subnormal": float}

    Raises:
        ValueError: if fmt is not a key of FORMATS.
    """
    raise NotImplementedError("dynamic_range: from the exponent and mantissa widths and the bias")


def round_to_format(x: np.ndarray, fmt: str) -> np.ndarray:
    """Round float32 values to the nearest value of fmt, ties to even, as torch's x.to(dtype) does.

    Exactly what `torch.from_numpy(x).to(dtype).float()` returns, bit for bit: subnormals kept
    (no flush to zero), the sign of zero kept, NaN stays NaN. Past the largest finite value: "inf"
    formats round to ±inf (a value at least half an ulp above max becomes inf; ±inf stays ±inf);
    e4m3fn saturates to ±448 (±inf too). The result is a new float32 array of x's shape; x is not
    modified.

    Shapes:
        x: any shape, float32
        returns: x's shape, float32

    Raises:
        ValueError: if fmt is unknown or x is not float32.
    """
    raise NotImplementedError("round_to_format: exponent, quantum 2**(e - M), round half to even, overflow rule")


def ulp(x: np.ndarray, fmt: str) -> np.ndarray:
    """The spacing of fmt's values at |x|: 2**(max(floor(log2 |x|), emin) - M), emin = 1 - bias.

    For a representable x below max this is the gap to the next larger magnitude; in the subnormal
    range (and at 0) it is min_subnormal.

    Shapes:
        x: any shape, float32, finite
        returns: x's shape, float64

    Raises:
        ValueError: if fmt is unknown, x is not float32, or x has a non-finite entry.
    """
    raise NotImplementedError("ulp: the power of two of x's binade, shifted by the mantissa width")

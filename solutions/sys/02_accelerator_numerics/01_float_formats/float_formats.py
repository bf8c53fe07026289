"""Reference solution for sys-02-1."""
from __future__ import annotations

import numpy as np

# name: (exponent bits, mantissa bits, bias, what happens past the largest finite value)
FORMATS = {
    "fp16": (5, 10, 15, "inf"),
    "bf16": (8, 7, 127, "inf"),
    "e5m2": (5, 2, 15, "inf"),
    "e4m3fn": (4, 3, 7, "saturate"),  # no infinities; only S.1111.111 is NaN, so S.1111.110 = 448 is the max
}


def _spec(fmt: str) -> tuple[int, int, int, str]:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {sorted(FORMATS)}")
    return FORMATS[fmt]


def dynamic_range(fmt: str) -> dict[str, float]:
    e_bits, m_bits, bias, overflow = _spec(fmt)
    if overflow == "inf":
        emax = (2**e_bits - 2) - bias
        largest = (2.0 - 2.0**-m_bits) * 2.0**emax
    else:
        emax = (2**e_bits - 1) - bias
        largest = (2.0 - 2.0 ** (1 - m_bits)) * 2.0**emax
    emin = 1 - bias
    return {"max": largest, "min_normal": 2.0**emin, "min_subnormal": 2.0 ** (emin - m_bits)}


def _exponent(a: np.ndarray, emin: int) -> np.ndarray:
    _, e = np.frexp(a)  # a = f * 2**e with f in [0.5, 1): floor(log2 a) = e - 1, exactly
    return np.where(a == 0, emin, np.maximum(e - 1, emin))


def round_to_format(x: np.ndarray, fmt: str) -> np.ndarray:
    e_bits, m_bits, bias, overflow = _spec(fmt)
    x = np.asarray(x)
    if x.dtype != np.float32:
        raise ValueError(f"x must be float32, got {x.dtype}")
    largest = dynamic_range(fmt)["max"]
    xd = x.astype(np.float64)
    a = np.abs(xd)
    finite = np.isfinite(a)
    a_f = np.where(finite, a, 0.0)
    q = np.ldexp(1.0, _exponent(a_f, 1 - bias) - m_bits)
    r = np.round(a_f / q) * q  # np.round rounds half to even
    if overflow == "inf":
        r = np.where(r > largest, np.inf, r)
        r = np.where(np.isinf(a), np.inf, r)
    else:
        r = np.where(np.isinf(a) | (r > largest), largest, r)
    r = np.where(np.isnan(xd), np.nan, r)
    return np.copysign(r, xd).astype(np.float32)


def ulp(x: np.ndarray, fmt: str) -> np.ndarray:
    e_bits, m_bits, bias, overflow = _spec(fmt)
    x = np.asarray(x)
    if x.dtype != np.float32:
        raise ValueError(f"x must be float32, got {x.dtype}")
    a = np.abs(x.astype(np.float64))
    if not np.all(np.isfinite(a)):
        raise ValueError("x must be finite")
    return np.ldexp(1.0, _exponent(a, 1 - bias) - m_bits)

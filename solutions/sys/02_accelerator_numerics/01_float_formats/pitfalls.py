"""Plausible wrong emulations of low-precision formats that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from float_formats import _exponent, _spec, dynamic_range, round_to_format

solution_round = round_to_format


def _round(x: np.ndarray, fmt: str, *, ties_away: bool = False, flush: bool = False,
           overflow: str | None = None) -> np.ndarray:
    e_bits, m_bits, bias, default_overflow = _spec(fmt)
    x = np.asarray(x)
    if x.dtype != np.float32:
        raise ValueError("x must be float32")
    overflow = overflow or default_overflow
    largest = dynamic_range(fmt)["max"]
    xd = x.astype(np.float64)
    a = np.abs(xd)
    a_f = np.where(np.isfinite(a), a, 0.0)
    q = np.ldexp(1.0, _exponent(a_f, 1 - bias) - m_bits)
    r = np.floor(a_f / q + 0.5) * q if ties_away else np.round(a_f / q) * q
    if flush:
        r = np.where(a_f < 2.0 ** (1 - bias), 0.0, r)
    if overflow == "inf":
        r = np.where((r > largest) | np.isinf(a), np.inf, r)
    else:
        r = np.where(np.isinf(a) | (r > largest), largest, r)
    r = np.where(np.isnan(xd), np.nan, r)
    return np.copysign(r, xd).astype(np.float32)


@pitfall(replaces="round_to_format", why="rounds half away from zero (floor(v + 0.5)) instead of half to even")
def ties_away_from_zero(x: np.ndarray, fmt: str) -> np.ndarray:
    return _round(x, fmt, ties_away=True)


@pitfall(replaces="round_to_format", why="flushes subnormals to zero (no gradual underflow)")
def flush_to_zero(x: np.ndarray, fmt: str) -> np.ndarray:
    return _round(x, fmt, flush=True)


@pitfall(replaces="round_to_format", why="e4m3fn overflows to inf like an IEEE format; torch saturates to ±448")
def e4m3_overflows_to_inf(x: np.ndarray, fmt: str) -> np.ndarray:
    return _round(x, fmt, overflow="inf")


@pitfall(replaces="round_to_format", why="bf16 by truncation: keeps the top 16 bits of the float32 (x & 0xFFFF0000)")
def bf16_truncation(x: np.ndarray, fmt: str) -> np.ndarray:
    if fmt != "bf16":
        return solution_round(x, fmt)
    x = np.asarray(x)
    if x.dtype != np.float32:
        raise ValueError("x must be float32")
    return (x.view(np.uint32) & np.uint32(0xFFFF0000)).view(np.float32).copy()


@pitfall(replaces="ulp", why="no emin clamp: the spacing keeps shrinking below the smallest normal (subnormals are evenly spaced)")
def ulp_without_subnormals(x: np.ndarray, fmt: str) -> np.ndarray:
    e_bits, m_bits, bias, overflow = _spec(fmt)
    x = np.asarray(x)
    if x.dtype != np.float32 or not np.all(np.isfinite(x)):
        raise ValueError("bad x")
    a = np.abs(x.astype(np.float64))
    _, e = np.frexp(np.where(a == 0, 2.0 ** (1 - bias), a))
    return np.ldexp(1.0, e - 1 - m_bits)


@pitfall(replaces="dynamic_range", why="e4m3fn's max computed as if it were IEEE (all-ones exponent reserved): 240, not 448")
def e4m3_ieee_max(fmt: str) -> dict[str, float]:
    e_bits, m_bits, bias, overflow = _spec(fmt)
    emax = (2**e_bits - 2) - bias
    emin = 1 - bias
    return {"max": (2.0 - 2.0**-m_bits) * 2.0**emax, "min_normal": 2.0**emin, "min_subnormal": 2.0 ** (emin - m_bits)}

"""Assertions for kata tests that tell a learner what was called, what was expected, what came back,
and, where the output betrays a known mistake, which one it looks like.

    from grader.testing import assert_close
    assert_close(got, want, rtol=1e-5, atol=1e-6, call=describe_call("rope", x=x, pos=pos))

Everything is compared in float64 numpy, so torch tensors, numpy arrays, lists and scalars mix.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = ["assert_close", "assert_equal", "assert_shape", "describe", "describe_call", "to_numpy", "diagnose"]


def to_numpy(x: Any) -> np.ndarray:
    """A float64 (or the original integer/bool) numpy copy of a tensor, array, list or scalar."""
    if type(x).__module__.startswith("torch"):
        x = x.detach().cpu()
        x = x.double() if x.is_floating_point() else x
        return x.numpy()
    arr = np.asarray(x)
    return arr.astype(np.float64) if arr.dtype.kind in "fc" and arr.dtype != np.float64 else arr


def describe(x: Any) -> str:
    """`float32[2, 3]` for arrays and tensors, a short repr for anything else."""
    if type(x).__module__.startswith("torch") and hasattr(x, "shape"):
        return f"{str(x.dtype).removeprefix('torch.')}{list(x.shape)}"
    if isinstance(x, np.ndarray):
        return f"{x.dtype}{list(x.shape)}"
    text = repr(x)
    return text if len(text) <= 60 else text[:57] + "..."


def describe_call(fn: str, *args: Any, **kwargs: Any) -> str:
    """`attention(q=float32[2, 4, 8], mask=None)`: how a failing call looked."""
    parts = [describe(a) for a in args] + [f"{k}={describe(v)}" for k, v in kwargs.items()]
    return f"{fn}({', '.join(parts)})"


def _header(call: str | None, name: str) -> str:
    return f"{call} returned a {name} that" if call else f"the {name}"


def assert_shape(actual: Any, shape: tuple[int, ...], *, name: str = "result", call: str | None = None) -> None:
    got = tuple(np.shape(to_numpy(actual)))
    if got != tuple(shape):
        hint = _shape_hint(got, tuple(shape))
        raise AssertionError(f"{_header(call, name)} has shape {got}, expected {tuple(shape)}" + (f"\n  {hint}" if hint else ""))


def _shape_hint(got: tuple[int, ...], want: tuple[int, ...]) -> str:
    if len(got) == len(want) and sorted(got) == sorted(want):
        return "the same axes in another order: a transpose or permute too many (or too few)?"
    if math.prod(got) == math.prod(want):
        return "the same number of elements: a reshape/view into the wrong layout?"
    if len(got) == len(want) - 1:
        return "one axis short: was a dimension reduced (sum/mean without keepdim) or a batch axis dropped?"
    if len(got) == len(want) + 1:
        return "one axis too many: a missing squeeze, or a keepdim=True that should not be there?"
    return ""


def assert_equal(actual: Any, expected: Any, *, name: str = "result", call: str | None = None) -> None:
    """Exact equality for integers, booleans, labels and index arrays."""
    a, e = to_numpy(actual), to_numpy(expected)
    if a.shape != e.shape:
        assert_shape(actual, e.shape, name=name, call=call)
    bad = a != e
    if np.any(bad):
        idx = tuple(int(i) for i in np.argwhere(bad)[0]) if bad.ndim else ()
        where = f" at index {idx}" if idx else ""
        raise AssertionError(
            f"{_header(call, name)} differs from the reference in {int(np.sum(bad))} of {max(a.size, 1)} places\n"
            f"  first difference{where}: got {a[idx] if idx else a!r}, expected {e[idx] if idx else e!r}"
        )


def assert_close(actual: Any, expected: Any, *, rtol: float, atol: float, name: str = "result",
                 call: str | None = None) -> None:
    """`numpy.testing.assert_allclose` semantics, with a message that points at the mistake."""
    a, e = to_numpy(actual), to_numpy(expected)
    if a.shape != e.shape:
        assert_shape(a, e.shape, name=name, call=call)
    a64, e64 = a.astype(np.float64), e.astype(np.float64)
    nan_mismatch = np.isnan(a64) != np.isnan(e64)
    with np.errstate(invalid="ignore"):  # inf - inf where both are inf: handled just below
        diff = np.abs(a64 - e64)
    bad = nan_mismatch | ~(diff <= atol + rtol * np.abs(e64)) & ~(np.isnan(a64) & np.isnan(e64))
    bad &= ~(np.isinf(a64) & (a64 == e64))
    if not np.any(bad):
        return
    lines = [f"{_header(call, name)} differs from the reference (rtol={rtol:g}, atol={atol:g})",
             f"  shape {a.shape}: {int(np.sum(bad))} of {max(a.size, 1)} elements outside tolerance"]
    if a.ndim == 0:
        lines.append(f"  got {a64.item()!r}, expected {e64.item()!r}")
    else:
        masked = np.where(bad, np.nan_to_num(diff, nan=np.inf), -1.0)
        idx = tuple(int(i) for i in np.unravel_index(int(np.argmax(masked)), a.shape))
        lines.append(f"  largest |difference| {diff[idx]:.6g} at index {idx}: got {a64[idx]:.6g}, expected {e64[idx]:.6g}")
    lines += [f"  looks like: {d}" for d in diagnose(a64, e64, rtol=rtol, atol=atol)]
    raise AssertionError("\n".join(lines))


def _close(x: np.ndarray, y: np.ndarray, rtol: float, atol: float) -> bool:
    return x.shape == y.shape and bool(np.allclose(x, y, rtol=rtol, atol=atol, equal_nan=True))


def _factor_name(c: float) -> str:
    if abs(c + 1) < 1e-3:
        return "the sign is flipped everywhere (got = -expected)"
    for label, value in (("c", c), ("1/c", 1 / c if c else math.inf)):
        sq = value * value
        n = round(sq)
        if 2 <= n <= 65536 and abs(sq - n) < 1e-3 * n and round(math.sqrt(n)) ** 2 != n:
            root = f"sqrt({n})"
            return (f"got = expected × {c:.6g} everywhere, and {c:.6g} = " +
                    (root if label == "c" else f"1/{root}") + ": a missing or doubled 1/sqrt(d) scale?")
        n = round(value)
        if 2 <= n <= 65536 and abs(value - n) < 1e-3 * n:
            frac = str(n) if label == "c" else f"1/{n}"
            return f"got = expected × {frac} everywhere: a sum where a mean belongs (or the reverse), or a scale applied twice?"
    return f"got = expected × {c:.6g} everywhere: a constant factor is wrong"


def diagnose(a: np.ndarray, e: np.ndarray, *, rtol: float = 1e-5, atol: float = 1e-8) -> list[str]:
    """Recognisable mistakes, each as a short phrase. Empty when nothing matches."""
    out: list[str] = []
    if a.shape != e.shape or a.size == 0:
        return out
    if np.any(np.isnan(a) & ~np.isnan(e)) or np.any(np.isinf(a) & ~np.isinf(e)):
        out.append("NaN or inf where the reference is finite: an overflowing exp (subtract the max first) or a 0/0?")
        return out
    big = np.abs(e) > 1e-6 * max(float(np.max(np.abs(e))), 1e-12)
    if np.sum(big) >= 2:
        r = a[big] / e[big]
        c = float(np.median(r))
        if c != 0 and np.all(np.abs(r - c) <= 1e-4 * abs(c) + 1e-9) and abs(c - 1) > 1e-4:
            out.append(_factor_name(c))
    d = a - e
    if a.size >= 2 and float(np.ptp(d)) <= atol + rtol * float(np.max(np.abs(e))) and abs(float(np.mean(d))) > atol:
        out.append(f"got = expected + {float(np.mean(d)):.6g} everywhere: a constant offset")
    if a.ndim >= 2 and a.shape[-1] == a.shape[-2] and _close(np.swapaxes(a, -1, -2), e, rtol, atol):
        out.append("the transpose of the expected result: the last two axes are swapped")
    for axis in range(a.ndim):
        n = a.shape[axis]
        if n < 3:
            continue
        for shift in (1, -1):
            rolled = np.roll(a, shift, axis=axis)
            keep = [slice(None)] * a.ndim
            keep[axis] = slice(1, None) if shift == 1 else slice(0, -1)
            if _close(rolled[tuple(keep)], e[tuple(keep)], rtol, atol):
                out.append(f"the expected values shifted by one position along axis {axis}: an off-by-one index or mask?")
                return out
    if a.ndim >= 1 and a.shape[-1] >= 2 and a.size >= 4 and np.all(e >= 0) and np.all(e <= 1):
        es, as_ = e.sum(-1), a.sum(-1)
        if np.allclose(es, 1, atol=1e-4) and not np.allclose(as_, 1, atol=1e-3):
            out.append("the expected rows are probability distributions (sum to 1) and yours are not: softmax over the wrong axis, or no normalisation?")
        elif np.allclose(es, 1, atol=1e-4) and np.allclose(as_, 1, atol=1e-3) and a.ndim >= 2 and a.shape[-1] == a.shape[-2]:
            if np.allclose(np.triu(a, 1), 0, atol=1e-6) != np.allclose(np.triu(e, 1), 0, atol=1e-6):
                out.append("your weights and the reference disagree on which future positions are masked: check the causal mask's diagonal")
    return out

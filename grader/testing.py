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

__all__ = ["assert_close", "assert_equal", "assert_shape", "describe", "describe_call", "to_numpy", "diagnose",
           "call_unmodified", "assert_no_alias", "assert_dtype", "dtype_name", "assert_seeded", "smoke"]


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


# --- Generic clause checks (contract 3b): each promise of a docstring in one line of a test. ---

def _arrays_in(value: Any, path: str) -> list[tuple[str, Any]]:
    """(name, array) for every numpy array or torch tensor in `value`, looking inside lists, tuples and dicts."""
    if isinstance(value, np.ndarray) or (type(value).__module__.startswith("torch") and hasattr(value, "shape")):
        return [(path, value)]
    if isinstance(value, list | tuple):
        return [found for i, v in enumerate(value) for found in _arrays_in(v, f"{path}[{i}]")]
    if isinstance(value, dict):
        return [found for k, v in value.items() for found in _arrays_in(v, f"{path}[{k!r}]")]
    return []


def _snapshot(x: Any) -> Any:
    return x.detach().clone() if hasattr(x, "detach") else np.array(x, copy=True)


def call_unmodified(fn: Any, *args: Any, fn_name: str | None = None, **kwargs: Any) -> Any:
    """Call `fn` with the caller's very arrays and return its result, failing if it changed any of them.

    The contract promises learners' functions leave their inputs alone unless the docstring says
    they work in place; this is that promise's test. Tensors and arrays nested in lists, tuples and
    dicts are checked too."""
    name = fn_name or getattr(fn, "__name__", "the function")
    named = [found for i, a in enumerate(args) for found in _arrays_in(a, f"argument {i + 1}")]
    named += [found for k, v in kwargs.items() for found in _arrays_in(v, k)]
    before = [(label, x, _snapshot(x)) for label, x in named]
    result = fn(*args, **kwargs)
    for label, x, copy in before:
        now, then = to_numpy(x), to_numpy(copy)
        # equal_nan only where NaN exists: numpy refuses it for strings and objects.
        if now.shape != then.shape or not np.array_equal(now, then, equal_nan=now.dtype.kind in "fc"):
            detail = ""
            if now.shape == then.shape:
                changed = np.argwhere(~((now == then) | (np.isnan(now) & np.isnan(then))) if now.dtype.kind in "fc"
                                      else now != then)
                idx = tuple(int(i) for i in changed[0])
                detail = f": {len(changed)} element(s) changed, first at index {idx} ({then[idx].item()!r} -> {now[idx].item()!r})"
            else:
                detail = f": its shape went from {then.shape} to {now.shape}"
            raise AssertionError(f"{name} modified its input {label}{detail}\n"
                                 "  the docstring promises inputs are left unchanged: work on a copy "
                                 "(x = x.copy() / x.clone()), and avoid in-place ops such as +=, [...] =, .add_()")
    return result


def _shares_memory(a: Any, b: Any) -> bool:
    if hasattr(a, "untyped_storage") and hasattr(b, "untyped_storage"):
        return a.untyped_storage().data_ptr() == b.untyped_storage().data_ptr() and a.numel() > 0
    if isinstance(a, np.ndarray) and isinstance(b, np.ndarray):
        return bool(np.shares_memory(a, b))
    return False


def assert_no_alias(result: Any, *inputs: Any, name: str = "result", call: str | None = None) -> None:
    """The result is a copy: it shares no memory with any input, so changing it cannot change them."""
    for out_label, out in _arrays_in(result, name):
        for i, x in enumerate(inputs):
            for in_label, arr in _arrays_in(x, f"input {i + 1}"):
                if _shares_memory(out, arr):
                    raise AssertionError(f"{call or 'the call'}: {out_label} shares memory with {in_label}; the "
                                         "docstring promises a copy (use .copy() / .clone(), not a view)")


def dtype_name(x: Any) -> str:
    """`float32` for numpy arrays, torch tensors and dtypes alike."""
    if isinstance(x, type) or isinstance(x, np.dtype | str):
        return np.dtype(x).name
    dt = getattr(x, "dtype", x)
    return str(dt).removeprefix("torch.")


def assert_dtype(result: Any, expected: Any, *, name: str = "result", call: str | None = None) -> None:
    """`result` has the dtype of `expected` (an array, a tensor or a dtype): "same dtype as x" as a test."""
    got, want = dtype_name(result), dtype_name(expected)
    if got != want:
        hint = ""
        if {got, want} == {"float32", "float64"}:
            hint = ("\n  an upcast or downcast on the way: a float64 constant or np.zeros without dtype=, "
                    "or a missing .astype(x.dtype) / .to(x.dtype)?")
        raise AssertionError(f"{_header(call, name)} has dtype {got}, expected {want}{hint}")


def assert_seeded(run: Any, seed: int, *, name: str = "result", differs: bool = True) -> Any:
    """Same seed, same result; and (with `differs`) another seed, another result.

    `run(seed)` must do work whose outcome depends on its random stream (a run that has not
    converged), or drawing from a global generator instead of the seeded one would pass unseen.
    Returns the first run's result."""
    first, again = run(seed), run(seed)
    pairs = list(zip(_flatten(first), _flatten(again), strict=False))
    for i, (a, b) in enumerate(pairs):
        a_np, b_np = to_numpy(a), to_numpy(b)
        if a_np.shape != b_np.shape or not np.array_equal(a_np, b_np, equal_nan=True):
            raise AssertionError(f"two runs with the same seed {seed} gave different {name} (part {i}): "
                                 "randomness must come only from the seeded generator you were given, never "
                                 "from np.random.* / torch.* global state or an unseeded default_rng()")
    if differs:
        other = run(seed + 1)
        if all(np.array_equal(to_numpy(a), to_numpy(b), equal_nan=True)
               for a, b in zip(_flatten(first), _flatten(other), strict=False)):
            raise AssertionError(f"seeds {seed} and {seed + 1} gave identical {name}: is the seed ignored?")
    return first


def _flatten(x: Any) -> list[Any]:
    if isinstance(x, list | tuple):
        return [v for item in x for v in _flatten(item)]
    if isinstance(x, dict):
        return [v for k in sorted(x, key=str) for v in _flatten(x[k])]
    return [x]


def smoke() -> bool:
    """Whether `benchmark` tests should run at smoke sizes: `grader verify` runs every benchmark this
    way, so a benchmark cannot rot unseen, while `pytest --run-benchmarks` measures at full size.

        sizes = [64] if smoke() else [256, 1024, 4096]
    """
    import os

    return os.environ.get("GRADER_BENCHMARK_SMOKE") == "1"

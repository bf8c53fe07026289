"""Hypothesis strategies shared by every kata's tests, so inputs are drawn the same way everywhere.

Two styles, and when to use which:
- values drawn element by element (`arrays`): small inputs where Hypothesis should shrink a
  failure to the exact offending number;
- a drawn seed expanded with a generator (`normal_arrays`, `tensors`): larger inputs for models
  and attention, where a shrunk seed and shape is the useful report.
Float bounds are exactly representable in float32, as the contract asks.
"""
from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

__all__ = ["seeds", "dims", "even_dims", "floats", "arrays", "normal_arrays", "tensors", "probabilities",
           "float_dtypes", "torch_float_dtypes"]


def seeds() -> st.SearchStrategy[int]:
    return st.integers(min_value=0, max_value=2**31 - 1)


def dims(min_value: int = 1, max_value: int = 8) -> st.SearchStrategy[int]:
    return st.integers(min_value=min_value, max_value=max_value)


def even_dims(min_value: int = 2, max_value: int = 16) -> st.SearchStrategy[int]:
    return st.integers(min_value=(min_value + 1) // 2, max_value=max_value // 2).map(lambda n: 2 * n)


def floats(min_value: float = -10.0, max_value: float = 10.0, width: int = 32) -> st.SearchStrategy[float]:
    return st.floats(min_value=min_value, max_value=max_value, allow_nan=False, allow_infinity=False, width=width)


def arrays(shape: tuple[int, ...] | st.SearchStrategy[tuple[int, ...]], min_value: float = -10.0,
           max_value: float = 10.0, dtype: Any = np.float64) -> st.SearchStrategy[np.ndarray]:
    """Arrays whose every element Hypothesis draws (and can shrink)."""
    width = 32 if np.dtype(dtype) == np.float32 else 64
    return hnp.arrays(dtype, shape, elements=st.floats(min_value, max_value, allow_nan=False, allow_infinity=False,
                                                       width=width))


@st.composite
def normal_arrays(draw: st.DrawFn, shape: tuple[int, ...], scale: float = 1.0, dtype: Any = np.float64) -> np.ndarray:
    """Standard-normal arrays (times `scale`) from a drawn seed."""
    rng = np.random.default_rng(draw(seeds()))
    return (rng.standard_normal(shape) * scale).astype(dtype)


@st.composite
def tensors(draw: st.DrawFn, shape: tuple[int, ...], scale: float = 1.0, dtype: str = "float32") -> Any:
    """Standard-normal torch tensors (times `scale`) from a drawn seed."""
    import torch

    g = torch.Generator().manual_seed(draw(seeds()))
    return (torch.randn(shape, generator=g, dtype=torch.float64) * scale).to(getattr(torch, dtype))


@st.composite
def probabilities(draw: st.DrawFn, n: int) -> np.ndarray:
    """A probability vector of length n with strictly positive entries."""
    raw = draw(arrays((n,), min_value=0.0625, max_value=1.0))
    return raw / raw.sum()


def float_dtypes() -> st.SearchStrategy[Any]:
    """float32 or float64, for "the result has the dtype of x" promises (numpy dtypes)."""
    return st.sampled_from([np.float32, np.float64])


def torch_float_dtypes() -> st.SearchStrategy[Any]:
    """torch.float32 or torch.float64."""
    import torch

    return st.sampled_from([torch.float32, torch.float64])

"""Tests for nlp-02-1, sinusoidal positional encoding.

Reference: the closed form evaluated in float64 numpy, plus the rotation property that makes the
table useful (a shift by k positions is the same block rotation for every position).
"""
import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from grader.strategies import dims, even_dims
from grader.testing import assert_close, assert_shape, describe_call

BASES = st.sampled_from([10000.0, 100.0, 500.0])


def closed_form(seq_len: int, d_model: int, base: float) -> np.ndarray:
    pos = np.arange(seq_len, dtype=np.float64)[:, None]
    i = np.arange(d_model // 2, dtype=np.float64)
    angles = pos / base ** (2 * i / d_model)
    pe = np.empty((seq_len, d_model))
    pe[:, 0::2] = np.sin(angles)
    pe[:, 1::2] = np.cos(angles)
    return pe


@given(seq_len=dims(1, 64), d_model=even_dims(2, 64), base=BASES)
@example(seq_len=1, d_model=2, base=10000.0)
@example(seq_len=64, d_model=64, base=10000.0)
def test_matches_closed_form(kata, seq_len, d_model, base):
    call = describe_call("sinusoidal_positions", seq_len, d_model, base=base)
    got = kata.sinusoidal_positions(seq_len, d_model, base=base)
    assert_shape(got, (seq_len, d_model), call=call)
    assert str(got.dtype) == "torch.float32", f"{call} returned dtype {got.dtype}, expected torch.float32"
    # float32 output of values in [-1, 1]: 1e-6 absolute is a few ulps.
    assert_close(got, closed_form(seq_len, d_model, base), rtol=0, atol=2e-6, call=call)


@given(seq_len=dims(2, 48), d_model=even_dims(2, 32), shift=st.integers(1, 16), base=BASES)
def test_shift_is_the_same_rotation_at_every_position(kata, seq_len, d_model, shift, base):
    """PE[p + k] = R_k PE[p] with R_k independent of p: the property relative attention relies on."""
    pe = np.asarray(kata.sinusoidal_positions(seq_len + shift, d_model, base=base), dtype=np.float64)
    angle = shift / base ** (np.arange(0, d_model, 2) / d_model)
    c, s = np.cos(angle), np.sin(angle)
    sin_p, cos_p = pe[:seq_len, 0::2], pe[:seq_len, 1::2]
    rotated = np.empty((seq_len, d_model))
    rotated[:, 0::2] = sin_p * c + cos_p * s  # sin(a + b)
    rotated[:, 1::2] = cos_p * c - sin_p * s  # cos(a + b)
    assert_close(pe[shift:], rotated, rtol=0, atol=1e-5, name="table shifted by k positions",
                 call=describe_call("sinusoidal_positions", seq_len + shift, d_model, base=base))


@given(seq_len=dims(1, 8), d_model=st.integers(1, 31).filter(lambda d: d % 2 == 1))
def test_rejects_odd_width(kata, seq_len, d_model):
    with pytest.raises(ValueError):
        kata.sinusoidal_positions(seq_len, d_model)


@given(seq_len=st.integers(-3, 8), d_model=st.integers(-4, 8))
@example(seq_len=0, d_model=4)    # an empty table is not a table
@example(seq_len=3, d_model=0)
@example(seq_len=-1, d_model=2)
def test_rejects_sizes_that_are_not_positive(kata, seq_len, d_model):
    if seq_len > 0 and d_model > 0:
        seq_len = -seq_len
    with pytest.raises(ValueError):
        kata.sinusoidal_positions(seq_len, d_model)
        pytest.fail(f"sinusoidal_positions({seq_len}, {d_model}) returned instead of raising ValueError")

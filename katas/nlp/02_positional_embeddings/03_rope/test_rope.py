"""Tests for nlp-02-3, rotary position embedding with interleaved pairs.

Reference: an independent formulation, pairs (2i, 2i+1) read as complex numbers x_2i + j x_2i+1
(torch.view_as_complex) multiplied by e^{j m theta_i} (torch.polar), in float64. Properties: the
norm of every position vector is kept, q(m).k(n) depends only on m - n, and position 0 is the identity.
"""
import math

import pytest
import torch
from hypothesis import example, given
from hypothesis import strategies as st

from grader.strategies import dims, even_dims, seeds
from grader.testing import assert_close, assert_dtype, assert_shape, call_unmodified, describe_call

BASES = st.sampled_from([10000.0, 500.0, 10.0])
LEADING = st.sampled_from([(), (2,), (2, 3)])   # (), (batch,), (batch, heads)
# Float32 angles at positions up to 2048 are off by up to ~1.2e-4 rad (half an ulp of 2048), i.e.
# up to ~6e-4 on entries of size ~5; every pitfall is off by O(1). So 1e-3 accepts float32 maths.
ATOL = 1e-3


def rope_reference(x: torch.Tensor, positions: torch.Tensor, base: float) -> torch.Tensor:
    """Interleaved RoPE as complex multiplication, float64."""
    d = x.shape[-1]
    pairs = torch.view_as_complex(x.double().reshape(*x.shape[:-1], d // 2, 2).contiguous())
    theta = base ** (-torch.arange(0, d, 2, dtype=torch.float64) / d)
    angles = positions.double()[..., None] * theta
    rotated = pairs * torch.polar(torch.ones_like(angles), angles)
    return torch.view_as_real(rotated).reshape(*rotated.shape[:-1], d)


def half_split_reference(x: torch.Tensor, positions: torch.Tensor, base: float) -> torch.Tensor:
    """The other common layout (GPT-NeoX, HF rotate_half): channel i paired with channel i + d/2."""
    d = x.shape[-1]
    perm = torch.arange(d).reshape(2, d // 2).T.flatten()        # [0, d/2, 1, d/2+1, ...]
    out = torch.empty(rope_reference(x[..., perm], positions, base).shape, dtype=torch.float64)
    out[..., perm] = rope_reference(x[..., perm], positions, base)
    return out


def recognise(got: torch.Tensor, x: torch.Tensor, positions: torch.Tensor, base: float) -> str:
    """Name the known wrong convention that `got` matches, if any."""
    d = x.shape[-1]
    candidates = {
        "rotating by -angle: the sign of the sin term is flipped": rope_reference(x, -positions, base),
        "the half-split layout (channel i paired with i + d/2, rotate_half); this kata pairs (2i, 2i+1)":
            half_split_reference(x, positions, base),
        "frequencies base ** (-i/d) instead of base ** (-2i/d)": rope_reference(x, positions, base ** 0.5),
    }
    if d == 2:
        candidates.pop("frequencies base ** (-i/d) instead of base ** (-2i/d)")   # the same single frequency
    got64 = got.detach().double()
    for name, alt in candidates.items():
        if alt.shape == got64.shape and torch.allclose(got64, alt, rtol=0, atol=ATOL):
            return f"\n  looks like: {name}"
    return ""


def draw_positions(seed: int, shape: tuple[int, ...], high: int) -> torch.Tensor:
    return torch.randint(0, high + 1, shape, generator=torch.Generator().manual_seed(seed))


def draw_x(seed: int, shape: tuple[int, ...], dtype: torch.dtype = torch.float32) -> torch.Tensor:
    return torch.randn(shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float64).to(dtype)


def position_shape(leading: tuple[int, ...], seq_len: int, form: int) -> tuple[int, ...]:
    """One of the shapes broadcastable to leading + (T,): form 0 is (T,), the last form the full shape,
    the ones between keep some leading axes and set others to 1 (e.g. (heads, T) or (batch, 1, T))."""
    forms = [(seq_len,), (*leading, seq_len)]
    if leading:
        forms += [(1, seq_len), (*leading[-1:], seq_len), (*leading[:1], *([1] * (len(leading) - 1)), seq_len)]
    return forms[form % len(forms)]


@given(leading=LEADING, seq_len=dims(1, 12), d_head=even_dims(2, 32), base=BASES, form=st.integers(0, 4),
       seed=seeds(), dtype=st.sampled_from([torch.float32, torch.float64]),
       pos_dtype=st.sampled_from([torch.long, torch.int32]))
@example(leading=(), seq_len=1, d_head=2, base=10000.0, form=0, seed=0, dtype=torch.float32, pos_dtype=torch.long)
@example(leading=(2, 3), seq_len=8, d_head=8, base=10000.0, form=0, seed=1, dtype=torch.float32,
         pos_dtype=torch.long)
@example(leading=(2,), seq_len=5, d_head=16, base=500.0, form=1, seed=2, dtype=torch.float64, pos_dtype=torch.long)
@example(leading=(2, 3), seq_len=4, d_head=4, base=10.0, form=3, seed=3, dtype=torch.float64,
         pos_dtype=torch.int32)   # per-head positions (heads, T) for x (batch, heads, T, d)
@example(leading=(2, 3), seq_len=4, d_head=4, base=10.0, form=4, seed=4, dtype=torch.float32,
         pos_dtype=torch.long)    # per-sequence positions (batch, 1, T) shared by the heads
def test_matches_complex_multiplication(kata, leading, seq_len, d_head, base, form, seed, dtype, pos_dtype):
    x = draw_x(seed, (*leading, seq_len, d_head), dtype)
    positions = draw_positions(seed + 1, position_shape(leading, seq_len, form), 2048).to(pos_dtype)
    call = describe_call("apply_rope", x, positions, base=base)
    got = call_unmodified(kata.apply_rope, x, positions, base=base, fn_name="apply_rope")
    assert_shape(got, tuple(x.shape), call=call)
    assert_dtype(got, x, call=call)
    try:
        assert_close(got, rope_reference(x, positions, base), rtol=0, atol=ATOL, call=call)
    except AssertionError as e:
        raise AssertionError(str(e) + recognise(got, x, positions, base)) from None


@given(leading=LEADING, seq_len=dims(1, 12), d_head=even_dims(2, 32), base=BASES, seed=seeds())
def test_keeps_the_norm_of_every_position(kata, leading, seq_len, d_head, base, seed):
    """A rotation of each pair keeps the length of each pair, so of each position vector."""
    x = draw_x(seed, (*leading, seq_len, d_head))
    positions = draw_positions(seed + 1, (seq_len,), 2048)
    got = kata.apply_rope(x, positions, base=base)
    # Norms of float32 vectors: relative error a few ulps, plus the float32-angle slack.
    assert_close(got.double().norm(dim=-1), x.double().norm(dim=-1), rtol=1e-5, atol=1e-5,
                 name="norm of each position vector", call=describe_call("apply_rope", x, positions, base=base))


@given(n_q=dims(1, 6), n_k=dims(1, 6), d_head=even_dims(2, 32), base=BASES,
       offset=st.integers(1, 512), seed=seeds())
@example(n_q=3, n_k=3, d_head=4, base=10000.0, offset=1, seed=0)
def test_scores_depend_only_on_relative_position(kata, n_q, n_k, d_head, base, offset, seed):
    """q(m).k(n) = Re sum_i q_i conj(k_i) e^{j (m - n) theta_i}: shifting m and n together changes nothing."""
    q = draw_x(seed, (n_q, d_head))
    k = draw_x(seed + 1, (n_k, d_head))
    q, k = q / q.norm(dim=-1, keepdim=True), k / k.norm(dim=-1, keepdim=True)  # unit rows: scores in [-1, 1]
    m, n = draw_positions(seed + 2, (n_q,), 512), draw_positions(seed + 3, (n_k,), 512)
    scores = kata.apply_rope(q, m, base=base).double() @ kata.apply_rope(k, n, base=base).double().T
    shifted = kata.apply_rope(q, m + offset, base=base).double() @ kata.apply_rope(k, n + offset, base=base).double().T
    # Unit vectors: float32 angles below 1024 (error <= 6e-5 rad each) move a score by < 2e-4.
    assert_close(shifted, scores, rtol=0, atol=5e-4, name=f"q.k scores after shifting both positions by {offset}",
                 call=describe_call("apply_rope", q, m, base=base) + " . " + describe_call("apply_rope", k, n, base=base))


@given(leading=LEADING, seq_len=dims(1, 12), d_head=even_dims(2, 32), base=BASES, seed=seeds())
def test_position_zero_is_the_identity(kata, leading, seq_len, d_head, base, seed):
    x = draw_x(seed, (*leading, seq_len, d_head))
    positions = torch.zeros(seq_len, dtype=torch.long)
    # cos 0 = 1 and sin 0 = 0 exactly: only rounding of x * 1 - y * 0 remains.
    assert_close(kata.apply_rope(x, positions, base=base), x, rtol=0, atol=1e-6,
                 name="rotation at position 0", call=describe_call("apply_rope", x, positions, base=base))


@given(seq_len=dims(1, 4), d_head=st.integers(1, 15).filter(lambda d: d % 2 == 1))
def test_rejects_odd_width(kata, seq_len, d_head):
    x = torch.zeros(seq_len, d_head)
    with pytest.raises(ValueError):
        kata.apply_rope(x, torch.arange(seq_len))
        pytest.fail(f"apply_rope on x of shape {tuple(x.shape)} (odd d_head) did not raise ValueError")


def test_first_pair_turns_one_radian_per_position(kata):
    """A worked example: pair 0 has theta_0 = 1, so (1, 0) at position 1 becomes (cos 1, sin 1)."""
    x = torch.tensor([[1.0, 0.0, 1.0, 0.0]], dtype=torch.float64)
    got = kata.apply_rope(x, torch.tensor([1]), base=10000.0)
    want = [[math.cos(1), math.sin(1), math.cos(0.01), math.sin(0.01)]]   # theta_1 = 10000 ** (-2/4)
    assert_close(got, want, rtol=0, atol=1e-6, call=describe_call("apply_rope", x, [1], base=10000.0))

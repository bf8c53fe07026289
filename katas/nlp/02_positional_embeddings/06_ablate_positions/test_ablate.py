"""Tests for nlp-02-6, ablating positions from self-attention.

Reference: torch.nn.functional.scaled_dot_product_attention in float64 (outputs; the weights are
its output for identity values), scipy.stats.entropy for the collapse metric, and the exact
properties a position-free model must have: permuting the tokens permutes the outputs, identical
tokens attend uniformly (weights 1/T, entropy log T), and a mean-pooled readout ignores the order.
"""
import math

import numpy as np
import torch
import torch.nn.functional as F
from hypothesis import assume, example, given
from hypothesis import strategies as st
from scipy.stats import entropy

from grader.strategies import dims, even_dims, seeds
from grader.testing import assert_close, describe_call

LEADING = st.sampled_from([(), (2,)])
# Float64 throughout: rounding differences between equivalent orders of summation are ~1e-15.
TOL = 1e-10


def sinusoidal_table_reference(seq_len: int, d_model: int) -> torch.Tensor:
    angles = np.arange(seq_len)[:, None] / 10000.0 ** (np.arange(0, d_model, 2) / d_model)
    return torch.from_numpy(np.stack([np.sin(angles), np.cos(angles)], axis=-1).reshape(seq_len, d_model))


def numpy_attention(h: np.ndarray, w_q: torch.Tensor, w_k: torch.Tensor, w_v: torch.Tensor) -> tuple[np.ndarray, ...]:
    """Unmasked scaled dot-product attention in float64 numpy (a second, torch-free reference)."""
    q, k, v = (h @ w.numpy() for w in (w_q, w_k, w_v))
    scores = q @ np.swapaxes(k, -1, -2) / math.sqrt(q.shape[-1])
    a = np.exp(scores - scores.max(-1, keepdims=True))
    a /= a.sum(-1, keepdims=True)
    return a @ v, a


def with_hint(check, hint: str) -> None:
    """Run an assertion; on failure append a hint naming the likely mistake (empty hint: none)."""
    try:
        check()
    except AssertionError as e:
        raise AssertionError(f"{e}\n  looks like: {hint}" if hint else str(e)) from None


def weights_hint(weights: torch.Tensor) -> str:
    w = weights.detach().double()
    if w.shape[-1] > 1 and torch.all(torch.triu(w, 1) == 0):
        return "a causal mask: every weight above the diagonal is 0, but this attention is unmasked"
    return ""


def entropy_hint(got: float, want: float, n_rows: int) -> str:
    if want > 1e-9 and abs(got * math.log(2) - want) < 1e-9 * max(1.0, want):
        return "entropy in bits (log2); use the natural log (nats)"
    if n_rows > 1 and want > 1e-9 and abs(got - n_rows * want) < 1e-9 * max(1.0, n_rows * want):
        return f"the row entropies summed over the {n_rows} rows instead of averaged"
    return ""


def weights_for(seed: int, d_model: int, d_k: int, d_v: int, scale: float = 1.0) -> tuple[torch.Tensor, ...]:
    g = torch.Generator().manual_seed(seed)
    return tuple(torch.randn(d_model, d, generator=g, dtype=torch.float64) * scale / math.sqrt(d_model)
                 for d in (d_k, d_k, d_v))


def tokens_for(seed: int, shape: tuple[int, ...]) -> torch.Tensor:
    return torch.randn(shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)


def sdpa_reference(x: torch.Tensor, pe: torch.Tensor | None, w_q: torch.Tensor, w_k: torch.Tensor,
                   w_v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    h = x if pe is None else x + pe[: x.shape[-2]]
    q, k, v = h @ w_q, h @ w_k, h @ w_v
    eye = torch.eye(x.shape[-2], dtype=torch.float64).expand(*x.shape[:-1], x.shape[-2])
    return F.scaled_dot_product_attention(q, k, v), F.scaled_dot_product_attention(q, k, eye)


@given(leading=LEADING, seq_len=dims(1, 8), d_model=even_dims(2, 12), d_k=dims(1, 8), d_v=dims(1, 8),
       with_pe=st.booleans(), seed=seeds(), scale=st.sampled_from([1.0, 4.0]))
@example(leading=(), seq_len=1, d_model=2, d_k=1, d_v=1, with_pe=True, seed=0, scale=1.0)
@example(leading=(2,), seq_len=6, d_model=8, d_k=4, d_v=3, with_pe=True, seed=1, scale=4.0)
def test_matches_sdpa(kata, leading, seq_len, d_model, d_k, d_v, with_pe, seed, scale):
    x = tokens_for(seed, (*leading, seq_len, d_model))
    w_q, w_k, w_v = weights_for(seed + 1, d_model, d_k, d_v, scale)
    pe = sinusoidal_table_reference(seq_len + 2, d_model) if with_pe else None   # longer than T: use pe[:T]
    call = describe_call("attention_with_positions", x, pe, w_q, w_k, w_v)
    out, weights = kata.attention_with_positions(x, pe, w_q, w_k, w_v)
    want_out, want_weights = sdpa_reference(x, pe, w_q, w_k, w_v)
    with_hint(lambda: assert_close(weights, want_weights, rtol=0, atol=TOL, name="weights", call=call),
              weights_hint(weights))
    assert_close(out, want_out, rtol=0, atol=TOL, name="out", call=call)


@given(leading=LEADING, perm=st.integers(1, 8).flatmap(lambda n: st.permutations(range(n))),
       d_model=even_dims(2, 12), seed=seeds())
@example(leading=(), perm=[1, 0], d_model=4, seed=0)
@example(leading=(2,), perm=[3, 0, 4, 1, 2], d_model=6, seed=1)
def test_without_positions_permuting_tokens_permutes_outputs(kata, leading, perm, d_model, seed):
    """f(P x) = P f(x): without positions, attention cannot see order, only content."""
    perm = torch.tensor(perm)
    x = tokens_for(seed, (*leading, len(perm), d_model))
    w_q, w_k, w_v = weights_for(seed + 1, d_model, 4, 3)
    call = describe_call("attention_with_positions", x[..., perm, :], None, w_q, w_k, w_v) + f" with perm={perm.tolist()}"
    out, weights = kata.attention_with_positions(x, None, w_q, w_k, w_v)
    out_p, weights_p = kata.attention_with_positions(x[..., perm, :], None, w_q, w_k, w_v)
    assert_close(out_p, out[..., perm, :], rtol=0, atol=TOL, name="output of the permuted tokens (vs permuted output)",
                 call=call)
    assert_close(weights_p, weights[..., perm, :][..., :, perm], rtol=0, atol=TOL,
                 name="weights of the permuted tokens (vs P W P^T)", call=call)


@given(seq_len=dims(1, 10), d_model=even_dims(2, 12), seed=seeds(), scale=st.sampled_from([1.0, 8.0]))
@example(seq_len=1, d_model=2, seed=0, scale=1.0)
@example(seq_len=7, d_model=8, seed=1, scale=8.0)
def test_identical_tokens_without_positions_attend_uniformly(kata, seq_len, d_model, seed, scale):
    """All T tokens equal and no positions: every score ties, every row is 1/T, every output is e @ w_v."""
    e = tokens_for(seed, (d_model,))
    x = e.expand(seq_len, d_model).clone()
    w_q, w_k, w_v = weights_for(seed + 1, d_model, 4, 3, scale)
    call = describe_call("attention_with_positions", x, None, w_q, w_k, w_v) + " (all tokens identical)"
    out, weights = kata.attention_with_positions(x, None, w_q, w_k, w_v)
    assert_close(weights, torch.full((seq_len, seq_len), 1.0 / seq_len, dtype=torch.float64), rtol=0, atol=TOL,
                 name="weights (uniform 1/T: collapsed)", call=call)
    assert_close(out, (e @ w_v).expand(seq_len, -1), rtol=0, atol=TOL, name="out (every row e @ w_v)", call=call)
    got = kata.attention_entropy(weights)
    with_hint(lambda: assert_close(got, math.log(seq_len), rtol=0, atol=TOL,
                                   name="attention_entropy of the collapsed map (log T)", call=call),
              entropy_hint(float(got), math.log(seq_len), seq_len))


@given(seq_len=dims(2, 10), d_model=even_dims(4, 12), seed=seeds(), learned=st.booleans())
@example(seq_len=4, d_model=8, seed=0, learned=False)
def test_positions_break_the_collapse(kata, seq_len, d_model, seed, learned):
    """The same identical tokens plus positions (sinusoidal or learned-like random): no longer uniform."""
    e = tokens_for(seed, (d_model,))
    x = e.expand(seq_len, d_model).clone()
    pe = tokens_for(seed + 2, (seq_len, d_model)) if learned else sinusoidal_table_reference(seq_len, d_model)
    w_q, w_k, w_v = weights_for(seed + 1, d_model, 4, 3, scale=4.0)
    _, want = numpy_attention((x + pe).numpy(), w_q, w_k, w_v)
    want_entropy = float(np.mean(entropy(want, axis=-1)))
    assume(want_entropy < math.log(seq_len) - 1e-3)     # generic weights: almost always far from uniform
    call = describe_call("attention_with_positions", x, pe, w_q, w_k, w_v) + " (all tokens identical)"
    _, weights = kata.attention_with_positions(x, pe, w_q, w_k, w_v)
    assert_close(weights, want, rtol=0, atol=TOL, name="weights", call=call)
    got_entropy = float(kata.attention_entropy(weights))
    if not got_entropy < math.log(seq_len) - 5e-4:
        raise AssertionError(f"{call}: with positions the attention should not be uniform; attention_entropy "
                             f"returned {got_entropy:.6g}, log T = {math.log(seq_len):.6g}, scipy says {want_entropy:.6g}")


@given(leading=st.sampled_from([(), (3,), (2, 2)]), n_q=dims(1, 6), n_k=dims(1, 8), seed=seeds(),
       sharpness=st.sampled_from([0.5, 2.0, 10.0]), zeros=st.booleans())
@example(leading=(), n_q=3, n_k=4, seed=0, sharpness=1.0, zeros=True)
@example(leading=(2, 2), n_q=2, n_k=1, seed=1, sharpness=1.0, zeros=False)
def test_entropy_matches_scipy(kata, leading, n_q, n_k, seed, sharpness, zeros):
    g = torch.Generator().manual_seed(seed)
    logits = torch.randn(*leading, n_q, n_k, generator=g, dtype=torch.float64).numpy() * sharpness
    raw = np.exp(logits - logits.max(-1, keepdims=True))
    if zeros:   # exact zeros, as a causal mask or a one-hot row produce: 0 log 0 must count as 0
        raw = np.where(np.tri(n_q, n_k, dtype=bool), raw, 0.0)
    weights = torch.from_numpy(raw / raw.sum(-1, keepdims=True))
    call = describe_call("attention_entropy", weights)
    want = entropy(weights.numpy(), axis=-1).mean(axis=-1)
    got = kata.attention_entropy(weights)
    flat_got = np.asarray(got, dtype=np.float64).reshape(-1)
    hint = entropy_hint(float(flat_got[0]), float(want.reshape(-1)[0]), n_q) if flat_got.size else ""
    with_hint(lambda: assert_close(got, want, rtol=1e-12, atol=1e-12, call=call), hint)


def test_entropy_worked_example(kata):
    """Rows uniform over 4 keys (log 4) and one-hot (0): the mean is log(4) / 2 = 0.6931..."""
    weights = torch.tensor([[0.25, 0.25, 0.25, 0.25], [0.0, 1.0, 0.0, 0.0]], dtype=torch.float64)
    assert_close(kata.attention_entropy(weights), math.log(4) / 2, rtol=0, atol=1e-12,
                 call=describe_call("attention_entropy", weights))


@given(leading=LEADING, perm=st.integers(2, 8).flatmap(lambda n: st.permutations(range(n))),
       d_model=even_dims(4, 12), seed=seeds(), with_pe=st.booleans())
@example(leading=(), perm=[1, 0], d_model=4, seed=0, with_pe=True)
@example(leading=(2,), perm=[2, 0, 1], d_model=8, seed=1, with_pe=False)
def test_pooled_readout_sees_order_only_with_positions(kata, leading, perm, d_model, seed, with_pe):
    perm = torch.tensor(perm)
    seq_len = len(perm)
    x = tokens_for(seed, (*leading, seq_len, d_model))
    w_q, w_k, w_v = weights_for(seed + 1, d_model, 4, 3, scale=4.0)
    pe = sinusoidal_table_reference(seq_len, d_model) if with_pe else None
    call = describe_call("pooled_order_gap", x, perm, pe, w_q, w_k, w_v) + f" with perm={perm.tolist()}"
    got = kata.pooled_order_gap(x, perm, pe, w_q, w_k, w_v)
    if pe is None:
        want = torch.zeros(leading, dtype=torch.float64)
    else:
        pooled = numpy_attention((x + pe).numpy(), w_q, w_k, w_v)[0].mean(-2)
        pooled_perm = numpy_attention((x[..., perm, :] + pe).numpy(), w_q, w_k, w_v)[0].mean(-2)
        want = np.linalg.norm(pooled - pooled_perm, axis=-1)
    assert_close(got, want, rtol=0, atol=TOL, call=call)

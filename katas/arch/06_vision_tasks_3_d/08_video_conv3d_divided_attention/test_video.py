"""Tests for arch-06-8, 3-D convolution and divided space-time attention.

References: torch.nn.functional.conv3d; torch.nn.functional.scaled_dot_product_attention on the
reshaped token grid; and the structure divided attention promises, checked with autograd: after the
temporal step a token depends only on its own spatial position, and one divided block reaches every
token of the clip.
"""
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, call_unmodified, describe_call


@given(b=st.integers(1, 2), c=st.integers(1, 3), o=st.integers(1, 3), size=st.tuples(st.integers(1, 5),
       st.integers(1, 5), st.integers(1, 5)), k=st.tuples(st.integers(1, 3), st.integers(1, 3), st.integers(1, 3)),
       stride=st.integers(1, 3), padding=st.integers(0, 2), use_bias=st.booleans(), seed=seeds())
def test_conv3d_matches_torch(kata, b, c, o, size, k, stride, padding, use_bias, seed):
    if any(s + 2 * padding < kk for s, kk in zip(size, k, strict=True)):
        size = tuple(max(s, kk) for s, kk in zip(size, k, strict=True))
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(b, c, *size, generator=g, dtype=torch.float64)
    w = torch.randn(o, c, *k, generator=g, dtype=torch.float64)
    bias = torch.randn(o, generator=g, dtype=torch.float64) if use_bias else None
    call = describe_call("conv3d", x, w, bias, stride=stride, padding=padding)
    got = call_unmodified(kata.conv3d, x, w, bias, stride=stride, padding=padding, fn_name="conv3d")
    assert_close(got, F.conv3d(x, w, bias, stride=stride, padding=padding), rtol=1e-10, atol=1e-10, call=call)


def test_conv3d_defaults(kata):
    g = torch.Generator().manual_seed(0)
    x, w = torch.randn(1, 2, 4, 5, 3, generator=g, dtype=torch.float64), torch.randn(3, 2, 2, 2, 2, generator=g,
                                                                                        dtype=torch.float64)
    assert_close(kata.conv3d(x, w), F.conv3d(x, w), rtol=1e-10, atol=1e-10, name="conv3d with no bias, stride 1, "
                 "no padding", call=describe_call("conv3d", x, w))


@given(bad=st.sampled_from([(0, 0), (-1, 0), (1, -1)]))
def test_conv3d_rejects_bad_arguments(kata, bad):
    with pytest.raises(ValueError):
        kata.conv3d(torch.zeros(1, 1, 3, 3, 3), torch.zeros(1, 1, 2, 2, 2), stride=bad[0], padding=bad[1])
        pytest.fail(f"conv3d(stride={bad[0]}, padding={bad[1]}) returned instead of raising ValueError")


def weights(g: torch.Generator, d: int) -> tuple[torch.Tensor, ...]:
    return tuple(torch.randn(d, d, generator=g, dtype=torch.float64) / d ** 0.5 for _ in range(3))


def sdpa(x: torch.Tensor, w: tuple[torch.Tensor, ...]) -> torch.Tensor:
    return F.scaled_dot_product_attention(x @ w[0], x @ w[1], x @ w[2])


@given(b=st.integers(1, 2), t=st.integers(1, 4), n=st.integers(1, 5), d=st.sampled_from([2, 4, 8]), seed=seeds())
def test_divided_attention_matches_sdpa(kata, b, t, n, d, seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(b, t, n, d, generator=g, dtype=torch.float64)
    tw, sw = weights(g, d), weights(g, d)
    call = describe_call("divided_attention", x, "time_w", "space_w")
    got = call_unmodified(kata.divided_attention, x, tw, sw, fn_name="divided_attention")
    mid = x + sdpa(x.permute(0, 2, 1, 3), tw).permute(0, 2, 1, 3)
    assert_close(got, mid + sdpa(mid, sw), rtol=1e-9, atol=1e-10, call=call)


@settings(max_examples=10)
@given(t=st.integers(2, 4), n=st.integers(2, 4), seed=seeds(), data=st.data())
def test_temporal_step_stays_at_its_patch_and_the_block_reaches_everything(kata, t, n, seed, data):
    g = torch.Generator().manual_seed(seed)
    d = 4
    x = torch.randn(1, t, n, d, generator=g, dtype=torch.float64, requires_grad=True)
    tw, sw = weights(g, d), weights(g, d)
    ti, ni = data.draw(st.integers(0, t - 1), label="t"), data.draw(st.integers(0, n - 1), label="n")
    zero = tuple(torch.zeros(d, d, dtype=torch.float64) for _ in range(3))
    only_time = kata.divided_attention(x, tw, zero)       # spatial values are 0: the block is x + temporal(x)
    (grad,) = torch.autograd.grad(only_time[0, ti, ni].sum(), x)
    reach = grad[0].abs().sum(-1) > 0
    want = torch.zeros(t, n, dtype=torch.bool)
    want[:, ni] = True
    assert torch.equal(reach, want), (f"after the temporal step, token (t={ti}, n={ni}) depends on {reach.int().tolist()}"
                                      "; it must depend on every frame at its own patch and nothing else")
    (grad,) = torch.autograd.grad(kata.divided_attention(x, tw, sw)[0, ti, ni].sum(), x)
    assert bool((grad[0].abs().sum(-1) > 0).all()), "one divided block must reach every token of the clip"

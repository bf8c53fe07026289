"""Tests for dl-04-4, the receptive-field calculator.

Reference: the empirical receptive field. The test builds the same stack in torch (Conv1d with
all-ones weights for conv layers, AvgPool1d for pooling layers, so every path has a positive
weight), takes the gradient of one output unit with respect to a long input, and reads off the
first and last input positions with a nonzero gradient, for two neighbouring output units.
"""
import pytest
import torch
from hypothesis import assume, example, given
from hypothesis import strategies as st

from grader.testing import assert_equal, describe_call

N_INPUT = 400


@st.composite
def stacks(draw: st.DrawFn) -> list[tuple]:
    layers, strides = [], 0
    for _ in range(draw(st.integers(1, 5))):
        pool = draw(st.booleans())
        k = draw(st.integers(1, 4))
        s = draw(st.integers(1, 2 if strides < 3 else 1))
        strides += s > 1
        d = 1 if pool else draw(st.integers(1, 3))
        p = draw(st.integers(0, k // 2))
        layers.append(("pool" if pool else "conv", k, s, p, d))
    return layers


def torch_stack(layers: list[tuple]) -> torch.nn.Sequential:
    mods = []
    for kind, k, s, p, d in layers:
        if kind == "conv":
            conv = torch.nn.Conv1d(1, 1, k, stride=s, padding=p, dilation=d, bias=False).double()
            torch.nn.init.ones_(conv.weight)
            mods.append(conv)
        else:
            mods.append(torch.nn.AvgPool1d(k, stride=s, padding=p))
    return torch.nn.Sequential(*mods)


def empirical_window(layers: list[tuple], index: int) -> tuple[int, int] | None:
    x = torch.ones(1, 1, N_INPUT, dtype=torch.float64, requires_grad=True)
    y = torch_stack(layers)(x)
    if index >= y.shape[-1]:
        return None
    (g,) = torch.autograd.grad(y[0, 0, index], x)
    nz = torch.nonzero(g[0, 0]).flatten()
    return int(nz.min()), int(nz.max())


def geometry(layers: list[tuple]) -> list[tuple[int, int, int, int]]:
    return [(k, s, p, d) for _, k, s, p, d in layers]


@given(layers=stacks(), where=st.floats(0.3, 0.7))
@example(layers=[("conv", 3, 1, 1, 1)], where=0.5)
@example(layers=[("conv", 3, 2, 1, 1), ("conv", 3, 2, 1, 1), ("conv", 3, 1, 1, 1)], where=0.5)
@example(layers=[("conv", 2, 1, 0, 1), ("conv", 2, 1, 0, 2), ("conv", 2, 1, 0, 4)], where=0.5)  # WaveNet-style
@example(layers=[("pool", 2, 2, 0, 1), ("conv", 3, 1, 2, 3)], where=0.4)
def test_window_matches_the_gradient_footprint(kata, layers, where):
    geo = geometry(layers)
    out_len = torch_stack(layers)(torch.zeros(1, 1, N_INPUT, dtype=torch.float64)).shape[-1]
    i = int(where * (out_len - 2))
    windows = [empirical_window(layers, i), empirical_window(layers, i + 1)]
    assume(all(w is not None and 0 < w[0] and w[1] < N_INPUT - 1 for w in windows))  # not clipped by the input ends
    for idx, want in zip((i, i + 1), windows, strict=True):
        call = describe_call("input_window", geo, idx)
        assert_equal(tuple(kata.input_window(geo, idx)), want,
                     name="(first, last) input position (vs the nonzero input gradient)", call=call)
    (r, J, L) = kata.receptive_fields(geo)[-1]
    (lo, hi), (lo2, _) = windows
    call = describe_call("receptive_fields", geo)
    assert_equal((r, J, L), (hi - lo + 1, lo2 - lo, lo - i * (lo2 - lo)),
                 name="(r, J, L) of the last layer (vs the measured window size, shift and offset)", call=call)


@given(layers=stacks())
def test_one_triple_per_layer_consistent_with_prefixes(kata, layers):
    geo = geometry(layers)
    got = kata.receptive_fields(geo)
    assert len(got) == len(geo), f"receptive_fields({geo}) returned {len(got)} triples, expected one per layer"
    for n in range(1, len(geo) + 1):
        assert_equal(tuple(got[n - 1]), tuple(kata.receptive_fields(geo[:n])[-1]),
                     name=f"triple after layer {n} (vs the stack cut after layer {n})",
                     call=describe_call("receptive_fields", geo))


@given(index=st.integers(0, 20))
def test_no_layers_is_the_identity(kata, index):
    assert list(kata.receptive_fields([])) == [], "receptive_fields([]) should be []"
    assert_equal(tuple(kata.input_window([], index)), (index, index), call=describe_call("input_window", [], index))


@given(bad=st.sampled_from([(0, 1, 0, 1), (3, 0, 0, 1), (3, 1, -1, 1), (3, 1, 0, 0)]))
def test_invalid_layers_raise(kata, bad):
    with pytest.raises(ValueError):
        kata.receptive_fields([(3, 1, 1, 1), bad])

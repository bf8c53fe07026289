"""Tests for nlp-08-1, a 2-expert (or n-expert) router layer.

Reference: the routing recomputed in float64 numpy (softmax over the experts, stable argsort for
the top-k), the layer's output recomputed as the *dense* loop over every expert weighted by the
(N, n_experts) gate matrix (zero for experts a token did not choose), the router's gradient from
autograd through that dense formula, and forward hooks that record which tokens each expert ran on.
"""
import numpy as np
import torch
import torch.nn.functional as F
from hypothesis import assume, example, given
from hypothesis import strategies as st

from grader.strategies import dims, seeds, torch_float_dtypes
from grader.testing import (
    assert_close,
    assert_dtype,
    assert_equal,
    assert_shape,
    call_unmodified,
    describe_call,
)

LEADING = st.sampled_from([(5,), (2, 3), (1,), (3, 1, 4)])
# Float64 on both sides; only the order of summation differs.
TOL = 1e-10


def numpy_route(logits: np.ndarray, top_k: int, renormalize: bool) -> tuple[np.ndarray, np.ndarray]:
    p = np.exp(logits - logits.max(-1, keepdims=True))
    p /= p.sum(-1, keepdims=True)
    idx = np.argsort(-p, axis=-1, kind="stable")[:, :top_k]
    gates = np.take_along_axis(p, idx, axis=-1)
    if renormalize:
        gates = gates / gates.sum(-1, keepdims=True)
    return idx, gates


def clear_top_k(logits: np.ndarray, top_k: int) -> bool:
    """No near-tie between a token's k-th and (k+1)-th expert (or within its top k): the choice is unambiguous."""
    s = np.sort(logits, axis=-1)[:, ::-1]
    return bool(np.all(np.diff(s, axis=-1) < -1e-6))


def random_layer(kata, d_model: int, d_ff: int, n_experts: int, top_k: int, renormalize: bool, seed: int):
    torch.manual_seed(seed)
    layer = kata.MoELayer(d_model, d_ff, n_experts=n_experts, top_k=top_k, renormalize=renormalize).double()
    g = torch.Generator().manual_seed(seed + 1)
    with torch.no_grad():
        for p in layer.parameters():
            p.copy_(torch.randn(p.shape, generator=g, dtype=torch.float64) * 0.7)
    return layer


def expert_reference(layer, e: int, x: torch.Tensor) -> torch.Tensor:
    ex = layer.experts[e]
    return F.linear(F.gelu(F.linear(x, ex.fc1.weight, ex.fc1.bias)), ex.fc2.weight, ex.fc2.bias)


def dense_reference(layer, flat: torch.Tensor, top_k: int, renormalize: bool) -> tuple[torch.Tensor, np.ndarray]:
    """sum_e G[n, e] * expert_e(x_n) over every expert: the layer's meaning, with no gather/scatter."""
    logits = F.linear(flat, layer.router.weight)
    probs = torch.softmax(logits, dim=-1)
    idx, _ = numpy_route(logits.detach().numpy(), top_k, renormalize)
    chosen = torch.zeros_like(probs, dtype=torch.bool)
    chosen[torch.arange(flat.shape[0])[:, None], torch.from_numpy(idx)] = True
    dense_gates = torch.where(chosen, probs, torch.zeros_like(probs))
    if renormalize:
        dense_gates = dense_gates / dense_gates.sum(-1, keepdim=True)
    out = sum(dense_gates[:, e, None] * expert_reference(layer, e, flat) for e in range(len(layer.experts)))
    return out, idx


@given(n=dims(1, 12), n_experts=st.integers(2, 6), seed=seeds(), renormalize=st.booleans(),
       sharpness=st.sampled_from([0.5, 3.0]), data=st.data(), dtype=torch_float_dtypes())
@example(n=4, n_experts=2, seed=0, renormalize=False, sharpness=1.0, data=None, dtype=torch.float64)
@example(n=3, n_experts=2, seed=1, renormalize=True, sharpness=1.0, data=None, dtype=torch.float32)
@example(n=1, n_experts=3, seed=2, renormalize=True, sharpness=3.0, data=None, dtype=torch.float64)
def test_route_is_softmax_then_top_k(kata, n, n_experts, seed, renormalize, sharpness, data, dtype):
    top_k = data.draw(st.integers(1, n_experts), label="top_k") if data is not None else (
        1 if n_experts == 2 and not renormalize else 2)
    logits = (torch.randn(n, n_experts, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
              * sharpness).to(dtype)
    assume(clear_top_k(logits.double().numpy(), top_k))   # no near-tie: which expert wins is then undefined
    call = describe_call("route", logits, top_k, renormalize=renormalize)
    idx, gates = call_unmodified(kata.route, logits, top_k, renormalize=renormalize, fn_name="route")
    want_idx, want_gates = numpy_route(logits.double().numpy(), top_k, renormalize)
    assert_shape(idx, (n, top_k), name="expert_idx", call=call)
    assert idx.dtype == torch.long, f"{call} returned expert_idx of dtype {idx.dtype}, expected torch.long"
    assert_dtype(gates, logits, name="gates", call=call)
    assert_equal(idx, want_idx, name="expert_idx (each token's experts, most probable first)", call=call)
    # float64 softmax: 1e-12; float32: a few ulps of values <= 1.
    assert_close(gates, want_gates, rtol=0, atol=1e-12 if dtype == torch.float64 else 1e-6, name="gates", call=call)


@given(leading=LEADING, d_model=dims(1, 6), d_ff=dims(1, 8), n_experts=st.integers(2, 4), seed=seeds(),
       renormalize=st.booleans(), data=st.data())
@example(leading=(2, 3), d_model=4, d_ff=6, n_experts=2, seed=0, renormalize=False, data=None)
@example(leading=(5,), d_model=3, d_ff=4, n_experts=4, seed=1, renormalize=True, data=None)
def test_forward_equals_the_dense_loop_over_experts(kata, leading, d_model, d_ff, n_experts, seed, renormalize, data):
    top_k = data.draw(st.integers(1, n_experts), label="top_k") if data is not None else (1 if n_experts == 2 else 2)
    layer = random_layer(kata, d_model, d_ff, n_experts, top_k, renormalize, seed)
    x = torch.randn(*leading, d_model, generator=torch.Generator().manual_seed(seed + 2), dtype=torch.float64)
    flat = x.reshape(-1, d_model)
    assume(clear_top_k(F.linear(flat, layer.router.weight).detach().numpy(), top_k))
    call = describe_call(f"MoELayer(d_model={d_model}, d_ff={d_ff}, n_experts={n_experts}, top_k={top_k}, "
                         f"renormalize={renormalize})", x)
    with torch.no_grad():
        got = layer(x)
        want, _ = dense_reference(layer, flat, top_k, renormalize)
    assert_shape(got, tuple(x.shape), call=call)
    assert got.dtype == x.dtype, f"{call} returned dtype {got.dtype}, expected {x.dtype}"
    assert_close(got, want.reshape(x.shape), rtol=TOL, atol=TOL, call=call)


@given(n=dims(1, 10), d_model=dims(1, 5), n_experts=st.integers(2, 4), seed=seeds())
@example(n=6, d_model=3, n_experts=2, seed=0)
def test_all_experts_chosen_is_the_soft_mixture(kata, n, d_model, n_experts, seed):
    """top_k = n_experts: y = sum_e softmax(router(x))_e * expert_e(x), no top-k involved at all."""
    layer = random_layer(kata, d_model, 5, n_experts, n_experts, False, seed)
    x = torch.randn(n, d_model, generator=torch.Generator().manual_seed(seed + 2), dtype=torch.float64)
    call = describe_call(f"MoELayer(d_model={d_model}, n_experts={n_experts}, top_k={n_experts})", x)
    with torch.no_grad():
        got = layer(x)
        probs = torch.softmax(x @ layer.router.weight.T, dim=-1)
        want = sum(probs[:, e, None] * expert_reference(layer, e, x) for e in range(n_experts))
    assert_close(got, want, rtol=TOL, atol=TOL, call=call)


@given(n=dims(1, 16), d_model=dims(1, 5), n_experts=st.integers(2, 5), seed=seeds(), data=st.data())
@example(n=8, d_model=3, n_experts=2, seed=0, data=None)
def test_each_expert_runs_only_on_its_tokens(kata, n, d_model, n_experts, seed, data):
    top_k = data.draw(st.integers(1, n_experts - 1), label="top_k") if data is not None else 1
    layer = random_layer(kata, d_model, 4, n_experts, top_k, False, seed)
    x = torch.randn(n, d_model, generator=torch.Generator().manual_seed(seed + 2), dtype=torch.float64)
    logits = (x @ layer.router.weight.T).detach().numpy()
    assume(clear_top_k(logits, top_k))
    want_idx, _ = numpy_route(logits, top_k, False)
    seen: dict[int, list[torch.Tensor]] = {e: [] for e in range(n_experts)}
    handles = [ex.register_forward_hook(lambda m, args, out, e=e: seen[e].append(args[0].detach().clone()))
               for e, ex in enumerate(layer.experts)]
    try:
        with torch.no_grad():
            layer(x)
    finally:
        for h in handles:
            h.remove()
    call = describe_call(f"MoELayer(d_model={d_model}, n_experts={n_experts}, top_k={top_k})", x)
    for e in range(n_experts):
        want_tokens = sorted(np.nonzero((want_idx == e).any(-1))[0].tolist())
        calls = seen[e]
        assert len(calls) <= 1, f"{call}: expert {e} was called {len(calls)} times; call each expert once per forward"
        rows = calls[0].reshape(-1, d_model) if calls else torch.zeros(0, d_model, dtype=torch.float64)
        got_tokens = sorted(int(torch.nonzero((x == r).all(-1))[0, 0]) for r in rows)
        assert got_tokens == want_tokens, (
            f"{call}: expert {e} ran on tokens {got_tokens}, but the router sent it tokens {want_tokens}"
            + ("\n  looks like: every expert runs on every token (dense), then the unchosen outputs are masked; "
               "gather the routed tokens first" if len(got_tokens) == n and len(want_tokens) < n else ""))
    total = sum(c[0].reshape(-1, d_model).shape[0] for c in seen.values() if c)
    assert total == n * top_k, f"{call}: experts processed {total} token rows in all, expected N * top_k = {n * top_k}"


@given(n=dims(2, 10), d_model=dims(1, 5), seed=seeds())
@example(n=6, d_model=3, seed=0)
def test_top_1_router_learns_through_its_gate(kata, n, d_model, seed):
    """Switch-style top-1: y = p_e(x) * expert_e(x), so d loss / d router is not zero."""
    layer = random_layer(kata, d_model, 4, 2, 1, False, seed)
    x = torch.randn(n, d_model, generator=torch.Generator().manual_seed(seed + 2), dtype=torch.float64)
    assume(clear_top_k((x @ layer.router.weight.T).detach().numpy(), 1))
    w = torch.randn(n, d_model, generator=torch.Generator().manual_seed(seed + 3), dtype=torch.float64)
    (layer(x) * w).sum().backward()
    got = layer.router.weight.grad
    call = describe_call("MoELayer(n_experts=2, top_k=1) then (y * w).sum().backward()", x)
    assert got is not None, f"{call}: router.weight.grad is None: the gates never reached the output"
    router_w = layer.router.weight.detach().clone().requires_grad_(True)
    probs = torch.softmax(x @ router_w.T, dim=-1)
    choice = probs.argmax(-1)
    with torch.no_grad():
        outs = torch.stack([expert_reference(layer, e, x) for e in range(2)], dim=1)     # (N, 2, d)
    want_out = probs.gather(1, choice[:, None]) * outs[torch.arange(n), choice]
    (want_out * w).sum().backward()
    assert_close(got, router_w.grad, rtol=1e-9, atol=1e-10, name="router.weight.grad", call=call)

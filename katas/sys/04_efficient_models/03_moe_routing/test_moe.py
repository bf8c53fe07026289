"""Tests for sys-04-3, top-k expert routing with capacity, token dropping and the load-balancing loss.

References: Hugging Face transformers' own load_balancing_loss_func of Mixtral (any k) and of the
Switch Transformer (k = 1), called on the same logits; torch.topk on tie-free logits; and a brute-
force loop that fills the experts' buffers in the documented order (choice rank first, then token).
"""
import math

import pytest
import torch
from hypothesis import example, given
from hypothesis import strategies as st
from transformers.models.mixtral.modeling_mixtral import load_balancing_loss_func as mixtral_loss
from transformers.models.switch_transformers.modeling_switch_transformers import (
    load_balancing_loss_func as switch_loss,
)

from grader.strategies import seeds, torch_float_dtypes
from grader.testing import assert_close, assert_dtype, assert_equal, call_unmodified, describe_call

FACTORS = st.sampled_from([0.25, 0.5, 1.0, 1.25, 2.0, 100.0])


@st.composite
def routing_problems(draw):
    n_experts = draw(st.integers(1, 6))
    k = draw(st.integers(1, min(3, n_experts)))
    n_tokens = draw(st.integers(1, 12))
    seed = draw(seeds())
    skew = draw(st.sampled_from([0.0, 3.0]))  # 3.0: one expert is popular, so its buffer overflows
    g = torch.Generator().manual_seed(seed)
    logits = torch.randn(n_tokens, n_experts, generator=g, dtype=torch.float64)
    logits[:, 0] += skew
    return logits, k


def reference_route(logits, k, factor, normalize):
    n_tokens, n_experts = logits.shape
    capacity = math.ceil(factor * n_tokens * k / n_experts)
    probs = torch.softmax(logits.double(), -1)
    experts = torch.tensor([sorted(range(n_experts), key=lambda e: (-probs[t, e].item(), e))[:k] for t in range(n_tokens)],
                           dtype=torch.int64).reshape(n_tokens, k)
    gates = torch.gather(probs, 1, experts)
    if normalize:
        gates = gates / gates.sum(-1, keepdim=True)
    slots = torch.full((n_tokens, k), -1, dtype=torch.int64)
    used = [0] * n_experts
    for j in range(k):
        for t in range(n_tokens):
            e = int(experts[t, j])
            if used[e] < capacity:
                slots[t, j], used[e] = used[e], used[e] + 1
            else:
                gates[t, j] = 0.0
    return experts, gates, slots


@given(n_tokens=st.integers(1, 4096), n_experts=st.integers(1, 64), k=st.integers(1, 4), factor=FACTORS)
@example(n_tokens=8, n_experts=4, k=1, factor=1.0)   # 2 slots each
@example(n_tokens=10, n_experts=4, k=2, factor=1.25)  # ceil(6.25) = 7
def test_expert_capacity(kata, n_tokens, n_experts, k, factor):
    k = min(k, n_experts)
    want = math.ceil(factor * n_tokens * k / n_experts)
    got = kata.expert_capacity(n_tokens, n_experts, k, factor)
    assert got == want, f"expert_capacity({n_tokens}, {n_experts}, {k}, {factor}) = {got}, expected ceil(cf * T * k / E) = {want}"


@given(bad=st.sampled_from([(0, 4, 1, 1.0), (4, 0, 1, 1.0), (4, 4, 0, 1.0), (4, 4, 5, 1.0), (4, 4, 1, 0.0), (4, 4, 1, -1.0)]))
def test_expert_capacity_rejects_bad_arguments(kata, bad):
    with pytest.raises(ValueError):
        kata.expert_capacity(*bad)
        pytest.fail(f"expert_capacity{bad} returned instead of raising ValueError")


@given(problem=routing_problems(), dtype=torch_float_dtypes())
def test_top_k_matches_torch_topk(kata, problem, dtype):
    logits, k = problem
    logits = logits.to(dtype)
    call = describe_call("top_k_experts", logits, k)
    experts, probs = call_unmodified(kata.top_k_experts, logits, k, fn_name="top_k_experts")
    want_p, want_e = torch.topk(torch.softmax(logits.double(), -1), k, dim=-1)
    assert_equal(experts, want_e, call=call, name="expert indices (most probable first)")
    assert_dtype(probs, logits, call=call, name="probabilities")
    assert_close(probs, want_p, rtol=1e-6 if dtype == torch.float32 else 1e-12, atol=0, call=call,
                 name="softmax probabilities of the chosen experts")


def test_top_k_ties_go_to_the_lower_expert_index(kata):
    logits = torch.tensor([[0.0, 1.0, 1.0, 0.0], [2.0, 2.0, 2.0, 2.0]], dtype=torch.float64)
    experts, _ = kata.top_k_experts(logits, 3)
    assert_equal(experts, [[1, 2, 0], [0, 1, 2]], call=describe_call("top_k_experts", logits, 3))


@given(problem=routing_problems(), factor=FACTORS, normalize=st.booleans(), dtype=torch_float_dtypes())
@example(problem=(torch.zeros(5, 2, dtype=torch.float64), 1), factor=1.0, normalize=False, dtype=torch.float64)
@example(problem=(torch.tensor([[3.0, 0, 0]] * 6, dtype=torch.float64), 2), factor=0.5, normalize=True,
         dtype=torch.float64)
@example(problem=(torch.tensor([[3.0, 1, 0], [3, 0, 1]] * 3, dtype=torch.float64), 2), factor=1.0, normalize=True,
         dtype=torch.float64)  # tokens 4 and 5 lose their first choice and keep their second: its gate stays g2 / (g1 + g2)
def test_route_matches_the_buffer_filling_loop(kata, problem, factor, normalize, dtype):
    logits, k = problem
    logits = logits.to(dtype)
    call = describe_call("route", logits, k, factor, normalize=normalize)
    experts, gates, slots = call_unmodified(kata.route, logits, k, factor, normalize=normalize, fn_name="route")
    want_e, want_g, want_s = reference_route(logits, k, factor, normalize)
    assert_equal(experts, want_e, call=call, name="chosen experts")
    assert_equal(slots, want_s, call=call, name="buffer slots (-1: dropped; filled by choice rank, then token)")
    assert_dtype(gates, logits, call=call, name="gates")
    assert_close(gates, want_g, rtol=1e-6 if dtype == torch.float32 else 1e-12, atol=1e-7, call=call,
                 name="gates (0 where dropped)")


@given(problem=routing_problems(), factor=FACTORS)
def test_no_buffer_overflows_and_drops_happen_only_when_full(kata, problem, factor):
    logits, k = problem
    experts, gates, slots = kata.route(logits, k, factor)
    capacity = math.ceil(factor * logits.shape[0] * k / logits.shape[1])
    for e in range(logits.shape[1]):
        kept = sorted(int(s) for s in slots[(experts == e) & (slots >= 0)])
        assert kept == list(range(len(kept))), f"expert {e} got slots {kept}; expected 0, 1, 2, ... without gaps"
        assert len(kept) <= capacity, f"expert {e} holds {len(kept)} tokens, more than its capacity {capacity}"
        chosen = int((experts == e).sum())
        assert len(kept) == min(chosen, capacity), (
            f"expert {e} was chosen {chosen} times with capacity {capacity} but kept {len(kept)}: tokens dropped while room was left")
    assert torch.all((slots < 0) == (gates == 0)), "a token is dropped (slot -1) exactly when its gate is 0"


@given(problem=routing_problems(), dtype=torch_float_dtypes())
def test_loss_matches_mixtrals_load_balancing_loss(kata, problem, dtype):
    logits, k = problem
    logits = logits.to(dtype)
    call = describe_call("load_balancing_loss", logits, k)
    got = call_unmodified(kata.load_balancing_loss, logits, k, fn_name="load_balancing_loss")
    want = mixtral_loss((logits.float(),), logits.shape[1], k)
    assert_dtype(got, logits, call=call)
    # transformers works in float32: a few ulps of float32.
    assert_close(got, want, rtol=1e-5, atol=1e-6, call=call, name="E * sum_e f_e P_e (transformers' Mixtral loss)")


@given(problem=routing_problems())
def test_loss_with_one_expert_per_token_is_switch_transformers(kata, problem):
    logits, _ = problem
    got = kata.load_balancing_loss(logits, 1)
    probs = torch.softmax(logits.float(), -1)
    want = switch_loss(probs[None], probs.argmax(-1)[None])
    assert_close(got, want, rtol=1e-5, atol=1e-6, call=describe_call("load_balancing_loss", logits, 1),
                 name="the Switch Transformer loss (transformers' implementation)")


def test_perfectly_balanced_routing_costs_k(kata):
    """Each expert chosen equally often and equally probable on average: f_e = k / E, P_e = 1 / E, loss = k."""
    logits = torch.log(torch.tensor([[0.4, 0.3, 0.2, 0.1], [0.1, 0.4, 0.3, 0.2], [0.2, 0.1, 0.4, 0.3],
                                     [0.3, 0.2, 0.1, 0.4]], dtype=torch.float64))
    for k in (1, 2, 3):
        assert_close(kata.load_balancing_loss(logits, k), float(k), rtol=1e-12, atol=0,
                     call=describe_call("load_balancing_loss", logits, k))


@given(k=st.sampled_from([0, 5, -1]))
def test_loss_rejects_bad_k(kata, k):
    with pytest.raises(ValueError):
        kata.load_balancing_loss(torch.zeros(3, 4), k)
        pytest.fail(f"load_balancing_loss(logits with 4 experts, k={k}) returned instead of raising ValueError")

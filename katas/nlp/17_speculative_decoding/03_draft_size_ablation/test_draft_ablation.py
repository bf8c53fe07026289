"""Tests for nlp-17-3, ablating the draft model's size for speculative decoding.

The models are real: character n-gram models of orders 1..5 fitted on tiny Shakespeare (the order-5
model is the target, the smaller ones are drafts of growing size), evaluated on held-out text.
References: acceptance rate = 1 - TV(p, q) computed here from the models' distributions; cross-entropy
via torch.nn.functional.nll_loss; brute force over every (draft, k) for the best configuration and
over every pair for the Pareto front. The measured effect (acceptance rises with draft size while
cost rises faster, so the best draft is a middle one) comes from the fitted models, not from numbers
planted in the test.
"""
from functools import lru_cache

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader import lm
from grader.testing import assert_close, assert_dtype, assert_equal, assert_shape, describe_call

TARGET_ORDER = 5
KS = [1, 2, 3, 4, 6, 8]


@lru_cache(maxsize=1)
def corpus_ids() -> np.ndarray:
    lut = np.zeros(256, dtype=np.int64)
    for i, c in enumerate(lm.vocab()):
        lut[ord(c)] = i
    return lut[np.frombuffer(lm.corpus_text().encode("ascii"), dtype=np.uint8)]


@lru_cache(maxsize=2)
def fitted(ngram_cls: type) -> tuple:
    """The order-5 target fitted on the first 150k characters and its truncations (cached per module)."""
    target = ngram_cls(TARGET_ORDER, len(lm.vocab())).fit(corpus_ids()[:150_000])
    drafts = {f"{n}-gram": target.truncated(n) for n in range(1, TARGET_ORDER)}
    return target, drafts


def models(kata: object) -> tuple:
    return fitted(kata.NGramModel)


def held_out(start: int, length: int) -> list[int]:
    ids = corpus_ids()
    return ids[len(ids) - 5000 + start: len(ids) - 5000 + start + length].tolist()


def as_float32(model: object) -> object:
    """The same model returning float32 rows (as a float32 network would)."""
    return lambda tokens: np.asarray(model(tokens), dtype=np.float32)


@given(start=st.integers(0, 3000), length=st.integers(1, 400), order=st.integers(1, TARGET_ORDER),
       f32=st.booleans())
@example(start=0, length=1, order=1, f32=False)
@example(start=10, length=50, order=TARGET_ORDER, f32=False)   # the target itself: accepted everywhere
@example(start=5, length=20, order=2, f32=True)
def test_acceptance_rates_are_one_minus_total_variation(kata, start, length, order, f32):
    target, drafts = models(kata)
    draft = target if order == TARGET_ORDER else drafts[f"{order}-gram"]
    if f32:
        target, draft = as_float32(target), as_float32(draft)
    tokens = held_out(start, length)
    call = describe_call("acceptance_rates", "target", f"{order}-gram draft" + (" (float32 rows)" if f32 else ""),
                         f"{length} held-out tokens")
    got = kata.acceptance_rates(target, draft, tokens)
    p, q = np.asarray(target(tokens), np.float64), np.asarray(draft(tokens), np.float64)
    want = np.minimum(p, q).sum(-1) if f32 else 1 - 0.5 * np.abs(p - q).sum(-1)
    assert_shape(got, (length,), name="acceptance rate per position", call=call)
    assert_dtype(got, np.float64, name="acceptance rates (float64 whatever the models return)", call=call)
    # float64 sums over 65 characters (float32 rows: exact upcast, then the same float64 sum).
    assert_close(got, want, rtol=0, atol=1e-12, name="sum(min(p, q)) per position", call=call)


@given(start=st.integers(0, 3000), length=st.integers(2, 400), order=st.integers(1, TARGET_ORDER))
@example(start=0, length=2, order=1)
def test_cross_entropy_matches_torch_nll(kata, start, length, order):
    target, drafts = models(kata)
    model = target if order == TARGET_ORDER else drafts[f"{order}-gram"]
    tokens = held_out(start, length)
    call = describe_call("cross_entropy", f"{order}-gram", f"{length} held-out tokens")
    got = kata.cross_entropy(model, tokens)
    logp = torch.log(torch.as_tensor(model(tokens)[:-1]))
    want = F.nll_loss(logp, torch.as_tensor(tokens[1:])).item()
    # float64 logs, mean of up to 400 terms.
    assert_close(float(got), want, rtol=1e-10, atol=1e-12, name="mean next-token cross-entropy (nats)", call=call)


def test_cross_entropy_needs_two_tokens(kata):
    target, _ = models(kata)
    with pytest.raises(ValueError):
        kata.cross_entropy(target, [3])


@settings(max_examples=10)
@given(start=st.integers(0, 2500), length=st.integers(2, 600), scale=st.sampled_from([0.25, 1.0, 4.0]),
       ks=st.lists(st.integers(1, 10), min_size=1, max_size=5, unique=True), drop=st.integers(0, 3))
@example(start=0, length=2, scale=1.0, ks=[1], drop=0)
def test_ablate_table(kata, start, length, scale, ks, drop):
    target, drafts = models(kata)
    drafts = {name: m for i, (name, m) in enumerate(drafts.items()) if i != drop}
    costs = {name: scale * m.n_params / target.n_params for name, m in drafts.items()}
    tokens = held_out(start, length)
    call = describe_call("ablate", "target", list(drafts), costs, f"{length} tokens", ks)
    got = kata.ablate(target, drafts, costs, tokens, ks)
    assert list(got) == list(drafts), f"{call} returned rows {list(got)}, expected one per draft in order {list(drafts)}"
    p = target(tokens)
    for name, draft in drafts.items():
        q = draft(tokens)
        alpha = float(np.mean(np.minimum(p, q).sum(-1)))
        xent = float(-np.mean(np.log(q[np.arange(length - 1), tokens[1:]])))
        assert_close(float(got[name]["alpha"]), alpha, rtol=1e-10, atol=1e-12, name=f"{name} alpha (mean rate)",
                     call=call)
        assert_close(float(got[name]["cross_entropy"]), xent, rtol=1e-10, atol=1e-12, name=f"{name} cross_entropy",
                     call=call)
        want = [sum(alpha ** i for i in range(k + 1)) / (1 + k * costs[name]) for k in ks]
        assert_close(np.asarray(got[name]["speedup"], dtype=np.float64), want, rtol=1e-9, atol=0,
                     name=f"{name} speedup per k (expected_speedup of the mean acceptance rate)", call=call)


@st.composite
def result_tables(draw: st.DrawFn) -> tuple[dict, list[int]]:
    ks = draw(st.lists(st.integers(1, 8), min_size=1, max_size=4, unique=True))
    names = draw(st.lists(st.sampled_from(["a", "b", "c", "d", "e"]), min_size=1, max_size=4, unique=True))
    values = st.sampled_from([1.0, 1.25, 1.5, 2.0])   # few values: ties are common
    return {n: {"speedup": np.array([draw(values) for _ in ks])} for n in names}, ks


@given(table=result_tables())
@example(table=({"b": {"speedup": np.array([1.5, 2.0])}, "a": {"speedup": np.array([2.0, 1.0])}}, [3, 1]))
def test_best_tradeoff_is_the_brute_force_maximum(kata, table):
    results, ks = table
    best = max(float(s) for row in results.values() for s in row["speedup"])
    want = next((name, k) for name, row in results.items() for k, s in zip(ks, row["speedup"], strict=True)
                if s == best)
    got = kata.best_tradeoff(results, ks)
    assert (got[0], int(got[1])) == want, (
        f"best_tradeoff({ {n: r['speedup'].tolist() for n, r in results.items()} }, ks={ks}) returned {got}, "
        f"expected {want} (largest speed-up; ties to the earlier draft, then the earlier k in ks)")


@given(data=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=1, max_size=6))
@example(data=[(1, 2), (1, 2)])          # identical: neither dominates the other
@example(data=[(1, 2), (1, 3), (0, 2)])  # equal cost, higher alpha dominates; equal alpha, lower cost dominates
def test_pareto_front_by_brute_force(kata, data):
    names = [f"m{i}" for i in range(len(data))]
    costs = {n: c / 4 for n, (c, _) in zip(names, data, strict=True)}
    alphas = {n: a / 4 for n, (_, a) in zip(names, data, strict=True)}
    want = sorted((n for n in names if not any(
        costs[o] <= costs[n] and alphas[o] >= alphas[n] and (costs[o], alphas[o]) != (costs[n], alphas[n])
        for o in names)), key=lambda n: (costs[n], n))
    got = kata.pareto_front(alphas, costs)
    assert list(got) == want, (f"pareto_front(alphas={alphas}, costs={costs}) returned {list(got)}, expected {want} "
                               "(not dominated: no other draft at most as costly and at least as accepted, better in one; "
                               "sorted by cost, then name)")


def test_measured_tradeoff_on_shakespeare(kata):
    target, drafts = models(kata)
    tokens = held_out(0, 2000)
    costs = {name: m.n_params / target.n_params for name, m in drafts.items()}
    results = kata.ablate(target, drafts, costs, tokens, KS)
    alphas = [float(results[n]["alpha"]) for n in drafts]
    xents = [float(results[n]["cross_entropy"]) for n in drafts]
    assert all(a < b for a, b in zip(alphas, alphas[1:], strict=False)), (
        f"acceptance rates of the 1..4-gram drafts {np.round(alphas, 3).tolist()} should rise with the draft's order")
    assert all(a > b for a, b in zip(xents, xents[1:], strict=False)), (
        f"held-out cross-entropies {np.round(xents, 3).tolist()} should fall with the draft's order")
    best_speed = max(max(r["speedup"]) for r in results.values())
    name, k = kata.best_tradeoff(results, KS)
    assert name not in ("1-gram", f"{TARGET_ORDER - 1}-gram") and float(max(results[name]["speedup"])) == best_speed, (
        f"on Shakespeare the best draft should be a middle-sized one (the smallest is rarely accepted, the largest "
        f"costs too much); best_tradeoff chose {name}, k={k}; speed-ups: "
        f"{ {n: np.round(r['speedup'], 2).tolist() for n, r in results.items()} }")
    front = kata.pareto_front({n: results[n]["alpha"] for n in drafts}, costs)
    assert_equal(np.array(front), np.array(list(drafts)), name="Pareto front (every n-gram order: bigger costs more "
                 "and is accepted more often)", call="pareto_front(measured alphas, costs)")

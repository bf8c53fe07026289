"""Tests for nlp-29-2, EWC, replay buffers and parameter isolation.

References: the Fisher diagonal against per-sample gradients from torch.func (vmap of grad); the EWC
penalty and its gradient lam * F * (theta - theta*) in closed form; reservoir sampling against a
reference Algorithm R on the same generator and, over many seeds, inclusion frequencies within
binomial bounds of capacity / seen; gradient masks against the mask itself, and frozen entries
bit-identical after real AdamW training. The measured effect comes from real runs: a small grader.lm
CharGPT learns English, then ROT13, and EWC and replay each keep much more of the English.
"""
import copy
import warnings
from functools import lru_cache

import pytest
import torch
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st
from torch.func import functional_call, grad, vmap

from grader import lm
from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, call_unmodified, describe_call

pytestmark = pytest.mark.slow


@lru_cache(maxsize=1)
def short_windows() -> torch.Tensor:
    return lm.encode(lm.corpus_text()[:1000])[:990].view(110, 9)


def reference_fisher(model, windows):
    names = [n for n, p in model.named_parameters() if p.requires_grad]
    fixed = {n: p.detach() for n, p in model.named_parameters() if not p.requires_grad}

    def loss(params, row):
        logits = functional_call(model, {**params, **fixed}, (row[None, :-1],))
        return F.cross_entropy(logits[0].double(), row[1:])

    params = {n: p.detach() for n, p in model.named_parameters() if n in names}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # vmap falls back to a loop for CPU attention: slow, still exact
        per_sample = vmap(grad(loss), in_dims=(None, 0))(params, windows)
    return {n: (g.double() ** 2).mean(0) for n, g in per_sample.items()}


@settings(max_examples=3)
@given(n=st.integers(1, 6), seed=seeds(), freeze_embed=st.booleans())
@example(n=1, seed=0, freeze_embed=False)
@example(n=5, seed=1, freeze_embed=True)
def test_fisher_is_the_mean_squared_per_window_gradient(kata, n, seed, freeze_embed):
    model = kata.small_model(seed % 11, d_model=8)
    if freeze_embed:
        model.embed.weight.requires_grad_(False)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    g = torch.Generator().manual_seed(seed)
    windows = short_windows()[torch.randint(110, (n,), generator=g)]
    call = describe_call("fisher_diagonal", "CharGPT", windows)
    got = call_unmodified(kata.fisher_diagonal, model, windows)
    want = reference_fisher(model, windows)
    assert set(got) == set(want), (f"{call} returned entries for {sorted(set(got) ^ set(want))} wrongly: one entry per "
                                   f"parameter with requires_grad, no more")
    for name, f in want.items():
        # float32 gradients squared: relative 1e-4, plus a floor for entries near zero
        assert_close(got[name], f, rtol=1e-4, atol=1e-10, name=f"F[{name!r}] = mean_n (d l_n / d theta)^2", call=call)
    for k, v in model.state_dict().items():
        assert torch.equal(v, before[k]), f"{call} changed the weight {k}"
    left = [name for name, p in model.named_parameters() if p.grad is not None]
    assert not left, f"{call} left gradients behind in {left[:3]}: use torch.autograd.grad, or clear them"


@settings(max_examples=10)
@given(seed=seeds(), lam=st.sampled_from([0.0, 0.5, 3.0, 1000.0]), subset=st.booleans())
@example(seed=0, lam=2.0, subset=False)
def test_ewc_penalty_value_and_gradient(kata, seed, lam, subset):
    model = kata.small_model(seed % 5, d_model=8)
    g = torch.Generator().manual_seed(seed)
    params = dict(model.named_parameters())
    anchor = {n: (p.detach() + 0.1 * torch.randn(p.shape, generator=g)) for n, p in params.items()}
    names = sorted(params)[::2] if subset else sorted(params)
    fisher = {n: torch.rand(params[n].shape, generator=g) for n in names}
    call = describe_call("ewc_penalty", "CharGPT", anchor, fisher, lam)
    got = call_unmodified(kata.ewc_penalty, model, anchor, fisher, lam)
    want = lam / 2 * sum(float((fisher[n].double() * (params[n].detach().double() - anchor[n].double()) ** 2).sum())
                         for n in names)
    assert got.dim() == 0, f"{call} returned shape {tuple(got.shape)}, expected a scalar"
    # float32 sum of a few thousand terms
    assert_close(float(got.detach()), want, rtol=1e-5, atol=1e-7, name="(lam / 2) sum F (theta - theta*)^2", call=call)
    if lam == 0.0:
        return
    model.zero_grad()
    got.backward()
    for n, p in params.items():
        want_grad = lam * fisher[n] * (p.detach() - anchor[n]) if n in fisher else torch.zeros_like(p)
        got_grad = p.grad if p.grad is not None else torch.zeros_like(p)
        assert_close(got_grad, want_grad, rtol=1e-4, atol=1e-6, call=call,
                     name=f"d penalty / d {n} = lam * F * (theta - theta*)")


def test_ewc_penalty_is_zero_at_the_anchor(kata):
    model = kata.small_model(0, d_model=8)
    anchor = {n: p.detach().clone() for n, p in model.named_parameters()}
    fisher = {n: torch.ones_like(p) for n, p in model.named_parameters()}
    got = float(kata.ewc_penalty(model, anchor, fisher, 10.0).detach())
    assert got == 0.0, f"ewc_penalty at the anchor weights returned {got}, expected 0"


def reference_reservoir(stream, capacity, g):
    items, seen = [], 0
    for item in stream:
        if seen < capacity:
            items.append(item)
        else:
            j = int(torch.randint(seen + 1, (), generator=g))
            if j < capacity:
                items[j] = item
        seen += 1
    return items


@given(capacity=st.integers(1, 6), n=st.integers(0, 25), seed=seeds())
@example(capacity=3, n=3, seed=0)     # exactly full: nothing drawn yet
@example(capacity=3, n=12, seed=0)
@example(capacity=1, n=10, seed=5)
def test_reservoir_matches_algorithm_r(kata, capacity, n, seed):
    stream = [torch.tensor([i, 2 * i]) for i in range(n)]
    buf = kata.ReplayBuffer(capacity)
    g, g_ref = torch.Generator().manual_seed(seed), torch.Generator().manual_seed(seed)
    for item in stream:
        buf.add(item, g)
    want = reference_reservoir(stream, capacity, g_ref)
    call = f"ReplayBuffer({capacity}) after adding items 0..{n - 1}"
    assert buf.seen == n, f"{call}: seen = {buf.seen}, expected {n}"
    got_ids = [int(t[0]) for t in buf.items]
    want_ids = [int(t[0]) for t in want]
    assert got_ids == want_ids, (f"{call} holds items {got_ids}, expected {want_ids} (Algorithm R: append while "
                                 f"filling, then j = randint(seen + 1), replace items[j] if j < capacity)")
    if n:
        k = 7
        got = buf.sample(k, torch.Generator().manual_seed(seed + 1))
        idx = torch.randint(len(want), (k,), generator=torch.Generator().manual_seed(seed + 1))
        assert_equal(got, torch.stack([want[i] for i in idx.tolist()]), call=f"{call}: sample({k}, generator)",
                     name="torch.stack of items[i] for i in torch.randint(len(items), (k,), generator)")


@settings(max_examples=2)
@given(seed=st.integers(0, 10**6))
def test_reservoir_keeps_every_item_with_equal_probability(kata, seed):
    n, capacity, runs = 20, 5, 400
    hits = torch.zeros(n)
    for r in range(runs):
        buf = kata.ReplayBuffer(capacity)
        g = torch.Generator().manual_seed(seed * runs + r)
        for i in range(n):
            buf.add(torch.tensor(i), g)
        for t in buf.items:
            hits[int(t)] += 1
    p = capacity / n
    z = (hits - runs * p).abs() / (runs * p * (1 - p)) ** 0.5
    assert bool((z < 5).all()), (f"over {runs} streams of {n} items into a buffer of {capacity}, item i was kept "
                                 f"{hits.int().tolist()} times; each should be kept with probability "
                                 f"{capacity}/{n} (about {runs * p:.0f} times)")


@pytest.mark.parametrize("capacity", [0, -1])
def test_replay_buffer_rejects_bad_capacity(kata, capacity):
    with pytest.raises(ValueError):
        kata.ReplayBuffer(capacity)
        pytest.fail(f"ReplayBuffer({capacity}) returned instead of raising ValueError")


def test_sampling_an_empty_buffer_raises(kata):
    with pytest.raises(ValueError):
        kata.ReplayBuffer(3).sample(2, torch.Generator().manual_seed(0))
        pytest.fail("ReplayBuffer(3).sample(2, g) on an empty buffer returned instead of raising ValueError")


@settings(max_examples=8)
@given(seed=seeds(), p_frozen=st.sampled_from([0.0, 0.3, 1.0]), skip_name=st.booleans())
@example(seed=0, p_frozen=0.5, skip_name=True)
def test_mask_gradients_zeroes_exactly_the_frozen_entries(kata, seed, p_frozen, skip_name):
    model = kata.small_model(seed % 5, d_model=8)
    g = torch.Generator().manual_seed(seed)
    x = short_windows()[:4]
    F.cross_entropy(model(x[:, :-1]).transpose(1, 2), x[:, 1:]).backward()
    names = [n for n, _ in model.named_parameters()]
    frozen = {n: torch.rand(p.shape, generator=g) < p_frozen for n, p in model.named_parameters()}
    if skip_name:
        frozen.pop(names[0])
    grads = {n: p.grad.clone() for n, p in model.named_parameters()}
    call_unmodified(kata.mask_gradients, model, frozen)
    for n, p in model.named_parameters():
        want = grads[n].masked_fill(frozen[n], 0.0) if n in frozen else grads[n]
        assert_equal(p.grad, want, name=f"{n}.grad (zero where frozen, untouched elsewhere)",
                     call=describe_call("mask_gradients", "CharGPT", frozen))


def test_frozen_entries_are_bit_identical_after_training(kata):
    model = kata.small_model(1, d_model=8)
    g = torch.Generator().manual_seed(0)
    frozen = {n: torch.rand(p.shape, generator=g) < 0.5 for n, p in model.named_parameters()}
    model.embed.weight.grad = None
    before = {n: p.detach().clone() for n, p in model.named_parameters()}
    kata.train_task(model, short_windows(), 5, 1e-2, g, batch_size=4, frozen=frozen)
    for n, p in model.named_parameters():
        assert torch.equal(p.detach()[frozen[n]], before[n][frozen[n]]), f"frozen entries of {n} moved during training"
        moved = (p.detach() != before[n])[~frozen[n]]
        assert n == "embed.weight" or bool(moved.any()), f"no free entry of {n} moved: is everything frozen?"


@lru_cache(maxsize=1)
def two_tasks():
    text = lm.corpus_text()
    english = kata_windows(text[:60_000])
    rot13 = kata_windows(rot(text[60_000:120_000]))
    return english, rot13, kata_windows(text[1_000_000:1_003_300]), kata_windows(rot(text[1_003_300:1_006_600]))


def rot(text: str) -> str:
    lower = "abcdefghijklmnopqrstuvwxyz"
    upper = lower.upper()
    return text.translate(str.maketrans(lower + upper, lower[13:] + lower[:13] + upper[13:] + upper[:13]))


def kata_windows(text: str) -> torch.Tensor:
    ids = lm.encode(text)
    n = len(ids) // 33
    return ids[: n * 33].view(n, 33)


@settings(max_examples=1)
@given(seed=st.integers(0, 2))
def test_ewc_and_replay_reduce_forgetting(kata, seed):
    torch.set_num_threads(1)
    english, rot13, val_en, val_rot = two_tasks()
    base = kata.small_model(seed)
    g = torch.Generator().manual_seed(seed)
    kata.train_task(base, english, 80, 1e-2, g)
    learned = kata.eval_loss(base, val_en)
    anchor = {n: p.detach().clone() for n, p in base.named_parameters()}
    fisher = kata.fisher_diagonal(base, english[:96])
    buffer = kata.ReplayBuffer(64)
    for row in english[:400]:
        buffer.add(row, g)
    results = {}
    for name, kwargs in [("plain", {}), ("ewc", {"ewc": (anchor, fisher, 1000.0)}), ("replay", {"replay": (buffer, 8)})]:
        model = copy.deepcopy(base)
        kata.train_task(model, rot13, 80, 1e-2, torch.Generator().manual_seed(seed + 1), **kwargs)
        results[name] = (round(kata.eval_loss(model, val_en) - learned, 3), round(kata.eval_loss(model, val_rot), 3))
    report = f"English loss rise after ROT13 training, and ROT13 loss: {results} (English learned to {learned:.3f})"
    assert results["plain"][0] > 1.0, f"{report}: plain fine-tuning should forget English (rise > 1 nat)"
    for defence in ("ewc", "replay"):
        assert results[defence][0] < results["plain"][0] - 0.6, f"{report}: {defence} should forget clearly less"
        assert results[defence][1] < 3.2, f"{report}: {defence} should still learn ROT13 (loss < 3.2)"

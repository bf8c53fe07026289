"""Tests for nlp-35-3, HotFlip gradient attacks on characters.

Reference: the first-order flip scores from torch.autograd.grad and the embedding table in float64
numpy; the greedy attack re-run step by step in the test; on the trained workbook LM (grader/lm.py)
and held-out text, the observed effect: two gradient-chosen flips change the model's prediction far
more often than two random flips.
"""
import copy
from functools import lru_cache

import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader import lm
from grader.strategies import dims
from grader.testing import assert_close, assert_equal, assert_shape, call_unmodified, describe_call

TEXT_START = 1_003_854   # held-out text (the last 10 % of the corpus)


@lru_cache(maxsize=1)
def model64():
    return copy.deepcopy(lm.load_model()).double()


def real_ids(offset: int, length: int) -> torch.Tensor:
    return lm.encode(lm.corpus_text()[TEXT_START + offset:TEXT_START + offset + length])


def ref_scores(kata, model, idx, position, target) -> np.ndarray:
    emb = model.embed(idx[None]).detach().requires_grad_(True)
    (g,) = torch.autograd.grad(kata.target_loss(model, emb, position, target).sum(), emb)
    g, E = g[0].numpy(), model.embed.weight.detach().numpy()
    return np.array([[(E[v] - E[int(idx[t])]) @ g[t] for v in range(len(E))] for t in range(len(idx))])


def predicts(model, ids, position) -> int:
    with torch.no_grad():
        return int(model(ids[None])[0, position].argmax())


@settings(max_examples=8)
@given(offset=st.integers(0, 5000), length=dims(1, 10), data=st.data(), target=st.integers(0, 64),
       wide=st.booleans())
@example(offset=0, length=1, data=None, target=0, wide=True)
def test_scores_are_first_order_flip_estimates(kata, offset, length, data, target, wide):
    model = model64() if wide else lm.load_model()
    idx = real_ids(offset, length)
    position = length - 1 if data is None else data.draw(st.integers(0, length - 1))
    call = describe_call("hotflip_scores", f"CharGPT[{model.embed.weight.dtype}]", idx, position, target)
    got = call_unmodified(kata.hotflip_scores, model, idx, position, target)
    assert_shape(got, (length, model.cfg.vocab_size), name="scores", call=call)
    assert got.dtype == model.embed.weight.dtype, f"{call} returned dtype {got.dtype}, expected the model's"
    tol = 1e-10 if wide else 1e-4   # float64 vs float32 gradients through four blocks
    assert_close(got, ref_scores(kata, model, idx, position, target), rtol=tol, atol=tol,
                 name="scores[t, v] = (E[v] - E[idx[t]]) · dL/dx_t", call=call)


def ref_attack(kata, model, idx, target, budget):
    position = len(idx) - 1
    ids, used, flips = idx.clone(), set(), 0
    while predicts(model, ids, position) == target and flips < budget:
        s = ref_scores(kata, model, ids, position, target)
        s[sorted(used)] = -np.inf
        t, v = np.unravel_index(int(np.argmax(s)), s.shape)
        ids[t] = int(v)
        used.add(int(t))
        flips += 1
    return ids, flips


@settings(max_examples=6)
@given(offset=st.integers(0, 5000), length=dims(2, 10), budget=st.integers(0, 3), own=st.booleans())
@example(offset=0, length=8, budget=3, own=True)
@example(offset=10, length=6, budget=0, own=True)      # no budget: nothing changes
@example(offset=20, length=6, budget=2, own=False)     # not the prediction: nothing to attack
@example(offset=2037, length=7, budget=3, own=True)
def test_attack_is_the_greedy_hotflip(kata, offset, length, budget, own):
    model = model64()
    idx = real_ids(offset, length)
    target = predicts(model, idx, length - 1)
    if not own:
        target = (target + 1) % model.cfg.vocab_size
    call = describe_call("hotflip_attack", "CharGPT[float64]", idx, target, budget)
    got_ids, got_flips = call_unmodified(kata.hotflip_attack, model, idx, target, budget)
    want_ids, want_flips = ref_attack(kata, model, idx, target, budget)
    assert got_ids.dtype == torch.int64, f"{call} returned ids of dtype {got_ids.dtype}, expected int64"
    assert_equal(got_ids, want_ids, name="attacked ids (greedy best flip per round, each position once)", call=call)
    assert got_flips == want_flips, f"{call} reported {got_flips} flips, expected {want_flips}"


@given(length=dims(1, 6), below=st.integers(1, 3))
@example(length=1, below=1)
def test_rejects_a_budget_outside_the_sequence(kata, length, below):
    idx = real_ids(0, length)
    for budget in (-below, length + 1):
        with pytest.raises(ValueError):
            kata.hotflip_attack(lm.load_model(), idx, 0, budget)
            pytest.fail(f"hotflip_attack(ids of length {length}, 0, budget={budget}) returned")
    _, flips = kata.hotflip_attack(lm.load_model(), idx, predicts(lm.load_model(), idx, length - 1), length)
    assert 0 <= flips <= length, f"hotflip_attack(..., budget={length}) made {flips} flips"


def test_two_gradient_flips_beat_two_random_flips(kata):
    """Observed on the trained LM, held-out text: the gradient finds the characters that matter."""
    model = lm.load_model()
    g = torch.Generator().manual_seed(0)
    attacked = randomly = 0
    n = 8
    for offset in range(0, 300 * n, 300):
        idx = real_ids(offset, 16)
        target = predicts(model, idx, 15)
        adv, flips = kata.hotflip_attack(model, idx, target, 2)
        attacked += predicts(model, adv, 15) != target
        assert flips <= 2, f"hotflip_attack(..., budget=2) made {flips} flips"
        rnd = idx.clone()
        rnd[torch.randperm(16, generator=g)[:2]] = torch.randint(0, 65, (2,), generator=g)
        randomly += predicts(model, rnd, 15) != target
    assert attacked >= n - 1 and attacked > randomly + 2, (
        f"budget-2 HotFlip changed {attacked}/{n} predictions, two random flips {randomly}/{n}: expected the "
        "gradient attack to succeed almost always and far more often than chance")

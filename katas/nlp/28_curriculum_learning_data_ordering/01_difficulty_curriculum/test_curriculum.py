"""Tests for nlp-28-1, a difficulty-based (easy to hard) curriculum.

References: per-window losses recomputed row by row with F.cross_entropy under the workbook's trained
character GPT (grader.lm); numpy's stable argsort for the order; Platanios et al.'s competence in
closed form (float64); the batch sampler against the same seeded torch.randint draw. The measured
effect (real Shakespeare windows score easier than the same characters scrambled) comes from the
trained weights, not from anything planted.
"""
import copy
import math
from functools import lru_cache

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader import lm
from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, assert_shape, call_unmodified, describe_call


@lru_cache(maxsize=1)
def val_ids() -> torch.Tensor:
    return lm.corpus_splits()[1]


def text_windows(seed: int, n: int, t: int) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    starts = torch.randint(len(val_ids()) - t - 1, (n,), generator=g)
    return torch.stack([val_ids()[s:s + t + 1] for s in starts.tolist()])


def reference_difficulty(model, windows: torch.Tensor) -> np.ndarray:
    out = []
    with torch.no_grad():
        for row in windows:
            logits = model(row[None, :-1])[0].double()
            out.append(F.cross_entropy(logits, row[1:]).item())
    return np.array(out)


def reference_competence(step: int, total: int, c0: float, power: float) -> float:
    return min(1.0, (step * (1 - c0 ** power) / total + c0 ** power) ** (1 / power))


@settings(max_examples=10)
@given(n=st.integers(1, 4), t=st.integers(1, 24), seed=seeds())
@example(n=1, t=1, seed=0)
@example(n=3, t=24, seed=1)   # rows of one batch must not be averaged together
def test_window_difficulty_is_the_mean_next_character_loss(kata, n, t, seed):
    model = copy.deepcopy(lm.load_model()).requires_grad_(True)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    windows = text_windows(seed, n, t)
    call = describe_call("window_difficulty", "CharGPT", windows)
    got = call_unmodified(kata.window_difficulty, model, windows)
    assert_shape(got, (n,), call=call)
    assert got.dtype == torch.float64, f"{call} returned dtype {got.dtype}, expected torch.float64"
    # float32 logits, loss accumulated in float64: the row-by-row reference agrees to ~1e-6
    assert_close(got, reference_difficulty(model, windows), rtol=1e-5, atol=1e-5,
                 name="mean cross-entropy of ids[:, 1:] given ids[:, :-1], per row", call=call)
    assert all(p.grad is None for p in model.parameters()), f"{call} took gradients: score under torch.no_grad()"
    for k, v in model.state_dict().items():
        assert torch.equal(v, before[k]), f"{call} changed the model's weight {k}"


@settings(max_examples=5)
@given(seed=seeds())
def test_trained_model_finds_real_text_easier_than_scrambled_text(kata, seed):
    """The effect comes from training: the model knows English spelling, so scrambled letters are hard."""
    model = lm.load_model()
    real = text_windows(seed, 4, 48)
    g = torch.Generator().manual_seed(seed)
    scrambled = torch.stack([row[torch.randperm(len(row), generator=g)] for row in real])
    scores = kata.window_difficulty(model, torch.cat([real, scrambled]))
    order = kata.easy_to_hard(scores)
    assert sorted(order[:4].tolist()) == [0, 1, 2, 3], (
        f"window_difficulty scored real text {scores[:4].tolist()} and the same characters scrambled "
        f"{scores[4:].tolist()}; easy_to_hard gave {order.tolist()}: every real window should come first")


@given(scores=st.lists(st.sampled_from([0.5, 1.0, 1.5, 2.0, 3.25]), min_size=1, max_size=12),
       dtype=st.sampled_from([torch.float32, torch.float64]))
@example(scores=[1.0], dtype=torch.float64)
@example(scores=[2.0, 2.0, 2.0, 2.0], dtype=torch.float32)
@example(scores=[2.0, 1.0, 2.0, 1.0, 0.5], dtype=torch.float64)
def test_easy_to_hard_is_a_stable_ascending_order(kata, scores, dtype):
    s = torch.tensor(scores, dtype=dtype)
    call = describe_call("easy_to_hard", s)
    got = call_unmodified(kata.easy_to_hard, s)
    assert got.dtype == torch.int64, f"{call} returned dtype {got.dtype}, expected torch.int64"
    assert_equal(got, np.argsort(np.array(scores), kind="stable"),
                 name="indices by ascending score, ties by lower index first", call=call)


@given(total=st.integers(1, 50), frac=st.floats(0, 1.5), c0=st.sampled_from([0.01, 0.1, 0.25, 0.5, 0.9, 1.0]),
       power=st.sampled_from([1.0, 2.0, 3.0, 0.5]))
@example(total=10, frac=0.0, c0=0.25, power=2.0)   # c(0) = c0
@example(total=10, frac=1.0, c0=0.25, power=2.0)   # c(T) = 1
@example(total=10, frac=1.5, c0=0.25, power=1.0)   # clipped past T
@example(total=1, frac=0.0, c0=1.0, power=2.0)
def test_competence_closed_form(kata, total, frac, c0, power):
    step = int(frac * total)
    want = reference_competence(step, total, c0, power)
    call = describe_call("competence", step, total, c0, power=power)
    got = kata.competence(step, total, c0, power=power)
    assert math.isclose(got, want, rel_tol=1e-12, abs_tol=1e-15), (
        f"{call} returned {got!r}, expected {want!r} = min(1, (t (1 - c0^p) / T + c0^p)^(1/p))")


@given(total=st.integers(1, 20), c0=st.sampled_from([0.1, 0.3]))
def test_competence_default_power_is_square_root_pacing(kata, total, c0):
    step = total // 2
    got = kata.competence(step, total, c0)
    want = reference_competence(step, total, c0, 2.0)
    assert math.isclose(got, want, rel_tol=1e-12), f"competence({step}, {total}, {c0}) returned {got}, expected {want} (p = 2)"


@pytest.mark.parametrize("step,total,c0,power", [
    (0, 0, 0.5, 2.0), (-1, 10, 0.5, 2.0), (0, 10, 0.0, 2.0), (0, 10, 1.5, 2.0), (0, 10, -0.5, 2.0),
    (0, 10, 0.5, 0.0), (0, 10, 0.5, -1.0)])
def test_competence_rejects_bad_arguments(kata, step, total, c0, power):
    with pytest.raises(ValueError):
        kata.competence(step, total, c0, power)
        pytest.fail(f"competence({step}, {total}, {c0}, {power}) returned instead of raising ValueError")


@given(n=st.integers(1, 20), total=st.integers(1, 30), frac=st.floats(0, 1.2), batch=st.integers(1, 16),
       c0=st.sampled_from([0.05, 0.3, 0.5, 1.0]), power=st.sampled_from([1.0, 2.0]), seed=seeds())
@example(n=5, total=10, frac=0.0, batch=16, c0=0.3, power=2.0, seed=0)    # c0 * N = 1.5: two examples available
@example(n=8, total=10, frac=0.0, batch=16, c0=0.5, power=2.0, seed=0)    # c0 * N = 4 exactly
@example(n=10, total=10, frac=0.5, batch=16, c0=0.3, power=1.0, seed=3)   # linear pacing half-way: 65 %
def test_curriculum_batch_draws_from_the_easy_prefix(kata, n, total, frac, batch, c0, power, seed):
    step = int(frac * total)
    order = torch.randperm(n, generator=torch.Generator().manual_seed(seed + 1))
    call = describe_call("curriculum_batch", order, step, total, batch, c0, "generator", power=power)
    got = call_unmodified(kata.curriculum_batch, order, step, total, batch, c0,
                          torch.Generator().manual_seed(seed), power=power)
    avail = math.ceil(reference_competence(step, total, c0, power) * n)
    allowed = set(order[:avail].tolist())
    outside = [i for i in got.tolist() if i not in allowed]
    assert not outside, (f"{call} returned examples {outside} that are not among the easiest {avail} "
                         f"(= ceil(c * N)) of the order, {sorted(allowed)}")
    want = order[torch.randint(avail, (batch,), generator=torch.Generator().manual_seed(seed))]
    assert_equal(got, want, name="order[torch.randint(n, (batch_size,), generator=generator)]", call=call)


@given(seed=seeds())
def test_curriculum_batch_uses_the_default_power(kata, seed):
    order = torch.arange(20)
    got = kata.curriculum_batch(order, 3, 10, 32, 0.1, torch.Generator().manual_seed(seed))
    avail = math.ceil(reference_competence(3, 10, 0.1, 2.0) * 20)
    want = order[torch.randint(avail, (32,), generator=torch.Generator().manual_seed(seed))]
    assert_equal(got, want, name="batch with the default power 2 (square-root pacing)",
                 call=describe_call("curriculum_batch", order, 3, 10, 32, 0.1, "generator"))

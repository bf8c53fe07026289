"""Tests for nlp-32-1, a shared encoder with task-specific heads.

References: the heads and forward pass rebuilt by hand from the model's own modules; parameter
counts (the encoder counted once); autograd for where each task's gradient goes; the loss against a
weighted sum of F.cross_entropy computed here. The measured effect comes from real joint training on
two tasks made from the corpus (English vs ROT13 windows, and the most frequent vowel of a window):
one shared encoder learns both well above chance.
"""
from functools import lru_cache

import pytest
import torch
import torch._dynamo  # noqa: F401  (torch.optim's first step imports it, ~4 s: pay that at collection, not in a test)
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader import lm
from grader.strategies import seeds
from grader.testing import assert_close, describe_call

pytestmark = pytest.mark.slow

TASKS = st.dictionaries(st.sampled_from(["lang", "vowel", "topic", "x"]), st.integers(1, 6), min_size=1, max_size=3)


def encoder(kata, seed: int, d_model: int = 8):
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        return kata.Encoder(d_model=d_model)


def model_for(kata, n_classes, seed):
    enc = encoder(kata, seed)
    with torch.random.fork_rng():
        torch.manual_seed(seed + 1)
        return kata.MultiTaskModel(enc, n_classes), enc


@given(n_classes=TASKS, seed=seeds())
@example(n_classes={"lang": 2, "vowel": 5}, seed=0)
def test_one_shared_encoder_one_head_per_task(kata, n_classes, seed):
    model, enc = model_for(kata, n_classes, seed % 101)
    call = describe_call("MultiTaskModel", "Encoder(d_model=8)", n_classes)
    assert model.encoder is enc, f"{call}: model.encoder must be the encoder passed in (shared, not copied)"
    assert isinstance(model.heads, torch.nn.ModuleDict) and sorted(model.heads) == sorted(n_classes), (
        f"{call}: heads should be an nn.ModuleDict with one entry per task {sorted(n_classes)}")
    for task, n in n_classes.items():
        head = model.heads[task]
        assert isinstance(head, torch.nn.Linear) and (head.in_features, head.out_features) == (8, n), (
            f"{call}: head {task!r} should be nn.Linear(8, {n})")
    want = sum(p.numel() for p in enc.parameters()) + sum(9 * n for n in n_classes.values())
    got = sum(p.numel() for p in model.parameters())
    assert got == want, f"{call} has {got} parameters, expected {want} (encoder once + one head per task)"


@given(n_classes=TASKS, b=st.integers(1, 4), t=st.integers(1, 10), seed=seeds())
def test_forward_is_encoder_then_the_tasks_head(kata, n_classes, b, t, seed):
    model, enc = model_for(kata, n_classes, seed % 101)
    idx = torch.randint(65, (b, t), generator=torch.Generator().manual_seed(seed))
    for task in n_classes:
        call = describe_call("MultiTaskModel.forward", idx, task)
        got = model(idx, task)
        with torch.no_grad():
            want = model.heads[task](enc(idx))
        assert_close(got.detach(), want, rtol=1e-6, atol=1e-6, name=f"heads[{task!r}](encoder(idx))", call=call)
    with pytest.raises(KeyError):
        model(idx, "no such task")
        pytest.fail("MultiTaskModel.forward(idx, 'no such task') returned instead of raising KeyError")


@given(seed=seeds())
def test_a_tasks_gradient_reaches_the_encoder_and_only_its_own_head(kata, seed):
    model, enc = model_for(kata, {"a": 3, "b": 4}, seed % 101)
    idx = torch.randint(65, (4, 7), generator=torch.Generator().manual_seed(seed))
    F.cross_entropy(model(idx, "a"), torch.tensor([0, 1, 2, 0])).backward()
    assert all(p.grad is not None and float(p.grad.abs().sum()) > 0 for p in enc.parameters()), (
        "task a's loss did not reach every encoder parameter")
    assert model.heads["a"].weight.grad is not None, "task a's loss did not reach its own head"
    assert model.heads["b"].weight.grad is None, "task a's loss reached task b's head"


@given(n_classes=TASKS, seed=seeds(), weighted=st.booleans())
@example(n_classes={"lang": 2, "vowel": 5}, seed=0, weighted=True)
def test_multitask_loss_is_the_weighted_sum(kata, n_classes, seed, weighted):
    model, _ = model_for(kata, n_classes, seed % 101)
    g = torch.Generator().manual_seed(seed)
    batches = {task: (torch.randint(65, (3, 6), generator=g), torch.randint(n, (3,), generator=g))
               for task, n in n_classes.items()}
    weights = {task: float(w) for task, w in zip(n_classes, [0.5, 2.0, 0.25], strict=False)} if weighted else None
    call = describe_call("multitask_loss", "model", batches, weights)
    total, parts = kata.multitask_loss(model, batches, weights)
    raw = {task: F.cross_entropy(model(x, task), y) for task, (x, y) in batches.items()}
    want = sum((1.0 if weights is None else weights[t]) * loss for t, loss in raw.items())
    assert_close(total.detach(), want.detach(), rtol=1e-6, atol=1e-7, name="sum_t w_t * CE_t", call=call)
    assert sorted(parts) == sorted(n_classes), f"{call}: per-task losses for {sorted(parts)}"
    for task, loss in raw.items():
        assert abs(parts[task] - loss.item()) < 1e-6, (
            f"{call}: reported loss of {task!r} is {parts[task]}, expected the unweighted {loss.item()}")
    grads = torch.autograd.grad(total, list(model.parameters()), allow_unused=True)
    want_grads = torch.autograd.grad(want, list(model.parameters()), allow_unused=True)
    for gg, ww in zip(grads, want_grads, strict=True):
        if ww is not None:
            assert gg is not None, f"{call}: the total has no gradient for a parameter the tasks use"
            assert_close(gg, ww, rtol=1e-5, atol=1e-6, name="gradient of the total", call=call)


def rot13(text: str) -> str:
    lower = "abcdefghijklmnopqrstuvwxyz"
    upper = lower.upper()
    return text.translate(str.maketrans(lower + upper, lower[13:] + lower[:13] + upper[13:] + upper[:13]))


@lru_cache(maxsize=1)
def two_tasks():
    """lang: English (0) or ROT13 (1); vowel: the most frequent of a, e, i, o, u in the window (first on ties)."""
    text = lm.corpus_text()
    t = 32
    chunks = [text[i:i + t] for i in range(0, 96_000, t)]
    g = torch.Generator().manual_seed(0)
    flip = torch.rand(len(chunks), generator=g) < 0.5
    lang_text = [rot13(c) if f else c for c, f in zip(chunks, flip.tolist(), strict=True)]
    lang_x = torch.stack([lm.encode(c) for c in lang_text])
    lang_y = flip.long()
    vowel_x = torch.stack([lm.encode(c) for c in chunks])
    vowel_y = torch.tensor([max(range(5), key=lambda v: (c.lower().count("aeiou"[v]), -v)) for c in chunks])
    return (lang_x, lang_y), (vowel_x, vowel_y)


@settings(max_examples=1)
@given(seed=st.integers(0, 3))
def test_one_encoder_learns_both_tasks(kata, seed):
    torch.set_num_threads(1)
    (lx, ly), (vx, vy) = two_tasks()
    n_train = 2500
    model, _ = model_for(kata, {"lang": 2, "vowel": 5}, seed)
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    g = torch.Generator().manual_seed(seed)
    for _ in range(150):
        i, j = torch.randint(n_train, (32,), generator=g), torch.randint(n_train, (32,), generator=g)
        total, _ = kata.multitask_loss(model, {"lang": (lx[i], ly[i]), "vowel": (vx[j], vy[j])})
        opt.zero_grad()
        total.backward()
        opt.step()
    with torch.no_grad():
        acc_lang = (model(lx[n_train:], "lang").argmax(-1) == ly[n_train:]).double().mean().item()
        acc_vowel = (model(vx[n_train:], "vowel").argmax(-1) == vy[n_train:]).double().mean().item()
    majority = torch.bincount(vy[n_train:], minlength=5).max().item() / len(vy[n_train:])
    assert acc_lang > 0.9 and acc_vowel > majority + 0.1, (
        f"held-out accuracy after joint training: lang {acc_lang:.3f} (chance 0.5), vowel {acc_vowel:.3f} (majority "
        f"class {majority:.3f}); the shared encoder should learn both")

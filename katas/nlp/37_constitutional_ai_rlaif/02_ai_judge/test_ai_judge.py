"""Tests for nlp-37-2, an AI judge that labels preference pairs.

References: the continuation's log-probability recomputed from the model's logits with
torch.distributions.Categorical, position by position; the verdicts and labels derived from it by
their definitions. The trained effect, on held-out Shakespeare: the trained workbook LM, used as a
judge, prefers the real continuation of a passage over the same words shuffled almost every time;
a randomly initialised copy is near chance.
"""
import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader import lm
from grader.testing import assert_close, describe_call

TEXT = lm.corpus_text()[1_003_854:]      # the held-out split


def passage(offset: int, prompt_len: int, cont_len: int) -> tuple[str, str]:
    return TEXT[offset:offset + prompt_len], TEXT[offset + prompt_len:offset + prompt_len + cont_len]


def fast_logprob(model, prompt, cont) -> tuple[float, float]:
    """One causal forward pass: the same numbers as feeding the text one character at a time."""
    ids = lm.encode(prompt + cont)
    with torch.no_grad():
        dist = torch.distributions.Categorical(logits=model(ids[None, :-1])[0].double())
    total = dist.log_prob(ids[1:])[len(prompt) - 1:].sum().item()
    return total, total / len(cont)


def ref_logprob(model, prompt, cont) -> tuple[float, float]:
    total = 0.0
    with torch.no_grad():
        for i in range(len(cont)):
            ctx = lm.encode(prompt + cont[:i])[None]
            dist = torch.distributions.Categorical(logits=model(ctx)[0, -1].double())
            total += dist.log_prob(lm.encode(cont[i])[0]).item()
    return total, total / len(cont)


@settings(max_examples=4)
@given(offset=st.integers(0, 100_000), prompt_len=st.integers(1, 20), cont_len=st.integers(1, 12))
@example(offset=0, prompt_len=1, cont_len=1)
@example(offset=50, prompt_len=20, cont_len=12)
def test_logprob_matches_step_by_step(kata, offset, prompt_len, cont_len):
    model = lm.load_model()
    prompt, cont = passage(offset, prompt_len, cont_len)
    call = describe_call("continuation_logprob", "lm.load_model()", repr(prompt), repr(cont))
    total, per_char = kata.continuation_logprob(model, prompt, cont)
    want_total, want_mean = ref_logprob(model, prompt, cont)
    # float32 logits, float64 log-softmax: ~1e-5 per character
    assert_close(total, want_total, rtol=1e-5, atol=2e-4, name="total log-prob of the continuation", call=call)
    assert_close(per_char, want_mean, rtol=1e-5, atol=2e-5, name="mean log-prob per character", call=call)


@given(case=st.sampled_from(["empty prompt", "empty continuation"]))
@example(case="empty prompt")
@example(case="empty continuation")
def test_logprob_rejects_empty_text(kata, case):
    prompt, cont = ("", "the") if case == "empty prompt" else ("the", "")
    with pytest.raises(ValueError):
        kata.continuation_logprob(lm.load_model(), prompt, cont)
        pytest.fail(f"continuation_logprob with an {case} returned instead of raising ValueError")


@settings(max_examples=6)
@given(offset=st.integers(0, 100_000), cut=st.integers(1, 15), margin=st.sampled_from([0.0, 0.05, 0.5, 5.0]))
@example(offset=10, cut=5, margin=0.0)
@example(offset=10, cut=5, margin=5.0)         # a huge margin: everything is a tie
def test_judge_compares_mean_logprob_with_margin(kata, offset, cut, margin):
    model = lm.load_model()
    prompt, real = passage(offset, 30, 16)
    other = TEXT[offset + 5000:offset + 5000 + cut]          # an unrelated continuation of another length
    gap = fast_logprob(model, prompt, real)[1] - fast_logprob(model, prompt, other)[1]
    want = 1 if gap > margin else (-1 if gap < -margin else 0)
    call = describe_call("judge", "lm.load_model()", repr(prompt), repr(real), repr(other), margin=margin)
    got = kata.judge(model, prompt, real, other, margin=margin)
    assert got == want, f"{call} returned {got}, expected {want} (mean log-prob gap {gap:.4f}, margin {margin})"
    swapped = kata.judge(model, prompt, other, real, margin=margin)
    assert swapped == -want, f"swapping a and b gave {swapped}, expected {-want}: the verdict must be antisymmetric"


def test_judge_is_not_fooled_by_length(kata):
    """A prefix has a higher TOTAL log-prob than the whole; per character, the real text can still win."""
    model = lm.load_model()
    prompt, real = passage(2024, 30, 24)
    prefix = real[:4]
    gap = fast_logprob(model, prompt, real)[1] - fast_logprob(model, prompt, prefix)[1]
    want = 1 if gap > 0 else -1
    got = kata.judge(model, prompt, real, prefix)
    assert got == want, (f"judge(prompt, 24 real characters, their first 4) returned {got}, expected {want} from the "
                         f"mean log-prob gap {gap:.4f} (the default margin 0): compare per character, not totals")


def test_judge_rejects_negative_margin(kata):
    with pytest.raises(ValueError):
        kata.judge(lm.load_model(), "the", " king", " queen", margin=-0.1)
        pytest.fail("judge(..., margin=-0.1) returned instead of raising ValueError")


def test_labels_follow_the_verdicts(kata):
    model = lm.load_model()
    items = []
    for off in (0, 700, 1400, 2100):
        prompt, real = passage(off, 30, 12)
        items.append((prompt, real, real[::-1]))
        items.append((prompt, real[::-1], real))
    prompt, real = passage(3000, 30, 12)
    items.append((prompt, real, real))                       # identical candidates: a tie, dropped
    pairs, ties = kata.label_preferences(model, items)
    want, want_ties = [], 0
    for p, a, b in items:
        g = fast_logprob(model, p, a)[1] - fast_logprob(model, p, b)[1]
        if g > 0:
            want.append((p, a, b))
        elif g < 0:
            want.append((p, b, a))
        else:
            want_ties += 1
    assert ties == want_ties == 1, f"label_preferences counted {ties} ties, expected {want_ties}"
    assert [tuple(x) for x in pairs] == want, (
        "label_preferences should keep the input order and list each decided item as (prompt, chosen, rejected)")
    big = kata.label_preferences(model, items, margin=100.0)
    assert big == ([], len(items)), f"with margin=100 every item is a tie; got {big[0][:1]}..., {big[1]} ties"


def test_trained_judge_recognises_real_text(kata):
    rng = np.random.default_rng(0)
    trained = lm.load_model()
    torch.manual_seed(0)
    untrained = lm.CharGPT(trained.cfg).eval()
    items = []
    for _ in range(40):
        s = int(rng.integers(0, 100_000))
        prompt, real = passage(s, 40, 30)
        words = real.split(" ")
        rng.shuffle(words)
        fake = " ".join(words)
        items.append((prompt, real, fake if fake != real else real[::-1]))
    accuracy = {}
    for name, model in (("trained", trained), ("untrained", untrained)):
        pairs, _ = kata.label_preferences(model, items)
        accuracy[name] = sum(chosen == real for (_, real, _), (_, chosen, _) in
                             zip(items, pairs, strict=False)) / len(items) if len(pairs) == len(items) else None
    assert accuracy["trained"] is not None and accuracy["trained"] > 0.9, (
        f"the trained LM as judge preferred the real continuation in {accuracy['trained']} of 40 items; expected > 0.9")
    assert accuracy["untrained"] is not None and accuracy["untrained"] < 0.75, (
        f"a randomly initialised judge agreed with the truth {accuracy['untrained']} of the time; expected near chance")

"""Tests for nlp-37-1, LM critiques turned into synthetic preference data.

References: per-character log-probabilities recomputed one prefix at a time with
`torch.distributions.Categorical`; the maximal runs of flagged positions by brute force; the revision
recomputed position by position from prefixes; the pipeline rebuilt from its rule. The trained test
corrupts held-out Shakespeare (characters replaced at known positions) and measures what the
workbook's trained model's critiques find and fix, against a randomly initialised copy.
"""
import random

import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader import lm
from grader.testing import assert_close, describe_call

pytestmark = pytest.mark.slow

VAL_TEXT = lm.decode(lm.corpus_splits()[1][:6000])
VOCAB = "".join(lm.vocab())


@st.composite
def prompt_response(draw, max_prompt=20, max_response=16):
    """A held-out Shakespeare prompt and response, with some response characters replaced at random."""
    start = draw(st.integers(0, len(VAL_TEXT) - 64))
    p, r = draw(st.integers(1, max_prompt)), draw(st.integers(1, max_response))
    prompt, response = VAL_TEXT[start:start + p], list(VAL_TEXT[start + p:start + p + r])
    for pos in draw(st.lists(st.integers(0, r - 1), max_size=3)):
        response[pos] = draw(st.sampled_from(VOCAB))
    return prompt, "".join(response)


def reference_surprisal(model, prompt: str, response: str) -> torch.Tensor:
    out = []
    with torch.no_grad():
        for t in range(len(response)):
            ids = lm.encode(prompt + response[:t])
            dist = torch.distributions.Categorical(logits=model(ids[None])[0, -1].double())
            out.append(-dist.log_prob(lm.encode(response[t])[0]))
    return torch.stack(out)


@given(case=prompt_response())
@example(case=("F", "i"))                                   # one prompt char, one response char
@example(case=(VAL_TEXT[:60], VAL_TEXT[60:64]))           # lm.CONTEXT = 64 characters exactly
@settings(max_examples=12)
def test_surprisal_matches_categorical(kata, case):
    prompt, response = case
    model = lm.load_model()
    before = [p.clone() for p in model.parameters()]
    call = describe_call("surprisal", "trained model", prompt, response)
    got = kata.surprisal(model, prompt, response)
    assert isinstance(got, torch.Tensor) and got.dtype == torch.float64, (
        f"{call} returned {type(got).__name__} {getattr(got, 'dtype', '')}, expected a float64 tensor")
    # float32 logits, float64 log-softmax: one forward pass vs one per prefix differ by float32 rounding.
    assert_close(got, reference_surprisal(model, prompt, response), rtol=1e-4, atol=1e-4, call=call,
                 name="surprisal (reference: -Categorical(logits).log_prob, one prefix at a time)")
    assert all(torch.equal(p, q) for p, q in zip(model.parameters(), before, strict=True)), f"{call} changed the model"


@given(case=st.sampled_from(["empty prompt", "empty response", "too long"]))
@example(case="too long")
def test_surprisal_rejects_bad_inputs(kata, case):
    prompt, response = {"empty prompt": ("", "abc"), "empty response": ("abc", ""),
                        "too long": (VAL_TEXT[:40], VAL_TEXT[40:40 + lm.CONTEXT - 40 + 1])}[case]
    with pytest.raises(ValueError):
        kata.surprisal(lm.load_model(), prompt, response)
        pytest.fail(f"surprisal with {case} ({len(prompt)} + {len(response)} characters) returned instead of raising")


def runs(flags: list[bool]) -> list[tuple[int, int]]:
    spans, i = [], 0
    while i < len(flags):
        if flags[i]:
            j = i
            while j < len(flags) and flags[j]:
                j += 1
            spans.append((i, j))
            i = j
        else:
            i += 1
    return spans


@given(case=prompt_response(), pick=st.integers(0, 15), mode=st.sampled_from(["on a value", "below all", "above all",
                                                                               "fixed"]))
@example(case=("ROMEO:\nBut soft, what ", "lixht thrmugh"), pick=3, mode="on a value")
@example(case=("ROMEO:\nBut soft, what ", "lixht thrmugh"), pick=0, mode="fixed")
@example(case=("ROMEO:\nBut soft", "x"), pick=0, mode="below all")
@settings(max_examples=15)
def test_critique_flags_maximal_runs_above_threshold(kata, case, pick, mode):
    prompt, response = case
    model = lm.load_model()
    s = kata.surprisal(model, prompt, response)   # checked above; the threshold may sit exactly on one of them
    threshold = {"on a value": float(s[pick % len(s)]), "below all": float(s.min()) - 1.0,
                 "above all": float(s.max()) + 1.0, "fixed": 4.0}[mode]
    call = describe_call("critique", "trained model", prompt, response, threshold)
    got = kata.critique(model, prompt, response, threshold)
    want = runs([float(v) > threshold for v in s])
    assert [tuple(int(a) for a in span) for span in got] == want, (
        f"{call} returned {got}, expected {want}: the maximal runs of characters with surprisal strictly above the "
        f"threshold (surprisals {[round(float(v), 2) for v in s]})")


def reference_revise(model, prompt: str, response: str, spans) -> str:
    chars = list(response)
    with torch.no_grad():
        for p in sorted({p for a, b in spans for p in range(a, b)}):
            logits = model(lm.encode(prompt + "".join(chars[:p]))[None])[0, -1]
            chars[p] = lm.vocab()[int(torch.argmax(logits))]
    return "".join(chars)


@st.composite
def spans_for(draw, length: int):
    cuts = sorted(draw(st.lists(st.integers(0, length), max_size=4, unique=True)))
    return [(a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=False) if a < b]


@given(case=prompt_response(), data=st.data())
@example(case=("ROMEO:\nBut soft, what ", "lixht thrmugh"), data=None)
@settings(max_examples=10)
def test_revise_rewrites_spans_left_to_right(kata, case, data):
    prompt, response = case
    spans = data.draw(spans_for(len(response))) if data is not None else [(1, 3), (8, 11)]
    model = lm.load_model()
    call = describe_call("revise", "trained model", prompt, response, spans)
    got = kata.revise(model, prompt, response, spans)
    want = reference_revise(model, prompt, response, spans)
    assert got == want, (
        f"{call} returned {got!r}, expected {want!r}: each flagged position, left to right, becomes the argmax "
        "character given the prompt and the already revised prefix; other characters are kept")


@given(span=st.sampled_from([(-1, 2), (2, 2), (3, 1), (0, 6), (5, 6)]))
@example(span=(0, 6))
@example(span=(2, 2))
def test_revise_rejects_spans_outside_the_response(kata, span):
    with pytest.raises(ValueError):
        kata.revise(lm.load_model(), "ROMEO:", "abcde", [span])
        pytest.fail(f"revise(model, 'ROMEO:', 'abcde', [{span}]) returned instead of raising ValueError")


@given(case=st.sampled_from(["empty prompt", "empty response", "too long"]))
def test_revise_rejects_bad_inputs(kata, case):
    prompt, response = {"empty prompt": ("", "abc"), "empty response": ("abc", ""),
                        "too long": (VAL_TEXT[:40], VAL_TEXT[40:40 + lm.CONTEXT - 40 + 1])}[case]
    with pytest.raises(ValueError):
        kata.revise(lm.load_model(), prompt, response, [])
        pytest.fail(f"revise with {case} returned instead of raising ValueError")


@given(items=st.lists(prompt_response(max_prompt=12, max_response=10), min_size=1, max_size=4),
       threshold=st.sampled_from([2.0, 4.0, 6.0]))
@example(items=[("ROMEO:\nBut soft, what ", "lixht thrmugh"), ("KING:\n", "the"), ("to be or n", "ot")],
         threshold=4.0)
@example(items=[("?\n\nGREMIO:\nG", "ood morrow"),    # flagged, but the argmax is the same character: equal means
                ("IO:\nGood mor", "row, neigh"),        # the revision is MORE surprising: no pair
                ("d morrow, ne", "ighbour Ba")], threshold=2.0)
@settings(max_examples=6)
def test_preference_pairs_follow_the_rule(kata, items, threshold):
    model = lm.load_model()
    want = []
    for prompt, response in items:
        spans = kata.critique(model, prompt, response, threshold)
        if spans:
            revised = kata.revise(model, prompt, response, spans)
            if kata.surprisal(model, prompt, revised).mean() < kata.surprisal(model, prompt, response).mean():
                want.append((prompt, revised, response))
    got = [tuple(pair) for pair in kata.preference_pairs(model, items, threshold)]
    assert got == want, (
        f"preference_pairs(model, {items}, {threshold}) returned {got}\n  expected {want}\n  (in order: skip an item "
        "with no critique; emit (prompt, revision, original) only when the revision's mean surprisal is lower)")


def corrupted_items(seed: int, n: int):
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    items, truths, positions = [], [], []
    for _ in range(n):
        s = rng.randrange(0, len(VAL_TEXT) - 64)
        prompt, truth = VAL_TEXT[s:s + 32], VAL_TEXT[s + 32:s + 64]
        pos = rng.sample(range(32), 3)
        chars = list(truth)
        for q in pos:
            chars[q] = rng.choice([c for c in letters if c != truth[q]])
        items.append((prompt, "".join(chars)))
        truths.append(truth)
        positions.append(pos)
    return items, truths, positions


def hamming(a: str, b: str) -> int:
    return sum(x != y for x, y in zip(a, b, strict=True))


def critique_stats(kata, model, items, truths, positions) -> dict:
    hits = flagged = repaired = 0
    for (prompt, response), truth, pos in zip(items, truths, positions, strict=True):
        spans = kata.critique(model, prompt, response, 5.0)
        marks = {p for a, b in spans for p in range(a, b)}
        hits, flagged = hits + len(marks & set(pos)), flagged + len(marks)
        revised = kata.revise(model, prompt, response, spans)
        repaired += sum(revised[q] == truth[q] for q in pos)
    pairs = kata.preference_pairs(model, items, 5.0)
    where = {item: (truth, pos) for item, truth, pos in zip(items, truths, positions, strict=True)}
    restores = sum(any(c[q] == where[(p, r)][0][q] for q in where[(p, r)][1]) for p, c, r in pairs)
    closer = sum(hamming(c, where[(p, r)][0]) < hamming(r, where[(p, r)][0]) for p, c, r in pairs)
    n = 3 * len(items)
    return {"recall": hits / n, "precision": hits / max(flagged, 1), "repaired": repaired / n, "pairs": len(pairs),
            "chosen restores a corruption": restores / max(len(pairs), 1),
            "chosen closer to the truth": closer / max(len(pairs), 1)}


@given(seed=st.sampled_from([0, 1, 2, 3]))
@settings(max_examples=1)
def test_trained_critiques_find_and_fix_corruptions(kata, seed):
    """3 of 32 response characters replaced per item, 24 items. Measured over seeds 0-3: see the README."""
    items, truths, positions = corrupted_items(seed, 24)
    torch.manual_seed(seed)
    stats = {"trained": critique_stats(kata, lm.load_model(), items, truths, positions),
             "untrained": critique_stats(kata, lm.CharGPT().eval(), items, truths, positions)}
    t, u = stats["trained"], stats["untrained"]
    report = "critique/revise on corrupted held-out Shakespeare (threshold 5 nats): " + "; ".join(
        f"{k}: " + ", ".join(f"{m} {v:.2f}" if isinstance(v, float) else f"{m} {v}" for m, v in s.items())
        for k, s in stats.items())
    base_rate = 3 / 32
    assert t["recall"] >= 0.5 and t["precision"] >= 3 * base_rate, (
        report + f"\n  expected the trained critic to flag the corruptions (precision >= 3 x the base rate {base_rate:.3f})")
    assert t["repaired"] >= 0.2 and t["repaired"] >= u["repaired"] + 0.15, (
        report + "\n  expected the trained model's revisions to restore original characters, the untrained one's not")
    assert t["pairs"] >= len(items) // 2 and t["chosen restores a corruption"] >= 0.4, (
        report + "\n  expected most trained preference pairs' chosen text to restore a corrupted character")

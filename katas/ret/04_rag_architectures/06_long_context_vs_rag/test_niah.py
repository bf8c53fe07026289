"""Tests for ret-04-6, long context vs RAG on a synthetic needle in a haystack.

References: the long-context window by brute force over every suffix of the haystack; the RAG prompt
with rank_bm25.BM25Okapi built here and a stable float64 ranking; the sweep recomposed from these
references; and, as a measured effect, the long-context accuracy in closed form (the fraction of
depths whose needle lies inside the window) next to RAG's, at a fraction of the tokens.
"""
import re

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rank_bm25 import BM25Okapi

from grader.testing import assert_close, describe_call


def tokens(text: str) -> int:
    return len(text.split())


def ref_long(sentences: list[str], question: str, budget: int) -> str | None:
    tail = "\nQuestion: " + question
    if tokens(tail) > budget:
        return None
    for start in range(len(sentences) + 1):          # the longest suffix that fits
        prompt = " ".join(sentences[start:]) + tail
        if tokens(prompt) <= budget:
            return prompt
    raise AssertionError("unreachable")


def ref_rag(sentences: list[str], question: str, chunk_size: int, k: int) -> str:
    chunks = [" ".join(sentences[i:i + chunk_size]) for i in range(0, len(sentences), chunk_size)]
    words = [re.findall(r"[a-z0-9]+", c.lower()) for c in chunks]
    scores = BM25Okapi(words).get_scores(re.findall(r"[a-z0-9]+", question.lower()))
    keep = sorted(sorted(range(len(chunks)), key=lambda j: (-scores[j], j))[:k])
    return " ".join(chunks[j] for j in keep) + "\nQuestion: " + question


def first_difference(got: str, want: str) -> str:
    i = next((i for i in range(min(len(got), len(want))) if got[i] != want[i]), min(len(got), len(want)))
    return f"first difference at character {i}: got {got[i:i + 40]!r}, expected {want[i:i + 40]!r}"


@given(n=st.integers(0, 30), needle=st.integers(0, 29), seed=st.integers(0, 10**6), budget=st.integers(6, 400))
@example(n=10, needle=3, seed=0, budget=8)      # "Question: What is ... Zembla?" is 8 tokens: fits exactly
@example(n=10, needle=9, seed=1, budget=7)      # the question does not fit
def test_long_context_prompt_keeps_the_longest_fitting_suffix(kata, n, needle, seed, budget):
    sentences, question, _ = kata.haystack(max(n, 1), min(needle, max(n, 1) - 1), seed)
    sentences = sentences[:n]
    call = describe_call("long_context_prompt", f"{n} sentences", question, budget)
    want = ref_long(sentences, question, budget)
    if want is None:
        with pytest.raises(ValueError):
            kata.long_context_prompt(sentences, question, budget)
            pytest.fail(f"{call} returned although the question alone takes more than {budget} tokens")
        return
    got = kata.long_context_prompt(sentences, question, budget)
    assert got == want, f"{call}: {first_difference(got, want)}"


@given(n=st.integers(3, 25), seed=st.integers(0, 10**6), cut=st.integers(0, 24))
def test_long_context_prompt_budget_exactly_on_a_sentence_boundary(kata, n, seed, cut):
    """A budget equal to the tokens of a suffix plus the question keeps that whole suffix."""
    sentences, question, _ = kata.haystack(n, 0, seed)
    start = cut % n
    budget = tokens(" ".join(sentences[start:]) + "\nQuestion: " + question)
    call = describe_call("long_context_prompt", f"{n} sentences", question, budget)
    got = kata.long_context_prompt(sentences, question, budget)
    want = " ".join(sentences[start:]) + "\nQuestion: " + question
    assert got == want, f"{call} (budget exactly fits sentences {start}..{n - 1}): {first_difference(got, want)}"


@given(n=st.integers(1, 40), needle=st.integers(0, 39), seed=st.integers(0, 10**6), chunk_size=st.integers(1, 6),
       k=st.integers(1, 8))
@example(n=12, needle=5, seed=3, chunk_size=4, k=5)     # k > number of chunks
@example(n=7, needle=6, seed=4, chunk_size=3, k=1)      # a short last chunk holds the needle
def test_rag_prompt_matches_bm25_okapi(kata, n, needle, seed, chunk_size, k):
    sentences, question, _ = kata.haystack(n, needle % n, seed)
    call = describe_call("rag_prompt", f"{n} sentences", question, chunk_size, k)
    got = kata.rag_prompt(sentences, question, chunk_size, k)
    want = ref_rag(sentences, question, chunk_size, k)
    assert got == want, f"{call}: {first_difference(got, want)}"


@given(k=st.integers(1, 4), copies=st.integers(2, 4))
@example(k=1, copies=3)
def test_rag_prompt_ties_go_to_the_earlier_chunk(kata, k, copies):
    sentences = ["The secret code of Zembla is 1111.", "a filler line of verse here", "The secret code of Zembla is 2222."]
    sentences = (sentences * copies)[: 3 * copies]
    question = "What is the secret code of Zembla?"
    call = describe_call("rag_prompt", sentences, question, 1, k)
    got = kata.rag_prompt(sentences, question, 1, k)
    want = ref_rag(sentences, question, 1, k)
    assert got == want, f"{call}: {first_difference(got, want)}"


@given(bad=st.sampled_from([(0, 1), (1, 0), (-1, 2), (2, -3)]))
def test_rag_prompt_rejects_bad_sizes(kata, bad):
    sentences, question, _ = kata.haystack(6, 2, 0)
    with pytest.raises(ValueError):
        kata.rag_prompt(sentences, question, *bad)
        pytest.fail(f"rag_prompt(chunk_size={bad[0]}, k={bad[1]}) returned instead of raising ValueError")


def ref_sweep(kata: object, n: int, depths: list[float], budget: int, chunk_size: int, k: int, seed: int) -> dict:
    rows = {"long": [], "rag": []}
    for i, d in enumerate(depths):
        sentences, question, code = kata.haystack(n, round(d * (n - 1)), seed + i)
        for name, prompt in (("long", ref_long(sentences, question, budget)), ("rag", ref_rag(sentences, question, chunk_size, k))):
            found = re.search(r"secret code of Zembla is (\d+)", prompt)
            rows[name].append((found is not None and found.group(1) == code, tokens(prompt)))
    return {f"{name}_{what}": float(np.mean([r[j] for r in v])) for name, v in rows.items()
            for j, what in ((0, "accuracy"), (1, "tokens"))}


@settings(max_examples=10)
@given(n=st.integers(2, 60), depths=st.lists(st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0]), min_size=1, max_size=6),
       budget=st.integers(10, 500), chunk_size=st.integers(1, 6), k=st.integers(1, 3), seed=st.integers(0, 1000))
@example(n=40, depths=[0.0, 0.5, 1.0], budget=120, chunk_size=3, k=1, seed=7)
def test_sweep_matches_the_definitions(kata, n, depths, budget, chunk_size, k, seed):
    call = describe_call("niah_sweep", n, depths, budget, chunk_size, k, seed=seed)
    got = kata.niah_sweep(n, depths, budget, chunk_size, k, seed=seed)
    want = ref_sweep(kata, n, depths, budget, chunk_size, k, seed)
    assert set(got) == set(want), f"{call} returned keys {sorted(got)}, expected {sorted(want)}"
    for key in want:
        assert_close(got[key], want[key], rtol=0, atol=1e-12, name=key, call=call)


def test_sweep_default_seed_is_zero(kata):
    got = kata.niah_sweep(30, [0.2, 0.8], 80, 2, 2)
    want = ref_sweep(kata, 30, [0.2, 0.8], 80, 2, 2, 0)
    for key in want:
        assert_close(got[key], want[key], rtol=0, atol=1e-12, name=key, call=describe_call("niah_sweep", 30, [0.2, 0.8], 80, 2, 2))


def test_measured_long_context_loses_the_needle_rag_does_not(kata):
    """200 sentences (~1500 tokens) and a 600-token window: long context sees only the last part."""
    n, budget, depths = 200, 600, [i / 10 for i in range(11)]
    got = kata.niah_sweep(n, depths, budget, chunk_size=5, k=2)
    inside = []
    for i, d in enumerate(depths):                       # closed form: is the needle inside the window?
        sentences, question, _ = kata.haystack(n, round(d * (n - 1)), i)
        kept = ref_long(sentences, question, budget)
        inside.append(sentences[round(d * (n - 1))] in kept)
    call = describe_call("niah_sweep", n, depths, budget, chunk_size=5, k=2)
    assert_close(got["long_accuracy"], np.mean(inside), rtol=0, atol=1e-12,
                 name="long-context accuracy (fraction of depths inside the window)", call=call)
    assert got["long_accuracy"] < 0.5, f"{call}: long context found the needle at {got['long_accuracy']:.0%} of depths"
    assert got["rag_accuracy"] == 1.0, f"{call}: RAG found the needle at only {got['rag_accuracy']:.0%} of depths"
    assert got["rag_tokens"] < got["long_tokens"] / 4, (
        f"{call}: RAG prompts average {got['rag_tokens']:.0f} tokens vs {got['long_tokens']:.0f} for long context")


@given(depths=st.sampled_from([[], [1.5], [0.2, -0.1], [0.5, 1.0000001]]))
def test_sweep_rejects_bad_depths(kata, depths):
    with pytest.raises(ValueError):
        kata.niah_sweep(20, depths, 100, 2, 1)
        pytest.fail(f"niah_sweep(depths={depths}) returned instead of raising ValueError")

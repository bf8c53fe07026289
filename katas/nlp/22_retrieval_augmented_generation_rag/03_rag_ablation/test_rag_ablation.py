"""Tests for nlp-22-3, ablating retrieval depth k, reranking and context truncation in a RAG pipeline.

References: the three truncation strategies written out here (exact strings, boundaries pinned);
the pipeline composed here from the given retriever, reranker and reader; the ablation table
recomputed by brute force; the measured effects on the generated fact-lookup task (reranking
rescues deep retrieval, per-passage truncation collapses as k grows).
"""
import itertools

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

STRATS = ("truncate_end", "drop_passages", "per_passage")
TEXT = st.text(alphabet="abc .", min_size=0, max_size=12)


def ref_context(passages, budget, strategy):
    if strategy == "truncate_end":
        return "\n".join(passages)[:budget]
    if strategy == "drop_passages":
        out = []
        for p in passages:
            if len("\n".join(out + [p])) > budget:
                break
            out.append(p)
        return "\n".join(out)
    if not passages:
        return ""
    share = max((budget - (len(passages) - 1)) // len(passages), 0)
    return "\n".join(p[:share] for p in passages)[:budget]


@given(passages=st.lists(TEXT, max_size=5), budget=st.integers(0, 60), strategy=st.sampled_from(STRATS))
@example(passages=["abc", "ab"], budget=6, strategy="drop_passages")     # exactly fits: 3 + 1 + 2
@example(passages=["abc", "ab"], budget=5, strategy="drop_passages")     # one short: only the first
@example(passages=["abcdef", "a", "b"], budget=3, strategy="drop_passages")   # stop at the first misfit
@example(passages=["abcdef", "abcdef"], budget=7, strategy="per_passage")     # (7 - 1) // 2 = 3 each
@example(passages=[], budget=5, strategy="per_passage")
@example(passages=["abcdef", "ghi", "jk", "lmno"], budget=2, strategy="per_passage")  # budget < n - 1: share 0, cut
def test_build_context(kata, passages, budget, strategy):
    got = kata.build_context(passages, budget, strategy)
    want = ref_context(passages, budget, strategy)
    assert got == want, (f"build_context({passages!r}, {budget}, {strategy!r}) returned {got!r}, expected {want!r}")
    assert len(got) <= budget, f"build_context returned {len(got)} characters, over the budget {budget}"


@given(strategy=st.sampled_from(["middle", "", "TRUNCATE_END"]))
def test_build_context_rejects_bad_arguments(kata, strategy):
    with pytest.raises(ValueError):
        kata.build_context(["a"], 10, strategy)
    with pytest.raises(ValueError):
        kata.build_context(["a"], -1, "truncate_end")


@given(k=st.integers(1, 6), rerank=st.booleans(), budget=st.integers(0, 80), strategy=st.sampled_from(STRATS),
       seed=st.integers(0, 1000))
def test_rag_answer_composes_the_pipeline(kata, k, rerank, budget, strategy, seed):
    rng = np.random.default_rng(seed)
    passages = [f"p{i} " + "x" * int(rng.integers(0, 20)) for i in range(8)]
    calls = {}

    def retrieve(question, ps, kk):
        calls["k"] = kk
        return list(rng.permutation(len(ps))[:kk])

    def reranker(question, ps, ids):
        calls["reranked"] = list(ids)
        return list(ids)[::-1]

    def reader(question, context):
        calls["context"] = context
        return "answer"

    got = kata.rag_answer("q?", passages, k, rerank, budget, strategy, retrieve=retrieve, reranker=reranker,
                          reader=reader)
    assert got == "answer" and calls.get("k") == k, f"rag_answer must retrieve k={k} passages and return the reader's answer"
    assert ("reranked" in calls) == rerank, f"rag_answer(rerank={rerank}) {'did not call' if rerank else 'called'} the reranker"
    order = calls["reranked"][::-1] if rerank else None
    if order is not None:
        want = ref_context([passages[i] for i in order], budget, strategy)
        assert calls["context"] == want, (f"the reader got context {calls['context']!r}, expected build_context of the "
                                          f"reranked passages {want!r}")


@settings(max_examples=3)
@given(n=st.integers(5, 15), ks=st.lists(st.integers(1, 8), min_size=1, max_size=3, unique=True),
       budget=st.integers(50, 400), seed=st.integers(0, 100))
@example(n=6, ks=[1, 3], budget=200, seed=0)
def test_ablate_table(kata, n, ks, budget, seed):
    passages, questions, answers = kata.make_task(n, seed)
    got = kata.ablate(passages, questions, answers, ks, budget)
    want_keys = list(itertools.product(ks, (False, True), STRATS))
    assert list(got) == want_keys, f"ablate returned keys {list(got)[:4]}..., expected (k, rerank, strategy) in order {want_keys[:4]}..."
    for k, rerank, strategy in want_keys:
        correct = []
        for q, a in zip(questions, answers, strict=True):
            ids = kata.lexical_retrieve(q, passages, k)
            if rerank:
                ids = kata.phrase_rerank(q, passages, ids)
            correct.append(kata.read_answer(q, ref_context([passages[i] for i in ids], budget, strategy)) == a)
        assert abs(got[(k, rerank, strategy)] - np.mean(correct)) < 1e-12, (
            f"ablate: accuracy at k={k}, rerank={rerank}, {strategy} is {got[(k, rerank, strategy)]}, expected "
            f"{np.mean(correct)}")


def test_measured_effects(kata):
    passages, questions, answers = kata.make_task(40, 0)
    t = kata.ablate(passages, questions, answers, [1, 4, 16], 400)
    assert t[(16, True, "truncate_end")] > t[(16, False, "truncate_end")] + 0.3, (
        "with 16 passages in a 400-character budget, reranking the true passage to the front should help a lot: "
        f"{t[(16, False, 'truncate_end')]:.2f} without, {t[(16, True, 'truncate_end')]:.2f} with")
    assert t[(16, True, "truncate_end")] > t[(1, True, "truncate_end")], "deeper retrieval should find more answers"
    assert t[(16, True, "per_passage")] < t[(4, True, "per_passage")], (
        "per-passage truncation gives each of 16 passages too few characters to keep any fact")

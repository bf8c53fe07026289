"""Tests for ret-04-5, an agentic multi-hop retrieval loop.

References: the synthetic world's ground truth (every question's answer is known by construction);
a reference loop over the same BM25 search (rank_bm25.BM25Okapi), compared call by call through a spy;
and the measured success rates: the hopping agent answers every 2- and 3-hop question, one search with
the whole question answers few.
"""
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.testing import describe_call


class Spy:
    def __init__(self, search: object) -> None:
        self.search, self.calls = search, []

    def __call__(self, query: str, k: int) -> list:
        hits = self.search(query, k)
        self.calls.append((query, k, [i for i, _ in hits]))
        return hits


def ref_agent(kata: object, question: dict, search: object, k: int, max_hops: int) -> dict:
    entity, trace = question["subject"], []
    for relation in question["chain"]:
        if len(trace) == max_hops:
            return {"answer": None, "stopped": "max_hops", "trace": trace}
        query = kata.RELATIONS[relation][1].format(a=entity)
        hits = search(query, k)
        trace.append((query, [i for i, _ in hits]))
        found = [kata.extract(relation, entity, t) for _, t in hits]
        found = [f for f in found if f is not None]
        if not found:
            return {"answer": None, "stopped": "not_found", "trace": trace}
        entity = found[0]
    return {"answer": entity, "stopped": "answered", "trace": trace}


def same(got: dict, want: dict, call: str) -> None:
    assert set(got) >= {"answer", "stopped", "trace"}, f"{call} returned keys {sorted(got)}"
    got_trace = [(q, list(ids)) for q, ids in got["trace"]]
    assert got_trace == want["trace"], f"{call} searched\n  {got_trace}\nexpected\n  {want['trace']}"
    assert (got["answer"], got["stopped"]) == (want["answer"], want["stopped"]), (
        f"{call} returned answer {got['answer']!r} ({got['stopped']}), expected {want['answer']!r} ({want['stopped']})")


@settings(max_examples=15)
@given(n=st.integers(3, 30), seed=st.integers(0, 1000), pick=st.integers(0, 10**6), k=st.integers(1, 4),
       max_hops=st.integers(1, 5))
@example(n=12, seed=0, pick=0, k=1, max_hops=3)    # a 3-hop question with exactly 3 hops allowed
@example(n=12, seed=0, pick=0, k=2, max_hops=2)    # ... and one hop too few
def test_agent_matches_reference_loop(kata, n, seed, pick, k, max_hops):
    facts, questions = kata.make_world(n, seed)
    question = questions[pick % len(questions)]
    spy = Spy(kata.bm25_search(facts))
    call = describe_call("agentic_answer", question["text"], "bm25 search", k=k, max_hops=max_hops)
    got = kata.agentic_answer(question, spy, k=k, max_hops=max_hops)
    want = ref_agent(kata, question, kata.bm25_search(facts), k, max_hops)
    same(got, want, call)
    assert [c[1] for c in spy.calls] == [k] * len(spy.calls), f"{call} searched with k = {[c[1] for c in spy.calls]}"
    assert len(spy.calls) == len(got["trace"]), f"{call} made {len(spy.calls)} searches but traced {len(got['trace'])}"
    if len(question["chain"]) <= max_hops:
        assert got["answer"] == question["answer"], f"{call} answered {got['answer']!r}, the world says {question['answer']!r}"


@given(n=st.integers(3, 20), seed=st.integers(0, 1000), pick=st.integers(0, 100))
def test_agent_defaults(kata, n, seed, pick):
    facts, questions = kata.make_world(n, seed)
    question = questions[pick % len(questions)]
    spy = Spy(kata.bm25_search(facts))
    call = describe_call("agentic_answer", question["text"], "bm25 search")
    got = kata.agentic_answer(question, spy)
    same(got, ref_agent(kata, question, kata.bm25_search(facts), 2, 4), call)
    assert {c[1] for c in spy.calls} == {2}, f"{call} searched with k = {[c[1] for c in spy.calls]}, default is 2"


@given(seed=st.integers(0, 1000), missing=st.sampled_from(["born", "capital"]), k=st.integers(1, 3))
@example(seed=0, missing="capital", k=3)
def test_agent_stops_when_a_fact_is_missing(kata, seed, missing, k):
    facts, questions = kata.make_world(10, seed)
    question = questions[0]
    template = kata.RELATIONS[missing][0]
    prefix = template.split("{")[0] if not template.startswith("{") else None
    kept = [(i, t) for i, t in facts if not (t.startswith(prefix) if prefix else t.startswith(question["subject"] + " was"))]
    spy = Spy(kata.bm25_search(kept))
    call = describe_call("agentic_answer", question["text"], f"bm25 search without '{missing}' facts", k=k)
    got = kata.agentic_answer(question, spy, k=k)
    want = ref_agent(kata, question, kata.bm25_search(kept), k, 4)
    assert want["stopped"] == "not_found"
    same(got, want, call)


@given(bad=st.sampled_from([{"k": 0}, {"k": -1}, {"max_hops": 0}, {"max_hops": -2}]))
def test_agent_rejects_bad_arguments(kata, bad):
    facts, questions = kata.make_world(6, 0)
    with pytest.raises(ValueError):
        kata.agentic_answer(questions[0], kata.bm25_search(facts), **bad)
        pytest.fail(f"agentic_answer({bad}) returned instead of raising ValueError")


def ref_single(kata: object, question: dict, search: object, k: int) -> dict:
    hits = search(question["text"], k)
    entity = question["subject"]
    for relation in question["chain"]:
        found = [f for f in (kata.extract(relation, entity, t) for _, t in hits) if f is not None]
        if not found:
            return {"answer": None, "stopped": "not_found", "trace": [(question["text"], [i for i, _ in hits])]}
        entity = found[0]
    return {"answer": entity, "stopped": "answered", "trace": [(question["text"], [i for i, _ in hits])]}


@settings(max_examples=15)
@given(n=st.integers(3, 20), seed=st.integers(0, 1000), pick=st.integers(0, 10**6), k=st.sampled_from([None, 1, 3, 6, 12]))
@example(n=12, seed=0, pick=1, k=12)
def test_single_shot_matches_reference(kata, n, seed, pick, k):
    facts, questions = kata.make_world(n, seed)
    question = questions[pick % len(questions)]
    spy = Spy(kata.bm25_search(facts))
    kwargs = {} if k is None else {"k": k}
    call = describe_call("single_shot_answer", question["text"], "bm25 search", **kwargs)
    got = kata.single_shot_answer(question, spy, **kwargs)
    assert len(spy.calls) == 1, f"{call} searched {len(spy.calls)} times, expected once"
    same(got, ref_single(kata, question, kata.bm25_search(facts), k or 2), call)


def test_single_shot_rejects_bad_k(kata):
    facts, questions = kata.make_world(6, 0)
    with pytest.raises(ValueError):
        kata.single_shot_answer(questions[0], kata.bm25_search(facts), k=0)
        pytest.fail("single_shot_answer(k=0) returned instead of raising ValueError")


@given(answers=st.lists(st.sampled_from(["a", "b", None]), min_size=1, max_size=8))
@example(answers=[None])
def test_success_rate_counts_right_answers(kata, answers):
    questions = [{"answer": "a", "id": i} for i in range(len(answers))]
    got = kata.success_rate(questions, lambda q: {"answer": answers[q["id"]]})
    want = sum(a == "a" for a in answers) / len(answers)
    assert abs(got - want) < 1e-12, f"success_rate over answers {answers} (right: 'a') returned {got}, expected {want}"
    with pytest.raises(ValueError):
        kata.success_rate([], lambda q: {"answer": None})
        pytest.fail("success_rate([]) returned instead of raising ValueError")


def test_measured_hopping_beats_one_search(kata):
    facts, questions = kata.make_world(30, 0)
    search = kata.bm25_search(facts)
    agent = kata.success_rate(questions, lambda q: kata.agentic_answer(q, search, k=2))
    single = kata.success_rate(questions, lambda q: kata.single_shot_answer(q, search, k=2))
    assert agent == 1.0, f"the agent answered {agent:.0%} of 30 two- and three-hop questions, expected all"
    assert single <= 0.2, f"one search with the whole question answered {single:.0%}, the reference gets 0%"

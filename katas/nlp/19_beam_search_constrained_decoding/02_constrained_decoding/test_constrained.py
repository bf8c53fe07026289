"""Tests for nlp-19-2, grammar-constrained decoding with a regular-expression automaton.

References: Python's `re.fullmatch` (a string is in the language iff walking it from the start state
ends in an accepting state; the shortest token sequence that matches, by exhaustive enumeration); the
Bellman equations that pin the token distance of every state; `json.loads` and
`xml.etree.ElementTree` for the JSON and XML outputs; and greedy decoding under the mask written out
here. The "model" is a deterministic pseudo-random logit function: it knows nothing of the grammar.
"""
import itertools
import json
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_dtype, assert_equal, describe_call

EOS = 0
SMALL = [  # (pattern, vocabulary with EOS at index 0)
    (r"(ab|c)+d", ["<eos>", "a", "b", "c", "d", "ab", "cd", "x"]),
    (r"[0-9]{2,3}", ["<eos>", "1", "2", "12", "345", "a"]),
    (r"<a>[0-9]{1,2}</a>", ["<eos>", "<a>", "</a>", "<", "a", ">", "7", "42", "/"]),
    (r"(yes|no)(, (yes|no))*", ["<eos>", "yes", "no", ", ", ",", " ", "y", "es", "n", "o"]),
]
JSON = (r'\{"name": "[a-z]{1,6}", "age": [1-9][0-9]?\}',
        ["<eos>", "{", "}", '"', ":", ",", " ", '{"', "name", '": "', '", "', "age", '": ', "a", "b", "x", "z",
         "ab", "1", "2", "9", "0", "12", "}}", '"a', "zz", "null"])
XML = (r"<item><id>[0-9]{1,3}</id><tag>[a-z]+</tag></item>",
       ["<eos>", "<item>", "</item>", "<id>", "</id>", "<tag>", "</tag>", "<", ">", "/", "item", "id", "tag",
        "1", "7", "42", "a", "q", "qa", "x"])


def logits_fn(seed: int, v: int) -> callable:
    def f(ids: list[int]) -> np.ndarray:
        return np.random.default_rng([seed, len(ids), *ids]).normal(0, 1, v)
    return f


def text_of(vocab: list[str], ids: list[int]) -> str:
    return "".join(vocab[i] for i in ids if i != EOS)


@given(case=st.integers(0, len(SMALL) - 1), data=st.data())
@example(case=0, data=None)
def test_walk_agrees_with_re_fullmatch(kata, case, data):
    pattern, vocab = SMALL[case]
    dfa = kata.DFA(pattern)
    pieces = data.draw(st.lists(st.sampled_from(vocab[1:]), max_size=5)) if data else ["ab", "c", "d"]
    text = "".join(pieces)
    end = kata.walk(dfa, dfa.start, text)
    matches = re.fullmatch(pattern, text) is not None
    assert (end is not None and end in dfa.accepting) == matches, (
        f"walk(DFA({pattern!r}), start, {text!r}) ended in {end!r} (accepting: {sorted(dfa.accepting)}), but "
        f"re.fullmatch says the text {'matches' if matches else 'does not match'}")
    for cut in range(len(text) + 1):   # a prefix leads somewhere iff some continuation can still match
        prefix_end = kata.walk(dfa, dfa.start, text[:cut])
        if end is not None:
            assert prefix_end is not None, f"walk returned None on the prefix {text[:cut]!r} of {text!r}"


@given(case=st.integers(0, len(SMALL) - 1))
def test_distance_to_accept_by_enumeration(kata, case):
    pattern, vocab = SMALL[case]
    dfa = kata.DFA(pattern)
    dist = kata.distance_to_accept(dfa, vocab, EOS)
    call = describe_call("distance_to_accept", f"DFA({pattern!r})", vocab, EOS)
    for s in dfa.states:
        succ = [kata.walk(dfa, s, tok) for tok in vocab[1:]]
        reach = [dist[t] + 1 for t in succ if t is not None and t in dist]
        if s in dfa.accepting:
            assert dist.get(s) == 0, f"{call}: accepting state {s} has distance {dist.get(s)}, expected 0"
        elif reach:
            assert dist.get(s) == min(reach), (f"{call}: state {s} has distance {dist.get(s)}, expected 1 + the "
                                               f"smallest distance over its token successors = {min(reach)}")
        else:
            assert s not in dist, f"{call}: state {s} cannot reach acceptance but has distance {dist[s]}"
    shortest = next((n for n in range(0, 5) for seq in itertools.product(vocab[1:], repeat=n)
                     if re.fullmatch(pattern, "".join(seq))), None)
    assert dist.get(dfa.start) == shortest, (
        f"{call}: the start state has distance {dist.get(dfa.start)}, but the fewest tokens whose concatenation "
        f"re.fullmatch accepts is {shortest}")


@given(case=st.integers(0, len(SMALL) - 1), remaining=st.integers(0, 6), data=st.data())
@example(case=1, remaining=1, data=None)
def test_allowed_tokens(kata, case, remaining, data):
    pattern, vocab = SMALL[case]
    dfa = kata.DFA(pattern)
    dist = kata.distance_to_accept(dfa, vocab, EOS)
    state = data.draw(st.sampled_from(dfa.states)) if data else dfa.start
    got = kata.allowed_tokens(dfa, state, vocab, EOS, dist, remaining)
    assert_dtype(got, np.bool_, name="mask (Shapes: returns (len(vocab),) bool)",
                 call=describe_call("allowed_tokens", f"DFA({pattern!r})", state, vocab, EOS, "dist", remaining))
    want = np.zeros(len(vocab), dtype=bool)
    want[EOS] = state in dfa.accepting
    for i, tok in enumerate(vocab[1:], start=1):
        end = kata.walk(dfa, state, tok)
        want[i] = end is not None and end in dist and dist[end] <= remaining - 1
    assert_equal(got, want, name="mask (EOS iff accepting; a token iff it can still be completed within the budget)",
                 call=describe_call("allowed_tokens", f"DFA({pattern!r})", state, vocab, EOS, "dist", remaining))


def ref_greedy(dfa, vocab, f, max_tokens, kata):
    dist = kata.distance_to_accept(dfa, vocab, EOS)
    ids, state = [], dfa.start
    while True:
        mask = kata.allowed_tokens(dfa, state, vocab, EOS, dist, max_tokens - len(ids))
        choice = int(np.argmax(np.where(mask, f(ids), -np.inf)))
        ids.append(choice)
        if choice == EOS:
            return ids
        state = kata.walk(dfa, state, vocab[choice])


@given(case=st.integers(0, len(SMALL) - 1), max_tokens=st.integers(4, 12), seed=seeds())
def test_constrained_greedy_always_matches(kata, case, max_tokens, seed):
    pattern, vocab = SMALL[case]
    dfa = kata.DFA(pattern)
    f = logits_fn(seed, len(vocab))
    call = describe_call("constrained_greedy", "logits_fn", f"DFA({pattern!r})", vocab, EOS, max_tokens)
    ids = [int(i) for i in kata.constrained_greedy(f, dfa, vocab, EOS, max_tokens)]
    text = text_of(vocab, ids)
    assert ids and ids[-1] == EOS and EOS not in ids[:-1], f"{call} returned {ids}: expected tokens ending in one EOS"
    assert len(ids) - 1 <= max_tokens, f"{call} generated {len(ids) - 1} tokens before EOS, more than {max_tokens}"
    assert re.fullmatch(pattern, text), f"{call} produced {text!r}, which re.fullmatch({pattern!r}) rejects"
    want = ref_greedy(dfa, vocab, f, max_tokens, kata)
    assert ids == want, f"{call} returned {ids}, expected the masked greedy choice each step: {want}"


@settings(max_examples=10)
@given(seed=seeds(), max_tokens=st.integers(9, 20))
@example(seed=0, max_tokens=9)
def test_forced_json(kata, seed, max_tokens):
    pattern, vocab = JSON
    ids = kata.constrained_greedy(logits_fn(seed, len(vocab)), kata.DFA(pattern), vocab, EOS, max_tokens)
    text = text_of(vocab, [int(i) for i in ids])
    obj = json.loads(text)
    assert set(obj) == {"name", "age"} and isinstance(obj["age"], int) and obj["name"].isalpha(), (
        f"constrained_greedy produced {text!r}: expected a JSON object with a string name and an integer age")


@settings(max_examples=10)
@given(seed=seeds(), max_tokens=st.integers(8, 20))
@example(seed=0, max_tokens=8)
def test_forced_xml(kata, seed, max_tokens):
    pattern, vocab = XML
    ids = kata.constrained_greedy(logits_fn(seed, len(vocab)), kata.DFA(pattern), vocab, EOS, max_tokens)
    text = text_of(vocab, [int(i) for i in ids])
    root = ET.fromstring(text)
    assert root.tag == "item" and [c.tag for c in root] == ["id", "tag"] and root.find("id").text.isdigit(), (
        f"constrained_greedy produced {text!r}: expected <item><id>digits</id><tag>letters</tag></item>")


@given(case=st.integers(0, len(SMALL) - 1))
def test_impossible_budget_raises(kata, case):
    pattern, vocab = SMALL[case]
    dfa = kata.DFA(pattern)
    need = kata.distance_to_accept(dfa, vocab, EOS)[dfa.start]
    with pytest.raises(ValueError):
        kata.constrained_greedy(logits_fn(0, len(vocab)), dfa, vocab, EOS, need - 1)
    ids = kata.constrained_greedy(logits_fn(0, len(vocab)), dfa, vocab, EOS, need)
    assert re.fullmatch(pattern, text_of(vocab, [int(i) for i in ids])), (
        f"with exactly the minimum budget {need}, constrained_greedy must still finish a match of {pattern!r}")

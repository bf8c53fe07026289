"""Tests for ret-04-3, graph RAG: an entity graph, its communities and their summaries.

References: brute-force pair loops for the speaker graph (on drawn sequences and on the speeches of
tiny Shakespeare); networkx.algorithms.community.modularity and louvain_communities; Counter-based
keyword counts; a brute-force router. Measured on the real graph: the communities recover plays
(Romeo and Juliet together, Petruchio and Katharina together, apart from them), and a question about
Tybalt is routed to the Verona community.
"""
from collections import Counter

import networkx as nx
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.testing import assert_close, describe_call

NAMES = ["ROMEO", "JULIET", "Nurse", "TYBALT", "KING HENRY VI", "First Citizen"]


def brute_edges(speakers: list[str], window: int) -> dict[frozenset, int]:
    edges: dict[frozenset, int] = {}
    for i in range(len(speakers)):
        for j in range(i + 1, min(len(speakers), i + window + 1)):
            if speakers[i] != speakers[j]:
                key = frozenset((speakers[i], speakers[j]))
                edges[key] = edges.get(key, 0) + 1
    return edges


def check_graph(got: nx.Graph, speakers: list[str], window: int, call: str) -> None:
    assert isinstance(got, nx.Graph), f"{call} returned {type(got).__name__}, expected a networkx.Graph"
    assert set(got.nodes) == set(speakers), f"{call} has nodes {sorted(got.nodes)}, expected {sorted(set(speakers))}"
    edges = {frozenset((a, b)): d.get("weight") for a, b, d in got.edges(data=True)}
    want = brute_edges(speakers, window)
    assert edges == want, f"{call} has edges {sorted((tuple(sorted(k)), v) for k, v in edges.items())}, expected " \
                          f"{sorted((tuple(sorted(k)), v) for k, v in want.items())}"


@given(speakers=st.lists(st.sampled_from(NAMES), max_size=14), window=st.integers(1, 5))
@example(speakers=["ROMEO", "ROMEO", "JULIET"], window=1)           # a speaker next to himself adds nothing
@example(speakers=["ROMEO", "JULIET", "ROMEO", "JULIET"], window=3)  # repeated pairs accumulate
@example(speakers=["Nurse"], window=2)                              # an isolated node
def test_entity_graph_matches_pair_loop(kata, speakers, window):
    call = describe_call("entity_graph", speakers, window)
    check_graph(kata.entity_graph(speakers, window), speakers, window, call)


@settings(max_examples=5)
@given(start=st.integers(0, 7000), count=st.integers(1, 200), window=st.integers(1, 4))
def test_entity_graph_on_shakespeare(kata, start, count, window):
    speakers = list(kata.shakespeare_speeches()[0][start:start + count])
    call = describe_call("entity_graph", f"speakers of speeches {start}..{start + len(speakers) - 1}", window)
    check_graph(kata.entity_graph(speakers, window), speakers, window, call)


@given(window=st.integers(-2, 0))
def test_entity_graph_rejects_bad_window(kata, window):
    with pytest.raises(ValueError):
        kata.entity_graph(["ROMEO", "JULIET"], window)
        pytest.fail(f"entity_graph(window={window}) returned instead of raising ValueError")


def weighted_graph(seed: int, n: int, p: float) -> nx.Graph:
    g = nx.gnp_random_graph(n, p, seed=seed)
    for i, (a, b) in enumerate(g.edges):
        g.edges[a, b]["weight"] = 1 + (seed + 7 * i) % 5
    return nx.relabel_nodes(g, {i: f"v{i}" for i in range(n)})


def partition(seed: int, nodes: list[str], parts: int) -> list[set[str]]:
    groups: list[set[str]] = [set() for _ in range(parts)]
    for i, v in enumerate(nodes):
        groups[(seed * 31 + i * 17) % parts].add(v)
    return [g for g in groups if g]


@given(seed=st.integers(0, 10**6), n=st.integers(1, 12), p=st.sampled_from([0.0, 0.2, 0.5, 1.0]), parts=st.integers(1, 5))
@example(seed=0, n=5, p=0.0, parts=2)     # no edges: modularity 0
@example(seed=1, n=6, p=1.0, parts=1)     # one community: 0 as well
def test_modularity_matches_networkx(kata, seed, n, p, parts):
    g = weighted_graph(seed, n, p)
    communities = partition(seed, list(g.nodes), parts)
    call = describe_call("modularity", f"G({n} nodes, {g.number_of_edges()} weighted edges)", communities)
    got = kata.modularity(g, communities)
    want = nx.community.modularity(g, communities, weight="weight") if g.number_of_edges() else 0.0
    assert_close(got, want, rtol=0, atol=1e-12, name="modularity (vs networkx)", call=call)


@given(mistake=st.sampled_from(["missing", "repeated", "unknown"]))
def test_modularity_rejects_non_partitions(kata, mistake):
    g = weighted_graph(3, 6, 0.5)
    nodes = list(g.nodes)
    communities = {"missing": [set(nodes[:3]), set(nodes[3:5])], "repeated": [set(nodes[:4]), set(nodes[3:])],
                   "unknown": [set(nodes), {"stranger"}]}[mistake]
    with pytest.raises(ValueError):
        kata.modularity(g, communities)
        pytest.fail(f"modularity with a {mistake} node returned instead of raising ValueError")


def canonical(communities: list) -> list[set]:
    return sorted((set(c) for c in communities), key=lambda c: (-len(c), min(c)))


@given(seed=st.integers(0, 10**6), n=st.integers(1, 20), p=st.sampled_from([0.1, 0.3, 0.6]),
       louvain_seed=st.sampled_from([None, 0, 1, 2]))
@example(seed=5, n=12, p=0.3, louvain_seed=None)
def test_detect_communities_is_networkx_louvain(kata, seed, n, p, louvain_seed):
    g = weighted_graph(seed, n, p)
    kwargs = {} if louvain_seed is None else {"seed": louvain_seed}
    call = describe_call("detect_communities", f"G({n} nodes)", **kwargs)
    got = kata.detect_communities(g, **kwargs)
    want = canonical(nx.community.louvain_communities(g, weight="weight", seed=louvain_seed or 0))
    assert [set(c) for c in got] == want, f"{call} returned {got}, expected {want} (louvain, canonical order)"


@settings(max_examples=1)
@given(window=st.just(2))
def test_communities_recover_the_plays(kata, window):
    speakers, _ = kata.shakespeare_speeches()
    g = kata.entity_graph(list(speakers), window)
    found = kata.detect_communities(g)
    where = {name: next(i for i, c in enumerate(found) if name in c) for name in
             ("ROMEO", "JULIET", "TYBALT", "PETRUCHIO", "KATHARINA", "CORIOLANUS")}
    call = describe_call("detect_communities", "the tiny-Shakespeare speaker graph (window 2)")
    assert where["ROMEO"] == where["JULIET"] == where["TYBALT"], f"{call}: Romeo, Juliet and Tybalt split: {where}"
    assert where["PETRUCHIO"] == where["KATHARINA"] != where["ROMEO"], f"{call}: the Shrew's couple misplaced: {where}"
    assert where["CORIOLANUS"] not in (where["ROMEO"], where["PETRUCHIO"]), f"{call}: Coriolanus misplaced: {where}"
    q = nx.community.modularity(g, found, weight="weight")
    assert q > 0.7, f"{call}: modularity {q:.3f}, the plays give about 0.8"


def brute_summary(communities: list[set], speakers: list[str], texts: list[str], n_words: int, words: object) -> list[dict]:
    out = []
    for c in communities:
        counts = Counter(w for s, t in zip(speakers, texts, strict=True) if s in c for w in words(t))
        out.append({"members": sorted(c), "keywords": [w for w, _ in sorted(counts.items(), key=lambda x: (-x[1], x[0]))][:n_words]})
    return out


@settings(max_examples=10)
@given(start=st.integers(0, 7000), count=st.integers(1, 120), n_words=st.sampled_from([None, 1, 3, 8, 500]))
@example(start=0, count=40, n_words=None)
def test_community_summaries_match_counter(kata, start, count, n_words):
    all_speakers, all_texts = kata.shakespeare_speeches()
    speakers, texts = list(all_speakers[start:start + count]), list(all_texts[start:start + count])
    communities = canonical(nx.community.louvain_communities(kata.entity_graph(speakers, 2), weight="weight", seed=0))
    kwargs = {} if n_words is None else {"n_words": n_words}
    call = describe_call("community_summaries", f"{len(communities)} communities", f"{len(speakers)} speeches", **kwargs)
    got = kata.community_summaries(communities, speakers, texts, **kwargs)
    want = brute_summary(communities, speakers, texts, n_words or 10, kata.content_words)
    for i, (g, w) in enumerate(zip(got, want, strict=True)):
        assert list(g["members"]) == w["members"], f"{call}: community {i} members {g['members']}, expected {w['members']}"
        assert list(g["keywords"]) == w["keywords"], f"{call}: community {i} keywords {g['keywords']}, expected {w['keywords']}"
    assert len(got) == len(want), f"{call} returned {len(got)} summaries, expected {len(want)}"


def test_community_summaries_reject_bad_n_words(kata):
    with pytest.raises(ValueError):
        kata.community_summaries([{"ROMEO"}], ["ROMEO"], ["O Juliet"], n_words=0)
        pytest.fail("community_summaries(n_words=0) returned instead of raising ValueError")


SUMMARIES = [{"members": ["ROMEO", "JULIET"], "keywords": ["love", "night", "banished"]},
             {"members": ["KING HENRY VI", "WARWICK"], "keywords": ["crown", "york", "love"]},
             {"members": ["PETRUCHIO"], "keywords": ["kate", "wife", "crown"]}]


def brute_route(query: str, summaries: list[dict], k: int, words: object) -> list[int]:
    q = set(words(query))
    scores = [len(q & (set(s["keywords"]) | {w for m in s["members"] for w in words(m)})) for s in summaries]
    return sorted(range(len(summaries)), key=lambda i: (-scores[i], i))[:k]


@given(query=st.lists(st.sampled_from(["love", "crown", "Romeo", "king", "kate", "the", "night", "wife", "warwick",
                                       "York", "nothing"]), max_size=5).map(" ".join),
       k=st.sampled_from([None, 1, 2, 3, 5]))
@example(query="crown love", k=3)        # ties between communities: lower index first
@example(query="", k=None)
def test_route_matches_brute_force(kata, query, k):
    kwargs = {} if k is None else {"k": k}
    call = describe_call("route", query, "SUMMARIES", **kwargs)
    got = kata.route(query, SUMMARIES, **kwargs)
    want = brute_route(query, SUMMARIES, k or 1, kata.content_words)
    assert list(got) == want, f"{call} returned {got}, expected {want}"


def test_route_rejects_bad_k(kata):
    with pytest.raises(ValueError):
        kata.route("love", SUMMARIES, k=0)
        pytest.fail("route(k=0) returned instead of raising ValueError")


@settings(max_examples=1)
@given(window=st.just(2))
def test_a_question_about_tybalt_reaches_verona(kata, window):
    speakers, texts = kata.shakespeare_speeches()
    communities = kata.detect_communities(kata.entity_graph(list(speakers), window))
    summaries = kata.community_summaries(communities, list(speakers), list(texts), n_words=40)
    best = kata.route("Why does Tybalt fight Romeo and Mercutio?", summaries, k=1)[0]
    assert "ROMEO" in summaries[best]["members"], (
        f"route sent a question about Tybalt, Romeo and Mercutio to the community of {summaries[best]['members'][:6]}")

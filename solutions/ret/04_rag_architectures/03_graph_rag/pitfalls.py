"""Plausible wrong graph-RAG pieces that the tests must reject."""
from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import networkx as nx

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from graph_rag import content_words


@pitfall(replaces="entity_graph", why="links only neighbouring speeches, ignoring the window")
def adjacent_only(speakers: list[str], window: int) -> nx.Graph:
    if window < 1:
        raise ValueError("window")
    g = nx.Graph()
    g.add_nodes_from(speakers)
    for a, b in zip(speakers[:-1], speakers[1:], strict=True):
        if a != b:
            g.add_edge(a, b, weight=g.get_edge_data(a, b, {"weight": 0})["weight"] + 1)
    return g


@pitfall(replaces="entity_graph", why="sets weight 1 on every edge instead of counting the pairs")
def unweighted(speakers: list[str], window: int) -> nx.Graph:
    if window < 1:
        raise ValueError("window")
    g = nx.Graph()
    g.add_nodes_from(speakers)
    for d in range(1, window + 1):
        for a, b in zip(speakers[:-d], speakers[d:], strict=True):
            if a != b:
                g.add_edge(a, b, weight=1)
    return g


@pitfall(replaces="entity_graph", why="only adds edges: a speaker who never meets another is not a node")
def edges_only(speakers: list[str], window: int) -> nx.Graph:
    if window < 1:
        raise ValueError("window")
    g = nx.Graph()
    for d in range(1, window + 1):
        for a, b in zip(speakers[:-d], speakers[d:], strict=True):
            if a != b:
                g.add_edge(a, b, weight=g.get_edge_data(a, b, {"weight": 0})["weight"] + 1)
    return g


@pitfall(replaces="modularity", why="counts edges instead of summing their weights")
def unweighted_modularity(graph: nx.Graph, communities: list[set[str]]) -> float:
    members = [v for c in communities for v in c]
    if len(members) != len(set(members)) or set(members) != set(graph.nodes):
        raise ValueError("partition")
    m = graph.number_of_edges()
    if m == 0:
        return 0.0
    return sum(graph.subgraph(c).number_of_edges() / m - (sum(d for _, d in graph.degree(c)) / (2 * m)) ** 2
               for c in communities)


@pitfall(replaces="modularity", why="divides the inside weight by 2m (the degree normalizer) instead of m")
def inside_over_2m(graph: nx.Graph, communities: list[set[str]]) -> float:
    members = [v for c in communities for v in c]
    if len(members) != len(set(members)) or set(members) != set(graph.nodes):
        raise ValueError("partition")
    m = graph.size(weight="weight")
    if m == 0:
        return 0.0
    degree = dict(graph.degree(weight="weight"))
    return sum(graph.subgraph(c).size(weight="weight") / (2 * m) - (sum(degree[v] for v in c) / (2 * m)) ** 2
               for c in communities)


@pitfall(replaces="modularity", why="accepts any list of sets without checking it partitions the nodes")
def no_partition_check(graph: nx.Graph, communities: list[set[str]]) -> float:
    m = graph.size(weight="weight")
    if m == 0:
        return 0.0
    degree = dict(graph.degree(weight="weight"))
    return sum(graph.subgraph(c & set(graph.nodes)).size(weight="weight") / m
               - (sum(degree.get(v, 0) for v in c) / (2 * m)) ** 2 for c in communities)


@pitfall(replaces="community_summaries", why="Counter.most_common breaks equal counts by first appearance, not alphabetically")
def most_common_ties(communities: list[set[str]], speakers: list[str], texts: list[str], n_words: int = 10) -> list[dict]:
    if n_words < 1:
        raise ValueError("n_words")
    return [{"members": sorted(c),
             "keywords": [w for w, _ in Counter(w for s, t in zip(speakers, texts, strict=True) if s in c
                                                for w in content_words(t)).most_common(n_words)]}
            for c in communities]


@pitfall(replaces="route", why="scores by keywords only: a question naming a character misses its community")
def keywords_only(query: str, summaries: list[dict], k: int = 1) -> list[int]:
    if k < 1:
        raise ValueError("k")
    words = set(content_words(query))
    scores = [len(words & set(s["keywords"])) for s in summaries]
    return sorted(range(len(summaries)), key=lambda i: (-scores[i], i))[:k]


@pitfall(replaces="route", why="counts repeated query words once per occurrence")
def repeated_words(query: str, summaries: list[dict], k: int = 1) -> list[int]:
    if k < 1:
        raise ValueError("k")
    words = content_words(query)
    scores = []
    for s in summaries:
        vocabulary = set(s["keywords"]) | {w for name in s["members"] for w in content_words(name)}
        scores.append(sum(w in vocabulary for w in words))
    return sorted(range(len(summaries)), key=lambda i: (-scores[i], i))[:k]

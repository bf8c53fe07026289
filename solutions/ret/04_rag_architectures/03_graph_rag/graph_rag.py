"""ret-04-3: graph RAG with an entity graph and community summaries. Edit this file; `grader check ret-04-3` tests it."""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

import networkx as nx

from grader import lm

STOPWORDS = frozenset("""a an and are as at be but by for from had has have he her him his i if in is it its me my
mine no nor not now of on or our shall she so than that the thee their them then there these they thine this thou
thy to too upon us was we were what when where which who why will with would ye yet you your o all more one""".split())


@lru_cache(maxsize=1)
def shakespeare_speeches() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(speakers, texts) of the 7222 speeches of tiny Shakespeare, in order (given, complete).

    A speech "ROMEO:\\nBut, soft! ..." has speaker "ROMEO" and text "But, soft! ...".
    """
    speeches = [s.strip() for s in lm.corpus_text().split("\n\n") if s.strip()]
    heads = [s.split("\n", 1) for s in speeches]
    return tuple(h[0].rstrip(":") for h in heads), tuple(h[1] if len(h) > 1 else "" for h in heads)


def content_words(text: str) -> list[str]:
    """Lowercase words of at least 3 letters that are not stopwords, in order, repeats kept (given)."""
    return [w for w in re.findall(r"[a-z']+", text.lower()) if len(w) >= 3 and w not in STOPWORDS]


def entity_graph(speakers: list[str], window: int) -> nx.Graph:
    if window < 1:
        raise ValueError(f"window must be >= 1, got {window}")
    graph = nx.Graph()
    graph.add_nodes_from(speakers)
    for d in range(1, window + 1):
        for a, b in zip(speakers[:-d], speakers[d:], strict=True):
            if a != b:
                weight = graph.get_edge_data(a, b, {"weight": 0})["weight"]
                graph.add_edge(a, b, weight=weight + 1)
    return graph


def modularity(graph: nx.Graph, communities: list[set[str]]) -> float:
    members = [v for c in communities for v in c]
    if len(members) != len(set(members)) or set(members) != set(graph.nodes):
        raise ValueError("communities must partition the graph's nodes")
    m = graph.size(weight="weight")
    if m == 0:
        return 0.0
    degree = dict(graph.degree(weight="weight"))
    q = 0.0
    for c in communities:
        inside = graph.subgraph(c).size(weight="weight")
        d_c = sum(degree[v] for v in c)
        q += inside / m - (d_c / (2 * m)) ** 2
    return q


def detect_communities(graph: nx.Graph, seed: int = 0) -> list[set[str]]:
    found = nx.community.louvain_communities(graph, weight="weight", resolution=1, seed=seed)
    return sorted((set(c) for c in found), key=lambda c: (-len(c), min(c)))


def community_summaries(communities: list[set[str]], speakers: list[str], texts: list[str],
                        n_words: int = 10) -> list[dict]:
    if n_words < 1:
        raise ValueError(f"n_words must be >= 1, got {n_words}")
    out = []
    for c in communities:
        counts = Counter(w for speaker, text in zip(speakers, texts, strict=True) if speaker in c
                         for w in content_words(text))
        keywords = sorted(counts, key=lambda w: (-counts[w], w))[:n_words]
        out.append({"members": sorted(c), "keywords": keywords})
    return out


def route(query: str, summaries: list[dict], k: int = 1) -> list[int]:
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")
    words = set(content_words(query))
    scores = []
    for s in summaries:
        vocabulary = set(s["keywords"]) | {w for name in s["members"] for w in content_words(name)}
        scores.append(len(words & vocabulary))
    return sorted(range(len(summaries)), key=lambda i: (-scores[i], i))[:k]

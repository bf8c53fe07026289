"""ret-04-3: graph RAG with an entity graph and community summaries. Edit this file; `grader check ret-04-3` tests it."""
from __future__ import annotations

import re
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
    """The speaker graph: who talks near whom.

    Every distinct speaker is a node. Two speeches at positions i < j with j - i <= window by
    different speakers a, b add 1 to the weight of edge (a, b) (attribute "weight"); same-speaker
    pairs add nothing. Edges have weight >= 1; isolated speakers are still nodes.

    Raises:
        ValueError: if window < 1.
    """
    raise NotImplementedError("entity_graph: every pair of positions within the window, count by speaker pair")


def modularity(graph: nx.Graph, communities: list[set[str]]) -> float:
    """Newman's weighted modularity of a partition (resolution 1):

        Q = sum over communities c of [ L_c / m - (d_c / (2 m))^2 ]

    with m the total edge weight, L_c the weight of edges inside c, d_c the sum of weighted degrees
    of c's nodes. A graph without edges has modularity 0.

    Raises:
        ValueError: if communities is not a partition of the graph's nodes (a node missing, repeated,
            or unknown).
    """
    raise NotImplementedError("modularity: inside weight over m minus squared degree share, per community")


def detect_communities(graph: nx.Graph, seed: int = 0) -> list[set[str]]:
    """Louvain communities (networkx.algorithms.community.louvain_communities with weight="weight",
    resolution 1 and this seed), in canonical order: larger first, then by the smallest member name.
    """
    raise NotImplementedError("detect_communities: call networkx's Louvain, then sort")


def community_summaries(communities: list[set[str]], speakers: list[str], texts: list[str],
                        n_words: int = 10) -> list[dict]:
    """An extractive summary per community (what an LLM summary would be built from).

    For community c: "members", its speakers sorted; "keywords", the n_words most frequent
    content_words over the texts of all speeches whose speaker is in c, most frequent first, equal
    counts in alphabetical order (fewer if there are fewer distinct words).

    Returns:
        [{"members": [...], "keywords": [...]}, ...] in the order of communities.

    Raises:
        ValueError: if n_words < 1.
    """
    raise NotImplementedError("community_summaries: count content words per community, keep the top n")


def route(query: str, summaries: list[dict], k: int = 1) -> list[int]:
    """The k communities whose summaries best match a query (graph RAG's global search, map step).

    A community's score is the number of distinct content_words of the query found among its
    keywords or in its member names (lowercased, split into content_words). The k best indices,
    best first; equal scores: lower index first; all of them if k exceeds the number of summaries.

    Raises:
        ValueError: if k < 1.
    """
    raise NotImplementedError("route: score each summary by shared query words, keep the k best")

"""ret-04-5: agentic RAG, a multi-hop retrieval loop. Edit this file; `grader check ret-04-5` tests it."""
from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
from rank_bm25 import BM25Okapi

# relation -> (fact template, hop query template); {a} is the known entity, {b} the one to find.
RELATIONS = {
    "born": ("{a} was born in {b}.", "Where was {a} born?"),
    "capital": ("The capital of {a} is {b}.", "What is the capital of {a}?"),
    "mayor": ("{b} is the mayor of {a}.", "Who is the mayor of {a}?"),
}
CHAINS = {("born", "capital"): "What is the capital of the country where {s} was born?",
          ("born", "capital", "mayor"): "Who is the mayor of the capital of the country where {s} was born?"}
Search = Callable[[str, int], list[tuple[int, str]]]


def _names(rng: np.random.Generator, n: int, syllables: int) -> list[str]:
    parts = ["ka", "lo", "mi", "ren", "sa", "tor", "vel", "zu", "qua", "nex", "dor", "il", "bra", "shi"]
    out: set[str] = set()
    while len(out) < n:
        out.add("".join(rng.choice(parts, size=syllables)).capitalize())
    return sorted(out)


def make_world(n_people: int, seed: int) -> tuple[list[tuple[int, str]], list[dict]]:
    """A synthetic corpus whose questions need two or three hops (given, complete).

    Made-up people, countries, cities and mayors; one fact per relation; a question per person, about
    the capital (2 hops) or its mayor (3 hops) of the country where they were born.

    Returns:
        (facts, questions): facts [(id, text)], questions [{"text", "subject", "chain", "answer"}].
    """
    rng = np.random.default_rng(seed)
    n_countries = max(2, n_people // 3)
    people = _names(rng, n_people, 3)
    countries = _names(rng, n_countries, 2)
    cities = [c + "ton" for c in _names(rng, n_countries, 2)]
    mayors = _names(rng, n_countries, 4)
    born = {p: countries[int(rng.integers(n_countries))] for p in people}
    capital = dict(zip(countries, cities, strict=True))
    mayor = dict(zip(cities, mayors, strict=True))
    texts = [RELATIONS["born"][0].format(a=p, b=c) for p, c in born.items()]
    texts += [RELATIONS["capital"][0].format(a=c, b=t) for c, t in capital.items()]
    texts += [RELATIONS["mayor"][0].format(a=t, b=m) for t, m in mayor.items()]
    order = rng.permutation(len(texts))
    facts = [(i, texts[j]) for i, j in enumerate(order)]
    questions = []
    for p in people:
        chain = ("born", "capital") if rng.random() < 0.5 else ("born", "capital", "mayor")
        answer = capital[born[p]] if len(chain) == 2 else mayor[capital[born[p]]]
        questions.append({"text": CHAINS[chain].format(s=p), "subject": p, "chain": chain, "answer": answer})
    return facts, questions


def bm25_search(facts: list[tuple[int, str]]) -> Search:
    """search(query, k) -> the k best facts by BM25 (rank_bm25.BM25Okapi), ties to the earlier fact (given)."""
    tokenize = lambda text: re.findall(r"[a-z]+", text.lower())   # noqa: E731
    bm25 = BM25Okapi([tokenize(t) for _, t in facts])

    def search(query: str, k: int) -> list[tuple[int, str]]:
        scores = bm25.get_scores(tokenize(query))
        return [facts[i] for i in np.argsort(-scores, kind="stable")[:k]]
    return search


def extract(relation: str, entity: str, text: str) -> str | None:
    """The entity a fact gives for `relation` of `entity` ("Kalo was born in Zumi." -> "Zumi"), or None
    when the fact is about another relation or another entity (given)."""
    template = re.escape(RELATIONS[relation][0]).replace(r"\{a\}", re.escape(entity)).replace(r"\{b\}", r"(\w+)")
    found = re.fullmatch(template, text)
    return found.group(1) if found else None


def agentic_answer(question: dict, search: Search, k: int = 2, max_hops: int = 4) -> dict:
    """Answer by hopping: one retrieval per relation of question["chain"], each from the entity found last.

    Start from question["subject"]. For each relation r of the chain: if max_hops searches were
    already made, stop with "max_hops"; else search(RELATIONS[r][1].format(a=entity), k) and take the
    first hit (in rank order) from which extract(r, entity, text) gets an entity; that is the new
    entity. If no hit gives one, stop with "not_found". After the last relation, the entity is the answer.

    Returns:
        {"answer": str or None, "stopped": "answered" | "not_found" | "max_hops",
         "trace": [(query, [ids of the hits]), ...] one entry per search, in order}

    Raises:
        ValueError: if k < 1 or max_hops < 1.
    """
    raise NotImplementedError("agentic_answer: loop over the chain, search, extract, carry the entity")


def single_shot_answer(question: dict, search: Search, k: int = 2) -> dict:
    """The non-agentic baseline: one search with the question's text, then the same chain of extractions
    using only those k hits (each relation takes the first hit that gives an entity).

    Returns:
        the same dict as agentic_answer, with a one-entry trace; "stopped" is "answered" or "not_found".

    Raises:
        ValueError: if k < 1.
    """
    raise NotImplementedError("single_shot_answer: one search, then extract the chain from its hits")


def success_rate(questions: list[dict], answer: Callable[[dict], dict]) -> float:
    """The fraction of questions whose answer(question)["answer"] equals question["answer"].

    Raises:
        ValueError: if questions is empty.
    """
    raise NotImplementedError("success_rate: answer each question, count the right ones")

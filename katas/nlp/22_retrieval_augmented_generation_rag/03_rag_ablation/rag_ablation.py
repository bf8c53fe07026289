"""nlp-22-3: ablate retrieval k, reranking and context truncation in RAG. Edit this file;
`grader check nlp-22-3` tests it."""
from __future__ import annotations

import itertools  # noqa: F401
import re
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np

STRATEGIES = ("truncate_end", "drop_passages", "per_passage")


def make_task(n_facts: int, seed: int) -> tuple[list[str], list[str], list[str]]:
    """Given: passages stating facts "the <attr> of <entity> is <value>." plus look-alike distractors that
    mention the same entity with another attribute; questions "what is the <attr> of <entity>?" and answers."""
    rng = np.random.default_rng(seed)
    attrs = ["colour", "height", "owner", "origin"]
    passages, questions, answers = [], [], []
    for i in range(n_facts):
        attr, other = rng.choice(attrs, 2, replace=False)
        value, wrong = f"v{rng.integers(10**6)}", f"v{rng.integers(10**6)}"
        filler = " ".join(f"filler{rng.integers(50)}" for _ in range(int(rng.integers(5, 25))))
        passages.append(f"the {attr} of entity{i} is {value}. {filler}")
        passages.append(f"what the {other} of entity{i} is: {wrong}. {filler} {attr}")
        questions.append(f"what is the {attr} of entity{i}?")
        answers.append(value)
    return passages, questions, answers


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def lexical_retrieve(question: str, passages: Sequence[str], k: int) -> list[int]:
    """Given: a bag-of-words retriever (term-frequency overlap with the question), ties to the smaller index."""
    q = Counter(words(question))
    scores = [sum(min(c, q[w]) for w, c in Counter(words(p)).items() if w in q) for p in passages]
    return sorted(range(len(passages)), key=lambda i: (-scores[i], i))[:k]


def phrase_rerank(question: str, passages: Sequence[str], ids: Sequence[int]) -> list[int]:
    """Given: a precise reranker: passages containing the phrase "the <attr> of <entity> is" first."""
    m = re.match(r"what is the (\w+) of (\w+)\?", question)
    phrase = f"the {m.group(1)} of {m.group(2)} is" if m else question
    return sorted(ids, key=lambda i: (phrase not in passages[i], list(ids).index(i)))


def read_answer(question: str, context: str) -> str | None:
    """Given: an extractive reader: the value after "the <attr> of <entity> is", if the context contains it."""
    m = re.match(r"what is the (\w+) of (\w+)\?", question)
    if not m:
        return None
    found = re.search(rf"the {m.group(1)} of {m.group(2)} is (\w+)\.", context)
    return found.group(1) if found else None


def build_context(passages: Sequence[str], budget: int, strategy: str) -> str:
    """Fit passages (in the given order) into a context of at most `budget` characters, passages joined by "\n":

    "truncate_end": join all, cut the text at budget characters.
    "drop_passages": keep whole passages in order while the joined text fits; stop at the first that does not.
    "per_passage": give each of the n passages share = max((budget - (n - 1)) // n, 0) characters (its first
        share characters), join, then cut at budget. No passages: "".

    Raises:
        ValueError: for another strategy or a negative budget.
    """
    raise NotImplementedError("build_context: three ways to respect a context budget")


def rag_answer(question: str, passages: Sequence[str], k: int, rerank: bool, budget: int, strategy: str,
               retrieve: Callable = lexical_retrieve, reranker: Callable = phrase_rerank,
               reader: Callable = read_answer) -> str | None:
    """retrieve(question, passages, k) -> ids; if rerank, reranker(question, passages, ids) -> ids; then
    reader(question, build_context([passages[i] for i in ids], budget, strategy))."""
    raise NotImplementedError("rag_answer: retrieve, maybe rerank, build the context, read")


def ablate(passages: Sequence[str], questions: Sequence[str], answers: Sequence[str], ks: Sequence[int],
           budget: int) -> dict[tuple[int, bool, str], float]:
    """Accuracy (fraction of exact answers) of rag_answer with the given components for every (k, rerank,
    strategy) in itertools.product(ks, (False, True), STRATEGIES) order."""
    raise NotImplementedError("ablate: the full grid, one accuracy per configuration")

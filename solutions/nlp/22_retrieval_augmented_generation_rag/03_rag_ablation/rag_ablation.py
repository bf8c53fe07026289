"""Reference solution for nlp-22-3."""
from __future__ import annotations

import itertools
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
    if budget < 0:
        raise ValueError(f"budget must be >= 0, got {budget}")
    if strategy == "truncate_end":
        return "\n".join(passages)[:budget]
    if strategy == "drop_passages":
        kept: list[str] = []
        used = 0
        for p in passages:
            extra = len(p) + (1 if kept else 0)
            if used + extra > budget:
                break
            kept.append(p)
            used += extra
        return "\n".join(kept)
    if strategy == "per_passage":
        if not passages:
            return ""
        share = max((budget - (len(passages) - 1)) // len(passages), 0)
        return "\n".join(p[:share] for p in passages)[:budget]
    raise ValueError(f"strategy must be one of {STRATEGIES}, got {strategy!r}")


def rag_answer(question: str, passages: Sequence[str], k: int, rerank: bool, budget: int, strategy: str,
               retrieve: Callable = lexical_retrieve, reranker: Callable = phrase_rerank,
               reader: Callable = read_answer) -> str | None:
    ids = retrieve(question, passages, k)
    if rerank:
        ids = reranker(question, passages, ids)
    return reader(question, build_context([passages[i] for i in ids], budget, strategy))


def ablate(passages: Sequence[str], questions: Sequence[str], answers: Sequence[str], ks: Sequence[int],
           budget: int) -> dict[tuple[int, bool, str], float]:
    table = {}
    for k, rerank, strategy in itertools.product(ks, (False, True), STRATEGIES):
        correct = [rag_answer(q, passages, k, rerank, budget, strategy) == a for q, a in zip(questions, answers, strict=True)]
        table[(k, rerank, strategy)] = float(np.mean(correct))
    return table

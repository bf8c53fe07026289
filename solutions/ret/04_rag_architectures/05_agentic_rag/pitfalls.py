"""Plausible wrong multi-hop loops that the tests must reject."""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from agentic import RELATIONS, Search, _first_extraction


def _loop(question: dict, search: Search, k: int, max_hops: int, carry: bool = True, slack: int = 0,
          extractor: Callable | None = None) -> dict:
    if k < 1 or max_hops < 1:
        raise ValueError("k, max_hops")
    entity, trace = question["subject"], []
    for relation in question["chain"]:
        if len(trace) >= max_hops + slack:
            return {"answer": None, "stopped": "max_hops", "trace": trace}
        query = RELATIONS[relation][1].format(a=entity if carry else question["subject"])
        hits = search(query, k)
        trace.append((query, [i for i, _ in hits]))
        found = (extractor or _first_extraction)(relation, entity, hits)
        if found is None:
            return {"answer": None, "stopped": "not_found", "trace": trace}
        entity = found
    return {"answer": entity, "stopped": "answered", "trace": trace}


@pitfall(replaces="agentic_answer", why="every hop asks about the question's subject instead of the entity just found")
def subject_every_hop(question: dict, search: Search, k: int = 2, max_hops: int = 4) -> dict:
    return _loop(question, search, k, max_hops, carry=False)


def _any_subject(relation: str, entity: str, hits: list[tuple[int, str]]) -> str | None:
    template = re.escape(RELATIONS[relation][0]).replace(r"\{a\}", r"\w+").replace(r"\{b\}", r"(\w+)")
    for _, text in hits:
        found = re.fullmatch(template, text)
        if found:
            return found.group(1)
    return None


@pitfall(replaces="agentic_answer", why="extracts from the first fact of the right relation, about anyone: distractors win")
def any_subject(question: dict, search: Search, k: int = 2, max_hops: int = 4) -> dict:
    return _loop(question, search, k, max_hops, extractor=_any_subject)


@pitfall(replaces="agentic_answer", why="off by one on the hop limit: one search more than max_hops")
def one_hop_too_many(question: dict, search: Search, k: int = 2, max_hops: int = 4) -> dict:
    return _loop(question, search, k, max_hops, slack=1)


@pitfall(replaces="agentic_answer", why="a missing fact ends the loop as 'answered' with answer None")
def silent_failure(question: dict, search: Search, k: int = 2, max_hops: int = 4) -> dict:
    out = _loop(question, search, k, max_hops)
    if out["stopped"] == "not_found":
        out["stopped"] = "answered"
    return out


@pitfall(replaces="single_shot_answer", why="searches again with the question text for every relation")
def search_per_relation(question: dict, search: Search, k: int = 2) -> dict:
    if k < 1:
        raise ValueError("k")
    entity, trace = question["subject"], []
    for relation in question["chain"]:
        hits = search(question["text"], k)
        trace.append((question["text"], [i for i, _ in hits]))
        entity = _first_extraction(relation, entity, hits)
        if entity is None:
            return {"answer": None, "stopped": "not_found", "trace": trace}
    return {"answer": entity, "stopped": "answered", "trace": trace}


@pitfall(replaces="success_rate", why="divides by the questions that got an answer, not by all of them")
def over_answered(questions: list[dict], answer: Callable[[dict], dict]) -> float:
    if not questions:
        raise ValueError("empty")
    got = [answer(q)["answer"] for q in questions]
    answered = [(g, q) for g, q in zip(got, questions, strict=True) if g is not None]
    return sum(g == q["answer"] for g, q in answered) / max(len(answered), 1)

"""Plausible wrong RAG implementations that the tests must reject."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from rag import CITATION, INSTRUCTION, RagIndex, build_prompt


def _unit(x: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(x, axis=-1, keepdims=True)
    return x / np.where(n == 0, 1, n)


@pitfall(replaces="RagIndex.search", why="ranks by the raw dot product: long chunks win whatever they say")
def dot_product_search(self: RagIndex, query: str, k: int) -> list[tuple[str, float]]:
    if k < 0:
        raise ValueError("k")
    if self.vectors is None:
        return []
    raw = np.asarray(self.embed([t for t in (self.texts[i] for i in self.ids)]), dtype=np.float64)
    scores = raw @ np.asarray(self.embed([query]), dtype=np.float64)[0]
    order = np.argsort(-scores, kind="stable")[:k]
    return [(self.ids[i], float(scores[i])) for i in order]


@pitfall(replaces="RagIndex.search", why="forgets to normalize the query: right order, but the scores are not cosines")
def unnormalized_query(self: RagIndex, query: str, k: int) -> list[tuple[str, float]]:
    if k < 0:
        raise ValueError("k")
    if self.vectors is None:
        return []
    scores = self.vectors @ np.asarray(self.embed([query]), dtype=np.float64)[0]
    order = np.argsort(-scores, kind="stable")[:k]
    return [(self.ids[i], float(scores[i])) for i in order]


@pitfall(replaces="RagIndex.search", why="divides the query by its norm unguarded: a query without words scores NaN")
def nan_query(self: RagIndex, query: str, k: int) -> list[tuple[str, float]]:
    if k < 0:
        raise ValueError("k")
    if self.vectors is None:
        return []
    q = np.asarray(self.embed([query]), dtype=np.float64)[0]
    with np.errstate(invalid="ignore", divide="ignore"):
        scores = self.vectors @ (q / np.linalg.norm(q))
    order = np.argsort(-scores, kind="stable")[:k]
    return [(self.ids[i], float(scores[i])) for i in order]


@pitfall(replaces="RagIndex.search", why="reverses an ascending argsort: equal scores come out last-added first")
def reversed_ties(self: RagIndex, query: str, k: int) -> list[tuple[str, float]]:
    if k < 0:
        raise ValueError("k")
    if self.vectors is None:
        return []
    scores = self.vectors @ _unit(np.asarray(self.embed([query]), dtype=np.float64)[0])
    order = np.argsort(scores, kind="stable")[::-1][:k]
    return [(self.ids[i], float(scores[i])) for i in order]


@pitfall(replaces="RagIndex.add", why="checks for repeated ids within a batch, not against the chunks already stored")
def duplicates_within_batch_only(self: RagIndex, chunks: list[tuple[str, str]]) -> None:
    new_ids = [cid for cid, _ in chunks]
    if len(set(new_ids)) != len(new_ids):
        raise ValueError("duplicate")
    if not chunks:
        return
    vecs = _unit(np.asarray(self.embed([t for _, t in chunks]), dtype=np.float64))
    self.vectors = vecs if self.vectors is None else np.concatenate([self.vectors, vecs])
    self.ids += new_ids
    self.texts.update(chunks)


@pitfall(replaces="RagIndex.add", why="adds chunk by chunk and raises at the first duplicate: the ones before it stay")
def partial_add(self: RagIndex, chunks: list[tuple[str, str]]) -> None:
    for cid, text in chunks:
        if cid in self.texts:
            raise ValueError("duplicate")
        vec = _unit(np.asarray(self.embed([text]), dtype=np.float64))
        self.vectors = vec if self.vectors is None else np.concatenate([self.vectors, vec])
        self.ids.append(cid)
        self.texts[cid] = text


@pitfall(replaces="RagIndex.add", why="a second add replaces the stored vectors instead of appending")
def overwrite_vectors(self: RagIndex, chunks: list[tuple[str, str]]) -> None:
    new_ids = [cid for cid, _ in chunks]
    if len(set(new_ids)) != len(new_ids) or any(c in self.texts for c in new_ids):
        raise ValueError("duplicate")
    if not chunks:
        return
    self.vectors = _unit(np.asarray(self.embed([t for _, t in chunks]), dtype=np.float64))
    self.ids = new_ids
    self.texts.update(chunks)


@pitfall(replaces="build_prompt", why="pastes each source's text as is: its newlines break the one-line-per-source layout")
def raw_source_text(question: str, sources: list[tuple[str, str]]) -> str:
    lines = [INSTRUCTION, ""] + [f"[{cid}] {text}" for cid, text in sources]
    return "\n".join(lines + ["", f"Question: {question}", "Answer:"])


@pitfall(replaces="build_prompt", why="puts the question before the sources")
def question_first(question: str, sources: list[tuple[str, str]]) -> str:
    lines = [INSTRUCTION, "", f"Question: {question}", ""]
    lines += [f"[{cid}] {' '.join(text.split())}" for cid, text in sources]
    return "\n".join(lines + ["Answer:"])


@pitfall(replaces="rag_answer", why="keeps repeated citations instead of listing each id once")
def repeated_citations(question: str, index: RagIndex, generate: Callable[[str], str], k: int = 3) -> dict:
    retrieved = [cid for cid, _ in index.search(question, k)]
    prompt = build_prompt(question, [(cid, index.text(cid)) for cid in retrieved])
    answer = generate(prompt)
    cited = CITATION.findall(answer)
    return {"answer": answer, "prompt": prompt, "retrieved": retrieved,
            "citations": [c for c in cited if c in retrieved], "invalid": [c for c in cited if c not in retrieved]}


@pitfall(replaces="rag_answer", why="accepts any id in the index as a valid citation, not only the retrieved ones")
def valid_if_indexed(question: str, index: RagIndex, generate: Callable[[str], str], k: int = 3) -> dict:
    retrieved = [cid for cid, _ in index.search(question, k)]
    prompt = build_prompt(question, [(cid, index.text(cid)) for cid in retrieved])
    answer = generate(prompt)
    cited = list(dict.fromkeys(CITATION.findall(answer)))
    return {"answer": answer, "prompt": prompt, "retrieved": retrieved,
            "citations": [c for c in cited if c in index.texts], "invalid": [c for c in cited if c not in index.texts]}


@pitfall(replaces="rag_answer", why="prompts with the best chunk only, whatever k is")
def top1_prompt(question: str, index: RagIndex, generate: Callable[[str], str], k: int = 3) -> dict:
    retrieved = [cid for cid, _ in index.search(question, k)]
    prompt = build_prompt(question, [(cid, index.text(cid)) for cid in retrieved[:1]])
    answer = generate(prompt)
    cited = list(dict.fromkeys(CITATION.findall(answer)))
    return {"answer": answer, "prompt": prompt, "retrieved": retrieved,
            "citations": [c for c in cited if c in retrieved], "invalid": [c for c in cited if c not in retrieved]}

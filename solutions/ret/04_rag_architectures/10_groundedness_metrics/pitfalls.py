"""Plausible wrong groundedness metrics that the tests must reject."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from groundedness import CITATION, TOKEN, content_tokens, split_claims, support


def _metrics(answer: str, sources: dict[str, str], threshold: float, relevant_rule: str = "alcE",
             joint: bool = True, strict: bool = False) -> dict:
    if not 0 < threshold <= 1:
        raise ValueError("threshold")
    claims = split_claims(answer)
    if not claims:
        raise ValueError("empty")

    def supported(text: str, ids: list[str]) -> bool:
        s = support(text, " ".join(sources.get(i, "") for i in ids))
        return s > threshold if strict else s >= threshold

    recalled, relevant, n = 0, 0, 0
    for text, cited in claims:
        whole = bool(cited) and (supported(text, cited) if joint else any(supported(text, [c]) for c in cited))
        recalled += whole
        for c in cited:
            n += 1
            alone = supported(text, [c])
            relevant += alone if relevant_rule == "alone" else alone or (whole and not supported(text, [i for i in cited if i != c]))
    return {"citation_recall": recalled / len(claims), "citation_precision": relevant / n if n else 0.0,
            "answer_support": support(" ".join(t for t, _ in claims), " ".join(sources.values())),
            "n_sentences": len(claims), "n_citations": n}


@pitfall(replaces="support", why="counts repeated claim tokens: 'romeo romeo juliet' is 2/3 supported by 'romeo'")
def token_counts(claim: str, evidence: str) -> float:
    tokens = content_tokens(claim)
    if not tokens:
        return 1.0
    found = set(content_tokens(evidence))
    return sum(t in found for t in tokens) / len(tokens)


@pitfall(replaces="support", why="divides by the evidence's tokens (recall of the evidence), not the claim's")
def evidence_denominator(claim: str, evidence: str) -> float:
    c, e = set(content_tokens(claim)), set(content_tokens(evidence))
    if not c:
        return 1.0
    return len(c & e) / max(len(e), 1)


@pitfall(replaces="support", why="keeps stopwords: 'the', 'of' make any claim look half supported")
def with_stopwords(claim: str, evidence: str) -> float:
    c, e = set(TOKEN.findall(claim.lower())), set(TOKEN.findall(evidence.lower()))
    if not c:
        return 1.0
    return len(c & e) / len(c)


@pitfall(replaces="support", why="an empty claim scores 0.0 instead of being vacuously supported")
def empty_claim_unsupported(claim: str, evidence: str) -> float:
    c = set(content_tokens(claim))
    return len(c & set(content_tokens(evidence))) / len(c) if c else 0.0


@pitfall(replaces="split_claims", why="leaves the [id] markers in the text: 's1' becomes a content token to support")
def markers_kept(answer: str) -> list[tuple[str, list[str]]]:
    out = []
    for piece in re.split(r"(?<=[.!?])\s+", answer):
        cited = list(dict.fromkeys(CITATION.findall(piece)))
        text = " ".join(piece.split())
        if CITATION.sub("", text).strip():
            out.append((text, cited))
    return out


@pitfall(replaces="split_claims", why="splits on '.' only: '!' and '?' do not end a sentence")
def full_stop_only(answer: str) -> list[tuple[str, list[str]]]:
    out = []
    for piece in re.split(r"(?<=[.])\s+", answer):
        cited = list(dict.fromkeys(CITATION.findall(piece)))
        text = " ".join(re.sub(r"\s*" + CITATION.pattern, "", piece).split())
        if text:
            out.append((text, cited))
    return out


@pitfall(replaces="citation_metrics", why="precision counts only citations that support the sentence alone")
def precision_alone_only(answer: str, sources: dict[str, str], threshold: float = 0.5) -> dict:
    return _metrics(answer, sources, threshold, relevant_rule="alone")


@pitfall(replaces="citation_metrics", why="recall asks whether any one citation supports the sentence, not all of them together")
def recall_any_single(answer: str, sources: dict[str, str], threshold: float = 0.5) -> dict:
    return _metrics(answer, sources, threshold, joint=False)


@pitfall(replaces="citation_metrics", why="support must exceed the threshold (>), so a sentence exactly at it fails")
def strict_threshold(answer: str, sources: dict[str, str], threshold: float = 0.5) -> dict:
    return _metrics(answer, sources, threshold, strict=True)

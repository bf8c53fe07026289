"""ret-04-10: groundedness metrics. Edit this file; `grader check ret-04-10` tests it."""
from __future__ import annotations

import re

CITATION = re.compile(r"\[([^\[\]\s]+)\]")        # a citation: an id in square brackets, e.g. [s12]
TOKEN = re.compile(r"[a-z0-9']+")
STOPWORDS = frozenset("""a an and are as at be but by for from had has have he her his i if in is it its me my
not of on or our she so than that the their them then there they this to was we were what when which who
will with would you your thee thou thy""".split())


def content_tokens(text: str) -> list[str]:
    """Lowercase word tokens of text that are not stopwords, in order, repeats kept (given, complete)."""
    return [t for t in TOKEN.findall(text.lower()) if t not in STOPWORDS]


def support(claim: str, evidence: str) -> float:
    claim_tokens = set(content_tokens(claim))
    if not claim_tokens:
        return 1.0
    return len(claim_tokens & set(content_tokens(evidence))) / len(claim_tokens)


def split_claims(answer: str) -> list[tuple[str, list[str]]]:
    out = []
    for piece in re.split(r"(?<=[.!?])\s+", answer):
        cited = list(dict.fromkeys(CITATION.findall(piece)))
        text = " ".join(re.sub(r"\s*" + CITATION.pattern, "", piece).split())
        if text:
            out.append((text, cited))
    return out


def citation_metrics(answer: str, sources: dict[str, str], threshold: float = 0.5) -> dict:
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], got {threshold}")
    claims = split_claims(answer)
    if not claims:
        raise ValueError("the answer has no sentence")

    def supported(text: str, ids: list[str]) -> bool:
        return support(text, " ".join(sources.get(i, "") for i in ids)) >= threshold

    recalled, relevant, n_citations = 0, 0, 0
    for text, cited in claims:
        whole = bool(cited) and supported(text, cited)
        recalled += whole
        for c in cited:
            n_citations += 1
            relevant += supported(text, [c]) or (whole and not supported(text, [i for i in cited if i != c]))
    return {"citation_recall": recalled / len(claims),
            "citation_precision": relevant / n_citations if n_citations else 0.0,
            "answer_support": support(" ".join(t for t, _ in claims), " ".join(sources.values())),
            "n_sentences": len(claims), "n_citations": n_citations}

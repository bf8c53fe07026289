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
    """Lexical support of a claim by evidence: the fraction of the claim's distinct content tokens
    (content_tokens) that occur among the evidence's content tokens.

    A claim without content tokens asserts nothing and is fully supported: 1.0.

    Returns:
        a float in [0, 1]
    """
    raise NotImplementedError("support: distinct claim tokens found in the evidence / distinct claim tokens")


def split_claims(answer: str) -> list[tuple[str, list[str]]]:
    """The answer's sentences, each with the ids it cites.

    Sentences end at ".", "!" or "?" followed by whitespace (or the end of the answer). A sentence's
    citations are the CITATION matches inside it, in order of first appearance, without repeats;
    its text is the sentence with every citation marker and the whitespace before it removed, runs
    of whitespace collapsed to one space, and stripped ("Romeo wept [s1]." -> "Romeo wept.").
    Pieces whose text is empty are dropped.

    Returns:
        [(text, [cited ids]), ...] in answer order
    """
    raise NotImplementedError("split_claims: split on sentence ends, pull out the [id] markers")


def citation_metrics(answer: str, sources: dict[str, str], threshold: float = 0.5) -> dict:
    """ALCE-style citation quality of an answer, with lexical support in place of an NLI model.

    A set of sources supports a sentence when support(sentence, their texts joined by " ") >= threshold.
    An id missing from sources has the empty text.
    - citation_recall: the fraction of sentences supported by all of their citations together
      (a sentence with no citation is not supported).
    - citation_precision: the fraction of all citations (over all sentences) that are relevant. A
      citation c of sentence s is relevant if c alone supports s, or if s is supported by its
      citations but not by its citations without c. 0.0 when the answer cites nothing.
    - answer_support: support(every sentence's text joined by " ", every source text joined by " "),
      the sources in the order of the dict.
    - n_sentences, n_citations: the counts the fractions are taken over.

    Returns:
        {"citation_recall": float, "citation_precision": float, "answer_support": float,
         "n_sentences": int, "n_citations": int}

    Raises:
        ValueError: if the answer has no sentence, or threshold is not in (0, 1].
    """
    raise NotImplementedError("citation_metrics: split, then score each sentence and each citation")

"""Tests for ret-04-1, a minimal RAG pipeline with citations.

References: faiss.IndexFlatIP over faiss.normalize_L2'd embeddings of real tiny-Shakespeare speeches
(the retrieval), the prompt template rebuilt line by line from the README, re.findall for the
citations, and two scripted generators: an extractive one that answers from the best-overlapping
source and cites it, and one that cites ids it was never shown.
"""
import re
import zlib

import faiss
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.testing import assert_close, assert_equal, describe_call

faiss.omp_set_num_threads(1)
INSTRUCTION = "Answer the question using only the sources below. Cite every source you use as [id]."


def longest_line(text: str) -> str:
    return max(text.split("\n")[1:] or [text], key=len)


def faiss_search(kata: object, chunks: list[tuple[str, str]], query: str, k: int) -> tuple[list[str], np.ndarray]:
    x = kata.embed_texts([t for _, t in chunks]).astype(np.float32)
    q = kata.embed_texts([query]).astype(np.float32)
    faiss.normalize_L2(x)
    faiss.normalize_L2(q)
    index = faiss.IndexFlatIP(x.shape[1])
    index.add(x)
    if min(k, len(chunks)) == 0:
        return [], np.zeros(0)
    scores, ids = index.search(q, min(k, len(chunks)))
    return [chunks[i][0] for i in ids[0]], scores[0]


def exact_scores(kata: object, chunks: list[tuple[str, str]], query: str) -> dict[str, float]:
    x = kata.embed_texts([t for _, t in chunks]).astype(np.float64)
    q = kata.embed_texts([query]).astype(np.float64)[0]
    x /= np.where((n := np.linalg.norm(x, axis=1, keepdims=True)) == 0, 1, n)
    q /= max(np.linalg.norm(q), 1e-300) if np.linalg.norm(q) > 0 else 1
    return {cid: float(s) for (cid, _), s in zip(chunks, x @ q, strict=True)}


def check_hits(hits: list, want_scores: np.ndarray, exact: dict[str, float], k: int, n: int, call: str) -> None:
    assert isinstance(hits, list), f"{call} returned {type(hits).__name__}, expected a list of (id, score)"
    assert len(hits) == min(k, n), f"{call} returned {len(hits)} hits, expected min(k, n) = {min(k, n)}"
    ids = [h[0] for h in hits]
    assert len(set(ids)) == len(ids), f"{call} returned an id twice: {ids}"
    assert all(isinstance(h[1], float) for h in hits), f"{call} returned scores of types {[type(h[1]).__name__ for h in hits]}, expected float"
    # FAISS scores in float32: ~1e-6
    assert_close([h[1] for h in hits], want_scores, rtol=0, atol=1e-5, name="scores (vs faiss.IndexFlatIP)", call=call)
    assert_close([exact[i] for i in ids], want_scores, rtol=0, atol=1e-5,
                 name="cosines of the returned ids (recomputed in float64)", call=call)


@settings(max_examples=15)
@given(start=st.integers(0, 7000), count=st.integers(1, 60), pick=st.integers(0, 10**6), k=st.integers(0, 8),
       query_kind=st.sampled_from(["line", "words", "nothing"]), wordless=st.booleans())
@example(start=1000, count=5, pick=3, k=8, query_kind="line", wordless=True)     # k > n, a chunk without words
@example(start=20, count=10, pick=0, k=0, query_kind="line", wordless=False)
@example(start=300, count=12, pick=1, k=4, query_kind="nothing", wordless=False)  # a query without words: every cosine 0
def test_search_matches_faiss(kata, start, count, pick, k, query_kind, wordless):
    chunks = kata.speeches(start, count)
    if wordless:   # embeds to the zero vector: cosine 0 with every query
        chunks.insert(pick % (len(chunks) + 1), ("blank", "-- ! --"))
    source = chunks[pick % len(chunks)][1]
    query = {"line": longest_line(source), "words": "the king my lord love death", "nothing": "?! --"}[query_kind]
    index = kata.RagIndex(kata.embed_texts)
    index.add(chunks)
    call = describe_call("RagIndex.search", query, k) + f" over speeches {start}..{start + len(chunks) - 1}"
    hits = index.search(query, k)
    want_ids, want_scores = faiss_search(kata, chunks, query, k)
    check_hits(hits, want_scores, exact_scores(kata, chunks, query), k, len(chunks), call)
    if query_kind == "nothing":
        assert_equal([h[0] for h in hits], [c for c, _ in chunks[:k]],
                      name="ids (all scores 0: insertion order)", call=call)
    assert len(index) == len(chunks), f"len(index) is {len(index)} after adding {len(chunks)} chunks"


def scaled(embed: object) -> object:
    """embed with each row scaled by a factor in [0.1, 10) that depends on the text: cosines unchanged."""
    def scaled_embed(texts: list[str]) -> np.ndarray:
        scale = np.array([0.1 + (zlib.crc32(t.encode()) % 1000) / 100 for t in texts], dtype=np.float32)
        return embed(texts) * scale[:, None]
    return scaled_embed


@settings(max_examples=10)
@given(start=st.integers(0, 7000), count=st.integers(2, 40), pick=st.integers(0, 10**6), k=st.integers(1, 6))
@example(start=2000, count=30, pick=7, k=5)
def test_search_ranks_by_cosine_not_dot_product(kata, start, count, pick, k):
    chunks = kata.speeches(start, count)
    query = longest_line(chunks[pick % len(chunks)][1])
    index = kata.RagIndex(scaled(kata.embed_texts))
    index.add(chunks)
    call = describe_call("RagIndex.search", query, k) + " with an embed whose rows have lengths 0.1..10"
    want_ids, want_scores = faiss_search(kata, chunks, query, k)
    check_hits(index.search(query, k), want_scores, exact_scores(kata, chunks, query), k, len(chunks), call)


@given(order=st.permutations(list(range(6))), k=st.integers(1, 6), batches=st.integers(1, 3))
@example(order=[5, 4, 3, 2, 1, 0], k=6, batches=1)
def test_equal_scores_in_insertion_order_across_batches(kata, order, k, batches):
    texts = ["my lord the king", "my lord the king", "o romeo romeo", "my lord the king", "o romeo romeo", "the king"]
    chunks = [(f"id{i}", texts[i]) for i in order]
    index = kata.RagIndex(kata.embed_texts)
    step = -(-len(chunks) // batches)
    for b in range(0, len(chunks), step):
        index.add(chunks[b:b + step])
    exact = exact_scores(kata, chunks, "the king, my lord")
    want = sorted(range(len(chunks)), key=lambda i: (-round(exact[chunks[i][0]], 9), i))[:k]
    call = describe_call("RagIndex.search", "the king, my lord", k) + f" after adding {[c for c, _ in chunks]} in {batches} batch(es)"
    assert_equal([h[0] for h in index.search("the king, my lord", k)], [chunks[i][0] for i in want],
                  name="ids (equal scores in insertion order)", call=call)
    for cid, text in chunks:
        assert index.text(cid) == text, f"index.text({cid!r}) returned {index.text(cid)!r}, expected {text!r}"


@given(dup_within=st.booleans())
@example(dup_within=True)
@example(dup_within=False)
def test_add_rejects_duplicate_ids_and_adds_nothing(kata, dup_within):
    chunks = kata.speeches(50, 4)
    index = kata.RagIndex(kata.embed_texts)
    index.add(chunks[:2])
    bad = [chunks[2], chunks[2]] if dup_within else [chunks[3], chunks[0]]
    with pytest.raises(ValueError):
        index.add(bad)
        pytest.fail(f"RagIndex.add({[c for c, _ in bad]}) after adding {[c for c, _ in chunks[:2]]} returned instead of raising ValueError")
    assert len(index) == 2, f"a rejected add still changed the index: len is {len(index)}, expected 2"
    got = [h[0] for h in index.search(chunks[3][1], 5)]
    assert sorted(got) == sorted(c for c, _ in chunks[:2]), f"a rejected add left chunks behind: search now finds {got}"


def test_empty_index_and_bad_arguments(kata):
    index = kata.RagIndex(kata.embed_texts)
    assert len(index) == 0, f"a new RagIndex has len {len(index)}, expected 0"
    assert index.search("anything", 3) == [], "search on an empty index must return []"
    index.add([])
    index.add(kata.speeches(0, 3))
    with pytest.raises(ValueError):
        index.search("citizen", -1)
        pytest.fail("RagIndex.search(k=-1) returned instead of raising ValueError")
    with pytest.raises(KeyError):
        index.text("s99999")
        pytest.fail("RagIndex.text of an unknown id returned instead of raising KeyError")


def reference_prompt(question: str, sources: list[tuple[str, str]]) -> str:
    lines = [INSTRUCTION, ""] + [f"[{cid}] {' '.join(text.split())}" for cid, text in sources]
    return "\n".join(lines + ["", f"Question: {question}", "Answer:"])


@given(question=st.text(alphabet="abc ?'", min_size=1, max_size=20),
       texts=st.lists(st.text(alphabet="ab \n\t.", max_size=15), max_size=4))
@example(question="Who speaks first?", texts=[])
@example(question="Why?", texts=["  First Citizen:\n\tBefore we   proceed \n"])
def test_build_prompt_template(kata, question, texts):
    sources = [(f"s{3 * i + 1}", t) for i, t in enumerate(texts)]
    call = describe_call("build_prompt", question, sources)
    got = kata.build_prompt(question, sources)
    want = reference_prompt(question, sources)
    if got != want:
        g, w = got.split("\n"), want.split("\n")
        first = next((i for i in range(min(len(g), len(w))) if g[i] != w[i]), min(len(g), len(w)))
        raise AssertionError(f"{call} differs from the template at line {first}:\n"
                             f"  got      {g[first] if first < len(g) else '<missing>'!r}\n"
                             f"  expected {w[first] if first < len(w) else '<missing>'!r}")
    cited = re.findall(r"^\[([^\]]+)\] ", got, flags=re.M)
    assert cited == [c for c, _ in sources], f"{call}: the prompt's source ids {cited} are not exactly the sources given"


def extractive(prompt: str) -> str:
    """A scripted generator: answers with the source sharing the most words with the question, citing it."""
    sources = re.findall(r"^\[(\S+)\] (.*)$", prompt, flags=re.M)
    question = re.search(r"^Question: (.*)$", prompt, flags=re.M).group(1)
    if not sources:
        return "I do not know."
    words = set(question.lower().split())
    cid, text = max(sources, key=lambda s: len(words & set(s[1].lower().split())))
    return f"{text[:40]} [{cid}]"


@settings(max_examples=10)
@given(start=st.integers(0, 7000), count=st.integers(5, 80), pick=st.integers(0, 10**6), k=st.integers(1, 5))
@example(start=1000, count=80, pick=11, k=3)
def test_rag_answer_end_to_end(kata, start, count, pick, k):
    chunks = kata.speeches(start, count)
    target_id, target_text = chunks[pick % len(chunks)]
    question = longest_line(target_text)
    index = kata.RagIndex(kata.embed_texts)
    index.add(chunks)
    prompts: list[str] = []

    def generate(prompt: str) -> str:
        prompts.append(prompt)
        return extractive(prompt)

    call = describe_call("rag_answer", question, "RagIndex", "extractive generator", k=k)
    out = kata.rag_answer(question, index, generate, k=k)
    assert len(prompts) == 1, f"{call} called generate {len(prompts)} times, expected exactly once"
    want_ids, _ = faiss_search(kata, chunks, question, k)
    exact = exact_scores(kata, chunks, question)
    assert_close([exact[i] for i in out["retrieved"]], [exact[i] for i in want_ids], rtol=0, atol=1e-5,
                 name="cosines of the retrieved ids (vs faiss.IndexFlatIP's top k)", call=call)
    texts = dict(chunks)
    want_prompt = reference_prompt(question, [(cid, texts[cid]) for cid in out["retrieved"]])
    assert prompts[0] == want_prompt, f"{call} prompted generate with\n{prompts[0]!r}\nexpected\n{want_prompt!r}"
    assert out["prompt"] == prompts[0], f"{call} returned a 'prompt' that is not the one generate received"
    assert out["answer"] == extractive(want_prompt), f"{call} returned answer {out['answer']!r}, not generate's output"
    cited = re.findall(r"\[(\S+)\]", out["answer"])
    assert out["citations"] == cited and out["invalid"] == [], (
        f"{call} returned citations {out['citations']} and invalid {out['invalid']}, expected {cited} and []")


@given(retrieved_cited=st.lists(st.integers(0, 2), max_size=5), fake=st.lists(st.sampled_from(["s99999", "x1", "s0"]), max_size=4),
       k=st.sampled_from([None, 1, 2, 3]))
@example(retrieved_cited=[2, 0, 2], fake=["x1", "x1", "s99999"], k=None)
def test_rag_answer_sorts_citations(kata, retrieved_cited, fake, k):
    chunks = [("a1", "the king is dead"), ("b2", "long live the king"), ("c3", "the queen speaks"),
              ("d4", "a horse a horse"), ("s0", "my kingdom for a horse")]
    index = kata.RagIndex(kata.embed_texts)
    index.add(chunks)
    question = "the king, the queen, the king is dead"
    kk = 3 if k is None else k
    exact = exact_scores(kata, chunks, question)
    top = sorted((c for c, _ in chunks), key=lambda c: (-round(exact[c], 9), [x for x, _ in chunks].index(c)))[:kk]
    parts = [f"[{top[i % kk]}]" for i in retrieved_cited] + [f"[{f}]" for f in fake] + ["[not a citation]"]
    answer = " and ".join(parts) if parts else "nothing"
    kwargs = {} if k is None else {"k": k}
    out = kata.rag_answer(question, index, lambda prompt: answer, **kwargs)
    cited = list(dict.fromkeys(re.findall(r"\[([^\[\]\s]+)\]", answer)))
    call = describe_call("rag_answer", question, "RagIndex", f"generator answering {answer!r}", **kwargs)
    assert out["retrieved"] == top, f"{call} retrieved {out['retrieved']}, expected {top}"
    assert out["citations"] == [c for c in cited if c in top], (
        f"{call} returned citations {out['citations']}, expected {[c for c in cited if c in top]} "
        "(retrieved ids cited, first appearance order, no repeats)")
    assert out["invalid"] == [c for c in cited if c not in top], (
        f"{call} returned invalid {out['invalid']}, expected {[c for c in cited if c not in top]} "
        "(cited ids that were not retrieved, first appearance order, no repeats)")


@settings(max_examples=5)
@given(seed=st.integers(0, 1000))
def test_retrieval_finds_the_speech_a_line_came_from(kata, seed):
    """Measured on real data: a speech's longest line retrieves that speech in the top 3 for most speeches."""
    chunks = kata.speeches(1000 + seed, 300)
    index = kata.RagIndex(kata.embed_texts)
    index.add(chunks)
    rng = np.random.default_rng(seed)
    picks = rng.choice(len(chunks), 40, replace=False)
    hits = sum(chunks[i][0] in [c for c, _ in index.search(longest_line(chunks[i][1]), 3)] for i in picks)
    assert hits >= 30, f"only {hits} of 40 lines retrieved their own speech in the top 3 (the reference gets >= 36)"

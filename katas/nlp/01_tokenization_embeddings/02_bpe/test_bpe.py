"""Tests for nlp-01-2, byte-level Byte-Pair Encoding.

Reference: Hugging Face `tokenizers`. Training is compared with `trainers.BpeTrainer` given the
same pieces (each byte b written as the character chr(0x100 + b), so that its alphabet of 256
characters has the ids 0..255 in byte order and its tie-break is the kata's), and encoding with a
`models.BPE` built from the same merges. Round trips run on arbitrary Unicode; the shipped
corpus.txt is a small training text.
"""
import json
import random
import re
from functools import cache
from pathlib import Path

from hypothesis import example, given
from hypothesis import strategies as st
from tokenizers import Tokenizer, models, trainers

from grader.strategies import seeds
from grader.testing import assert_equal, describe_call

CORPUS = Path(__file__).with_name("corpus.txt")
PIECES = re.compile(r" ?[^ ]+| +")  # the kata's pre-tokenization, written out again
# Alphabets with spaces (piece boundaries), repeated letters (overlapping pairs) and multi-byte characters.
ALPHABETS = st.sampled_from(["ab ", "aab  ", "abc ", "aé中 ", "xyz\n ", "🙂a "])


def as_chars(data: bytes) -> str:
    return "".join(chr(0x100 + b) for b in data)


def as_bytes(chars: str) -> bytes:
    return bytes(ord(c) - 0x100 for c in chars)


def hf_train(text: str, num_merges: int) -> list[tuple[bytes, bytes]]:
    tok = Tokenizer(models.BPE())
    trainer = trainers.BpeTrainer(vocab_size=256 + num_merges, show_progress=False,
                                  initial_alphabet=[chr(0x100 + b) for b in range(256)])
    tok.train_from_iterator([as_chars(p.encode("utf-8")) for p in PIECES.findall(text)], trainer)
    merges = json.loads(tok.to_str())["model"]["merges"]
    pairs = [m if isinstance(m, list) else m.split(" ") for m in merges]
    return [(as_bytes(a), as_bytes(b)) for a, b in pairs][:num_merges]


def reference_ids(merges: list[tuple[bytes, bytes]]) -> dict[bytes, int]:
    vocab = {bytes([b]): b for b in range(256)}
    for i, (a, b) in enumerate(merges):
        vocab.setdefault(a + b, 256 + i)
    return vocab


def hf_encode(text: str, merges: list[tuple[bytes, bytes]]) -> list[int]:
    vocab = {as_chars(t): i for t, i in reference_ids(merges).items()}
    tok = Tokenizer(models.BPE(vocab=vocab, merges=[(as_chars(a), as_chars(b)) for a, b in merges]))
    return [i for piece in PIECES.findall(text) for i in tok.encode(as_chars(piece.encode("utf-8"))).ids]


@cache
def corpus_merges(num_merges: int) -> tuple[tuple[bytes, bytes], ...]:
    return tuple(hf_train(CORPUS.read_text(encoding="utf-8"), num_merges))


@st.composite
def texts(draw: st.DrawFn, max_size: int = 60) -> str:
    return draw(st.text(alphabet=draw(ALPHABETS), max_size=max_size))


@st.composite
def merge_lists(draw: st.DrawFn) -> list[tuple[bytes, bytes]]:
    """A random valid merge list over a small alphabet: each merge joins two existing tokens into a new one."""
    tokens = sorted({bytes([b]) for b in "aé b".encode()})
    merges = []
    rng = random.Random(draw(seeds()))
    for _ in range(draw(st.integers(0, 25))):
        left, right = rng.choice(tokens), rng.choice(tokens)
        if left + right not in tokens:
            tokens.append(left + right)
            merges.append((left, right))
    return merges


def show(merges: list) -> str:
    return "[" + ", ".join(f"({a!r}, {b!r})" for a, b in merges[:8]) + (", ..." if len(merges) > 8 else "") + "]"


@given(text=texts(), num_merges=st.integers(1, 30))
@example(text="aaa aaaa", num_merges=3)       # overlapping pairs: (a, a) counts twice in "aaa"
@example(text="ab ba", num_merges=2)          # a three-way tie: (" ", "b") wins, it has the smallest ids
@example(text="ab", num_merges=5)             # stops after one merge: nothing left to merge
@example(text="a b", num_merges=2)            # pieces "a" and " b": (32, 98) is the only pair, nothing crosses pieces
@example(text="é中é中", num_merges=6)          # multi-byte characters are merged byte by byte
def test_train_matches_hf_bpe_trainer(kata, text, num_merges):
    call = describe_call("train_bpe", text, num_merges)
    want = hf_train(text, num_merges)
    got = [tuple(m) for m in kata.train_bpe(text, num_merges)]
    assert got == want, (
        f"{call} returned {len(got)} merges {show(got)}\n  tokenizers' BpeTrainer learns {len(want)}: {show(want)}\n"
        + next((f"  first difference at merge {i}: got {g!r}, expected {w!r}"
                for i, (g, w) in enumerate(zip(got, want, strict=False)) if g != w), "")
        + "\n  (pairs counted inside pieces only, weighted by piece counts; ties to the smallest (left id, right id))")


@given(num_merges=st.sampled_from([5, 20, 60]))
def test_train_on_the_corpus_matches_hf(kata, num_merges):
    text = CORPUS.read_text(encoding="utf-8")
    got = [tuple(m) for m in kata.train_bpe(text, num_merges)]
    want = list(corpus_merges(num_merges))
    assert got == want, (f"train_bpe(corpus.txt, {num_merges}) differs from tokenizers' BpeTrainer\n"
                         f"  got {show(got)}\n  expected {show(want)}")


@given(train=texts(), text=texts(), num_merges=st.integers(0, 30))
@example(train="aaa aaa", text="aaaaa", num_merges=2)
@example(train="the cat sat", text=" the  cat\n", num_merges=10)
def test_encode_matches_hf_bpe_on_trained_merges(kata, train, text, num_merges):
    merges = hf_train(train, num_merges) if num_merges else []
    call = describe_call("encode", text, show(merges))
    assert_equal([int(i) for i in kata.encode(text, merges)], hf_encode(text, merges), name="ids", call=call)


@given(merges=merge_lists(), text=st.text(alphabet="aé b", max_size=40))
@example(merges=[(b"a", b"a"), (b"a", b"aa")], text="aaaa")    # a a a a -> aa aa, never a aaa
@example(merges=[(b" ", b"a"), (b"a", b"a"), (b" a", b"a")], text=" aaa")  # rank order, not left to right
def test_encode_matches_hf_bpe_on_random_merge_lists(kata, merges, text):
    call = describe_call("encode", text, show(merges))
    assert_equal([int(i) for i in kata.encode(text, merges)], hf_encode(text, merges), name="ids", call=call)


@given(text=st.text(max_size=40), num_merges=st.sampled_from([0, 20, 60]))
@example(text="naïve café 東京 🙂", num_merges=60)
@example(text="\x00\n\t  \u2028", num_merges=20)
def test_round_trip_on_arbitrary_unicode(kata, text, num_merges):
    merges = list(corpus_merges(num_merges)) if num_merges else []
    ids = kata.encode(text, merges)
    got = kata.decode(ids, merges)
    assert got == text, (f"decode(encode({text!r})) with {num_merges} corpus merges returned {got!r}\n"
                         "  (join the bytes of ALL tokens before decoding: one character can be split over tokens)")


@given(data=st.data(), num_merges=st.sampled_from([20, 60]))
def test_decode_joins_bytes_before_utf8(kata, data, num_merges):
    """Any id sequence decodes to its concatenated bytes, decoded once with errors='replace'."""
    merges = list(corpus_merges(num_merges))
    table = {i: t for t, i in reference_ids(merges).items()}
    ids = data.draw(st.lists(st.sampled_from(sorted(table)), max_size=12))
    want = b"".join(table[i] for i in ids).decode("utf-8", errors="replace")
    got = kata.decode(ids, merges)
    assert got == want, f"decode({ids}) returned {got!r}, expected {want!r}"

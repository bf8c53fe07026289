"""Tests for nlp-01-4, SentencePiece tokenization (unigram model with byte fallback).

Reference: the `sentencepiece` library itself. A unigram model is trained on the shipped
corpus.txt (byte_fallback, identity normalisation, extra whitespace kept); random vocabularies are
written into a copy of its model proto (sentencepiece_model_pb2), so that unknown characters,
pieces with spaces inside and missing single characters are all exercised. Encoding must give
SentencePiece's ids (on an exact tie of scores, another best path is accepted), decoding its text,
and decode(encode(text)) must give back arbitrary Unicode text.
"""
import io
from functools import cache
from pathlib import Path

import sentencepiece as spm
from hypothesis import example, given
from hypothesis import strategies as st
from sentencepiece import sentencepiece_model_pb2 as pb

from grader.testing import describe_call

CORPUS = Path(__file__).with_name("corpus.txt")
SPACE = "\u2581"
NORMAL = pb.ModelProto.SentencePiece.NORMAL
KINDS = {pb.ModelProto.SentencePiece.NORMAL: "normal", pb.ModelProto.SentencePiece.UNKNOWN: "unknown",
         pb.ModelProto.SentencePiece.CONTROL: "control", pb.ModelProto.SentencePiece.BYTE: "byte",
         pb.ModelProto.SentencePiece.UNUSED: "unused"}
# Words of the corpus, spaces, and characters the model has never seen (they fall back to bytes).
EXTRA = "ÆΩ⌘😀\t\n<>s"


@cache
def trained_proto() -> bytes:
    out = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(CORPUS.read_text(encoding="utf-8").splitlines()), model_writer=out,
        model_type="unigram", vocab_size=420, byte_fallback=True, normalization_rule_name="identity",
        remove_extra_whitespaces=False, hard_vocab_limit=False, num_threads=1, minloglevel=3)
    return out.getvalue()


def processor(proto: bytes) -> spm.SentencePieceProcessor:
    return spm.SentencePieceProcessor(model_proto=proto)


def piece_model(kata, proto: bytes):
    m = pb.ModelProto()
    m.ParseFromString(proto)
    return kata.PieceModel(tuple(p.piece for p in m.pieces), tuple(float(p.score) for p in m.pieces),
                           tuple(KINDS[p.type] for p in m.pieces))


def random_proto(pieces: list[tuple[str, float]]) -> bytes:
    """The trained model's special and byte pieces, with `pieces` as its normal pieces."""
    m = pb.ModelProto()
    m.ParseFromString(trained_proto())
    special = [p for p in m.pieces if p.type != NORMAL]
    del m.pieces[:]
    m.pieces.extend(special)
    for text, score in pieces:
        m.pieces.add(piece=text, score=score, type=NORMAL)
    return m.SerializeToString()


@st.composite
def vocabularies(draw: st.DrawFn, alphabet: str) -> list[tuple[str, float]]:
    texts = draw(st.lists(st.text(alphabet=alphabet + SPACE, min_size=1, max_size=4), min_size=1, max_size=15,
                          unique=True))
    return [(t, draw(st.floats(-8.0, -0.125, width=32))) for t in texts]


def path_score(ids: list[int], proto: bytes, text: str) -> float | None:
    """SentencePiece's score of the path behind `ids`, or None if they are not a valid path for text."""
    m = pb.ModelProto()
    m.ParseFromString(proto)
    pieces = list(m.pieces)
    norm = processor(proto).normalize(text)
    normal = {p.piece: p.score for p in pieces if p.type == NORMAL}
    unk_score = min(normal.values()) - 10.0
    byte_of = {i: int(p.piece[3:5], 16) for i, p in enumerate(pieces) if p.type == pb.ModelProto.SentencePiece.BYTE}
    pos, i, score = 0, 0, 0.0
    while i < len(ids):
        if not 0 <= ids[i] < len(pieces):
            return None
        p = pieces[ids[i]]
        if p.type == NORMAL and norm.startswith(p.piece, pos):
            score, pos, i = score + p.score, pos + len(p.piece), i + 1
        elif p.type == pb.ModelProto.SentencePiece.BYTE and pos < len(norm) and norm[pos] not in normal:
            raw = norm[pos].encode("utf-8")
            if [byte_of.get(j) for j in ids[i:i + len(raw)]] != list(raw):
                return None
            score, pos, i = score + unk_score, pos + 1, i + len(raw)
        else:
            return None
    return score if pos == len(norm) else None


def check_encoding(kata, text: str, proto: bytes, label: str) -> None:
    call = describe_call("encode", text, label)
    sp = processor(proto)
    want = sp.encode(text)
    got = [int(i) for i in kata.encode(text, piece_model(kata, proto))]
    if got == want:
        return
    got_score, want_score = path_score(got, proto, text), path_score(want, proto, text)
    # SentencePiece sums float32 scores; two paths made of the same pieces in another order tie up to
    # float32 rounding (~1e-6 here), which decides its choice. Any other difference is a real one.
    if got_score is not None and abs(got_score - want_score) <= 1e-4:
        return
    pieces = lambda ids: [sp.id_to_piece(i) if 0 <= i < sp.get_piece_size() else i for i in ids]  # noqa: E731
    raise AssertionError(
        f"{call} returned {got}\n  = {pieces(got)}"
        + ("  (not a segmentation of the normalised text)" if got_score is None else f"  score {got_score:.5f}")
        + f"\n  sentencepiece gives {want}\n  = {pieces(want)}  score {want_score:.5f}")


@st.composite
def texts(draw: st.DrawFn) -> str:
    words = CORPUS.read_text(encoding="utf-8").split()
    parts = draw(st.lists(st.one_of(st.sampled_from(words), st.text(alphabet=EXTRA, min_size=1, max_size=3),
                                    st.sampled_from([" ", "  ", "▁"])), max_size=8))
    return draw(st.sampled_from([" ", ""])).join(parts)


@given(text=st.text(max_size=30))
@example(text="")
@example(text=" two  spaces ")
@example(text="already▁escaped")
def test_normalize_matches_sentencepiece(kata, text):
    want = processor(trained_proto()).normalize(text)
    got = kata.normalize(text)
    assert got == want, f"normalize({text!r}) returned {got!r}, sentencepiece gives {want!r}"


@given(text=texts())
@example(text="The cat sat on the mat.")
@example(text="Æ😀 <s></s><unk><0x41>")   # unseen characters, and text that looks like special pieces
@example(text="  leading and trailing spaces  ")
@example(text="")
def test_encode_matches_sentencepiece_trained_on_the_corpus(kata, text):
    check_encoding(kata, text, trained_proto(), "model trained on corpus.txt")


@st.composite
def random_cases(draw: st.DrawFn) -> tuple[list[tuple[str, float]], str]:
    alphabet = draw(st.sampled_from(["ab", "abc", "aé中"]))
    return draw(vocabularies(alphabet)), draw(st.text(alphabet=alphabet + " x", max_size=12))


@given(case=random_cases())
# No "a" or "b" on their own: "▁ab" must be ▁ + ab; ▁a + <unk b> scores less only thanks to UNK_PENALTY.
@example(case=([(SPACE, -0.5), (SPACE + "a", -0.125), ("ab", -9.0)], "ab"))
# "ab" matches at "a" but leads nowhere good: the unknown edge for "a" (then "bcc") must exist as well.
@example(case=([(SPACE, -1.0), ("ab", -2.0), ("bcc", -1.0)], "abcc"))
@example(case=([(SPACE + SPACE, -1.0), ("a", -2.0)], "  a  x"))
# The unknown score is the LOWEST normal score minus the penalty: with the highest one, <unk a> + b would beat "ab".
@example(case=([(SPACE, -0.5), ("ab", -15.0), ("b", -0.5)], "ab"))
# After an unknown character the search must go on comparing scores: a + b (-2) beats ab (-5).
@example(case=([(SPACE, -1.0), ("a", -1.0), ("b", -1.0), ("ab", -5.0)], "éab"))
def test_encode_matches_sentencepiece_with_random_vocabularies(kata, case):
    """Missing single characters, spaces inside pieces: the unknown-character edges really compete here."""
    pieces, text = case
    check_encoding(kata, text, random_proto(pieces), f"normal pieces {pieces}")


@given(ids=st.lists(st.integers(0, 419), max_size=10), bytes_only=st.lists(st.integers(3, 258), max_size=6))
@example(ids=[], bytes_only=[0xE4 + 3, 0xB8 + 3])            # a truncated 3-byte character: two U+FFFD
@example(ids=[1, 2], bytes_only=[0xC3 + 3, 0xB6 + 3])         # control pieces, then a valid "ö"
@example(ids=[0], bytes_only=[])                              # the unknown piece
def test_decode_matches_sentencepiece(kata, ids, bytes_only):
    sp = processor(trained_proto())
    seq = [i for i in ids if i < sp.get_piece_size()] + bytes_only
    call = describe_call("decode", seq, "model trained on corpus.txt")
    want = sp.decode(seq)
    got = kata.decode(seq, piece_model(kata, trained_proto()))
    assert got == want, (f"{call} returned {got!r}, sentencepiece gives {want!r}\n  pieces: "
                         f"{[sp.id_to_piece(i) for i in seq]}")


@given(text=st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters=SPACE), max_size=30))
@example(text=" 中文 and émoji 🙂, tabs\tand\nnewlines ")
@example(text=" ")
@example(text="the cat sat on the mat.")     # the first piece is a longer "▁..." piece: drop one ▁, not more
def test_round_trip_on_arbitrary_unicode(kata, text):
    model = piece_model(kata, trained_proto())
    ids = kata.encode(text, model)
    got = kata.decode(ids, model)
    assert got == text, f"decode(encode({text!r})) returned {got!r}: byte fallback makes every text round-trip"

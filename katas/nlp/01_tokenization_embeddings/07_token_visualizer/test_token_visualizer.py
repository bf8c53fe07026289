"""Tests for nlp-01-7, a token visualizer mapping words and chunks of text to token ids.

Reference: a Hugging Face `tokenizers` byte-level BPE trained on the shipped corpus.txt (its
tokens, ids and character offsets, which must agree with yours wherever a token does not split a
character), brute-force byte/character bookkeeping on random cuts of arbitrary Unicode text,
Python's html.parser (the HTML must read back as exactly the text), and the figure's structure.
"""
import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import matplotlib.pyplot as plt
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from matplotlib.colors import to_rgba
from matplotlib.patches import Rectangle
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

from grader.testing import describe_call

CORPUS = Path(__file__).with_name("corpus.txt")
UNICODE = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)
EXTRA = "ïé東京🙂<>&\"'\n\t"


@cache
def trained() -> Tokenizer:
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=400, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
                                  show_progress=False)
    tok.train_from_iterator(CORPUS.read_text(encoding="utf-8").splitlines(), trainer)
    return tok


@cache
def byte_of() -> dict[str, int]:
    """GPT-2's byte <-> printable character table, inverted: ByteLevel token characters -> bytes."""
    bs = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1), *range(ord("®"), ord("ÿ") + 1)]
    cs = bs[:]
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + len(cs) - 188)
    return {chr(c): b for b, c in zip(bs, cs, strict=True)}


def hf_encode(text: str) -> tuple[list[bytes], list[int], list[tuple[int, int]]]:
    enc = trained().encode(text)
    pieces = [bytes(byte_of()[c] for c in token) for token in enc.tokens]
    return pieces, list(enc.ids), [tuple(o) for o in enc.offsets]


def first_bytes(text: str) -> list[int]:
    out, offset = [], 0
    for ch in text:
        out.append(offset)
        offset += len(ch.encode("utf-8"))
    return out


def reference_spans(text: str, pieces: list[bytes]) -> list[tuple[int, int]]:
    starts, spans, b0 = first_bytes(text), [], 0
    for piece in pieces:
        b1 = b0 + len(piece)
        spans.append((sum(s < b0 for s in starts), sum(s < b1 for s in starts)))
        b0 = b1
    return spans


@st.composite
def corpus_texts(draw: st.DrawFn) -> str:
    words = CORPUS.read_text(encoding="utf-8").split()
    parts = draw(st.lists(st.one_of(st.sampled_from(words), st.text(alphabet=EXTRA, min_size=1, max_size=3)),
                          max_size=8))
    return draw(st.sampled_from([" ", "", "  "])).join(parts)


@st.composite
def random_cuts(draw: st.DrawFn) -> tuple[str, list[bytes]]:
    """Arbitrary Unicode text cut at arbitrary BYTE positions, so characters are split between tokens."""
    text = draw(UNICODE)
    data = text.encode("utf-8")
    cuts = sorted(draw(st.sets(st.integers(1, max(1, len(data) - 1)), max_size=len(data)))) if len(data) > 1 else []
    bounds = [0, *cuts, len(data)] if data else [0]
    return text, [data[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


@given(text=corpus_texts())
@example(text="The cat sat on the mat.")
@example(text="naïve café 東京 🙂")
@example(text="")
def test_spans_agree_with_hf_offsets(kata, text):
    pieces, ids, offsets = hf_encode(text)
    call = describe_call("char_spans", text, pieces)
    got = [tuple(s) for s in kata.char_spans(text, pieces)]
    want = reference_spans(text, pieces)
    assert got == want, f"{call} returned {got}\n  expected {want}"
    starts = set(first_bytes(text)) | {len(text.encode("utf-8"))}
    b0 = 0
    for n, piece in enumerate(pieces):
        b1 = b0 + len(piece)
        if b0 in starts and b1 in starts:   # a token made of whole characters: tokenizers' offsets are the truth
            assert got[n] == offsets[n], (f"{call}: token {n} {piece!r} got span {got[n]}, tokenizers' offset is "
                                          f"{offsets[n]} (count characters, not bytes)")
        b0 = b1


@given(case=random_cuts())
@example(case=("中", [b"\xe4", b"\xb8", b"\xad"]))           # one character in three tokens: (0, 1), (1, 1), (1, 1)
@example(case=("aé", [b"a\xc3", b"\xa9"]))                  # the token holding é's first byte owns é
@example(case=("", []))
def test_spans_tile_arbitrary_unicode(kata, case):
    text, pieces = case
    call = describe_call("char_spans", text, pieces)
    got = [tuple(s) for s in kata.char_spans(text, pieces)]
    want = reference_spans(text, pieces)
    assert got == want, f"{call} returned {got}\n  expected {want} (a character belongs to the token of its first byte)"
    bounds = [0] + [e for _, e in got]
    assert all(s == bounds[n] for n, (s, _) in enumerate(got)) and bounds[-1] == len(text), (
        f"{call}: the spans {got} do not tile the {len(text)} characters of the text")


@given(text=UNICODE, extra=st.sampled_from([b"x", b"\xff", b""]))
def test_rejects_pieces_that_do_not_spell_the_text(kata, text, extra):
    pieces = [text.encode("utf-8") + extra] if extra else [text.encode("utf-8")[:-1]] if text else [b"x"]
    with pytest.raises(ValueError):
        kata.char_spans(text, pieces)
        pytest.fail(f"char_spans({text!r}, {pieces!r}) returned although the pieces do not spell the text")


def reference_words(text: str, pieces: list[bytes], ids: list[int]) -> list[tuple[str, list[int]]]:
    starts = [*first_bytes(text), len(text.encode("utf-8"))]
    owner = []   # the byte range of every token
    b0 = 0
    for piece in pieces:
        owner.append(range(b0, b0 + len(piece)))
        b0 += len(piece)
    out = []
    for m in re.finditer(r"\S+", text):
        word_bytes = set(range(starts[m.start()], starts[m.end()]))
        out.append((m.group(), [i for r, i in zip(owner, ids, strict=True) if word_bytes & set(r)]))
    return out


@given(text=corpus_texts())
@example(text="the cat  sat\non the mat")
@example(text="東京🙂 ok")
def test_words_to_ids_on_a_real_tokenizer(kata, text):
    pieces, ids, _ = hf_encode(text)
    call = describe_call("words_to_ids", text, pieces, ids)
    got = [(w, [int(i) for i in t]) for w, t in kata.words_to_ids(text, pieces, ids)]
    want = reference_words(text, pieces, ids)
    assert got == want, f"{call} returned {got}\n  expected {want}"


@given(case=random_cuts())
@example(case=("ab cd", [b"ab c", b"d"]))   # a token straddling two words belongs to both
def test_words_to_ids_on_random_cuts(kata, case):
    text, pieces = case
    ids = list(range(100, 100 + len(pieces)))
    call = describe_call("words_to_ids", text, pieces, ids)
    got = [(w, [int(i) for i in t]) for w, t in kata.words_to_ids(text, pieces, ids)]
    want = reference_words(text, pieces, ids)
    assert got == want, f"{call} returned {got}\n  expected {want}"


class SpanReader(HTMLParser):
    """Collects the tok spans (attributes and text) and all the text of the fragment."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.spans, self.text, self.depth, self.other = [], [], 0, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "span" and attrs.get("class") == "tok":
            self.spans.append({"title": attrs.get("title"), "style": attrs.get("style") or "", "text": ""})
            self.depth += 1
        elif tag != "div":
            self.other.append(tag)

    def handle_endtag(self, tag):
        if tag == "span" and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        self.text.append(data)
        if self.depth and self.spans:
            self.spans[-1]["text"] += data


def check_html(kata, text: str, spans: list[tuple[int, int]], ids: list[int]) -> None:
    call = describe_call("render_html", text, spans, ids)
    fragment = kata.render_html(text, spans, ids)
    reader = SpanReader()
    reader.feed(fragment)
    reader.close()
    assert not reader.other, f"{call}: the fragment contains unexpected <{reader.other[0]}> tags; escape the text"
    assert len(reader.spans) == len(ids), f"{call} has {len(reader.spans)} token spans, expected {len(ids)}"
    assert "".join(reader.text) == text, (f"{call} reads back as {''.join(reader.text)!r}, expected {text!r}: "
                                          "html.escape every chunk")
    for n, (span, (a, b), i) in enumerate(zip(reader.spans, spans, ids, strict=True)):
        assert span["title"] == str(i), f"{call}: span {n} has title {span['title']!r}, expected its id {str(i)!r}"
        assert span["text"] == text[a:b], f"{call}: span {n} shows {span['text']!r}, expected {text[a:b]!r}"
        colour = kata.PALETTE[n % len(kata.PALETTE)]
        assert colour in span["style"], f"{call}: span {n} has style {span['style']!r}, expected the background {colour}"


@given(text=corpus_texts())
@example(text="line one\nline two\ttab")
def test_html_reads_back_as_the_text(kata, text):
    pieces, ids, _ = hf_encode(text)
    check_html(kata, text, reference_spans(text, pieces), ids)


@given(case=random_cuts())
@example(case=("<b>bold</b> &amp; \"quotes\"", [b"<b>bold</b>", b" &amp;", b' "quotes"']))
def test_html_reads_back_as_the_text_for_any_chunks(kata, case):
    text, pieces = case
    check_html(kata, text, reference_spans(text, pieces), list(range(len(pieces))))


PLOT_TEXTS = ["The cat sat on the mat.", "naïve café 東京 🙂", "a", "Rain fell on the roofs of the town all night."]


@settings(max_examples=4)   # each example renders a figure; few, simple inputs so that a failure shrinks fast
@given(text=st.sampled_from(PLOT_TEXTS), per_row=st.integers(1, 8))
@example(text="The cat sat on the mat.", per_row=4)
def test_plot_has_one_box_and_one_id_label_per_token(kata, text, per_row):
    pieces, ids, _ = hf_encode(text)
    spans = reference_spans(text, pieces)
    fig = kata.plot_tokens(text, spans, ids, per_row=per_row)
    try:
        call = describe_call("plot_tokens", text, spans, ids, per_row=per_row)
        assert len(fig.axes) == 1, f"{call} drew {len(fig.axes)} axes, expected exactly 1"
        ax = fig.axes[0]
        assert not ax.axison, f"{call}: turn the axis off (ax.set_axis_off()), the boxes are the picture"
        boxes = [p for p in ax.patches if isinstance(p, Rectangle)]
        assert len(boxes) == len(ids), f"{call} drew {len(boxes)} Rectangle patches, expected one per token ({len(ids)})"
        labels = [t.get_text() for t in ax.texts]
        missing = [i for i in ids if labels.count(str(i)) < ids.count(i)]
        assert not missing, f"{call}: no text label reading exactly {str(missing[0])!r} (the token's id)"
        # Layout: per_row boxes per row, token order row by row, every box inside the view, each box
        # coloured PALETTE[i % len] and holding its token's visible text and its id.
        order = sorted(boxes, key=lambda r: (-round(r.get_y(), 6), round(r.get_x(), 6)))
        xs, ys = sorted({round(r.get_x(), 6) for r in boxes}), sorted({round(r.get_y(), 6) for r in boxes})
        n_rows = -(-len(ids) // per_row)
        assert len(xs) == min(per_row, len(ids)) and len(ys) == n_rows, (
            f"{call}: the boxes sit in {len(ys)} rows and {len(xs)} columns, expected {n_rows} rows of at most "
            f"{per_row} (per_row) boxes")
        (x0, x1), (y0, y1) = sorted(ax.get_xlim()), sorted(ax.get_ylim())
        for n, (box, (a, b), i) in enumerate(zip(order, spans, ids, strict=True)):
            bx, by, bw, bh = box.get_x(), box.get_y(), box.get_width(), box.get_height()
            assert x0 <= bx and bx + bw <= x1 and y0 <= by and by + bh <= y1, (
                f"{call}: box {n} ({bx:.2f}, {by:.2f}, {bw:.2f} x {bh:.2f}) sticks out of the view "
                f"x {x0:.2f}..{x1:.2f}, y {y0:.2f}..{y1:.2f}")
            want_colour = to_rgba(kata.PALETTE[n % len(kata.PALETTE)])
            assert to_rgba(box.get_facecolor()) == want_colour, (
                f"{call}: box {n} is coloured {box.get_facecolor()}, expected PALETTE[{n % len(kata.PALETTE)}]")
            inside = [t.get_text() for t in ax.texts
                      if bx <= t.get_position()[0] <= bx + bw and by <= t.get_position()[1] <= by + bh]
            assert kata.visible(text[a:b]) in inside and str(i) in inside, (
                f"{call}: box {n} holds the labels {inside}, expected the token's text "
                f"{kata.visible(text[a:b])!r} and its id {str(i)!r} inside it")
    finally:
        plt.close(fig)

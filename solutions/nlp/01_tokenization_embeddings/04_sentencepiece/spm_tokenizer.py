"""Reference solution for nlp-01-4."""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

SPACE = "\u2581"      # "▁", the symbol SentencePiece writes instead of a space
UNK_PENALTY = 10.0    # an unknown character scores (lowest normal score) - UNK_PENALTY
UNK_SURFACE = " \u2047 "  # " ⁇ ", how the unknown piece decodes


@dataclass(frozen=True)
class PieceModel:
    """A trained SentencePiece unigram model, given: piece i has id i.

    kinds[i] is one of
        "normal"   a piece of text, matched against the input, with log-probability scores[i]
        "unknown"  <unk>
        "control"  <s>, </s>: never matched, decode to ""
        "byte"     "<0x00>" ... "<0xFF>": the UTF-8 byte fallback, never matched as text
        "unused"   reserved: never matched
    """

    pieces: tuple[str, ...]
    scores: tuple[float, ...]
    kinds: tuple[str, ...]


def normalize(text: str) -> str:
    return SPACE + text.replace(" ", SPACE) if text else ""


def _byte_ids(model: PieceModel) -> dict[int, int]:
    return {int(p[3:5], 16): i for i, (p, k) in enumerate(zip(model.pieces, model.kinds, strict=True)) if k == "byte"}


def encode(text: str, model: PieceModel) -> list[int]:
    norm = normalize(text)
    vocab = {p: i for i, (p, k) in enumerate(zip(model.pieces, model.kinds, strict=True)) if k == "normal"}
    longest = max((len(p) for p in vocab), default=1)
    unk_score = min((model.scores[i] for i in vocab.values()), default=0.0) - UNK_PENALTY
    unk_id = model.kinds.index("unknown")
    n = len(norm)
    best = [-math.inf] * (n + 1)
    back: list[tuple[int, int] | None] = [None] * (n + 1)
    best[0] = 0.0
    for start in range(n):
        if start > 0 and back[start] is None:
            continue
        has_single = False
        for end in range(start + 1, min(n, start + longest) + 1):
            piece_id = vocab.get(norm[start:end])
            if piece_id is None:
                continue
            has_single = has_single or end == start + 1
            score = best[start] + model.scores[piece_id]
            if back[end] is None or score > best[end]:
                best[end], back[end] = score, (start, piece_id)
        if not has_single:
            score = best[start] + unk_score
            if back[start + 1] is None or score > best[start + 1]:
                best[start + 1], back[start + 1] = score, (start, unk_id)
    path: list[tuple[str, int]] = []
    end = n
    while end > 0:
        node = back[end]
        assert node is not None
        path.append((norm[node[0]:end], node[1]))
        end = node[0]
    byte_ids = _byte_ids(model)
    ids: list[int] = []
    for surface, piece_id in reversed(path):
        if piece_id == unk_id:
            ids += [byte_ids[b] for b in surface.encode("utf-8")]
        else:
            ids.append(piece_id)
    return ids


def _decode_bytes(data: bytes) -> str:
    out: list[str] = []
    i = 0
    while i < len(data):
        for length in (1, 2, 3, 4):
            try:
                out.append(data[i:i + length].decode("utf-8"))
            except UnicodeDecodeError:
                continue
            i += length
            break
        else:
            out.append("\ufffd")
            i += 1
    return "".join(out)


def decode(ids: Sequence[int], model: PieceModel) -> str:
    out: list[str] = []
    pending = bytearray()
    first = True
    for i in ids:
        piece, kind = model.pieces[int(i)], model.kinds[int(i)]
        if kind == "byte":
            pending.append(int(piece[3:5], 16))
            first = False
            continue
        if pending:
            out.append(_decode_bytes(bytes(pending)))
            pending.clear()
        if kind == "control":
            continue
        if kind == "unknown":
            out.append(UNK_SURFACE)
        else:
            if first and piece.startswith(SPACE):
                piece = piece[1:]
            out.append(piece.replace(SPACE, " "))
        first = False
    if pending:
        out.append(_decode_bytes(bytes(pending)))
    return "".join(out)

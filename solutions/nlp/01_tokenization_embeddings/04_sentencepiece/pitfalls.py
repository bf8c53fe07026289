"""Plausible wrong SentencePiece implementations that the tests must reject."""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from spm_tokenizer import SPACE, UNK_PENALTY, UNK_SURFACE, PieceModel, _byte_ids, decode, normalize


def _viterbi(norm: str, model: PieceModel, matchable: set[str], unk_score_of: object = None,
             unk_only_if_nothing_starts: bool = False, fallback: bool = True) -> list[int]:
    vocab = {p: i for i, (p, k) in enumerate(zip(model.pieces, model.kinds, strict=True)) if k in matchable}
    longest = max((len(p) for p in vocab), default=1)
    normal = [model.scores[i] for i, k in enumerate(model.kinds) if k == "normal"]
    unk_score = unk_score_of(normal) if callable(unk_score_of) else min(normal) - UNK_PENALTY
    unk_id = model.kinds.index("unknown")
    n = len(norm)
    best = [-math.inf] * (n + 1)
    back: list = [None] * (n + 1)
    best[0] = 0.0
    for start in range(n):
        if start > 0 and back[start] is None:
            continue
        has_single, has_any = False, False
        for end in range(start + 1, min(n, start + longest) + 1):
            piece_id = vocab.get(norm[start:end])
            if piece_id is None:
                continue
            has_single, has_any = has_single or end == start + 1, True
            score = best[start] + model.scores[piece_id]
            if back[end] is None or score > best[end]:
                best[end], back[end] = score, (start, piece_id)
        if not (has_any if unk_only_if_nothing_starts else has_single):
            score = best[start] + unk_score
            if back[start + 1] is None or score > best[start + 1]:
                best[start + 1], back[start + 1] = score, (start, unk_id)
    path, end = [], n
    while end > 0:
        node = back[end]
        path.append((norm[node[0]:end], node[1]))
        end = node[0]
    byte_ids = _byte_ids(model)
    ids: list[int] = []
    for surface, piece_id in reversed(path):
        if piece_id == unk_id and fallback:
            ids += [byte_ids[b] for b in surface.encode("utf-8")]
        else:
            ids.append(piece_id)
    return ids


@pitfall(replaces="normalize", why="no dummy prefix: the first word is not preceded by SPACE")
def no_dummy_prefix(text: str) -> str:
    return text.replace(" ", SPACE)


@pitfall(replaces="encode", why="scores unknown characters like the rarest piece, without the UNK_PENALTY")
def no_unk_penalty(text: str, model: PieceModel) -> list[int]:
    return _viterbi(normalize(text), model, {"normal"}, unk_score_of=min)


@pitfall(replaces="encode", why="adds the unknown edge only where no piece at all starts, not where no single character matches")
def unk_only_where_nothing_starts(text: str, model: PieceModel) -> list[int]:
    return _viterbi(normalize(text), model, {"normal"}, unk_only_if_nothing_starts=True)


@pitfall(replaces="encode", why="matches control, unknown and byte pieces ('<s>', '<0x41>') against the text too")
def matches_special_pieces(text: str, model: PieceModel) -> list[int]:
    return _viterbi(normalize(text), model, {"normal", "control", "unknown", "byte"})


@pitfall(replaces="encode", why="no byte fallback: unknown characters become the <unk> id")
def no_byte_fallback(text: str, model: PieceModel) -> list[int]:
    return _viterbi(normalize(text), model, {"normal"}, fallback=False)


@pitfall(replaces="_decode_bytes", why="Python's errors='replace': one U+FFFD per broken sequence, not per byte")
def python_replace(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


@pitfall(replaces="decode", why="decodes every byte piece on its own, so multi-byte characters break")
def byte_by_byte(ids: Sequence[int], model: PieceModel) -> str:
    out: list[str] = []
    for i in ids:
        piece, kind = model.pieces[int(i)], model.kinds[int(i)]
        if kind == "byte":
            out.append(bytes([int(piece[3:5], 16)]).decode("utf-8", errors="replace"))
        elif kind == "unknown":
            out.append(UNK_SURFACE)
        elif kind == "normal":
            out.append(piece.replace(SPACE, " "))
    return "".join(out).removeprefix(" ")


@pitfall(replaces="decode", why="strips every leading space of the result instead of one dummy-prefix SPACE")
def lstrip_all(ids: Sequence[int], model: PieceModel) -> str:
    return _solution_decode(ids, model).lstrip(" ") if ids else ""



_solution_decode = decode

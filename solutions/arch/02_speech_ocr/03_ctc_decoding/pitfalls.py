"""Plausible wrong CTC decoders that the tests must reject."""
from __future__ import annotations

import numpy as np

from grader.pitfalls import pitfall


@pitfall(replaces="greedy_decode", why="drops blanks before merging runs: a - a becomes a instead of a a")
def drop_blanks_first(log_probs: np.ndarray, blank: int = 0) -> list[int]:
    path = [int(k) for k in np.argmax(log_probs, axis=1) if k != blank]
    return [p for i, p in enumerate(path) if i == 0 or p != path[i - 1]]


@pitfall(replaces="greedy_decode", why="drops blanks but never merges repeated frames")
def no_merge(log_probs: np.ndarray, blank: int = 0) -> list[int]:
    return [int(k) for k in np.argmax(log_probs, axis=1) if k != blank]


def _search(log_probs: np.ndarray, beam_width: int, blank: int, mode: str) -> list[tuple[list[int], float]]:
    if beam_width < 1 or not 0 <= blank < log_probs.shape[1]:
        raise ValueError("bad arguments")
    beams: dict = {(): (0.0, -np.inf)}
    for t in range(log_probs.shape[0]):
        nxt: dict = {}
        for prefix, (pb, pnb) in beams.items():
            total = np.logaddexp(pb, pnb)
            entries = [(prefix, 0, total + log_probs[t, blank])]
            for c in range(log_probs.shape[1]):
                if c == blank:
                    continue
                p = log_probs[t, c]
                if prefix and prefix[-1] == c and mode != "no_repeat_rule":
                    entries.append((prefix, 1, pnb + p))
                    entries.append((prefix + (c,), 1, pb + p))
                else:
                    entries.append((prefix + (c,), 1, total + p))
            for key, which, value in entries:
                if mode == "no_merge" and key in nxt and key != prefix:
                    key = key + ()   # same key: the later contribution overwrites instead of adding
                    nxt[key][which] = value
                    continue
                entry = nxt.setdefault(key, [-np.inf, -np.inf])
                entry[which] = float(np.logaddexp(entry[which], value))
        rank = (lambda v: v[1]) if mode == "nb_only" else (lambda v: np.logaddexp(*v))
        ranked = sorted([kv for kv in nxt.items() if np.logaddexp(*kv[1]) > -np.inf],
                        key=lambda kv: (-rank(kv[1]), kv[0]))
        beams = {k: (v[0], v[1]) for k, v in ranked[:beam_width]}
    return [(list(k), float(np.logaddexp(*v))) for k, v in beams.items()]


@pitfall(replaces="prefix_beam_search", why="treats a repeated label like any other: a a extends to [a, a] from p_nb")
def no_repeat_rule(log_probs: np.ndarray, beam_width: int, blank: int = 0) -> list[tuple[list[int], float]]:
    return _search(log_probs, beam_width, blank, "no_repeat_rule")


@pitfall(replaces="prefix_beam_search", why="overwrites instead of summing when two beams reach the same prefix")
def overwrites_merges(log_probs: np.ndarray, beam_width: int, blank: int = 0) -> list[tuple[list[int], float]]:
    return _search(log_probs, beam_width, blank, "no_merge")


@pitfall(replaces="prefix_beam_search", why="prunes by p_nb alone, forgetting the blank-ending mass")
def prunes_by_label_mass(log_probs: np.ndarray, beam_width: int, blank: int = 0) -> list[tuple[list[int], float]]:
    return _search(log_probs, beam_width, blank, "nb_only")


@pitfall(replaces="prefix_beam_search", why="returns the beams unsorted (in insertion order)")
def unsorted_result(log_probs: np.ndarray, beam_width: int, blank: int = 0) -> list[tuple[list[int], float]]:
    out = _search(log_probs, beam_width, blank, "ok")
    return sorted(out, key=lambda kv: (len(kv[0]), kv[0]))

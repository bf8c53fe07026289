"""Reference solution for arch-02-3."""
from __future__ import annotations

import numpy as np


def collapse(path: list[int], blank: int = 0) -> list[int]:
    """Merge runs of the same symbol, then drop blanks: [a, a, -, a, b, b] -> [a, a, b]."""
    out, prev = [], None
    for p in path:
        if p != prev and p != blank:
            out.append(p)
        prev = p
    return out


def greedy_decode(log_probs: np.ndarray, blank: int = 0) -> list[int]:
    return collapse([int(k) for k in np.argmax(log_probs, axis=1)], blank)


def prefix_beam_search(log_probs: np.ndarray, beam_width: int, blank: int = 0) -> list[tuple[list[int], float]]:
    if beam_width < 1:
        raise ValueError("beam_width must be at least 1")
    t_len, n_sym = log_probs.shape
    if not 0 <= blank < n_sym:
        raise ValueError("blank is not a symbol index")
    beams: dict[tuple[int, ...], tuple[float, float]] = {(): (0.0, -np.inf)}   # prefix -> (log p_blank, log p_label)
    for t in range(t_len):
        nxt: dict[tuple[int, ...], list[float]] = {}

        def add(prefix: tuple[int, ...], which: int, value: float, table: dict = nxt) -> None:
            entry = table.setdefault(prefix, [-np.inf, -np.inf])
            entry[which] = float(np.logaddexp(entry[which], value))

        for prefix, (pb, pnb) in beams.items():
            total = np.logaddexp(pb, pnb)
            add(prefix, 0, total + log_probs[t, blank])
            for c in range(n_sym):
                if c == blank:
                    continue
                p = log_probs[t, c]
                if prefix and prefix[-1] == c:
                    add(prefix, 1, pnb + p)            # a a -> a: the run continues
                    add(prefix + (c,), 1, pb + p)      # a - a -> a a: a new label after a blank
                else:
                    add(prefix + (c,), 1, total + p)
        reachable = [kv for kv in nxt.items() if np.logaddexp(*kv[1]) > -np.inf]
        ranked = sorted(reachable, key=lambda kv: (-np.logaddexp(*kv[1]), kv[0]))
        beams = {k: (v[0], v[1]) for k, v in ranked[:beam_width]}
    return [(list(k), float(np.logaddexp(*v))) for k, v in beams.items()]

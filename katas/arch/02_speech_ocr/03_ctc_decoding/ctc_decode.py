"""arch-02-3: CTC greedy and prefix beam-search decoding. Edit this file; `grader check arch-02-3` tests it."""
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
    """Best-path decoding: the most likely symbol per frame (np.argmax: the first on ties), collapsed.

    Shapes:
        log_probs: (T, C)     returns: a list of labels
    """
    raise NotImplementedError("greedy_decode")


def prefix_beam_search(log_probs: np.ndarray, beam_width: int, blank: int = 0) -> list[tuple[list[int], float]]:
    """CTC prefix beam search: the most probable labellings, summing over their alignments.

    Each prefix carries two log-probabilities over the frames so far: of alignments that collapse
    to it and end in a blank (p_b), and that end in its last label (p_nb); the empty prefix starts
    with p_b = 0, p_nb = -inf. Per frame, every prefix is extended by the blank (same prefix, into
    p_b), by its own last label (same prefix from p_nb; a longer prefix from p_b only), and by every
    other label (a longer prefix from p_b + p_nb); contributions to the same prefix are summed
    (logaddexp). Then keep the beam_width prefixes of largest logaddexp(p_b, p_nb) (ties: the
    smaller prefix as a tuple), leaving out prefixes no alignment reaches (log-probability -inf).

    Returns:
        the kept (prefix, log-probability) pairs after the last frame, most probable first.

    Raises:
        ValueError: if beam_width < 1 or blank is not in 0 .. C-1.
    """
    raise NotImplementedError("prefix_beam_search")

"""nlp-19-3: visualize beam divergence and pruning decisions. Edit this file;
`grader check nlp-19-3` tests it."""
from __future__ import annotations

from collections.abc import Callable

import matplotlib.pyplot as plt  # noqa: F401  (you will need it for plot_beam_trace)
import numpy as np
from matplotlib.figure import Figure

# step_fn(prefix) -> log-probabilities of the next token (V,)
StepFn = Callable[[tuple[int, ...]], np.ndarray]


def beam_trace(step_fn: StepFn, vocab_size: int, eos: int, beam_width: int, max_len: int) -> list[list[dict]]:
    """Run the beam search of nlp-19-1 (no length or coverage penalty) and record every decision.

    One list per step, holding every candidate of that step in rank order, each a dict
        {"tokens": tuple, "logprob": cumulative log-probability, "parent": index of the extended beam among
         the previous step's kept beams (0 at step 1: the empty prefix), "rank": position in this list,
         "status": "kept" | "finished" | "pruned"}.
    Candidates are ranked by cumulative log-probability (ties: smaller token tuple first). Ranks below
    beam_width survive: "finished" if the candidate ends with eos or has max_len tokens, else "kept"
    (the next step's beams, in rank order). The others are "pruned". Stop when no beam is kept.

    Raises:
        ValueError: if beam_width < 1 or max_len < 1.
    """
    raise NotImplementedError("beam_trace: beam search that remembers every candidate and its fate")


def live_counts(trace: list[list[dict]]) -> np.ndarray:
    """Number of "kept" candidates at each step. Shapes: returns (steps,) int."""
    raise NotImplementedError("live_counts: count the kept candidates per step")


def shared_prefix_lengths(trace: list[list[dict]]) -> np.ndarray:
    """Per step, the length of the longest token prefix shared by all surviving ("kept" or "finished")
    candidates: how far back the beams agree. Shapes: returns (steps,) int."""
    raise NotImplementedError("shared_prefix_lengths: longest common prefix of the survivors per step")


def plot_beam_trace(trace: list[list[dict]]) -> Figure:
    """The search as a tree on one axes (x label "step", y label "candidate rank"):

    three scatters labelled "pruned", "kept" and "finished", one point (step, rank) per candidate of that
    status (steps count from 1); and for every kept or finished candidate one line (ax.plot) from
    (step - 1, rank of its parent at the previous step) to (step, rank); the parent of step 1 is the
    empty prefix at (0, 0). Nothing else drawn with ax.plot.
    """
    raise NotImplementedError("plot_beam_trace: scatter the candidates by status, connect survivors to parents")

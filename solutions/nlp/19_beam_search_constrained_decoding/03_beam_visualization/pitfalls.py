"""Plausible wrong versions of the beam trace that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from beam_trace import StepFn


def _trace(step_fn: StepFn, v: int, eos: int, width: int, max_len: int, parent_rank: bool = False,
           eos_kept: bool = False) -> list[list[dict]]:
    if width < 1 or max_len < 1:
        raise ValueError("sizes")
    beams = [((), 0.0, 0)]
    trace = []
    for _ in range(max_len):
        cands = []
        for parent, (tokens, lp, rank) in enumerate(beams):
            logp = step_fn(tokens)
            cands += [{"tokens": tokens + (x,), "logprob": lp + float(logp[x]),
                       "parent": rank if parent_rank else parent} for x in range(v)]
        cands.sort(key=lambda c: (-c["logprob"], c["tokens"]))
        beams = []
        for rank, c in enumerate(cands):
            c["rank"] = rank
            done = (c["tokens"][-1] == eos and not eos_kept) or len(c["tokens"]) == max_len
            c["status"] = "pruned" if rank >= width else "finished" if done else "kept"
            if c["status"] == "kept":
                beams.append((c["tokens"], c["logprob"], rank))
        trace.append(cands)
        if not beams:
            break
    return trace


@pitfall(replaces="beam_trace", why="records the parent's rank among all candidates instead of its index among "
         "the kept beams")
def parent_is_rank(step_fn: StepFn, vocab_size: int, eos: int, beam_width: int, max_len: int) -> list[list[dict]]:
    return _trace(step_fn, vocab_size, eos, beam_width, max_len, parent_rank=True)


@pitfall(replaces="beam_trace", why="hypotheses that emit EOS stay in the beam and keep being extended")
def eos_not_final(step_fn: StepFn, vocab_size: int, eos: int, beam_width: int, max_len: int) -> list[list[dict]]:
    return _trace(step_fn, vocab_size, eos, beam_width, max_len, eos_kept=True)


@pitfall(replaces="live_counts", why="counts finished candidates as live")
def counts_finished(trace: list[list[dict]]) -> np.ndarray:
    return np.array([sum(c["status"] != "pruned" for c in s) for s in trace])


@pitfall(replaces="shared_prefix_lengths", why="only the kept beams, forgetting finished survivors")
def kept_only(trace: list[list[dict]]) -> np.ndarray:
    out = []
    for s in trace:
        seqs = [c["tokens"] for c in s if c["status"] == "kept"] or [()]
        n = 0
        while all(len(x) > n for x in seqs) and len({x[n] for x in seqs}) == 1:
            n += 1
        out.append(n)
    return np.array(out)


@pitfall(replaces="plot_beam_trace", why="connects each candidate to its parent's index instead of its rank")
def edges_to_index(trace: list[list[dict]]) -> Figure:
    fig, ax = plt.subplots()
    for t, s in enumerate(trace, start=1):
        for c in s:
            if c["status"] != "pruned":
                ax.plot([t - 1, t], [c["parent"], c["rank"]])
    for status in ("pruned", "kept", "finished"):
        pts = np.array([[t, c["rank"]] for t, s in enumerate(trace, start=1) for c in s if c["status"] == status],
                       dtype=float).reshape(-1, 2)
        ax.scatter(pts[:, 0], pts[:, 1], label=status)
    ax.set_xlabel("step")
    ax.set_ylabel("candidate rank")
    return fig

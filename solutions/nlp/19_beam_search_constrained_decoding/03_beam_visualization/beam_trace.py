"""Reference solution for nlp-19-3."""
from __future__ import annotations

from collections.abc import Callable

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

# step_fn(prefix) -> log-probabilities of the next token (V,)
StepFn = Callable[[tuple[int, ...]], np.ndarray]


def beam_trace(step_fn: StepFn, vocab_size: int, eos: int, beam_width: int, max_len: int) -> list[list[dict]]:
    if beam_width < 1 or max_len < 1:
        raise ValueError(f"need beam_width >= 1 and max_len >= 1, got {beam_width=}, {max_len=}")
    beams: list[tuple[tuple[int, ...], float]] = [((), 0.0)]
    trace: list[list[dict]] = []
    for _ in range(max_len):
        cands = []
        for parent, (tokens, lp) in enumerate(beams):
            logp = step_fn(tokens)
            for v in range(vocab_size):
                cands.append({"tokens": tokens + (v,), "logprob": lp + float(logp[v]), "parent": parent})
        cands.sort(key=lambda c: (-c["logprob"], c["tokens"]))
        beams = []
        for rank, c in enumerate(cands):
            c["rank"] = rank
            if rank >= beam_width:
                c["status"] = "pruned"
            elif c["tokens"][-1] == eos or len(c["tokens"]) == max_len:
                c["status"] = "finished"
            else:
                c["status"] = "kept"
                beams.append((c["tokens"], c["logprob"]))
        trace.append(cands)
        if not beams:
            break
    return trace


def live_counts(trace: list[list[dict]]) -> np.ndarray:
    return np.array([sum(c["status"] == "kept" for c in step) for step in trace], dtype=np.int64)


def shared_prefix_lengths(trace: list[list[dict]]) -> np.ndarray:
    out = []
    for step in trace:
        seqs = [c["tokens"] for c in step if c["status"] != "pruned"]
        n = 0
        while all(len(s) > n for s in seqs) and len({s[n] for s in seqs}) == 1:
            n += 1
        out.append(n)
    return np.array(out, dtype=np.int64)


def plot_beam_trace(trace: list[list[dict]]) -> Figure:
    fig, ax = plt.subplots(figsize=(8, 5))
    prev_ranks: list[int] = [0]
    for t, step in enumerate(trace, start=1):
        for c in step:
            if c["status"] != "pruned":
                ax.plot([t - 1, t], [prev_ranks[c["parent"]], c["rank"]], color="0.6", lw=0.8)
        prev_ranks = [c["rank"] for c in step if c["status"] == "kept"]
    for status, style in (("pruned", dict(color="0.8", marker="x")), ("kept", dict(color="C0", marker="o")),
                          ("finished", dict(color="C3", marker="*", s=80))):
        pts = np.array([[t, c["rank"]] for t, step in enumerate(trace, start=1) for c in step
                        if c["status"] == status], dtype=float).reshape(-1, 2)
        ax.scatter(pts[:, 0], pts[:, 1], label=status, **style)
    ax.set_xlabel("step")
    ax.set_ylabel("candidate rank")
    ax.invert_yaxis()
    ax.legend()
    return fig

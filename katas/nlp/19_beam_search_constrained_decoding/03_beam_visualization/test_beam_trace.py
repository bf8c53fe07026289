"""Tests for nlp-19-3, visualizing beam divergence and pruning decisions.

References: the trace written out here from the pruning rule of nlp-19-1 (rank all V x live candidates
by cumulative log-probability, ties to the smaller token tuple; the first beam_width survive, those
ending in EOS or at max_len finish); os.path.commonprefix for the shared history of the surviving
beams; and the figure's scatter points and edges, which must carry exactly the trace's data.
"""
import os

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, describe_call

KEYS = ("tokens", "logprob", "parent", "rank", "status")


def make_step_fn(seed: int, v: int, sharp: float) -> callable:
    def step(prefix: tuple[int, ...]) -> np.ndarray:
        logits = np.random.default_rng([seed, len(prefix), *prefix]).normal(0, sharp, v)
        return logits - np.log(np.exp(logits).sum())
    return step


def ref_trace(step, v, eos, width, max_len):
    beams, trace = [((), 0.0)], []
    for _ in range(max_len):
        cands = [(tok + (x,), lp + float(step(tok)[x]), p) for p, (tok, lp) in enumerate(beams) for x in range(v)]
        cands.sort(key=lambda c: (-c[1], c[0]))
        rows, beams = [], []
        for rank, (tok, lp, p) in enumerate(cands):
            status = "pruned" if rank >= width else "finished" if tok[-1] == eos or len(tok) == max_len else "kept"
            rows.append({"tokens": tok, "logprob": lp, "parent": p, "rank": rank, "status": status})
            if status == "kept":
                beams.append((tok, lp))
        trace.append(rows)
        if not beams:
            break
    return trace


CASES = dict(v=st.integers(2, 4), eos=st.integers(0, 3), width=st.integers(1, 5), max_len=st.integers(1, 5),
             sharp=st.sampled_from([0.5, 2.0]), seed=seeds())


@given(**CASES)
@example(v=2, eos=0, width=1, max_len=1, sharp=1.0, seed=0)
@example(v=3, eos=1, width=2, max_len=4, sharp=2.0, seed=5)
def test_trace_records_every_decision(kata, v, eos, width, max_len, sharp, seed):
    eos %= v
    step = make_step_fn(seed, v, sharp)
    call = describe_call("beam_trace", "step_fn", v, eos, width, max_len)
    got = kata.beam_trace(step, v, eos, width, max_len)
    want = ref_trace(step, v, eos, width, max_len)
    assert len(got) == len(want), f"{call} returned {len(got)} steps, expected {len(want)} (stop once no beam is live)"
    for t, (g_step, w_step) in enumerate(zip(got, want, strict=True), start=1):
        assert len(g_step) == len(w_step), (f"{call}: step {t} lists {len(g_step)} candidates, expected "
                                            f"{len(w_step)} = vocab_size x live beams of the previous step")
        for g, w in zip(g_step, w_step, strict=True):
            assert set(KEYS) <= set(g), f"{call}: a candidate has keys {sorted(g)}, expected {KEYS}"
            assert (tuple(int(x) for x in g["tokens"]), int(g["parent"]), int(g["rank"]), g["status"]) == \
                (w["tokens"], w["parent"], w["rank"], w["status"]), (
                f"{call}: step {t}, rank {w['rank']}: got tokens={tuple(g['tokens'])}, parent={g['parent']}, "
                f"rank={g['rank']}, status={g['status']!r}; expected tokens={w['tokens']}, parent={w['parent']}, "
                f"rank={w['rank']}, status={w['status']!r} (candidates in rank order; parent = index among the "
                f"previous step's kept beams)")
            assert_close(float(g["logprob"]), w["logprob"], rtol=1e-12, atol=1e-12, name="cumulative log-probability",
                         call=call)


@given(**CASES)
def test_live_counts_and_shared_prefix(kata, v, eos, width, max_len, sharp, seed):
    eos %= v
    trace = ref_trace(make_step_fn(seed, v, sharp), v, eos, width, max_len)
    live = kata.live_counts(trace)
    assert_equal(np.asarray(live), [sum(c["status"] == "kept" for c in s) for s in trace],
                 name="live beams per step", call="live_counts(trace)")
    shared = kata.shared_prefix_lengths(trace)
    want = [len(os.path.commonprefix([list(c["tokens"]) for c in s if c["status"] != "pruned"])) for s in trace]
    assert_equal(np.asarray(shared), want, name="length of the prefix shared by every surviving candidate (kept or "
                 "finished) per step", call="shared_prefix_lengths(trace)")


@given(width=st.integers(-2, 0))
def test_bad_width_raises(kata, width):
    with pytest.raises(ValueError):
        kata.beam_trace(make_step_fn(0, 3, 1.0), 3, 0, width, 3)
    with pytest.raises(ValueError):
        kata.beam_trace(make_step_fn(0, 3, 1.0), 3, 0, 2, width)


@settings(max_examples=3)  # a figure per example
@given(**CASES)
@example(v=3, eos=0, width=2, max_len=4, sharp=1.0, seed=1)
def test_plot_beam_trace(kata, v, eos, width, max_len, sharp, seed):
    eos %= v
    trace = ref_trace(make_step_fn(seed, v, sharp), v, eos, width, max_len)
    fig = kata.plot_beam_trace(trace)
    try:
        assert len(fig.axes) >= 1, "plot_beam_trace: no axes"
        ax = fig.axes[0]
        assert (ax.get_xlabel(), ax.get_ylabel()) == ("step", "candidate rank"), (
            f"plot_beam_trace: labels {ax.get_xlabel()!r}, {ax.get_ylabel()!r}; expected 'step', 'candidate rank'")
        scatters = {c.get_label(): np.asarray(c.get_offsets(), dtype=float).reshape(-1, 2) for c in ax.collections}
        for status in ("pruned", "kept", "finished"):
            want = sorted((float(t), float(c["rank"])) for t, s in enumerate(trace, start=1) for c in s
                          if c["status"] == status)
            got = sorted(map(tuple, scatters.get(status, np.zeros((0, 2)))))
            assert got == want, (f"plot_beam_trace: the scatter labelled {status!r} has points {got[:6]}..., expected "
                                 f"(step, rank) of every {status} candidate: {want[:6]}...")
        edges = sorted((tuple(line.get_xdata()), tuple(line.get_ydata())) for line in ax.get_lines())
        want_edges = []
        prev = [0]
        for t, s in enumerate(trace, start=1):
            want_edges += [((t - 1.0, float(t)), (float(prev[c["parent"]]), float(c["rank"]))) for c in s
                           if c["status"] != "pruned"]
            prev = [c["rank"] for c in s if c["status"] == "kept"]
        edges = [(tuple(map(float, x)), tuple(map(float, y))) for x, y in edges]
        assert edges == sorted(want_edges), (
            f"plot_beam_trace: {len(edges)} edge lines, expected {len(want_edges)}: one line from (step - 1, parent's "
            f"rank) to (step, rank) for every kept or finished candidate (step 0 is the empty prefix at rank 0)")
    finally:
        plt.close(fig)

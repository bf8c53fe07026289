"""Plausible wrong versions of speculative decoding that the tests must reject."""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from speculative import Model, residual_distribution, verify_step


def _check(prompt: Sequence[int], n_new: int, k: int) -> None:
    if k < 1 or n_new < 0 or len(prompt) == 0:
        raise ValueError("bad arguments")


@pitfall(replaces="speculative_greedy", why="no bonus token: when every proposal is accepted the round ends "
         "without the target's next token, wasting the call")
def no_bonus(target: Model, draft: Model, prompt: Sequence[int], n_new: int, k: int) -> tuple[list[int], int]:
    _check(prompt, n_new, k)
    seq, out, calls = list(prompt), [], 0
    while len(out) < n_new:
        m = min(k, n_new - len(out))
        proposal: list[int] = []
        for _ in range(m):
            proposal.append(int(np.argmax(draft(seq + proposal)[-1])))
        scores = target(seq + proposal)
        calls += 1
        new = []
        for i in range(m):
            best = int(np.argmax(scores[len(seq) - 1 + i]))
            new.append(best)
            if proposal[i] != best:
                break
        seq += new
        out += new
    return out, calls


@pitfall(replaces="speculative_greedy", why="reads the target's row for position i at index len(seq) + i "
         "(one row too late: the prediction after the proposed token, not for it)")
def row_off_by_one(target: Model, draft: Model, prompt: Sequence[int], n_new: int, k: int) -> tuple[list[int], int]:
    _check(prompt, n_new, k)
    seq, out, calls = list(prompt), [], 0
    while len(out) < n_new:
        m = min(k, n_new - len(out))
        proposal: list[int] = []
        for _ in range(m):
            proposal.append(int(np.argmax(draft(seq + proposal)[-1])))
        scores = target(seq + proposal)
        calls += 1
        new = []
        for i in range(m + 1):
            best = int(np.argmax(scores[min(len(seq) + i, len(scores) - 1)]))
            new.append(best)
            if i == m or proposal[i] != best:
                break
        new = new[: n_new - len(out)]
        seq += new
        out += new
    return out, calls


@pitfall(replaces="speculative_greedy", why="on a mismatch keeps the draft's token instead of the target's correction")
def keeps_draft_token(target: Model, draft: Model, prompt: Sequence[int], n_new: int, k: int) -> tuple[list[int], int]:
    _check(prompt, n_new, k)
    seq, out, calls = list(prompt), [], 0
    while len(out) < n_new:
        m = min(k, n_new - len(out))
        proposal: list[int] = []
        for _ in range(m):
            proposal.append(int(np.argmax(draft(seq + proposal)[-1])))
        scores = target(seq + proposal)
        calls += 1
        new = []
        for i in range(m + 1):
            best = int(np.argmax(scores[len(seq) - 1 + i]))
            if i < m and proposal[i] != best:
                new.append(proposal[i])
                break
            new.append(best)
            if i == m:
                break
        new = new[: n_new - len(out)]
        seq += new
        out += new
    return out, calls


@pitfall(replaces="speculative_greedy", why="verifies each proposed token with its own target call "
         "(correct output, no saving: the whole point is one call per round)")
def one_call_per_token(target: Model, draft: Model, prompt: Sequence[int], n_new: int, k: int) -> tuple[list[int], int]:
    _check(prompt, n_new, k)
    seq, out, calls = list(prompt), [], 0
    while len(out) < n_new:
        guess = int(np.argmax(draft(seq)[-1]))
        best = int(np.argmax(target(seq)[-1]))
        calls += 1
        del guess
        seq.append(best)
        out.append(best)
    return out, calls


@pitfall(replaces="residual_distribution", why="resamples from p itself after a rejection (double-counts the "
         "tokens the draft already proposes often)")
def residual_is_p(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    return np.array(p, dtype=np.float64, copy=True)


@pitfall(replaces="residual_distribution", why="uses |p - q| instead of max(p - q, 0)")
def residual_abs(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    d = np.abs(np.asarray(p, dtype=np.float64) - q)
    return d / d.sum() if d.sum() > 0 else np.array(p, dtype=np.float64, copy=True)


@pitfall(replaces="residual_distribution", why="p == q gives 0/0 = NaN instead of falling back to p")
def residual_nan(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    d = np.maximum(np.asarray(p, dtype=np.float64) - q, 0)
    with np.errstate(invalid="ignore"):
        return d / d.sum()


@pitfall(replaces="verify_step", why="accepts with probability min(1, q/p) (ratio upside down)")
def inverted_ratio(p: np.ndarray, q: np.ndarray, drafted: Sequence[int], rng: np.random.Generator) -> list[int]:
    out: list[int] = []
    for i, x in enumerate(drafted):
        x = int(x)
        accept = 1.0 if q[i, x] >= p[i, x] else q[i, x] / p[i, x]
        if rng.random() < accept:
            out.append(x)
            continue
        r = residual_distribution(p[i], q[i])
        out.append(int(rng.choice(len(r), p=r)))
        return out
    out.append(int(rng.choice(p.shape[1], p=p[len(drafted)])))
    return out


@pitfall(replaces="verify_step", why="keeps checking the drafted tokens after a rejection")
def no_stop(p: np.ndarray, q: np.ndarray, drafted: Sequence[int], rng: np.random.Generator) -> list[int]:
    out: list[int] = []
    for i, x in enumerate(drafted):
        x = int(x)
        if rng.random() < min(1.0, p[i, x] / q[i, x]):
            out.append(x)
        else:
            r = residual_distribution(p[i], q[i])
            out.append(int(rng.choice(len(r), p=r)))
    out.append(int(rng.choice(p.shape[1], p=p[len(drafted)])))
    return out


@pitfall(replaces="verify_step", why="forgets the bonus token when every drafted token is accepted")
def no_bonus_sample(p: np.ndarray, q: np.ndarray, drafted: Sequence[int], rng: np.random.Generator) -> list[int]:
    out: list[int] = []
    for i, x in enumerate(drafted):
        x = int(x)
        if rng.random() < min(1.0, p[i, x] / q[i, x]):
            out.append(x)
            continue
        r = residual_distribution(p[i], q[i])
        out.append(int(rng.choice(len(r), p=r)))
        return out
    return out


@pitfall(replaces="speculative_sample", why="draws the draft tokens from a fresh unseeded generator")
def unseeded_draft(target: Model, draft: Model, prompt: Sequence[int], n_new: int, k: int,
                   rng: np.random.Generator) -> list[int]:
    _check(prompt, n_new, k)
    own = np.random.default_rng()
    seq, out = list(prompt), []
    while len(out) < n_new:
        m = min(k, n_new - len(out))
        proposal: list[int] = []
        q_rows = []
        for _ in range(m):
            qrow = np.asarray(draft(seq + proposal)[-1], dtype=np.float64)
            q_rows.append(qrow)
            proposal.append(int(own.choice(len(qrow), p=qrow / qrow.sum())))
        scores = np.asarray(target(seq + proposal), dtype=np.float64)
        new = verify_step(scores[len(seq) - 1: len(seq) + m], np.stack(q_rows), proposal, rng)
        new = new[: n_new - len(out)]
        seq += new
        out += new
    return out


@pitfall(replaces="speculative_sample", why="verifies with the draft's argmax instead of a sample from q "
         "(the draft is no longer the q the rejection rule assumes)")
def greedy_draft_in_sampling(target: Model, draft: Model, prompt: Sequence[int], n_new: int, k: int,
                             rng: np.random.Generator) -> list[int]:
    _check(prompt, n_new, k)
    seq, out = list(prompt), []
    while len(out) < n_new:
        m = min(k, n_new - len(out))
        proposal: list[int] = []
        q_rows = []
        for _ in range(m):
            qrow = np.asarray(draft(seq + proposal)[-1], dtype=np.float64)
            q_rows.append(qrow)
            proposal.append(int(np.argmax(qrow)))
        scores = np.asarray(target(seq + proposal), dtype=np.float64)
        new = verify_step(scores[len(seq) - 1: len(seq) + m], np.stack(q_rows), proposal, rng)
        new = new[: n_new - len(out)]
        seq += new
        out += new
    return out

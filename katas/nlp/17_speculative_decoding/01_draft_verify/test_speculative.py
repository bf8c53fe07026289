"""Tests for nlp-17-1, speculative decoding: a draft model proposes, the target verifies.

References: greedy speculative decoding must reproduce the target's own greedy decoding token for
token (computed here by a plain loop), with the number of target forward calls predicted by
replaying the draft against that known output (and the two closed forms: a perfect draft needs
ceil(n / (k + 1)) calls, a draft that is always wrong needs n). The rejection rule must leave the
target distribution untouched: checked exactly by enumeration (accept mass plus residual mass
equals p), and by chi-square tests (scipy.stats.chisquare) of many seeded runs against the exact
target distribution of whole sequences enumerated on a 3-token vocabulary.
"""
import itertools
import math

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy import stats

from grader.strategies import seeds
from grader.testing import (
    assert_close,
    assert_dtype,
    assert_equal,
    assert_seeded,
    call_unmodified,
    describe_call,
)


def random_table(rng: np.random.Generator, v: int, peak: float = 0.5) -> np.ndarray:
    """P(next | previous two tokens): a (v, v, v) table of Dirichlet(peak) rows."""
    return rng.dirichlet(np.full(v, peak), size=(v, v))


class TableModel:
    """A second-order Markov model with the speculative-decoding model interface, counting its calls."""

    def __init__(self, table: np.ndarray) -> None:
        self.table, self.calls = table, 0

    def __call__(self, tokens: list[int]) -> np.ndarray:
        self.calls += 1
        t = np.asarray(tokens, dtype=np.int64)
        prev = np.concatenate([[0], t[:-1]])
        return self.table[prev, t]


def noisy_copy(table: np.ndarray, rng: np.random.Generator, noise: float) -> np.ndarray:
    """A draft that agrees with the target more or less often: a mixture with another random table."""
    other = rng.dirichlet(np.full(table.shape[-1], 0.5), size=table.shape[:-1])
    return (1 - noise) * table + noise * other


def plain_greedy(table: np.ndarray, prompt: list[int], n: int) -> list[int]:
    seq = list(prompt)
    for _ in range(n):
        prev = seq[-2] if len(seq) > 1 else 0
        seq.append(int(np.argmax(table[prev, seq[-1]])))
    return seq[len(prompt):]


def replay_calls(draft_table: np.ndarray, prompt: list[int], out: list[int], k: int) -> tuple[int, int]:
    """(target calls, draft calls) of greedy speculative decoding that produced `out`: each round the draft
    proposes m = min(k, remaining) tokens from the accepted context (one draft call each); the target accepts
    the matching prefix and adds one."""
    j, calls, draft_calls, n = 0, 0, 0, len(out)
    while j < n:
        m = min(k, n - j)
        draft_calls += m
        ctx = list(prompt) + out[:j]
        accepted = 0
        for i in range(m):
            prev = ctx[-2] if len(ctx) > 1 else 0
            guess = int(np.argmax(draft_table[prev, ctx[-1]]))
            if guess != out[j + i]:
                break
            accepted += 1
            ctx.append(guess)
        j += accepted + 1
        calls += 1
    return calls, draft_calls


def expected_draft_calls(n_new: int, k: int, all_accepted: bool) -> int:
    """Draft calls when every round proposes m = min(k, remaining) tokens (one draft call each) and the target
    accepts all of them plus a bonus (`all_accepted`) or rejects the first (one correction token per round)."""
    g, total = 0, 0
    while g < n_new:
        m = min(k, n_new - g)
        total += m
        g += m + 1 if all_accepted else 1
    return total


def zero_first_generator() -> np.random.Generator:
    """A genuine PCG64 Generator whose first rng.random() is exactly 0.0 (a boundary draw every generator
    can produce): the state is set so that the next PCG64 output has equal high and low halves."""
    mult, inc, half = 0x2360ED051FC65DA44385DF649FCCF645, (0x5851F42D4C957F2D << 1) | 1, 0x123456789ABCDEF
    state = (((half << 64) | half) - inc) * pow(mult, -1, 1 << 128) % (1 << 128)
    bits = np.random.PCG64()
    bits.state = {"bit_generator": "PCG64", "state": {"state": state, "inc": inc}, "has_uint32": 0, "uinteger": 0}
    return np.random.Generator(bits)


def float32_rows(table: np.ndarray) -> np.ndarray:
    """The table as a float32 model returns it: rows that sum to 1 only within float32 rounding (here
    1 + 2e-7 give or take 6e-8, so a float64 sum is off by more than rng.choice's 1.5e-8 tolerance)."""
    return (table * (1 + 2e-7)).astype(np.float32)


def chi_square_pvalue(counts: np.ndarray, probs: np.ndarray) -> float:
    """Chi-square p-value, with outcomes expected fewer than 5 times pooled into one bin."""
    exp = probs * counts.sum()
    small = exp < 5
    obs_b = list(counts[~small]) + ([counts[small].sum()] if small.any() else [])
    exp_b = list(exp[~small]) + ([exp[small].sum()] if small.any() else [])
    obs_b, exp_b = np.array(obs_b, float), np.array(exp_b, float)
    keep = exp_b > 0
    if np.any(obs_b[~keep] > 0):
        return 0.0
    obs_b, exp_b = obs_b[keep], exp_b[keep]
    if len(obs_b) < 2:
        return 1.0
    return float(stats.chisquare(obs_b, exp_b * obs_b.sum() / exp_b.sum()).pvalue)


PROMPTS = st.lists(st.integers(0, 5), min_size=1, max_size=4)


@given(v=st.integers(2, 6), prompt=PROMPTS, n_new=st.integers(0, 12), k=st.integers(1, 5),
       noise=st.sampled_from([0.0, 0.3, 0.7, 1.0]), seed=seeds())
@example(v=2, prompt=[0], n_new=1, k=1, noise=0.5, seed=0)
@example(v=4, prompt=[1, 2], n_new=7, k=3, noise=0.3, seed=3)
@example(v=3, prompt=[0], n_new=0, k=2, noise=0.3, seed=1)
def test_greedy_output_is_the_targets_greedy_output(kata, v, prompt, n_new, k, noise, seed):
    prompt = [t % v for t in prompt]
    rng = np.random.default_rng(seed)
    table = random_table(rng, v)
    draft_table = noisy_copy(table, rng, noise)
    target, draft = TableModel(table), TableModel(draft_table)
    call = describe_call("speculative_greedy", "target", "draft", prompt, n_new, k)
    prompt_before = list(prompt)
    out, calls = kata.speculative_greedy(target, draft, prompt, n_new, k)
    assert prompt == prompt_before, f"{call} changed the prompt list to {prompt}"
    want = plain_greedy(table, prompt, n_new)
    assert_equal(np.asarray(out, dtype=np.int64).reshape(-1), np.asarray(want, dtype=np.int64),
                 name="generated tokens (must equal the target's greedy decoding)", call=call)
    assert int(calls) == target.calls, (
        f"{call} reported {calls} target calls but the target model was called {target.calls} times")
    expected, expected_draft = replay_calls(draft_table, prompt, want, k)
    assert target.calls == expected, (
        f"{call} called the target {target.calls} times, expected {expected}: one call per round, each round "
        f"accepting the draft's matching prefix plus the target's own next token (correction or bonus)")
    assert draft.calls == expected_draft, (
        f"{call} called the draft {draft.calls} times, expected {expected_draft}: each round proposes "
        f"m = min(k, n_new - generated) tokens with one draft call each, no more")


@given(v=st.integers(2, 6), prompt=PROMPTS, n_new=st.integers(1, 20), k=st.integers(1, 6), seed=seeds())
@example(v=3, prompt=[0], n_new=6, k=2, seed=0)     # 6 = 2 rounds of k + 1 exactly
@example(v=3, prompt=[0], n_new=7, k=2, seed=0)     # one token into a third round
@example(v=3, prompt=[0], n_new=4, k=3, seed=0)     # the last round has 1 token left of k = 3 (hopeless: 2 of 3)
def test_call_counts_for_a_perfect_and_a_hopeless_draft(kata, v, prompt, n_new, k, seed):
    prompt = [t % v for t in prompt]
    table = random_table(np.random.default_rng(seed), v)
    target, draft = TableModel(table), TableModel(table)
    call = describe_call("speculative_greedy", "target", "draft=target", prompt, n_new, k)
    _, calls = kata.speculative_greedy(target, draft, prompt, n_new, k)
    want = math.ceil(n_new / (k + 1))
    assert target.calls == want, (
        f"{call}: with a draft identical to the target every proposal is accepted, so each target call should "
        f"yield k + 1 tokens (k accepted + 1 bonus): expected ceil({n_new}/{k + 1}) = {want} calls, got {target.calls}")
    want_draft = expected_draft_calls(n_new, k, all_accepted=True)
    assert draft.calls == want_draft, (
        f"{call} called the draft {draft.calls} times, expected {want_draft}: each round proposes "
        f"m = min(k, n_new - generated) tokens, one draft call each")
    target = TableModel(table)
    wrong = np.roll(table, 1, axis=-1)  # the draft's argmax is always the target's argmax + 1 (mod v)
    draft = TableModel(wrong)
    out, calls = kata.speculative_greedy(target, draft, prompt, n_new, k)
    assert target.calls == n_new, (
        f"speculative_greedy with a draft that is always wrong: expected {n_new} target calls (one token per "
        f"round, the target's correction), got {target.calls}")
    want_draft = expected_draft_calls(n_new, k, all_accepted=False)
    assert draft.calls == want_draft, (
        f"speculative_greedy with a draft that is always wrong called the draft {draft.calls} times, expected "
        f"{want_draft}: each round proposes m = min(k, n_new - generated) tokens, one draft call each")
    assert_equal(np.asarray(out), np.asarray(plain_greedy(table, prompt, n_new)), name="tokens",
                 call=describe_call("speculative_greedy", "target", "always-wrong draft", prompt, n_new, k))


@given(v=st.integers(2, 8), seed=seeds(), same=st.booleans(), dtype=st.sampled_from([np.float64, np.float32]))
@example(v=3, seed=0, same=True, dtype=np.float32)
@example(v=3, seed=0, same=False, dtype=np.float32)
def test_residual_distribution_and_rejection_rule_give_back_p(kata, v, seed, same, dtype):
    rng = np.random.default_rng(seed)
    p = rng.dirichlet(np.full(v, 0.7))
    p[rng.integers(v)] = 0.0            # a zero in p, as top-k truncated models have
    p = (p / p.sum()).astype(dtype)
    q = p.copy() if same else rng.dirichlet(np.full(v, 0.7)).astype(dtype)
    call = describe_call("residual_distribution", p, q)
    r = call_unmodified(kata.residual_distribution, p, q)
    assert_dtype(r, np.float64, name="residual distribution (float64 whatever the input dtype)", call=call)
    r = np.asarray(r, dtype=np.float64)
    p, q = p.astype(np.float64), q.astype(np.float64)
    if same:
        want = p
    else:
        d = np.maximum(p - q, 0)
        want = d / d.sum()
    # float64 arithmetic on O(1) numbers; float32 inputs sum to 1 only within float32 rounding.
    atol = 1e-12 if dtype == np.float64 else 1e-6
    assert_close(r, want, rtol=0, atol=atol, name="residual distribution norm(max(p - q, 0))", call=call)
    accept = np.minimum(p, q)                      # q(x) * min(1, p(x) / q(x))
    emitted = accept + (1 - accept.sum()) * r      # accepted draft tokens + resampled tokens
    assert_close(emitted, p, rtol=0, atol=atol, name="distribution of the emitted token (must be p)", call=call)


@given(v=st.integers(2, 6), m=st.integers(1, 4), seed=seeds())
@example(v=2, m=1, seed=0)
def test_verify_step_accepts_everything_when_the_target_agrees(kata, v, m, seed):
    rng = np.random.default_rng(seed)
    q = rng.dirichlet(np.ones(v), size=m)
    drafted = [int(rng.integers(v)) for _ in range(m)]
    p = rng.dirichlet(np.ones(v), size=m + 1)
    for i, x in enumerate(drafted):   # p[i, x] = q[i, x] / 2 + 1/2 >= q[i, x]: acceptance probability 1
        p[i] = 0.5 * q[i] + 0.5 * np.eye(v)[x]
    bonus = int(rng.integers(v))
    p[m] = np.eye(v)[bonus] * (1 + 2e-7)   # a row that sums to 1 only within float32 rounding: normalise it
    call = describe_call("verify_step", p, q, drafted, "rng")
    got = call_unmodified(kata.verify_step, p, q, drafted, np.random.default_rng(seed))
    assert list(map(int, got)) == drafted + [bonus], (
        f"{call} returned {list(map(int, got))}; every drafted token has p >= q (accepted with probability 1), "
        f"so expected all {m} drafted tokens {drafted} plus the bonus token {bonus} drawn from p[{m}] (one-hot)")


@given(v=st.integers(2, 6), m=st.integers(1, 4), where=st.integers(0, 3), seed=seeds())
@example(v=2, m=1, where=0, seed=0)
def test_verify_step_stops_at_the_first_rejection(kata, v, m, where, seed):
    where = where % m
    rng = np.random.default_rng(seed)
    drafted = [int(rng.integers(v)) for _ in range(m)]
    q = np.stack([np.eye(v)[x] for x in drafted])          # the draft was certain
    p = np.stack([np.eye(v)[x] for x in drafted] + [np.full(v, 1.0 / v)])
    fix = (drafted[where] + 1) % v
    p[where] = np.eye(v)[fix]                             # the target gives the drafted token probability 0
    got = list(map(int, kata.verify_step(p, q, drafted, np.random.default_rng(seed))))
    want = drafted[:where] + [fix]
    assert got == want, (
        f"{describe_call('verify_step', p, q, drafted, 'rng')} returned {got}: the target assigns drafted token "
        f"{where} probability 0, so it must be rejected, replaced by a draw from the residual (here certainly {fix}), "
        f"and nothing after it kept: expected {want}")


@settings(max_examples=5)  # the boundary is the same in every draw
@given(v=st.integers(2, 6), m=st.integers(1, 3), seed=seeds())
@example(v=2, m=1, seed=0)
def test_verify_step_never_accepts_a_token_the_target_rules_out(kata, v, m, seed):
    rng = np.random.default_rng(seed)
    drafted = [int(rng.integers(v)) for _ in range(m)]
    q = rng.dirichlet(np.ones(v), size=m)
    q[np.arange(m), drafted] += 0.5
    q /= q.sum(axis=1, keepdims=True)
    p = rng.dirichlet(np.ones(v), size=m + 1)
    fix = (drafted[0] + 1) % v
    p[0] = np.eye(v)[fix]                     # p(drafted[0]) = 0: acceptance probability exactly 0
    call = describe_call("verify_step", p, q, drafted, "rng whose first rng.random() is exactly 0.0")
    got = list(map(int, kata.verify_step(p, q, drafted, zero_first_generator())))
    assert got == [fix], (
        f"{call} returned {got}: drafted token {drafted[0]} has target probability 0, so it is accepted with "
        f"probability min(1, 0/q) = 0, never, not even when the uniform draw is exactly 0.0 (accept when "
        f"u < p/q, not u <= p/q); the replacement comes from the residual, here certainly {fix}: expected [{fix}]")


@settings(max_examples=6)  # 3000 verification steps per example
@given(v=st.integers(2, 4), m=st.integers(1, 2), seed=seeds())
@example(v=3, m=1, seed=0)
def test_first_emitted_token_is_distributed_as_p(kata, v, m, seed):
    rng = np.random.default_rng(seed)
    p = rng.dirichlet(np.ones(v), size=m + 1)
    q = rng.dirichlet(np.ones(v), size=m)
    n = 3000
    draws = np.random.default_rng(seed + 1)
    first = np.zeros(v, dtype=np.int64)
    for _ in range(n):
        drafted = [int(draws.choice(v, p=q[i])) for i in range(m)]
        first[int(kata.verify_step(p, q, drafted, draws)[0])] += 1
    pvalue = chi_square_pvalue(first, p[0])
    # A correct verifier fails with probability 1e-9; a wrong acceptance or residual rule gives ~0.
    assert pvalue > 1e-9, (
        f"verify_step over {n} drafts sampled from q: first emitted token frequencies {np.round(first / n, 3).tolist()}"
        f" vs the target's p[0] = {np.round(p[0], 3).tolist()} (chi-square p-value {pvalue:.2g}); accept with "
        f"probability min(1, p/q), resample from norm(max(p - q, 0))")


@settings(max_examples=5)  # 2000 generations per example
@given(n_new=st.integers(1, 3), k=st.integers(1, 3), noise=st.sampled_from([0.3, 1.0]), seed=seeds())
@example(n_new=3, k=2, noise=1.0, seed=0)
@example(n_new=2, k=1, noise=0.3, seed=1)
def test_speculative_sampling_samples_from_the_target(kata, n_new, k, noise, seed):
    v, prompt = 3, [1]
    rng = np.random.default_rng(seed)
    table = random_table(rng, v, peak=1.0)
    target, draft = TableModel(table), TableModel(noisy_copy(table, rng, noise))
    outcomes = list(itertools.product(range(v), repeat=n_new))
    exact = np.array([math.prod(table[([0] + prompt + list(s))[i], ([0] + prompt + list(s))[i + 1]][s[i]]
                                for i in range(n_new)) for s in outcomes])
    index = {s: i for i, s in enumerate(outcomes)}
    n = 2000
    gen = np.random.default_rng(seed + 7)
    counts = np.zeros(len(outcomes), dtype=np.int64)
    for _ in range(n):
        out = kata.speculative_sample(target, draft, prompt, n_new, k, gen)
        counts[index[tuple(int(t) for t in out)]] += 1
    pvalue = chi_square_pvalue(counts, exact)
    assert pvalue > 1e-9, (
        f"{describe_call('speculative_sample', 'target', 'draft', prompt, n_new, k, 'rng')} over {n} runs: the "
        f"sequences are not distributed as the target's own samples (chi-square p-value {pvalue:.2g} over "
        f"{len(outcomes)} sequences)")


@settings(max_examples=12)
@given(v=st.integers(2, 6), prompt=PROMPTS, n_new=st.integers(0, 12), k=st.integers(1, 5), seed=seeds())
@example(v=4, prompt=[0, 1], n_new=4, k=2, seed=0)   # the last round has 1 token left of k = 2
@example(v=3, prompt=[2], n_new=0, k=2, seed=0)
@example(v=4, prompt=[1, 3], n_new=9, k=4, seed=1)
def test_speculative_sample_with_a_perfect_draft_accepts_everything(kata, v, prompt, n_new, k, seed):
    prompt = [t % v for t in prompt]
    table = float32_rows(random_table(np.random.default_rng(seed), v))
    target, draft = TableModel(table), TableModel(table)
    call = describe_call("speculative_sample", "target (float32 rows)", "draft=target", prompt, n_new, k, "rng")
    out = list(map(int, kata.speculative_sample(target, draft, prompt, n_new, k, np.random.default_rng(seed))))
    assert len(out) == n_new and all(0 <= t < v for t in out), f"{call} returned {out}: expected {n_new} tokens in [0, {v})"
    want = math.ceil(n_new / (k + 1))
    assert target.calls == want, (
        f"{call}: with a draft identical to the target, p = q and every drafted token is accepted (probability "
        f"min(1, p/q) = 1), so each target call yields k + 1 tokens: expected ceil({n_new}/{k + 1}) = {want} "
        f"target calls, got {target.calls}. Are the draft tokens sampled from the draft's row for the NEXT "
        f"token (the last row of draft(seq + proposal))?")
    want_draft = expected_draft_calls(n_new, k, all_accepted=True)
    assert draft.calls == want_draft, (
        f"{call} called the draft {draft.calls} times, expected {want_draft}: each round samples "
        f"m = min(k, n_new - generated) tokens, one draft call each")


@settings(max_examples=15)
@given(n_new=st.integers(2, 8), k=st.integers(1, 4), seed=seeds())
def test_speculative_sample_is_seeded(kata, n_new, k, seed):
    rng = np.random.default_rng(seed)
    table = random_table(rng, 6, peak=2.0)
    draft_table = noisy_copy(table, rng, 0.5)
    assert_seeded(lambda s: np.asarray(kata.speculative_sample(TableModel(table), TableModel(draft_table), [0, 1],
                                                                n_new * 4, k, np.random.default_rng(s))), seed,
                  name="sampled tokens")


@given(k=st.integers(-2, 0), n_new=st.integers(-3, 3))
@example(k=1, n_new=-1)
def test_bad_arguments_raise(kata, k, n_new):
    table = random_table(np.random.default_rng(0), 3)
    for fn in ("speculative_greedy", "speculative_sample"):
        extra = (np.random.default_rng(0),) if fn == "speculative_sample" else ()
        with pytest.raises(ValueError):
            getattr(kata, fn)(TableModel(table), TableModel(table), [0], n_new, k, *extra)
        with pytest.raises(ValueError):
            getattr(kata, fn)(TableModel(table), TableModel(table), [], 2, 1, *extra)

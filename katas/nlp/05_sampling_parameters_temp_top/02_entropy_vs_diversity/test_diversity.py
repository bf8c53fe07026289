"""Tests for nlp-05-2, entropy vs output diversity.

Reference: scipy.stats.entropy for the entropy; distinct-n counted with Python sets of n-gram
tuples; chi-square tests (scipy.stats.chisquare) of the generated tokens against the filtered
bigram rows; the monotonicity of the filtered entropy in T, k and p (a theorem, see the README);
and the figure's structure and data.
"""
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy import stats

from grader.strategies import dims, seeds
from grader.testing import assert_close, assert_equal, assert_seeded, assert_shape, describe_call

SETTINGS = st.fixed_dictionaries({
    "temperature": st.sampled_from([0.5, 1.0, 2.0]),
    "top_k": st.one_of(st.none(), st.integers(1, 6)),
    "top_p": st.sampled_from([0.5, 0.8, 1.0]),
})


def bigram(seed: int, v: int) -> torch.Tensor:
    """float32 (V, V) logits on a grid of multiples of 1/2, so filters see exact ties."""
    rng = np.random.default_rng(seed)
    return torch.tensor(rng.integers(-6, 7, size=(v, v)) / 2.0, dtype=torch.float32)


def ref_table(kata, logits: torch.Tensor, **kw) -> np.ndarray:
    """The filtered rows, from the given (complete) sampling_distribution, in float64."""
    return kata.sampling_distribution(logits.double(), **kw).numpy()


def ref_distinct(seqs: np.ndarray, n: int) -> float:
    grams = [tuple(row[i:i + n]) for row in seqs.tolist() for i in range(len(row) - n + 1)]
    return len(set(grams)) / len(grams) if grams else 0.0


def chi_square_pvalue(counts: np.ndarray, probs: np.ndarray) -> float:
    """Pearson's test, with cells expecting fewer than 5 draws pooled into one."""
    expected = probs * counts.sum()
    small = expected < 5
    obs = np.append(counts[~small], counts[small].sum())
    exp = np.append(expected[~small], expected[small].sum())
    if exp[-1] == 0:
        obs, exp = obs[:-1], exp[:-1]
    if len(obs) < 2:
        return 1.0
    return float(stats.chisquare(obs, exp * obs.sum() / exp.sum()).pvalue)


@given(b=dims(1, 4), v=dims(1, 12), seed=seeds(), kw=SETTINGS)
@example(b=1, v=5, seed=0, kw={"temperature": 1.0, "top_k": 2, "top_p": 1.0})    # zeros from filtering
@example(b=1, v=1, seed=1, kw={"temperature": 1.0, "top_k": None, "top_p": 1.0})  # one token: 0 nats
def test_entropy_matches_scipy(kata, b, v, seed, kw):
    probs = kata.sampling_distribution(bigram(seed, max(v, b))[:b, :v].double(), **kw)
    call = describe_call("entropy", probs)
    got = kata.entropy(probs)
    assert_shape(got, (b,), name="entropies", call=call)
    # float64 sums of at most 12 terms.
    assert_close(got, stats.entropy(probs.numpy(), axis=-1), rtol=1e-12, atol=1e-12, name="entropies", call=call)


@given(v=dims(1, 16))
def test_entropy_of_uniform_is_log_v(kata, v):
    probs = torch.full((v,), 1.0 / v, dtype=torch.float64)
    assert_close(kata.entropy(probs), np.log(v), rtol=1e-12, atol=1e-12, name="entropy of the uniform distribution",
                 call=describe_call("entropy", probs))


@given(n_seqs=dims(1, 5), length=dims(0, 9), vocab=dims(1, 4), n=dims(1, 4), seed=seeds())
@example(n_seqs=2, length=4, vocab=1, n=2, seed=0)      # one repeated token
@example(n_seqs=3, length=1, vocab=3, n=2, seed=0)      # too short for any bigram
@example(n_seqs=2, length=3, vocab=3, n=2, seed=5)
def test_distinct_n_matches_set_counting(kata, n_seqs, length, vocab, n, seed):
    seqs = torch.tensor(np.random.default_rng(seed).integers(0, vocab, size=(n_seqs, length)), dtype=torch.long)
    call = describe_call("distinct_n", seqs, n)
    got = kata.distinct_n(seqs, n)
    want = ref_distinct(seqs.numpy(), n)
    assert abs(float(got) - want) <= 1e-12, f"{call} returned {float(got)!r}, expected {want!r} (distinct / total n-grams)"


def test_distinct_n_does_not_cross_sequence_boundaries(kata):
    seqs = torch.tensor([[0, 1], [0, 1]])
    got = kata.distinct_n(seqs, 2)
    assert abs(float(got) - 0.5) <= 1e-12, (
        f"distinct_n([[0, 1], [0, 1]], 2) returned {float(got)!r}: the bigrams are (0, 1) twice, so 1 distinct of 2 "
        f"= 0.5; (1, 0) spans two sequences and is not a bigram, and the ratio is pooled over all rows, not averaged")
    with pytest.raises(ValueError):
        kata.distinct_n(seqs, 0)
        pytest.fail("distinct_n(seqs, 0) returned instead of raising ValueError")


@settings(max_examples=10)  # 3000 sequences of 6 tokens each
@given(v=dims(2, 8), start=st.integers(0, 7), seed=seeds(), kw=SETTINGS)
@example(v=6, start=2, seed=0, kw={"temperature": 1.0, "top_k": 3, "top_p": 1.0})
@example(v=5, start=0, seed=3, kw={"temperature": 2.0, "top_k": None, "top_p": 0.8})
@example(v=4, start=1, seed=4, kw={"temperature": 1.0, "top_k": 1, "top_p": 1.0})   # one token per row left
def test_generate_follows_the_filtered_bigram_rows(kata, v, start, seed, kw):
    start %= v
    logits = bigram(seed, v)
    table = ref_table(kata, logits, **kw)
    n_seqs, length = 3000, 6
    call = describe_call("generate", logits, start, n_seqs, length, **kw)
    seqs = kata.generate(logits, start, n_seqs, length, torch.Generator().manual_seed(seed), **kw)
    assert_shape(seqs, (n_seqs, length), name="sequences", call=call)
    assert seqs.dtype == torch.long, f"{call} returned dtype {seqs.dtype}, expected torch.long"
    s = seqs.numpy()
    prev = np.concatenate([np.full((n_seqs, 1), start), s[:, :-1]], axis=1)
    impossible = table[prev, s] == 0
    if impossible.any():
        i, t = map(int, np.argwhere(impossible)[0])
        raise AssertionError(f"{call}: sequence {i} draws token {s[i, t]} after token {prev[i, t]} at step {t}, which the "
                             f"filters remove from that row (each token is drawn from the row of the previous one)")
    # step 0: iid draws from the start row; later steps: draws from the most visited previous token's row.
    busiest = int(np.bincount(s[:, :-1].ravel(), minlength=v).argmax())
    for what, row, drawn in ((f"first tokens (row {start})", start, s[:, 0]),
                             (f"tokens following {busiest}", busiest, s[:, 1:][s[:, :-1] == busiest])):
        counts = np.bincount(drawn, minlength=v)
        pvalue = chi_square_pvalue(counts, table[row])
        # a correct sampler fails with probability 1e-9.
        assert pvalue > 1e-9, (f"{call}: the {what} have frequencies {np.round(counts / counts.sum(), 3).tolist()}, "
                               f"but that row's filtered distribution is {np.round(table[row], 3).tolist()} "
                               f"(chi-square p-value {pvalue:.2g})")


@settings(max_examples=10)
@given(v=dims(2, 8), seed=seeds(), param=st.sampled_from(["temperature", "top_k", "top_p"]))
@example(v=6, seed=0, param="temperature")
@example(v=6, seed=1, param="top_k")
@example(v=6, seed=2, param="top_p")
def test_sweep_records_entropy_and_diversity(kata, v, seed, param):
    logits = bigram(seed, v)
    values = {"temperature": [0.25, 0.5, 1.0, 2.0, 4.0], "top_k": [1, 2, 3, v], "top_p": [0.1, 0.4, 0.7, 0.9, 1.0]}[param]
    n_seqs, length = 20, 8
    call = describe_call("sweep", logits, param, values, n_seqs, length, seed)
    res = kata.sweep(logits, param, values, n_seqs, length, seed)
    want_entropy = [float(np.mean(stats.entropy(ref_table(kata, logits, **{param: x}), axis=-1))) for x in values]
    # float32 softmax rows: entropies good to ~1e-6.
    assert_close(np.asarray(res.entropy, dtype=np.float64), want_entropy, rtol=0, atol=1e-5,
                 name="entropy (mean over the rows of the filtered next-token entropy)", call=call)
    ent = np.asarray(res.entropy, dtype=np.float64)
    assert np.all(np.diff(ent) >= -1e-5), f"{call}: entropy should never fall as {param} grows, got {ent.round(4)}"
    assert len(res.sequences) == len(values), f"{call}: {len(res.sequences)} sequence tensors for {len(values)} values"
    for i, x in enumerate(values):
        want_seqs = kata.generate(logits, 0, n_seqs, length, torch.Generator().manual_seed(seed), **{param: x})
        assert_equal(res.sequences[i], want_seqs, name=f"sequences at {param}={x} (generate with a fresh seeded "
                     f"generator)", call=call)
        s = want_seqs.numpy()
        for n, got in ((1, res.distinct_1[i]), (2, res.distinct_2[i])):
            assert abs(float(got) - ref_distinct(s, n)) <= 1e-12, (
                f"{call}: distinct_{n} at {param}={x} is {float(got)!r}, expected {ref_distinct(s, n)!r}")


@settings(max_examples=10)
@given(v=dims(2, 6), seed=seeds(), param=st.sampled_from(["temperature", "top_k", "top_p"]), start=st.integers(0, 5),
       fixed=st.fixed_dictionaries({"temperature": st.sampled_from([0.5, 2.0]), "top_k": st.sampled_from([None, 2, 3]),
                                    "top_p": st.sampled_from([0.6, 1.0])}))
@example(v=5, seed=0, param="top_p", start=3, fixed={"temperature": 2.0, "top_k": 3, "top_p": 1.0})
@example(v=5, seed=1, param="temperature", start=1, fixed={"temperature": 1.0, "top_k": 2, "top_p": 0.6})
def test_sweep_keeps_the_other_parameters_and_the_start(kata, v, seed, param, start, fixed):
    """The two parameters not swept, and `start`, come from the arguments; the result records param and values."""
    start %= v
    logits = bigram(seed, v)
    values = {"temperature": [0.5, 1.5], "top_k": [1, v], "top_p": [0.3, 0.9]}[param]
    n_seqs, length = 6, 5
    call = describe_call("sweep", logits, param, values, n_seqs, length, seed, start=start, **fixed)
    res = kata.sweep(logits, param, values, n_seqs, length, seed, start=start, **fixed)
    assert res.param == param and list(res.values) == values, (
        f"{call} recorded param={res.param!r}, values={list(res.values)}; expected {param!r}, {values}")
    for i, x in enumerate(values):
        kw = {**fixed, param: x}
        want_entropy = float(np.mean(stats.entropy(ref_table(kata, logits, **kw), axis=-1)))
        assert abs(float(res.entropy[i]) - want_entropy) <= 1e-5, (
            f"{call}: entropy at {param}={x} is {float(res.entropy[i]):.6f}, expected {want_entropy:.6f} "
            f"(the other parameters are {fixed}, not the defaults)")
        want_seqs = kata.generate(logits, start, n_seqs, length, torch.Generator().manual_seed(seed), **kw)
        assert_equal(res.sequences[i], want_seqs, name=f"sequences at {param}={x} (from start={start}, with {fixed})",
                     call=call)
    with pytest.raises(ValueError):
        kata.sweep(logits, "top-p", values, n_seqs, length, seed)
        pytest.fail("sweep(logits, 'top-p', ...) returned instead of raising ValueError")


@given(v=dims(2, 6), seed=seeds(), start=st.integers(0, 5))
def test_generate_draws_only_from_its_generator(kata, v, seed, start):
    logits = bigram(seed, v) * 0.25   # flat rows: 40 draws almost surely differ between seeds

    def run(s: int) -> torch.Tensor:   # the global RNG moves on between runs: it must not matter
        return kata.generate(logits, start % v, 8, 5, torch.Generator().manual_seed(s))

    assert_seeded(run, seed, name="sequences")


@settings(max_examples=3)  # a figure per example costs ~50 ms; the structure does not depend on the inputs
@given(seed=seeds(), param=st.sampled_from(["temperature", "top_p"]))
@example(seed=0, param="temperature")
def test_plot_entropy_vs_diversity(kata, seed, param):
    values = [0.5, 1.0, 2.0] if param == "temperature" else [0.3, 0.6, 1.0]
    rng = np.random.default_rng(seed)
    res = kata.SweepResult(param, values, np.sort(rng.random(3)), rng.random(3), rng.random(3), [])
    call = describe_call("plot_entropy_vs_diversity", f"SweepResult(param={param!r})")
    fig = kata.plot_entropy_vs_diversity(res)
    try:
        axes = [ax for ax in fig.axes if ax.get_lines()]
        assert len(axes) == 2, f"{call}: {len(axes)} axes hold lines, expected 2"
        left, right = axes
        assert left.get_title() == f"sweep over {param}", f"{call}: left title {left.get_title()!r}"
        assert (left.get_xlabel(), left.get_ylabel()) == (param, "entropy (nats)"), (
            f"{call}: left labels x={left.get_xlabel()!r}, y={left.get_ylabel()!r}")
        assert len(left.get_lines()) == 1, f"{call}: left axes holds {len(left.get_lines())} lines, expected 1"
        line = left.get_lines()[0]
        assert_close(line.get_xdata(), values, rtol=0, atol=0, name="left line x (the swept values)", call=call)
        assert_close(line.get_ydata(), res.entropy, rtol=0, atol=0, name="left line y (entropy)", call=call)
        assert (right.get_title(), right.get_xlabel(), right.get_ylabel()) == (
            "diversity vs entropy", "entropy (nats)", "distinct-n"), (
            f"{call}: right axes title/labels {right.get_title()!r}, {right.get_xlabel()!r}, {right.get_ylabel()!r}")
        lines = {ln.get_label(): ln for ln in right.get_lines()}
        assert set(lines) == {"distinct-1", "distinct-2"}, f"{call}: right lines labelled {sorted(lines)}"
        for label, want in (("distinct-1", res.distinct_1), ("distinct-2", res.distinct_2)):
            assert_close(lines[label].get_xdata(), res.entropy, rtol=0, atol=0, name=f"{label} x", call=call)
            assert_close(lines[label].get_ydata(), want, rtol=0, atol=0, name=f"{label} y", call=call)
        assert right.get_legend() is not None, f"{call}: the right axes has no legend"
    finally:
        plt.close(fig)

"""Tests for nlp-16-2, learning curves of a tiny model on real vs synthetic digits.

References: sklearn.covariance.empirical_covariance (the maximum-likelihood covariance) for the
class Gaussians; sample moments within six standard errors for the sampler; the round-robin label
sequence, which a balanced order must reproduce exactly; the learning curves recomputed from their
definition with the given fit_and_score; scikit-learn's bundled digits for a worked example; the
rendered figure's axes, scale, labels, lines and bands.
"""
import math
import warnings

import matplotlib.pyplot as plt
import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sklearn.covariance import empirical_covariance

from grader.strategies import seeds
from grader.testing import assert_close, assert_dtype, assert_equal, assert_seeded, describe_call

CLASS_SETS = st.sampled_from([[0], [0, 1], [3, 7], [0, 1, 2], [2, 5, 9]])


def labelled_data(seed: int, classes: list[int], d: int, n_max: int = 20) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    counts = rng.integers(1, n_max + 1, size=len(classes))
    X = np.concatenate([rng.normal(loc=rng.normal(0, 3, d), scale=rng.uniform(0.2, 2, d), size=(n, d)) for n in counts])
    y = np.repeat(classes, counts)
    perm = rng.permutation(len(y))
    return X[perm], y[perm]


def round_robin_labels(y: np.ndarray) -> np.ndarray:
    classes, counts = np.unique(y, return_counts=True)
    return np.asarray([c for rank in range(counts.max()) for c, n in zip(classes, counts, strict=True) if rank < n])


def small_task(seed: int, n_train: int = 60, n_test: int = 40, d: int = 6, k: int = 3):
    rng = np.random.default_rng(seed)
    centers = rng.normal(0, 1.0, size=(k, d))
    y_tr, y_te = rng.integers(0, k, n_train), rng.integers(0, k, n_test)
    X_tr = centers[y_tr] + rng.normal(0, 1.0, size=(n_train, d))
    X_te = centers[y_te] + rng.normal(0, 1.0, size=(n_test, d))
    return X_tr, y_tr, X_te, y_te


def reference_curve(kata, X_tr, y_tr, X_te, y_te, sizes, seed_list, k):
    out = np.zeros((len(seed_list), len(sizes)))
    for a, s in enumerate(seed_list):
        order = kata.balanced_order(y_tr, s)
        for b, m in enumerate(sizes):
            out[a, b] = kata.fit_and_score(X_tr[order[:m]], y_tr[order[:m]], X_te, y_te, s, n_classes=k)
    return out


@given(seed=seeds(), classes=CLASS_SETS, d=st.integers(1, 5), reg=st.sampled_from([0.0, 0.1, 0.5]),
       dtype=st.sampled_from([np.float64, np.float32]))
@example(seed=0, classes=[3, 7], d=3, reg=0.1, dtype=np.float64)
@example(seed=1, classes=[0], d=1, reg=0.0, dtype=np.float64)
@example(seed=2, classes=[0, 1], d=2, reg=0.1, dtype=np.float32)   # float32 pixels: float64 moments all the same
def test_fit_class_gaussians_matches_sklearn(kata, seed, classes, d, reg, dtype):
    X, y = labelled_data(seed, classes, d)
    X_in = X.astype(dtype)
    X = X_in.astype(np.float64)     # the values passed, exactly
    call = describe_call("fit_class_gaussians", X_in, y, reg)
    got_classes, means, covs = kata.fit_class_gaussians(X_in, y, reg)
    assert_equal(np.asarray(got_classes), np.asarray(classes), name="classes", call=call)
    assert_dtype(means, np.float64, name="means", call=call)
    assert_dtype(covs, np.float64, name="covs", call=call)
    want_means = np.stack([X[y == c].mean(axis=0) for c in classes])
    with warnings.catch_warnings():       # a class of one row warns "only one sample"; its covariance is 0
        warnings.simplefilter("ignore")
        want_covs = np.stack([(1 - reg) * empirical_covariance(X[y == c]) + reg * np.eye(d) for c in classes])
    # float64 sums of at most 20 rows: 1e-10.
    assert_close(means, want_means, rtol=1e-10, atol=1e-10, name="means", call=call)
    try:
        assert_close(covs, want_covs, rtol=1e-10, atol=1e-10, name="covariances", call=call)
    except AssertionError as e:
        n = np.array([np.sum(y == c) for c in classes])
        unbiased = np.stack([(want_covs[i] - reg * np.eye(d)) * (m / max(m - 1, 1)) + reg * np.eye(d)
                             for i, m in enumerate(n)])
        hint = ("\n  looks like: the unbiased covariance (n_c - 1); the Gaussian's maximum-likelihood fit divides by n_c"
                if np.allclose(covs, unbiased, rtol=1e-9, atol=1e-12) else "")
        raise AssertionError(f"{e}{hint}") from None


@given(seed=seeds(), classes=CLASS_SETS, d=st.integers(1, 4), n=st.integers(0, 6))
@example(seed=0, classes=[2, 5, 9], d=2, n=3)
def test_sample_synthetic_has_the_requested_shape_labels_and_seed(kata, seed, classes, d, n):
    X, y = labelled_data(seed, classes, d)
    c, means, covs = kata.fit_class_gaussians(X, y, 0.1)
    call = describe_call("sample_synthetic", c, means, covs, n, seed)
    Xs, ys = kata.sample_synthetic(c, means, covs, n, seed)
    assert np.shape(Xs) == (len(classes) * n, d), f"{call} returned X of shape {np.shape(Xs)}, expected {(len(classes) * n, d)}"
    assert_equal(np.asarray(ys), np.repeat(classes, n), name="labels (grouped by class, in the order of classes)", call=call)
    Xs2, _ = kata.sample_synthetic(c, means, covs, n, seed)
    assert np.array_equal(Xs, Xs2), f"{call} is not deterministic given the seed"


@settings(max_examples=10)
@given(seed=seeds())
@example(seed=0)
def test_sample_synthetic_has_each_class_moments(kata, seed):
    rng = np.random.default_rng(seed)
    d, n = 2, 3000
    means = rng.normal(0, 5, size=(2, d))
    A = rng.normal(0, 1, size=(2, d, d))
    covs = A @ A.transpose(0, 2, 1) + 0.1 * np.eye(d)
    Xs, ys = kata.sample_synthetic(np.array([4, 1]), means, covs, n, seed)
    ys = np.asarray(ys)
    for i, c in enumerate([4, 1]):
        rows = np.asarray(Xs)[ys == c]
        se_mean = np.sqrt(np.diag(covs[i]) / n)
        # six standard errors: a false alarm is a 1-in-10^8 event per coordinate.
        assert np.all(np.abs(rows.mean(axis=0) - means[i]) < 6 * se_mean), (
            f"class {c}: sample mean {rows.mean(axis=0)} of {n} draws, expected {means[i]} ± {6 * se_mean} "
            "(are the classes' means swapped, or the rows not grouped in the order of classes?)")
        var = np.diag(covs[i])
        se_cov = np.sqrt((np.outer(var, var) + covs[i] ** 2) / n)
        emp = np.cov(rows, rowvar=False)
        assert np.all(np.abs(emp - covs[i]) < 6 * se_cov), (
            f"class {c}: sample covariance {emp.tolist()}, expected {covs[i].tolist()} ± {(6 * se_cov).tolist()}")


@given(seed=seeds(), classes=CLASS_SETS)
@example(seed=0, classes=[0, 1, 2])
def test_balanced_order_deals_the_classes_round_robin(kata, seed, classes):
    _, y = labelled_data(seed, classes, 1, n_max=15)
    call = describe_call("balanced_order", y, seed)
    order = np.asarray(kata.balanced_order(y, seed))
    assert sorted(order.tolist()) == list(range(len(y))), f"{call} is not a permutation of 0..{len(y) - 1}"
    assert_equal(y[order], round_robin_labels(y), name="labels in that order (one of each class per round, "
                 "classes in increasing order, exhausted classes skipped)", call=call)
    assert np.array_equal(order, np.asarray(kata.balanced_order(y, seed))), f"{call} is not deterministic given the seed"


def test_balanced_order_of_no_rows_is_an_empty_int64_array(kata):
    order = np.asarray(kata.balanced_order(np.array([], dtype=np.int64), 0))
    assert order.shape == (0,), f"balanced_order(empty y, 0) returned shape {order.shape}, expected (0,)"
    assert_dtype(order, np.int64, name="order", call="balanced_order(empty y, 0)")


@given(seed=seeds())
@example(seed=0)
def test_the_seed_decides_the_samples_and_the_order(kata, seed):
    """Same seed, same draws; another seed, other draws (a fixed or a global generator fails one of the two)."""
    means, covs = np.zeros((2, 3)), np.stack([np.eye(3)] * 2)
    assert_seeded(lambda s: kata.sample_synthetic(np.array([0, 1]), means, covs, 4, s)[0], seed,
                  name="sample_synthetic rows")
    y = np.repeat([0, 1, 2], 10)
    assert_seeded(lambda s: np.asarray(kata.balanced_order(y, s)), seed, name="balanced_order")


def test_balanced_order_shuffles_within_each_class(kata):
    y = np.repeat([0, 1], 12)
    orders = [np.asarray(kata.balanced_order(y, s)) for s in range(3)]
    firsts = [o[y[o] == 0] for o in orders]
    assert not all(np.array_equal(f, np.sort(f)) for f in firsts), (
        "balanced_order(y, seed) takes each class's rows in their original order for seeds 0, 1 and 2; shuffle "
        "them with np.random.default_rng(seed), or every curve trains on the same first rows")


@settings(max_examples=5)  # each example trains len(seeds) * len(sizes) tiny models
@given(seed=seeds(), sizes=st.lists(st.integers(1, 60), min_size=1, max_size=3, unique=True).map(sorted),
       n_seeds=st.integers(1, 2))
@example(seed=0, sizes=[3, 12, 60], n_seeds=2)
def test_learning_curve_is_accuracy_of_nested_balanced_prefixes(kata, seed, sizes, n_seeds):
    X_tr, y_tr, X_te, y_te = small_task(seed)
    seed_list = [seed, seed + 1][:n_seeds]
    call = describe_call("learning_curve", X_tr, y_tr, X_te, y_te, sizes, seed_list)
    got = kata.learning_curve(X_tr, y_tr, X_te, y_te, sizes, seed_list)
    want = reference_curve(kata, X_tr, y_tr, X_te, y_te, sizes, seed_list, 10)
    # the same deterministic float64 training: equal up to the last bit.
    assert_close(got, want, rtol=0, atol=1e-12, name="accuracies (rows: seeds, columns: sizes)", call=call)


@settings(max_examples=4)
@given(seed=seeds(), sizes=st.lists(st.integers(2, 50), min_size=1, max_size=3, unique=True).map(sorted),
       reg=st.sampled_from([0.1, 0.5]))
@example(seed=0, sizes=[5, 20, 50], reg=0.5)
def test_real_vs_synthetic_follows_its_definition(kata, seed, sizes, reg):
    X_tr, y_tr, X_te, y_te = small_task(seed)
    seed_list = [seed, seed + 1]
    call = describe_call("real_vs_synthetic", X_tr, y_tr, X_te, y_te, sizes, seed_list, reg=reg)
    got = kata.real_vs_synthetic(X_tr, y_tr, X_te, y_te, sizes, seed_list, reg=reg)
    classes, means, covs = kata.fit_class_gaussians(X_tr, y_tr, reg)
    X_syn, y_syn = kata.sample_synthetic(classes, means, covs, math.ceil(max(sizes) / len(classes)), seed_list[0])
    real = reference_curve(kata, X_tr, y_tr, X_te, y_te, sizes, seed_list, 10)
    syn = reference_curve(kata, X_syn, y_syn, X_te, y_te, sizes, seed_list, 10)
    want = {"sizes": np.asarray(sizes), "real_mean": real.mean(0), "real_std": real.std(0),
            "synthetic_mean": syn.mean(0), "synthetic_std": syn.std(0)}
    assert set(got) >= set(want), f"{call} returned keys {sorted(got)}, expected {sorted(want)}"
    for key, value in want.items():
        assert_close(np.asarray(got[key], dtype=float), value, rtol=0, atol=1e-12,
                     name=f"[{key!r}] (generator fit on the real training set; std over seeds with ddof=0)", call=call)


def test_real_digits_beat_synthetic_ones_once_there_is_enough_data(kata):
    """Worked example: the class-Gaussian generator misses the strokes' structure; from 100 examples on,
    a model trained on real digits scores higher on real test digits than one trained on as many samples."""
    X_tr, y_tr, X_te, y_te = kata.load_digits_split(0)
    sizes = [20, 50, 100, 200, 500]
    got = kata.real_vs_synthetic(X_tr, y_tr, X_te, y_te, sizes, [0, 1, 2], reg=0.1)
    real, syn = np.asarray(got["real_mean"]), np.asarray(got["synthetic_mean"])
    table = ", ".join(f"{m}: {r:.3f} vs {s:.3f}" for m, r, s in zip(sizes, real, syn, strict=True))
    assert real[-1] > real[0] + 0.1 and syn[-1] > syn[0] + 0.1, f"both curves should rise with the data: {table}"
    assert np.all(real[2:] > syn[2:] + 0.01), f"real should beat synthetic by > 0.01 from 100 examples on: {table}"


@settings(max_examples=4)  # ~50 ms per figure
@given(seed=seeds(), n=st.integers(1, 6))
@example(seed=0, n=1)
def test_plot_learning_curves_draws_two_curves_with_bands_on_a_log_axis(kata, seed, n):
    rng = np.random.default_rng(seed)
    sizes = np.sort(rng.choice(np.arange(5, 2000), size=n, replace=False))
    result = {"sizes": sizes, "real_mean": rng.uniform(0.5, 1, n), "real_std": rng.uniform(0, 0.05, n),
              "synthetic_mean": rng.uniform(0.4, 0.9, n), "synthetic_std": rng.uniform(0, 0.05, n)}
    call = describe_call("plot_learning_curves", result)
    fig = kata.plot_learning_curves(result)
    try:
        axes = [ax for ax in fig.axes if ax.get_lines()]
        assert len(axes) == 1, f"{call} drew lines on {len(axes)} axes, expected 1"
        ax = axes[0]
        assert ax.get_xscale() == "log", f"{call}: the x axis is {ax.get_xscale()!r}, expected 'log' (sizes span decades)"
        assert "training examples" in ax.get_xlabel().lower(), f"xlabel is {ax.get_xlabel()!r}"
        assert "accuracy" in ax.get_ylabel().lower(), f"ylabel is {ax.get_ylabel()!r}"
        assert ax.get_legend() is not None, f"{call} drew no legend"
        lines = {ln.get_label(): ln for ln in ax.get_lines()}
        for key in ("real", "synthetic"):
            assert key in lines, f"{call} drew lines labelled {sorted(lines)}, expected 'real' and 'synthetic'"
            assert_close(np.asarray(lines[key].get_xdata(), dtype=float), sizes.astype(float), rtol=0, atol=0,
                         name=f"x data of the {key} line", call=call)
            assert_close(np.asarray(lines[key].get_ydata(), dtype=float), result[f"{key}_mean"], rtol=0, atol=1e-12,
                         name=f"y data of the {key} line (the mean accuracy)", call=call)
        bands = [c for c in ax.collections if len(c.get_paths())]
        assert len(bands) == 2, f"{call} drew {len(bands)} shaded bands, expected 2 (fill_between mean ± std per curve)"
        for band, key in zip(bands, ("real", "synthetic"), strict=True):
            ys = band.get_paths()[0].vertices[:, 1]
            lo, hi = result[f"{key}_mean"] - result[f"{key}_std"], result[f"{key}_mean"] + result[f"{key}_std"]
            assert np.isclose(ys.min(), lo.min()) and np.isclose(ys.max(), hi.max()), (
                f"the {key} band spans {ys.min():.4f}..{ys.max():.4f}, expected mean ± std: {lo.min():.4f}..{hi.max():.4f}")
    finally:
        plt.close(fig)

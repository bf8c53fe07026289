"""Tests for ml-05-5, the SVM dual solved with SMO.

References: sklearn.svm.SVC(kernel, C, gamma, tol=1e-10) (LIBSVM) fitted on the same standardized
data: dual coefficients, support vectors, intercept, decision function, coef_ and margin; the KKT
conditions on your own solution; strong duality (dual = primal at the optimum); brute-force
characterisations of the pair bounds and the maximal violating pair; and SMO's invariant, the
dual objective never decreases.
"""
import warnings

import numpy as np
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from sklearn.datasets import make_blobs
from sklearn.svm import SVC

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, call_unmodified, describe_call

CS = st.sampled_from([0.1, 1.0, 10.0])
GAMMAS = st.sampled_from([0.1, 0.5, 1.0, 2.0])
LABEL_SETS = st.sampled_from([(0, 1), (-1, 1), ("no", "yes")])
# LIBSVM caches the kernel in float32, so its solution is good to ~1e-6 even at tol=1e-10
# (measured: |alpha - alpha_ref| <= 7e-6 C, |f - f_ref| <= 4e-6 over 600 draws); 1e-4 leaves room.
ATOL = 1e-4


def make_data(seed, n, d, std, labels):
    X, y01 = make_blobs(n_samples=n, n_features=d, centers=2, cluster_std=std, random_state=seed)
    X = (X - X.mean(0)) / X.std(0)  # SVMs want standardized features (and LIBSVM's float32 cache too)
    return X, np.array(labels)[y01], np.where(y01 == 1, 1.0, -1.0)


def libsvm(X, y, C, kernel, gamma):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return SVC(C=C, kernel=kernel, gamma=gamma, tol=1e-10).fit(X, y)


def optimal_intercepts(K, s, alpha, C):
    """The interval of intercepts b that satisfy the KKT conditions with the reference alpha.

    A free support vector pins b down (the interval is a point, up to the solver's accuracy); with
    none, b is not unique and every value in [max over I_up, min over I_low] of -y*grad is optimal.
    """
    score = -s * ((s[:, None] * s[None, :] * K) @ alpha - 1)
    lo_a, hi_a = alpha > 1e-6 * C, alpha < C * (1 - 1e-6)  # tolerant: LIBSVM's alpha is float32-accurate
    free = lo_a & hi_a
    if free.any():
        return score[free].min(), score[free].max()
    up = (hi_a & (s > 0)) | (lo_a & (s < 0))
    low = (hi_a & (s < 0)) | (lo_a & (s > 0))
    return score[up].max(), score[low].min()


def dense(n, index, values):
    out = np.zeros(n)
    out[np.asarray(index, dtype=int)] = values
    return out


@given(seed=seeds(), C=st.sampled_from([0.5, 1.0, 3.0]), same=st.booleans(), at_bound=st.sampled_from([None, 0, 1]))
@example(seed=0, C=1.0, same=True, at_bound=None)
@example(seed=0, C=1.0, same=False, at_bound=None)
def test_clip_bounds_is_the_feasible_segment(kata, seed, C, same, at_bound):
    """[L, H] = all alpha_j' in [0, C] whose partner alpha_i' also stays in [0, C]."""
    rng = np.random.default_rng(seed)
    a_i, a_j = rng.uniform(0, C, size=2)
    if at_bound is not None:
        a_i = [0.0, C][at_bound]
    y_i = float(rng.choice([-1.0, 1.0]))
    y_j = y_i if same else -y_i
    call = describe_call("clip_bounds", a_i, a_j, y_i, y_j, C)
    L, H = kata.clip_bounds(a_i, a_j, y_i, y_j, C)
    grid = np.linspace(-C, 2 * C, 3001)
    partner = a_i + y_i * y_j * (a_j - grid)
    feasible = (grid >= 0) & (grid <= C) & (partner >= -1e-12) & (partner <= C + 1e-12)
    assume(feasible.sum() >= 2)
    want_L, want_H = grid[feasible].min(), grid[feasible].max()
    # The grid step is C / 1000: the true ends lie within one step of the feasible grid points.
    step = 3 * C / 3000
    assert want_L - step <= L <= want_L + 1e-12 and want_H - 1e-12 <= H <= want_H + step, (
        f"{call} returned [{L:.6g}, {H:.6g}], but the feasible alpha_j' form [{want_L:.6g}, {want_H:.6g}] "
        f"(to {step:.3g}); the cases y_i == y_j and y_i != y_j differ")


@given(seed=seeds(), n=st.integers(1, 12), d=st.integers(1, 3), C=CS)
@example(seed=0, n=1, d=1, C=1.0)
def test_dual_objective_matches_the_linear_kernel_identity(kata, seed, n, d, C):
    """For K = X X^T: W(alpha) = sum(alpha) - 1/2 ||X^T (alpha * y)||^2."""
    rng = np.random.default_rng(seed)
    X, alpha, y = rng.normal(size=(n, d)), rng.uniform(0, C, size=n), rng.choice([-1.0, 1.0], size=n)
    want = alpha.sum() - 0.5 * np.sum((X.T @ (alpha * y)) ** 2)
    call = describe_call("dual_objective", alpha, y, X @ X.T)
    assert_close(call_unmodified(kata.dual_objective, alpha, y, X @ X.T), want, rtol=1e-10, atol=1e-10, name="W(alpha)", call=call)


@given(seed=seeds(), n=st.integers(2, 20), C=CS)
@example(seed=0, n=2, C=1.0)
def test_select_working_pair_is_the_maximal_violating_pair(kata, seed, n, C):
    rng = np.random.default_rng(seed)
    y = rng.choice([-1.0, 1.0], size=n)
    y[:2] = [-1.0, 1.0]
    alpha = rng.choice([0.0, C, 0.5 * C], size=n) * np.where(rng.random(n) < 0.7, 1.0, rng.random(n))
    grad = rng.normal(size=n)
    score = -y * grad
    pairs = [(i, j) for i in range(n) for j in range(n)
             if ((alpha[i] < C and y[i] > 0) or (alpha[i] > 0 and y[i] < 0))
             and ((alpha[j] < C and y[j] < 0) or (alpha[j] > 0 and y[j] > 0))]
    assume(pairs)
    want = max(pairs, key=lambda p: score[p[0]] - score[p[1]])
    call = describe_call("select_working_pair", alpha, y, grad, C)
    i, j, gap = call_unmodified(kata.select_working_pair, alpha, y, grad, C)
    assert (int(i), int(j)) == want, (
        f"{call} returned the pair ({i}, {j}), expected {want}: i maximises -y*grad over I_up, j minimises it "
        f"over I_low (an index at the wrong end of the box cannot move)")
    assert_close(gap, score[want[0]] - score[want[1]], rtol=1e-12, atol=1e-12, name="gap", call=call)


@given(seed=seeds(), n=st.integers(4, 30), d=st.integers(1, 3), std=st.sampled_from([0.5, 1.0, 2.0]), C=CS,
       kernel=st.sampled_from(["linear", "rbf"]), gamma=GAMMAS, labels=LABEL_SETS)
@example(seed=0, n=4, d=1, std=0.5, C=1.0, kernel="linear", gamma=1.0, labels=(0, 1))
@example(seed=1, n=30, d=2, std=2.0, C=0.1, kernel="linear", gamma=1.0, labels=("no", "yes"))  # many alpha = C
@example(seed=2, n=25, d=2, std=1.0, C=10.0, kernel="rbf", gamma=0.5, labels=(-1, 1))
def test_solution_matches_libsvm(kata, seed, n, d, std, C, kernel, gamma, labels):
    X, y, s = make_data(seed, n, d, std, labels)
    assume(len(set(s.tolist())) == 2)
    ref = libsvm(X, y, C, kernel, gamma)
    call = describe_call(f"SMOSVC(C={C}, kernel={kernel!r}, gamma={gamma}).fit", X, y)
    model = kata.SMOSVC(C=C, kernel=kernel, gamma=gamma).fit(X, y)
    assert_equal(np.asarray(model.classes_), ref.classes_, name="classes_", call=call)
    alpha_ref = dense(n, ref.support_, np.abs(ref.dual_coef_[0]))
    assert_close(model.alpha_, alpha_ref, rtol=0, atol=ATOL * C, name="alpha_ (dual variables)", call=call)
    assert_close(dense(n, model.support_, model.dual_coef_), dense(n, ref.support_, ref.dual_coef_[0]), rtol=0,
                 atol=ATOL * C, name="dual_coef_ (alpha_i y_i, scattered to all n points)", call=call)
    assert_equal(np.asarray(model.support_), np.flatnonzero(np.asarray(model.alpha_) > 0),
                 name="support_ (the indices with alpha_ > 0)", call=call)
    assert_close(model.support_vectors_, X[np.asarray(model.support_, dtype=int)], rtol=0, atol=0,
                 name="support_vectors_", call=call)
    K = X @ X.T if kernel == "linear" else np.exp(-gamma * ((X[:, None] - X[None]) ** 2).sum(-1))
    lo, hi = optimal_intercepts(K, s, alpha_ref, C)
    b = float(model.intercept_)
    assert lo - ATOL <= b <= hi + ATOL, (
        f"{call}: intercept_ = {b:.6g}, but the KKT conditions allow only b in [{lo:.6g}, {hi:.6g}] "
        f"(sklearn's intercept is {ref.intercept_[0]:.6g}): average -y*grad over the free support vectors only")
    Q = np.random.default_rng(seed + 1).normal(size=(10, d))
    # The kernel expansion is unique; the intercept may not be (no free support vector).
    assert_close(model.decision_function(Q) - b, ref.decision_function(Q) - ref.intercept_[0], rtol=0, atol=ATOL,
                 name="decision function minus intercept_", call=call.replace(".fit", ".fit(X, y).decision_function"))
    f_mid = ref.decision_function(Q) - ref.intercept_[0] + (lo + hi) / 2
    sure = np.abs(f_mid) > (hi - lo) / 2 + 10 * ATOL
    assert_equal(np.asarray(model.predict(Q))[sure], ref.predict(Q)[sure], name="predictions",
                 call=call.replace(".fit", ".fit(X, y).predict"))


@given(seed=seeds(), n=st.integers(4, 30), d=st.integers(1, 3), std=st.sampled_from([0.5, 1.0, 2.0]), C=CS)
@example(seed=3, n=20, d=2, std=0.5, C=10.0)  # separable: hard-margin-like
def test_linear_weights_and_margin_match_libsvm(kata, seed, n, d, std, C):
    X, y, s = make_data(seed, n, d, std, (0, 1))
    assume(len(set(s.tolist())) == 2)
    ref = libsvm(X, y, C, "linear", 1.0)
    call = describe_call(f"SMOSVC(C={C}, kernel='linear').fit", X, y)
    model = kata.SMOSVC(C=C, kernel="linear").fit(X, y)
    w = np.asarray(model.coef_, dtype=np.float64).reshape(-1)
    assert_close(w, ref.coef_[0], rtol=0, atol=ATOL * (1 + C), name="coef_ = sum_i alpha_i y_i x_i", call=call)
    norm_ref = np.linalg.norm(ref.coef_[0])
    if norm_ref > 1e-2:  # overlapping classes and a small C can give w ~ 0: no meaningful margin
        # The coef_ tolerance, propagated to 2 / ||w||.
        rtol = 2 * ATOL * (1 + C) * np.sqrt(d) / norm_ref
        assert_close(2 / np.linalg.norm(w), 2 / norm_ref, rtol=rtol, atol=0, name="margin width 2 / ||w||", call=call)
    # Strong duality: at the optimum the dual equals the primal 1/2 ||w||^2 + C sum hinge.
    K = X @ X.T
    primal = 0.5 * w @ w + C * np.maximum(0, 1 - s * model.decision_function(X)).sum()
    assert_close(kata.dual_objective(np.asarray(model.alpha_), s, K), primal, rtol=1e-5, atol=1e-6,
                 name="dual objective at alpha_ vs the primal objective (strong duality)", call=call)


@given(seed=seeds(), n=st.integers(4, 30), d=st.integers(1, 3), std=st.sampled_from([0.5, 1.0, 2.0]), C=CS,
       kernel=st.sampled_from(["linear", "rbf"]), gamma=GAMMAS)
@example(seed=4, n=30, d=2, std=2.0, C=1.0, kernel="rbf", gamma=2.0)
def test_kkt_conditions_hold_and_the_dual_never_decreases(kata, seed, n, d, std, C, kernel, gamma):
    X, y, s = make_data(seed, n, d, std, (0, 1))
    assume(len(set(s.tolist())) == 2)
    call = describe_call(f"SMOSVC(C={C}, kernel={kernel!r}, gamma={gamma}).fit", X, y)
    model = kata.SMOSVC(C=C, kernel=kernel, gamma=gamma).fit(X, y)
    alpha = np.asarray(model.alpha_, dtype=np.float64)
    assert np.all(alpha >= 0) and np.all(alpha <= C), f"{call}: alpha_ leaves the box [0, C]: {alpha.tolist()}"
    assert abs(alpha @ s) < 1e-9 * C * n, f"{call}: sum_i alpha_i y_i = {alpha @ s:.3g}, expected 0"
    yf = s * model.decision_function(X)
    # tol = 1e-8 bounds the violation of every condition; 1e-6 is slack for the intercept average.
    eps = 1e-6
    at_zero, at_c = alpha <= 1e-8 * C, alpha >= C * (1 - 1e-8)
    free = ~at_zero & ~at_c
    for mask, ok, rule in [(at_zero, yf >= 1 - eps, "alpha = 0 needs y f(x) >= 1"),
                           (at_c, yf <= 1 + eps, "alpha = C needs y f(x) <= 1"),
                           (free, np.abs(yf - 1) <= eps, "0 < alpha < C needs y f(x) = 1")]:
        bad = np.flatnonzero(mask & ~ok)
        assert bad.size == 0, (f"{call}: KKT condition violated at points {bad.tolist()} ({rule}); "
                               f"alpha = {alpha[bad].tolist()}, y f(x) = {yf[bad].tolist()}")
    history = np.asarray(model.dual_objective_history_, dtype=np.float64)
    assert len(history) == model.n_iter_ + 1, (
        f"{call}: dual_objective_history_ has {len(history)} entries for n_iter_ = {model.n_iter_} (expected n_iter_ + 1)")
    drops = np.diff(history) < -1e-12 * (1 + np.abs(history[1:]))
    assert not drops.any(), (f"{call}: the dual objective went down at update {int(np.argmax(drops)) + 1}; every "
                             "SMO update maximises W along a feasible segment, so W never decreases")


@settings(max_examples=10)
@given(seed=seeds(), n=st.integers(1, 10), C=st.sampled_from([0.5, 2.0, 10.0]), pin=st.just(False))
@example(seed=0, n=3, C=2.0, pin=True)
def test_compute_intercept_averages_the_free_vectors(kata, seed, n, C, pin):
    """Free means 0 < alpha < C (for C = 2 or 10 most free alphas are below 1): b is the mean score over
    them; with none, the midpoint of max over I_up and min over I_low."""
    rng = np.random.default_rng(seed)
    alpha = np.choose(rng.integers(0, 3, size=n), [np.zeros(n), np.full(n, C), rng.uniform(0, min(C, 1.0), size=n)])
    y, grad = rng.choice([-1.0, 1.0], size=n), rng.normal(size=n)
    if pin:  # one free alpha of 0.5 < 1 with C = 2
        alpha, y, grad = np.array([0.5, 0.0, 2.0]), np.array([1.0, 1.0, -1.0]), np.array([0.25, -1.0, 0.5])
    score = -y * grad
    free = (alpha > 0) & (alpha < C)
    up = ((alpha < C) & (y > 0)) | ((alpha > 0) & (y < 0))
    low = ((alpha < C) & (y < 0)) | ((alpha > 0) & (y > 0))
    assume(free.any() or (up.any() and low.any()))
    want = score[free].mean() if free.any() else (score[up].max() + score[low].min()) / 2
    call = describe_call("compute_intercept", alpha, y, grad, C)
    got = call_unmodified(kata.compute_intercept, alpha, y, grad, C)
    assert_close(got, want, rtol=1e-12, atol=1e-12, name="intercept (mean score over 0 < alpha < C)", call=call)


@settings(max_examples=5)
@given(seed=seeds(), max_iter=st.integers(0, 4))
@example(seed=0, max_iter=3)
def test_max_iter_caps_the_updates(kata, seed, max_iter):
    X, y, _ = make_data(seed, 30, 2, 2.0, (0, 1))
    full = kata.SMOSVC(C=1.0).fit(X, y)
    model = kata.SMOSVC(C=1.0, max_iter=max_iter).fit(X, y)
    want = min(max_iter, full.n_iter_)
    assert model.n_iter_ == want and len(model.dual_objective_history_) == want + 1, (
        f"SMOSVC(max_iter={max_iter}).fit ran {model.n_iter_} updates with {len(model.dual_objective_history_)} "
        f"objective values; expected {want} updates (the unlimited fit needs {full.n_iter_}) and {want + 1} values")


def test_tol_is_a_strict_bound_on_the_gap(kata):
    """At alpha = 0 every score -y grad is y, so the first gap is exactly 1 - (-1) = 2: tol = 2 still
    updates (stop only if gap < tol), a tol just above 2 stops before any update."""
    X, y, _ = make_data(0, 10, 2, 1.0, (0, 1))
    at = kata.SMOSVC(tol=2.0).fit(X, y)
    assert at.n_iter_ >= 1, "SMOSVC(tol=2.0).fit made no update: the first gap is exactly 2, and only gap < tol stops"
    above = kata.SMOSVC(tol=float(np.nextafter(2.0, 3.0))).fit(X, y)
    assert above.n_iter_ == 0 and list(above.dual_objective_history_) == [0.0], (
        f"SMOSVC(tol=2.0000000000000004).fit made {above.n_iter_} updates: the first gap, 2, is already below tol")
    assert_equal(np.asarray(above.alpha_), np.zeros(len(y)), name="alpha_ (no update)", call="SMOSVC(tol=2+).fit")


@settings(max_examples=10)
@given(seed=seeds(), d=st.integers(1, 3), kernel=st.sampled_from(["linear", "rbf"]), snap=st.booleans(),
       pos_first=st.booleans())
@example(seed=0, d=2, kernel="linear", snap=True, pos_first=False)
@example(seed=0, d=2, kernel="linear", snap=False, pos_first=True)
def test_two_points_are_solved_by_one_update(kata, seed, d, kernel, snap, pos_first):
    """With one point per class the first pair is the whole problem: alpha_j' = 2 / eta and alpha_i' =
    alpha_j'. With C = 2 / eta * (1 + 5e-13) that lands within 1e-12 C below C and must snap to C exactly."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(2, d))
    y = np.array([1, 0]) if pos_first else np.array([0, 1])
    K = X @ X.T if kernel == "linear" else np.exp(-0.5 * ((X[:, None] - X[None]) ** 2).sum(-1))
    eta = K[0, 0] + K[1, 1] - 2 * K[0, 1]
    assume(eta > 1e-3)
    C = 2 / eta * (1 + 5e-13) if snap else 4 / eta
    call = describe_call(f"SMOSVC(C={C!r}, kernel={kernel!r}, gamma=0.5).fit", X, y)
    model = kata.SMOSVC(C=C, kernel=kernel, gamma=0.5).fit(X, y)
    alpha = np.asarray(model.alpha_, dtype=np.float64)
    assert model.n_iter_ == 1, f"{call} made {model.n_iter_} updates; one exact step along the pair solves 2 points"
    if snap:
        assert_equal(alpha, np.array([C, C]), name="alpha_ (2 / eta is within 1e-12 C of C: snapped to C)", call=call)
    else:
        assert_close(alpha, np.full(2, 2 / eta), rtol=1e-12, atol=0, name="alpha_ (= 2 / eta, free)", call=call)


@settings(max_examples=5)
@given(seed=seeds(), d=st.integers(1, 3), labels=LABEL_SETS)
@example(seed=0, d=1, labels=(0, 1))
def test_a_score_of_exactly_zero_predicts_classes_0(kata, seed, d, labels):
    """Points p (positive) and -p: alpha = (a, a) and b = 0 exactly by symmetry, so the origin scores
    exactly 0, and only f(x) > 0 predicts classes_[1]."""
    p = np.random.default_rng(seed).normal(size=d)
    X, y = np.vstack([p, -p]), np.array([labels[1], labels[0]])
    model = kata.SMOSVC(C=10.0).fit(X, y)
    origin = np.zeros((1, d))
    score = float(np.asarray(model.decision_function(origin)).reshape(-1)[0])
    assert score == 0, f"SMOSVC(C=10).fit on points p and -p: decision_function(origin) = {score!r}, expected 0"
    assert_equal(np.asarray(model.predict(origin)), np.array([labels[0]]),
                 name="predict where f(x) = 0 exactly (classes_[0]: only f > 0 is classes_[1])",
                 call=describe_call("SMOSVC.predict", origin))


@given(seed=seeds())
@example(seed=0)
def test_rejects_more_than_two_classes(kata, seed):
    X = np.random.default_rng(seed).normal(size=(9, 2))
    with pytest.raises(ValueError):
        kata.SMOSVC().fit(X, np.arange(9) % 3)

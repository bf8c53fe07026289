"""Tests for ml-01-3, stochastic and mini-batch SGD.

References: sklearn's SGDRegressor with batch size 1, shuffle=False and the same schedule (the two
must agree to rounding: the same updates in the same order); torch.optim.SGD on mini-batches cut
from the same per-epoch permutations (the order the contract fixes, so the comparison is
deterministic); sklearn's LinearRegression, the point SGD reaches on noise-free data.
"""
import numpy as np
import pytest
import torch
from hypothesis import example, given
from hypothesis import strategies as st
from sklearn.linear_model import LinearRegression, SGDRegressor

from grader.strategies import seeds
from grader.testing import assert_close, call_unmodified, describe_call

# torch.optim's first optimizer costs seconds of one-off imports: pay them at collection, not in a test.
torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)

# A few hundred float64 updates of contracting steps: rounding differences stay near 1e-13.
RTOL, ATOL = 1e-9, 1e-10
SCHEDULES = st.sampled_from(["constant", "invscaling"])


def data(seed: int, n: int, d: int, noise: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)) * rng.uniform(0.5, 2.0, size=d) + rng.uniform(-1, 1, size=d)
    y = X @ rng.uniform(-3, 3, size=d) + rng.uniform(-3, 3) + noise * rng.normal(size=n)
    return X, y


def stable_eta0(X: np.ndarray, frac: float) -> float:
    """frac / max_i ‖(x_i, 1)‖²: a single-sample step can then never overshoot (frac < 2)."""
    return frac / float(np.max((X**2).sum(axis=1) + 1))


def show(kwargs: dict) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in kwargs.items())


def torch_minibatch_sgd(X, y, *, batch_size, schedule, eta0, power_t, epochs, shuffle, seed, fit_intercept):
    """torch.optim.SGD on the batches the contract defines; lr set before every update."""
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    w = torch.zeros(X.shape[1], dtype=torch.float64, requires_grad=True)
    b = torch.zeros((), dtype=torch.float64, requires_grad=fit_intercept)
    opt = torch.optim.SGD([w, b] if fit_intercept else [w], lr=eta0)
    rng = np.random.default_rng(seed)
    t = 1
    for _ in range(epochs):
        order = rng.permutation(len(y)) if shuffle else np.arange(len(y))
        for start in range(0, len(y), batch_size):
            idx = torch.from_numpy(order[start:start + batch_size])
            opt.param_groups[0]["lr"] = eta0 if schedule == "constant" else eta0 / t**power_t
            opt.zero_grad()
            (0.5 * torch.mean((Xt[idx] @ w + b - yt[idx]) ** 2)).backward()
            opt.step()
            t += 1
    return w.detach().numpy(), b.detach().item(), t


@given(t=st.integers(1, 10_000), eta0=st.floats(1e-4, 1.0), power_t=st.floats(0.0, 1.0))
@example(t=1, eta0=0.5, power_t=0.25)  # the first update: eta0 itself under both schedules
def test_learning_rate_schedules(kata, t, eta0, power_t):
    for schedule, want in (("constant", eta0), ("invscaling", eta0 / t**power_t)):
        call = describe_call("learning_rate", t, schedule, eta0, power_t)
        with np.errstate(all="ignore"):
            got = kata.learning_rate(t, schedule, eta0, power_t)
        assert_close(got, want, rtol=1e-12, atol=0, name="step size", call=call)
    with pytest.raises(ValueError):
        kata.learning_rate(t, "optimal-ish", eta0, power_t)


@given(seed=seeds(), n=st.integers(1, 25), d=st.integers(1, 4), epochs=st.integers(1, 5), schedule=SCHEDULES,
       frac=st.floats(0.05, 1.0), power_t=st.floats(0.1, 0.9), fit_intercept=st.booleans())
@example(seed=0, n=1, d=1, epochs=1, schedule="invscaling", frac=0.5, power_t=0.25, fit_intercept=True)
@example(seed=1, n=20, d=3, epochs=5, schedule="invscaling", frac=1.0, power_t=0.5, fit_intercept=True)
def test_batch_size_one_matches_sklearn_sgdregressor(kata, seed, n, d, epochs, schedule, frac, power_t,
                                                     fit_intercept):
    X, y = data(seed, n, d)
    eta0 = stable_eta0(X, frac)
    kwargs = dict(learning_rate=schedule, eta0=eta0, power_t=power_t, shuffle=False, fit_intercept=fit_intercept)
    call = describe_call(f"SGDLinearRegression(batch_size=1, max_epochs={epochs}, {show(kwargs)}).fit", X, y)
    model = kata.SGDLinearRegression(batch_size=1, max_epochs=epochs, **kwargs)
    assert call_unmodified(model.fit, X, y) is model, f"{call} must return self"
    ref = SGDRegressor(loss="squared_error", penalty=None, max_iter=epochs, tol=None, **kwargs).fit(X, y)
    assert_close(model.coef_, ref.coef_, rtol=RTOL, atol=ATOL, name="coef_ (vs SGDRegressor)", call=call)
    assert_close(model.intercept_, ref.intercept_[0], rtol=RTOL, atol=ATOL, name="intercept_ (vs SGDRegressor)",
                 call=call)
    assert model.t_ == ref.t_, f"{call}: t_ = {model.t_}, SGDRegressor has {ref.t_:.0f} (1 + number of updates)"
    X_new = data(seed + 1, 5, d)[0]
    assert_close(model.predict(X_new), ref.predict(X_new), rtol=RTOL, atol=1e-9, name="predict(X_new)", call=call)


@given(seed=seeds(), n=st.integers(2, 24), d=st.integers(1, 4), batch_size=st.integers(1, 24),
       epochs=st.integers(1, 4), schedule=SCHEDULES, frac=st.floats(0.05, 1.0), shuffle=st.booleans(),
       random_state=st.integers(0, 2**32 - 1), fit_intercept=st.booleans())
@example(seed=2, n=10, d=2, batch_size=3, epochs=3, schedule="invscaling", frac=1.0, shuffle=True,
         random_state=7, fit_intercept=True)  # 10 = 3 + 3 + 3 + 1: a last batch of one
@example(seed=3, n=12, d=2, batch_size=12, epochs=4, schedule="constant", frac=1.0, shuffle=True,
         random_state=8, fit_intercept=True)  # one batch: plain gradient descent
def test_minibatches_match_torch_sgd(kata, seed, n, d, batch_size, epochs, schedule, frac, shuffle, random_state,
                                     fit_intercept):
    X, y = data(seed, n, d)
    batch_size = min(batch_size, n)
    kwargs = dict(batch_size=batch_size, learning_rate=schedule, eta0=stable_eta0(X, frac), power_t=0.5,
                  max_epochs=epochs, shuffle=shuffle, random_state=random_state, fit_intercept=fit_intercept)
    call = describe_call(f"SGDLinearRegression({show(kwargs)}).fit", X, y)
    with np.errstate(all="ignore"):
        model = call_unmodified(kata.SGDLinearRegression(**kwargs).fit, X, y)
    w, b, t = torch_minibatch_sgd(X, y, schedule=schedule, eta0=kwargs["eta0"], power_t=0.5, epochs=epochs,
                                  batch_size=batch_size, shuffle=shuffle, seed=random_state,
                                  fit_intercept=fit_intercept)
    n_updates = epochs * -(-n // batch_size)
    assert model.t_ == t, (f"{call}: t_ = {model.t_}, expected {t} = 1 + {epochs} epochs × ceil({n}/{batch_size}) "
                           f"batches = 1 + {n_updates} updates (is the last, smaller batch used?)")
    assert_close(model.coef_, w, rtol=RTOL, atol=ATOL, name="coef_ (vs torch.optim.SGD on the same batches)",
                 call=call)
    assert_close(model.intercept_, b, rtol=RTOL, atol=ATOL, name="intercept_ (vs torch.optim.SGD)", call=call)


@given(seed=seeds(), n=st.integers(10, 30), d=st.integers(1, 3), batch_size=st.integers(1, 8),
       random_state=st.integers(0, 2**32 - 1))
@example(seed=4, n=30, d=3, batch_size=1, random_state=0)
@example(seed=5, n=10, d=3, batch_size=8, random_state=1)  # two updates per epoch, the second of size 2
def test_noise_free_data_converge_to_the_ols_solution(kata, seed, n, d, batch_size, random_state):
    """Every sample is fitted exactly at the optimum, so constant-step SGD converges to it (no noise floor)."""
    rng = np.random.default_rng(seed)
    Z = rng.normal(size=(n, d))
    X = np.linalg.qr(Z - Z.mean(axis=0))[0] * np.sqrt(n)  # centred, orthogonal columns: X̃ᵀX̃/n = I
    y = X @ rng.uniform(-3, 3, size=d) + rng.uniform(-3, 3)
    epochs = -(-300 // -(-n // batch_size))  # about 300 updates, whatever the batch size
    kwargs = dict(batch_size=batch_size, learning_rate="constant", eta0=stable_eta0(X, 1.0), max_epochs=epochs,
                  shuffle=True, random_state=random_state)
    call = describe_call(f"SGDLinearRegression({show(kwargs)}).fit", X, y)
    model = kata.SGDLinearRegression(**kwargs).fit(X, y)
    ref = LinearRegression().fit(X, y)
    # 300 updates on this well-conditioned problem leave < 1e-9 (measured); a wrong fixed point is off by O(1).
    assert_close(model.coef_, ref.coef_, rtol=0, atol=1e-6, name="coef_ (vs LinearRegression)", call=call)
    assert_close(model.intercept_, ref.intercept_, rtol=0, atol=1e-6, name="intercept_ (vs LinearRegression)",
                 call=call)

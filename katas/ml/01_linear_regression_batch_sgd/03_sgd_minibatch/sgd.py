"""ml-01-3: stochastic and mini-batch SGD. Edit this file; `grader check ml-01-3` tests it."""
from __future__ import annotations

import numpy as np


def learning_rate(t: int, schedule: str, eta0: float, power_t: float = 0.25) -> float:
    """The step size of the t-th update (t = 1 for the very first update), as sklearn's SGD defines it.

        "constant":   eta_t = eta0
        "invscaling": eta_t = eta0 / t ** power_t

    Raises:
        ValueError: for any other schedule name.
    """
    raise NotImplementedError("learning_rate: eta0, or eta0 / t**power_t")


class SGDLinearRegression:
    """Linear regression y ≈ X w + b fitted by (mini-batch) stochastic gradient descent.

    The loss of a batch B is the half mean squared error 1/(2|B|) Σ_{i in B} (x_i·w + b − y_i)²,
    so one update with step eta is
        w <- w − eta · 1/|B| Σ_{i in B} r_i x_i,    b <- b − eta · 1/|B| Σ_{i in B} r_i,
    where r_i = x_i·w + b − y_i uses the parameters from *before* the update. With batch_size=1 this is
    exactly scikit-learn's SGDRegressor(loss="squared_error", penalty=None).

    fit(X, y) runs `max_epochs` epochs from w = 0, b = 0:
      - rng = np.random.default_rng(random_state) is created once, at the start of fit;
      - each epoch visits the samples in the order `rng.permutation(n)` if shuffle, else 0, 1, ..., n-1;
      - the epoch's order is cut into consecutive batches of batch_size (the last may be smaller);
      - update k (k = 1, 2, ... counted across epochs) uses eta = learning_rate(k, ...).
    With fit_intercept=False, b stays 0.

    Fitted attributes (fit returns self):
        coef_: (d,) float64
        intercept_: float
        t_: int, 1 + the number of updates made (sklearn's convention)

    Shapes:
        X: (n, d) float64, y: (n,) float64; predict(X): (m, d) -> (m,)
    """

    def __init__(self, batch_size: int = 1, learning_rate: str = "invscaling", eta0: float = 0.01,
                 power_t: float = 0.25, max_epochs: int = 5, shuffle: bool = True,
                 random_state: int | None = None, fit_intercept: bool = True) -> None:
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.eta0 = eta0
        self.power_t = power_t
        self.max_epochs = max_epochs
        self.shuffle = shuffle
        self.random_state = random_state
        self.fit_intercept = fit_intercept

    def fit(self, X: np.ndarray, y: np.ndarray) -> SGDLinearRegression:
        raise NotImplementedError("SGDLinearRegression.fit: epochs of shuffled mini-batch updates")

    def predict(self, X: np.ndarray) -> np.ndarray:
        raise NotImplementedError("SGDLinearRegression.predict: X @ coef_ + intercept_")

"""ml-05-1: Gaussian naive Bayes. Edit this file; `grader check ml-05-1` tests it."""
from __future__ import annotations

import numpy as np
from scipy.special import logsumexp  # noqa: F401  (normalise log-probabilities safely)


class GaussianNB:
    """Gaussian naive Bayes, a twin of sklearn.naive_bayes.GaussianNB.

    Hyperparameters (stored unchanged by __init__):
        priors: (n_classes,) prior probabilities in the order of classes_, or None to use the
                class frequencies of the training labels
        var_smoothing: epsilon_ = var_smoothing * (largest per-feature variance of X) is added to
                every class variance

    Fitted attributes (set by fit):
        classes_:     (C,) sorted distinct labels
        class_count_: (C,) float64 number of training samples per class
        class_prior_: (C,) float64 priors used for prediction
        theta_:       (C, d) float64 per-class feature means
        var_:         (C, d) float64 per-class feature variances (divide by the class count) + epsilon_
        epsilon_:     float, the variance added to var_
    """

    def __init__(self, priors: np.ndarray | None = None, var_smoothing: float = 1e-9) -> None:
        self.priors = priors
        self.var_smoothing = var_smoothing

    def fit(self, X: np.ndarray, y: np.ndarray) -> GaussianNB:
        """Per-class means, variances and priors; returns self.

        Shapes:
            X: (n, d) float64
            y: (n,) labels (ints or strings)
        """
        raise NotImplementedError("fit: class counts, priors, means and smoothed variances")

    def joint_log_likelihood(self, X: np.ndarray) -> np.ndarray:
        """log P(c) + sum_j log N(x_j | theta_cj, var_cj) for every sample and class.

        Shapes:
            X: (n, d) float64
            returns: (n, C) float64
        """
        raise NotImplementedError("joint_log_likelihood: log prior + sum of per-feature log-densities")

    def predict_log_proba(self, X: np.ndarray) -> np.ndarray:
        """(n, C) log P(c | x): the joint log-likelihood normalised over classes."""
        raise NotImplementedError("predict_log_proba: normalise in log space")

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """(n, C) P(c | x), rows sum to 1, finite even for points far from every class."""
        raise NotImplementedError("predict_proba: exp of predict_log_proba")

    def predict(self, X: np.ndarray) -> np.ndarray:
        """(n,) the most probable label of every row (taken from classes_)."""
        raise NotImplementedError("predict: argmax over classes")

    def score(self, X: np.ndarray, y: np.ndarray) -> float:
        """Mean accuracy of predict(X) against y."""
        raise NotImplementedError("score: mean accuracy")

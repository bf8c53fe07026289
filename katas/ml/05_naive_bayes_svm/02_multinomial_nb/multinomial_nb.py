"""ml-05-2: multinomial naive Bayes with Laplace smoothing. Edit this file; `grader check ml-05-2` tests it."""
from __future__ import annotations

import numpy as np
from scipy.special import logsumexp  # noqa: F401  (normalise log-probabilities safely)


class MultinomialNB:
    """Multinomial naive Bayes for count features, a twin of sklearn.naive_bayes.MultinomialNB.

    Hyperparameters (stored unchanged by __init__):
        alpha:       additive (Laplace/Lidstone) smoothing, > 0
        fit_prior:   learn class priors from the class frequencies (else uniform priors)
        class_prior: (C,) explicit priors in the order of classes_; overrides fit_prior

    Fitted attributes (set by fit):
        classes_:          (C,) sorted distinct labels
        class_count_:      (C,) float64 samples per class
        feature_count_:    (C, V) float64 total count of every feature in every class
        feature_log_prob_: (C, V) float64 log P(feature v | class c), smoothed
        class_log_prior_:  (C,) float64 log P(c)
    """

    def __init__(self, alpha: float = 1.0, fit_prior: bool = True, class_prior: np.ndarray | None = None) -> None:
        self.alpha = alpha
        self.fit_prior = fit_prior
        self.class_prior = class_prior

    def fit(self, X: np.ndarray, y: np.ndarray) -> MultinomialNB:
        """Count features per class and smooth; returns self.

        P(v | c) = (N_cv + alpha) / (N_c + alpha * V), with N_cv the count of feature v in class c,
        N_c = sum_v N_cv, V the number of features.

        Shapes:
            X: (n, V) non-negative counts (int or float)
            y: (n,) labels (ints or strings)
        """
        raise NotImplementedError("fit: class counts, feature counts, smoothed log-probabilities, log priors")

    def joint_log_likelihood(self, X: np.ndarray) -> np.ndarray:
        """(n, C) log P(c) + sum_v x_v log P(v | c) (the multinomial coefficient is dropped)."""
        raise NotImplementedError("joint_log_likelihood: one matrix product plus the log priors")

    def predict_log_proba(self, X: np.ndarray) -> np.ndarray:
        """(n, C) log P(c | x), normalised over classes in log space."""
        raise NotImplementedError("predict_log_proba: subtract the log-sum-exp")

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """(n, C) P(c | x); rows sum to 1, finite even for very long documents."""
        raise NotImplementedError("predict_proba: exp of predict_log_proba")

    def predict(self, X: np.ndarray) -> np.ndarray:
        """(n,) the most probable label of every row (taken from classes_)."""
        raise NotImplementedError("predict: argmax over classes")

    def score(self, X: np.ndarray, y: np.ndarray) -> float:
        """Mean accuracy of predict(X) against y."""
        raise NotImplementedError("score: mean accuracy")

"""Reference solution for ml-05-2."""
from __future__ import annotations

import numpy as np
from scipy.special import logsumexp


class MultinomialNB:
    def __init__(self, alpha: float = 1.0, fit_prior: bool = True, class_prior: np.ndarray | None = None) -> None:
        self.alpha = alpha
        self.fit_prior = fit_prior
        self.class_prior = class_prior

    def fit(self, X: np.ndarray, y: np.ndarray) -> MultinomialNB:
        X = np.asarray(X, dtype=np.float64)
        self.classes_, y_enc = np.unique(np.asarray(y), return_inverse=True)
        C = len(self.classes_)
        Y = np.eye(C)[y_enc]
        self.class_count_ = Y.sum(axis=0)
        self.feature_count_ = Y.T @ X
        smoothed = self.feature_count_ + self.alpha
        self.feature_log_prob_ = np.log(smoothed) - np.log(smoothed.sum(axis=1, keepdims=True))
        if self.class_prior is not None:
            self.class_log_prior_ = np.log(np.asarray(self.class_prior, dtype=np.float64))
        elif self.fit_prior:
            self.class_log_prior_ = np.log(self.class_count_) - np.log(self.class_count_.sum())
        else:
            self.class_log_prior_ = np.full(C, -np.log(C))
        return self

    def joint_log_likelihood(self, X: np.ndarray) -> np.ndarray:
        return np.asarray(X, dtype=np.float64) @ self.feature_log_prob_.T + self.class_log_prior_

    def predict_log_proba(self, X: np.ndarray) -> np.ndarray:
        jll = self.joint_log_likelihood(X)
        return jll - logsumexp(jll, axis=1, keepdims=True)

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        return np.exp(self.predict_log_proba(X))

    def predict(self, X: np.ndarray) -> np.ndarray:
        return self.classes_[np.argmax(self.joint_log_likelihood(X), axis=1)]

    def score(self, X: np.ndarray, y: np.ndarray) -> float:
        return float(np.mean(self.predict(X) == np.asarray(y)))

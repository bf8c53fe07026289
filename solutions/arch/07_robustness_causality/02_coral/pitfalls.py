"""Plausible wrong CORAL code that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from coral import _check, _sym_power


@pitfall(replaces="coral_loss", why="forgets the 1 / (4 d^2) normaliser")
def unnormalised_loss(source: np.ndarray, target: np.ndarray) -> float:
    _check(source, target)
    diff = np.atleast_2d(np.cov(source, rowvar=False) - np.cov(target, rowvar=False))
    return float(np.sum(diff ** 2))


@pitfall(replaces="coral_loss", why="biased covariances (divide by n, not n - 1)")
def biased_covariance(source: np.ndarray, target: np.ndarray) -> float:
    _check(source, target)
    d = source.shape[1]
    diff = np.atleast_2d(np.cov(source, rowvar=False, bias=True) - np.cov(target, rowvar=False, bias=True))
    return float(np.sum(diff ** 2) / (4 * d * d))


@pitfall(replaces="coral_align", why="re-colours without whitening first: X C_T^{1/2}")
def no_whitening(source: np.ndarray, target: np.ndarray, eps: float = 1.0) -> np.ndarray:
    _check(source, target)
    if eps < 0:
        raise ValueError("eps")
    c_t = np.atleast_2d(np.cov(target, rowvar=False)) + eps * np.eye(source.shape[1])
    return (source - source.mean(axis=0)) @ _sym_power(c_t, 0.5) + target.mean(axis=0)


@pitfall(replaces="coral_align", why="swaps the roles: whitens with the target and re-colours with the source")
def swapped_roles(source: np.ndarray, target: np.ndarray, eps: float = 1.0) -> np.ndarray:
    _check(source, target)
    if eps < 0:
        raise ValueError("eps")
    eye = np.eye(source.shape[1])
    c_s = np.atleast_2d(np.cov(source, rowvar=False)) + eps * eye
    c_t = np.atleast_2d(np.cov(target, rowvar=False)) + eps * eye
    return (source - source.mean(axis=0)) @ _sym_power(c_t, -0.5) @ _sym_power(c_s, 0.5) + target.mean(axis=0)


@pitfall(replaces="coral_align", why="aligns covariances only, leaving the source mean in place")
def keeps_source_mean(source: np.ndarray, target: np.ndarray, eps: float = 1.0) -> np.ndarray:
    _check(source, target)
    if eps < 0:
        raise ValueError("eps")
    eye = np.eye(source.shape[1])
    c_s = np.atleast_2d(np.cov(source, rowvar=False)) + eps * eye
    c_t = np.atleast_2d(np.cov(target, rowvar=False)) + eps * eye
    return source @ _sym_power(c_s, -0.5) @ _sym_power(c_t, 0.5)

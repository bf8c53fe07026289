"""Plausible wrong rollout and breaker code that the tests must reject."""
from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from scipy import stats

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from rollout import CircuitBreaker, CircuitOpenError, ShadowRouter


def _z(be: int, bt: int, ce: int, ct: int, alpha: float, min_requests: int) -> float | None:
    if bt <= 0 or ct < 0 or not 0 <= be <= bt or not 0 <= ce <= ct or not 0 < alpha < 1 or min_requests < 1:
        raise ValueError("bad inputs")
    pooled = (be + ce) / (bt + ct)
    se = math.sqrt(pooled * (1 - pooled) * (1 / bt + 1 / ct)) if ct else 0.0
    return (ce / ct - be / bt) / se if se else None


@pitfall(replaces="canary_decision", why="a two-sided test: halves the power to catch a worse canary")
def two_sided(baseline_errors: int, baseline_total: int, canary_errors: int, canary_total: int, *,
              alpha: float = 0.05, min_requests: int = 100) -> str:
    z = _z(baseline_errors, baseline_total, canary_errors, canary_total, alpha, min_requests)
    if canary_total < min_requests:
        return "wait"
    return "rollback" if z is not None and 2 * stats.norm.sf(abs(z)) < alpha else "promote"


@pitfall(replaces="canary_decision", why="waits until canary_total > min_requests: one request too many")
def waits_one_more(baseline_errors: int, baseline_total: int, canary_errors: int, canary_total: int, *,
                   alpha: float = 0.05, min_requests: int = 100) -> str:
    z = _z(baseline_errors, baseline_total, canary_errors, canary_total, alpha, min_requests)
    if canary_total <= min_requests:
        return "wait"
    return "rollback" if z is not None and stats.norm.sf(z) < alpha else "promote"


@pitfall(replaces="ShadowRouter.__call__", why="does not guard the shadow call: a crashing shadow takes the request down")
def unguarded_shadow(self: ShadowRouter, x: Any) -> float:
    result = self.primary(x)
    self.requests += 1
    if not abs(self.shadow(x) - result) <= self.tol:
        self.mismatches += 1
    return result


@pitfall(replaces="ShadowRouter.__call__", why="mismatch when |diff| > tol: a NaN answer from the shadow counts as agreement")
def nan_agrees(self: ShadowRouter, x: Any) -> float:
    result = self.primary(x)
    self.requests += 1
    try:
        candidate = self.shadow(x)
    except Exception:  # noqa: BLE001
        self.shadow_errors += 1
    else:
        if abs(candidate - result) > self.tol:
            self.mismatches += 1
    return result


@pitfall(replaces="CircuitBreaker.call", why="never resets the failure count on success: trips on scattered, not consecutive, failures")
def cumulative_failures(self: CircuitBreaker, fn: Callable[[], Any]) -> Any:
    if self.state == "open":
        if self.clock() - self.opened_at < self.reset_timeout:
            raise CircuitOpenError("open")
        self.state = "half_open"
    try:
        result = fn()
    except Exception:
        if self.state == "half_open":
            self._trip()
        else:
            self.failures += 1
            if self.failures >= self.failure_threshold:
                self._trip()
        raise
    self.state = "closed"
    return result


@pitfall(replaces="CircuitBreaker.call", why="a failed probe in half_open only counts one failure instead of re-opening at once")
def lenient_half_open(self: CircuitBreaker, fn: Callable[[], Any]) -> Any:
    if self.state == "open":
        if self.clock() - self.opened_at < self.reset_timeout:
            raise CircuitOpenError("open")
        self.state = "half_open"
    try:
        result = fn()
    except Exception:
        self.failures += 1
        if self.failures >= self.failure_threshold:
            self._trip()
        elif self.state == "half_open":
            self.state = "closed"
        raise
    self.state, self.failures = "closed", 0
    return result


@pitfall(replaces="CircuitBreaker.call", why="probes only after strictly more than reset_timeout (<= instead of <)")
def late_probe(self: CircuitBreaker, fn: Callable[[], Any]) -> Any:
    if self.state == "open":
        if self.clock() - self.opened_at <= self.reset_timeout:
            raise CircuitOpenError("open")
        self.state = "half_open"
    try:
        result = fn()
    except Exception:
        if self.state == "half_open":
            self._trip()
        else:
            self.failures += 1
            if self.failures >= self.failure_threshold:
                self._trip()
        raise
    self.state, self.failures = "closed", 0
    return result

"""Reference solution for prod-03-6."""
from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

from scipy import stats


class CircuitOpenError(RuntimeError):
    """Raised instead of calling the dependency while the breaker is open."""


def canary_decision(baseline_errors: int, baseline_total: int, canary_errors: int, canary_total: int, *,
                    alpha: float = 0.05, min_requests: int = 100) -> str:
    if baseline_total <= 0 or canary_total < 0 or not 0 <= baseline_errors <= baseline_total \
            or not 0 <= canary_errors <= canary_total:
        raise ValueError("need 0 <= errors <= total and baseline_total > 0")
    if not 0 < alpha < 1 or min_requests < 1:
        raise ValueError("need 0 < alpha < 1 and min_requests >= 1")
    if canary_total < min_requests:
        return "wait"
    pooled = (baseline_errors + canary_errors) / (baseline_total + canary_total)
    se = math.sqrt(pooled * (1 - pooled) * (1 / baseline_total + 1 / canary_total))
    if se == 0:
        return "promote"
    z = (canary_errors / canary_total - baseline_errors / baseline_total) / se
    return "rollback" if stats.norm.sf(z) < alpha else "promote"


class ShadowRouter:
    def __init__(self, primary: Callable[[Any], float], shadow: Callable[[Any], float], tol: float = 1e-6) -> None:
        if tol < 0:
            raise ValueError("tol must be >= 0")
        self.primary, self.shadow, self.tol = primary, shadow, tol
        self.requests = self.mismatches = self.shadow_errors = 0

    def __call__(self, x: Any) -> float:
        result = self.primary(x)
        self.requests += 1
        try:
            candidate = self.shadow(x)
        except Exception:  # noqa: BLE001 - a failing shadow must never affect the response
            self.shadow_errors += 1
        else:
            if not abs(candidate - result) <= self.tol:
                self.mismatches += 1
        return result

    def report(self) -> dict[str, float]:
        compared = self.requests - self.shadow_errors
        return {"requests": self.requests, "mismatches": self.mismatches, "shadow_errors": self.shadow_errors,
                "agreement": (compared - self.mismatches) / compared if compared else float("nan")}


class CircuitBreaker:
    def __init__(self, failure_threshold: int = 5, reset_timeout: float = 30.0,
                 clock: Callable[[], float] | None = None) -> None:
        if failure_threshold < 1 or reset_timeout <= 0:
            raise ValueError("need failure_threshold >= 1 and reset_timeout > 0")
        self.failure_threshold, self.reset_timeout = failure_threshold, reset_timeout
        self.clock = clock if clock is not None else time.monotonic
        self.state = "closed"
        self.failures = 0
        self.opened_at = 0.0

    def call(self, fn: Callable[[], Any]) -> Any:
        if self.state == "open":
            if self.clock() - self.opened_at < self.reset_timeout:
                raise CircuitOpenError("circuit open")
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

    def _trip(self) -> None:
        self.state, self.opened_at, self.failures = "open", self.clock(), 0

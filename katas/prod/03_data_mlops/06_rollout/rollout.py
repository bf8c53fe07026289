"""prod-03-6: canary and shadow rollouts, and a circuit breaker. Edit this file; `grader check prod-03-6` tests it."""
from __future__ import annotations

import math  # noqa: F401
import time  # noqa: F401
from collections.abc import Callable
from typing import Any

from scipy import stats  # noqa: F401  (stats.norm.sf)


class CircuitOpenError(RuntimeError):
    """Raised instead of calling the dependency while the breaker is open."""


def canary_decision(baseline_errors: int, baseline_total: int, canary_errors: int, canary_total: int, *,
                    alpha: float = 0.05, min_requests: int = 100) -> str:
    """"wait", "rollback" or "promote" for a canary compared with the baseline fleet.

    "wait" while canary_total < min_requests. Otherwise a one-sided pooled two-proportion z-test of
    H1: canary error rate > baseline error rate, z = (p_canary - p_baseline) / sqrt(p (1 - p)
    (1/n_b + 1/n_c)) with p the pooled rate: "rollback" if P(Z >= z) < alpha, else "promote" (also
    when the pooled rate is 0 or 1: no evidence of a difference).

    Raises:
        ValueError: if baseline_total <= 0, canary_total < 0, an error count is outside [0, total],
            alpha is not in (0, 1) or min_requests < 1.
    """
    raise NotImplementedError("canary_decision: wait for data, then a one-sided z-test")


class ShadowRouter:
    """Serve `primary`, and mirror every request to `shadow` without letting it affect the answer.

    __call__(x) returns primary(x) (primary's exceptions propagate, and the request is then not
    counted); shadow(x) is called after it: an exception from the shadow is swallowed and counted
    in shadow_errors, an answer with not |shadow - primary| <= tol (a NaN too) in mismatches.
    report() -> {"requests", "mismatches", "shadow_errors", "agreement"}, agreement = share of
    compared requests (requests - shadow_errors) that matched, nan if none was compared.

    Raises (constructor):
        ValueError: if tol < 0.
    """

    def __init__(self, primary: Callable[[Any], float], shadow: Callable[[Any], float], tol: float = 1e-6) -> None:
        raise NotImplementedError("ShadowRouter.__init__")

    def __call__(self, x: Any) -> float:
        raise NotImplementedError("ShadowRouter.__call__: primary answers, shadow is only compared")

    def report(self) -> dict[str, float]:
        raise NotImplementedError("ShadowRouter.report")


class CircuitBreaker:
    """Stop calling a failing dependency, and probe it again after a cool-down.

    state is "closed", "open" or "half_open"; `clock()` gives the time (default time.monotonic).
    call(fn):
    - open, and clock() - opened_at < reset_timeout: raise CircuitOpenError without calling fn;
      open and the timeout has passed: become half_open and let this one call through.
    - fn succeeds: state closed, the consecutive-failure count back to 0; return its result.
    - fn raises: re-raise it. In half_open, trip at once; in closed, count the failure and trip when
      the count reaches failure_threshold. Tripping: state open, opened_at = clock(), count 0.

    Raises (constructor):
        ValueError: if failure_threshold < 1 or reset_timeout <= 0.
    """

    def __init__(self, failure_threshold: int = 5, reset_timeout: float = 30.0,
                 clock: Callable[[], float] | None = None) -> None:
        raise NotImplementedError("CircuitBreaker.__init__")

    def call(self, fn: Callable[[], Any]) -> Any:
        raise NotImplementedError("CircuitBreaker.call: closed -> open -> half_open state machine")

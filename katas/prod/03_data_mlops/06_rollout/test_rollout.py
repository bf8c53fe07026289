"""Tests for prod-03-6, canary and shadow rollouts and a circuit breaker.

References: statsmodels' proportions_ztest(alternative="larger") for the canary's one-sided test;
counting by hand for the shadow router; for the circuit breaker, Hypothesis' stateful testing runs
random sequences of successes, failures and clock jumps (including jumps of exactly the timeout)
against a small model of the documented state machine.
"""
import math

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test
from statsmodels.stats.proportion import proportions_ztest

from grader.testing import assert_equal, describe_call


@given(b_tot=st.integers(1, 5000), c_tot=st.integers(0, 500), b_rate=st.sampled_from([0.0, 0.01, 0.05]),
       c_rate=st.sampled_from([0.0, 0.01, 0.03, 0.1, 1.0]), alpha=st.sampled_from([0.01, 0.05, 0.2]),
       min_requests=st.sampled_from([1, 50, 100]))
@example(b_tot=1000, c_tot=100, b_rate=0.01, c_rate=0.1, alpha=0.05, min_requests=100)    # exactly min_requests: decide
@example(b_tot=1000, c_tot=99, b_rate=0.01, c_rate=0.1, alpha=0.05, min_requests=100)     # one short: wait
@example(b_tot=1000, c_tot=200, b_rate=0.05, c_rate=0.0, alpha=0.05, min_requests=100)    # a better canary: promote
def test_canary_decision(kata, b_tot, c_tot, b_rate, c_rate, alpha, min_requests):
    b_err, c_err = round(b_rate * b_tot), round(c_rate * c_tot)
    call = describe_call("canary_decision", b_err, b_tot, c_err, c_tot, alpha=alpha, min_requests=min_requests)
    got = kata.canary_decision(b_err, b_tot, c_err, c_tot, alpha=alpha, min_requests=min_requests)
    if c_tot < min_requests:
        want = "wait"
    elif (b_err + c_err) in (0, b_tot + c_tot):
        want = "promote"
    else:
        _, p = proportions_ztest([c_err, b_err], [c_tot, b_tot], alternative="larger", prop_var=False)
        want = "rollback" if p < alpha else "promote"
    assert got == want, f"{call}: returned {got!r}, expected {want!r}"


def test_canary_defaults(kata):
    assert kata.canary_decision(10, 1000, 10, 99) == "wait", "canary_decision(10, 1000, 10, 99): 99 < 100 requests should wait"
    # z = 1.93, one-sided p = 0.027: rollback at the default alpha 0.05 (a two-sided test, p = 0.053, would promote)
    assert kata.canary_decision(100, 10000, 8, 400) == "rollback", "canary_decision(100, 10000, 8, 400): p = 0.027 < 0.05 -> rollback"
    assert kata.canary_decision(100, 10000, 8, 400, alpha=0.02) == "promote", "with alpha=0.02, p = 0.027 should promote"


@given(b_tot=st.integers(50, 3000), c_tot=st.integers(100, 600), b_rate=st.sampled_from([0.01, 0.05, 0.2]),
       c_extra=st.sampled_from([0.0, 0.01, 0.03]))
def test_canary_decision_at_the_p_value(kata, b_tot, c_tot, b_rate, c_extra):
    b_err, c_err = max(1, round(b_rate * b_tot)), round((b_rate + c_extra) * c_tot)
    _, p = proportions_ztest([c_err, b_err], [c_tot, b_tot], alternative="larger", prop_var=False)
    if not 1e-6 < p < 0.99:
        return
    # alpha just above the canary's one-sided p-value rolls back, just below promotes
    for alpha, want in [(p * 1.001, "rollback"), (p * 0.999, "promote")]:
        got = kata.canary_decision(b_err, b_tot, c_err, c_tot, alpha=alpha, min_requests=100)
        assert got == want, f"{describe_call('canary_decision', b_err, b_tot, c_err, c_tot, alpha=alpha)}: {got!r}, expected {want!r} (p = {p:.6g})"


def test_canary_equal_rates_give_p_one_half(kata):
    # equal error rates: z = 0, p = 0.5 exactly; alpha = 0.5 is not enough to roll back (p < alpha is strict)
    got = kata.canary_decision(10, 1000, 2, 200, alpha=0.5)
    assert got == "promote", f"canary_decision(10, 1000, 2, 200, alpha=0.5) returned {got!r}: p = 0.5 is not < 0.5"


def test_canary_rejects_bad_inputs(kata):
    for args, kwargs, why in [((0, 0, 1, 10), {}, "baseline_total = 0"), ((1, 10, 0, -1), {}, "canary_total < 0"),
                              ((11, 10, 1, 10), {}, "baseline_errors > total"), ((-1, 10, 1, 10), {}, "baseline_errors < 0"),
                              ((1, 10, 11, 10), {}, "canary_errors > total"), ((1, 10, -1, 10), {}, "canary_errors < 0"),
                              ((1, 10, 1, 10), {"alpha": 0.0}, "alpha = 0"), ((1, 10, 1, 10), {"alpha": 1.0}, "alpha = 1"),
                              ((1, 10, 1, 10), {"min_requests": 0}, "min_requests = 0")]:
        with pytest.raises(ValueError):
            kata.canary_decision(*args, **kwargs)
            pytest.fail(f"canary_decision with {why} returned instead of raising ValueError")


@given(xs=st.lists(st.integers(-20, 20), max_size=30), tol=st.sampled_from([0.0, 0.5, 1.0]))
@example(xs=[1, 2, 3], tol=1.0)
@example(xs=[13, 14, 7], tol=0.5)           # a NaN answer, a match, a crash
def test_shadow_router(kata, xs, tol):
    calls = []

    def primary(x: int) -> float:
        calls.append(("primary", x))
        return float(x)

    def shadow(x: int) -> float:
        calls.append(("shadow", x))
        if x % 7 == 0:
            raise RuntimeError("shadow crashed")
        return float("nan") if x == 13 else x + (x % 3) * 0.5     # off by 0, 0.5 or 1.0

    router = kata.ShadowRouter(primary, shadow, tol=tol)
    for x in xs:
        got = router(x)
        assert got == float(x), f"ShadowRouter(...)({x}) returned {got!r}: the primary's answer is {float(x)!r}"
    assert calls == [c for x in xs for c in (("primary", x), ("shadow", x))], "expected primary then shadow, once each per request"
    errors = sum(x % 7 == 0 for x in xs)
    mismatches = sum(x % 7 != 0 and (x == 13 or (x % 3) * 0.5 > tol) for x in xs)
    rep = router.report()
    call = f"ShadowRouter(tol={tol}) after requests {xs}"
    assert_equal(np.array([rep["requests"], rep["mismatches"], rep["shadow_errors"]]), np.array([len(xs), mismatches, errors]),
                 name="(requests, mismatches, shadow_errors)", call=call + " (|diff| == tol matches; NaN never does)")
    compared = len(xs) - errors
    if compared:
        assert math.isclose(rep["agreement"], (compared - mismatches) / compared), f"{call}: agreement {rep['agreement']!r}"
    else:
        assert math.isnan(rep["agreement"]), f"{call}: agreement with nothing compared should be nan, got {rep['agreement']!r}"


def test_shadow_router_defaults_and_errors(kata):
    router = kata.ShadowRouter(lambda x: 1.0, lambda x: 1.0 + 1e-7)
    router(0)
    assert router.report()["mismatches"] == 0, "default tol 1e-6: a difference of 1e-7 matches"
    router = kata.ShadowRouter(lambda x: 1.0, lambda x: 1.0 + 1e-5)
    router(0)
    assert router.report()["mismatches"] == 1, "default tol 1e-6: a difference of 1e-5 is a mismatch"
    with pytest.raises(ValueError):
        kata.ShadowRouter(lambda x: 1.0, lambda x: 1.0, tol=-0.1)
        pytest.fail("ShadowRouter with tol < 0 returned instead of raising ValueError")


class Boom(Exception):
    pass


def test_circuit_breaker_state_machine(kata):
    class Machine(RuleBasedStateMachine):
        @initialize(threshold=st.integers(1, 4), timeout=st.sampled_from([1.0, 10.0, 30.0]))
        def start(self, threshold: int, timeout: float) -> None:
            self.now = 0.0
            self.threshold, self.timeout = threshold, timeout
            self.breaker = kata.CircuitBreaker(threshold, timeout, clock=lambda: self.now)
            self.state, self.failures, self.opened_at = "closed", 0, 0.0
            self.log: list[str] = []

        def expect_call(self) -> bool:     # the model: does this call reach fn?
            if self.state == "open":
                if self.now - self.opened_at < self.timeout:
                    return False
                self.state = "half_open"
            return True

        def trip(self) -> None:
            self.state, self.opened_at, self.failures = "open", self.now, 0

        @rule()
        def succeed(self) -> None:
            called = []
            reaches = self.expect_call()
            if reaches:
                got = self.breaker.call(lambda: called.append(1) or "ok")
                assert got == "ok", f"{self.log}: a successful call returned {got!r}"
                self.state, self.failures = "closed", 0
            else:
                with pytest.raises(kata.CircuitOpenError):
                    self.breaker.call(lambda: called.append(1))
            self.log.append("success" if reaches else "rejected")
            assert bool(called) == reaches, f"after {self.log}: fn was {'not ' if reaches else ''}called, expected the opposite"

        @rule()
        def fail(self) -> None:
            called = []

            def boom() -> None:
                called.append(1)
                raise Boom()

            reaches = self.expect_call()
            with pytest.raises(Boom if reaches else kata.CircuitOpenError):
                self.breaker.call(boom)
            if reaches:
                if self.state == "half_open":
                    self.trip()
                else:
                    self.failures += 1
                    if self.failures >= self.threshold:
                        self.trip()
            self.log.append("failure" if reaches else "rejected")
            assert bool(called) == reaches, f"after {self.log}: fn was {'not ' if reaches else ''}called, expected the opposite"

        @rule(dt=st.sampled_from([0.5, 1.0, 9.5, 10.0, 30.0]))
        def wait(self, dt: float) -> None:
            self.now += dt
            self.log.append(f"wait {dt}")

        @invariant()
        def same_state(self) -> None:
            assert self.breaker.state == self.state, (
                f"CircuitBreaker(failure_threshold={self.threshold}, reset_timeout={self.timeout}) after {self.log}:"
                f" state {self.breaker.state!r}, expected {self.state!r}")

    run_state_machine_as_test(Machine, settings=settings(max_examples=60, stateful_step_count=30, deadline=None))


def test_circuit_breaker_defaults(kata):
    now = [0.0]
    b = kata.CircuitBreaker(clock=lambda: now[0])

    def boom() -> None:
        raise Boom()

    for i in range(5):
        assert b.state == "closed", f"default failure_threshold is 5: open after {i} failures"
        with pytest.raises(Boom):
            b.call(boom)
    assert b.state == "open", "5 consecutive failures should open the breaker"
    now[0] = 29.9
    with pytest.raises(kata.CircuitOpenError):
        b.call(lambda: 1)
    now[0] = 30.0
    assert b.call(lambda: 1) == 1 and b.state == "closed", "the default reset_timeout is 30 s: a probe at 30 s closes it"
    real = kata.CircuitBreaker(1, 1.0)        # the default clock is real time: a fresh breaker works
    assert real.call(lambda: 5) == 5 and real.state == "closed", "CircuitBreaker(1, 1.0).call(lambda: 5) should return 5"


def test_circuit_breaker_rejects_bad_settings(kata):
    for args, why in [((0, 1.0), "failure_threshold = 0"), ((1, 0.0), "reset_timeout = 0")]:
        with pytest.raises(ValueError):
            kata.CircuitBreaker(*args)
            pytest.fail(f"CircuitBreaker with {why} returned instead of raising ValueError")

"""Hypothesis' pool of "local constants", narrowed to the code under test.

Hypothesis now and then draws a literal found in the source of the "local" (not installed) modules
loaded in the process (`hypothesis.internal.conjecture.providers._get_local_constants`). In a
`grader verify` shard those are the solutions of every kata the shard has loaded so far, so a
derandomized test of one kata drew different examples depending on which katas shared its process:
rl-05-8's pitfall was caught when verified alone and passed in its `-n 2` shard. Here the pool is
the literals of the module the test runs against (the learner's file, the solution, or the solution
a pitfall or mutant is made from) and nothing else: a test's draws depend on the kata and the
target, never on its neighbours, and boundary literals of the code under test are still tried.
"""
from __future__ import annotations

import types
from typing import Any

_empty: Any = None  # Hypothesis' empty Constants, once installed
_current: Any = None  # the Constants Hypothesis sees while a test runs


def install() -> None:
    """Replace Hypothesis' process-wide constant mining by the per-target pool. Idempotent."""
    global _empty, _current
    if _empty is not None:
        return
    from hypothesis.internal.conjecture import providers
    from hypothesis.internal.constants_ast import Constants

    _empty = _current = Constants()
    providers._get_local_constants = lambda: _current


def use(module: Any) -> None:
    """Draw local constants from `module`'s source only (none unless it is a module) from now on."""
    global _current
    if _empty is None:
        return
    from hypothesis.internal.conjecture import providers
    from hypothesis.internal.constants_ast import constants_from_module

    # constants_from_module is cached per module: the tests of one target keep the same pool object.
    pool = constants_from_module(module) if isinstance(module, types.ModuleType) else _empty
    if pool is not _current:
        _current = pool
        # Hypothesis caches the constants each kind of draw may take; they were the old pool's.
        providers.CONSTANTS_CACHE.cache.clear()

"""A kata test's Hypothesis draws depend on the kata and its target, never on the other modules loaded.

Hypothesis mines literals from the local modules in the process and sometimes draws them. In a
`grader verify` shard those were every kata's solution the shard had loaded, so the same pitfall was
caught alone and passed beside other katas (rl-05-8). grader/running/constants.py narrows the pool.
"""
from __future__ import annotations

from pathlib import Path

DRAWS_TEST = '''
import os

from hypothesis import given, strategies as st


@given(st.lists(st.integers(0, 10**6), min_size=20, max_size=20))
def test_record_draws(kata, values):
    with open(os.environ["DRAWS_FILE"], "a") as f:
        f.write(" ".join(map(str, values)) + "\\n")
'''
# Literals a neighbouring kata's solution would bring into the process.
NEIGHBOUR = "VALUES = [" + ", ".join(str(777_000 + i) for i in range(60)) + "]\n"
MARK = 424_242  # a literal of the code under test: still worth drawing


def _draws(workbook, tmp_path: Path, name: str, *extra: str) -> list[int]:
    out = tmp_path / f"{name}.txt"
    run = workbook.pytest("--hypothesis-profile", "ci", "--grader-target", "solution", *extra,
                          str(workbook.kata() / "test_draws.py"), timeout=300,
                          env={"DRAWS_FILE": str(out), "PYTHONPATH": str(tmp_path / "plugins")})
    assert run.returncode == 0, run.stdout + run.stderr
    return [int(v) for v in out.read_text().split()]


def test_draws_do_not_depend_on_neighbouring_modules(workbook, tmp_path):
    (workbook.kata() / "test_draws.py").write_text(DRAWS_TEST)
    solution = workbook.solution() / "sinusoidal.py"
    solution.write_text(solution.read_text() + f"\n_MARK = {MARK}\n")
    (tmp_path / "plugins").mkdir()
    (tmp_path / "plugins" / "neighbour.py").write_text(NEIGHBOUR)

    alone = _draws(workbook, tmp_path, "alone")
    beside = _draws(workbook, tmp_path, "beside", "-p", "neighbour")
    assert not any(777_000 <= v < 777_060 for v in beside), "a neighbouring module's literals were drawn"
    assert alone == beside
    assert MARK in alone, "the literals of the code under test are no longer drawn"

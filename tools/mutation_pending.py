"""Rewrite tests/mutation_pending.txt: the katas the mutation ledger does not yet vouch for.

Run it after `grader verify --mutants` has recorded new verdicts, and commit the shorter list with
the ledger. Adding a kata to the list is a step back that a reviewer should see in the diff: new
katas are mutation-tested before they land (tests/test_mutation_ledger.py).
"""
from __future__ import annotations

from grader.discovery import catalog, paths
from grader.stores import mutation_ledger

HEADER = ("# Katas not yet vouched for by grader/mutation.json (a fresh `grader verify --mutants` run with no\n"
          "# unexplained survivor). Only ever shrinks: see tests/test_mutation_ledger.py.\n")


def main() -> None:
    target = paths.root() / "tests" / "mutation_pending.txt"  # GRADER_ROOT: judge a checkout of the index
    pending = [k.id for k in catalog.discover() if mutation_ledger.problems([k])]
    target.write_text(HEADER + "".join(f"{i}\n" for i in pending), encoding="utf-8")
    print(f"{len(pending)} katas pending: {target}")


if __name__ == "__main__":
    main()

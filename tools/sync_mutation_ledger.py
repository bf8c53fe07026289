"""After `grader verify --mutants` has recorded verdicts: rewrite what is derived from the ledger.

- tests/mutation_pending.txt: the katas grader/mutation.json does not yet vouch for (no fresh entry
  free of unexplained survivors). Commit the shorter list with the ledger. Adding a kata to it is a
  step back a reviewer should see in the diff: new katas are mutation-tested before they land.
- README.md's mutation-score table (between its mutation-table markers), per track.

tests/test_mutation_ledger.py checks both against the ledger. GRADER_ROOT points this at another
checkout (a copy of the git index, to judge exactly what is about to be committed).
"""
from __future__ import annotations

import re
from collections import defaultdict

from grader.discovery import catalog, curriculum, paths
from grader.stores import mutation_ledger

HEADER = ("# Katas not yet vouched for by grader/mutation.json (a fresh `grader verify --mutants` run with no\n"
          "# unexplained survivor). Only ever shrinks: see tests/test_mutation_ledger.py.\n")
MARKERS = ("<!-- mutation-table -->", "<!-- /mutation-table -->")


def pending_ids(katas: list[catalog.Kata], unvouched: dict[str, str] | None = None) -> list[str]:
    unvouched = mutation_ledger.problems_by_kata(katas) if unvouched is None else unvouched
    return [k.id for k in katas if k.id in unvouched]


def table(katas: list[catalog.Kata], unvouched: dict[str, str] | None = None) -> str:
    entries = mutation_ledger.load()["katas"]
    unvouched = mutation_ledger.problems_by_kata(katas) if unvouched is None else unvouched
    rows: dict[str, list[int]] = defaultdict(lambda: [0] * 6)
    for k in katas:
        row = rows[k.track]
        row[0] += 1
        if k.id in unvouched:
            continue
        e = entries[k.id]
        row[1] += 1
        row[2] += e["mutants"]
        row[3] += e["killed"]
        row[4] += e["equivalent"]
    order = [t.id for t in curriculum.tracks()]
    lines = ["| track | katas | mutation-tested | mutants | killed | equivalent (reason in kata.toml) | score |",
             "|---|---|---|---|---|---|---|"]
    for track in sorted(rows, key=order.index):
        n, tested, made, killed, equivalent, _ = rows[track]
        score = f"{killed / (made - equivalent):.1%}".replace("%", " %") if made - equivalent else "–"
        lines.append(f"| {track} | {n} | {tested} | {made} | {killed} | {equivalent} | {score} |")
    return "\n".join(lines)


def readme_with_table(readme: str, katas: list[catalog.Kata], unvouched: dict[str, str] | None = None) -> str:
    start, end = map(re.escape, MARKERS)
    rows = table(katas, unvouched)
    return re.sub(f"{start}\n.*?{end}", lambda _: f"{MARKERS[0]}\n{rows}\n{MARKERS[1]}", readme, flags=re.S)


def main() -> None:
    katas = catalog.discover()
    # Judging the ledger fingerprints every kata's files: do it once for the list and the table.
    unvouched = mutation_ledger.problems_by_kata(katas)
    pending = pending_ids(katas, unvouched)
    target = paths.root() / "tests" / "mutation_pending.txt"
    target.write_text(HEADER + "".join(f"{i}\n" for i in pending), encoding="utf-8")
    readme = paths.root() / "README.md"
    readme.write_text(readme_with_table(readme.read_text(encoding="utf-8"), katas, unvouched), encoding="utf-8")
    print(f"{len(pending)} katas pending; README table rewritten")


if __name__ == "__main__":
    main()

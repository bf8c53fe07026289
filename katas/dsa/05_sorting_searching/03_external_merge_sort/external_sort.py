"""dsa-05-3: external merge sort under a counted memory budget. Edit this file;
`grader check dsa-05-3` tests it."""
from __future__ import annotations

import heapq  # noqa: F401  (heapq.merge: a lazy k-way merge holding one head per input)
import itertools  # noqa: F401  (itertools.islice: the next chunk of an iterator)
import os
from collections.abc import Iterable, Iterator
from pathlib import Path


class FileRunStore:
    """Sorted runs of integers on disk, one text file per run (one item a line)."""

    def __init__(self, directory: str | os.PathLike) -> None:
        self.directory = Path(directory)
        self.next_id = 0
        self.live: set[int] = set()

    def _path(self, run_id: int) -> Path:
        return self.directory / f"run{run_id:06d}.txt"

    def write(self, items: Iterable[int]) -> int:
        """Write items (consumed one at a time) as a new run; return its id."""
        run_id, self.next_id = self.next_id, self.next_id + 1
        with open(self._path(run_id), "w") as f:
            for x in items:
                f.write(f"{x}\n")
        self.live.add(run_id)
        return run_id

    def read(self, run_id: int) -> Iterator[int]:
        """The items of a run, one at a time."""
        with open(self._path(run_id)) as f:
            for line in f:
                yield int(line)

    def delete(self, run_id: int) -> None:
        """Remove a run's file."""
        os.remove(self._path(run_id))
        self.live.discard(run_id)


def external_sort(source: Iterable[int], memory: int, store: FileRunStore) -> Iterator[int]:
    """The items of source in ascending order, as an iterator, never holding more than memory items
    (taken from source or from a run, not yet written to a run or yielded).

    Sorted runs of at most memory items go to store; runs are merged at most memory at a time, in as
    few passes as that allows, the last merge streaming to the caller. Every run written is deleted
    by the time the output is exhausted.

    Raises:
        ValueError: if memory < 2 (on the call itself, before any item is read).
    """
    raise NotImplementedError("external_sort: sorted runs of `memory` items, then k-way merges of <= memory runs")

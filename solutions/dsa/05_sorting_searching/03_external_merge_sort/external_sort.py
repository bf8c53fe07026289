"""Reference solution for dsa-05-3."""
from __future__ import annotations

import heapq
import itertools
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
    if memory < 2:
        raise ValueError(f"memory must be >= 2 items (a merge needs two runs), got {memory}")

    def merged() -> Iterator[int]:
        it, runs = iter(source), []
        while chunk := list(itertools.islice(it, memory)):
            chunk.sort()
            runs.append(store.write(chunk))
        while len(runs) > memory:
            nxt = []
            for g in range(0, len(runs), memory):
                group = runs[g:g + memory]
                if len(group) == 1:
                    nxt.append(group[0])
                    continue
                nxt.append(store.write(heapq.merge(*(store.read(r) for r in group))))
                for r in group:
                    store.delete(r)
            runs = nxt
        yield from heapq.merge(*(store.read(r) for r in runs))
        for r in runs:
            store.delete(r)

    return merged()

"""Turning what a learner typed (an id, a folder path, part of a name) into exactly one kata."""
from __future__ import annotations

import difflib
from pathlib import Path

from grader.discovery.catalog import Kata
from grader.discovery.curriculum import checkboxes


class SelectionError(Exception):
    """No kata or more than one matches; the message is one line with the closest matches."""


def _names(k: Kata) -> list[str]:
    return [k.id, k.title.lower(), k.folder.name.lower(), k.folder.name.split("_", 1)[-1].lower(), k.module_name.lower()]


def resolve(query: str, katas: list[Kata]) -> Kata:
    q = query.strip()
    ql = q.lower()
    by_id = {k.id: k for k in katas}
    if q in by_id:
        return by_id[q]
    # A folder path: the kata folder itself, a file inside it, or its solution folder.
    p = Path(q)
    if "/" in q or p.exists():
        target = (Path.cwd() / p).resolve()
        for k in katas:
            for folder in (k.folder.resolve(), k.solution_folder.resolve()):
                if target == folder or folder in target.parents:
                    return k
    hits = [k for k in katas if any(ql in n for n in _names(k))]
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        exact = [k for k in hits if ql in (k.folder.name.split("_", 1)[-1].lower(), k.module_name.lower().removesuffix(".py"))]
        if len(exact) == 1:
            return exact[0]
        shown = ", ".join(f"{k.id} ({k.title})" for k in hits[:5])
        raise SelectionError(f"'{query}' matches {len(hits)} katas: {shown}{', ...' if len(hits) > 5 else ''}; be more specific")
    box = checkboxes().get(q)
    if box is not None:
        raise SelectionError(f"{q} ({box.title}) is in the curriculum but has no kata yet; `grader list` shows the katas that exist")
    raise SelectionError(f"no kata matches '{query}'" + _suggest(ql, katas))


def _suggest(ql: str, katas: list[Kata]) -> str:
    names: dict[str, Kata] = {}
    for k in katas:
        for n in _names(k):
            names.setdefault(n, k)
    close = difflib.get_close_matches(ql, list(names), n=6, cutoff=0.5)
    seen: list[Kata] = []
    for n in close:
        if names[n] not in seen:
            seen.append(names[n])
    if not seen:
        return "; `grader list` shows every kata"
    return "; did you mean " + ", ".join(f"{k.id} ({k.title})" for k in seen[:3]) + "?"


"""Plausible wrong protocols and simulation loops that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from sim import EVALUATOR, KINDS, PAYLOAD, TEACHER, Student, make_message


@pitfall(replaces="make_message", why="checks the kind and payload but not who sends it to whom")
def no_route_check(sender: str, recipient: str, kind: str, round_: int, payload: dict, students: set[str]) -> dict:
    if kind not in KINDS or not isinstance(round_, int) or isinstance(round_, bool) or round_ < 0:
        raise ValueError("kind or round")
    if any(k not in payload for k in PAYLOAD[kind]):
        raise ValueError("payload")
    return {"sender": sender, "recipient": recipient, "kind": kind, "round": round_, "payload": dict(payload)}


@pitfall(replaces="make_message", why="isinstance(round_, int) lets True and False through as rounds 1 and 0")
def bool_round(sender: str, recipient: str, kind: str, round_: int, payload: dict, students: set[str]) -> dict:
    msg = make_message(sender, recipient, kind, int(round_) if isinstance(round_, bool) else round_, payload, students)
    msg["round"] = round_
    return msg


@pitfall(replaces="make_message", why="never checks the payload's fields")
def no_payload_check(sender: str, recipient: str, kind: str, round_: int, payload: dict, students: set[str]) -> dict:
    full = {"task_id": 0, "x": 0, "label": 0, "correct": False, **payload}
    msg = make_message(sender, recipient, kind, round_, full, students)
    msg["payload"] = dict(payload)
    return msg


def _simulate(students: dict[str, Student], X: np.ndarray, y: np.ndarray, rounds: int, batch_size: int, seed: int,
              online: bool = False, reseed: bool = False) -> dict:
    if rounds < 0 or not 1 <= batch_size <= len(X):
        raise ValueError("sizes")
    rng = np.random.default_rng(seed)
    names, roster = sorted(students), set(students)
    log, accuracy = [], {n: [] for n in names}
    for r in range(rounds):
        if reseed:
            rng = np.random.default_rng(seed)
        ids = rng.choice(len(X), batch_size, replace=False)
        for name in names:
            right = 0
            for i in ids:
                guess = students[name].predict(X[i])
                log += [make_message(TEACHER, name, "task", r, {"task_id": int(i), "x": X[i]}, roster),
                        make_message(name, EVALUATOR, "answer", r, {"task_id": int(i), "label": guess}, roster),
                        make_message(EVALUATOR, name, "feedback", r,
                                     {"task_id": int(i), "label": int(y[i]), "correct": guess == int(y[i])}, roster)]
                right += guess == int(y[i])
                if online:
                    students[name].update(X[i:i + 1], y[i:i + 1])
            accuracy[name].append(right / batch_size)
        if not online:
            for name in names:
                students[name].update(X[ids], y[ids])
    return {"log": log, "accuracy": accuracy}


@pitfall(replaces="run_rounds", why="retrains after every answer: later tasks of the round are scored by a model that saw earlier labels")
def retrain_inside_round(students: dict[str, Student], X: np.ndarray, y: np.ndarray, rounds: int, batch_size: int,
                         seed: int) -> dict:
    return _simulate(students, X, y, rounds, batch_size, seed, online=True)


@pitfall(replaces="run_rounds", why="creates the generator inside the loop: every round draws the same batch")
def same_batch_every_round(students: dict[str, Student], X: np.ndarray, y: np.ndarray, rounds: int, batch_size: int,
                           seed: int) -> dict:
    return _simulate(students, X, y, rounds, batch_size, seed, reseed=True)


@pitfall(replaces="run_rounds", why="goes through the students in dict order instead of sorted by name")
def dict_order(students: dict[str, Student], X: np.ndarray, y: np.ndarray, rounds: int, batch_size: int,
               seed: int) -> dict:
    out = _simulate(dict(sorted(students.items())), X, y, rounds, batch_size, seed)
    order = list(students)
    blocks: dict[tuple[int, str], list] = {}
    for m in out["log"]:
        student = m["recipient"] if m["kind"] != "answer" else m["sender"]
        blocks.setdefault((m["round"], student), []).append(m)
    rounds_seen = sorted({r for r, _ in blocks})
    out["log"] = [m for r in rounds_seen for n in order for m in blocks.get((r, n), [])]
    return out

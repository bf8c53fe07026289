"""ret-05-3: a multi-agent simulation with a message protocol and an evaluate-and-retrain loop.
Edit this file; `grader check ret-05-3` tests it."""
from __future__ import annotations

from typing import Any

import numpy as np

KINDS = ("task", "answer", "feedback")
TEACHER, EVALUATOR = "teacher", "evaluator"
# who may send which kind of message to whom
ROUTES = {"task": (TEACHER, "student"), "answer": ("student", EVALUATOR), "feedback": (EVALUATOR, "student")}


class Student:
    """A perceptron student (given, complete): predicts sign(w . x + b) as a 0/1 label; learns from
    (x, label) pairs with the perceptron rule, one pass in the order given."""

    def __init__(self, n_features: int, lr: float = 1.0) -> None:
        self.w = np.zeros(n_features)
        self.b = 0.0
        self.lr = lr

    def predict(self, x: np.ndarray) -> int:
        return int(x @ self.w + self.b > 0)

    def update(self, xs: np.ndarray, labels: np.ndarray) -> None:
        for x, label in zip(xs, labels, strict=True):
            error = int(label) - self.predict(x)
            self.w += self.lr * error * x
            self.b += self.lr * error


PAYLOAD = {"task": ("task_id", "x"), "answer": ("task_id", "label"), "feedback": ("task_id", "label", "correct")}


def make_message(sender: str, recipient: str, kind: str, round_: int, payload: dict, students: set[str]) -> dict:
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    want_from, want_to = ROUTES[kind]
    ok_from = sender in students if want_from == "student" else sender == want_from
    ok_to = recipient in students if want_to == "student" else recipient == want_to
    if not (ok_from and ok_to):
        raise ValueError(f"a {kind} may not go from {sender!r} to {recipient!r}")
    if not isinstance(round_, int) or isinstance(round_, bool) or round_ < 0:
        raise ValueError(f"round must be an int >= 0, got {round_!r}")
    missing = [k for k in PAYLOAD[kind] if k not in payload]
    if missing:
        raise ValueError(f"{kind} payload lacks {missing}")
    return {"sender": sender, "recipient": recipient, "kind": kind, "round": round_, "payload": dict(payload)}


def run_rounds(students: dict[str, Student], X: np.ndarray, y: np.ndarray, rounds: int, batch_size: int,
               seed: int) -> dict:
    if rounds < 0 or not 1 <= batch_size <= len(X):
        raise ValueError("rounds must be >= 0 and 1 <= batch_size <= len(X)")
    rng = np.random.default_rng(seed)
    names = sorted(students)
    roster = set(names)
    log: list[dict] = []
    accuracy: dict[str, list[float]] = {name: [] for name in names}
    for r in range(rounds):
        ids = rng.choice(len(X), batch_size, replace=False)
        lessons: dict[str, tuple[list[Any], list[int]]] = {}
        for name in names:
            xs, labels, correct = [], [], 0
            for i in ids:
                task = make_message(TEACHER, name, "task", r, {"task_id": int(i), "x": X[i]}, roster)
                guess = students[name].predict(task["payload"]["x"])
                answer = make_message(name, EVALUATOR, "answer", r, {"task_id": int(i), "label": guess}, roster)
                truth = int(y[i])
                feedback = make_message(EVALUATOR, name, "feedback", r,
                                        {"task_id": int(i), "label": truth, "correct": guess == truth}, roster)
                log += [task, answer, feedback]
                correct += guess == truth
                xs.append(task["payload"]["x"])
                labels.append(feedback["payload"]["label"])
            accuracy[name].append(correct / batch_size)
            lessons[name] = (xs, labels)
        for name in names:
            students[name].update(np.array(lessons[name][0]), np.array(lessons[name][1]))
    return {"log": log, "accuracy": accuracy}

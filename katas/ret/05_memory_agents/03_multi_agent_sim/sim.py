"""ret-05-3: a multi-agent simulation with a message protocol and an evaluate-and-retrain loop.
Edit this file; `grader check ret-05-3` tests it."""
from __future__ import annotations

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


def make_message(sender: str, recipient: str, kind: str, round_: int, payload: dict, students: set[str]) -> dict:
    """A protocol message {"sender", "recipient", "kind", "round", "payload"} after checking it.

    The kind must be one of KINDS and its sender and recipient must match ROUTES, where "student"
    means any name in students; round_ must be an int >= 0; the payload must hold "task_id" (every kind)
    and "x" (task), "label" (answer), or "label" and "correct" (feedback).

    Raises:
        ValueError: for any violation.
    """
    raise NotImplementedError("make_message: check kind, route, round and payload, then build the dict")


def run_rounds(students: dict[str, Student], X: np.ndarray, y: np.ndarray, rounds: int, batch_size: int,
               seed: int) -> dict:
    """Simulate teacher, students and evaluator exchanging messages; evaluate, then retrain, each round.

    rng = np.random.default_rng(seed), created once. Round r = 0, 1, ...: ids = rng.choice(len(X),
    batch_size, replace=False). For each student (sorted by name), for each task id in ids order: the
    teacher sends a "task" (payload {"task_id": int id, "x": X[id]}), the student answers (payload
    {"task_id", "label": student.predict(x)}), the evaluator replies with "feedback" (payload
    {"task_id", "label": int y[id], "correct": answer == y[id]}); all three go to the log in that order.
    The student's accuracy for the round is its fraction of correct answers. Only after the whole round
    has been evaluated, each student (sorted by name) retrains: student.update on the x of its tasks and
    the labels of its feedback, in message order.

    Returns:
        {"log": [messages], "accuracy": {name: [accuracy of round 0, 1, ...]}}

    Raises:
        ValueError: if rounds < 0, or batch_size < 1 or > len(X).
    """
    raise NotImplementedError("run_rounds: message every task, evaluate the round, then retrain")

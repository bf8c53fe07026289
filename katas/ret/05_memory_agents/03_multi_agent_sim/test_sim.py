"""Tests for ret-05-3, a multi-agent simulation with a message protocol and an evaluate-and-retrain loop.

References: a reference simulation written here (same seed, fresh students), compared message by
message; the accuracies recomputed from the logged feedback; protocol violations of every kind; and,
measured on sklearn.datasets.make_classification, perceptron students whose accuracy rises because the
loop retrains them on the evaluator's feedback.
"""
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sklearn.datasets import make_classification

from grader.testing import assert_seeded

STUDENTS = {"ann", "bob"}
GOOD = [("teacher", "ann", "task", 0, {"task_id": 1, "x": [0.0]}),
        ("bob", "evaluator", "answer", 3, {"task_id": 1, "label": 0}),
        ("evaluator", "ann", "feedback", 1, {"task_id": 2, "label": 1, "correct": False})]
BAD = [("teacher", "ann", "lecture", 0, {"task_id": 1}),                   # unknown kind
       ("ann", "bob", "task", 0, {"task_id": 1, "x": [0.0]}),              # a student may not send tasks
       ("teacher", "carl", "task", 0, {"task_id": 1, "x": [0.0]}),         # unknown student
       ("teacher", "evaluator", "task", 0, {"task_id": 1, "x": [0.0]}),
       ("evaluator", "ann", "answer", 0, {"task_id": 1, "label": 0}),      # answers come from students
       ("ann", "evaluator", "answer", -1, {"task_id": 1, "label": 0}),     # negative round
       ("ann", "evaluator", "answer", 1.0, {"task_id": 1, "label": 0}),    # round not an int
       ("ann", "evaluator", "answer", True, {"task_id": 1, "label": 0}),   # a bool is not a round
       ("teacher", "ann", "task", 0, {"task_id": 1}),                      # payload lacks x
       ("ann", "evaluator", "answer", 0, {"label": 1}),                    # payload lacks task_id
       ("evaluator", "bob", "feedback", 0, {"task_id": 1, "label": 1}),    # payload lacks correct
       ("evaluator", "teacher", "feedback", 0, {"task_id": 1, "label": 1, "correct": True})]


@pytest.mark.parametrize("case", range(len(GOOD)))
def test_valid_messages_are_built(kata, case):
    sender, recipient, kind, round_, payload = GOOD[case]
    msg = kata.make_message(sender, recipient, kind, round_, payload, STUDENTS)
    want = {"sender": sender, "recipient": recipient, "kind": kind, "round": round_, "payload": payload}
    assert msg == want, f"make_message{GOOD[case][:4]} returned {msg}, expected {want}"


@pytest.mark.parametrize("case", range(len(BAD)))
def test_protocol_violations_raise(kata, case):
    with pytest.raises(ValueError):
        kata.make_message(*BAD[case], STUDENTS)
        pytest.fail(f"make_message{BAD[case][:4]} with payload {BAD[case][4]} returned instead of raising ValueError")


def data(seed: int, n: int = 200) -> tuple[np.ndarray, np.ndarray]:
    return make_classification(n_samples=n, n_features=4, n_informative=3, n_redundant=0, class_sep=2.0,
                               random_state=seed)


def reference(kata: object, names: list[str], X: np.ndarray, y: np.ndarray, rounds: int, batch: int, seed: int) -> dict:
    students = {n: kata.Student(X.shape[1]) for n in names}
    rng = np.random.default_rng(seed)
    log, acc = [], {n: [] for n in sorted(names)}
    for r in range(rounds):
        ids = rng.choice(len(X), batch, replace=False)
        for n in sorted(names):
            right = 0
            for i in ids:
                guess = students[n].predict(X[i])
                log += [("teacher", n, "task", r, int(i), None), (n, "evaluator", "answer", r, int(i), guess),
                        ("evaluator", n, "feedback", r, int(i), (int(y[i]), guess == int(y[i])))]
                right += guess == int(y[i])
            acc[n].append(right / batch)
        for n in sorted(names):
            students[n].update(X[ids], y[ids])
    return {"log": log, "accuracy": acc}


def flatten(msg: dict) -> tuple:
    p = msg["payload"]
    extra = {"task": None, "answer": p.get("label"), "feedback": (p.get("label"), p.get("correct"))}[msg["kind"]]
    return (msg["sender"], msg["recipient"], msg["kind"], msg["round"], p.get("task_id"), extra)


@settings(max_examples=15)
@given(seed=st.integers(0, 1000), names=st.sampled_from([["ann"], ["bob", "ann"], ["cy", "ann", "bob"]]),
       rounds=st.integers(0, 4), batch=st.integers(1, 8))
@example(seed=0, names=["bob", "ann"], rounds=3, batch=5)
def test_simulation_matches_reference(kata, seed, names, rounds, batch):
    X, y = data(seed % 7, 60)
    students = {n: kata.Student(X.shape[1]) for n in names}
    call = f"run_rounds(students {names}, rounds={rounds}, batch_size={batch}, seed={seed})"
    got = kata.run_rounds(students, X, y, rounds, batch, seed)
    want = reference(kata, names, X, y, rounds, batch, seed)
    flat = [flatten(m) for m in got["log"]]
    for i, (g, w) in enumerate(zip(flat, want["log"], strict=False)):
        assert g == w, f"{call}: message {i} is {g}, expected {w}"
    assert len(flat) == len(want["log"]), f"{call} logged {len(flat)} messages, expected {len(want['log'])}"
    for m in got["log"]:
        if m["kind"] == "task":
            assert np.array_equal(m["payload"]["x"], X[m["payload"]["task_id"]]), f"{call}: a task carries the wrong x"
    assert {k: list(v) for k, v in got["accuracy"].items()} == want["accuracy"], (
        f"{call} reported accuracy {got['accuracy']}, expected {want['accuracy']}")


@settings(max_examples=10)
@given(seed=st.integers(0, 1000), rounds=st.integers(1, 4), batch=st.integers(1, 10))
def test_accuracy_is_what_the_feedback_says(kata, seed, rounds, batch):
    X, y = data(seed % 5, 50)
    got = kata.run_rounds({"ann": kata.Student(4), "bob": kata.Student(4)}, X, y, rounds, batch, seed)
    for name in ("ann", "bob"):
        for r in range(rounds):
            fb = [m["payload"]["correct"] for m in got["log"] if m["kind"] == "feedback" and m["recipient"] == name
                  and m["round"] == r]
            assert len(fb) == batch, f"{name} got {len(fb)} feedback messages in round {r}, expected {batch}"
            assert abs(got["accuracy"][name][r] - np.mean(fb)) < 1e-12, (
                f"accuracy[{name!r}][{r}] is {got['accuracy'][name][r]}, the feedback says {np.mean(fb)}")


@given(seed=st.integers(0, 1000))
def test_same_seed_same_simulation(kata, seed):
    X, y = data(1, 80)

    def run(s: int) -> list:
        out = kata.run_rounds({"ann": kata.Student(4)}, X, y, 2, 6, s)
        return [m["payload"]["task_id"] for m in out["log"]]
    assert_seeded(run, seed, name="task ids of the simulation")


def test_measured_feedback_teaches_the_students(kata):
    """A student that never learned predicts 0 everywhere: its accuracy is the batch's share of label 0."""
    X, y = data(0, 300)
    got = kata.run_rounds({"ann": kata.Student(4), "bob": kata.Student(4, lr=0.1)}, X, y, 10, 25, 0)
    for name, acc in got["accuracy"].items():
        zeros = [np.mean([m["payload"]["label"] == 0 for m in got["log"] if m["kind"] == "feedback"
                          and m["recipient"] == name and m["round"] == r]) for r in range(10)]
        assert abs(acc[0] - zeros[0]) < 1e-12, f"{name}'s first-round accuracy {acc[0]} is not its share of label 0 {zeros[0]}"
        late, untrained = float(np.mean(acc[-3:])), float(np.mean(zeros[-3:]))
        assert late >= 0.8 and late >= untrained + 0.2, (
            f"{name}'s accuracy over 10 rounds was {np.round(acc, 2).tolist()} (an untrained student would get "
            f"{untrained:.2f} on the last 3): retraining on the feedback should lift it to >= 0.8")


@given(bad=st.sampled_from([{"rounds": -1}, {"batch_size": 0}, {"batch_size": 61}]))
def test_bad_sizes_raise(kata, bad):
    X, y = data(0, 60)
    kwargs = {"rounds": 2, "batch_size": 5, **bad}
    with pytest.raises(ValueError):
        kata.run_rounds({"ann": kata.Student(4)}, X, y, seed=0, **kwargs)
        pytest.fail(f"run_rounds({bad}) returned instead of raising ValueError")

"""Tests for nlp-27-1, the ReAct loop: reason, act, observe, iterate.

References: the step grammar ("Thought: ...", "Action: tool[input]", "Final Answer: ...") on generated
texts; the transcript format written out; scripted policies (stand-ins for the LLM) that read the
transcript and check that every previous observation reached them; tool errors, unknown tools,
unparsable outputs and the step limit, each with its known outcome.
"""
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

TEXT = st.text(alphabet="abc xyz0123+-*", min_size=0, max_size=12).map(str.strip)
TOOL = st.sampled_from(["search", "calc", "lookup"])


@given(thought=TEXT, tool=TOOL, arg=TEXT, final=st.booleans(), noise=st.sampled_from(["", "ok.\n", "\n\n"]))
@example(thought="I know it", tool="calc", arg="", final=True, noise="")
def test_parse_step(kata, thought, tool, arg, final, noise):
    text = noise + f"Thought: {thought}\n" + (f"Final Answer: {arg}" if final else f"Action: {tool}[{arg}]")
    got = kata.parse_step(text)
    want = (thought, "finish", arg) if final else (thought, tool, arg)
    assert tuple(got) == want, f"parse_step({text!r}) = {got!r}, expected {want!r}"


@given(text=st.sampled_from(["Thought: hmm", "Action: calc 1+1", "just text", ""]))
def test_parse_step_without_action(kata, text):
    assert kata.parse_step(text) is None, f"parse_step({text!r}) should be None: no action and no final answer"


@given(question=TEXT, steps=st.lists(st.tuples(TEXT, TOOL, TEXT, TEXT), max_size=3))
def test_format_transcript(kata, question, steps):
    traj = [{"thought": t, "action": a, "arg": g, "observation": o} for t, a, g, o in steps]
    got = kata.format_transcript(question, traj)
    want = "\n".join([f"Question: {question}"] + [line for t, a, g, o in steps
                                                  for line in (f"Thought: {t}", f"Action: {a}[{g}]", f"Observation: {o}")])
    assert got == want, f"format_transcript = {got!r}, expected {want!r}"


def counting_policy(target: int):
    """Adds 1 with the calculator until it has seen `target`, checking the transcript each turn."""
    seen = []

    def policy(transcript: str) -> str:
        obs = [line.removeprefix("Observation: ") for line in transcript.splitlines() if line.startswith("Observation: ")]
        assert obs == seen, f"the policy should see every observation so far {seen}, got {obs}"
        value = int(obs[-1]) if obs else 0
        if value >= target:
            return f"Thought: done\nFinal Answer: {value}"
        return f"Thought: add one to {value}\nAction: calc[{value} + 1]"
    return policy, seen


@given(target=st.integers(0, 6), max_steps=st.integers(1, 9))
@example(target=3, max_steps=4)    # 3 tool calls + the final answer: exactly enough
@example(target=3, max_steps=3)    # one short: no answer
def test_run_agent_iterates_until_final_answer(kata, target, max_steps):
    policy, seen = counting_policy(target)

    def calc(arg: str) -> str:
        a, b = arg.split(" + ")
        seen.append(str(int(a) + int(b)))
        return seen[-1]
    answer, traj = kata.run_agent(policy, {"calc": calc}, "count", max_steps)
    if target + 1 <= max_steps:
        assert answer == str(target) and len(traj) == target, (
            f"run_agent(max_steps={max_steps}) returned {answer!r} after {len(traj)} steps; expected {target!r} after "
            f"{target} tool steps (the final answer is not a trajectory step)")
    else:
        assert answer is None and len(traj) == max_steps, (
            f"run_agent(max_steps={max_steps}) returned {answer!r} with {len(traj)} steps; the policy needs {target + 1} "
            f"turns, so expected None after {max_steps} steps")
    assert all(step["action"] == "calc" for step in traj)


def test_errors_become_observations(kata):
    turns = iter(["Thought: try\nAction: fly[home]", "I am confused", "Thought: div\nAction: calc[1/0]",
                  "Thought: give up\nFinal Answer: unknown"])

    def calc(arg: str) -> str:
        raise ZeroDivisionError("division by zero")
    answer, traj = kata.run_agent(lambda transcript: next(turns), {"calc": calc}, "q", 10)
    assert answer == "unknown"
    obs = [s["observation"] for s in traj]
    assert len(traj) == 3 and obs[0] == "Error: unknown tool fly" and obs[2] == "Error: division by zero", (
        f"observations {obs}: expected 'Error: unknown tool fly', an error for the unparsable turn, and "
        f"'Error: division by zero' from the failing tool")
    assert obs[1].startswith("Error:") and traj[1]["action"] == "invalid", (
        f"an output without an action is recorded as action 'invalid' with an error observation, got {traj[1]}")


def test_max_steps_must_be_positive(kata):
    with pytest.raises(ValueError):
        kata.run_agent(lambda t: "Final Answer: 1", {}, "q", 0)


@given(final_first=st.booleans())
def test_parse_step_first_of_action_and_answer_wins(kata, final_first):
    lines = ["Final Answer: 5", "Action: calc[1 + 1]"]
    text = "Thought: both\n" + "\n".join(lines if final_first else lines[::-1])
    want = ("both", "finish", "5") if final_first else ("both", "calc", "1 + 1")
    got = kata.parse_step(text)
    assert tuple(got) == want, f"parse_step({text!r}) = {got!r}, expected {want!r}: whichever line comes first wins"

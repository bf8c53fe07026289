"""Tests for nlp-12-2, instruction tuning by prepending the task.

References: labels and padding written out token by token; torch.nn.functional.cross_entropy with
ignore_index on the shifted labels; a float64 AdamW loop written here that draws the same batches;
greedy decoding against a scripted model; and a short seeded instruction-tuning run whose held-out
responses must depend on the instruction (the same input with another task prepended must score
far worse).
"""
import contextlib
import copy

import pytest
import torch
import torch._dynamo  # noqa: F401  (torch.optim's first step imports it, ~4 s: pay that at collection, not in a test)
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import dims, seeds
from grader.testing import assert_close, assert_equal, describe_call

VOCAB = ["[PAD]", "[EOS]", ":", "=>", "first", "last", "sort", "a", "b", "c", "d", "e", "f", "g", "h"]
LETTERS = VOCAB[7:]
WORDS = st.lists(st.sampled_from(LETTERS), min_size=1, max_size=5)
TASK = st.sampled_from(["first", "last", "sort"])


def ids_of(text: str) -> list[int]:
    return [VOCAB.index(w) for w in text.split()]


def reference_example(task: str, text: str, response: str) -> tuple[list[int], list[int]]:
    prompt = ids_of(f"{task} : {text} =>")
    answer = ids_of(response) + [1]
    return prompt + answer, [-100] * len(prompt) + answer


def reference_sft_loss(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    return F.cross_entropy(logits[:, :-1].reshape(-1, logits.shape[-1]), labels[:, 1:].reshape(-1), ignore_index=-100)


def labels_hint(got: list[int], want: list[int]) -> str:
    if len(got) == len(want) - 1:
        return "one token short: is the EOS missing? The model must learn to stop"
    if len(got) == len(want) and got[: want.count(-100)] != want[: want.count(-100)]:
        if all(g != -100 for g in got):
            return "no position is IGNORE: the prompt is trained on too"
        return "the IGNORE region is off by one at the prompt/response boundary"
    return ""


def answer_of(task: str, words: list[str]) -> list[str]:
    return {"first": words[:1], "last": words[-1:], "sort": sorted(words)}[task]


@contextlib.contextmanager
def single_thread():
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


@given(task=TASK, words=WORDS)
@example(task="first", words=["a"])
@example(task="sort", words=["c", "a", "b"])
def test_build_example_masks_the_prompt(kata, task, words):
    text, response = " ".join(words), " ".join(answer_of(task, words))
    call = describe_call("build_example", task, text, response)
    input_ids, labels = kata.build_example(task, text, response)
    want_ids, want_labels = reference_example(task, text, response)
    assert_equal(input_ids, torch.tensor(want_ids), name="input_ids (prompt + response + EOS)", call=call)
    got_labels = [int(x) for x in labels]
    if got_labels != want_labels:
        hint = labels_hint(got_labels, want_labels)
        raise AssertionError(f"{call} returned labels {got_labels}, expected {want_labels} (-100 on the prompt "
                             f"{f'{task} : {text} =>'!r}, the ids of {response!r} and EOS after it)"
                             + (f"\n  looks like: {hint}" if hint else ""))


@given(tasks=st.lists(st.tuples(TASK, WORDS), min_size=1, max_size=5))
@example(tasks=[("first", ["a"]), ("sort", ["h", "g", "f", "e", "d"])])
def test_collate_right_pads(kata, tasks):
    examples = [reference_example(t, " ".join(w), " ".join(answer_of(t, w))) for t, w in tasks]
    width = max(len(ids) for ids, _ in examples)
    want_ids = torch.tensor([ids + [0] * (width - len(ids)) for ids, _ in examples])
    want_labels = torch.tensor([lab + [-100] * (width - len(lab)) for _, lab in examples])
    call = describe_call("collate", f"{len(examples)} examples of lengths {[len(i) for i, _ in examples]}")
    input_ids, labels = kata.collate([(torch.tensor(i), torch.tensor(lab)) for i, lab in examples])
    assert_equal(input_ids, want_ids, name="input_ids (right-padded with PAD_ID = 0)", call=call)
    assert_equal(labels, want_labels, name="labels (right-padded with IGNORE = -100)", call=call)


@given(b=dims(1, 4), t=dims(2, 10), seed=seeds())
@example(b=2, t=3, seed=0)
def test_sft_loss_is_shifted_and_averaged_over_tokens(kata, b, t, seed):
    g = torch.Generator().manual_seed(seed)
    logits = torch.randn(b, t, 15, generator=g, dtype=torch.float64) * 2
    labels = torch.randint(15, (b, t), generator=g)
    # a different number of counted tokens per row, as with responses of different lengths
    starts = torch.randint(1, t, (b,), generator=g)
    labels = labels.masked_fill(torch.arange(t) < starts[:, None], -100)
    labels[0, 1:] = torch.randint(15, (t - 1,), generator=g)
    call = describe_call("sft_loss", logits, labels)
    got = kata.sft_loss(logits, labels)
    assert_close(got, reference_sft_loss(logits, labels), rtol=1e-12, atol=1e-12, name="loss", call=call)  # float64


def reference_tune(model, examples, steps, batch_size, lr, generator):
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0)
    losses = []
    for _ in range(steps):
        idx = torch.randint(len(examples), (batch_size,), generator=generator)
        chosen = [examples[int(i)] for i in idx]
        width = max(len(ids) for ids, _ in chosen)
        ids = torch.stack([F.pad(i, (0, width - len(i)), value=0) for i, _ in chosen])
        labels = torch.stack([F.pad(lab, (0, width - len(lab)), value=-100) for _, lab in chosen])
        loss = reference_sft_loss(model(ids), labels)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


@settings(max_examples=8)
@given(seed=seeds(), batch_size=dims(1, 4))
@example(seed=0, batch_size=3)
def test_instruction_tune_matches_a_reference_loop(kata, seed, batch_size):
    g = torch.Generator().manual_seed(seed)
    examples = []
    for _ in range(6):
        task = ["first", "last", "sort"][int(torch.randint(3, (), generator=g))]
        words = [LETTERS[int(i)] for i in torch.randint(8, (int(torch.randint(1, 5, (), generator=g)),), generator=g)]
        ids, lab = reference_example(task, " ".join(words), " ".join(answer_of(task, words)))
        examples.append((torch.tensor(ids), torch.tensor(lab)))
    torch.manual_seed(seed)
    model = kata.TinyLM(d_model=8, n_heads=2, n_layers=1, max_len=16).double()
    ref = copy.deepcopy(model)
    with single_thread():
        got = kata.instruction_tune(model, examples, 3, batch_size, 1e-2, torch.Generator().manual_seed(seed + 1))
        want = reference_tune(ref, examples, 3, batch_size, 1e-2, torch.Generator().manual_seed(seed + 1))
    call = describe_call("instruction_tune", "TinyLM(float64)", "6 examples", 3, batch_size, 1e-2, "generator")
    assert len(got) == 3, f"{call} returned {len(got)} losses, expected 3"
    # float64 throughout: the same batches and steps agree to rounding
    assert_close(got, want, rtol=1e-9, atol=1e-9, name="losses", call=call)


class Scripted:
    """A model that answers with the letters after the last prompt letter, EOS after `n` of them, then
    (if a decoder ignores the EOS) more letters."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __call__(self, idx: torch.Tensor) -> torch.Tensor:
        b, t = idx.shape
        logits = torch.zeros(b, t, 15, dtype=torch.float64)
        arrow = int((idx[0] == 3).nonzero()[0])
        for pos in range(t):
            made = pos - arrow                    # tokens generated so far when predicting from pos
            nxt = 1 if made == self.n else 7 + (int(idx[0, arrow - 1]) - 7 + made + 1) % 8
            logits[:, pos, nxt] = 5.0
        return logits


@given(task=TASK, words=WORDS, n=dims(0, 4), max_new=dims(1, 6))
@example(task="first", words=["h"], n=2, max_new=6)
@example(task="last", words=["a", "b"], n=4, max_new=2)
def test_respond_decodes_greedily_until_eos(kata, task, words, n, max_new):
    last = LETTERS.index(words[-1])
    want = " ".join(LETTERS[(last + i) % 8] for i in range(1, min(n, max_new) + 1))
    call = describe_call("respond", f"model writing {n} letters then EOS", task, " ".join(words), max_new=max_new)
    got = kata.respond(Scripted(n), task, " ".join(words), max_new=max_new)
    assert got == want, f"{call} returned {got!r}, expected {want!r} (greedy, stop at EOS or max_new, no prompt, no EOS)"


@pytest.mark.slow
@settings(max_examples=1)  # plus the explicit example: ~2 s each
@given(seed=seeds())
@example(seed=0)
def test_instruction_tuned_model_follows_the_instruction(kata, seed):
    with single_thread():
        g = torch.Generator().manual_seed(seed)
        train = [kata.build_example(*x) for x in kata.make_dataset(600, g)]
        torch.manual_seed(seed)
        model = kata.TinyLM()
        kata.instruction_tune(model, train, 100, 32, 1e-2, g)
        model.eval()
        held = kata.make_dataset(60, torch.Generator().manual_seed(seed + 1))
        swapped = [({"first": "last", "last": "sort", "sort": "first"}[t], x, y) for t, x, y in held]

        def response_loss(triples):
            ids, labels = [], []
            for task, text, response in triples:
                i, lab = reference_example(task, text, response)
                ids.append(torch.tensor(i))
                labels.append(torch.tensor(lab))
            width = max(len(i) for i in ids)
            ids = torch.stack([F.pad(i, (0, width - len(i)), value=0) for i in ids])
            labels = torch.stack([F.pad(lab, (0, width - len(lab)), value=-100) for lab in labels])
            with torch.no_grad():
                return reference_sft_loss(model(ids), labels).item()

        correct, wrong = response_loss(held), response_loss(swapped)
        answers = [(kata.respond(model, t, x), y) for t, x, y in held if t != "sort"]
    # measured over seeds after 100 steps: held-out response loss 0.2-0.5 nats, with the wrong task
    # prepended 2.9-4.2; first/last answered exactly 46-100% of the time
    assert correct < 0.8, f"held-out response loss after instruction tuning is {correct:.3f} nats, expected < 0.8"
    assert wrong > correct + 1.5, (f"with the wrong task prepended the responses score {wrong:.3f} nats vs "
                                   f"{correct:.3f} with the right one: the model is not reading the instruction")
    accuracy = sum(a == y for a, y in answers) / len(answers)
    assert accuracy > 0.3, f"respond() answered {accuracy:.0%} of held-out first/last instructions exactly: {answers[:5]}"

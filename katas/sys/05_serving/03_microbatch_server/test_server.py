"""Tests for sys-05-3, a micro-batching inference server with a bounded queue, timeouts and backpressure.

References: the model's own answers (a doubling function, so every answer can be checked), the
batches the model saw, and accounting: every request submitted is answered, rejected with
Overloaded, or failed with RequestTimeout or the model's error; none is lost. Where a test needs the
server busy, the model is held at a threading.Event, so queue states are exact, not timing-dependent.
A TCP test runs the server for real on a free localhost port with concurrent clients.
"""
import json
import socket
import socketserver
import threading
import time

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st


class GatedModel:
    """A batch model: doubles its inputs, records each batch, optionally waits at a gate first."""

    def __init__(self, gated=False, fail=False):
        self.batches, self.fail = [], fail
        self.gate, self.entered = threading.Event(), threading.Event()
        if not gated:
            self.gate.set()

    def __call__(self, xs):
        self.batches.append(list(xs))
        self.entered.set()
        assert self.gate.wait(timeout=10), "test bug: the gate was never opened"
        if self.fail:
            raise ZeroDivisionError("the model failed on this batch")
        return [2 * x for x in xs]


def outcome(fn, *args):
    try:
        return "answer", fn(*args)
    except Exception as e:  # noqa: BLE001 - the test sorts every ending
        return type(e).__name__, str(e)


@settings(max_examples=10)
@given(n=st.integers(1, 12), batch=st.integers(1, 5))
@example(n=10, batch=4)   # batches of 4, 4, 2
@example(n=1, batch=8)    # a lone request is flushed after max_wait
def test_queued_requests_are_answered_in_full_batches(kata, n, batch):
    model = GatedModel()
    server = kata.MicroBatcher(model, max_batch_size=batch, max_wait=0.01, max_queue=100, timeout=5.0)
    futures = [server.submit(x) for x in range(n)]  # all queued before the worker starts
    server.start()
    try:
        answers = [f.result(timeout=5) for f in futures]
    finally:
        server.stop()
    assert answers == [2 * x for x in range(n)], f"{n} requests answered {answers}, expected {[2 * x for x in range(n)]}"
    sizes = [len(b) for b in model.batches]
    want = [batch] * (n // batch) + ([n % batch] if n % batch else [])
    assert sizes == want, (f"{n} queued requests with max_batch_size={batch}: the model saw batches of {sizes}, expected "
                           f"{want} (fill each batch from the queue before calling the model)")
    assert server.batch_sizes == want, f"batch_sizes = {server.batch_sizes}, expected {want}"


def test_max_wait_zero_does_not_wait_for_more(kata):
    model = GatedModel()
    server = kata.MicroBatcher(model, max_batch_size=8, max_wait=0.0, max_queue=10, timeout=5.0)
    server.start()
    try:
        first, second = server.call(1), server.call(2)
    finally:
        server.stop()
    assert (first, second) == (2, 4) and model.batches == [[1], [2]], (
        f"call(1) then call(2) with max_wait=0 gave {first}, {second} and batches {model.batches}; "
        "expected 2, 4 and two batches of one")


@settings(max_examples=6)
@given(max_queue=st.integers(1, 5), extra=st.integers(1, 4))
@example(max_queue=1, extra=1)
def test_backpressure_rejects_exactly_the_overflow(kata, max_queue, extra):
    model = GatedModel(gated=True)
    server = kata.MicroBatcher(model, max_batch_size=1, max_wait=0.0, max_queue=max_queue, timeout=5.0)
    server.start()
    try:
        busy = server.submit(-1)
        assert model.entered.wait(5), "the worker never called the model"
        queued = [server.submit(x) for x in range(max_queue)]   # the worker is busy: these wait
        rejected = [outcome(server.submit, 100 + x) for x in range(extra)]
        depth = server.queue.qsize()
        model.gate.set()
        done = [outcome(f.result, 5) for f in [busy, *queued]]
    finally:
        server.stop()
    assert depth <= max_queue, f"the queue held {depth} requests, more than max_queue={max_queue}"
    assert all(kind == "Overloaded" for kind, _ in rejected), (
        f"with the model busy and {max_queue} requests queued (max_queue={max_queue}), {extra} more should each raise "
        f"Overloaded at once; got {rejected}")
    assert done == [("answer", -2)] + [("answer", 2 * x) for x in range(max_queue)], (
        f"the busy and queued requests should all be answered once the model is free; got {done}")


def test_timeouts_are_reported_and_expired_requests_skip_the_model(kata):
    model = GatedModel(gated=True)
    # 0.5 s: long enough that a busy machine still hands request 1 to the worker in time
    server = kata.MicroBatcher(model, max_batch_size=1, max_wait=0.0, max_queue=4, timeout=0.5)
    server.start()
    try:
        stuck = outcome(server.call, 1)     # inside the model when its time runs out
        expired = outcome(server.call, 2)   # still queued when its time runs out
        model.gate.set()
        after = outcome(server.call, 3)
    finally:
        server.stop()
    assert (stuck[0], expired[0]) == ("RequestTimeout", "RequestTimeout"), (
        f"two calls behind a stuck model with timeout=0.5 s ended as {stuck}, {expired}; expected RequestTimeout")
    assert after == ("answer", 6), f"after the model recovered, call(3) ended as {after}; expected the answer 6"
    assert model.batches == [[1], [3]], (
        f"the model saw batches {model.batches}; request 2 expired while queued and must be skipped, not computed")


def test_a_model_error_fails_its_batch_and_the_server_keeps_serving(kata):
    model = GatedModel(fail=True)
    server = kata.MicroBatcher(model, max_batch_size=4, max_wait=0.01, max_queue=10, timeout=5.0)
    futures = [server.submit(x) for x in range(3)]
    server.start()
    try:
        failed = [outcome(f.result, 5) for f in futures]
        model.fail = False
        ok = outcome(server.call, 5)
    finally:
        server.stop()
    assert [kind for kind, _ in failed] == ["ZeroDivisionError"] * 3, (
        f"the model raised ZeroDivisionError on the batch; each of its requests should see that error, got {failed}")
    assert ok == ("answer", 10), f"after a failed batch the server should keep serving; call(5) ended as {ok}"


def test_stop_fails_what_is_still_queued(kata):
    model = GatedModel(gated=True)
    server = kata.MicroBatcher(model, max_batch_size=1, max_wait=0.0, max_queue=4, timeout=5.0)
    server.start()
    busy = server.submit(1)
    assert model.entered.wait(5)
    left = server.submit(2)
    model.gate.set()
    assert busy.result(timeout=5) == 2
    server.stop()
    kind, _ = outcome(left.result, 5)
    assert kind in ("answer", "RuntimeError"), f"a request queued at stop() ended as {kind}: it must end, not hang"


def test_stop_before_start_fails_every_queued_request(kata):
    server = kata.MicroBatcher(GatedModel(), max_batch_size=2, max_wait=0.0, max_queue=4, timeout=5.0)
    futures = [server.submit(x) for x in range(3)]
    server.stop()
    ends = [outcome(f.result, 1) for f in futures]
    assert [kind for kind, _ in ends] == ["RuntimeError"] * 3, (
        f"stop() with 3 requests queued and no worker left them as {ends}; each must fail with RuntimeError")


def test_the_worker_waits_up_to_max_wait_for_company(kata):
    model = GatedModel()
    # max_wait just under a second: 45x the gap between the requests, so a busy machine still lets
    # request 2 arrive in time, and short enough that a worker which only waits when more than a
    # whole second remains is caught
    server = kata.MicroBatcher(model, max_batch_size=2, max_wait=0.9, max_queue=4, timeout=10.0)
    server.start()
    try:
        first = server.submit(1)
        time.sleep(0.02)  # far less than max_wait: request 2 must join request 1's batch
        second = server.submit(2)
        answers = first.result(5), second.result(5)
    finally:
        server.stop()
    assert answers == (2, 4) and model.batches == [[1, 2]], (
        f"request 2 came 0.02 s after request 1 with max_wait=0.9 and max_batch_size=2: batches {model.batches}, "
        "expected one batch [1, 2] (it is full, so it goes at once)")


def test_a_model_returning_the_wrong_number_of_outputs_is_an_error(kata):
    server = kata.MicroBatcher(lambda xs: [0], max_batch_size=3, max_wait=0.0, max_queue=4, timeout=5.0)
    futures = [server.submit(x) for x in range(3)]
    server.start()
    try:
        ends = [outcome(f.result, 5) for f in futures]
    finally:
        server.stop()
    assert [kind for kind, _ in ends] == ["RuntimeError"] * 3, (
        f"the model returned 1 output for a batch of 3; every request should fail with RuntimeError, got {ends}")


@given(bad=st.sampled_from([dict(max_batch_size=0), dict(max_wait=-0.1), dict(max_queue=0), dict(timeout=0.0)]))
def test_rejects_bad_settings(kata, bad):
    settings_ = dict(max_batch_size=2, max_wait=0.01, max_queue=4, timeout=1.0) | bad
    with pytest.raises(ValueError):
        kata.MicroBatcher(GatedModel(), **settings_)
        pytest.fail(f"MicroBatcher({settings_}) returned instead of raising ValueError")


def ask(port, lines):
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock, sock.makefile("rwb") as f:
        replies = []
        for line in lines:
            f.write(line.encode() + b"\n")
            f.flush()
            replies.append(json.loads(f.readline()))
        return replies


def test_tcp_server_on_localhost(kata):
    """3 concurrent clients x 4 requests over TCP, a malformed line, then an overload while the model is gated."""
    model = GatedModel()
    batcher = kata.MicroBatcher(model, max_batch_size=4, max_wait=0.01, max_queue=3, timeout=5.0)  # 3 clients never overflow it

    class Handler(socketserver.StreamRequestHandler):
        def handle(self):
            kata.handle_connection(batcher, self.rfile, self.wfile)

    tcp = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    tcp.daemon_threads = True
    port = tcp.server_address[1]
    threading.Thread(target=tcp.serve_forever, daemon=True).start()
    batcher.start()
    results: dict = {}

    def client(name, lines):
        results[name] = ask(port, lines)

    try:
        clients = [threading.Thread(target=client, args=(c, [json.dumps({"x": 10 * c + i}) for i in range(4)]))
                   for c in range(3)]
        for t in clients:
            t.start()
        for t in clients:
            t.join(10)
        bad = ask(port, ["not json", "[1, 2]"])
        model.gate.clear()
        model.entered.clear()
        busy = threading.Thread(target=client, args=("busy", [json.dumps({"x": 1})]))
        busy.start()
        assert model.entered.wait(5), "the server never called the model"
        waiting = [threading.Thread(target=client, args=(f"wait{i}", [json.dumps({"x": 2})])) for i in range(3)]
        for t in waiting:
            t.start()
        for _ in range(5000):
            if batcher.queue.qsize() >= 3:
                break
            time.sleep(0.001)
        overloaded = ask(port, [json.dumps({"x": 3})])
        model.gate.set()
        for t in [busy, *waiting]:
            t.join(10)
    finally:
        model.gate.set()
        tcp.shutdown()
        tcp.server_close()
        batcher.stop()
    good = [results[c] for c in range(3)]
    assert good == [[{"y": 2 * (10 * c + i)} for i in range(4)] for c in range(3)], f"TCP replies {good}"
    assert [r.get("error") for r in bad] == ["bad_request", "bad_request"] and all(r.get("detail") for r in bad), (
        f"malformed lines got {bad}; expected {{'error': 'bad_request', 'detail': ...}} for each")
    assert overloaded[0].get("error") == "overloaded" and overloaded[0].get("detail"), (
        f"a request beyond the full queue got {overloaded}; expected {{'error': 'overloaded', 'detail': ...}}")
    rest = [results["busy"], results["wait0"], results["wait1"], results["wait2"]]
    assert rest == [[{"y": 2}], [{"y": 4}], [{"y": 4}], [{"y": 4}]], f"the requests admitted before the overload got {rest}"

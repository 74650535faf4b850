"""The benchmarks run as their own CI step after the tests (.ci/run: `python -m benchmarks all`), not here; what is
tested here is that a benchmark which sent, answered or measured nothing — or lost what it must not — fails rather
than printing a reassuring 0."""

import io

from benchmarks.slack import _report, failed


def event(key, status=200, sent=1.0):
    return {"key": key, "sent": sent, "status": status, "acked": sent + 0.001}


def reply(thread, at=1.1):
    return {"method": "chat.postMessage", "thread_ts": thread, "at": at}


def report(sent, calls, mode="load"):
    out = io.StringIO()
    return _report(out, mode, sent, calls, threads=8, senders=2, rate=100.0), out.getvalue()


def test_a_benchmark_that_sent_nothing_fails():
    status, text = report([], [])
    assert status == 1 and "FAILED: no event was sent" in text


def test_events_answered_once_each_pass():
    status, text = report([event("t1"), event("t2")], [reply("t1"), reply("t2")])
    assert status == 0 and "FAILED" not in text


def test_a_lost_or_twice_answered_event_fails():
    lost, text = report([event("t1"), event("t2")], [reply("t1")])
    assert lost == 1 and "1 lost" in text
    twice, text = report([event("t1")], [reply("t1"), reply("t1", 1.2)])
    assert twice == 1 and "1 duplicated" in text


def test_a_command_acknowledged_late_fails_even_when_the_web_api_hangs():
    late = {"key": "command:1", "sent": 1.0, "status": 200, "acked": 4.5}
    status, text = report([event("t1"), late], [], mode="fault")
    assert status == 1 and "1 of 1 commands not acknowledged within 3 s" in text


def test_failed_names_each_failure():
    out = io.StringIO()
    assert failed(out, ["a", "b"]) == 1 and out.getvalue() == "FAILED: a\nFAILED: b\n"
    assert failed(io.StringIO(), []) == 0

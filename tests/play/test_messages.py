"""Every message of the sandboxed child is checked before the screen sees it.

The child runs the learner's code, which can write anything to the events pipe: each case
below is a forgery that must be refused (``Violation``), or text that must be made harmless.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from tutor.play.messages import (
    Context,
    Expectation,
    Plan,
    Problem,
    State,
    Violation,
    parse_ready,
    parse_reply,
)

SUBMISSION = ("import threading", "def transfer(a, b):", "    with a.lock:", "        pass")
TESTS = ("import submission", "def a_to_b(bank):", "    submission.transfer(bank[0], bank[1])")
CONTEXT = Context(SUBMISSION, TESTS, threads=2)


def thread(index: int, **changes: Any) -> dict[str, Any]:
    view = {"index": index, "name": f"T{index + 1}", "state": "runnable",
            "file": "submission.py", "line": 3, "source": "with a.lock:", "waiting_for": "",
            "holds": [], "next": "acquire Lock bank[0].lock"}  # fmt: skip
    view.update(changes)
    return view


def state(**changes: Any) -> dict[str, Any]:
    message = {
        "type": "state", "seq": 2, "step": 1, "chosen": 0,
        "threads": [thread(0), thread(1)], "choices": [0, 1], "current": 0, "finished": False,
        "shared": [["bank[0].balance", "100"]],
        "timeline": [{"thread": "T1", "file": "test_hidden.py", "line": 3,
                      "source": "submission.transfer(bank[0], bank[1])",
                      "event": "read bank[0]"}],
    }  # fmt: skip
    message.update(changes)
    return message


# the first state, as parsed: two runnable threads, both may run
FIRST = parse_reply(state(seq=1, step=0, chosen=None),
                    Expectation(1, "goto", choices=()), CONTEXT, 2)  # fmt: skip


def step_reply(message: dict[str, Any], thread: int | None = 0) -> State | Plan | Problem:
    return parse_reply(message, Expectation(2, "step", thread=thread, previous=FIRST), CONTEXT, 2)


def test_an_honest_state_is_parsed_and_sources_come_from_our_own_copies() -> None:
    forged_source = state()
    forged_source["threads"][0]["source"] = "rm -rf /"
    forged_source["timeline"][0]["source"] = "something else"
    parsed = step_reply(forged_source)
    assert isinstance(parsed, State)
    assert parsed.threads[0].source == "with a.lock:"  # line 3 of the learner's file
    assert parsed.timeline[0].source == "submission.transfer(bank[0], bank[1])"
    assert parsed.shared == (("bank[0].balance", "100"),)


def test_control_characters_are_shown_not_obeyed() -> None:
    message = state()
    message["shared"] = [["x", "\x1b[2J\x1b]0;pwned\x07\u202eevil"]]
    parsed = step_reply(message)
    assert isinstance(parsed, State)
    value = parsed.shared[0][1]
    assert "\x1b" not in value and "\x07" not in value and "\u202e" not in value
    assert "\\x1b[2J" in value


def forge(path: str, value: Any) -> dict[str, Any]:
    """``state()`` with one field replaced (``threads.0.line``)."""
    message = copy.deepcopy(state())
    target: Any = message
    keys = path.split(".")
    for key in keys[:-1]:
        target = target[int(key)] if isinstance(target, list) else target[key]
    last = keys[-1]
    if isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value
    return message


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("seq", 7),  # a reply to a request never made
        ("step", 5),  # jumps ahead
        ("chosen", 1),  # T1 was asked to run
        ("threads.0.line", 99),  # not a line of the learner's file
        ("threads.0.line", -1),
        ("threads.0.line", True),
        ("threads.0.state", "dancing"),
        ("threads.0.index", 1),
        ("threads.0.name", "T" * 500),
        ("threads.1", "T2"),
        ("threads", [thread(0)]),  # fewer threads than the scenario starts
        ("threads", [thread(i) for i in range(17)]),  # more than any scenario may have
        ("choices", [0, 0]),
        ("choices", [5]),
        ("choices", []),  # a live run with nobody to run
        ("finished", True),  # ... or a finished one that still offers threads
        ("timeline.0.thread", "T9"),  # a thread that does not exist
        ("timeline.0.line", 4),  # past the end of the hidden tests
        ("timeline", [{"thread": "T1", "line": 1}] * 61),
        ("shared", [["a", "b", "c"]]),
        ("shared", [["a", "b"]] * 41),
        ("shared", [["a", "x" * 5000]]),
        ("threads.0.holds", ["Lock a"] * 17),
    ],
)
def test_forged_states_are_refused(path: str, value: Any) -> None:
    with pytest.raises(Violation):
        step_reply(forge(path, value))


def finished(**outcome: Any) -> dict[str, Any]:
    base = {"passed": False, "kind": "deadlock", "headline": "T1 waits", "message": "",
            "explanation": {"pattern": "deadlock", "summary": "T1 and T2 wait",
                            "location": "bank[0].lock", "line": 3, "accesses": []},
            "schedule": "v1:1>1"}  # fmt: skip
    base.update(outcome)
    return state(finished=True, choices=[], outcome=base,
                 threads=[thread(0, state="blocked"), thread(1, state="blocked")])


def test_a_finished_run_carries_its_outcome() -> None:
    parsed = step_reply(finished())
    assert isinstance(parsed, State) and parsed.outcome is not None
    assert parsed.outcome.kind == "deadlock"
    assert parsed.line_to_show == 3


@pytest.mark.parametrize(
    "outcome",
    [
        {"passed": True},  # passed, yet with a failure kind
        {"kind": "exploded"},
        {"passed": "yes"},
        {"explanation": {"pattern": "made-up", "summary": "", "location": None, "line": 3}},
        {"headline": ["not", "text"]},
    ],
)
def test_forged_outcomes_are_refused(outcome: dict[str, Any]) -> None:
    with pytest.raises(Violation):
        step_reply(finished(**outcome))


def test_an_explanation_line_outside_the_learners_file_is_dropped() -> None:
    message = finished()
    message["outcome"]["explanation"]["line"] = 500
    parsed = step_reply(message)
    assert isinstance(parsed, State) and parsed.line_to_show == 3  # a thread's line instead
    assert parsed.outcome is not None and parsed.outcome.line is None


def test_replies_must_answer_the_request() -> None:
    plan = {"type": "plan", "seq": 2, "choices": [0, 1], "headline": "", "kind": None,
            "summary": ""}  # fmt: skip
    with pytest.raises(Violation):
        step_reply(plan)  # a plan in reply to a step
    assert isinstance(parse_reply(plan, Expectation(2, "show"), CONTEXT, 2), Plan)
    with pytest.raises(Violation):
        parse_reply(dict(plan, choices=[99]), Expectation(2, "show"), CONTEXT, 2)
    problem = {"type": "problem", "seq": 2, "message": "T2 cannot run now"}
    assert step_reply(problem) == Problem("T2 cannot run now")


def test_a_replay_may_stop_early_only_where_it_says_it_diverged() -> None:
    goto = Expectation(3, "goto", choices=(0, 1, 0))
    message = state(seq=3, step=2, chosen=None)
    with pytest.raises(Violation):
        parse_reply(message, goto, CONTEXT, 2)
    parsed = parse_reply(dict(message, diverged=2), goto, CONTEXT, 2)
    assert isinstance(parsed, State) and parsed.diverged == 2


def test_ready_must_match_the_hidden_test() -> None:
    ready = {"type": "ready", "seq": 0, "threads": 2, "functions": ["a_to_b", "b_to_a"],
             "root": "bank"}  # fmt: skip
    assert parse_ready(ready, CONTEXT).threads == 2
    for forged in ({"threads": 3}, {"root": "__import__('os')"}, {"functions": ["x"] * 3},
                   {"type": "state"}):  # fmt: skip
        with pytest.raises(Violation):
            parse_ready(dict(ready, **forged), CONTEXT)

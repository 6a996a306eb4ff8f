"""Preemption points on 3.11: opcode events only on the lines that hold a point
(``_points._line_gate``) reach exactly the points that tracing every opcode reaches."""

from __future__ import annotations

import math
import sys
import threading
from types import SimpleNamespace as NS

import pytest
import seeded

from tutor.interleave import _points
from tutor.interleave._explore import DEFAULT_MAX_STEPS, Session
from tutor.interleave._strategy import Planned

pytestmark = pytest.mark.skipif(sys.version_info >= (3, 12),
                                reason="3.12+ use sys.monitoring, which has no line gate")


def _state():
    return NS(n=0, m=2, a=1, b=2, c=3, flag=False, items=[], d={}, lock=threading.Lock(),
              total=0)


def _one_line_while(s):
    while s.n < 3: s.n += 1  # noqa: E701 - one line on purpose: the backward jump


def _one_line_with(s):
    with s.lock: s.n += 1  # noqa: E701


def _one_line_for(s):
    for i in range(3): s.items.append(i)  # noqa: E701


def _caught_on_the_next_line(s):
    try:
        s.d["k"] += 1
    except KeyError:
        s.d["k"] = s.n


def _generator(s):
    for _ in range(3):
        yield s.n


def _resumed_generator(s):
    s.total = sum(_generator(s)) + s.m


def _multi_line(s):
    s.total = (s.a +
               s.b +
               s.c)


def _comprehension(s):
    s.items = [s.n for _ in range(3)]


def _conditional(s):
    s.total = s.a if s.flag else s.b


def _helper(s):
    return s.a


def _after_a_call(s):
    s.n = _helper(s) + s.m


def _loop_test_then_body(s):
    i = 0
    while i < 3 and s.n >= 0:
        i += 1
        x = i * 2
        y = x + 1
        s.total = y


SHAPES = [_one_line_while, _one_line_with, _one_line_for, _caught_on_the_next_line,
          _resumed_generator, _multi_line, _comprehension, _conditional, _after_a_call,
          _loop_test_then_body]


def _default_run(setup, threads, record: int = 0):
    """The default schedule, traced afresh: (the run, {function name: traced with the gate})."""
    _points._tracer_cache.clear()
    _points._gate_cache.clear()
    try:
        with Session(setup, threads, None, DEFAULT_MAX_STEPS) as session:
            run = session.new_run(Planned(()), math.inf, record=record)
            run.execute(session.setup, session.threads, None)
        gated = {entry[0].co_name: entry[2] for entry in _points._tracer_cache.values()}
    finally:
        _points._tracer_cache.clear()
        _points._gate_cache.clear()
    return run, gated


def _points_hit(setup, threads, gated: bool, monkeypatch) -> list:
    """Every point the default schedule reached, in order: (thread, file, line, label)."""
    if gated:  # on every code object, whether it pays or not
        monkeypatch.setattr(_points, "_gate_pays", lambda code, gate: True)
    else:
        monkeypatch.setattr(_points, "_line_gate", lambda code, points: None)
    run, _ = _default_run(setup, threads, record=10**6)
    return [(entry[0], entry[1], entry[2], entry[3]) for entry in run.ring
            if isinstance(entry[3], str)]


@pytest.mark.parametrize("shape", SHAPES, ids=lambda f: f.__name__)
def test_the_gated_tracer_reaches_every_point(shape, monkeypatch):
    gated = _points_hit(_state, [shape, shape], True, monkeypatch)
    every = _points_hit(_state, [shape, shape], False, monkeypatch)
    assert gated == every
    assert gated, "no point was reached: nothing was compared"


@pytest.mark.parametrize("name", sorted(seeded.BUGGY))
def test_the_gated_tracer_reaches_every_point_of_the_seeded_programs(name, monkeypatch):
    setup, threads, _, _ = seeded.BUGGY[name]
    gated = _points_hit(setup, threads, True, monkeypatch)
    every = _points_hit(setup, threads, False, monkeypatch)
    assert gated == every and gated


def test_a_line_without_a_point_raises_no_opcode_event():
    def plain(s):
        x = 1
        y = x + 2
        s.n = y

    points = _points.points_for(plain.__code__, plain.__globals__)
    lines, last = _points._line_gate(plain.__code__, points)
    assert len(lines) == 1 and len(last) == 1  # only ``s.n = y`` holds a point
    assert plain.__code__.co_firstlineno + 3 in lines


def _spin(s):
    while not s.flag:
        pass


def _gate_pays_on(fn) -> bool:
    code = fn.__code__
    return _points._gate_pays(code, _points._line_gate(code, _points.points_for(
        code, fn.__globals__)))


def _raise_flag(s):
    s.flag = True


def test_the_gate_is_kept_where_it_saves_tracer_calls():
    """A loop of local work around one shared store saves an opcode event per local
    instruction; a one-line spin pays two line events a turn to save one opcode event. The
    tracer follows that choice (its cache: code -> (code, local tracer, gated))."""
    assert _gate_pays_on(_loop_test_then_body)
    assert not _gate_pays_on(_spin)
    _, gated = _default_run(_state, [_spin, _raise_flag, _loop_test_then_body])
    assert gated["_spin"] is False and gated["_loop_test_then_body"] is True, gated


def _increment(s):
    s.n = s.n + 1


def test_code_without_line_numbers_traces_every_opcode():
    """No line event would announce its points: the tracer falls back to every opcode."""
    import types

    from tutor.interleave import InterleavingFailure, explore

    code = _increment.__code__.replace(co_linetable=b"")  # (3.11: no line numbers at all)
    points = _points.points_for(code, _increment.__globals__)
    assert points and _points._line_gate(code, points) is None
    lineless = types.FunctionType(code, _increment.__globals__)
    with pytest.raises(InterleavingFailure) as caught:
        explore(lambda: NS(n=0), [lineless, lineless], lambda s: _check_two(s), seed=0,
                minimize=False)
    assert caught.value.report.schedules <= 3  # the lost update, found by its points


def _check_two(s):
    assert s.n == 2, s.n


def _starts_the_producer(s):
    helper = threading.Thread(target=seeded._producer, args=(s,))  # a thread made by a thread
    helper.start()
    helper.join()


def _consumes_then_raises(s):
    seeded._consumer_while(s)
    raise ValueError("an exception ends the thread")


def test_only_learner_code_and_the_doors_of_the_primitives_are_traced(monkeypatch):
    """The engine's own calls in a controlled thread raise no 'call' event (each costs a
    Python call of the tracer, about 1,500 instructions on 3.11.7): the bookkeeping before and
    after the learner's function runs untraced, and a primitive's method switches tracing off
    at its door (``untraced``), whose own call the tracer still sees. Making a primitive
    (``threading.Thread()`` makes three) stays traced: it is rare, and ``want_controlled``
    reads its caller's frame, which a door would move."""
    import functools
    import os

    import tutor.interleave
    from tutor.interleave import InterleavingFailure, explore

    calls = []
    real = _points._global_tracer

    def spy(frame, event, arg):
        if event == "call":
            calls.append((frame.f_code.co_filename, frame.f_code.co_name))
        return real(frame, event, arg)

    monkeypatch.setattr(_points, "_global_tracer", spy)  # what ``untraced`` switches back on
    monkeypatch.setattr(_points.SettraceBackend, "thread_enter",
                        staticmethod(functools.partial(sys.settrace, spy)))
    with pytest.raises(InterleavingFailure) as caught:
        explore(seeded._mailbox, [_starts_the_producer, _consumes_then_raises,
                                  seeded._consumer_while], None, seed=0, minimize=False)
    assert caught.value.kind == "assertion"  # the ValueError
    engine_dir = os.path.dirname(tutor.interleave.__file__)
    engine = {(os.path.basename(f), name) for f, name in calls if f.startswith(engine_dir)}
    learner = {name for f, name in calls if f in (__file__, seeded.__file__)}
    making = {("_locks.py", "__new__"), ("_locks.py", "__init__"), ("_sync.py", "__new__"),
              ("_sync.py", "__init__"), ("_hybrid.py", "want_controlled")}
    assert ("_points.py", "wrapper") in engine
    assert engine - making == {("_points.py", "wrapper")}, engine
    assert {"_starts_the_producer", "_producer", "_consumer_while"} <= learner, learner

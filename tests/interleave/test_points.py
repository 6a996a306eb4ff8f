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


def _points_hit(setup, threads, gated: bool, monkeypatch) -> list:
    """Every point the default schedule reached, in order: (thread, file, line, label)."""
    if not gated:
        monkeypatch.setattr(_points, "_line_gate", lambda code, points: None)
    _points._tracer_cache.clear()
    try:
        with Session(setup, threads, None, DEFAULT_MAX_STEPS) as session:
            run = session.new_run(Planned(()), math.inf, record=10**6)
            run.execute(session.setup, session.threads, None)
    finally:
        _points._tracer_cache.clear()
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

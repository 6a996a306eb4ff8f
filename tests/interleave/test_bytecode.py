"""Values as the timeline and the explanations show them (``_bytecode.short_repr``)."""

from __future__ import annotations

import os
import subprocess
import sys

from tutor.interleave._bytecode import short_repr


def test_sets_read_the_same_in_every_interpreter_start():
    # a set's own order follows string hashing, which PYTHONHASHSEED changes per start
    code = "from tutor.interleave._bytecode import short_repr; print(short_repr({'/', '/new', '/a'}, 40))"
    seen = set()
    for seed in ("1", "2", "3", "4"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        seen.add(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                                text=True, check=True).stdout.strip())
    assert seen == {"{'/', '/a', '/new'}"}


def test_empty_and_frozen_sets_and_other_values():
    assert short_repr(set()) == "set()"
    assert short_repr(frozenset({2, 1})) == "frozenset({1, 2})"
    assert short_repr([3, 1]) == "[3, 1]"  # lists keep their order
    assert short_repr(set(range(20))) == "<set of 20>"
    assert short_repr("x" * 40, 10) == "'xxxxxxxx\u2026"


def _exit_callees(fn) -> list:
    """The callee of every ``__exit__`` call of ``fn``'s ``with`` blocks, as analysed."""
    import dis

    from tutor.interleave._bytecode import analyze

    accesses = analyze(fn.__code__)
    out = []
    for ins in dis.get_instructions(fn):
        access = accesses.get(ins.offset)
        # ``__exit__(None, None, None)``: two arguments on 3.11-3.13 (with a self slot)
        if access is not None and access.op == "call" and len(access.args) >= 2 and all(
                arg == ("const", None) for arg in access.args):
            out.append(access.target)
    return out


def test_the_exit_of_every_with_block_is_known_after_jumps_and_handlers():
    def nested(self):
        with self.left:
            with self.right:
                self.n += 1

    def ends_in_an_if(self, k):
        with self.lock:
            if k:
                self.n = k

    def ends_in_a_loop(self):
        with self.lock:
            for _ in range(2):
                self.n += 1

    assert _exit_callees(nested) == [("attr", ("attr", ("local", "self"), "right"), "__exit__"),
                                     ("attr", ("attr", ("local", "self"), "left"), "__exit__")]
    lock_exit = ("attr", ("attr", ("local", "self"), "lock"), "__exit__")
    assert _exit_callees(ends_in_an_if) == [lock_exit]
    assert _exit_callees(ends_in_a_loop) == [lock_exit]


def test_tests_and_loops_of_a_container_read_what_it_holds():
    from tutor.interleave._bytecode import analyze

    def shapes(self):
        if self.todo:
            pass
        for x in self.items:
            self.n = x
        a, b = self.pair
        return self.left == self.right

    contents = sorted(access.target[1][2] for access in analyze(shapes.__code__).values()
                      if access.target is not None and access.target[0] == "contents")
    assert contents == ["items", "left", "pair", "todo"]  # right: the comparison's other side

    def extend(self):
        self.items += [1]  # in place: the list's entries change

    ops = [access.op for access in analyze(extend.__code__).values()
           if access.target is not None and access.target[0] == "contents"]
    assert ops == ["write"]


def test_each_code_object_is_analysed_once(monkeypatch):
    """``explore`` calls ``analyze`` for every learner function in every call; the work is
    done once per code object (a millisecond or so for a small function)."""
    from tutor.interleave import _bytecode

    calls = []
    stacks = _bytecode._stacks

    def counted(*args):
        calls.append(args)
        return stacks(*args)

    monkeypatch.setattr(_bytecode, "_stacks", counted)
    source = "def f(s):\n    with s.lock:\n        if s.items:\n            s.n += 1\n"
    code = compile(source, "learner.py", "exec").co_consts[0]
    first = _bytecode.analyze(code)
    assert _bytecode.analyze(code) is first
    assert _bytecode.instructions_of(code)[0].opname == next(iter(
        __import__("dis").get_instructions(code))).opname
    assert len(calls) == 1
    # the same text compiled again is another code object: analysed on its own, alike
    twin = compile(source, "learner.py", "exec").co_consts[0]
    again = _bytecode.analyze(twin)
    assert len(calls) == 2
    assert _fields(again) == _fields(first) and first
    # an entry under the id of a code object that is not the one asked about is not used
    monkeypatch.setitem(_bytecode._analysed, id(code), (twin, (), {}))
    assert _fields(_bytecode.analyze(code)) == _fields(first) and len(calls) == 3


def _fields(accesses) -> dict:
    return {offset: (a.op, a.target, a.args, a.label) for offset, a in accesses.items()}


def test_the_oldest_analyses_go_when_the_limit_is_reached(monkeypatch):
    from tutor.interleave import _bytecode

    monkeypatch.setattr(_bytecode, "_analysed", {})
    monkeypatch.setattr(_bytecode, "_ANALYSED_MAX", 8)
    codes = [compile(f"def f{i}(s):\n    s.n = {i}\n", "learner.py", "exec").co_consts[0]
             for i in range(9)]
    for code in codes:
        _bytecode.analyze(code)
    kept = {entry[0] for entry in _bytecode._analysed.values()}
    assert kept == set(codes[4:])  # the first half went when the ninth came
    assert _bytecode.instructions_of(codes[-1])[-1].opname.startswith("RETURN")

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

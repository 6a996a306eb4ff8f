"""Naming objects as the learner's code names them: ``s.accounts[0].lock``, ``mine``, ``a``.

A path from the shared state comes first (it is the same whichever thread looks, so both
threads of a symmetric ``transfer(src, dst)`` name a lock alike), then a local or attribute in
the blocked frames, then a module global, then where the object was created.
"""

from __future__ import annotations

import os
import sys

from ._runtime import learner_frame
from ._types import SLEEP, ThreadState


def _scan(root, prefix: str, obj, depth: int):
    """A dotted/indexed path from ``root`` to ``obj`` (depth-limited), or None."""
    if root is obj:
        return prefix
    if depth == 0:
        return None
    items = ()
    if isinstance(root, dict):
        items = [(f"{prefix}[{k!r}]", v) for k, v in list(root.items())[:50]]
    elif isinstance(root, (list, tuple)):
        items = [(f"{prefix}[{i}]", v) for i, v in enumerate(root[:50])]
    elif hasattr(root, "__dict__") and not isinstance(root, type) and not callable(root):
        try:
            items = [(f"{prefix}.{k}", v) for k, v in vars(root).items() if not k.startswith("__")]
        except TypeError:
            items = ()
    for name, value in items:
        if value is obj:
            return name
    for name, value in items:
        if isinstance(value, (dict, list, tuple)) or (
            hasattr(value, "__dict__") and not isinstance(value, type) and not callable(value)
            and not type(value).__module__.startswith(("threading", "tutor.interleave"))
        ):
            found = _scan(value, name, obj, depth - 1)
            if found:
                return found
    return None


def name_of(run, obj) -> str:
    """How the learner would refer to ``obj``: a local, an attribute, a state field..."""
    cache = run.__dict__.setdefault("_names", {})
    key = id(obj)
    if key in cache:
        return cache[key]
    name = None
    frames = sys._current_frames()
    if run.state is not None:
        # A path from the shared state is the same whichever thread looks at it: in a
        # symmetric transfer(src, dst) the lock T2 holds is its `src.lock` but T1's `dst.lock`.
        name = _scan(run.state, _state_name(run), obj, 3)
    for ts in run.threads if name is None else ():
        if ts.worker is None:
            continue
        frame = learner_frame(frames.get(ts.worker.ident))
        while frame is not None and name is None:
            for local, value in frame.f_locals.items():
                name = _scan(value, local, obj, 1)
                if name:
                    break
            frame = learner_frame(frame.f_back)
        if name:
            break
    if name is None:
        name = _global_name(run, obj, frames)
    if name is None:
        site = getattr(obj, "_created", None)
        name = f"created at {os.path.basename(site[0])}:{site[1]}" if site else "(unnamed)"
    cache[key] = name
    return name


def _state_name(run) -> str:
    """What the threads call the state: their common first parameter's name, else ``state``."""
    names = set()
    for ts in run.threads:
        code = getattr(ts.fn, "__code__", None)
        first = 1 if hasattr(ts.fn, "__self__") else 0  # a bound method: skip `self`
        if code is None or code.co_argcount <= first or ts.args != (run.state,):
            continue
        names.add(code.co_varnames[first])
    return names.pop() if len(names) == 1 else "state"


def _global_name(run, obj, frames):
    """A module-level name (or one attribute below it) in the modules of the threads' code."""
    seen = set()
    for ts in run.threads:
        frame = learner_frame(frames.get(ts.worker.ident)) if ts.worker is not None else None
        g = frame.f_globals if frame is not None else getattr(ts.fn, "__globals__", None)
        if g is None or id(g) in seen:
            continue
        seen.add(id(g))
        for key, value in list(g.items()):
            if value is obj:
                return key
        for key, value in list(g.items()):
            if key.startswith("__") or callable(value) and not isinstance(value, type):
                continue
            attrs = getattr(value, "__dict__", None)
            if isinstance(attrs, (dict, type(type.__dict__))):
                for attr, inner in list(attrs.items()):
                    if inner is obj:
                        return f"{key}.{attr}"
    return None


def describe(run, obj) -> str:
    """``Lock s.a``, ``Condition s.cond``, ``thread T2``, ``sleep``."""
    if obj is SLEEP:
        return "sleep"
    if isinstance(obj, ThreadState):
        return f"thread {obj.name}"
    condition = getattr(obj, "__dict__", {}).get("_condition")
    if condition is not None:  # the lock a Condition made for itself
        obj = condition
    kind = getattr(obj, "kind", type(obj).__name__)
    return f"{kind} {name_of(run, obj)}"


def event_text(run, event, short: bool = False) -> str:
    """``acquire Lock s.b``; ``short``: ``acquire s.b`` (timeline cells are narrow)."""
    if isinstance(event, str):
        return event
    verb, obj = event
    if verb == "sleep":
        return f"sleep({obj:g})"
    if verb == "start":
        return f"start {obj.name}"
    text = describe(run, obj)
    if short and " " in text and not text.startswith(("thread ", "created at", "(unnamed)")):
        text = text.split(" ", 1)[1]
    return f"{verb} {text}"


def site_text(site) -> str:
    return f"{os.path.basename(site[0])}:{site[1]}" if site else "?"


def where(run, ts) -> str:
    frame = learner_frame(sys._current_frames().get(ts.worker.ident))
    if frame is None:
        return "?"
    return f"{os.path.basename(frame.f_code.co_filename)}:{frame.f_lineno}"


def where_current(ts) -> str:
    frame = learner_frame(sys._getframe(1))
    if frame is None:
        return "?"
    return f"{os.path.basename(frame.f_code.co_filename)}:{frame.f_lineno}"

"""Preemption points: where, inside learner code, the scheduler may switch threads.

A point sits *before* an instruction that can touch shared state (attribute, global,
subscript and closure-cell loads and stores, calls). Purely local instructions are skipped:
switching there cannot change what any thread observes, and skipping them shrinks the
search space. ``set_point_mode("all")`` makes every instruction a point (for measurement).

Two backends deliver the points: ``sys.settrace`` with ``f_trace_opcodes`` on 3.11, and
``sys.monitoring`` (PEP 669) on 3.12+, where settrace across threads is both slower and
crashed CPython 3.12.1 in a prototype.
"""

from __future__ import annotations

import builtins
import functools
import sys
import types

from ._bytecode import Access, analyze, instructions_of, nameable, text
from ._runtime import ACTIVE, get_ident, is_learner_file

_SHARED_OPS = frozenset(
    {
        "LOAD_ATTR", "STORE_ATTR", "DELETE_ATTR", "LOAD_SUPER_ATTR",
        "LOAD_GLOBAL", "STORE_GLOBAL", "DELETE_GLOBAL",
        "LOAD_NAME", "STORE_NAME", "DELETE_NAME",
        "BINARY_SUBSCR", "STORE_SUBSCR", "DELETE_SUBSCR", "BINARY_SLICE", "STORE_SLICE",
        "LOAD_DEREF", "STORE_DEREF", "DELETE_DEREF", "LOAD_CLASSDEREF",
        "LOAD_FROM_DICT_OR_DEREF", "LOAD_FROM_DICT_OR_GLOBALS",
        "CALL", "CALL_FUNCTION_EX", "CALL_KW", "CONTAINS_OP",
    }
)
# Builtins a learner is unlikely to rebind as shared state: loading them is not a point.
_STATIC_BUILTINS = frozenset(
    name for name in dir(builtins)
    if name not in {"sum", "max", "min", "id", "next", "iter", "input", "open", "vars", "hash"}
)
_STATIC_TYPES = (types.ModuleType, type, types.FunctionType, types.BuiltinFunctionType)

_mode = {"points": "shared"}
#: attribute / global names the learner's code assigns; None = unknown, every load is a point
_assigned: dict[str, frozenset | None] = {"attrs": None, "globals": None}
_cache: dict[int, tuple[types.CodeType, dict[int, int]]] = {}


def set_point_mode(mode: str) -> None:
    """``"shared"`` (default): points before shared-state instructions; ``"all"``: every one."""
    if mode not in ("shared", "all"):
        raise ValueError(f"unknown point mode {mode!r}")
    _mode["points"] = mode
    _cache.clear()
    _tracer_cache.clear()
    _gate_cache.clear()


def point_mode() -> str:
    return _mode["points"]


def set_assigned_names(attrs: frozenset | None, globs: frozenset | None) -> None:
    """Loads of names nobody assigns are not points (see ``_stores``); None: all are."""
    if (_assigned["attrs"], _assigned["globals"]) != (attrs, globs):
        _assigned["attrs"] = attrs
        _assigned["globals"] = globs
        _cache.clear()
        _tracer_cache.clear()


def _is_method_load(ins) -> bool:
    if ins.opname == "LOAD_METHOD":
        return True
    return ins.opname == "LOAD_ATTR" and sys.version_info >= (3, 12) and bool(ins.arg & 1)


def is_subscript_read(ins) -> bool:
    """``x[k]``: BINARY_SUBSCR up to 3.13, ``BINARY_OP 26`` ([]) from 3.14."""
    return ins.opname in ("BINARY_SUBSCR", "BINARY_SLICE") or (
        ins.opname == "BINARY_OP" and ins.argrepr == "[]")


#: builtins that read the container they are given: ``len(self.items)`` is a point
READERS = frozenset({"len", "sorted", "list", "tuple", "set", "frozenset", "dict", "sum", "min",
                     "max", "any", "all", "iter", "next", "enumerate", "zip", "reversed",
                     "bool"})  # fmt: skip


def _static_callee(callee, f_globals) -> bool:
    """A builtin, a module-level function or class, a function of a module: not a point."""
    if callee is None:
        return False
    if callee[0] == "global":
        name = callee[1]
        if name in f_globals:
            return isinstance(f_globals[name], _STATIC_TYPES)
        return name in _STATIC_BUILTINS
    if callee[0] == "attr" and callee[1] is not None and callee[1][0] == "global":
        return isinstance(f_globals.get(callee[1][1]), types.ModuleType)
    return False


def _is_reader(callee) -> bool:
    return callee[0] == "global" and callee[1] in READERS


#: builtin functions that only read what they are given
_READ_ONLY = READERS | frozenset({"print", "repr", "format", "ascii", "isinstance", "issubclass",
                                  "callable", "id", "hash", "abs", "round", "divmod", "pow"})
_PASSED = frozenset({"attr", "global", "item", "deref", "local"})
_ATTRIBUTE_BUILTINS = frozenset({"getattr", "setattr", "delattr", "hasattr"})


def _foreign_call(access: Access, f_globals: dict) -> Access | None:
    """``heapq.heappush(self.heap, job)``, ``bisect.insort(items, x)``: a function that is not
    learner code (C, or the standard library: no points of its own) given a value that may be
    shared. The point reads, or for all we know changes, what each such argument holds (None:
    no such argument, or the callee is a class or learner code, which have points of their
    own)."""
    callee = access.target
    if callee[0] == "global" and callee[1] in _ATTRIBUTE_BUILTINS and (
            callee[1] not in f_globals) and len(access.args) >= 2:
        # ``setattr(self, name, v)``: the attribute it names, read or written
        op = "read" if callee[1] in ("getattr", "hasattr") else "write"
        name = access.args[1]
        shown = name[1] if name is not None and name[0] == "const" else f"<{text(name)}>"
        return Access(op, ("dynattr", access.args[0], name), (),
                      label=f"{op} {text(access.args[0])}.{shown}")
    if callee[0] == "global":
        fn = f_globals.get(callee[1], getattr(builtins, callee[1], None))
    else:
        # the module's own namespace: ``getattr`` would run a learner module's ``__getattr__``
        fn = vars(f_globals[callee[1][1]]).get(callee[2])
    if not isinstance(fn, (types.BuiltinFunctionType, types.FunctionType)):
        return None  # a class (its __init__ has points, or it reads: READERS) or unknown
    code = getattr(fn, "__code__", None)
    if code is not None and is_learner_file(code.co_filename):
        return None
    passed = [arg for arg in access.args if arg is not None and arg[0] in _PASSED
              and nameable(arg)]
    if not passed:
        return None
    reads = callee[0] == "global" and callee[1] in _READ_ONLY and fn is getattr(
        builtins, callee[1], None)
    return Access("read" if reads else "write", ("contents", passed[0]), tuple(passed[1:]),
                  label=f"call {text(callee)}")


def points_for(code: types.CodeType, f_globals: dict) -> dict[int, tuple]:
    """Map offset -> (line, label, may write, Access or None) of ``code``'s points (cached)."""
    entry = _cache.get(id(code))
    if entry is not None and entry[0] is code:
        return entry[1]
    points: dict[int, tuple[int, str, bool]] = {}
    everything = _mode["points"] == "all"
    skip_next_attr = False
    accesses = analyze(code)
    for ins in instructions_of(code):
        line = ins.line
        access = accesses.get(ins.offset)
        label = access.label if access is not None else ""
        if everything:
            if ins.opname not in ("RESUME", "CACHE", "NOP", "EXTENDED_ARG"):
                points[ins.offset] = (line, label, not label.startswith("read"), access)
            continue
        name = ins.opname
        if access is not None and access.op == "call":
            if _static_callee(access.target, f_globals):
                arg = access.args[0] if access.args else None
                if not (_is_reader(access.target) and arg is not None and arg[0] != "const"):
                    foreign = _foreign_call(access, f_globals)
                    if foreign is not None and name in _SHARED_OPS:
                        points[ins.offset] = (line, foreign.label, foreign.op != "read",
                                              foreign)
                    continue  # a builtin, a module function or a class: its own code decides
                label = f"read {text(arg)}"  # len(self.items): reads the container
            if name not in _SHARED_OPS:
                continue  # BEFORE_WITH's __enter__: the primitive has its own point
            points[ins.offset] = (line, label, not label.startswith("read"), access)
            continue
        if access is not None and access.target is not None and access.target[0] == "contents":
            # ``if self.todo:``: the test reads the list, which another thread may change
            points[ins.offset] = (line, label, access.op != "read", access)
            continue
        if skip_next_attr and name in ("LOAD_ATTR", "LOAD_METHOD"):
            skip_next_attr = False
            continue
        skip_next_attr = False
        if _is_method_load(ins):
            continue
        if name not in _SHARED_OPS and not is_subscript_read(ins):
            continue
        if name == "LOAD_ATTR" and _assigned["attrs"] is not None and (
                ins.argval not in _assigned["attrs"]):
            continue  # an attribute only ever set in a constructor: its value cannot race
        if name in ("LOAD_GLOBAL", "LOAD_NAME"):
            target = ins.argval
            static = False
            if target in f_globals:
                value = f_globals[target]
                static = isinstance(value, _STATIC_TYPES)
                skip_next_attr = static and isinstance(value, types.ModuleType)
            else:
                static = target in _STATIC_BUILTINS
            if static:
                continue
            if _assigned["globals"] is not None and target not in _assigned["globals"]:
                continue  # a global never rebound (``global x`` nowhere): its value is fixed
        points[ins.offset] = (line, label, not label.startswith("read"), access)
    _cache[id(code)] = (code, points)
    return points


# --- 3.11: sys.settrace with per-opcode events, set inside each controlled thread ----------

_tracer_cache: dict[int, tuple[types.CodeType, object, bool]] = {}


def _line_gate(code: types.CodeType, points: dict) -> tuple[frozenset, frozenset] | None:
    """(the lines that hold a point, the offset of the last point of each), or None to trace
    every opcode of ``code``: a point on an instruction without a line, which no line event
    announces.

    3.11 calls the tracer for every opcode of a frame whose ``f_trace_opcodes`` is set (a
    Python call each, about 1,300 instructions on 3.11.7), and most opcodes are not points.
    So opcodes are traced only on lines that hold a point: each line event (the line
    changed, or a jump went backwards) switches them on or off, before the opcode event of
    the same instruction is decided (``maybe_call_line_trace`` in 3.11's ceval.c reads
    ``f_trace_opcodes`` after the line event). Past the last point of a line they go off
    again: going back to an earlier point of the same line is a backward jump, which raises
    a line event; going forward stays below that last offset or leaves the line.
    """
    line_of = _lines_of(code)
    last: dict[int, int] = {}
    for offset in points:
        line = line_of.get(offset)
        if line is None:
            return None
        if offset > last.get(line, -1):
            last[line] = offset
    return frozenset(last), frozenset(last.values())


def _lines_of(code: types.CodeType) -> dict[int, int]:
    """offset -> the line a line event announces there (``co_lines``)."""
    line_of = {}
    for start, end, line in code.co_lines():
        for offset in range(start, end, 2):
            line_of[offset] = line
    return line_of


#: how many times more an instruction inside a loop counts than one outside it, when
#: weighing the gate (a guess of how often a loop turns: it only chooses between two ways of
#: tracing that reach the same points)
_LOOP_WEIGHT = 10


def _gate_pays(code: types.CodeType, gate: tuple[frozenset, frozenset]) -> bool:
    """Does the line gate make fewer tracer calls on ``code`` than tracing every opcode?

    The gate adds a line event wherever a line starts or a loop goes round, and saves the
    opcode events after a line's last point (all of those of a line without one). Counted
    over the instructions in order, those inside a loop (from a backward jump's target to
    the jump) weighing ``_LOOP_WEIGHT``: a one-line spin such as ``while not s.ready: pass``
    pays two line events per turn to save one opcode event, and is better traced whole.
    """
    lines, last = gate
    line_of = _lines_of(code)
    ops = instructions_of(code)
    loops = [(op.argval, op.offset) for op in ops if "JUMP_BACKWARD" in op.opname]
    targets = {start for start, _ in loops}
    gated = every = 0
    line = None
    traced = False
    for op in ops:
        weight = _LOOP_WEIGHT if any(a <= op.offset <= b for a, b in loops) else 1
        every += weight
        if line_of.get(op.offset) != line or op.offset in targets:
            line = line_of.get(op.offset)
            traced = line in lines
            gated += weight  # the line event
        if traced:
            gated += weight
            traced = op.offset not in last
    return gated < every


#: code id -> (code, the offsets of its points, the gate or None): the same points give the
#: same gate, and the tracers are made again at each ``explore`` (the points may change),
#: where working the gate out took some 50 µs per code object
_gate_cache: dict[int, tuple[types.CodeType, frozenset, tuple | None]] = {}
_GATE_CACHE_MAX = 4096


def _gate_for(code: types.CodeType, points: dict) -> tuple[frozenset, frozenset] | None:
    """The line gate to trace ``code`` with, or None to trace every opcode of it."""
    entry = _gate_cache.get(id(code))
    if entry is not None and entry[0] is code and entry[1] == points.keys():
        return entry[2]
    gate = _line_gate(code, points)
    if gate is not None and not _gate_pays(code, gate):
        gate = None
    if len(_gate_cache) >= _GATE_CACHE_MAX:  # a long-lived process that ran a lot of code
        _gate_cache.clear()
    _gate_cache[id(code)] = (code, frozenset(points), gate)
    return gate


def _make_local_tracer(points: dict[int, tuple], gate: tuple[frozenset, frozenset] | None):
    # ungated (``gate`` None): its frames get no line events (``_global_tracer``) and no
    # offset is a line's last point, so every opcode stays traced
    lines, last = gate if gate is not None else (frozenset(), frozenset())

    def local(frame, event, arg):
        if event == "opcode":
            offset = frame.f_lasti
            where = points.get(offset)
            if where is not None:
                if offset in last:
                    frame.f_trace_opcodes = False
                run = ACTIVE.run
                if run is not None and run.current_ident == get_ident():
                    run.point(frame.f_code, where)
        elif event == "line":
            frame.f_trace_opcodes = frame.f_lineno in lines
        return local

    return local


def _global_tracer(frame, event, arg):
    code = frame.f_code
    entry = _tracer_cache.get(id(code))
    if entry is None or entry[0] is not code:
        local = None
        gate = None
        if is_learner_file(code.co_filename):
            points = points_for(code, frame.f_globals)
            if points:
                gate = _gate_for(code, points)
                local = _make_local_tracer(points, gate)
        entry = (code, local, gate is not None)
        _tracer_cache[id(code)] = entry
    local = entry[1]
    if local is not None:
        # a frame starting or resuming: every opcode until its first line event says
        frame.f_trace_lines = entry[2]
        frame.f_trace_opcodes = True
    return local


def untraced(method):
    """Run ``method`` with tracing off when called from a traced controlled thread (3.11).

    With ``sys.settrace`` every Python call made inside the engine's own primitives raises a
    'call' event (~1 µs each, a dozen per lock operation); switching tracing off for the
    duration costs one pair of ``settrace`` calls instead. The learner frame's own tracer is
    untouched, so its preemption points resume right after. No-op on 3.12+.
    """
    if sys.version_info >= (3, 12):
        return method
    gettrace = sys.gettrace
    settrace = sys.settrace

    def wrapper(*args, **kwargs):
        if gettrace() is _global_tracer:
            settrace(None)
            try:
                return method(*args, **kwargs)
            finally:
                settrace(_global_tracer)
        return method(*args, **kwargs)

    wrapper.__name__ = method.__name__
    wrapper.__qualname__ = method.__qualname__
    wrapper.__doc__ = method.__doc__
    wrapper.__wrapped__ = method
    return wrapper


class SettraceBackend:
    """Per-thread tracing: each controlled worker thread installs the tracer itself."""

    name = "settrace"

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass

    # C callables, not methods: ``thread_exit`` runs while the thread is traced, and a call
    # of a Python function there would raise a 'call' event of its own
    thread_enter = staticmethod(functools.partial(sys.settrace, _global_tracer))
    thread_exit = staticmethod(functools.partial(sys.settrace, None))

    def refresh(self) -> None:
        """Points changed: local tracers are recomputed as frames start (caches were cleared)."""


# --- 3.12+: sys.monitoring, INSTRUCTION events on learner code objects only ----------------


class MonitoringBackend:
    """PEP 669 monitoring; uninteresting offsets are disabled for good after their first hit."""

    name = "sys.monitoring"

    def __init__(self) -> None:
        self.tool: int | None = None
        self.enabled: list[types.CodeType] = []

    def start(self) -> None:
        mon = sys.monitoring
        for tool in (3, 4, 2, 0, 1, 5):
            if mon.get_tool(tool) is None:
                break
        else:
            raise RuntimeError("tutor.interleave: every sys.monitoring tool id is in use")
        mon.use_tool_id(tool, "tutor.interleave")
        self.tool = tool
        mon.register_callback(tool, mon.events.PY_START, self._on_start)
        mon.register_callback(tool, mon.events.INSTRUCTION, self._on_instruction)
        mon.restart_events()
        mon.set_events(tool, mon.events.PY_START)

    def stop(self) -> None:
        if self.tool is None:
            return
        mon = sys.monitoring
        tool, self.tool = self.tool, None
        try:
            mon.set_events(tool, 0)
            for code in self.enabled:
                mon.set_local_events(tool, code, 0)
            mon.register_callback(tool, mon.events.PY_START, None)
            mon.register_callback(tool, mon.events.INSTRUCTION, None)
        finally:
            self.enabled.clear()
            mon.free_tool_id(tool)

    def thread_enter(self) -> None:
        pass

    def thread_exit(self) -> None:
        pass

    def refresh(self) -> None:
        """Points changed: offsets disabled under the old points must be looked at again."""
        if self.tool is not None:
            sys.monitoring.restart_events()

    def _on_start(self, code, offset):
        mon = sys.monitoring
        if self.tool is not None and is_learner_file(code.co_filename):
            points = points_for(code, sys._getframe(1).f_globals)
            if points:
                mon.set_local_events(self.tool, code, mon.events.INSTRUCTION)
                self.enabled.append(code)
        return mon.DISABLE

    def _on_instruction(self, code, offset):
        entry = _cache.get(id(code))
        if entry is None or entry[0] is not code:  # points were recomputed: this code again
            points = points_for(code, sys._getframe(1).f_globals)
        else:
            points = entry[1]
        where = points.get(offset)
        if where is None:
            return sys.monitoring.DISABLE
        run = ACTIVE.run
        if run is not None and run.current_ident == get_ident():
            run.point(code, where)
        return None


#: the interpreter hooks whose setting CPython (3.12-3.15) lets wipe the monitoring of the code
#: that is running when they are set or removed (see ``keeping_points``)
HOOK_SETTERS = ("setprofile", "settrace", "_setprofileallthreads", "_settraceallthreads")


def keeping_points(real):
    """``sys.setprofile`` and friends, as learner code or a hidden test calls them under
    ``explore`` on 3.12+. Setting or removing a profile or trace function drops the
    INSTRUCTION events of every code object running at that moment (seen on 3.12.1, 3.13.0
    and 3.15.2; ``sys.monitoring.get_local_events`` still reports them set): the functions on
    the stack lost their preemption points, for the rest of the schedule and every later
    call, so a race in them could go unseen, and later schedules did not replay the first
    (spin-under-lock's hidden tests count calls with ``sys.setprofile``: never proved on
    3.12+). Restarting the events puts them back at once."""

    @functools.wraps(real)
    def setter(*args, **kwargs):
        result = real(*args, **kwargs)
        if ACTIVE.run is not None:
            sys.monitoring.restart_events()
        return result

    return setter


def make_backend():
    """The cheapest safe backend for this interpreter."""
    # ``points_for`` needs ``dis``. Imported lazily there, it could first be imported while the
    # backend is live, and ``dis``'s own import runs code (``eval`` in namedtuple, "<string>")
    # that reaches ``points_for`` with ``dis`` half-initialised (seen on 3.12 and 3.13).
    import dis  # noqa: F401
    if sys.version_info >= (3, 12):
        return MonitoringBackend()
    return SettraceBackend()

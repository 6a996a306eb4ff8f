"""What each instruction of learner code touches, read off the bytecode once per code object.

An abstract interpretation of the value stack: each slot holds an *expression* (``s``,
``self.items``, ``d[k]``, or None when unknown) instead of a value, so that for an instruction
that touches shared state we know, before it runs, *what* it touches as the learner's code
names it (``self.sold``), and how to find that object in the running frame (``resolve``).
Timelines use the text; the replay of a failing schedule reads the values through it; the
partial-order reduction compares the objects.

Expressions are tuples: ``("local", name)``, ``("global", name)``, ``("deref", name)``,
``("const", value)``, ``("attr", base, name)``, ``("item", base, key)``,
``("method", base, name)`` (a bound-method load), ``("call", callee)``, ``("null",)``;
an access's target may also be ``("contents", expr)``: what a truth test, a loop, an unpacking,
a comparison or a format reads of a container it did not load itself at that point (``if
self.todo:``, ``for x in self.items:``), since loading an attribute nobody reassigns is no
point of its own (see ``_points``).
Stack depths come from a walk of the control-flow graph (``dis.stack_effect``), so that the
slots after a jump or in an exception handler are known to be unknown rather than wrong.
Covers the bytecode of CPython 3.11 to 3.15; an instruction it does not model leaves every slot
unknown, which only makes names vaguer and the reduction more cautious.
"""

from __future__ import annotations

import dis
import sys
import types

NULL = ("null",)

# Instructions after which control never falls through to the next one.
_TERMINATORS = frozenset({
    "JUMP_FORWARD", "JUMP_BACKWARD", "JUMP_BACKWARD_NO_INTERRUPT", "JUMP", "JUMP_NO_INTERRUPT",
    "RETURN_VALUE", "RETURN_CONST", "RAISE_VARARGS", "RERAISE",
})  # fmt: skip
_JUMPS = frozenset(getattr(dis, "hasjump", ())) | frozenset(dis.hasjrel) | frozenset(dis.hasjabs)


class Access:
    """What one instruction touches: ``op`` is read/write/delete/contains/call, ``target`` an
    expression (for a call: the callee), ``args`` the call's argument expressions."""

    __slots__ = ("op", "target", "args", "label")

    def __init__(self, op: str, target, args=(), label: str = "") -> None:
        self.op = op
        self.target = target
        self.args = args
        self.label = label

    def __repr__(self) -> str:
        return f"Access({self.op!r}, {text(self.target)!r})"


def text(expr) -> str:
    """The expression as the learner's code writes it (``self.items[i]``), or ``?``."""
    if expr is None:
        return "?"
    kind = expr[0]
    if expr == ("local", ".0"):  # a comprehension's hidden argument: its iterator
        return "the iterable"
    if kind in ("local", "global", "deref"):
        return str(expr[1])
    if kind == "const":
        return repr(expr[1])
    if kind in ("attr", "method"):
        return f"{text(expr[1])}.{expr[2]}"
    if kind == "item":
        return f"{text(expr[1])}[{text(expr[2])}]"
    if kind == "call":
        return f"{text(expr[1])}()"
    if kind == "contents":
        return text(expr[1])
    return "?"


def _label(access: Access) -> str:
    op, target = access.op, access.target
    if op == "call" or target is None:
        return {"read": "read item", "write": "write item", "delete": "delete item",
                "contains": "test membership"}.get(op, "")  # fmt: skip
    name = text(target)
    if target[0] == "item" and target[1] is None:
        name = "item"
    elif target[0] == "attr" and target[1] is None:
        name = f".{target[2]}"
    if op == "contains":
        return f"test {text(target[2])} in {text(target[1])}"
    return f"{op} {name}"


# --- stack depths ------------------------------------------------------------------------------


def _arg(ins):
    return ins.arg if ins.opcode >= dis.HAVE_ARGUMENT else None


def _effect(ins, jump: bool) -> int | None:
    if ins.opname == "RETURN_GENERATOR":
        return 1  # what the generator is first resumed with (3.11 and 3.12's ``dis`` say 0)
    try:
        return dis.stack_effect(ins.opcode, _arg(ins), jump=jump)
    except (ValueError, TypeError):
        return None


def _depths(instructions, entries) -> dict[int, int]:
    """Stack depth before each reachable instruction (offset -> depth)."""
    at = {ins.offset: i for i, ins in enumerate(instructions)}
    depth: dict[int, int] = {}
    work: list[tuple[int, int]] = [(0, 0)]
    for entry in entries:
        work.append((entry.target, entry.depth + (1 if entry.lasti else 0) + 1))
    while work:
        offset, d = work.pop()
        i = at.get(offset)
        while i is not None and offset not in depth:
            depth[offset] = d
            ins = instructions[i]
            if ins.opcode in _JUMPS and isinstance(ins.argval, int):
                jumped = _effect(ins, True)
                if jumped is not None and ins.argval not in depth:
                    work.append((ins.argval, d + jumped))
            if ins.opname in _TERMINATORS:
                break
            after = _effect(ins, False)
            if after is None:
                break
            d += after
            i += 1
            offset = instructions[i].offset if i < len(instructions) else None
            if offset is None:
                break
    return depth


# --- the abstract stack ------------------------------------------------------------------------


def _pop(stack, n=1):
    out = []
    for _ in range(n):
        out.append(stack.pop() if stack else None)
    out.reverse()
    return out


#: id(code) -> (code, its instructions, what they touch): a code object's bytecode never
#: changes, and each ``explore`` call would otherwise analyse the same functions again (about
#: a millisecond each). The code object is kept so that its id cannot be reused. About 6 KB
#: per code object; past the limit the oldest half goes.
_analysed: dict[int, tuple[types.CodeType, tuple, dict[int, Access]]] = {}
_ANALYSED_MAX = 2048


class Op:
    """What the preemption points need of an instruction (a ``dis.Instruction`` weighs
    several times more, and one is kept per instruction of every code object analysed)."""

    __slots__ = ("offset", "opname", "arg", "argval", "argrepr", "line")

    def __init__(self, ins, first_line: int) -> None:
        self.offset = ins.offset
        self.opname = ins.opname
        self.arg = ins.arg
        self.argval = ins.argval
        self.argrepr = ins.argrepr if ins.opname == "BINARY_OP" else ""
        positions = ins.positions
        self.line = positions.lineno if positions and positions.lineno else first_line


def instructions_of(code: types.CodeType) -> tuple[Op, ...]:
    """The instructions of ``code``, as far as the points need them (once per code object)."""
    return _analysis(code)[1]


def analyze(code: types.CodeType) -> dict[int, Access]:
    """offset -> Access for every instruction that touches something outside the frame.

    Read-only: the result is shared by every caller (it is worked out once per code object).
    """
    return _analysis(code)[2]


def _analysis(code: types.CodeType) -> tuple[types.CodeType, tuple, dict[int, Access]]:
    entry = _analysed.get(id(code))
    if entry is not None and entry[0] is code:
        return entry
    instructions = tuple(dis.get_instructions(code))
    entries = _exception_entries(code)
    depths = _depths(instructions, entries)
    stacks, out = _stacks(instructions, depths, entries, _floors(entries))
    _alias_reads(code, instructions, stacks, out)
    for access in out.values():
        access.label = _label(access)
    if len(_analysed) >= _ANALYSED_MAX:  # a long-lived process that ran a lot of code
        for key in list(_analysed)[:_ANALYSED_MAX // 2]:
            del _analysed[key]
    first_line = code.co_firstlineno
    entry = _analysed[id(code)] = (code, tuple(Op(ins, first_line) for ins in instructions), out)
    return entry


def _floors(entries) -> dict[int, int]:
    """offset -> the depth of the block it is in (its handler's): the code of a ``try`` or
    ``with`` body never pops below it, so those slots outlive any instruction there."""
    out: dict[int, int] = {}
    for entry in entries:
        for offset in range(entry.start, entry.end, 2):
            out[offset] = max(out.get(offset, 0), entry.depth)
    return out


def _exception_entries(code) -> list:
    try:
        return list(dis._parse_exception_table(code))  # private, but stable since 3.11
    except Exception:  # noqa: BLE001 - without it, handlers are just unknown
        return []


#: jumps that leave the stack as it is (an unconditional jump), or as the instruction's
#: fall-through leaves it (a conditional jump that pops its operand either way)
_PLAIN_JUMPS = frozenset({"JUMP_FORWARD", "JUMP_BACKWARD", "JUMP_BACKWARD_NO_INTERRUPT",
                          "JUMP", "JUMP_NO_INTERRUPT"})  # fmt: skip
_MAX_PASSES = 32


def _stacks(instructions, depths: dict[int, int], entries, floors) -> tuple[dict, dict]:
    """The abstract stack before each reachable instruction: what every way of reaching it
    agrees on, slot by slot (a dataflow fixpoint over the control-flow graph); and what each
    instruction touches, read off those stacks.

    Every way in counts: the fall-through, jumps from before or after (a loop's back edge),
    and the exception handlers, which keep the slots below their entry's depth (the end of
    a ``with`` block inside another is reached past the inner block's handler, and the outer
    block's ``__exit__`` sits in one of those slots). A way not worked out yet does not
    count until it is; slots only ever go from known to unknown, so the passes end.
    """
    order = [ins for ins in instructions if ins.offset in depths]
    # the instruction that follows each one (reachable or not: then nothing falls into it)
    nxt = {a.offset: b.offset for a, b in zip(instructions, instructions[1:], strict=False)}
    handlers: dict[int, list] = {}  # offset -> the exception entries covering it
    for entry in entries:
        if entry.target in depths:
            for offset in range(entry.start, entry.end, 2):
                handlers.setdefault(offset, []).append(entry)
    #: target offset -> {way in: the stack it brings}
    incoming: dict[int, dict] = {0: {"entry": ()}}
    result: dict[int, tuple] = {}
    #: what each instruction touches, from the stack it last saw: an instruction whose stack
    #: did not change since is not stepped again (what it sends on is already in place)
    accesses: dict[int, Access] = {}
    for _ in range(_MAX_PASSES):
        changed = False
        precall = False
        for ins in order:
            offset = ins.offset
            depth = depths[offset]
            stack = _agree(incoming.get(offset), depth, lenient=precall)
            # 3.11 counts a call's pops on PRECALL (-n) and CALL (-1); we pop all on CALL
            precall = stack is not None and ins.opname == "PRECALL"
            if stack is None:
                continue  # no way in worked out yet
            if result.get(offset) == stack:
                continue
            result[offset] = stack
            changed = True
            after = list(stack)
            access = _step(ins, after, floors.get(offset, 0))
            if access is not None:
                accesses[offset] = access
            else:
                accesses.pop(offset, None)
            after = tuple(after)
            if ins.opname not in _TERMINATORS and nxt.get(offset) in depths:
                incoming.setdefault(nxt[offset], {})[offset] = after
            if ins.opcode in _JUMPS and isinstance(ins.argval, int) and ins.argval in depths:
                jumped = _effect(ins, True)
                taken = _taken(ins, stack, after, depth, jumped)
                incoming.setdefault(ins.argval, {})[("jump", offset)] = taken
            for entry in handlers.get(offset, ()):
                kept = stack[:entry.depth] if len(stack) >= entry.depth else None
                extra = (None,) * (1 + (1 if entry.lasti else 0))
                way = None if kept is None else tuple(kept) + extra
                incoming.setdefault(entry.target, {})[("raise", offset)] = way
        if not changed:
            return result, accesses
    # did not settle: every slot unknown, and what the instructions touch read off that
    result = {offset: (None,) * depths[offset] for offset in result}
    accesses = {}
    for ins in order:
        stack = result.get(ins.offset)
        if stack is not None:
            access = _step(ins, list(stack), floors.get(ins.offset, 0))
            if access is not None:
                accesses[ins.offset] = access
    return result, accesses


def _taken(ins, before: tuple, after: tuple, depth: int, jumped: int | None):
    """The stack a jump takes to its target (None: unknown)."""
    if jumped is None:
        return None
    size = depth + jumped
    if size < 0:
        return None
    if ins.opname in _PLAIN_JUMPS or (ins.opname.startswith("POP_JUMP") and len(after) == size):
        return after if len(after) == size else None
    # FOR_ITER and JUMP_IF_*_OR_POP work on the top slot only, SEND on the top two
    keep = max(0, min(size, depth - (2 if ins.opname == "SEND" else 1)))
    return tuple(before[:keep]) + (None,) * (size - keep)


def _agree(ways: dict | None, depth: int, lenient: bool = False) -> tuple | None:
    """Slot by slot, the expression every way in agrees on (None where they differ, or a way
    is unknown); None if no way in is known yet. ``lenient``: after 3.11's PRECALL, whose
    pops our model makes on the CALL, a fall-through of another size is expected."""
    if not ways:
        return None
    if len(ways) == 1:
        (way,) = ways.values()
        if way is not None and (len(way) == depth or lenient):
            return way
        return (None,) * depth
    known = []
    for way in ways.values():
        if way is None or (len(way) != depth and not lenient):
            return (None,) * depth
        known.append(way)
    first = known[0]
    if lenient and any(len(way) != len(first) for way in known):
        return (None,) * depth
    return tuple(slot if all(way[i] == slot for way in known[1:]) else None
                 for i, slot in enumerate(first))


def _call_access(callee, args) -> Access:
    return Access("call", callee, tuple(args))


def _step(ins, stack, floor: int = 0) -> Access | None:
    """Apply ``ins`` to the abstract ``stack``; what it touches. ``floor``: slots below it
    belong to an enclosing block and survive an instruction we do not model."""
    inspected = _inspects(ins.opname, ins, stack)
    if inspected is not None:
        _model(ins, stack, floor)
        return Access(_contents_op(ins), ("contents", inspected[0]), inspected[1:])
    return _model(ins, stack, floor)


def _contents_op(ins) -> str:
    """``self.items += [x]`` extends the list in place: a write of what it holds."""
    return "write" if ins.opname == "BINARY_OP" and ins.argrepr.endswith("=") else "read"


#: what reads every element (a loop, an unpacking, a spread): for a local, only these count
#: (``total + amount`` on a parameter would make every sum a point, for ints it never needs)
_WHOLE_READS = frozenset({"FOR_ITER", "UNPACK_SEQUENCE", "UNPACK_EX", "LIST_EXTEND",
                          "SET_UPDATE", "DICT_UPDATE", "DICT_MERGE"})  # fmt: skip


def _alias_reads(code: types.CodeType, instructions, stacks: dict, out: dict) -> None:
    """Loops, unpackings and spreads of a local that may hold a shared container read what
    it holds, as they do of ``self.items``: a parameter (``def reader(items): for x in
    items``), or a local given a shared value (``items = self.items``). A local the function
    fills itself (``threads = []``) is left alone: every loop step over it would be a point.
    A truth test of any local is one already (``_inspects``)."""
    names = set(code.co_varnames[:code.co_argcount + code.co_kwonlyargcount])
    stores = []  # (local, the expression stored in it)
    for ins in instructions:
        stack = stacks.get(ins.offset)
        if not stack or not ins.opname.startswith("STORE_FAST"):
            continue
        stored = ins.argval if isinstance(ins.argval, tuple) else (ins.argval,)
        if ins.opname == "STORE_FAST_LOAD_FAST":
            stored = stored[:1]
        stores.extend(zip(stored, reversed(stack), strict=False))

    def from_shared(value) -> bool:
        if value is not None and value[0] == "call":  # ``it = iter(self.items)``, ``d.items()``
            walked = _iterated(value)
            return walked != (value,) and any(from_shared(found) for found in walked)
        return _shared(value) or (value is not None and value[0] == "local" and value[1] in names)

    grown = True
    while grown:  # ``a = self.items``, ``b = a``: aliases of aliases, in any order
        grown = False
        for name, value in stores:
            if name not in names and from_shared(value):
                names.add(name)
                grown = True
    if not names:
        return

    def held(expr) -> bool:
        return expr is not None and expr[0] == "local" and expr[1] in names

    for ins in instructions:
        stack = stacks.get(ins.offset)
        if not stack or ins.opname not in _WHOLE_READS:
            continue
        found = _inspects(ins.opname, ins, stack, held)
        if found is None:
            continue
        access = out.get(ins.offset)
        if access is None:
            out[ins.offset] = Access(_contents_op(ins), ("contents", found[0]), found[1:])
        elif access.target is not None and access.target[0] == "contents":
            extra = tuple(e for e in found if e != access.target[1] and e not in access.args)
            access.args = access.args + extra


#: instructions that read the contents of the value(s) on top of the stack (a truth test, a
#: loop step, an unpacking, a comparison or arithmetic, a format, a ``*``/``**`` spread)
_TRUTH_TESTS = frozenset({
    "POP_JUMP_IF_TRUE", "POP_JUMP_IF_FALSE", "POP_JUMP_FORWARD_IF_TRUE",
    "POP_JUMP_FORWARD_IF_FALSE", "POP_JUMP_BACKWARD_IF_TRUE", "POP_JUMP_BACKWARD_IF_FALSE",
    "JUMP_IF_TRUE_OR_POP", "JUMP_IF_FALSE_OR_POP", "UNARY_NOT", "TO_BOOL",
    "UNPACK_SEQUENCE", "UNPACK_EX", "FORMAT_SIMPLE", "CONVERT_VALUE", "LIST_EXTEND",
    "SET_UPDATE", "DICT_UPDATE", "DICT_MERGE",
})  # fmt: skip
_SHARED_KINDS = frozenset({"attr", "global", "item", "deref"})


def _shared(expr) -> bool:
    return expr is not None and expr[0] in _SHARED_KINDS and nameable(expr)


def nameable(expr) -> bool:
    """Can ``resolve`` find this expression's value? Not if a part of it is unknown
    (``self.cells[i - 1]``: the index was computed): such a value is left alone, as treating
    it as anything at all would make every step depend on it."""
    if expr is None:
        return False
    kind = expr[0]
    if kind in ("local", "global", "deref", "const"):
        return True
    if kind == "attr":
        return nameable(expr[1])
    if kind == "item":
        return nameable(expr[1]) and nameable(expr[2])
    return False


def _inspects(name: str, ins, stack, shared=None) -> tuple | None:
    """The shared expressions whose contents ``ins`` reads (None: none it can name).
    ``shared``: which expressions count (default: an attribute, global, cell or item)."""
    if not stack:
        return None
    if name in _TRUTH_TESTS:
        top = stack[-1]
        if shared is None and top is not None and top[0] == "local":
            # ``todo = self.todo`` and later ``if todo:``: the local may hold a shared list
            # (at run time, only a list, dict, set... makes it a step)
            return (top,)
        found = (top,)
    elif name == "FOR_ITER":  # the iterator is on top, or under its index (3.15)
        found = ()
        for slot in stack[-2:]:
            if slot is None:
                continue
            if slot[0] == "iter":
                found += _iterated(slot[1])
            elif slot[0] == "local":  # a comprehension's ``.0``: an iterator made by its caller
                found += (slot,)
    elif name == "FORMAT_VALUE":  # 3.11-3.12: the value, under its format spec if any
        found = (stack[-2] if (ins.arg or 0) & 0x04 and len(stack) >= 2 else stack[-1],)
    elif name == "COMPARE_OP" or (name == "BINARY_OP" and ins.argrepr != "[]"):
        found = tuple(stack[-2:])
    else:
        return None
    found = tuple(expr for expr in found if (shared or _shared)(expr))
    return found or None


#: a dict's views are live: a loop over ``d.items()`` reads ``d`` at each step
_VIEWS = frozenset({"items", "keys", "values"})
#: builtins whose result walks its arguments lazily: each step of a loop over
#: ``enumerate(self.items)`` or ``zip(a, b)`` reads them (``list(x)``, ``sorted(x)`` copy at
#: the call, which is a point of its own)
_LAZY = frozenset({"enumerate", "zip", "reversed", "iter", "map", "filter"})


def _iterated(source) -> tuple:
    """What a loop over ``source`` reads at each step: ``d`` for ``d.items()``, ``a`` and ``b``
    for ``zip(a, b)``, the iterator itself when it is a local (a comprehension's ``.0``)."""
    if source is None or source[0] != "call" or source[1] is None:
        return (source,)
    callee = source[1]
    if callee[0] == "attr" and callee[2] in _VIEWS:
        return (callee[1],)
    if len(source) > 2:  # a lazy builtin: what it was given (``map``'s function is no container)
        args = source[2][1:] if callee[1] in ("map", "filter") else source[2]
        return tuple(found for arg in args for found in _iterated(arg))
    return (source,)


def _model(ins, stack, floor: int) -> Access | None:  # noqa: C901 - one branch per opcode
    """The stack effect of ``ins`` (and what it touches, for the instructions that load or
    store shared state)."""
    name, arg, argval = ins.opname, ins.arg, ins.argval
    push = stack.append
    if name.startswith("LOAD_FAST"):
        if isinstance(argval, tuple):
            push(("local", argval[0]))
            push(("local", argval[1]))
        else:
            push(("local", argval))
        return None
    if name in ("LOAD_CONST", "LOAD_SMALL_INT", "LOAD_COMMON_CONSTANT"):
        push(("const", argval))
        return None
    if name in ("LOAD_GLOBAL", "LOAD_NAME"):
        expr = ("global", argval)
        if name == "LOAD_GLOBAL" and arg is not None and arg & 1:
            push(NULL)
        push(expr)
        return Access("read", expr)
    if name in ("LOAD_DEREF", "LOAD_CLASSDEREF", "LOAD_FROM_DICT_OR_DEREF"):
        if name == "LOAD_FROM_DICT_OR_DEREF":
            _pop(stack)
        expr = ("deref", argval)
        push(expr)
        return Access("read", expr)
    if name == "LOAD_ATTR" or name == "LOAD_METHOD":
        (base,) = _pop(stack)
        method = name == "LOAD_METHOD" or (sys.version_info >= (3, 12) and arg & 1)
        if method:
            push(("method", base, argval))
            push(("self", base))
            return Access("read", ("attr", base, argval))
        expr = ("attr", base, argval)
        push(expr)
        return Access("read", expr)
    if name == "LOAD_SPECIAL":  # 3.14+: __enter__/__exit__ of a with statement
        (base,) = _pop(stack)
        which = "__exit__" if arg == 1 else "__enter__"
        push(("method", base, which))
        push(("self", base))
        return None
    if name == "BEFORE_WITH":  # 3.11-3.13
        (base,) = _pop(stack)
        push(("method", base, "__exit__"))
        push(None)
        return _call_access(("attr", base, "__enter__"), ())
    if name in ("STORE_ATTR", "DELETE_ATTR"):
        if name == "STORE_ATTR":
            base, _value = _pop(stack, 2)[::-1]
        else:
            (base,) = _pop(stack)
        return Access("write" if name == "STORE_ATTR" else "delete", ("attr", base, argval))
    if name in ("STORE_GLOBAL", "STORE_NAME", "STORE_DEREF"):
        _pop(stack)
        kind = "deref" if name == "STORE_DEREF" else "global"
        return Access("write", (kind, argval))
    if name in ("DELETE_GLOBAL", "DELETE_NAME", "DELETE_DEREF"):
        kind = "deref" if name == "DELETE_DEREF" else "global"
        return Access("delete", (kind, argval))
    if name in ("BINARY_SUBSCR",) or (name == "BINARY_OP" and ins.argrepr == "[]"):
        container, key = _pop(stack, 2)
        expr = ("item", container, key)
        push(expr)
        return Access("read", expr)
    if name == "BINARY_SLICE":
        container, _, _ = _pop(stack, 3)
        push(None)
        return Access("read", ("item", container, None))
    if name == "STORE_SUBSCR":
        _value, container, key = _pop(stack, 3)
        return Access("write", ("item", container, key))
    if name == "STORE_SLICE":
        _value, container, _, _ = _pop(stack, 4)
        return Access("write", ("item", container, None))
    if name == "DELETE_SUBSCR":
        container, key = _pop(stack, 2)
        return Access("delete", ("item", container, key))
    if name == "CONTAINS_OP":
        needle, container = _pop(stack, 2)
        push(None)
        return Access("contains", ("item", container, needle))
    if name in ("CALL", "CALL_KW"):
        extra = 1 if name == "CALL_KW" else 0
        items = _pop(stack, arg + 2 + extra)
        head, args = items[:2], items[2:len(items) - extra]
        callee = None
        for slot in head:
            if slot is not None and slot[0] == "method":
                callee = ("attr", slot[1], slot[2])
        if callee is None:
            real = [s for s in head if s is not None and s[0] not in ("null", "self")]
            if len(real) == 1:
                callee = real[0]
                if head[0] is not None and head[0][0] not in ("null", "self") and (
                        head[1] is not None and head[1][0] not in ("null", "self")):
                    callee = None  # 3.11's [callable, self] of a bound method: ambiguous
        if callee is not None and callee[0] == "global" and callee[1] in _LAZY:
            push(("call", callee, tuple(args)))  # ``enumerate(self.items)``: walked later
        else:
            push(("call", callee))
        return _call_access(callee, args)
    if name == "PUSH_EXC_INFO":  # the exception stays on top, the previous one under it
        _pop(stack)
        push(None)
        push(None)
        return None
    if name == "WITH_EXCEPT_START":  # calls the ``__exit__`` below: pushes its result
        push(None)
        return None
    if name == "PUSH_NULL":
        push(NULL)
        return None
    if name == "COPY":
        push(stack[-arg] if len(stack) >= arg else None)
        return None
    if name == "SWAP":
        if len(stack) >= arg:
            stack[-1], stack[-arg] = stack[-arg], stack[-1]
        return None
    if name in ("POP_TOP", "STORE_FAST", "POP_JUMP_IF_FALSE", "POP_JUMP_IF_TRUE",
                "POP_JUMP_IF_NONE", "POP_JUMP_IF_NOT_NONE", "POP_JUMP_FORWARD_IF_FALSE",
                "POP_JUMP_FORWARD_IF_TRUE", "POP_JUMP_BACKWARD_IF_FALSE",
                "POP_JUMP_BACKWARD_IF_TRUE", "POP_JUMP_FORWARD_IF_NONE",
                "POP_JUMP_FORWARD_IF_NOT_NONE", "POP_JUMP_BACKWARD_IF_NONE",
                "POP_JUMP_BACKWARD_IF_NOT_NONE", "RETURN_VALUE", "POP_EXCEPT"):  # fmt: skip
        _pop(stack)
        return None
    if name in ("STORE_FAST_STORE_FAST", "POP_ITER"):  # POP_ITER: the pair, on 3.15
        _pop(stack, 2 if name == "STORE_FAST_STORE_FAST" else -(_effect(ins, False) or -1))
        return None
    if name == "STORE_FAST_LOAD_FAST":
        _pop(stack)
        push(("local", argval[1] if isinstance(argval, tuple) else argval))
        return None
    if name in ("NOP", "RESUME", "CACHE", "EXTENDED_ARG", "PRECALL", "KW_NAMES", "NOT_TAKEN",
                "RETURN_CONST", "JUMP_FORWARD", "JUMP_BACKWARD", "JUMP_BACKWARD_NO_INTERRUPT",
                "JUMP", "JUMP_NO_INTERRUPT", "MAKE_CELL", "COPY_FREE_VARS"):  # fmt: skip
        return None
    if name in ("BINARY_OP", "COMPARE_OP", "IS_OP", "CALL_INTRINSIC_2", "FORMAT_WITH_SPEC"):
        _pop(stack, 2)
        push(None)
        return None
    if name in ("UNARY_NEGATIVE", "UNARY_NOT", "UNARY_INVERT", "TO_BOOL", "FORMAT_SIMPLE",
                "CONVERT_VALUE", "CALL_INTRINSIC_1", "LIST_TO_TUPLE", "GET_LEN_X",
                "CHECK_EXC_MATCH"):  # fmt: skip
        _pop(stack)
        push(None)
        return None
    if name == "GET_ITER":
        (source,) = _pop(stack)
        push(("iter", source))
        # 3.15: an index (or NULL) goes on top of the iterator, FOR_ITER reads them as a pair
        stack.extend([None] * max(0, _effect(ins, False) or 0))
        return None
    if name == "FOR_ITER":
        push(None)
        return None
    if name in ("BUILD_TUPLE", "BUILD_LIST", "BUILD_SET", "BUILD_STRING"):
        _pop(stack, arg)
        push(None)
        return None
    if name in ("LIST_APPEND", "SET_ADD", "LIST_EXTEND", "SET_UPDATE", "DICT_UPDATE",
                "DICT_MERGE"):  # fmt: skip
        _pop(stack)
        return None
    if name == "UNPACK_SEQUENCE":
        _pop(stack)
        stack.extend([None] * arg)
        return None
    # Anything else: trust only the depth, and the slots of the enclosing blocks.
    effect = _effect(ins, False)
    if effect is None:
        stack[:] = []
        return None
    pushes = _PUSHES.get(name)
    if pushes is not None and pushes - effect >= 0:
        # it takes what it works on from the top only: the slots under those stay known (a
        # ``yield`` or an f-string inside ``for x in self.items:`` keeps the loop's iterator)
        _pop(stack, pushes - effect)
        stack.extend([None] * pushes)
        return None
    depth = max(len(stack) + effect, 0)
    kept = min(floor, len(stack), depth)
    stack[:] = stack[:kept] + [None] * (depth - kept)
    return None


#: how many values an instruction not modelled above pushes (what it pops is that less its
#: stack effect): the slots below those it pops are untouched
_PUSHES = {
    "MAKE_FUNCTION": 1, "SET_FUNCTION_ATTRIBUTE": 1, "LOAD_CLOSURE": 1, "IMPORT_NAME": 1,
    "IMPORT_FROM": 1, "LOAD_ASSERTION_ERROR": 1, "LOAD_BUILD_CLASS": 1, "FORMAT_VALUE": 1,
    "YIELD_VALUE": 1, "GET_AWAITABLE": 1, "CALL_FUNCTION_EX": 1, "END_SEND": 1,
    "RETURN_GENERATOR": 1, "BUILD_MAP": 1, "BUILD_CONST_KEY_MAP": 1, "BUILD_SLICE": 1,
    "MAP_ADD": 0, "DELETE_FAST": 0, "END_FOR": 0, "RAISE_VARARGS": 0, "RERAISE": 0,
}  # fmt: skip


# --- in a running frame ------------------------------------------------------------------------

_MISSING = object()
MISSING = _MISSING  # what resolve() gives for a location it cannot read safely
_SAFE_KEYS = (str, int, bytes, bool, type(None), float)


def safe_getattr(obj, name: str):
    """``obj.name`` without running learner code (properties, ``__getattr__``), or _MISSING."""
    try:
        attrs = object.__getattribute__(obj, "__dict__")
    except (AttributeError, TypeError):
        attrs = None
    if isinstance(attrs, dict) and name in attrs:
        return attrs[name]
    for klass in type(obj).__mro__:
        found = klass.__dict__.get(name, _MISSING)
        if found is _MISSING:
            continue
        kind = type(found)
        if kind.__name__ in ("member_descriptor", "getset_descriptor"):
            try:
                return found.__get__(obj, type(obj))
            except Exception:  # noqa: BLE001 - an unset slot
                return _MISSING
        if hasattr(kind, "__set__") or hasattr(kind, "__delete__"):
            return _MISSING  # a property: running it could have side effects
        if isinstance(obj, type) or isinstance(obj, types.ModuleType):
            return found
        if hasattr(kind, "__get__"):
            try:
                return found.__get__(obj, type(obj))
            except Exception:  # noqa: BLE001
                return _MISSING
        return found
    if isinstance(obj, types.ModuleType) and isinstance(attrs, dict):
        return attrs.get(name, _MISSING)
    return _MISSING


def resolve(expr, frame, depth: int = 0):
    """The object ``expr`` denotes in ``frame`` right now, or _MISSING."""
    if expr is None or depth > 8:
        return _MISSING
    kind = expr[0]
    if kind == "local" or kind == "deref":
        try:
            return frame.f_locals.get(expr[1], _MISSING)
        except Exception:  # noqa: BLE001
            return _MISSING
    if kind == "const":
        return expr[1]
    if kind == "global":
        value = frame.f_globals.get(expr[1], _MISSING)
        if value is _MISSING:
            builtins = frame.f_builtins
            value = builtins.get(expr[1], _MISSING) if isinstance(builtins, dict) else _MISSING
        return value
    if kind == "attr":
        base = resolve(expr[1], frame, depth + 1)
        return _MISSING if base is _MISSING else safe_getattr(base, expr[2])
    if kind == "item":
        base = resolve(expr[1], frame, depth + 1)
        key = resolve(expr[2], frame, depth + 1)
        if base is _MISSING or key is _MISSING:
            return _MISSING
        return safe_getitem(base, key)
    return _MISSING


def safe_getitem(container, key):
    if type(container) in (dict, list, tuple) and isinstance(key, _SAFE_KEYS):
        try:
            return container[key]
        except (KeyError, IndexError, TypeError):
            return _MISSING
    return _MISSING


def missing(value) -> bool:
    return value is _MISSING


def _sorted_set_repr(value) -> str:
    """A set's elements in sorted order: its own order follows string hashing, which changes
    from one interpreter start to the next, and a summary must read the same on every run."""
    if not value:
        return f"{type(value).__name__}()"
    inner = "{" + ", ".join(sorted(repr(x) for x in value)) + "}"
    return inner if type(value) is set else f"{type(value).__name__}({inner})"


def short_repr(value, width: int = 24) -> str:
    """A value as a learner reads it in a narrow cell: ``0``, ``'/'``, ``[1, 2]``, ``<Account>``."""
    if value is _MISSING:
        return "?"
    if type(value).__name__ == "deque" and len(value) <= 8:
        text_ = repr(list(value))
    elif isinstance(value, (int, float, str, bytes, bool, type(None))):
        text_ = repr(value)
    elif isinstance(value, (list, tuple, set, dict, frozenset)) and len(value) <= 8:
        try:
            text_ = _sorted_set_repr(value) if isinstance(value, (set, frozenset)) else repr(value)
        except Exception:  # noqa: BLE001 - a learner's __repr__ may raise
            text_ = f"<{type(value).__name__}>"
    elif isinstance(value, (list, tuple, set, dict, frozenset)) or type(value).__name__ == "deque":
        text_ = f"<{type(value).__name__} of {len(value)}>"
    else:
        text_ = f"<{type(value).__name__}>"
    return text_ if len(text_) <= width else text_[: width - 1] + "\u2026"

"""What a thread read and wrote, with the values, while the failing schedule is replayed.

Only the final replay records (the search never pays for this). At each preemption point the
instruction's target (from ``_bytecode``) is looked up in the running frame: a read gets the
value it is about to read; a write gets the value it wrote, read back at the thread's next
step, before any other thread has run. Each record is a list ``[op, target, value, key]``:
``target`` is the location as the learner's code names it (``self._counts['/']``), ``key``
identifies the location itself (two threads' ``self.n`` are one location when ``self`` is
the same object), for the diagnosis.
"""

from __future__ import annotations

from ._bytecode import MISSING, missing, resolve, safe_getattr, safe_getitem, short_repr, text

#: builtin container methods that change the container (everything else only reads it)
_MUTATORS = frozenset({
    "append", "extend", "insert", "pop", "popleft", "appendleft", "extendleft", "remove",
    "clear", "sort", "reverse", "add", "discard", "update", "setdefault", "popitem",
    "rotate", "difference_update", "intersection_update", "symmetric_difference_update",
    "__setitem__", "__delitem__", "__iadd__",
})  # fmt: skip
_CONTAINERS = (list, dict, set, bytearray)
_SIMPLE = (str, int, bytes, bool, float, type(None))


def _is_container(obj) -> bool:
    return isinstance(obj, _CONTAINERS) or type(obj).__name__ in ("deque", "OrderedDict",
                                                                   "defaultdict", "Counter")


def record_point(ts, frame, access):
    """The record for the instruction about to run in ``frame`` (None if nothing to say)."""
    op = access.op
    target = access.target
    if target is None:
        return None
    kind = target[0]
    if op == "call":
        return _record_call(ts, frame, target, access.args)
    if kind == "contents":
        # ``if self.todo:`` reads the list it loaded just before, which that load's record
        # already shows: the scheduler needs the point, the timeline and the explanations
        # have nothing new to say about it
        return None
    if kind == "attr":
        obj = resolve(target[1], frame)
        if missing(obj):
            return None
        rec = [op, text(target), None, ("attr", id(obj), target[2])]
        if op == "read":
            rec[2] = short_repr(safe_getattr(obj, target[2]))
        else:
            ts.pending_write = (rec, lambda: safe_getattr(obj, target[2]))
        return rec
    if kind in ("global", "deref"):
        name = target[1]
        if kind == "global":
            space = frame.f_globals
            key = ("global", id(space), name)
        else:
            space = frame.f_locals
            key = ("deref", frame.f_code.co_name, name)
        rec = [op, name, None, key]
        if op == "read":
            rec[2] = short_repr(space.get(name, MISSING))
        elif kind == "global":
            ts.pending_write = (rec, lambda: space.get(name, MISSING))
        return rec
    if kind == "item":
        container = resolve(target[1], frame)
        key = resolve(target[2], frame) if target[2] is not None else MISSING
        if missing(container):
            return None
        simple = not missing(key) and isinstance(key, _SIMPLE)
        name = f"{text(target[1])}[{short_repr(key, 16)}]" if simple else text(target)
        rec = [op if op != "contains" else "read", name, None,
               ("item", id(container), key if simple else "*")]
        if op == "contains":
            try:
                found = key in container if type(container) in (dict, list, set, tuple) else None
            except TypeError:
                found = None
            rec[1] = f"{short_repr(key, 12)} in {text(target[1])}" if simple else text(target[1])
            rec[2] = str(found) if found is not None else None
            if simple and isinstance(container, dict):  # `if k not in d: d[k] = ...`
                rec.append(f"{text(target[1])}[{short_repr(key, 16)}]")
            else:
                rec.append(text(target[1]))
                rec[3] = ("item", id(container), "*")
        elif op == "read":
            rec[2] = short_repr(safe_getitem(container, key) if simple else MISSING)
        else:
            ts.pending_write = (
                rec, lambda: safe_getitem(container, key) if simple else container)
        return rec
    return None


_KEYED = {"get": "read", "__getitem__": "read", "__contains__": "read", "setdefault": "write",
          "pop": "write"}  # fmt: skip


def _record_call(ts, frame, callee, args):
    """``self.items.append(x)``: a write of ``self.items``; ``len(s.items)``: a read of it;
    ``self.d.get(k)``: a read of ``self.d[k]``."""
    if callee is None:
        return None
    if callee[0] == "global":  # a builtin that reads its argument (see _points.READERS)
        if not args:
            return None
        container = resolve(args[0], frame)
        if missing(container) or not _is_container(container):
            return None
        where = text(args[0])
        value = str(len(container)) if callee[1] == "len" else short_repr(container)
        return ["read", f"{callee[1]}({where})", value, ("item", id(container), "*"), where]
    if callee[0] != "attr":
        return None
    receiver = resolve(callee[1], frame)
    if missing(receiver) or not _is_container(receiver):
        return None
    method = callee[2]
    where = text(callee[1])
    if method in _KEYED and isinstance(receiver, dict) and args:
        key = resolve(args[0], frame)
        if not missing(key) and isinstance(key, _SIMPLE):
            name = f"{where}[{short_repr(key, 16)}]"
            op = _KEYED[method]
            rec = [op, name, None, ("item", id(receiver), key), name]
            if op == "read":
                default = resolve(args[1], frame) if len(args) > 1 else None
                if method == "__contains__":
                    rec[2] = short_repr(key in receiver)
                else:
                    rec[2] = short_repr(receiver.get(key, default))
            else:
                ts.pending_write = (rec, lambda: receiver.get(key, MISSING))
            return rec
    op = "write" if method in _MUTATORS else "read"
    rec = [op, where, None, ("item", id(receiver), "*"), where]
    if op == "read":
        rec[2] = short_repr(receiver)
    else:
        ts.pending_write = (rec, lambda: receiver)
    return rec


def settle(ts) -> None:
    """Fill in the value of ``ts``'s last write, now that it has happened."""
    pending = ts.pending_write
    if pending is not None:
        ts.pending_write = None
        rec, read_back = pending
        try:
            rec[2] = short_repr(read_back())
        except Exception:  # noqa: BLE001 - a learner's object may refuse
            rec[2] = "?"

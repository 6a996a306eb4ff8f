"""The shared state of a play session as rows of text, built in the sandboxed child.

``shared_rows(state, root)`` walks the object ``setup()`` returned and lists its fields and
values (``bank[0].balance``, ``100``), a few levels deep, as plain strings with strict caps on
their number and length. It reads instance dictionaries and slots directly and calls ``repr``
only on exact built-in scalars, so no learner code (a property, a ``__repr__``, a
``__getattr__``) runs while the threads are parked, and nothing it finds can block. The parent
treats the rows as untrusted data all the same (``tutor.play.messages``).
"""

from __future__ import annotations

import types
from collections import deque
from typing import Any

MAX_ROWS = 40
MAX_NAME = 60
MAX_VALUE = 80
MAX_DEPTH = 3
MAX_ITEMS = 8

_SCALARS = (int, float, bool, str, bytes, type(None), complex)
_SKIPPED = (types.FunctionType, types.BuiltinFunctionType, types.MethodType, types.ModuleType,
            type)  # fmt: skip


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _scalar(value: Any) -> str | None:
    """``repr`` of an exact built-in scalar (no learner code can run), else None."""
    if type(value) in _SCALARS:
        return _clip(repr(value), MAX_VALUE)
    return None


def _fields(obj: Any) -> list[tuple[str, Any]]:
    """An object's own attributes, from its ``__dict__`` and slots, without calling it."""
    out: list[tuple[str, Any]] = []
    try:
        attributes = object.__getattribute__(obj, "__dict__")
    except (AttributeError, TypeError):
        attributes = None
    if type(attributes) is dict:
        out.extend((k, v) for k, v in attributes.items() if type(k) is str)
    for cls in type(obj).__mro__:
        slots = cls.__dict__.get("__slots__", ())
        for name in (slots,) if isinstance(slots, str) else slots:
            descriptor = cls.__dict__.get(name)
            if type(descriptor) is types.MemberDescriptorType:
                try:
                    out.append((name, descriptor.__get__(obj, type(obj))))
                except AttributeError:
                    continue
    return [(k, v) for k, v in out if not k.startswith("__")]


def _primitive(value: Any, holders: dict[str, str], name: str) -> str | None:
    """A lock, condition, event... shown by its kind (and holder when known), or None."""
    cls = type(value)
    module = cls.__module__ or ""
    kind = cls.__dict__.get("kind") or getattr(cls, "kind", None)
    if module.startswith("tutor.interleave") and isinstance(kind, str):
        holder = holders.get(name)
        return f"{kind} held by {holder}" if holder else kind
    if module in ("threading", "_thread") or cls.__name__ in ("lock", "RLock"):
        return cls.__name__
    return None


def _queue(value: Any) -> Any | None:
    """The items of a ``queue.Queue`` (or subclass): its ``queue`` attribute, read directly."""
    cls = type(value)
    if not any(c.__module__ == "queue" for c in cls.__mro__):
        return None
    try:
        items = object.__getattribute__(value, "__dict__").get("queue")
    except (AttributeError, TypeError):
        return None
    return items if type(items) in (deque, list) else None


class _Walk:
    def __init__(self, holders: dict[str, str]) -> None:
        self.rows: list[list[str]] = []
        self.seen: set[int] = set()
        self.holders = holders

    def add(self, name: str, value: str) -> None:
        if len(self.rows) < MAX_ROWS:
            self.rows.append([_clip(name, MAX_NAME), _clip(value, MAX_VALUE)])

    def full(self) -> bool:
        return len(self.rows) >= MAX_ROWS

    def short_sequence(self, items: list[Any], open_: str, close: str) -> str | None:
        """``[1, 2, 3]`` when every item is a scalar and it fits one value, else None."""
        texts = [_scalar(item) for item in items[: MAX_ITEMS + 1]]
        if any(text is None for text in texts):
            return None
        more = f", … {len(items) - MAX_ITEMS} more" if len(items) > MAX_ITEMS else ""
        text = open_ + ", ".join(texts[:MAX_ITEMS]) + more + close  # type: ignore[arg-type]
        return text if len(text) <= MAX_VALUE else None

    def visit(self, name: str, value: Any, depth: int) -> None:
        if self.full() or isinstance(value, _SKIPPED):
            return
        text = _scalar(value)
        if text is not None:
            self.add(name, text)
            return
        primitive = _primitive(value, self.holders, name)
        if primitive is not None:
            self.add(name, primitive)
            return
        if id(value) in self.seen:
            self.add(name, f"<{type(value).__name__}> (shown above)")
            return
        self.seen.add(id(value))
        queued = _queue(value)
        if queued is not None:
            self.sequence(name, list(queued), depth, f"{type(value).__name__} [", "]")
        elif type(value) in (list, tuple, deque):
            brackets = ("(", ")") if type(value) is tuple else ("[", "]")
            self.sequence(name, list(value), depth, *brackets)
        elif type(value) is dict:
            self.mapping(name, value, depth)
        elif type(value) in (set, frozenset):
            items = sorted(_scalar(v) or f"<{type(v).__name__}>" for v in value)
            self.add(name, "{" + ", ".join(items[:MAX_ITEMS]) + ("…}" if len(items) > MAX_ITEMS
                                                                     else "}"))
        else:
            self.instance(name, value, depth)

    def sequence(self, name: str, items: list[Any], depth: int, open_: str, close: str) -> None:
        short = self.short_sequence(items, open_, close)
        if short is not None or depth >= MAX_DEPTH:
            self.add(name, short if short is not None else f"{len(items)} items")
            return
        if not items:
            self.add(name, open_ + close)
        for index, item in enumerate(items[:MAX_ITEMS]):
            self.visit(f"{name}[{index}]", item, depth + 1)
        if len(items) > MAX_ITEMS:
            self.add(f"{name}[…]", f"{len(items) - MAX_ITEMS} more")

    def mapping(self, name: str, value: dict[Any, Any], depth: int) -> None:
        items = list(value.items())
        if not items:
            self.add(name, "{}")
            return
        if depth >= MAX_DEPTH:
            self.add(name, f"{len(items)} entries")
            return
        for key, item in items[:MAX_ITEMS]:
            key_text = _scalar(key) or f"<{type(key).__name__}>"
            self.visit(f"{name}[{key_text}]", item, depth + 1)
        if len(items) > MAX_ITEMS:
            self.add(f"{name}[…]", f"{len(items) - MAX_ITEMS} more")

    def instance(self, name: str, value: Any, depth: int) -> None:
        fields = _fields(value)
        if depth >= MAX_DEPTH or not fields:
            self.add(name, f"<{type(value).__name__}>")
            return
        for field, item in fields:
            self.visit(f"{name}.{field}", item, depth + 1)


def shared_rows(state: Any, root: str, holders: dict[str, str] | None = None) -> list[list[str]]:
    """``[[name, value], ...]``: what the threads share, at most ``MAX_ROWS`` rows.

    ``holders`` maps a lock's name (as the explorer names it, ``bank[0].lock``) to the thread
    holding it.
    """
    walk = _Walk(holders or {})
    walk.visit(root, state, 0)
    return walk.rows

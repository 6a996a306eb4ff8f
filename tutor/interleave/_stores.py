"""Which attributes and globals the learner's code ever assigns (outside constructors).

Loading an attribute that no code assigns after ``__init__`` (``self.lock``, ``self.items``)
cannot race with anything: the object it yields is fixed. Such loads need no preemption point
(the call or store that follows has its own), which halves the points of typical
object-oriented code. Computed once per ``explore``, right after the first ``setup()``, from
the modules of the functions given and of the state's classes (and the learner modules they
refer to), so every schedule of one call sees the same points.
Code that assigns attributes dynamically (``setattr``, ``__dict__``, ``vars``) turns this off.
"""

from __future__ import annotations

import sys
import types

from ._runtime import is_learner_file

_CONSTRUCTORS = frozenset({"__init__", "__new__", "__post_init__", "__init_subclass__"})
_DYNAMIC = frozenset({"setattr", "delattr", "vars", "__dict__", "__setattr__"})
_per_module: dict[int, tuple[object, int, frozenset | None, frozenset]] = {}


def _codes_of(module: types.ModuleType):
    seen: set[int] = set()
    stack = []
    for value in list(vars(module).values()):
        stack.extend(_code_roots(value, module.__name__))
    while stack:
        code = stack.pop()
        if id(code) in seen:
            continue
        seen.add(id(code))
        yield code
        stack.extend(c for c in code.co_consts if isinstance(c, types.CodeType))


def _code_roots(value, module_name: str):
    if isinstance(value, types.FunctionType):
        return [value.__code__] if value.__module__ == module_name else []
    if isinstance(value, type) and value.__module__ == module_name:
        roots = []
        for attr in vars(value).values():
            for fn in (attr, getattr(attr, "__func__", None), getattr(attr, "fget", None),
                       getattr(attr, "fset", None)):
                if isinstance(fn, types.FunctionType):
                    roots.append(fn.__code__)
        return roots
    return []


def _scan_module(module: types.ModuleType):
    """(attributes assigned outside constructors or None if dynamic, globals assigned)."""
    key = id(module)
    cached = _per_module.get(key)
    if cached is not None and cached[0] is module and cached[1] == len(vars(module)):
        return cached[2], cached[3]
    import dis

    attrs: set[str] | None = set()
    globs: set[str] = set()
    for code in _codes_of(module):
        constructor = code.co_name in _CONSTRUCTORS
        for ins in dis.get_instructions(code):
            name = ins.opname
            if name in ("STORE_ATTR", "DELETE_ATTR"):
                if not constructor and attrs is not None:
                    attrs.add(ins.argval)
            elif name in ("STORE_GLOBAL", "DELETE_GLOBAL"):
                globs.add(ins.argval)
            elif name in ("LOAD_GLOBAL", "LOAD_NAME", "LOAD_ATTR", "LOAD_METHOD") and (
                    ins.argval in _DYNAMIC):
                attrs = None
    result = (frozenset(attrs) if attrs is not None else None, frozenset(globs))
    _per_module[key] = (module, len(vars(module)), *result)
    return result


def _modules_for(functions) -> list[types.ModuleType]:
    found: dict[int, types.ModuleType] = {}
    frontier = []
    for fn in functions:
        for _ in range(5):  # bound methods, partials: look through to the function
            if fn is None or hasattr(fn, "__globals__"):
                break
            fn = getattr(fn, "__func__", None) or getattr(fn, "func", None)
        module = sys.modules.get(getattr(fn, "__module__", None) or "")
        if module is not None:
            frontier.append(module)
    for _depth in range(3):
        nxt = []
        for module in frontier:
            file = getattr(module, "__file__", None)
            if id(module) in found or not file or not is_learner_file(file):
                continue
            found[id(module)] = module
            for value in list(vars(module).values()):
                if isinstance(value, types.ModuleType):
                    nxt.append(value)
                elif isinstance(value, (type, types.FunctionType)) and (
                        getattr(value, "__module__", None) in sys.modules):
                    nxt.append(sys.modules[value.__module__])
        frontier = nxt
    return list(found.values())


def assigned_names(functions, state=None) -> tuple[frozenset | None, frozenset | None]:
    """Attribute and global names assigned by the learner's code (None: assume all of them).

    Scans the modules of ``functions``, of the shared state's class and of its fields' classes,
    and the learner modules those refer to: the same code always gives the same names, so a
    schedule replays the same in another process.
    """
    roots = list(functions)
    if state is not None:
        roots.append(type(state))
        fields = getattr(state, "__dict__", None)
        values = list(fields.values()) if isinstance(fields, dict) else []
        if isinstance(state, (list, tuple)):
            values += list(state)
        elif isinstance(state, dict):
            values += list(state.values())
        roots.extend(type(v) for v in values[:100])
    modules = _modules_for(roots)
    if not modules:
        return None, None
    attrs: set[str] = set()
    globs: set[str] = set()
    for module in modules:
        module_attrs, module_globs = _scan_module(module)
        if module_attrs is None:
            return None, None
        attrs |= module_attrs
        globs |= module_globs
    return frozenset(attrs), frozenset(globs)

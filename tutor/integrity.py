"""The integrity policy: what a submission may not do to the grader inside its own interpreter.

The sandbox keeps learner code away from the machine, but the learner's code runs in the same
interpreter as the hidden tests and the grading plugin, so it could in principle reach them
(through ``gc``, frames, ``sys.modules``...) and forge a pass. ``scan`` reads the submission's
syntax tree on the trusted side, before the run, and reports every construct that introspects
or rewires the interpreter, one line each. By default the findings only *flag* the verdict
(``Verdict.integrity``); in strict mode (``--strict``, or ``strict = true`` in course.toml) a
flagged submission is ``refused`` without running. Honest code for this course never needs
any of it: every built-in solution and wrong fix passes (tests/runner/test_integrity.py).

The lists follow RestrictedPython's (its ``INSPECT_ATTRIBUTES`` and its ban on dunder names),
narrowed to what cannot be written innocently in a threading exercise. A determined forger who
avoids every listed construct is not stopped by this; docs/sandbox.md says what remains.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

# Top-level modules a submission may import without the exercise allowing more.
DEFAULT_ALLOWED_IMPORTS = frozenset(
    {
        "abc", "array", "asyncio", "atexit", "bisect", "collections", "concurrent",
        "contextlib", "contextvars", "copy", "dataclasses", "datetime", "decimal", "enum",
        "errno", "fractions", "functools", "hashlib", "heapq", "io", "itertools", "json",
        "logging", "math", "multiprocessing", "numbers", "operator", "os", "pathlib", "queue",
        "random", "re", "sched", "secrets", "select", "selectors", "signal", "socket",
        "statistics", "string", "struct", "sys", "tempfile", "textwrap", "threading", "time",
        "traceback", "types", "typing", "uuid", "warnings", "weakref",
    }
)  # fmt: skip

# Names that evaluate code, import by string or expose a namespace.
_FORBIDDEN_CALLS = {
    "eval": "evaluates a string as code",
    "exec": "executes a string as code",
    "compile": "compiles code at run time",
    "__import__": "imports by name at run time",
    "breakpoint": "starts a debugger",
    "globals": "reaches a module's namespace",
    "locals": "reaches a frame's namespace",
    "vars": "reaches an object's namespace",
}
_COMPUTED_NAME_CALLS = {"getattr", "setattr", "delattr", "hasattr"}

# Attributes of frames, code, generators, coroutines and tracebacks, and the interpreter's
# hooks: the ways from ordinary objects to the grader's.
_INTROSPECTION = {
    "f_back", "f_builtins", "f_code", "f_globals", "f_lasti", "f_lineno", "f_locals", "f_trace",
    "f_trace_lines", "f_trace_opcodes", "currentframe",
    "gi_code", "gi_frame", "gi_yieldfrom", "gi_running", "cr_await", "cr_code", "cr_frame",
    "ag_await", "ag_code", "ag_frame", "tb_frame", "tb_lasti", "tb_next", "co_code", "co_consts",
    "co_names", "_getframe", "_current_frames", "settrace", "setprofile", "settrace_all_threads",
    "setprofile_all_threads", "gettrace", "getprofile", "addaudithook", "meta_path",
    "path_hooks", "path_importer_cache", "walk_stack", "walk_tb", "extract_stack",
    "get_objects", "get_referrers", "get_referents", "CodeType", "FrameType", "FunctionType",
    "TracebackType",
}  # fmt: skip
# Attributes of the `sys` module, flagged only when read from it.
_SYS_ATTRIBUTES = {"modules", "_getframe", "_current_frames", "meta_path", "path_hooks",
                   "monitoring"}  # fmt: skip
# Dunder attributes and names honest code uses; every other dunder is flagged.
_PLAIN_DUNDERS = {
    "__name__", "__qualname__", "__doc__", "__file__", "__all__", "__init__", "__new__",
    "__enter__", "__exit__", "__aenter__", "__aexit__", "__class__", "__len__", "__iter__",
    "__next__", "__aiter__", "__anext__", "__repr__", "__str__", "__eq__", "__ne__", "__lt__",
    "__le__", "__gt__", "__ge__", "__hash__", "__bool__", "__call__", "__contains__",
    "__getitem__", "__setitem__", "__delitem__", "__post_init__", "__slots__", "__del__",
    "__main__", "__version__",
}  # fmt: skip
_MODULE_HOOKS = {"__getattr__", "__dir__"}
_MAX_FINDINGS = 20


def _dunder(name: str) -> bool:
    return len(name) > 4 and name.startswith("__") and name.endswith("__")


class _Scanner(ast.NodeVisitor):
    def __init__(self, allowed: set[str]) -> None:
        self.allowed = allowed
        self.findings: list[str] = []
        self.sys_names: set[str] = set()

    def flag(self, node: ast.AST, what: str) -> None:
        line = getattr(node, "lineno", 0)
        finding = f"line {line}: {what}"
        if finding not in self.findings:
            self.findings.append(finding)

    def _check_module(self, node: ast.AST, module: str) -> None:
        top = module.split(".")[0]
        if top.startswith("_") or (top not in self.allowed and module not in self.allowed):
            self.flag(node, f"imports {module} (not allowed in this exercise)")

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._check_module(node, alias.name)
            if alias.name == "sys":
                self.sys_names.add(alias.asname or "sys")

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:
            self.flag(node, "a relative import")
            return
        module = node.module or ""
        self._check_module(node, module)
        for alias in node.names:
            if alias.name == "*":
                self.flag(node, f"imports * from {module}")
            elif alias.name in _INTROSPECTION or (
                module == "sys" and alias.name in _SYS_ATTRIBUTES
            ):
                self.flag(node, f"imports {alias.name} from {module} (interpreter introspection)")
            elif _dunder(alias.name) and alias.name not in _PLAIN_DUNDERS:
                self.flag(node, f"imports {alias.name} from {module}")

    def visit_Name(self, node: ast.Name) -> None:
        if _dunder(node.id) and node.id not in _PLAIN_DUNDERS:
            self.flag(node, f"uses {node.id}")
        elif node.id in _FORBIDDEN_CALLS:
            self.flag(node, f"uses {node.id} ({_FORBIDDEN_CALLS[node.id]})")

    def _check_attribute_name(self, node: ast.AST, name: str) -> None:
        if name in _INTROSPECTION:
            self.flag(node, f"uses .{name} (interpreter introspection)")
        elif _dunder(name) and name not in _PLAIN_DUNDERS:
            self.flag(node, f"uses .{name}")

    def visit_Attribute(self, node: ast.Attribute) -> None:
        self._check_attribute_name(node, node.attr)
        if (
            isinstance(node.value, ast.Name)
            and node.value.id in self.sys_names
            and node.attr in _SYS_ATTRIBUTES
        ):
            self.flag(node, f"uses sys.{node.attr} (interpreter introspection)")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Name) and func.id in _COMPUTED_NAME_CALLS and len(node.args) >= 2:
            name = node.args[1]
            if not (isinstance(name, ast.Constant) and isinstance(name.value, str)):
                self.flag(node, f"calls {func.id} with a computed attribute name")
            else:
                self._check_attribute_name(node, name.value)
        self.generic_visit(node)


def scan(source: str | bytes, allow_imports: Iterable[str] = ()) -> list[str]:
    """Every finding of the policy in ``source``, one line each (empty: nothing to report).

    A file that does not parse has no findings: the run reports its syntax error.
    """
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return []
    scanner = _Scanner(set(DEFAULT_ALLOWED_IMPORTS) | set(allow_imports))
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in _MODULE_HOOKS:
            scanner.flag(node, f"defines a module-level {node.name} (answers for missing names)")
    scanner.visit(tree)
    findings = sorted(scanner.findings, key=lambda f: int(f.split(":", 1)[0][5:] or 0))
    if len(findings) > _MAX_FINDINGS:
        findings = findings[:_MAX_FINDINGS] + [f"... and {len(findings) - _MAX_FINDINGS} more"]
    return findings

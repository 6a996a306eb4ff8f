"""Static checks of a course pack, for `validate`: the mistakes that make a pack look sound.

Grading the starter, the solution and the wrong fixes catches a test that is too weak to see a
bug; these checks catch what no grading run shows: a placeholder the author forgot, a lesson
demo that cannot run, and hidden tests that will flake or pass by construction later:

- ``explore(..., seed=N)``: every run is the same run, so `validate`'s seeds test nothing;
- a ``check`` that returns False instead of asserting: ``explore`` ignores return values, so
  the check never fails;
- a real ``time.sleep`` to wait for threads outside ``explore``: it passes on the author's idle
  machine and fails on a loaded CI runner, and the seed does not reproduce it;
- a hidden test that never imports ``submission``, or has no test function at all.

Each finding is one line that names the file and line and says what to do. ``problem`` makes
the pack unsound (exit 1); ``warning`` is shown and does not.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from tutor.course import Course, Exercise
from tutor.names import SUBMISSION_MODULE

PLACEHOLDER = re.compile(r"\bTODO\(author\)")
PROSE_PLACEHOLDER = re.compile(r"\b(TODO|FIXME|XXX)\b")
# The editor shows about this many columns of code at 80x24 (the gutter takes the rest).
STARTER_WIDTH = 76


@dataclass(frozen=True)
class Finding:
    """One thing wrong with the pack: where (``file:line``, relative to the course) and what."""

    severity: str  # "problem" or "warning"
    where: str
    text: str

    def __str__(self) -> str:
        return f"{self.where}: {self.text}"


def lint_course(course: Course) -> tuple[list[Finding], dict[str, list[Finding]]]:
    """(course-wide findings, findings per exercise id)."""
    overall = list(_course_file(course)) + [
        f for lesson in course.lessons for f in _lesson(course, lesson.path)
    ]
    per_exercise = {
        exercise.id: list(lint_exercise(course, exercise)) for exercise in course.exercises
    }
    return overall, per_exercise


def _shown(course: Course, path: Path) -> str:
    try:
        return str(path.relative_to(course.root))
    except ValueError:
        return str(path)


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _course_file(course: Course) -> Iterator[Finding]:
    path = course.root / "course.toml"
    text = _read(path) if path.is_file() else None
    for number, line in enumerate((text or "").splitlines(), 1):
        if PROSE_PLACEHOLDER.search(line) and not line.lstrip().startswith("#"):
            yield Finding("problem", f"course.toml:{number}", "a TODO placeholder is left")


def _lesson(course: Course, path: Path) -> Iterator[Finding]:
    from tutor.demos import DemoFormatError, parse_demos

    shown = _shown(course, path)
    text = _read(path)
    if text is None:
        return
    for number, line in enumerate(text.splitlines(), 1):
        if PROSE_PLACEHOLDER.search(line):
            yield Finding(
                "problem", f"{shown}:{number}", "a TODO placeholder is left; write the lesson"
            )
    try:
        parse_demos(text)
    except DemoFormatError as exc:
        yield Finding(
            "problem", f"{shown}:{exc.line}", f"this demo cannot run: {exc.message} "
            "(docs/lessons.md describes demo blocks)"
        )  # fmt: skip


def lint_exercise(course: Course, exercise: Exercise) -> Iterator[Finding]:
    directory = exercise.directory
    files = [directory / "exercise.toml", exercise.starter_path, exercise.test_path]
    if exercise.has_solution:
        files.append(exercise.solution_path)
    files += sorted((directory / "wrong").glob("*.py"))
    for path in files:
        for number, line in enumerate((_read(path) or "").splitlines(), 1):
            if PLACEHOLDER.search(line):
                yield Finding(
                    "problem", f"{_shown(course, path)}:{number}",
                    "a TODO(author) placeholder is left; replace the example with your exercise",
                )  # fmt: skip
    yield from _metadata(course, exercise)
    yield from _starter(course, exercise)
    yield from lint_hidden_tests(_shown(course, exercise.test_path), _read(exercise.test_path))
    if not exercise.has_solution:
        yield Finding(
            "warning", _shown(course, exercise.directory),
            "no solution.py (a pack for learners?): nothing shows the exercise can be passed",
        )  # fmt: skip
    elif not any((directory / "wrong").glob("*.py")):
        yield Finding(
            "warning", _shown(course, directory),
            "no wrong/*.py fixes: validate cannot tell whether the hidden tests catch the "
            "tempting wrong fixes (docs/authoring.md, section 4)",
        )  # fmt: skip


def _metadata(course: Course, exercise: Exercise) -> Iterator[Finding]:
    toml = exercise.directory / "exercise.toml"
    text = _read(toml) or ""
    where = _shown(course, toml)
    for label, value in [("the title", exercise.title)] + [
        (f"hint {n}", hint) for n, hint in enumerate(exercise.hints, 1)
    ]:
        if PROSE_PLACEHOLDER.search(value):
            line = _line_of(text, value)
            yield Finding(
                "problem", f"{where}:{line}" if line else where,
                f"{label} is still a TODO placeholder; write it",
            )  # fmt: skip


def _line_of(text: str, value: str) -> int | None:
    first = value.splitlines()[0] if value else value
    for number, line in enumerate(text.splitlines(), 1):
        if first and first in line:
            return number
    return None


def _starter(course: Course, exercise: Exercise) -> Iterator[Finding]:
    text = _read(exercise.starter_path) or ""
    shown = _shown(course, exercise.starter_path)
    for number, line in enumerate(text.splitlines(), 1):
        if len(line) > STARTER_WIDTH:
            yield Finding(
                "warning", f"{shown}:{number}",
                f"{len(line)} columns; at 80x24 the editor shows {STARTER_WIDTH} without "
                "scrolling sideways (wrap the line)",
            )  # fmt: skip
            return  # one is enough to make the point


# --- the hidden tests ---------------------------------------------------------------------------


def lint_hidden_tests(shown: str, source: str | None) -> Iterator[Finding]:
    """The mistakes in a ``test_hidden.py`` that grading cannot see (module docstring)."""
    if source is None:
        return
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return  # the loader reports it
    functions = {
        node.name: node
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    if not any(name.startswith("test") for name in functions) and not _has_test_class(tree):
        yield Finding("problem", shown, "no test function (def test_...): nothing would be checked")
    if not _imports(tree, SUBMISSION_MODULE) and SUBMISSION_MODULE not in source:
        yield Finding(
            "problem", shown,
            f"never imports {SUBMISSION_MODULE}: the tests do not look at the learner's code",
        )  # fmt: skip
    explore_calls = [node for node in ast.walk(tree) if _is_explore(node)]
    under_explore: set[str] = set()
    for call in explore_calls:
        assert isinstance(call, ast.Call)
        yield from _explore_call(shown, call, functions)
        under_explore |= _names_passed(call)
    under_explore = _reachable(under_explore, functions)
    yield from _real_sleeps(shown, tree, explore_calls, under_explore)


def _has_test_class(tree: ast.Module) -> bool:
    return any(isinstance(n, ast.ClassDef) and n.name.startswith("Test") for n in tree.body)


def _imports(tree: ast.Module, module: str) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(a.name == module for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and node.module == module:
            return True
    return False


def _is_explore(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    return (isinstance(func, ast.Name) and func.id == "explore") or (
        isinstance(func, ast.Attribute) and func.attr == "explore"
    )


def _check_argument(call: ast.Call) -> ast.expr | None:
    if len(call.args) >= 3:
        return call.args[2]
    return next((k.value for k in call.keywords if k.arg == "check"), None)


def _explore_call(
    shown: str, call: ast.Call, functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef]
) -> Iterator[Finding]:
    where = f"{shown}:{call.lineno}"
    if any(k.arg == "seed" for k in call.keywords):
        yield Finding(
            "problem", where,
            "explore(..., seed=...) fixes the seed, so every run tries the same schedules and "
            "validate's seeds test nothing; remove seed= (validate and grade set $TUTOR_SEED)",
        )  # fmt: skip
    check = _check_argument(call)
    if isinstance(check, ast.Lambda) and _is_truth_value(check.body):
        yield Finding(
            "problem", where,
            "the check is a lambda that returns True or False, and explore ignores what a "
            "check returns; write a def that asserts",
        )  # fmt: skip
    elif isinstance(check, ast.Name) and check.id in functions:
        function = functions[check.id]
        returned = _value_return(function)
        if returned is not None and not _asserts(function, functions):
            yield Finding(
                "problem", f"{shown}:{returned.lineno}",
                f"{check.id}() returns a value instead of asserting, and explore ignores what "
                "a check returns, so it can never fail; assert the condition",
            )  # fmt: skip


def _is_truth_value(node: ast.expr) -> bool:
    return isinstance(node, ast.Compare | ast.BoolOp) or (
        isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not)
    )


def _value_return(function: ast.AST) -> ast.Return | None:
    """The function's first ``return <value>`` (not ``return None``), if it has one."""
    returns = [
        node
        for node in _own_nodes(function)
        if isinstance(node, ast.Return)
        and node.value is not None
        and not (isinstance(node.value, ast.Constant) and node.value.value is None)
    ]
    return min(returns, key=lambda node: node.lineno) if returns else None


def _asserts(
    function: ast.AST, functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef]
) -> bool:
    """Whether the function can fail: an assert, a raise, pytest.fail() or a helper of the
    module (which may assert)."""
    for node in _own_nodes(function):
        if isinstance(node, ast.Assert | ast.Raise):
            return True
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in functions:
                return True
            if isinstance(func, ast.Attribute) and func.attr == "fail":
                return True
    return False


def _own_nodes(function: ast.AST) -> Iterator[ast.AST]:
    """The nodes of a function's body, not those of functions defined inside it."""
    stack = list(ast.iter_child_nodes(function))
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            stack.extend(ast.iter_child_nodes(node))


def _names_passed(call: ast.Call) -> set[str]:
    """Names of the functions an explore() call is given (setup, threads, check)."""
    values: list[ast.expr] = list(call.args) + [k.value for k in call.keywords]
    names = set()
    for value in values:
        for node in ast.walk(value):
            if isinstance(node, ast.Name):
                names.add(node.id)
            elif isinstance(node, ast.Attribute):
                names.add(node.attr)
    return names


def _reachable(
    start: set[str], functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef]
) -> set[str]:
    """The module's functions that code run under explore can call, by name."""
    seen: set[str] = set()
    todo = [name for name in start if name in functions]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for node in ast.walk(functions[name]):
            if isinstance(node, ast.Name) and node.id in functions and node.id not in seen:
                todo.append(node.id)
    return seen


def _real_sleeps(
    shown: str, tree: ast.Module, explore_calls: Iterable[ast.AST], under_explore: set[str]
) -> Iterator[Finding]:
    """``time.sleep`` where it runs in real time as a fixed wait for threads.

    Under explore, sleeps are virtual and fine. Elsewhere, a sleep in a test function, or in a
    function that starts threads, bets that the threads are done after that long: it flakes
    under load. A sleep inside a loop is a poll for a condition (a deadline bounds it), which
    does not depend on how fast the machine is, and is left alone.
    """
    inside_explore = {id(n) for call in explore_calls for n in ast.walk(call)}
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if function.name in under_explore:
            continue
        nodes = list(_own_nodes(function))
        waits_for_threads = function.name.startswith("test") or any(
            _starts_a_thread(node) for node in nodes
        )
        if not waits_for_threads:
            continue
        polling = {
            id(inner)
            for loop in nodes
            if isinstance(loop, ast.While | ast.For | ast.AsyncFor)
            for inner in ast.walk(loop)
        }
        for node in nodes:
            if _is_sleep(node) and id(node) not in inside_explore | polling:
                yield Finding(
                    "problem", f"{shown}:{node.lineno}",  # type: ignore[attr-defined]
                    f"time.sleep in {function.name}() waits a fixed time for threads, outside "
                    "explore: it passes on an idle machine and fails under load, and the seed "
                    "does not reproduce it; run the threads under explore(), or poll for the "
                    "condition with a deadline",
                )  # fmt: skip


def _is_sleep(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    return (isinstance(func, ast.Attribute) and func.attr == "sleep") or (
        isinstance(func, ast.Name) and func.id == "sleep"
    )


def _starts_a_thread(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name in ("Thread", "Timer", "start", "start_new_thread")

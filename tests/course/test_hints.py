"""Hints lead to the fix, never into a wrong one, and never paste the solution.

Every exercise has three hints, from a nudge to naming the fix. Each tempting wrong fix in
``wrong/`` names its idea in its docstring (``Idea: lock the debit.``), in the words a
learner, or a hint, would use. A hint *recommends* an idea when one of its clauses holds
every content word of the idea and no negation ("not", "never", ...). The check is lexical:
it catches a hint that says "write the batch after releasing the lock" while ``wrong/``
shows why that fails, not every hint that only implies it, so hints are also read by hand.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tutor.course import Exercise, load_course

COURSE = load_course(None)
IDEA = re.compile(r"^Idea: (?P<idea>\S.*\S)\.$")
STOPWORDS = frozenset(
    """a an the and or of to in on at by for from with as is are be it its it's this that
    these those each every ones any some all so then than into out up down over own
    their them they he she his her you your we our us i me my do does did done make makes
    let lets have has had get gets can could should would will may might must just also
    there here what which who whom when where why how while once instead""".split()
)
NEGATIONS = frozenset("not never no nor don't doesn't isn't aren't cannot can't won't".split())
SENTENCE = re.compile(r"[.!?]\s+|\(|\)")
CLAUSE = re.compile(r"[;:,]\s+|\s+but\s+|\s+—\s+|\s+-\s+")
WORD = re.compile(r"[a-z0-9_]+(?:'[a-z]+)?")
MIN_PASTED = 24  # characters: a solution line this long must not appear in a hint


def _words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def _content(text: str) -> list[str]:
    return [word for word in _words(text) if word not in STOPWORDS]


def _same_word(idea_word: str, hint_word: str) -> bool:
    """Crude stemming: 'swapping' matches 'swap', 'lines' matches 'line'."""
    def stem(word: str) -> str:
        return word[: max(5, len(word) - 2)]

    return hint_word.startswith(stem(idea_word)) or idea_word.startswith(stem(hint_word))


def recommends(hint: str, idea: str) -> bool:
    """True when a sentence of ``hint`` affirmatively says everything ``idea`` says.

    Words of a negated clause ("do not sleep", "never ... a timeout") do not count.
    """
    wanted = _content(idea)
    for sentence in SENTENCE.split(hint):
        words = [
            word
            for clause in CLAUSE.split(sentence)
            if not NEGATIONS & set(_words(clause))
            for word in _words(clause)
        ]
        if words and all(any(_same_word(w, h) for h in words) for w in wanted):
            return True
    return False


def _idea(path: Path) -> str:
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    match = IDEA.match(docstring.strip().splitlines()[0] if docstring.strip() else "")
    assert match, f"{path}: the docstring must start with 'Idea: <the idea>.'"
    return match["idea"]


def _wrong(exercise: Exercise) -> list[Path]:
    return sorted((exercise.directory / "wrong").glob("*.py"))


EXERCISES = [pytest.param(e, id=e.id) for e in COURSE.exercises]


def test_the_check_catches_a_hint_that_recommends_a_wrong_idea() -> None:
    idea = "swap the buffer under the lock and write the batch after releasing it"
    bad = "Swap the buffer under the lock; then write the batch after releasing the lock."
    good = "Do not write the batch after releasing the lock: batches would reach it out of order."
    assert recommends(bad, idea)
    assert not recommends(good, idea)
    assert not recommends("Use a Condition and notify_all().", idea)


@pytest.mark.parametrize("exercise", EXERCISES)
def test_three_hints_from_a_nudge_to_the_fix(exercise: Exercise) -> None:
    assert len(exercise.hints) == 3, f"{exercise.id}: {len(exercise.hints)} hints"
    first = exercise.hints[0]
    assert "?" in first, f"{exercise.id}: the first hint should be a question, a nudge"


@pytest.mark.parametrize("exercise", EXERCISES)
def test_every_wrong_fix_names_its_idea_and_no_hint_recommends_it(exercise: Exercise) -> None:
    for path in _wrong(exercise):
        idea = _idea(path)
        assert len(_content(idea)) >= 1, f"{path.name}: say what the idea does"
        for number, hint in enumerate(exercise.hints, start=1):
            assert not recommends(hint, idea), (
                f"{exercise.id} hint {number} recommends what wrong/{path.name} does "
                f"({idea!r}): {hint}"
            )


@pytest.mark.parametrize("exercise", EXERCISES)
def test_no_hint_pastes_a_line_of_the_solution(exercise: Exercise) -> None:
    if not exercise.has_solution:
        pytest.skip("a learners' pack has no solution")
    tree = ast.parse(exercise.solution_path.read_text(encoding="utf-8"))
    docstrings = {
        node.body[0].value.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    source = exercise.solution_path.read_text(encoding="utf-8").splitlines()
    code = [
        line.strip()
        for number, line in enumerate(source, start=1)
        if number not in docstrings and not line.strip().startswith(("#", '"""'))
    ]
    pasted = [
        (n, line)
        for line in code
        if len(line) >= MIN_PASTED
        for n, hint in enumerate(exercise.hints, start=1)
        if line in hint
    ]
    assert not pasted, f"{exercise.id}: hints paste solution lines: {pasted}"

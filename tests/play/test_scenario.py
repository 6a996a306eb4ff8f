"""Which hidden test a play session runs, and when the learner's file is still the starter."""

from __future__ import annotations

import pytest

from tutor.course import load_course
from tutor.play.scenario import NoScenario, Scenario, find_scenario, same_program

TESTS = '''
from tutor.interleave import explore as ex
import tutor.interleave as ti

def helper(setup, threads):
    ex(setup, threads)

def test_plain():
    assert 1

def test_one_thread():
    ex(list, [lambda s: None])

def test_through_a_helper():
    helper(list, [f, g])

def test_two():
    ex(list, [f, g], check)

class TestGroup:
    def test_module_attribute(self):
        ti.explore(list, threads=[f, g, h])
'''


def test_the_first_test_with_two_or_more_threads_is_played() -> None:
    assert find_scenario(TESTS) == Scenario("test_through_a_helper", None)


def test_play_names_the_test_and_the_source_gives_its_thread_count() -> None:
    assert find_scenario(TESTS, "test_two") == Scenario("test_two", 2)
    assert find_scenario(TESTS, "TestGroup::test_module_attribute").threads == 3
    assert find_scenario(TESTS, "test_module_attribute").test == "TestGroup::test_module_attribute"


def test_a_single_thread_test_is_played_when_it_is_the_only_one() -> None:
    source = "from tutor.interleave import explore\ndef test_a():\n    explore(list, [f])\n"
    assert find_scenario(source) == Scenario("test_a", 1)


@pytest.mark.parametrize(
    ("source", "wanted", "why"),
    [
        ("def test_a():\n    pass\n", None, "no hidden test calls explore"),
        (TESTS, "test_plain", "names no hidden test that calls explore"),
        (TESTS, "test_missing", "names no hidden test"),
        ("def test_a(:\n", None, "do not parse"),
        # a local function that happens to be called explore is not the explorer
        ("def explore(*a):\n    pass\ndef test_a():\n    explore(1, [2, 3])\n", None, "no hidden"),
    ],
)
def test_no_scenario_says_why(source: str, wanted: str | None, why: str) -> None:
    with pytest.raises(NoScenario, match=why):
        find_scenario(source, wanted)


def test_every_builtin_exercise_that_explores_has_a_scenario() -> None:
    course = load_course(None)
    found = 0
    for exercise in course.exercises:
        source = exercise.test_path.read_text(encoding="utf-8")
        if "explore(" not in source:
            continue
        scenario = find_scenario(source, exercise.play)
        assert f"def {scenario.test.rsplit('::', 1)[-1]}(" in source
        found += 1
    assert found >= 20


def test_same_program_ignores_comments_layout_and_docstrings() -> None:
    starter = '"""Task."""\nimport threading\n\ndef f(x):\n    """Doc."""\n    return x + 1\n'
    edited = "import threading  # mine\n\n\ndef f(x):\n    return (x + 1)\n"
    assert same_program(edited, starter)
    assert not same_program(edited.replace("x + 1", "x + 2"), starter)
    assert not same_program(edited + "print('hi')\n", starter)
    assert not same_program("def f(:\n", starter)

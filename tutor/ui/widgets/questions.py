"""The questions at the end of a lesson: pick a choice with the arrows and Enter.

Each question is a card: the prompt, its code (if any), the numbered choices and a feedback
line. A wrong choice is crossed out and disabled, so the learner tries another; the right one
shows the explanation. Grading is local (``Question.is_right``); recording the answer is the
screen's job, told by the ``QuestionCard.Answered`` message this widget posts upward.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from rich.console import Group, RenderableType
from rich.syntax import Syntax
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tutor.questions import Question

KIND_LABEL = {
    "predict-output": "Predict the output",
    "interleaving": "Which interleaving?",
    "choice": "Choose one",
}
_CODE_SPAN = re.compile(r"`([^`]+)`")


def inline_text(source: str, style: str = "") -> Text:
    """Plain text with `code spans` shown in bold, as the lesson's Markdown shows them."""
    text = Text(style=style)
    position = 0
    for match in _CODE_SPAN.finditer(source):
        text.append(source[position : match.start()])
        text.append(match.group(1), style="bold")
        position = match.end()
    text.append(source[position:])
    return text


def choice_id(number: int) -> str:
    return f"choice-{number}"


class QuestionCard(Vertical):
    """One question: prompt, code, choices, and what the learner's answer earned."""

    DEFAULT_CSS = """
    QuestionCard {
        height: auto;
        margin: 1 0 0 0;
        padding: 0 1;
        border-left: wide $panel-lighten-2;
    }
    QuestionCard.right {
        border-left: wide $success;
    }
    QuestionCard > .prompt {
        height: auto;
    }
    QuestionCard > OptionList, QuestionCard > OptionList:focus {
        height: auto;
        max-height: 14;
        border: none;
        padding: 0;
        margin: 1 0 0 0;
    }
    QuestionCard > OptionList:focus {
        background-tint: $foreground 6%;
    }
    QuestionCard > .feedback {
        height: auto;
        display: none;
    }
    QuestionCard > .feedback.shown {
        display: block;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        # Every digit, so none falls through to the lesson's "open exercise N" keys.
        Binding(str(n), f"pick({n})", f"Choice {n}", show=False)
        for n in range(1, 10)
    ]

    class Answered(Message):
        """The learner picked a choice (1-based); ``right`` is the local grade."""

        def __init__(self, lesson_id: str, question: Question, choice: int, right: bool) -> None:
            super().__init__()
            self.lesson_id = lesson_id
            self.question = question
            self.choice = choice
            self.right = right

    def __init__(
        self, lesson_id: str, question: Question, number: int, recorded: dict[str, Any]
    ) -> None:
        super().__init__(id=f"question-{question.id}")
        self.lesson_id = lesson_id
        self.question = question
        self.number = number
        self.right = recorded.get("status") == "right"

    def compose(self) -> ComposeResult:
        yield Static(self._prompt(), classes="prompt")
        yield OptionList(*self._options(), classes="choices")
        yield Static("", classes="feedback")

    def _prompt(self) -> RenderableType:
        head = Text(f"Q{self.number}. ", style="bold")
        head.append(KIND_LABEL.get(self.question.kind, ""), style="italic")
        parts: list[RenderableType] = [head, inline_text(self.question.prompt)]
        if self.question.code:
            parts.append(
                Syntax(
                    self.question.code,
                    "python",
                    theme="ansi_dark",
                    background_color="default",
                    word_wrap=True,
                )
            )
        return Group(*parts)

    def _options(self) -> list[Option]:
        return [
            Option(self._choice_text(n, ""), id=choice_id(n))
            for n in range(1, len(self.question.choices) + 1)
        ]

    def _choice_text(self, number: int, mark: str, style: str = "", mark_style: str = "") -> Text:
        """``2) text``, with the lines of a multi-line choice (an output) lined up."""
        prefix = f"{number}) "
        text = Text(prefix)
        if mark:
            text.append(f"{mark} ", style=mark_style)
        indent = " " * (len(prefix) + (len(mark) + 1 if mark else 0))
        lines = self.question.choices[number - 1].splitlines() or [""]
        for index, line in enumerate(lines):
            if index:
                text.append("\n" + indent)
            text.append_text(inline_text(line, style=style))
        return text

    def on_mount(self) -> None:
        if self.right:
            self._show_right()

    def action_pick(self, number: int) -> None:
        """A digit picks that choice directly (it would otherwise open an exercise)."""
        if not 1 <= number <= len(self.question.choices):
            return
        options = self.query_one(OptionList)
        if not options.get_option(choice_id(number)).disabled:
            options.highlighted = number - 1
            self._answer(number)

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._answer(event.option_index + 1)

    def _answer(self, choice: int) -> None:
        right = self.question.is_right(choice)
        if right:
            self._show_right()
        else:
            options = self.query_one(OptionList)
            options.replace_option_prompt(
                choice_id(choice),
                Text(f"{choice}) ✗ ", style="red")
                + inline_text(self.question.choices[choice - 1], style="strike dim"),
            )
            options.disable_option(choice_id(choice))
            self._highlight_next_enabled(options, choice - 1)
            self._feedback(Text("✗ Not this one. Read it again and pick another.", style="red"))
        self.post_message(self.Answered(self.lesson_id, self.question, choice, right))

    @staticmethod
    def _highlight_next_enabled(options: OptionList, index: int) -> None:
        """Move the highlight off a disabled choice, so Enter picks another one."""
        count = options.option_count
        for step in range(1, count):
            candidate = (index + step) % count
            if not options.get_option_at_index(candidate).disabled:
                options.highlighted = candidate
                return

    def _show_right(self) -> None:
        self.right = True
        self.add_class("right")
        answer = self.question.answer
        options = self.query_one(OptionList)
        options.replace_option_prompt(
            choice_id(answer), self._choice_text(answer, "✓", "bold", "green")
        )
        feedback = Text("✓ Right. ", style="bold green")
        feedback.append_text(inline_text(self.question.explain))
        self._feedback(feedback)

    def _feedback(self, text: Text) -> None:
        line = self.query_one(".feedback", Static)
        line.update(text)
        line.add_class("shown")


class QuestionsPanel(Vertical):
    """The lesson's questions, under a heading that counts the right answers."""

    DEFAULT_CSS = """
    QuestionsPanel {
        height: auto;
        margin: 1 0 1 0;
    }
    QuestionsPanel > #questions-heading {
        height: 1;
        text-style: bold;
        border-bottom: none;
    }
    """

    def __init__(
        self,
        lesson_id: str,
        questions: tuple[Question, ...],
        recorded: dict[str, dict[str, Any]] | None = None,
        *,
        id: str | None = "lesson-questions",
    ) -> None:
        super().__init__(id=id)
        self.lesson_id = lesson_id
        self.questions = questions
        self.recorded = recorded or {}

    def compose(self) -> ComposeResult:
        yield Static(self._heading(), id="questions-heading")
        for number, question in enumerate(self.questions, start=1):
            yield QuestionCard(self.lesson_id, question, number, self.recorded.get(question.id, {}))

    def right_count(self) -> int:
        return sum(1 for card in self.query(QuestionCard) if card.right)

    def _heading(self, right: int | None = None) -> Text:
        if right is None:
            right = sum(
                1 for q in self.questions if self.recorded.get(q.id, {}).get("status") == "right"
            )
        text = Text(f"Questions: {right}/{len(self.questions)} right")
        text.append("  (Tab to a question, arrows and Enter to answer)", style="dim")
        return text

    @on(QuestionCard.Answered)
    def _count(self, event: QuestionCard.Answered) -> None:
        # Not stopped: the screen records the answer.
        self.query_one("#questions-heading", Static).update(self._heading(self.right_count()))

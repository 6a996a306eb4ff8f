"""The learner-facing words for a verdict, shared by ``tutor check`` and the app.

Everything here reads the structured fields of a verdict (``Failure.explanation``, the
engine's headline and coverage, ``TestResult.message``); nothing parses the rendered failure
text, which is only ever shown whole, in the details. Internal terms (``check(state)``, the
schedule string) therefore stay in the details, and what leads is a sentence about the
learner's own code.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tutor.verdict import Failure, Verdict

STATUS_WORDS = {
    "passed": "passed",
    "failed": "failed",
    "timeout": "timed out",
    "error": "could not be graded",
    "refused": "was refused",
}
# What leads when the engine gave no explanation and no headline.
KIND_LEADS = {
    "race": "An order of your threads' steps breaks your code: the steps below show it.",
    "deadlock": "Your threads got stuck, each waiting for something another one holds.",
    "starvation": "A thread never got to finish: the others kept it from making progress.",
    "assertion": "A hidden test failed: the result of your code is not what it should be.",
    "timeout": "Your code did not finish in time; the details show where each thread was.",
    "crash": "Your code stopped with an error before the tests could finish.",
}


def explanation_of(verdict: Verdict) -> dict[str, Any] | None:
    """The failure's explanation (contract section 2), when it has a usable summary."""
    failure = verdict.failure
    explanation = failure.explanation if failure is not None else None
    if isinstance(explanation, Mapping) and isinstance(explanation.get("summary"), str):
        return dict(explanation)
    return None


def headline_of(failure: Failure | None) -> str | None:
    """The engine's learner-facing headline for the failure, when it gives one."""
    headline = getattr(failure, "headline", None)
    return headline.strip() if isinstance(headline, str) and headline.strip() else None


def lead(verdict: Verdict) -> str:
    """The sentence a learner reads first.

    The explorer's headline (the summary, or what the learner's code did when the hidden
    test's own machinery got stuck: "download() ran in the thread that called it..."), from
    ``Failure.headline``, else from the failing test's message, which the grader sets to that
    headline for the explorer's failures; else the explanation's summary; else the error itself
    (a crash or timeout) or the failing test's message (an assertion); else a plain sentence
    about the failure's kind (the grader's report is in the details).
    """
    failure = verdict.failure
    headline = headline_of(failure)
    if headline:
        return headline
    if verdict.status == "passed":
        return "Every hidden test passed."
    if verdict.status == "refused":
        return "Your file was refused: " + "; ".join(verdict.integrity)
    if failure is not None and failure.timeline is not None and first_test_message(verdict):
        return first_test_message(verdict)
    explanation = explanation_of(verdict)
    if explanation is not None:
        return explanation["summary"].strip()
    if failure is not None and failure.kind in ("crash", "timeout") and failure.message.strip():
        return failure.message.strip().splitlines()[0]  # the error itself, shown as it is
    if failure is not None and failure.kind == "assertion":
        message = first_test_message(verdict)
        if message:
            return message
    if failure is not None:
        return KIND_LEADS.get(failure.kind, "The hidden tests failed.")
    return first_test_message(verdict) or "The hidden tests failed."


def first_test_message(verdict: Verdict) -> str:
    for test in verdict.tests:
        if test.outcome in ("failed", "error") and test.message.strip():
            return test.message.strip().splitlines()[0]
    return ""


def look_at(explanation: Mapping[str, Any] | None) -> str | None:
    """"Look at line 20 (self.sold)" from the explanation's line and location."""
    if not explanation:
        return None
    line, location = explanation.get("line"), explanation.get("location")
    if isinstance(line, int) and line > 0:
        where = f" ({location})" if isinstance(location, str) and location else ""
        return f"Look at line {line}{where}"
    if isinstance(location, str) and location:
        return f"Look at {location}"
    return None


def access_text(access: Mapping[str, Any]) -> str:
    """One recorded access: ``read self.sold → 0``, ``write self.sold ← 1``, ``acquire a``."""
    op = str(access.get("op") or "")
    target = str(access.get("target") or "")
    value = access.get("value")
    shown = "" if value is None else (value if isinstance(value, str) else repr(value))
    if op == "read" and shown:
        return f"read {target} → {shown}"
    if op == "write" and shown:
        return f"write {target} ← {shown}"
    return " ".join(part for part in (op, target, shown and f"({shown})") if part)


def accesses_of(explanation: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """The explanation's accesses that have the contract's shape."""
    raw = explanation.get("accesses") if explanation else None
    if not isinstance(raw, list):
        return []
    return [dict(a) for a in raw if isinstance(a, Mapping) and "op" in a]


def conflict_lines(verdict: Verdict) -> list[int]:
    """The learner's lines to highlight: the explanation's line, then every access's line."""
    explanation = explanation_of(verdict)
    if explanation is None:
        return []
    lines: list[int] = []
    candidates = [explanation.get("line")] + [a.get("line") for a in accesses_of(explanation)]
    for line in candidates:
        if isinstance(line, int) and line > 0 and line not in lines:
            lines.append(line)
    return lines


def coverage_of(verdict: Verdict) -> Mapping[str, Any] | None:
    """The explorer's coverage for this verdict, when the grader reports it."""
    for holder in (verdict, verdict.failure):
        coverage = getattr(holder, "coverage", None)
        if isinstance(coverage, Mapping) and coverage:
            return coverage
    return None


def coverage_text(coverage: Mapping[str, Any] | None) -> str | None:
    """"proved: all 37 interleavings checked" or "checked 500 schedules (a sample)"."""
    if not coverage:
        return None
    text = coverage.get("text") or coverage.get("summary")
    if isinstance(text, str) and text.strip():
        return text.strip()
    schedules = coverage.get("schedules")
    if not isinstance(schedules, int):
        return None
    plural = "" if schedules == 1 else "s"
    if coverage.get("complete"):
        return f"proved: all {schedules} interleaving{plural} checked"
    bound = coverage.get("bound")
    if coverage.get("exhausted"):
        within = f" within {bound} preemptions" if isinstance(bound, int) else ""
        return f"checked all {schedules} schedule{plural}{within}"
    return f"checked {schedules} schedule{plural} (a sample, not every interleaving)"


def details_sections(verdict: Verdict) -> list[tuple[str, str]]:
    """(title, text) sections for the details view: the grader's full report, as it is."""
    failure = verdict.failure
    sections: list[tuple[str, str]] = []
    if failure is not None:
        sections.append((f"The grader's report ({failure.kind})", failure.message.strip()))
        if failure.schedule:
            sections.append(("Schedule (tutor.interleave.replay reruns it exactly)",
                             failure.schedule))
        if failure.stacks:
            sections.append(("Every thread's stack when the time ran out", failure.stacks.rstrip()))
    failing = [t for t in verdict.tests if t.outcome != "passed"]
    if failing:
        sections.append(("Tests", "\n".join(
            f"{t.outcome}: {t.name}" + (f": {t.message.strip()}" if t.message.strip() else "")
            for t in failing)))
    if verdict.integrity:
        sections.append(("Integrity findings", "\n".join(verdict.integrity)))
    if verdict.output.strip():
        sections.append(("Your program's output", verdict.output.rstrip()))
    return sections

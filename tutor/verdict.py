"""The result of grading one submission: the ``check --json`` object of the contract.

Shared by the runner (which builds it), the CLI (which prints it) and the TUI (which shows it),
so it lives apart from all three and imports nothing heavy.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Status = Literal["passed", "failed", "timeout", "error", "refused"]
Outcome = Literal["passed", "failed", "error", "skipped"]
FailureKind = Literal["race", "deadlock", "starvation", "assertion", "timeout", "crash"]

STATUSES: tuple[str, ...] = ("passed", "failed", "timeout", "error", "refused")
FAILURE_KINDS: tuple[str, ...] = ("race", "deadlock", "starvation", "assertion", "timeout", "crash")


@dataclass(frozen=True)
class TestResult:
    """One hidden test's outcome, with a short message (never a full traceback)."""

    __test__ = False  # not a pytest test class

    name: str
    outcome: Outcome
    message: str = ""


@dataclass(frozen=True)
class Failure:
    """Why a submission did not pass.

    ``timeline`` steps are dicts with the keys ``thread``, ``file``, ``line``, ``source`` and
    ``event`` (see ``tutor.interleave``); ``stacks`` holds the faulthandler dump on a timeout.
    """

    kind: FailureKind
    message: str
    schedule: str | None = None
    timeline: list[dict[str, Any]] | None = None
    stacks: str | None = None
    # The conflict explained (contract section 2, ``failure.explanation``), or None.
    explanation: dict[str, Any] | None = None
    # The explorer's one line in the learner's terms (``InterleavingFailure.headline``), and the
    # coverage of the search that found the failure (``to_dict()["coverage"]``), when known.
    headline: str | None = None
    coverage: dict[str, Any] | None = None


@dataclass(frozen=True)
class Verdict:
    """A grading verdict; ``to_dict`` gives exactly the contract's ``check --json`` shape."""

    exercise: str
    status: Status
    duration_s: float
    tests: list[TestResult] = field(default_factory=list)
    failure: Failure | None = None
    output: str = ""
    # Integrity-policy findings (one line each); with strict mode they make the status refused.
    integrity: list[str] = field(default_factory=list)
    # Isolation layers that were not in force for this run, one line each (empty: all were).
    isolation: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return self.status == "passed"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["duration_s"] = round(self.duration_s, 3)
        if self.failure is not None and self.failure.stacks is None:
            del data["failure"]["stacks"]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Verdict:
        failure = data.get("failure")
        return cls(
            exercise=data["exercise"],
            status=data["status"],
            duration_s=float(data.get("duration_s", 0.0)),
            tests=[TestResult(**t) for t in data.get("tests", [])],
            failure=Failure(**{k: v for k, v in failure.items() if k in _FAILURE_FIELDS})
            if failure
            else None,
            integrity=list(data.get("integrity", [])),
            output=data.get("output", ""),
            isolation=list(data.get("isolation", [])),
        )


_FAILURE_FIELDS = frozenset(Failure.__dataclass_fields__)

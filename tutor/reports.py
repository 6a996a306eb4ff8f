"""Result reports for instructors: one row per graded file, as JSON, CSV or JUnit XML.

`grade` (a batch, or one shard of it), `export` (a learner's own results) and `merge` (the
shards of one batch, back into one report) all produce the same rows, so a CI system, a
spreadsheet and a script read them the same way. The shapes are fixed by the contract
(section 2); the JSON form adds ``message``, ``complete``, ``shard`` and ``batch_size`` so that
`merge` can tell an interrupted or missing shard from a finished batch.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tutor.verdict import Verdict

FORMATS: tuple[str, ...] = ("json", "csv", "junit")
COLUMNS: tuple[str, ...] = ("learner", "exercise", "status", "duration_s", "failure_kind")
# The grading statuses, plus "new" for an exercise a learner never checked (only in `export`).
ROW_STATUSES: tuple[str, ...] = ("passed", "failed", "timeout", "error", "new")
MESSAGE_LIMIT = 2000
_SUFFIX_FORMATS = {".json": "json", ".csv": "csv", ".xml": "junit", ".junit": "junit"}


class ReportError(Exception):
    """A report that cannot be read or merged; the message names the file and the defect."""


@dataclass(frozen=True)
class ResultRow:
    """One graded file: the contract's five fields, and a short reason when it did not pass."""

    learner: str
    exercise: str
    status: str
    duration_s: float
    failure_kind: str | None = None
    message: str = ""

    def __post_init__(self) -> None:
        # Milliseconds are all a report shows; rounding here makes every format round-trip.
        object.__setattr__(self, "duration_s", round(float(self.duration_s), 3))
        for name in ("learner", "exercise", "message"):
            object.__setattr__(self, name, _printable(getattr(self, name)))

    @classmethod
    def from_verdict(cls, learner: str, verdict: Verdict) -> ResultRow:
        return cls(
            learner=learner,
            exercise=verdict.exercise,
            status=verdict.status,
            duration_s=verdict.duration_s,
            failure_kind=verdict.failure.kind if verdict.failure else None,
            message=_clip(_reason(verdict)),
        )

    @property
    def key(self) -> tuple[str, str]:
        return (self.learner, self.exercise)

    def to_dict(self) -> dict[str, Any]:
        return {
            "learner": self.learner,
            "exercise": self.exercise,
            "status": self.status,
            "duration_s": self.duration_s,
            "failure_kind": self.failure_kind,
            "message": self.message,
        }


@dataclass(frozen=True)
class Shard:
    """``--shard I/N``: this run grades every N-th file of the sorted batch, from the I-th."""

    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """``"2/4"`` -> Shard(2, 4); ValueError with a readable message otherwise."""
        index_text, sep, count_text = text.partition("/")
        try:
            index, count = int(index_text), int(count_text)
        except ValueError:
            index = count = 0
        if not sep or count < 1 or not 1 <= index <= count:
            raise ValueError(f"--shard {text}: expected I/N with 1 <= I <= N, e.g. 1/4")
        return cls(index, count)

    def select(self, items: Sequence[Any]) -> list[Any]:
        return list(items[self.index - 1 :: self.count])

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


@dataclass
class Report:
    """Rows plus what `merge` needs to know: finished or not, which shard of how big a batch."""

    rows: list[ResultRow] = field(default_factory=list)
    complete: bool = True
    shard: Shard | None = None
    batch_size: int | None = None

    def sorted_rows(self) -> list[ResultRow]:
        return sorted(self.rows, key=lambda row: row.key)

    def tally(self) -> str:
        """How many rows have each status, e.g. "3 passed, 1 failed" ("no rows" if empty)."""
        counts = {status: 0 for status in ROW_STATUSES}
        for row in self.rows:
            counts[row.status] += 1
        return ", ".join(f"{n} {status}" for status, n in counts.items() if n) or "no rows"


# Characters XML 1.0 cannot hold: control characters (a learner's ANSI colours, a NUL) and
# lone surrogates (file-name bytes that are not UTF-8).
_NOT_XML_TEXT = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _printable(text: str) -> str:
    """Text that every format can carry; anything else becomes U+FFFD."""
    return _NOT_XML_TEXT.sub("\ufffd", text)


def _reason(verdict: Verdict) -> str:
    if verdict.failure is not None and verdict.failure.message:
        if verdict.failure.schedule and verdict.failure.schedule not in verdict.failure.message:
            return f"{verdict.failure.message}\nSchedule: {verdict.failure.schedule}"
        return verdict.failure.message
    for test in verdict.tests:
        if test.outcome in ("failed", "error") and test.message:
            return f"{test.name}: {test.message}"
    return ""


def _clip(text: str) -> str:
    if len(text) <= MESSAGE_LIMIT:
        return text
    marker = "\n[... truncated]"
    return text[: MESSAGE_LIMIT - len(marker)] + marker


def format_for_path(path: str | None, explicit: str | None) -> str:
    """The output format: ``--format`` if given, else from the file suffix, else JSON."""
    if explicit:
        return explicit
    if path:
        return _SUFFIX_FORMATS.get(Path(path).suffix.lower(), "json")
    return "json"


# --- writers ----------------------------------------------------------------------------------


def render(report: Report, fmt: str) -> str:
    """The report as text in ``fmt`` (one of FORMATS)."""
    if fmt == "json":
        return render_json(report)
    if fmt == "csv":
        return render_csv(report)
    if fmt == "junit":
        return render_junit(report)
    raise ValueError(f"unknown report format {fmt!r}; use one of {', '.join(FORMATS)}")


def render_json(report: Report) -> str:
    data = {
        "results": [row.to_dict() for row in report.sorted_rows()],
        "complete": report.complete,
        "shard": str(report.shard) if report.shard else None,
        "batch_size": report.batch_size,
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render_csv(report: Report) -> str:
    """Exactly the contract's five columns, so spreadsheets and scripts can rely on them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in report.sorted_rows():
        writer.writerow(
            [row.learner, row.exercise, row.status, f"{row.duration_s:.3f}", row.failure_kind or ""]
        )
    return buffer.getvalue()


def render_junit(report: Report) -> str:
    """One ``<testsuite>`` per learner, one ``<testcase>`` per file; what CI systems display.

    ``failed`` -> ``<failure>``, ``timeout``/``error`` -> ``<error>``, ``new`` -> ``<skipped>``.
    Each testcase also carries its status and failure kind as properties so `merge` can read
    the XML back without losing anything.
    """
    rows = report.sorted_rows()
    root = ET.Element("testsuites", name="threading-tutor")
    _set_totals(root, rows)
    for learner in sorted({row.learner for row in rows}):
        own = [row for row in rows if row.learner == learner]
        suite = ET.SubElement(root, "testsuite", name=learner)
        _set_totals(suite, own)
        for row in own:
            _testcase(suite, row)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def _set_totals(element: ET.Element, rows: list[ResultRow]) -> None:
    element.set("tests", str(len(rows)))
    element.set("failures", str(sum(row.status == "failed" for row in rows)))
    element.set("errors", str(sum(row.status in ("timeout", "error") for row in rows)))
    element.set("skipped", str(sum(row.status == "new" for row in rows)))
    element.set("time", f"{sum(row.duration_s for row in rows):.3f}")


def _testcase(suite: ET.Element, row: ResultRow) -> None:
    case = ET.SubElement(
        suite, "testcase", classname=row.learner, name=row.exercise, time=f"{row.duration_s:.3f}"
    )
    summary = row.message.splitlines()[0] if row.message else row.status
    if row.status == "failed":
        outcome = ET.SubElement(case, "failure", type=row.failure_kind or "failed")
    elif row.status in ("timeout", "error"):
        outcome = ET.SubElement(case, "error", type=row.failure_kind or row.status)
    elif row.status == "new":
        outcome = ET.SubElement(case, "skipped")
        summary = "not attempted"
    else:
        outcome = None
    if outcome is not None:
        outcome.set("message", summary)
        if row.message:
            outcome.text = row.message
    properties = ET.SubElement(case, "properties")
    ET.SubElement(properties, "property", name="status", value=row.status)
    if row.failure_kind:
        ET.SubElement(properties, "property", name="failure_kind", value=row.failure_kind)


def check_writable(output: str | None) -> None:
    """Fail before the work, not after it: the folder for ``output`` must exist or be creatable
    and be writable (ReportError otherwise)."""
    if output in (None, "-"):
        return
    folder = Path(output).expanduser().resolve().parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReportError(f"-o {output}: cannot create {folder}: {exc.strerror or exc}") from None
    if not os.access(folder, os.W_OK) or Path(output).is_dir():
        raise ReportError(f"-o {output}: cannot write there")


def write_report(report: Report, fmt: str, output: str | None) -> None:
    """Write to ``output`` atomically (never half a file), or to stdout when it is None/"-"."""
    text = render(report, fmt)
    if output in (None, "-"):
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from tutor.atomic import write_atomic

    write_atomic(Path(output), text, keep_backup=False)


# --- readers ----------------------------------------------------------------------------------


def read_report(path: Path) -> Report:
    """Read a report in any of the three formats (detected from the content)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReportError(f"{path}: cannot read: {exc}") from None
    stripped = text.lstrip()
    try:
        if stripped.startswith("<"):
            return parse_junit(text)
        if stripped.startswith("{"):
            return parse_json(text)
        return parse_csv(text)
    except ReportError as exc:
        raise ReportError(f"{path}: {exc}") from None


def _row(data: dict[str, Any]) -> ResultRow:
    missing = [name for name in COLUMNS if name not in data]
    if missing:
        raise ReportError(f"a row lacks {', '.join(missing)}: {data!r}")
    if data["status"] not in ROW_STATUSES:
        raise ReportError(f"unknown status {data['status']!r} in row {data!r}")
    try:
        duration = float(data["duration_s"] or 0.0)
    except (TypeError, ValueError):
        raise ReportError(f"duration_s is not a number in row {data!r}") from None
    return ResultRow(
        learner=str(data["learner"]),
        exercise=str(data["exercise"]),
        status=data["status"],
        duration_s=duration,
        failure_kind=data["failure_kind"] or None,
        message=str(data.get("message") or ""),
    )


def parse_json(text: str) -> Report:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReportError(f"not valid JSON: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        raise ReportError('not a report: expected {"results": [...]}')
    shard = data.get("shard")
    try:
        parsed_shard = Shard.parse(shard) if shard else None
    except ValueError as exc:
        raise ReportError(str(exc)) from None
    return Report(
        rows=[_row(item) for item in data["results"]],
        complete=bool(data.get("complete", True)),
        shard=parsed_shard,
        batch_size=data.get("batch_size"),
    )


def parse_csv(text: str) -> Report:
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None or not set(COLUMNS) <= set(reader.fieldnames):
        raise ReportError(f"not a report: the CSV header must name {', '.join(COLUMNS)}")
    return Report(rows=[_row(item) for item in reader])


def parse_junit(text: str) -> Report:
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise ReportError(f"not valid XML: {exc}") from None
    cases = root.iter("testcase")
    return Report(rows=[_junit_row(case) for case in cases])


def _junit_row(case: ET.Element) -> ResultRow:
    properties = {
        prop.get("name"): prop.get("value") for prop in case.iter("property") if prop.get("name")
    }
    failure, error = case.find("failure"), case.find("error")
    if "status" in properties:
        status = properties["status"]
    elif failure is not None:
        status = "failed"
    elif error is not None:
        status = "timeout" if error.get("type") == "timeout" else "error"
    elif case.find("skipped") is not None:
        status = "new"
    else:
        status = "passed"
    outcome = failure if failure is not None else error
    return _row(
        {
            "learner": case.get("classname", ""),
            "exercise": case.get("name", ""),
            "status": status,
            "duration_s": case.get("time", "0"),
            "failure_kind": properties.get("failure_kind"),
            "message": (outcome.text or outcome.get("message", "")) if outcome is not None else "",
        }
    )


# --- merge ------------------------------------------------------------------------------------


def merge_reports(named: Iterable[tuple[str, Report]]) -> tuple[Report, list[str]]:
    """Merge shard reports into one; returns it and the problems a CI step should fail on.

    Two rows for the same learner and exercise are an error (ReportError): shards partition a
    batch, so a duplicate means the same shard was passed twice or two batches were mixed.
    Problems (not errors, the merged report is still useful) mark it incomplete: an
    interrupted input, shards of an N-way split that are missing, fewer rows than the batch.
    """
    named = list(named)
    merged = Report(rows=_merged_rows(named))
    problems = [
        f"{name} is incomplete (its run was interrupted)" for name, r in named if not r.complete
    ]
    problems += _missing_shards([report.shard for _, report in named])
    sizes = {report.batch_size for _, report in named if report.batch_size is not None}
    if len(sizes) > 1:
        problems.append(f"the reports come from batches of different sizes {sorted(sizes)}")
    elif sizes:
        merged.batch_size = sizes.pop()
        if not problems and merged.batch_size != len(merged.rows):
            problems.append(
                f"the batch had {merged.batch_size} files but the merged reports hold "
                f"{len(merged.rows)} rows"
            )
    merged.complete = not problems
    return merged, problems


def _merged_rows(named: list[tuple[str, Report]]) -> list[ResultRow]:
    seen: dict[tuple[str, str], str] = {}
    rows = []
    for name, report in named:
        for row in report.rows:
            if row.key in seen:
                raise ReportError(
                    f"{row.learner}/{row.exercise} is in both {seen[row.key]} and {name}; "
                    "each shard must be merged once"
                )
            seen[row.key] = name
            rows.append(row)
    return sorted(rows, key=lambda row: row.key)


def _missing_shards(shards: list[Shard | None]) -> list[str]:
    """Shards of an I/N split that no input holds; unknowable if an input does not say (CSV)."""
    if None in shards:
        return []
    seen: dict[int, set[int]] = {}
    for shard in shards:
        assert shard is not None
        seen.setdefault(shard.count, set()).add(shard.index)
    problems = []
    for count, indexes in sorted(seen.items()):
        missing = sorted(set(range(1, count + 1)) - indexes)
        if missing:
            listed = ", ".join(f"{i}/{count}" for i in missing)
            problems.append(f"shard(s) {listed} missing from the merge")
    return problems

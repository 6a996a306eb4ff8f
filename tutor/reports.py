"""Result reports for instructors: one row per graded file, as JSON, CSV, JUnit XML or HTML.

`grade` (a batch, or one shard of it), `export` (a learner's own results) and `merge` (the
shards of one batch, back into one report, or one report into another format) all produce the
same rows, so a CI system, a spreadsheet, a gradebook script and a person read them the same
way. The first five fields are fixed by the contract (section 2); the rest say what a gradebook
needs: the failing test, the message, the seed, the course, the tutor's version, the file's
sha256, the integrity findings, the explanation, and near-identical files (``--similar``).

A report also records how it was made (seed, course, version, shard, batch size, finished or
not), so that `merge` can refuse shards that do not belong together and tell an interrupted or
missing shard from a finished batch.

Names in rows are already escaped (``tutor.output.escape``): the producers escape what they
read from the file system, so every name a report holds is printable and stays distinct.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tutor.output import OutputError, check_output, inert, terminal_safe, write_output
from tutor.verdict import Verdict

if TYPE_CHECKING:
    from tutor.course import Course

FORMATS: tuple[str, ...] = ("json", "csv", "junit", "html")
READABLE_FORMATS: tuple[str, ...] = ("json", "csv", "junit")
COLUMNS: tuple[str, ...] = ("learner", "exercise", "status", "duration_s", "failure_kind")
# After the contract's five: what a gradebook wants to know about each file.
EXTRA_COLUMNS: tuple[str, ...] = (
    "failing_test",
    "message",
    "explanation",
    "integrity",
    "similar_to",
    "seed",
    "course",
    "tutor_version",
    "sha256",
)
# The grading statuses; "missing" for an expected file nobody handed in (grade), "new" for an
# exercise a learner never checked (export).
ROW_STATUSES: tuple[str, ...] = (
    "passed", "failed", "refused", "timeout", "error", "missing", "new",
)  # fmt: skip
NOT_PASSED_BY_LEARNER = ("failed", "refused", "missing")  # JUnit <failure>: the learner's doing
MESSAGE_LIMIT = 2000
_SUFFIX_FORMATS = {
    ".json": "json", ".csv": "csv", ".xml": "junit", ".junit": "junit",
    ".html": "html", ".htm": "html",
}  # fmt: skip


class ReportError(Exception):
    """A report that cannot be read, written or merged; the message names the file and why."""


@dataclass(frozen=True)
class Similar:
    """Another learner's file for the same exercise that is nearly the same as this one."""

    learner: str
    score: float  # 0..1: the share of the two files' own fingerprints they have in common

    def __str__(self) -> str:
        return f"{self.learner} ({round(self.score * 100)}%)"

    @classmethod
    def parse(cls, text: str) -> Similar:
        match = re.fullmatch(r"(.*) \((\d+)%\)", text.strip())
        if not match:
            raise ReportError(f"similar_to: cannot read {text!r}; expected 'learner (NN%)'")
        return cls(match.group(1), int(match.group(2)) / 100)


@dataclass(frozen=True)
class ResultRow:
    """One graded file: the contract's five fields, then what a gradebook needs."""

    learner: str
    exercise: str
    status: str
    duration_s: float
    failure_kind: str | None = None
    message: str = ""
    failing_test: str = ""
    explanation: str = ""  # the failure explained in one or two sentences, when it was
    integrity: tuple[str, ...] = ()
    similar_to: tuple[Similar, ...] = ()
    seed: int | None = None
    course: str = ""
    tutor_version: str = ""
    sha256: str = ""

    def __post_init__(self) -> None:
        # Milliseconds are all a report shows; rounding here makes every format round-trip.
        object.__setattr__(self, "duration_s", round(float(self.duration_s), 3))
        # Names arrive escaped; `inert` leaves them be and makes anything else printable.
        for name in ("learner", "exercise", "failing_test", "course"):
            object.__setattr__(self, name, inert(getattr(self, name)))
        for name in ("message", "explanation"):
            object.__setattr__(self, name, terminal_safe(getattr(self, name)))
        object.__setattr__(self, "integrity", tuple(inert(f) for f in self.integrity))

    @classmethod
    def from_verdict(cls, learner: str, verdict: Verdict, **context: Any) -> ResultRow:
        """The row of ``verdict``; ``context`` fills seed, course, tutor_version, sha256."""
        failure = verdict.failure
        explanation = (failure.explanation or {}) if failure is not None else {}
        return cls(
            learner=learner,
            exercise=verdict.exercise,
            status=verdict.status,
            duration_s=verdict.duration_s,
            failure_kind=failure.kind if failure else None,
            message=_clip(_reason(verdict)),
            failing_test=_failing_test(verdict),
            explanation=str(explanation.get("summary") or ""),
            integrity=tuple(_integrity(verdict)),
            **context,
        )

    @property
    def key(self) -> tuple[str, str]:
        return (self.learner, self.exercise)

    @property
    def headline(self) -> str:
        """The message's first line: what a spreadsheet cell or a JUnit summary shows."""
        return self.message.splitlines()[0] if self.message else ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "learner": self.learner,
            "exercise": self.exercise,
            "status": self.status,
            "duration_s": self.duration_s,
            "failure_kind": self.failure_kind,
            "failing_test": self.failing_test,
            "message": self.message,
            "explanation": self.explanation,
            "integrity": list(self.integrity),
            "similar_to": [{"learner": s.learner, "score": s.score} for s in self.similar_to],
            "seed": self.seed,
            "course": self.course,
            "tutor_version": self.tutor_version,
            "sha256": self.sha256,
        }


def _integrity(verdict: Verdict) -> list[str]:
    findings = verdict.integrity
    if isinstance(findings, str):  # pragma: no cover - a verdict built by an older grader
        return [findings] if findings.strip() else []
    return [str(finding).replace("\n", " ") for finding in findings]


def _failing_test(verdict: Verdict) -> str:
    for test in verdict.tests:
        if test.outcome in ("failed", "error"):
            return test.name
    return ""


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
    """Rows plus how they were made: what `merge` needs to put shards back together."""

    rows: list[ResultRow] = field(default_factory=list)
    complete: bool = True
    shard: Shard | None = None
    batch_size: int | None = None
    seed: int | None = None
    course: str | None = None
    course_digest: str | None = None
    tutor_version: str | None = None
    source: str = "grade"  # "grade" (a batch graded here) or "export" (a learner's hand-in)

    def sorted_rows(self) -> list[ResultRow]:
        return sorted(self.rows, key=lambda row: row.key)

    def counts(self) -> dict[str, int]:
        counts = {status: 0 for status in ROW_STATUSES}
        for row in self.rows:
            counts[row.status] = counts.get(row.status, 0) + 1
        return counts

    def tally(self) -> str:
        """How many rows have each status, e.g. "3 passed, 1 failed" ("no rows" if empty)."""
        return ", ".join(f"{n} {status}" for status, n in self.counts().items() if n) or "no rows"

    def learners(self) -> list[dict[str, Any]]:
        """Per learner: how many files, how many passed, and every status counted."""
        return [
            {"learner": name, "passed": sum(r.status == "passed" for r in rows),
             "total": len(rows), "statuses": _status_counts(rows)}
            for name, rows in _grouped(self.rows, lambda r: r.learner)
        ]  # fmt: skip

    def exercises(self) -> list[dict[str, Any]]:
        """Per exercise: how many learners passed it, of how many rows, and the pass rate."""
        summary = []
        for name, rows in _grouped(self.rows, lambda r: r.exercise):
            passed = sum(r.status == "passed" for r in rows)
            summary.append(
                {"exercise": name, "passed": passed, "total": len(rows),
                 "pass_rate": round(passed / len(rows), 3), "statuses": _status_counts(rows)}
            )  # fmt: skip
        return summary


def _grouped(rows: Iterable[ResultRow], key: Any) -> list[tuple[str, list[ResultRow]]]:
    groups: dict[str, list[ResultRow]] = {}
    for row in rows:
        groups.setdefault(key(row), []).append(row)
    return sorted(groups.items())


def _status_counts(rows: list[ResultRow]) -> dict[str, int]:
    return {s: n for s in ROW_STATUSES if (n := sum(r.status == s for r in rows))}


def course_identity(course: Course) -> tuple[str, str]:
    """(an id people read, a digest of what grading depends on) for a course.

    The id is ``builtin`` or a slug of the course's title. The digest covers each exercise's
    id, kind, time limit and hidden tests, not its solution or starter, so the pack handed to
    learners and the instructor's own copy have the same digest, and any change to what a
    verdict depends on changes it.
    """
    slug = "builtin" if course.builtin else _slug(course.title) or "course"
    digest = hashlib.sha256()
    for exercise in sorted(course.exercises, key=lambda e: e.id):
        digest.update(f"{exercise.id}\0{exercise.kind}\0{exercise.timeout_s:g}\0".encode())
        try:
            digest.update(exercise.test_path.read_bytes())
        except OSError:
            digest.update(b"<unreadable>")
        digest.update(b"\0")
    return slug, digest.hexdigest()[:16]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


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
    if fmt == "html":
        from tutor.report_html import render_html

        return render_html(report)
    raise ValueError(f"unknown report format {fmt!r}; use one of {', '.join(FORMATS)}")


def render_json(report: Report) -> str:
    data = {
        "results": [row.to_dict() for row in report.sorted_rows()],
        "complete": report.complete,
        "shard": str(report.shard) if report.shard else None,
        "batch_size": report.batch_size,
        "seed": report.seed,
        "course": report.course,
        "course_digest": report.course_digest,
        "tutor_version": report.tutor_version,
        "source": report.source,
        "learners": report.learners(),
        "exercises": report.exercises(),
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render_csv(report: Report) -> str:
    """The contract's five columns first, then EXTRA_COLUMNS; one line per file.

    A cell that holds a list (integrity findings, similar files) has one item per line, which
    spreadsheets show in one cell; ``message`` is the first line of the message.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS + EXTRA_COLUMNS)
    for row in report.sorted_rows():
        writer.writerow(
            [row.learner, row.exercise, row.status, f"{row.duration_s:.3f}",
             row.failure_kind or "", row.failing_test, row.headline, row.explanation,
             "\n".join(row.integrity), "\n".join(map(str, row.similar_to)),
             "" if row.seed is None else row.seed, row.course, row.tutor_version, row.sha256]
        )  # fmt: skip
    return buffer.getvalue()


def render_junit(report: Report) -> str:
    """One ``<testsuite>`` per learner, one ``<testcase>`` per file; what CI systems display.

    ``failed``/``refused``/``missing`` -> ``<failure>``, ``timeout``/``error`` -> ``<error>``,
    ``new`` -> ``<skipped>``. Each testcase also carries its fields as properties so `merge`
    can read the XML back without losing anything.
    """
    rows = report.sorted_rows()
    root = ET.Element("testsuites", name="threading-tutor")
    _set_totals(root, rows)
    _report_properties(root, report)
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
    element.set("failures", str(sum(row.status in NOT_PASSED_BY_LEARNER for row in rows)))
    element.set("errors", str(sum(row.status in ("timeout", "error") for row in rows)))
    element.set("skipped", str(sum(row.status == "new" for row in rows)))
    element.set("time", f"{sum(row.duration_s for row in rows):.3f}")


_REPORT_PROPERTIES = ("seed", "course", "course_digest", "tutor_version", "source")


def _report_properties(root: ET.Element, report: Report) -> None:
    values = {name: getattr(report, name) for name in _REPORT_PROPERTIES}
    values.update(
        complete=str(report.complete).lower(),
        shard=str(report.shard) if report.shard else None,
        batch_size=report.batch_size,
    )
    properties = ET.SubElement(root, "properties")
    for name, value in values.items():
        if value is not None:
            ET.SubElement(properties, "property", name=name, value=str(value))


def _testcase(suite: ET.Element, row: ResultRow) -> None:
    case = ET.SubElement(
        suite, "testcase", classname=row.learner, name=row.exercise, time=f"{row.duration_s:.3f}"
    )
    summary = row.headline or row.status
    if row.status in NOT_PASSED_BY_LEARNER:
        kind = row.failure_kind or row.status
        outcome = ET.SubElement(case, "failure", type=kind)
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
    for name, value in _row_properties(row).items():
        ET.SubElement(properties, "property", name=name, value=value)


def _row_properties(row: ResultRow) -> dict[str, str]:
    values = {
        "status": row.status,
        "failure_kind": row.failure_kind or "",
        "failing_test": row.failing_test,
        "explanation": row.explanation,
        "integrity": "\n".join(row.integrity),
        "similar_to": "\n".join(map(str, row.similar_to)),
        "seed": "" if row.seed is None else str(row.seed),
        "course": row.course,
        "tutor_version": row.tutor_version,
        "sha256": row.sha256,
    }
    return {name: value for name, value in values.items() if value}


def check_writable(output: str | None) -> None:
    """Fail before the work, not after it (ReportError): see ``tutor.output.check_output``."""
    try:
        check_output(output)
    except OutputError as exc:
        raise ReportError(str(exc)) from None


def write_report(report: Report, fmt: str, output: str | None) -> str:
    """Write the report to ``output`` (see ``tutor.output.write_output``); how it was written."""
    text = render(report, fmt)
    try:
        return write_output(output, text)
    except OutputError as exc:
        raise ReportError(str(exc)) from None
    except OSError as exc:
        raise ReportError(f"-o {output}: cannot write: {exc.strerror or exc}") from None


# --- readers ----------------------------------------------------------------------------------


def read_report(path: Path) -> Report:
    """Read a report in JSON, CSV or JUnit XML (detected from the content)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReportError(f"{path}: cannot read: {exc}") from None
    stripped = text.lstrip()
    try:
        if stripped.startswith("<"):
            if stripped[:200].lower().startswith(("<!doctype html", "<html")):
                raise ReportError("an HTML report is for people; merge the JSON, CSV or XML one")
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
        seed = data.get("seed")
        seed = int(seed) if seed not in (None, "") else None
    except (TypeError, ValueError):
        raise ReportError(f"duration_s or seed is not a number in row {data!r}") from None
    return ResultRow(
        learner=str(data["learner"]),
        exercise=str(data["exercise"]),
        status=data["status"],
        duration_s=duration,
        failure_kind=data["failure_kind"] or None,
        message=str(data.get("message") or ""),
        failing_test=str(data.get("failing_test") or ""),
        explanation=str(data.get("explanation") or ""),
        integrity=_items(data.get("integrity")),
        similar_to=_similar(data.get("similar_to")),
        seed=seed,
        course=str(data.get("course") or ""),
        tutor_version=str(data.get("tutor_version") or ""),
        sha256=str(data.get("sha256") or ""),
    )


def _items(value: Any) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(str(item) for item in value)
    return tuple(line for line in str(value or "").splitlines() if line.strip())


def _similar(value: Any) -> tuple[Similar, ...]:
    if isinstance(value, list):
        try:
            return tuple(Similar(str(s["learner"]), float(s["score"])) for s in value)
        except (KeyError, TypeError, ValueError):
            raise ReportError(f"similar_to: cannot read {value!r}") from None
    return tuple(Similar.parse(line) for line in _items(value))


def parse_json(text: str) -> Report:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReportError(f"not valid JSON: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        raise ReportError('not a report: expected {"results": [...]}')
    if not all(isinstance(item, dict) for item in data["results"]):
        raise ReportError("not a report: every result must be an object")
    return _with_metadata([_row(item) for item in data["results"]], data)


def _with_metadata(rows: list[ResultRow], data: dict[str, Any]) -> Report:
    shard = data.get("shard")
    try:
        parsed_shard = Shard.parse(shard) if shard else None
        batch_size = int(data["batch_size"]) if data.get("batch_size") is not None else None
        seed = int(data["seed"]) if data.get("seed") not in (None, "") else None
    except (TypeError, ValueError) as exc:
        raise ReportError(str(exc)) from None
    complete = data.get("complete", True)
    return Report(
        rows=rows,
        complete=complete if isinstance(complete, bool) else str(complete) == "true",
        shard=parsed_shard,
        batch_size=batch_size,
        seed=seed,
        course=data.get("course") or None,
        course_digest=data.get("course_digest") or None,
        tutor_version=data.get("tutor_version") or None,
        source=str(data.get("source") or "grade"),
    )


def parse_csv(text: str) -> Report:
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None or not set(COLUMNS) <= set(reader.fieldnames):
        raise ReportError(f"not a report: the CSV header must name {', '.join(COLUMNS)}")
    rows = [_row(item) for item in reader]
    return Report(rows=rows, **_shared_row_values(rows))


def _shared_row_values(rows: list[ResultRow]) -> dict[str, Any]:
    """A CSV has no header for the report: take seed, course and version from its rows when
    they all agree (merge compares them across reports)."""
    values: dict[str, Any] = {}
    for name in ("seed", "course", "tutor_version"):
        seen = {getattr(row, name) for row in rows} - {None, ""}
        if len(seen) == 1:
            values[name] = seen.pop()
        elif len(seen) > 1:
            raise ReportError(f"its rows have different {name} values: {sorted(map(str, seen))}")
    return values


def parse_junit(text: str) -> Report:
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise ReportError(f"not valid XML: {exc}") from None
    rows = [_junit_row(case) for case in root.iter("testcase")]
    top = root.find("properties")
    if top is None:  # JUnit XML from another tool
        return Report(rows=rows, **_shared_row_values(rows))
    data = {p.get("name"): p.get("value") for p in top.iter("property") if p.get("name")}
    return _with_metadata(rows, data)


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
    message = (outcome.text or outcome.get("message", "")) if outcome is not None else ""
    return _row(
        {
            **properties,
            "learner": case.get("classname", ""),
            "exercise": case.get("name", ""),
            "status": status,
            "duration_s": case.get("time", "0"),
            "failure_kind": properties.get("failure_kind"),
            "message": message,
        }
    )


# --- merge ------------------------------------------------------------------------------------


def merge_reports(named: Iterable[tuple[str, Report]]) -> tuple[Report, list[str]]:
    """Merge shard reports into one; returns it and the problems a CI step should fail on.

    Refused (ReportError): two rows for the same learner and exercise (a shard passed twice,
    or two batches mixed), and reports graded against different courses, with different seeds
    or by different tutor versions (their verdicts are not comparable). Problems (the merged
    report is still useful) mark it incomplete: an interrupted input, shards of an N-way split
    that are missing, fewer rows than the batch had files.
    """
    named = list(named)
    merged = Report(rows=_merged_rows(named), **_common_metadata(named))
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


def _common_metadata(named: list[tuple[str, Report]]) -> dict[str, Any]:
    """What every input agrees on; ReportError when two inputs disagree on what matters."""
    graded = [(name, r) for name, r in named if r.source != "export"]
    checks = [("course_digest", named, "courses"), ("course", named, "courses")]
    checks += [("seed", graded, "seeds"), ("tutor_version", graded, "tutor versions")]
    values: dict[str, Any] = {}
    for attribute, reports, what in checks:
        seen: dict[Any, str] = {}
        for name, report in reports:
            value = getattr(report, attribute)
            if value is not None:
                seen.setdefault(value, name)
        if len(seen) > 1:
            if attribute == "course" and values.get("course_digest"):
                continue  # the same hidden tests under another title: the digest decides
            listed = "; ".join(f"{name}: {value}" for value, name in seen.items())
            raise ReportError(
                f"the reports were graded with different {what} ({listed}); "
                "merge only the shards of one grading run"
            )
        values[attribute] = next(iter(seen), None)
    sources = {report.source for _, report in named}
    values["source"] = sources.pop() if len(sources) == 1 else "grade"
    return values


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

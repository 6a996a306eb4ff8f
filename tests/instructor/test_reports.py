"""The report formats of contract section 2, their round trip, shards and the merge of reports.

These tests build rows directly (the format is what is under test); the batch tests check the
same formats on verdicts from the real grader.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest

from tutor.reports import (
    COLUMNS,
    EXTRA_COLUMNS,
    Report,
    ReportError,
    ResultRow,
    Shard,
    format_for_path,
    merge_reports,
    parse_csv,
    parse_json,
    parse_junit,
    render,
)
from tutor.verdict import Failure, TestResult, Verdict

ROWS = [
    ResultRow("bob", "transfer-deadlock", "timeout", 3.2, "timeout", "wall limit of 3 s hit"),
    ResultRow("alice", "hit-counter", "passed", 0.81234, None, ""),
    ResultRow("alice", "transfer-deadlock", "failed", 1.5, "deadlock", "T1 holds A\nT2 holds B"),
    ResultRow("bob", "hit-counter", "error", 0.0, None, 'hit-counter.py is empty <&"'),
    ResultRow("carol", "hit-counter", "new", 0.0, None, ""),
]


def report() -> Report:
    return Report(rows=list(ROWS), shard=Shard(2, 3), batch_size=14)


def test_json_has_the_contract_fields_sorted_by_learner_then_exercise() -> None:
    data = json.loads(render(report(), "json"))
    rows = data["results"]
    assert [(r["learner"], r["exercise"]) for r in rows] == sorted(r.key for r in ROWS)
    for row in rows:
        assert set(COLUMNS) <= set(row)
    alice_counter = rows[0]
    assert alice_counter == {
        "learner": "alice",
        "exercise": "hit-counter",
        "status": "passed",
        "duration_s": 0.812,
        "failure_kind": None,
        "failing_test": "",
        "message": "",
        "explanation": "",
        "integrity": [],
        "similar_to": [],
        "seed": None,
        "course": "",
        "tutor_version": "",
        "sha256": "",
    }
    assert (data["complete"], data["shard"], data["batch_size"]) == (True, "2/3", 14)


def test_csv_header_starts_with_the_five_contract_names() -> None:
    text = render(report(), "csv")
    lines = text.splitlines()
    assert lines[0].startswith("learner,exercise,status,duration_s,failure_kind,")
    assert lines[0].split(",") == list(COLUMNS + EXTRA_COLUMNS)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(ROWS)
    assert {k: v for k, v in rows[1].items() if k in COLUMNS or k == "message"} == {
        "learner": "alice",
        "exercise": "transfer-deadlock",
        "status": "failed",
        "duration_s": "1.500",
        "failure_kind": "deadlock",
        "message": "T1 holds A",  # the message's first line
    }


def test_junit_parses_with_one_suite_per_learner_and_the_right_elements() -> None:
    root = ET.fromstring(render(report(), "junit"))
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("5", "1", "2")
    suites = {suite.get("name"): suite for suite in root.findall("testsuite")}
    assert sorted(suites) == ["alice", "bob", "carol"]
    assert suites["bob"].get("errors") == "2"
    cases = {(c.get("classname"), c.get("name")): c for c in root.iter("testcase")}
    assert len(cases) == 5
    passed = cases["alice", "hit-counter"]
    assert passed.find("failure") is None and passed.find("error") is None
    failure = cases["alice", "transfer-deadlock"].find("failure")
    assert failure is not None and failure.get("type") == "deadlock"
    assert failure.get("message") == "T1 holds A" and failure.text == "T1 holds A\nT2 holds B"
    timeout = cases["bob", "transfer-deadlock"].find("error")
    assert timeout is not None and timeout.get("type") == "timeout"
    error = cases["bob", "hit-counter"].find("error")
    assert error is not None and error.get("message") == 'hit-counter.py is empty <&"'
    assert cases["carol", "hit-counter"].find("skipped") is not None


@pytest.mark.parametrize("fmt", ["json", "junit"])
def test_json_and_junit_read_back_exactly(fmt: str) -> None:
    parse = parse_json if fmt == "json" else parse_junit
    again = parse(render(report(), fmt))
    assert again.sorted_rows() == report().sorted_rows()


def test_csv_reads_back_with_the_first_line_of_each_message() -> None:
    again = parse_csv(render(report(), "csv"))
    expected = [replace(r, message=r.headline) for r in report().sorted_rows()]
    assert again.sorted_rows() == expected


def test_junit_from_another_tool_is_read_by_its_elements() -> None:
    xml = """<testsuites><testsuite name="x">
      <testcase classname="x" name="a" time="1.0"/>
      <testcase classname="x" name="b" time="2"><failure message="boom">long</failure></testcase>
      <testcase classname="x" name="c"><error type="timeout" message="slow"/></testcase>
      <testcase classname="x" name="d"><error message="crash"/></testcase>
    </testsuite></testsuites>"""
    statuses = {row.exercise: row.status for row in parse_junit(xml).rows}
    assert statuses == {"a": "passed", "b": "failed", "c": "timeout", "d": "error"}


def test_row_from_a_verdict_keeps_the_failure_kind_and_a_clipped_message() -> None:
    verdict = Verdict(
        exercise="hit-counter",
        status="failed",
        duration_s=0.4567,
        tests=[TestResult("test_race", "failed", "lost update")],
        failure=Failure(kind="race", message="x" * 5000, schedule="v1:0,1"),
    )
    row = ResultRow.from_verdict("alice", verdict)
    assert (row.status, row.failure_kind, row.duration_s) == ("failed", "race", 0.457)
    assert len(row.message) <= 2000 and row.message.endswith("[... truncated]")
    no_failure = Verdict("hit-counter", "failed", 0.1, [TestResult("test_x", "failed", "boom")])
    assert ResultRow.from_verdict("bob", no_failure).message == "test_x: boom"


@pytest.mark.parametrize(
    "text, bad",
    [("", True), ("1", True), ("0/3", True), ("4/3", True), ("a/b", True), ("1/1", False)],
)
def test_shard_syntax(text: str, bad: bool) -> None:
    if bad:
        with pytest.raises(ValueError, match="I/N"):
            Shard.parse(text)
    else:
        assert Shard.parse(text) == Shard(1, 1)


def test_shards_partition_any_list() -> None:
    items = list(range(23))
    for count in (1, 2, 3, 5, 23, 30):
        parts = [Shard(i, count).select(items) for i in range(1, count + 1)]
        assert sorted(x for part in parts for x in part) == items
        assert max(map(len, parts)) - min(map(len, parts)) <= 1


def test_format_comes_from_the_flag_then_the_suffix() -> None:
    assert format_for_path("out.xml", None) == "junit"
    assert format_for_path("out.CSV", None) == "csv"
    assert format_for_path("out.xml", "json") == "json"
    assert format_for_path(None, None) == "json"


def shard_reports(count: int) -> list[tuple[str, Report]]:
    rows = sorted(ROWS, key=lambda r: r.key)
    return [
        (f"shard{i}.json", Report(Shard(i, count).select(rows), True, Shard(i, count), len(rows)))
        for i in range(1, count + 1)
    ]


def test_merge_of_all_shards_is_the_whole_batch() -> None:
    merged, problems = merge_reports(shard_reports(3))
    assert problems == []
    assert merged.complete and merged.rows == sorted(ROWS, key=lambda r: r.key)


def test_merge_reports_a_missing_shard() -> None:
    named = shard_reports(3)
    merged, problems = merge_reports([named[0], named[2]])
    assert problems == ["shard(s) 2/3 missing from the merge"]
    assert not merged.complete


def test_merge_reports_an_interrupted_shard() -> None:
    named = shard_reports(2)
    named[1][1].complete = False
    merged, problems = merge_reports(named)
    assert problems == ["shard2.json is incomplete (its run was interrupted)"]
    assert not merged.complete


def test_merge_refuses_the_same_row_twice() -> None:
    named = shard_reports(2)
    with pytest.raises(ReportError, match="in both shard1.json and again.json"):
        merge_reports([*named, ("again.json", named[0][1])])


@pytest.mark.parametrize(
    "text, message",
    [
        ("{", "not valid JSON"),
        ('{"rows": []}', "not a report"),
        ('{"results": [{"learner": "a"}]}', "lacks exercise"),
        ("<testsuites><oops></testsuites>", "not valid XML"),
        ("name,score\nalice,3\n", "CSV header"),
    ],
)
def test_unreadable_reports_say_why(text: str, message: str, tmp_path) -> None:
    from tutor.reports import read_report

    path = tmp_path / "r.txt"
    path.write_text(text)
    with pytest.raises(ReportError, match=message):
        read_report(path)


def test_a_part_that_does_not_name_its_shard_is_checked_by_the_batch_size() -> None:
    named = shard_reports(3)
    as_csv = [
        (name, Report(rows=r.rows)) if name == "shard2.json" else (name, r) for name, r in named
    ]
    merged, problems = merge_reports(as_csv)
    assert problems == [] and merged.complete and len(merged.rows) == len(ROWS)
    merged, problems = merge_reports([as_csv[0], as_csv[1]])
    assert problems == [f"the batch had {len(ROWS)} files but the merged reports hold 4 rows"]
    assert not merged.complete


def test_control_characters_and_undecodable_names_stay_valid_in_every_format(tmp_path) -> None:
    from tutor.output import escape
    from tutor.reports import read_report, write_report

    learner = escape("caf" + b"\xe9".decode("utf-8", "surrogateescape"))  # a Latin-1 name
    row = ResultRow(learner, "hit-counter", "failed", 1.0, "race", "\x1b[31mred\x1b[0m\x00 T1")
    report = Report(rows=[row])
    for fmt, suffix in (("json", "json"), ("csv", "csv"), ("junit", "xml")):
        path = tmp_path / f"r.{suffix}"
        write_report(report, fmt, str(path))  # encodes as UTF-8 without an error
        (again,) = read_report(path).rows
        assert again.learner == "caf\\xe9" and again.status == "failed"
    root = ET.parse(tmp_path / "r.xml").getroot()
    assert root.find("testsuite/testcase/failure").text == "\\x1b[31mred\\x1b[0m\\x00 T1"


def test_names_that_differ_in_a_control_character_stay_two_learners(tmp_path) -> None:
    """Issue 11, item 6: folders zed\\x01 and zed\\x02 both became zed\ufffd and merge refused."""
    from tutor.output import escape, unescape
    from tutor.reports import read_report, write_report

    rows = [ResultRow(escape(f"zed{c}"), "hit-counter", "passed", 1.0) for c in "\x01\x02"]
    parts = []
    for index, (row, fmt) in enumerate(zip(rows, ("json", "junit"), strict=True), 1):
        path = tmp_path / f"part{index}.{'xml' if fmt == 'junit' else fmt}"
        write_report(Report([row], shard=Shard(index, 2), batch_size=2), fmt, str(path))
        parts.append((path.name, read_report(path)))
    merged, problems = merge_reports(parts)
    assert problems == [] and len(merged.rows) == 2
    assert sorted(unescape(r.learner) for r in merged.rows) == ["zed\x01", "zed\x02"]


def meta_report(**values) -> Report:
    base = {"seed": 0, "course": "pack", "course_digest": "abc", "tutor_version": "1.0"}
    return Report(rows=[ResultRow("ann", "x", "passed", 1.0)], **{**base, **values})


@pytest.mark.parametrize(
    "other, what",
    [
        ({"seed": 3}, "different seeds"),
        ({"course_digest": "def"}, "different courses"),
        ({"tutor_version": "2.0"}, "different tutor versions"),
    ],
)
def test_merge_refuses_reports_from_different_runs(other, what) -> None:
    second = meta_report(**other)
    second.rows = [ResultRow("bob", "x", "passed", 1.0)]
    with pytest.raises(ReportError, match=what):
        merge_reports([("a.json", meta_report()), ("b.json", second)])


def test_merge_accepts_hand_ins_from_learners_on_other_versions() -> None:
    first = meta_report(seed=None, tutor_version="1.0", source="export")
    second = meta_report(seed=None, tutor_version="1.1", source="export")
    second.rows = [ResultRow("bob", "x", "passed", 1.0)]
    merged, problems = merge_reports([("ann.json", first), ("bob.json", second)])
    assert problems == [] and len(merged.rows) == 2 and merged.course == "pack"
    second.course_digest = "other"
    with pytest.raises(ReportError, match="different courses"):
        merge_reports([("ann.json", first), ("bob.json", second)])


def test_every_row_field_survives_json_csv_and_junit(tmp_path) -> None:
    from tutor.reports import Similar, read_report, write_report

    row = ResultRow(
        "ann", "hit-counter", "refused", 0.5, "race", "line one\nline two", "test_race",
        "T1 and T2 both read self.n as 0", ("imports ctypes", "reads f_back"),
        (Similar("bob", 0.97),), 4, "pack", "0.1.0", "ab" * 32,
    )  # fmt: skip
    missing = ResultRow("bob", "hit-counter", "missing", 0.0, None, "no file hit-counter.py")
    report = Report([row, missing], seed=4, course="pack", tutor_version="0.1.0")
    for fmt, suffix in (("json", "json"), ("junit", "xml"), ("csv", "csv")):
        path = tmp_path / f"r.{suffix}"
        write_report(report, fmt, str(path))
        again = {r.key: r for r in read_report(path).rows}
        expected = row if fmt != "csv" else replace(row, message="line one")
        assert again[row.key] == expected, fmt
        assert again[missing.key].status == "missing"
    junit = ET.parse(tmp_path / "r.xml").getroot()
    assert (junit.get("tests"), junit.get("failures"), junit.get("errors")) == ("2", "2", "0")


def test_rows_carry_the_failing_test_integrity_and_explanation() -> None:
    verdict = Verdict(
        exercise="hit-counter",
        status="failed",
        duration_s=0.4,
        tests=[TestResult("test_plain", "passed"), TestResult("test_race", "failed", "lost")],
        failure=Failure(
            kind="race", message="lost update",
            explanation={"pattern": "lost-update", "summary": "T1 and T2 both read 0."},
        ),
        integrity=["imports gc"],
    )  # fmt: skip
    row = ResultRow.from_verdict("ann", verdict, seed=2, course="c", tutor_version="v")
    assert (row.failing_test, row.explanation, row.integrity) == (
        "test_race", "T1 and T2 both read 0.", ("imports gc",),
    )  # fmt: skip
    assert (row.seed, row.course, row.tutor_version) == (2, "c", "v")


def test_the_json_report_has_learner_totals_and_exercise_pass_rates() -> None:
    data = json.loads(render(report(), "json"))
    learners = {entry["learner"]: entry for entry in data["learners"]}
    assert (learners["alice"]["passed"], learners["alice"]["total"]) == (1, 2)
    rates = {entry["exercise"]: entry["pass_rate"] for entry in data["exercises"]}
    assert rates == {"hit-counter": 0.333, "transfer-deadlock": 0.0}


def test_the_html_report_is_one_self_contained_page() -> None:
    from tutor.reports import Similar

    rows = [
        *ROWS,
        ResultRow("carol", "transfer-deadlock", "failed", 1.0, similar_to=(Similar("alice", 0.9),)),
    ]
    page = render(Report(rows=rows, seed=3, course="pack"), "html")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    for outside in ("http://", "https://", "<script", "<link", "@import", "url("):
        assert outside not in page, outside  # nothing is fetched: it reads offline
    assert "hit-counter.py is empty &lt;&amp;&quot;" in page  # learners' text is escaped
    assert "T1 holds A\nT2 holds B" in page  # the whole failure, readable
    assert "Per learner" in page and "Per exercise" in page and "33%" in page
    assert "Near-identical files" in page and "alice and carol" in page

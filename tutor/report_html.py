"""``grade --format html``: one self-contained page an instructor opens, prints or mails.

No script, no web font, no link to anything: the page is read offline, from a CI artifact or an
e-mail attachment. It leads with the class at a glance (a grid of learners by exercises), then
the per-learner totals and per-exercise pass rates, near-identical files, and every file that
did not pass with its whole message, readable without scrolling sideways.
"""

from __future__ import annotations

from html import escape

from tutor.reports import Report, ResultRow

_MARKS = {
    "passed": ("✓", "passed"),
    "failed": ("✗", "failed"),
    "refused": ("⊘", "refused"),
    "timeout": ("⌛", "timeout"),
    "error": ("!", "error"),
    "missing": ("–", "missing"),
    "new": ("·", "new"),
}

_STYLE = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 1.5rem;
       color: #1d2327; background: #fff; max-width: 72rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
.meta { color: #555; margin: 0 0 1rem; }
table { border-collapse: collapse; margin: .5rem 0; }
th, td { border: 1px solid #d0d7de; padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.cell { text-align: center; font-weight: bold; min-width: 2rem; }
.passed { background: #dafbe1; color: #116329; }
.failed, .refused { background: #ffebe9; color: #a40e26; }
.timeout, .error { background: #fff8c5; color: #7d4e00; }
.missing, .new { background: #f6f8fa; color: #57606a; }
.bar { display: inline-block; height: .7rem; background: #2da44e; vertical-align: middle; }
.barbox { display: inline-block; width: 8rem; background: #eaeef2; margin-right: .5rem; }
details { border: 1px solid #d0d7de; border-radius: 6px; margin: .5rem 0; padding: .25rem .75rem; }
summary { cursor: pointer; font-weight: 600; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f6f8fa; padding: .5rem;
      font: 13px/1.4 ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
.warn { color: #a40e26; } .small { color: #555; font-size: .9em; }
@media print { details { break-inside: avoid; } }
"""


def render_html(report: Report) -> str:
    rows = report.sorted_rows()
    title = f"Grades: {report.course or 'course'}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="meta">{escape(_meta_line(report))}</p>',
    ]
    if not report.complete:
        parts.append(
            '<p class="warn"><strong>Incomplete:</strong> this report does not hold every file '
            "of the batch (an interrupted run or a missing shard).</p>"
        )
    parts += _grid(report, rows)
    parts += _learner_totals(report)
    parts += _exercise_rates(report)
    parts += _similar_files(rows)
    parts += _failures(rows)
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _meta_line(report: Report) -> str:
    bits = [f"{len(report.rows)} files: {report.tally()}"]
    if report.seed is not None:
        bits.append(f"seed {report.seed}")
    if report.course_digest:
        bits.append(f"course digest {report.course_digest}")
    if report.tutor_version:
        bits.append(f"threading-tutor {report.tutor_version}")
    if report.shard:
        bits.append(f"shard {report.shard} of a batch of {report.batch_size}")
    return " · ".join(bits)


def _mark(row: ResultRow | None) -> str:
    if row is None:
        return "<td></td>"
    symbol, css = _MARKS.get(row.status, ("?", "error"))
    tip = row.status + (f": {row.headline}" if row.headline else "")
    return f'<td class="cell {css}" title="{escape(tip)}">{symbol}</td>'


def _grid(report: Report, rows: list[ResultRow]) -> list[str]:
    exercises = sorted({row.exercise for row in rows})
    learners = sorted({row.learner for row in rows})
    if not rows:
        return ["<p>No rows.</p>"]
    by_key = {row.key: row for row in rows}
    legend = " ".join(f'<span class="{c}">{s}</span> {c}' for s, c in _MARKS.values())
    out = ["<h2>The class at a glance</h2>", f'<p class="small">{legend}</p>', "<table>"]
    out.append(
        "<tr><th>learner</th>"
        + "".join(f"<th>{escape(e)}</th>" for e in exercises)
        + "<th>passed</th></tr>"
    )
    totals = {entry["learner"]: entry for entry in report.learners()}
    for learner in learners:
        cells = "".join(_mark(by_key.get((learner, e))) for e in exercises)
        total = totals[learner]
        out.append(
            f"<tr><th>{escape(learner)}</th>{cells}"
            f'<td class="num">{total["passed"]}/{total["total"]}</td></tr>'
        )
    out.append("</table>")
    return out


def _not_passed(statuses: dict[str, int]) -> str:
    return ", ".join(f"{n} {status}" for status, n in statuses.items() if status != "passed")


def _learner_totals(report: Report) -> list[str]:
    out = ["<h2>Per learner</h2>", "<table>",
           "<tr><th>learner</th><th>passed</th><th>files</th><th>not passed</th></tr>"]  # fmt: skip
    for entry in report.learners():
        others = _not_passed(entry["statuses"])
        out.append(
            f'<tr><td>{escape(entry["learner"])}</td><td class="num">{entry["passed"]}</td>'
            f'<td class="num">{entry["total"]}</td><td>{escape(others)}</td></tr>'
        )
    out.append("</table>")
    return out


def _exercise_rates(report: Report) -> list[str]:
    out = ["<h2>Per exercise</h2>", "<table>",
           "<tr><th>exercise</th><th>pass rate</th><th>passed</th><th>rows</th>"
           "<th>not passed</th></tr>"]  # fmt: skip
    for entry in report.exercises():
        width = round(entry["pass_rate"] * 100)
        others = _not_passed(entry["statuses"])
        out.append(
            f'<tr><td>{escape(entry["exercise"])}</td><td><span class="barbox">'
            f'<span class="bar" style="width:{width}%"></span></span>{width}%</td>'
            f'<td class="num">{entry["passed"]}</td><td class="num">{entry["total"]}</td>'
            f"<td>{escape(others)}</td></tr>"
        )
    out.append("</table>")
    return out


def _similar_files(rows: list[ResultRow]) -> list[str]:
    pairs = sorted(
        {
            (row.exercise, *sorted((row.learner, other.learner)), round(other.score * 100))
            for row in rows
            for other in row.similar_to
        }
    )
    if not pairs:
        return []
    out = ["<h2>Near-identical files</h2>",
           '<p class="small">Pairs of files for the same exercise whose own code (what is not '
           "the starter's or the reference solution's) is nearly the same. A lead to look at, "
           "not a verdict.</p>",
           "<table><tr><th>exercise</th><th>learners</th><th>shared</th></tr>"]  # fmt: skip
    for exercise, first, second, percent in pairs:
        out.append(
            f"<tr><td>{escape(exercise)}</td><td>{escape(first)} and {escape(second)}</td>"
            f'<td class="num">{percent}%</td></tr>'
        )
    out.append("</table>")
    return out


def _failures(rows: list[ResultRow]) -> list[str]:
    failing = [row for row in rows if row.status not in ("passed", "new") or row.integrity]
    heading = "<h2>Files that did not pass, or were flagged</h2>"
    if not failing:
        return [heading, "<p>None.</p>"]
    out = [heading]
    for row in failing:
        css = _MARKS.get(row.status, ("", "error"))[1]
        kind = f" ({row.failure_kind})" if row.failure_kind else ""
        out.append(
            f'<details><summary><span class="{css}">{escape(row.status)}{escape(kind)}</span> '
            f"{escape(row.learner)} / {escape(row.exercise)}"
            + (f" — {escape(row.failing_test)}" if row.failing_test else "")
            + "</summary>"
        )
        if row.explanation:
            out.append(f"<p><strong>What happened:</strong> {escape(row.explanation)}</p>")
        if row.integrity:
            findings = "".join(f"<li>{escape(f)}</li>" for f in row.integrity)
            out.append(f"<p><strong>Integrity findings:</strong></p><ul>{findings}</ul>")
        if row.message:
            out.append(f"<pre>{escape(row.message)}</pre>")
        details = [f"{row.duration_s:.3f} s"]
        if row.sha256:
            details.append(f"sha256 {row.sha256[:16]}…")
        out.append(f'<p class="small">{escape(" · ".join(details))}</p></details>')
    return out

"""Text for a terminal: the timeline as one column per thread, 80 columns wide.

Pure functions of plain data (steps, names, a schedule string): nothing here looks at a run.
"""

from __future__ import annotations

import textwrap

#: learners read failures in an 80-column terminal (``tutor check``)
WIDTH = 80


def render_timeline(timeline: list[dict], names: list[str], total: int = WIDTH) -> list[str]:
    """One column per thread, ``total`` columns wide (for up to 3 threads; more get 16 each).

    The file most steps are in is named once, in the heading; rows show its line numbers
    alone, and other files by a shortened name. Source text is cut (with an ellipsis) before
    the event, which says what the step did.
    """
    cols = [n for n in names if any(s["thread"] == n for s in timeline)] or names
    width = max(16, (total - 2 - 3 * (len(cols) - 1)) // max(len(cols), 1))
    col = {n: i for i, n in enumerate(cols)}
    files = [s["file"] for s in timeline if s["file"]]
    main_file = max(set(files), key=files.count) if files else ""
    heading = "How it happened (one column per thread"
    out = wrap_words(heading + (f"; lines of {main_file}):" if main_file else "):"), total)
    out.append("  " + " | ".join(_fit(n, width).ljust(width) for n in cols).rstrip())
    out.append("  " + "-+-".join("-" * width for _ in cols))
    prev = None
    for step in timeline:
        marker = "->" if prev is not None and prev != step["thread"] else "  "
        for text in _cell(step, main_file, width):
            cells = [" " * width for _ in cols]
            cells[col.get(step["thread"], 0)] = text.ljust(width)
            out.append(marker + " | ".join(cells).rstrip())
            marker = "  "
        prev = step["thread"]
    return out


def _cell(step: dict, main_file: str, width: int) -> list[str]:
    """``line source [event]`` in ``width`` columns; if it does not fit, the event goes on a
    second line, and whatever is still too long is cut with an ellipsis."""
    if not step["file"]:
        where = ""
    elif step["file"] == main_file:
        where = str(step["line"])
    else:
        where = f"{_short_file(step['file'])}:{step['line']}"
    event = f"[{step['event']}]" if step["event"] else ""
    if step.get("conflict") and step.get("accesses"):  # what the explanation points at
        seen = ", ".join(f"{a['op']} {a['target']}={a['value']}" for a in step["accesses"]
                         if a.get("value") is not None)
        event = f"![{seen or step['event']}]"
    first = f"{where} {step['source']}".strip()
    one_line = f"{first} {event}".strip()
    if len(one_line) <= width or not (first and event):
        return [_fit(one_line, width)]
    return [_fit(first, width), _fit("  " + event, width)]


def _short_file(name: str) -> str:
    stem = name[:-3] if name.endswith(".py") else name
    return _fit(stem, 12)


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "\u2026"


def wrap_words(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width, break_on_hyphens=False) or [text]


def wrap_schedule(schedule: str, width: int) -> list[str]:
    """The schedule string, broken after commas if it is long (``replay`` ignores whitespace)."""
    lines = [""]
    for part in schedule.split(","):
        piece = part if not lines[-1] else "," + part
        if lines[-1] and len(lines[-1]) + len(piece) + 1 > width:
            lines[-1] += ","
            lines.append(part)
        else:
            lines[-1] += piece
    return lines

"""The recorded replay of a failing schedule as timeline steps (plain data, for every screen).

Only learner code and synchronisation appear; consecutive steps of one thread on one line are
merged (their events joined, their accesses concatenated) and a row repeated by a spinning loop
shows once with ``(xN)``.
"""

from __future__ import annotations

import os

from ._naming import event_text
from ._types import Step

#: steps kept (the last ones): a learner reads a failure, not a log
MAX_STEPS = 60


def build_timeline(run, names: list[str], conflicts=frozenset()) -> list[Step]:
    """Steps of the recorded run; ``conflicts``: ring positions the explanation names."""
    import linecache  # only when a failure is reported: keeps the import of the package light

    steps: list[Step] = []
    events: list[list[str]] = []  # per step, its events (joined into "event" at the end)
    for position, (index, filename, line, event, access) in enumerate(run.ring or ()):
        if not filename and event != "finished":
            continue  # inside the standard library: not the learner's business
        text = event_text(run, event, short=True) if event else ""
        if text == "call":
            text = ""
        record = None
        if access is not None:
            record = {"op": access[0], "target": access[1], "value": access[2]}
        if steps:
            prev = steps[-1]
            if (prev["thread"], prev["file"], prev["line"]) == (
                    names[index], os.path.basename(filename), line) and (
                    "finished" not in events[-1]) and (not text or text not in events[-1]):
                if text:
                    events[-1].append(text)
                if record is not None:
                    prev.setdefault("accesses", []).append(record)
                if position in conflicts:
                    prev["conflict"] = True
                continue
        step: Step = {
            "thread": names[index],
            "file": os.path.basename(filename),
            "line": line,
            "source": linecache.getline(filename, line).strip() if filename else "",
            "event": "",
        }
        if record is not None:
            step["accesses"] = [record]
        if position in conflicts:
            step["conflict"] = True
        steps.append(step)
        events.append([text] if text else [])
    for step, texts in zip(steps, events, strict=True):
        step["event"] = ", ".join(texts)
    return _fold_repeats(steps)[-MAX_STEPS:]


def _fold_repeats(steps: list[Step]) -> list[Step]:
    """A loop that spins shows once per distinct row, with how many times it went round."""
    out: list[Step] = []
    counts: list[int] = []
    for step in steps:
        if out and out[-1] == step:
            counts[-1] += 1
            continue
        out.append(step)
        counts.append(1)
    for step, count in zip(out, counts, strict=True):
        if count > 1:
            step["event"] = f"{step['event']} (x{count})".strip()
    return out

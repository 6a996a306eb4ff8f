"""Turning a failed schedule into words: object names, deadlock cycles, timelines.

Only learner code and synchronisation events appear; stdlib and tutor internals never do.
"""

from __future__ import annotations

import os
import sys

from ._runtime import MAIN, learner_frame

#: learners read failures in an 80-column terminal (``tutor check``)
WIDTH = 80

_KIND_TITLES = {
    "assertion": "A thread interleaving breaks your code",
    "deadlock": "Deadlock: every thread is blocked",
    "starvation": "Starvation: a thread never gets to finish",
}


class InterleavingFailure(AssertionError):
    """A schedule under which the code fails; ``str()`` shows how it happened."""

    def __init__(self, kind: str, message: str, schedule: str | None, timeline: list[dict],
                 thread_names: list[str] | None = None, report=None):
        self.kind = kind
        self.message = message
        self.schedule = schedule
        self.timeline = timeline
        self.thread_names = thread_names or sorted({s["thread"] for s in timeline})
        self.report = report
        super().__init__(self.render())

    def render(self) -> str:
        """The message, the timeline and the schedule.

        Every line but the first fits ``WIDTH`` columns. The first is the one-line message that
        the grader, the UI and ``tutor check --json`` take as it is (a terminal wraps prose
        well enough; it is the table that must not wrap).
        """
        lines = [f"{_KIND_TITLES.get(self.kind, self.kind)}: {self.message}"]
        if self.timeline:
            lines.append("")
            lines.extend(render_timeline(self.timeline, self.thread_names))
        if self.schedule:
            lines.append("")
            note = "  (tutor.interleave.replay reruns it exactly)"
            if len(f"Schedule: {self.schedule}{note}") <= WIDTH:
                lines.append(f"Schedule: {self.schedule}{note}")
            else:
                lines.append(f"Schedule: ({note.strip()[1:-1]})")
                lines.extend("  " + part for part in _wrap_schedule(self.schedule, WIDTH - 2))
        return "\n".join(lines)

    def __reduce__(self):
        args = (self.kind, self.message, self.schedule, self.timeline, self.thread_names)
        return (type(self), args)


# --- naming ---------------------------------------------------------------------------------


def _scan(root, prefix: str, obj, depth: int):
    """A dotted/indexed path from ``root`` to ``obj`` (depth-limited), or None."""
    if root is obj:
        return prefix
    if depth == 0:
        return None
    items = ()
    if isinstance(root, dict):
        items = [(f"{prefix}[{k!r}]", v) for k, v in list(root.items())[:50]]
    elif isinstance(root, (list, tuple)):
        items = [(f"{prefix}[{i}]", v) for i, v in enumerate(root[:50])]
    elif hasattr(root, "__dict__") and not isinstance(root, type) and not callable(root):
        try:
            items = [(f"{prefix}.{k}", v) for k, v in vars(root).items() if not k.startswith("__")]
        except TypeError:
            items = ()
    for name, value in items:
        if value is obj:
            return name
    for name, value in items:
        if isinstance(value, (dict, list, tuple)) or (
            hasattr(value, "__dict__") and not isinstance(value, type) and not callable(value)
            and not type(value).__module__.startswith(("threading", "tutor.interleave"))
        ):
            found = _scan(value, name, obj, depth - 1)
            if found:
                return found
    return None


def name_of(run, obj) -> str:
    """How the learner would refer to ``obj``: a local, an attribute, a state field..."""
    cache = run.__dict__.setdefault("_names", {})
    key = id(obj)
    if key in cache:
        return cache[key]
    name = None
    frames = sys._current_frames()
    if run.state is not None:
        # A path from the shared state is the same whichever thread looks at it: in a
        # symmetric transfer(src, dst) the lock T2 holds is its `src.lock` but T1's `dst.lock`.
        name = _scan(run.state, _state_name(run), obj, 3)
    for ts in run.threads if name is None else ():
        if ts.worker is None:
            continue
        frame = learner_frame(frames.get(ts.worker.ident))
        while frame is not None and name is None:
            for local, value in frame.f_locals.items():
                name = _scan(value, local, obj, 1)
                if name:
                    break
            frame = learner_frame(frame.f_back)
        if name:
            break
    if name is None:
        name = _global_name(run, obj, frames)
    if name is None:
        site = getattr(obj, "_created", None)
        name = f"created at {os.path.basename(site[0])}:{site[1]}" if site else "(unnamed)"
    cache[key] = name
    return name


def _state_name(run) -> str:
    """What the threads call the state: their common first parameter's name, else ``state``."""
    names = set()
    for ts in run.threads:
        code = getattr(ts.fn, "__code__", None)
        first = 1 if hasattr(ts.fn, "__self__") else 0  # a bound method: skip `self`
        if code is None or code.co_argcount <= first or ts.args != (run.state,):
            continue
        names.add(code.co_varnames[first])
    return names.pop() if len(names) == 1 else "state"


def _global_name(run, obj, frames):
    """A module-level name (or one attribute below it) in the modules of the threads' code."""
    seen = set()
    for ts in run.threads:
        frame = learner_frame(frames.get(ts.worker.ident)) if ts.worker is not None else None
        g = frame.f_globals if frame is not None else getattr(ts.fn, "__globals__", None)
        if g is None or id(g) in seen:
            continue
        seen.add(id(g))
        for key, value in list(g.items()):
            if value is obj:
                return key
        for key, value in list(g.items()):
            if key.startswith("__") or callable(value) and not isinstance(value, type):
                continue
            attrs = getattr(value, "__dict__", None)
            if isinstance(attrs, (dict, type(type.__dict__))):
                for attr, inner in list(attrs.items()):
                    if inner is obj:
                        return f"{key}.{attr}"
    return None


def describe(run, obj) -> str:
    from ._run import SLEEP, ThreadState

    if obj is SLEEP:
        return "sleep"
    if isinstance(obj, ThreadState):
        return f"thread {obj.name}"
    condition = getattr(obj, "__dict__", {}).get("_condition")
    if condition is not None:  # the lock a Condition made for itself
        obj = condition
    kind = getattr(obj, "kind", type(obj).__name__)
    return f"{kind} {name_of(run, obj)}"


def event_text(run, event, short: bool = False) -> str:
    """``acquire Lock s.b``; ``short``: ``acquire s.b`` (timeline cells are narrow)."""
    if isinstance(event, str):
        return event
    verb, obj = event
    if verb == "sleep":
        return f"sleep({obj:g})"
    if verb == "start":
        return f"start {obj.name}"
    text = describe(run, obj)
    if short and " " in text and not text.startswith(("thread ", "created at", "(unnamed)")):
        text = text.split(" ", 1)[1]
    return f"{verb} {text}"


def _site_text(site) -> str:
    return f"{os.path.basename(site[0])}:{site[1]}" if site else "?"


def _where(run, ts) -> str:
    frame = learner_frame(sys._current_frames().get(ts.worker.ident))
    if frame is None:
        return "?"
    return f"{os.path.basename(frame.f_code.co_filename)}:{frame.f_lineno}"


# --- deadlock / starvation --------------------------------------------------------------------


def describe_deadlock(run) -> str:
    from ._run import BLOCKED, FINISHED

    blocked = [t for t in run.threads if t.status == BLOCKED]
    owner_of = {}
    for t in run.threads:
        for lock in t.held:
            owner_of[id(lock)] = t
    # find a wait-for cycle through lock owners
    cycle = None
    for start in blocked:
        seen = []
        t = start
        while t is not None and t not in seen:
            seen.append(t)
            t = owner_of.get(id(t.waiting)) if t.waiting is not None else None
            if t is not None and t.status != BLOCKED:
                t = None
        if t is not None and t in seen:
            cycle = seen[seen.index(t):]
            break
    parts = []
    if cycle:
        for t in cycle:
            waited = t.waiting
            if owner_of.get(id(waited)) is t:
                parts.append(f"{t.name} waits for {describe(run, waited)} ({_where(run, t)}) "
                             f"that it already holds")
                continue
            held = [lock for lock in t.held if any(id(lock) == id(u.waiting) for u in cycle)]
            holds = ", ".join(f"{describe(run, lock)} ({_site_text(lock._vsite)})" for lock in held)
            parts.append(f"{t.name} holds {holds or 'nothing'} and waits for "
                         f"{describe(run, waited)} ({_where(run, t)})")
        others = [t for t in blocked if t not in cycle]
    else:
        others = blocked
    for t in others:
        waited = t.waiting
        text = f"{t.name} waits for {describe(run, waited)} ({_where(run, t)})"
        owner = owner_of.get(id(waited))
        if owner is not None and owner.status == FINISHED:
            text += f", which {owner.name} still holds although it has finished"
        elif getattr(waited, "_vowner", None) is MAIN:
            text += ", which setup() left locked"
        elif waited is not None and getattr(waited, "kind", "") in ("Condition", "Event"):
            text += " that nobody will ever send"
        parts.append(text)
    return "; ".join(parts) if parts else "every thread is blocked"


def describe_starvation(run) -> str:
    from ._run import BLOCKED, FINISHED, SLEEP

    parts = []
    for t in run.threads:
        if t.status == FINISHED:
            continue
        if t is run.current:
            parts.append(f"{t.name} keeps running at {_where_current(t)}")
        elif t.status == BLOCKED and t.waiting is SLEEP:
            parts.append(f"{t.name} is sleeping at {_where(run, t)}")
        elif t.status == BLOCKED:
            parts.append(f"{t.name} waits for {describe(run, t.waiting)} at {_where(run, t)}")
        else:
            parts.append(f"{t.name} is ready to run at {_where(run, t)}")
    return (f"after {run.steps} steps the threads still have not finished: " + "; ".join(parts)
            + ". A thread that busy-waits, or that is never let in, makes no progress")


def _where_current(ts) -> str:
    frame = learner_frame(sys._getframe(1))
    if frame is None:
        return "?"
    return f"{os.path.basename(frame.f_code.co_filename)}:{frame.f_lineno}"


# --- timeline ---------------------------------------------------------------------------------


def build_timeline(run, names: list[str]) -> list[dict]:
    """Steps of the recorded run, consecutive steps on one line merged, internals left out."""
    import linecache  # only when a failure is reported: keeps the import of the package light

    steps: list[dict] = []
    for index, filename, line, event in run.ring or ():
        if not filename and event != "finished":
            continue  # inside the standard library: not the learner's business
        text = event_text(run, event, short=True) if event else ""
        entry = {
            "thread": names[index],
            "file": os.path.basename(filename),
            "line": line,
            "source": linecache.getline(filename, line).strip() if filename else "",
            "event": text,
        }
        if steps:
            prev = steps[-1]
            same_place = (prev["file"], prev["line"]) == (entry["file"], entry["line"])
            if prev["thread"] == entry["thread"] and same_place:
                labels = prev["event"].split(", ") if prev["event"] else []
                if not text or text == "call" or (text not in labels and "finished" not in labels):
                    if text and text != "call":
                        prev["event"] = ", ".join([*labels, text])
                    continue
        steps.append(entry)
    return _fold_repeats(steps)[-60:]


def _fold_repeats(steps: list[dict]) -> list[dict]:
    """A loop that spins shows once per distinct row, with how many times it went round."""
    out: list[dict] = []
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
    out = _wrap_words(heading + (f"; lines of {main_file}):" if main_file else "):"), total)
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


def _wrap_words(text: str, width: int) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width, break_on_hyphens=False) or [text]


def _wrap_schedule(schedule: str, width: int) -> list[str]:
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

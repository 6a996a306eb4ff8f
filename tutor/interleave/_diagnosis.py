"""Why a schedule failed, in the learner's terms: the contract's explanation patterns.

Two jobs. While a schedule runs, ``deadlock_facts``/``describe_deadlock`` and
``describe_starvation`` capture who waits for what (the frames are alive only then). After the
final replay, ``explain`` reads the recorded accesses (``_record``) and synchronisation events
and picks the pattern that fits: lost-update, check-then-act, unprotected-invariant, deadlock,
lost-wakeup, wait-without-recheck, starvation, busy-wait, exception, other; with a one- or
two-sentence summary that names the threads, the location as the code names it, and the
values, and the line to look at first.
"""

from __future__ import annotations

import linecache
import os
import sys

from ._naming import describe, name_of, site_text, where, where_current
from ._runtime import MAIN, learner_frame
from ._types import BLOCKED, FINISHED, SLEEP, Explanation, Kind

#: threads reading the same location this many times in a row without anyone writing: a spin
SPIN_READS = 8


# --- while the schedule is still live -----------------------------------------------------------


def _frame_where(run, ts) -> tuple[str, int] | None:
    frame = learner_frame(sys._current_frames().get(ts.worker.ident)) if ts.worker else None
    if frame is None:
        return None
    return (frame.f_code.co_filename, frame.f_lineno)


def deadlock_facts(run) -> dict:
    """Who holds and waits for what, when every thread is blocked (structured, for ``explain``)."""
    blocked = [t for t in run.threads if t.status == BLOCKED]
    owner_of = {}
    for t in run.threads:
        for lock in t.held:
            owner_of[id(lock)] = t
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
    rows = []
    for t in (cycle or []) + [t for t in blocked if not cycle or t not in cycle]:
        waited = t.waiting
        owner = owner_of.get(id(waited))
        rows.append({
            "thread": t, "waits": waited, "where": _frame_where(run, t),
            "in_cycle": bool(cycle) and t in cycle,
            "holds": [lock for lock in t.held if cycle and any(id(lock) == id(u.waiting)
                                                                for u in cycle)],
            "owner": owner,
            "held": list(t.held),
            "direct_run": direct_run_of(sys._current_frames().get(t.worker.ident)
                                        if t.worker else None),
        })  # fmt: skip
    return {"cycle": bool(cycle), "rows": rows}


def describe_deadlock(run, facts: dict) -> str:
    parts = []
    for row in facts["rows"]:
        t, waited = row["thread"], row["waits"]
        at = where(run, t)
        if row["in_cycle"]:
            if row["owner"] is t:
                parts.append(f"{t.name} waits for {describe(run, waited)} ({at}) "
                             "that it already holds")
                continue
            holds = ", ".join(f"{describe(run, lock)} ({site_text(lock._vsite)})"
                              for lock in row["holds"])  # fmt: skip
            parts.append(f"{t.name} holds {holds or 'nothing'} and waits for "
                         f"{describe(run, waited)} ({at})")
            continue
        text = f"{t.name} waits for {describe(run, waited)} ({at})"
        owner = row["owner"]
        if owner is not None and owner.status == FINISHED:
            text += f", which {owner.name} still holds although it has finished"
        elif getattr(waited, "_vowner", None) is MAIN:
            text += ", which setup() left locked"
        elif waited is not None and getattr(waited, "kind", "") in ("Condition", "Event"):
            text += " that nobody will ever send"
        parts.append(text)
    return "; ".join(parts) if parts else "every thread is blocked"


def describe_starvation(run) -> str:
    parts = []
    for t in run.threads:
        if t.status == FINISHED:
            continue
        if t is run.current:
            parts.append(f"{t.name} keeps running at {where_current(t)}")
        elif t.status == BLOCKED and t.waiting is SLEEP:
            parts.append(f"{t.name} is sleeping at {where(run, t)}")
        elif t.status == BLOCKED:
            parts.append(f"{t.name} waits for {describe(run, t.waiting)} at {where(run, t)}")
        else:
            parts.append(f"{t.name} is ready to run at {where(run, t)}")
    return (f"after {run.steps} steps the threads still have not finished: " + "; ".join(parts)
            + ". A thread that busy-waits, or that is never let in, makes no progress")


# --- after the replay: the explanation ------------------------------------------------------------


class _Entry:
    """One recorded step of the replay (a ring entry), with what it touched."""

    __slots__ = ("pos", "thread", "file", "line", "event", "op", "target", "value", "key",
                 "location")

    def __init__(self, pos, thread, file, line, event, access):
        self.pos = pos
        self.thread = thread
        self.file = file
        self.line = line
        self.event = event
        if access is not None:
            self.op, self.target, self.value, self.key = access[:4]
            self.location = access[4] if len(access) > 4 else self.target
        else:
            self.op = self.target = self.value = self.key = self.location = None

    def record(self, names) -> dict:
        return {"thread": names[self.thread], "line": self.line, "op": self.op,
                "target": self.target, "value": self.value}  # fmt: skip


def _source(entry) -> str:
    return linecache.getline(entry.file, entry.line).strip() if entry.file else ""


def _is_wait(entry, kind: str | None = None) -> bool:
    """Did this step wait on a primitive (of ``kind``: "Condition", "Event"...)?"""
    event = entry.event
    return (isinstance(event, tuple) and event[0] == "wait on"
            and (kind is None or getattr(event[1], "kind", "") == kind))


def _waited_between(entries, thread: int, lo: int, hi: int) -> bool:
    """Did ``thread`` wait in steps ``lo`` to ``hi`` (letting the others take the lock)?"""
    return any(e.thread == thread and _is_wait(e) for e in entries[lo:hi])


def _is_check_line(entry) -> bool:
    src = _source(entry)
    return src.startswith(("if ", "elif ", "while ", "assert ", "return ")) or " if " in src


def explain(run, failure, names: list[str], learner_files=()) -> tuple[Explanation | None,
                                                                        set[int]]:
    """(the explanation, ring positions of the conflicting steps) for a failed replay."""
    entries = [_Entry(i, *item) for i, item in enumerate(run.ring or ())]
    memory = [e for e in entries if e.op in ("read", "write", "delete") and e.key is not None]
    facts = getattr(failure, "facts", None)
    kind = failure.kind
    for rule in _RULES.get(kind, ()):
        found = rule(run, failure, names, entries, memory, facts)
        if found is not None:
            explanation, conflict = found
            return explanation, {e.pos for e in conflict}
    return None, set()


def _explanation(pattern, summary, location, line, conflict, names) -> tuple[Explanation, list]:
    return ({"pattern": pattern, "summary": summary, "location": location, "line": line,
             "accesses": [e.record(names) for e in conflict if e.op]}, conflict)  # fmt: skip


def _q(text: str | None) -> str:
    return f"`{text}`"


# --- assertion failures: which data race broke it -------------------------------------------------


def same_location(a, b) -> bool:
    """One location: the same attribute or global, or entries of one container where one
    side is the whole container (``len(d)``, ``d.append``) or both name the same key."""
    ka, kb = a.key, b.key
    if ka[0] != kb[0] or ka[1] != kb[1]:
        return False
    return ka[2] == kb[2] or (ka[0] == "item" and "*" in (ka[2], kb[2]))


def _by_location(memory):
    """Groups of accesses to one location, in order (a whole-container access joins every
    group of that container)."""
    groups: dict = {}
    for e in memory:
        if not (e.key[0] == "item" and e.key[2] == "*"):
            groups.setdefault(e.key, [])
    for e in memory:
        if e.key[0] == "item" and e.key[2] == "*":
            keys = [k for k in groups if k[0] == "item" and k[1] == e.key[1]] or [e.key]
            for k in keys:
                groups.setdefault(k, []).append(e)
        else:
            groups[e.key].append(e)
    return {k: sorted(v, key=lambda e: e.pos) for k, v in groups.items()}


def _next_own(accesses, entry):
    """The same thread's next access to the same location."""
    return next((e for e in accesses if e.pos > entry.pos and e.thread == entry.thread), None)


def _lost_update(run, failure, names, entries, memory, facts):
    """Two threads read the same value of one location and both wrote it: a write is lost."""
    for accesses in _by_location(memory).values():
        reads = [e for e in accesses if e.op == "read"]
        for i, first in enumerate(reads):
            for second in reads[i + 1:]:
                if second.thread == first.thread or second.value != first.value:
                    continue
                w1 = _next_own(accesses, first)
                w2 = _next_own(accesses, second)
                if w1 is None or w2 is None or w1.op == "read" or w2.op == "read":
                    continue  # each write must come right after its own read
                if not (second.pos < w1.pos and first.pos < w2.pos):
                    continue  # one read the other's write: no update lost
                if w1.line != first.line or w2.line != second.line:
                    continue  # not read-modify-write: a check then an act
                a, b = sorted((first, second), key=lambda e: e.pos)
                wa, wb = sorted((w1, w2), key=lambda e: e.pos)
                t1, t2 = names[a.thread], names[b.thread]
                if w1.value == w2.value:
                    did = f"both wrote {w1.value}"
                else:
                    did = f"{names[wa.thread]} wrote {wa.value}, then {names[wb.thread]} wrote " \
                          f"{wb.value} over it"
                summary = (f"{t1} and {t2} both read {_q(a.target)} as {a.value} and {did}: "
                           f"one update was lost.")
                return _explanation("lost-update", summary, a.location, a.line,
                                    [a, b, wa, wb], names)
    return None


def _check_then_act(run, failure, names, entries, memory, facts):
    """A thread read (checked) a location, another changed it, then the first acted on what it
    had read: wrote the location, or did what its check allowed."""
    failing = failure.thread.index if failure.thread is not None else None
    candidates = []
    for accesses in _by_location(memory).values():
        for check in accesses:
            if check.op != "read":
                continue
            changes = [e for e in accesses if e.pos > check.pos and e.thread != check.thread
                       and e.op != "read"]  # fmt: skip
            if not changes:
                continue
            change = changes[0]
            own = [e for e in accesses if e.pos > change.pos and e.thread == check.thread]
            if own and own[0].op == "read" and _is_check_line(own[0]) and (
                    own[0].line != check.line or own[0].value == change.value):
                continue  # it checked again before acting: not a stale check
            acts = [e for e in own if e.op != "read" and e.line != check.line]
            if not acts and _is_check_line(check):
                acts = [e for e in entries if e.pos > change.pos and e.thread == check.thread
                        and e.op in ("write", "delete") and e.line != check.line]
            if not acts:
                continue
            act = acts[0]
            if _waited_between(entries, check.thread, check.pos, act.pos):
                continue  # it waited (the lock was free for others) and woke up to act
            score = (act.key is not None and same_location(act, check), act.thread == failing,
                     check.value not in (None, "?"), check.pos)
            candidates.append((score, check, change, act))
    if not candidates:
        return None
    _, check, change, act = max(candidates, key=lambda c: c[0])
    t1, t2 = names[check.thread], names[change.thread]
    what = "it" if change.target == check.target else _q(change.target)
    verb = "checked" if _is_check_line(check) else "read"
    summary = (f"{t1} {verb} {_q(check.target)} ({check.value}), then {t2} changed {what} to "
               f"{change.value} before {t1} acted on what it had seen (line {act.line}).")
    return _explanation("check-then-act", summary, check.location, check.line,
                        [check, change, act], names)


def _stale_check(run, failure, names, entries, memory, facts):
    """check-then-act whose check is an ``if``/``while`` test: the root cause even when the
    act itself then races too (both threads passed the check, then both updated)."""
    found = _check_then_act(run, failure, names, entries, memory, facts)
    if found is not None and found[0]["summary"].split(" ", 2)[1] == "checked":
        return found
    return None


def _unprotected_invariant(run, failure, names, entries, memory, facts):
    """A reader saw one of two related writes but not the other."""
    writes = [e for e in memory if e.op != "read"]
    reads = [e for e in memory if e.op == "read"]
    # each location's writes, per writer, in order: a long replay has hundreds of reads and
    # writes, and pairing every one with every other took ~10 ms per explanation
    writes_to: dict = {}  # read key -> [writes of that location]
    by_writer: dict = {}  # (read key, writer) -> [its writes of that location]
    for r in reads:
        if r.key not in writes_to:
            writes_to[r.key] = found = [w for w in writes if same_location(w, r)]
            for w in found:
                by_writer.setdefault((r.key, w.thread), []).append(w)
    own_reads: dict = {}  # thread -> its reads, in order
    for r in reads:
        own_reads.setdefault(r.thread, []).append(r)
    for r1 in reads:
        others = [w for w in writes_to[r1.key] if w.thread != r1.thread]
        if not others:
            continue  # nobody else wrote what it read
        later = own_reads[r1.thread]
        for r2 in later[later.index(r1) + 1:]:
            if same_location(r1, r2):
                continue
            for w1 in others:
                for w2 in by_writer.get((r2.key, w1.thread), ()):
                    if w2 is w1:
                        continue
                    # one location seen before the writer changed it, the other after
                    if r1.pos < w1.pos:
                        if w2.pos >= r2.pos:
                            break  # in order: every later write of r2's location is too late
                    elif not (w1.pos < r1.pos and r2.pos < w2.pos):
                        continue
                    lo, hi = sorted((w1.pos, w2.pos))
                    if _waited_between(entries, w1.thread, lo, hi):
                        continue  # a writer that waits in between lets others in on purpose
                    reader, writer = names[r1.thread], names[w1.thread]
                    summary = (f"{reader} read {_q(r1.target)} ({r1.value}) and "
                               f"{_q(r2.target)} ({r2.value}) while {writer} was between its "
                               f"writes of the two: it saw a half-made change.")
                    return _explanation("unprotected-invariant", summary, r1.location, r1.line,
                                        [w1, r1, r2, w2], names)
    return None


def _overtaken(run, failure, names, entries, memory, facts):
    """A thread waits on a Condition until a location allows it to go on; while it waits, a
    thread that checked the same location only after it began waiting passes the check and
    takes its share first. Newcomers can do that for ever: the waiter starves."""
    for wait in entries:
        if not _is_wait(wait, "Condition"):
            continue
        waiter = wait.thread
        checked = [e for e in memory if e.pos < wait.pos and e.thread == waiter
                   and e.op == "read" and _is_check_line(e)]  # fmt: skip
        if not checked:
            continue
        check = checked[-1]
        resumed = next((e for e in entries if e.pos > wait.pos and e.thread == waiter), None)
        until = resumed.pos if resumed is not None else len(entries)
        for newcomer_check in memory:
            if not (wait.pos < newcomer_check.pos < until and newcomer_check.thread != waiter
                    and newcomer_check.op == "read" and same_location(newcomer_check, check)
                    and newcomer_check.line == check.line):
                continue  # the newcomer must pass the very check the waiter failed
            newcomer = newcomer_check.thread
            take = next((e for e in memory if newcomer_check.pos < e.pos < until
                         and e.thread == newcomer and e.op == "write"
                         and same_location(e, check)), None)  # fmt: skip
            if take is None or _waited_between(entries, newcomer, newcomer_check.pos, take.pos):
                continue  # it waited too: served in turn, not overtaking
            w, n = names[waiter], names[newcomer]
            summary = (f"{w} checked {_q(check.target)} ({check.value}) and waited; {n} arrived "
                       f"later, passed the same check and changed it to {take.value} first "
                       f"(line {take.line}): newcomers can overtake a waiting thread again and "
                       f"again, so {w} starves.")
            return _explanation("starvation", summary, check.location, check.line,
                                [check, wait, newcomer_check, take], names)
    return None


def _wait_without_recheck(run, failure, names, entries, memory, facts):
    """Woken from ``wait()``, the thread went on although the condition no longer held."""
    failing = failure.thread
    if failing is None:
        return None
    waits = [e for e in entries if e.thread == failing.index and _is_wait(e, "Condition")]
    if not waits:
        return None
    wait = waits[-1]
    resumed = next((e for e in memory if e.pos > wait.pos and e.thread == failing.index), None)
    if resumed is None:
        return None
    meddlers = [e for e in memory if wait.pos < e.pos and e.thread != wait.thread
                and e.op != "read" and e.pos < resumed.pos + 40]  # fmt: skip
    if not meddlers:
        return None
    after = [e for e in memory if e.pos > wait.pos and e.thread == failing.index]
    same = [m for m in meddlers if any(same_location(m, a) and a.pos > m.pos for a in after)]
    if same:
        meddlers = same
    m = meddlers[-1]
    cond = name_of(run, wait.event[1])
    summary = (f"{names[wait.thread]} was woken from {_q(cond + '.wait()')}, but "
               f"{names[m.thread]} changed {_q(m.target)} to {m.value} first; "
               f"{names[wait.thread]} did not check again before going on.")
    return _explanation("wait-without-recheck", summary, m.location, wait.line, [wait, m], names)


def _polling(run, failure, names, entries, memory, facts):
    """A thread re-read the same location between sleeps: it polls instead of being woken."""
    for t in sorted({e.thread for e in entries}):
        mine = [e for e in entries if e.thread == t]
        sleeps = [e for e in mine if isinstance(e.event, tuple) and e.event[0] == "sleep"
                  and e.event[1]]  # fmt: skip
        if len(sleeps) < 2:
            continue
        between = [e for e in mine if sleeps[0].pos < e.pos < sleeps[-1].pos
                   and e.op == "read" and e.key is not None]  # fmt: skip
        if not between:
            continue
        seen = between[-1]
        summary = (f"{names[t]} polls {_q(seen.location)} ({seen.value}) with time.sleep() "
                   "instead of waiting to be woken when it changes.")
        return _explanation("busy-wait", summary, seen.location, seen.line,
                            [seen, sleeps[-1]], names)
    return None


def _exception(run, failure, names, entries, memory, facts):
    """A thread raised: name the shared location another thread changed behind its back
    (it read another thread's value where it had used its own), if there is one."""
    exc = failure.exception
    if failure.thread is None or exc is None:
        return None
    me = failure.thread.index
    line = failure.where[1] if failure.where else None
    text = str(exc).strip()
    summary = (f"{failure.thread.name} raised {type(exc).__name__}"
               f"{': ' + text if text else ''}" + (f" at line {line}" if line else ""))
    mine = [e for e in memory if e.thread == me]
    for read in reversed(mine):
        if read.op != "read":
            continue
        before = [e for e in mine if e.pos < read.pos and same_location(e, read)]
        if not before:
            continue
        meddlers = [e for e in memory if before[-1].pos < e.pos < read.pos and e.thread != me
                    and e.op != "read" and same_location(e, read)]  # fmt: skip
        if meddlers:
            m = meddlers[-1]
            summary += (f", after {names[m.thread]} changed {_q(m.location)} to {m.value} "
                        f"behind its back (line {m.line}).")
            return _explanation("exception", summary, read.location, read.line,
                                [before[-1], m, read], names)
    here = [e for e in mine if e.line == line] or mine[-1:]
    return _explanation("exception", summary + ".", here[-1].location if here else None, line,
                        here[-1:], names)


def plain_message(message: str) -> str:
    """The failure message without the explorer's own terms (``check(state)``)."""
    if message.startswith("check(state) failed"):
        rest = message.split(":", 1)[1].strip() if ":" in message else ""
        return f"The test's final check failed{': ' + rest if rest else ''}."
    if message.startswith("check(state) raised"):
        return "The test's final check " + message[len("check(state) "):] + "."
    return message


def _other(run, failure, names, entries, memory, facts):
    return _explanation("other", plain_message(failure.message), None,
                        failure.where[1] if failure.where else None, [], names)


# --- deadlocks ---------------------------------------------------------------------------------


def _signals(entries, waited, before=None):
    return [e for e in entries if isinstance(e.event, tuple) and e.event[1] is waited
            and e.event[0] in ("notify", "set") and (before is None or e.pos < before)]


def _never_signalled(run, failure, names, entries, memory, facts):
    """Blocked on a Condition/Event that no thread ever signals (and no lock cycle)."""
    if not facts or facts["cycle"] or len(facts["rows"]) < 2:
        return None
    for row in facts["rows"]:
        waited = row["waits"]
        if getattr(waited, "kind", "") in ("Condition", "Event") and not _signals(entries,
                                                                                   waited):
            name = name_of(run, waited)
            t = row["thread"]
            summary = (f"{t.name} waits on {_q(name)}, which no thread ever signals: the "
                       "others are blocked too, so it waits forever.")
            line = row["where"][1] if row["where"] else None
            return _explanation("deadlock", summary, name, line, [], names)
    return None


def _lost_wakeup(run, failure, names, entries, memory, facts):
    """Blocked forever on a Condition/Event whose signal came before the wait."""
    if not facts:
        return None
    for row in facts["rows"]:
        waited = row["waits"]
        if getattr(waited, "kind", "") not in ("Condition", "Event"):
            continue
        t = row["thread"]
        waits = [e for e in entries if e.thread == t.index and _is_wait(e)
                 and e.event[1] is waited]  # fmt: skip
        first_wait = waits[0].pos if waits else len(entries)
        signals = _signals(entries, waited, first_wait)
        if not signals:
            continue
        signal = signals[-1]
        name = name_of(run, waited)
        if signal.thread == t.index:
            summary = (f"{t.name} signalled {_q(name)} and only then waited on it; nobody "
                       "signals again, so it waits forever.")
        else:
            summary = (f"{names[signal.thread]} signalled {_q(name)} before {t.name} waited on "
                       f"it; nobody signals again, so {t.name} waits forever.")
        line = row["where"][1] if row["where"] else None
        conflict = [signal] + waits[:1]
        return _explanation("lost-wakeup", summary, name, line, conflict, names)
    return None


def _deadlock(run, failure, names, entries, memory, facts):
    if not facts or not facts["rows"]:
        return _other(run, failure, names, entries, memory, facts)
    rows = facts["rows"]
    first = rows[0]
    lock = name_of(run, first["waits"]) if first["waits"] is not None else None
    line = first["where"][1] if first["where"] else None
    if facts["cycle"] and len([r for r in rows if r["in_cycle"]]) > 1:
        parts = []
        for row in rows:
            if not row["in_cycle"]:
                continue
            held = ", ".join(_q(name_of(run, h)) for h in row["holds"]) or "a lock"
            parts.append(f"{row['thread'].name} holds {held} and waits for "
                         f"{_q(name_of(run, row['waits']))}")
        summary = "; ".join(parts) + ": each waits for the other, forever."
    elif facts["cycle"]:
        summary = (f"{first['thread'].name} waits for {_q(lock)}, which it already holds: "
                   "a plain Lock cannot be taken twice by one thread.")
    elif first["owner"] is not None and first["owner"].status == FINISHED:
        summary = (f"{first['thread'].name} waits for {_q(lock)}, which "
                   f"{first['owner'].name} took and never released.")
    else:
        parts = []
        for row in rows:
            held = [h for h in row["held"] if h is not row["waits"]]
            part = f"{row['thread'].name} waits for {_q(name_of(run, row['waits']))}"
            if held:
                part += " while holding " + ", ".join(_q(name_of(run, h)) for h in held)
            parts.append(part)
        summary = "; ".join(parts) + ": no thread can go on."
    conflict = [e for e in entries if isinstance(e.event, tuple) and e.event[0] in (
        "acquired", "waits for") and any(e.event[1] is r["waits"] for r in rows)]
    return _explanation("deadlock", summary, lock, line, conflict[-4:], names)


# --- starvation ----------------------------------------------------------------------------------


def _busy_wait(run, failure, names, entries, memory, facts):
    tail = memory[-40:]
    if not tail or any(e.op != "read" for e in tail):
        return None
    spinner = tail[-1].thread
    mine = [e for e in tail if e.thread == spinner]
    if len(mine) < SPIN_READS:
        return None
    seen = mine[-1]
    summary = (f"{names[spinner]} keeps re-reading {_q(seen.target)} ({seen.value}) in a loop "
               f"without ever waiting, so the thread that would change it never gets to.")
    return _explanation("busy-wait", summary, seen.location, seen.line, mine[-2:], names)


def _starvation(run, failure, names, entries, memory, facts):
    thread = failure.thread.name if failure.thread is not None else "A thread"
    line = failure.where[1] if failure.where else None
    waiting = [e for e in entries if isinstance(e.event, tuple) and e.event[0] == "waits for"]
    if waiting:
        w = waiting[-1]
        lock = name_of(run, w.event[1])
        summary = (f"{names[w.thread]} keeps waiting for {_q(lock)}: the other threads keep "
                   "taking it first, so it never gets its turn.")
        return _explanation("starvation", summary, lock, w.line, [w], names)
    summary = f"{thread} never finishes: no thread makes progress within the step limit."
    return _explanation("starvation", summary, None, line, [], names)


_RULES = {
    Kind.ASSERTION: (_wait_without_recheck, _stale_check, _lost_update, _check_then_act,
                     _overtaken, _unprotected_invariant, _exception, _polling, _other),
    Kind.DEADLOCK: (_never_signalled, _lost_wakeup, _deadlock),
    Kind.STARVATION: (_busy_wait, _starvation),
}



# --- the headline: one line in the learner's terms ------------------------------------------------


def direct_run_of(frame):
    """(function, file, line) if ``Thread.run`` was called directly by learner code below
    ``frame`` (``thread.run()`` instead of ``thread.start()``), else None."""
    inner = None
    while frame is not None:
        code = frame.f_code
        if code.co_name == "run" and os.path.basename(code.co_filename) == "threading.py":
            caller = learner_frame(frame.f_back)
            target = getattr(frame.f_locals.get("self"), "_target", None)
            name = getattr(target, "__name__", None) or (inner.f_code.co_name if inner else "run")
            if caller is not None:
                return (name, caller.f_code.co_filename, caller.f_lineno)
        if learner_frame(frame) is frame:
            inner = frame
        frame = frame.f_back
    return None


NEVER_TOGETHER = ("Your code's threads never ran at the same time: the test waited for "
                  "them to be in flight together, and they never were.")


def about_test_machinery(explanation, facts, test_file: str):
    """When what blocked is the hidden test's own machinery (a barrier that waits for the
    threads to be in flight together), its name and line mean nothing in the learner's file:
    the explanation then says what the learner's code did, and points at the learner's
    ``run()`` call when that was the cause (no location: the test's object is not theirs).
    Otherwise ``explanation`` unchanged."""
    rows = (facts or {}).get("rows", ())
    for row in rows:
        direct = row.get("direct_run")
        if direct is not None:
            fn, file, line = direct
            summary = (f"{fn}() ran in the thread that called it ({os.path.basename(file)}:"
                       f"{line} calls run(), not start()), so the threads never ran at the "
                       "same time.")
            return _in_learner_terms(explanation, summary, line)
    created = [getattr(r["waits"], "_created", None) for r in rows]
    if rows and all(c and os.path.basename(c[0]) == test_file for c in created):
        return _in_learner_terms(explanation, NEVER_TOGETHER, None)
    return explanation


def _in_learner_terms(explanation, summary: str, line: int | None):
    found = dict(explanation) if explanation else {"pattern": "deadlock", "accesses": []}
    found.update(summary=summary, location=None, line=line)
    return found


def headline(kind: str, message: str, explanation, facts, test_file: str) -> str:
    """What the learner reads first: no ``check(state)``, no schedule, no test internals."""
    told = about_test_machinery(explanation, facts, test_file)
    return told["summary"] if told is not None else plain_message(message)

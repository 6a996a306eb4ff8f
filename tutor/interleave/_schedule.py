"""The schedule string: ``"v1:"`` + where a schedule leaves the default policy.

``v1:4>1,9>0`` reads "at decision 4 run thread 1, at decision 9 run thread 0"; every other
decision (a scheduling point with more than one candidate) follows the default policy:
keep running the current thread, else the runnable thread that has waited longest (lowest
index first), else the earliest deadline. ``v1:`` alone is the default schedule. Threads
are numbered from 0 in the order of ``threads`` and then in the order they are started.
"""

from __future__ import annotations

PREFIX = "v1:"


def encode(deviations) -> str:
    return PREFIX + ",".join(f"{k}>{t}" for k, t in deviations)


def decode(schedule: str) -> list[tuple[int, int]]:
    if not isinstance(schedule, str):
        raise ValueError(f"not a tutor.interleave schedule: {schedule!r}")
    schedule = "".join(schedule.split())  # a long schedule is shown broken over lines
    if not schedule.startswith(PREFIX):
        raise ValueError(f"not a tutor.interleave schedule: {schedule!r}")
    out = []
    for part in filter(None, schedule[len(PREFIX):].split(",")):
        k, sep, t = part.partition(">")
        try:
            entry = (int(k), int(t))
        except ValueError:
            raise ValueError(f"malformed schedule entry {part!r} in {schedule!r}") from None
        if not sep or entry[0] < 0 or entry[1] < 0 or (out and entry[0] <= out[-1][0]):
            raise ValueError(f"malformed schedule entry {part!r} in {schedule!r}")
        out.append(entry)
    return out

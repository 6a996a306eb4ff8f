"""Who runs next: bounded DFS, PCT, random walk, and plan replay.

A *decision* is a scheduling point with more than one candidate. The default policy keeps
running the current thread; otherwise it takes the runnable thread that has waited longest;
otherwise it lets the earliest deadline pass. A *preemption* here is any decision
that departs from that policy (switching away from a thread that could go on, picking
another thread than the next in turn, or letting a timeout fire early): the bounded DFS
explores every schedule with at most ``bound`` of them, fewest first (delay bounding, Emmi
et al. 2011: CHESS's iterative preemption bounding, made smaller for three-thread programs).
"""

from __future__ import annotations

import random
from collections import deque

from ._policy import default_choice
from ._types import BLOCKED


def _is_timed(t) -> bool:
    return t.status == BLOCKED


class Planned:
    """Replays a schedule: at decision ``k`` take the thread the plan names, else the default.

    A planned thread that cannot run at that decision is ignored, so any edited plan (as
    produced while minimising) is still a valid schedule; an unedited plan replays exactly.
    """

    name = "replay"

    def __init__(self, deviations):
        self.plan = dict(deviations)

    def begin(self) -> None:
        self.k = 0

    def choose(self, run, cur, cands):
        k = self.k
        self.k += 1
        want = self.plan.get(k)
        if want is not None:
            for t in cands:
                if t.index == want:
                    return t
        return default_choice(cur, cands)


class BoundedSearch:
    """Every schedule with at most ``bound`` preemptions, fewest preemptions first.

    A schedule is the set of decisions where it departs from the default policy. The search
    is a tree: a schedule's children add one departure after its last one, at a decision
    seen while running it, so each schedule runs exactly once. Children wait in a FIFO queue,
    so all schedules with k preemptions run before any with k + 1 (the early, cheap ones
    find most bugs), and ``complete_bound`` says which bound has been fully checked.
    """

    name = "bounded"

    def __init__(self, bound: int, order_key, max_queue: int = 200_000):
        self.bound = bound
        self.order_key = order_key
        self.max_queue = max_queue
        self.queue: deque[tuple] = deque([()])
        self.complete_bound = -1
        self.count = 0
        self.truncated = False
        self.plan: tuple = ()

    def next_schedule(self) -> bool:
        """Pick the next schedule to run; False when every one within the bound has run."""
        if not self.queue:
            if not self.truncated:
                self.complete_bound = self.bound
            return False
        plan = self.queue.popleft()
        if len(plan) - 1 > self.complete_bound:
            self.complete_bound = len(plan) - 1
        self.plan = plan
        self._planned = Planned(plan)
        return True

    @property
    def exhausted(self) -> bool:
        return not self.queue and not self.truncated

    def begin(self) -> None:
        self._planned.begin()
        self._last = self.plan[-1][0] if self.plan else -1
        self._expand = len(self.plan) < self.bound
        self._seen: list[tuple[int, tuple, int]] = []

    def choose(self, run, cur, cands):
        k = self._planned.k
        choice = self._planned.choose(run, cur, cands)
        if self._expand and k > self._last:
            self._seen.append((k, tuple(t.index for t in cands), choice.index))
        return choice

    def finished(self) -> None:
        """Queue the children of the schedule that just ran."""
        self.count += 1
        for k, idxs, default in self._seen:
            for alt in sorted(idxs, key=self.order_key):
                if alt == default:
                    continue
                if len(self.queue) >= self.max_queue:
                    self.truncated = True
                    return
                self.queue.append((*self.plan, (k, alt)))


class PCT:
    """Probabilistic concurrency testing (Burckhardt et al. 2010) with bug depth ``depth``."""

    name = "pct"

    def __init__(self, rng: random.Random, depth: int = 3):
        self.rng = rng
        self.depth = depth
        self.expected = 50

    def begin(self) -> None:
        self.step = 0
        self.prio: dict[int, float] = {}
        k = max(self.expected, 2)
        count = min(self.depth - 1, k - 1)
        self.changes = {p: i for i, p in enumerate(sorted(self.rng.sample(range(1, k), count)))}

    def _priority(self, t) -> float:
        p = self.prio.get(t.index)
        if p is None:
            p = self.prio[t.index] = 10.0 + self.rng.random()
        return p - (100.0 if _is_timed(t) else 0.0)

    def choose(self, run, cur, cands):
        self.step += 1
        change = self.changes.get(self.step)
        if change is not None and cur is not None:
            self.prio[cur.index] = float(change) / 10.0
        return max(cands, key=lambda t: (self._priority(t), -t.index))

    def observed(self, decisions: int) -> None:
        self.expected = max(2, (self.expected + decisions) // 2 if decisions else self.expected)


class RandomWalk:
    """Uniformly random runnable thread at each decision; deadlines pass now and then."""

    name = "random"

    def __init__(self, rng: random.Random):
        self.rng = rng

    def begin(self) -> None:
        pass

    def choose(self, run, cur, cands):
        runnable = [t for t in cands if not _is_timed(t)]
        if not runnable or (len(runnable) < len(cands) and self.rng.random() < 0.1):
            return self.rng.choice([t for t in cands if _is_timed(t)])
        return self.rng.choice(runnable)

"""Dynamic partial-order reduction: one schedule per class of equivalent interleavings.

Two schedules that order only *independent* steps differently (steps of different threads that
touch no common location, or only read it) reach the same state; exploring one of them is
enough. This is Flanagan and Godefroid's DPOR (POPL 2005) with sleep sets (Godefroid 1996), in
the incremental form of loom's: every thread parked at a scheduling point has a *pending*
operation whose footprint is known before it runs (``footprint``: the locations the preemption
point's instruction touches, resolved in the live frame; or the primitive a synchronisation call
works on). When a step executes, each parked thread whose pending operation conflicts with it
and is not already ordered after it (vector clocks) races with it: the decision point before
that step gets the parked thread as an alternative (every enabled thread, if that one could not
run there). Accesses a step makes beyond its declared operation (a ``release`` inside a
``with`` exit, a notify inside ``queue.put``, a read of the virtual clock) are added to the
step when they happen and checked against earlier steps the same way.

Alternatives are explored fewest-preemptions first (a priority queue, not depth first), so
shallow bugs come early. When the queue runs dry, every interleaving (up to the step bound) is
equivalent to one that ran: ``Report.complete``. That claim is withdrawn when the exploration
was shaped by something the reduction does not model: fairness (a thread made to wait for the
others after spinning or yielding), a schedule that did not replay the same (nondeterministic
code), or a step whose footprint could not be worked out safely is only ever handled
conservatively (it conflicts with everything), which keeps the claim.
"""

from __future__ import annotations

import heapq
import sys
import types

from ._bytecode import MISSING, resolve, safe_getattr
from ._iterators import ADVANCED, CHANGEABLE, walked
from ._policy import default_choice
from ._runtime import is_learner_file
from ._types import SLEEP, ThreadState

#: a location that conflicts with every other (an operation we cannot see into); the only
#: location whose kind (its first element) is "*"
WILD = ("*",)
CLOCK = ("clock",)
#: the kind of a location that only carries order: a lock's release "writes" its clock there
#: and a later acquire "reads" it (happens-before), but the two never race, as they are never
#: enabled together (while one thread holds a lock no other can take it), and the order
#: between two critical sections is reversed where their *acquires* race (``lock_acquire``)
ORDER = "hb"
_LOCK_KINDS = ("Lock", "RLock")
_CONTAINER_NAMES = frozenset({"list", "dict", "set", "deque", "bytearray", "OrderedDict",
                              "defaultdict", "Counter"})  # fmt: skip
_READ_METHODS = frozenset({"get", "__getitem__", "__contains__", "__len__", "count", "index",
                           "copy", "keys", "values", "items", "issubset", "issuperset",
                           "isdisjoint", "union", "intersection", "difference",
                           "symmetric_difference", "__iter__"})  # fmt: skip
_SIMPLE = (str, int, bytes, bool, float, type(None))
_NONE = type(None)


def _is_container(obj) -> bool:
    return type(obj).__name__ in _CONTAINER_NAMES and type(obj).__module__ in (
        "builtins", "collections")


def _is_hybrid(obj) -> bool:
    return type(obj).__module__.startswith("tutor.interleave")


def _learner_callable(fn) -> bool:
    """Code with preemption points of its own: calling it touches nothing by itself."""
    fn = getattr(fn, "__func__", fn)
    code = getattr(fn, "__code__", None)
    if code is not None:
        return is_learner_file(code.co_filename)
    if isinstance(fn, type):
        # a learner class: its __init__ (if any) has points. Not a builtin or library type:
        # dict(self.queued), collections.Counter(x)... read their argument (see the caller)
        init = getattr(fn, "__init__", None)
        code = getattr(init, "__code__", None)
        module = sys.modules.get(fn.__module__)
        where = getattr(module, "__file__", None) or ""
        return fn.__module__ != "builtins" and bool(where) and is_learner_file(where) and (
            code is None or is_learner_file(code.co_filename))
    return False


def footprint(access, frame) -> tuple:
    """((location, writes), ...) of the instruction about to run in ``frame``."""
    op = access.op
    target = access.target
    if target is None:
        return ((WILD, True),)
    kind = target[0]
    if op == "call":
        return _call_footprint(target, access.args, frame)
    write = op in ("write", "delete")
    if kind == "contents":  # ``if self.todo:``, ``for x in self.items:`` read what they hold
        return tuple(entry for expr in (target[1], *access.args)
                     for entry in _contents(expr, frame, write))
    if kind == "dynattr":  # ``setattr(self, name, v)``: the attribute ``name`` is now
        base, name = resolve(target[1], frame), resolve(target[2], frame)
        if base is MISSING or not issubclass(type(name), str):
            return ((WILD, write),)
        return ((("attr", id(base), name), write),)
    if kind == "attr":
        base = resolve(target[1], frame)
        if base is MISSING:
            return ((WILD, True),)
        return ((("attr", id(base), target[2]), write),)
    if kind == "global":
        return ((("global", id(frame.f_globals), target[1]), write),)
    if kind == "deref":
        return ((("deref", target[1]), write),)
    if kind == "item":
        container = resolve(target[1], frame)
        if container is MISSING:
            return ((WILD, True),)
        key = resolve(target[2], frame) if target[2] is not None else MISSING
        sub = key if key is not MISSING and isinstance(key, _SIMPLE) else "*"
        if op == "contains" and not isinstance(container, dict):
            sub = "*"
        return ((("item", id(container), sub), write),)
    return ((WILD, True),)


#: a comprehension's or generator expression's iterator, made for it alone (its caller's
#: ``iter()``; not seen: the caller's iterable being an iterator another thread also steps)
_HIDDEN_ITERATOR = ("local", ".0")


def holds_nothing_shared(access, frame) -> bool:
    """A test, loop step or library call (``contents``) over values that hold nothing another
    thread can change in place (``if self.n:`` with an int, ``s.n += 1``,
    ``isinstance(job, Job)``, a loop over ``range``): no point is needed there. A builtin
    iterator (a comprehension's ``.0``, ``enumerate(self.items)``) holds what it walks, and
    one the loop did not make (``for job in self.jobs:``) is shared itself."""
    for expr in (access.target[1], *access.args):
        value = resolve(expr, frame)
        kind = type(value)
        if kind is int or kind is str or kind is bool or kind is float or kind is _NONE:
            continue  # the common case, decided at once (what the tests below would say)
        # what another thread can change in place with no code of the learner's running (its
        # object with ``__len__`` or ``__iter__`` runs its own, which has points); the real
        # type, as ``isinstance`` would ask a learner's ``__class__`` property
        if value is MISSING or issubclass(type(value), CHANGEABLE) or walked(value) != ():
            return False
        if type(value) in ADVANCED and expr != _HIDDEN_ITERATOR:
            return False  # an iterator it got from somewhere: another thread may step it too
    return True


def _contents(expr, frame, write: bool) -> tuple:
    """((location, write), ...): everything ``expr``'s value holds (unknown: anything)."""
    value = resolve(expr, frame)
    if value is MISSING:
        return ((WILD, write),)
    containers = walked(value)
    if containers is None:  # iterators nested too deep to follow: it may read anything
        return ((WILD, write),)
    # an iterator: the step reads (or writes) what it walks, and moves it on; anything else:
    # every entry of it (an int or a str has none that change: it conflicts with nothing)
    step = (_moved(value) if expr != _HIDDEN_ITERATOR else ()) + _entries(containers, write)
    return step or ((("item", id(value), "*"), write),)


def _moved(value) -> tuple:
    """A step that takes the next value of the builtin iterator ``value`` writes it."""
    return ((("item", id(value), "*"), True),) if type(value) in ADVANCED else ()


def _entries(containers, write: bool) -> tuple:
    """Every entry of each of ``containers``, read or written."""
    return tuple((("item", id(c), "*"), write) for c in containers)


def _call_footprint(callee, args, frame) -> tuple:
    if callee is None:
        return ((WILD, True),)
    if callee[0] == "attr":
        base = resolve(callee[1], frame)
        if base is MISSING:
            return ((WILD, True),)
        if _is_hybrid(base):
            return _primitive_call(base, callee[2])
        if _is_container(base):
            method = callee[2]
            sub = "*"
            if isinstance(base, dict) and args and method in ("get", "setdefault", "pop",
                                                                "__getitem__"):
                key = resolve(args[0], frame)
                if key is not MISSING and isinstance(key, _SIMPLE):
                    sub = key
            return ((("item", id(base), sub), method not in _READ_METHODS),)
        fn = safe_getattr(base, callee[2])
        if fn is MISSING:
            return ((WILD, True),)
        if _learner_callable(fn) or isinstance(base, types.ModuleType) and _learner_callable(fn):
            return ()
        if _is_hybrid(getattr(fn, "__self__", None)):
            return ((("sync", id(fn.__self__)), True),)
        return ((WILD, True),)
    fn = resolve(callee, frame)
    if fn is MISSING:
        return ((WILD, True),)
    if _learner_callable(fn):
        return ()
    if isinstance(fn, types.BuiltinFunctionType) or isinstance(fn, type):
        # len(x), sorted(x), list(x)... read their first argument
        if not args:
            return ()
        arg = resolve(args[0], frame)
        if arg is MISSING:
            return ((WILD, False),)
        if _is_container(arg):
            return ((("item", id(arg), "*"), False),)
        if type(arg) in ADVANCED:  # ``next(self._ids)``, ``list(it)``: moves it on, and
            walks = walked(arg)  # reads what it walks
            return _moved(arg) + (((WILD, False),) if walks is None else _entries(walks, False))
        return ()
    if _is_hybrid(getattr(fn, "__self__", None)):
        return ((("sync", id(fn.__self__)), True),)
    return ((WILD, True),)


#: methods of our primitives that begin with a scheduling point of their own (which declares
#: the operation), and those that only read the primitive's state
_OWN_POINT = frozenset({"acquire", "wait", "wait_for", "join", "__enter__", "put", "get"})
_READS = frozenset({"is_set", "isSet", "locked", "_is_owned", "n_waiting", "broken",
                    "is_alive", "_recursion_count"})  # fmt: skip


_RELEASES = frozenset({"release", "__exit__", "release_lock"})
_LOCK_READS = frozenset({"locked", "locked_lock", "_is_owned"})


def _kind(obj) -> str:
    return getattr(type(obj), "kind", "")


def _lock_of(obj):
    """The lock of ours that ``obj`` is (a Lock, an RLock) or waits on (a condition over one),
    or None (a condition over a real lock, any other primitive)."""
    lock = obj._lock if _kind(obj) == "Condition" else obj
    return lock if _kind(lock) in _LOCK_KINDS else None


def _primitive_call(obj, method: str) -> tuple:
    if method in _OWN_POINT:
        return ()
    lock = _lock_of(obj)
    if lock is not None:
        # a condition's enter, exit and ``locked`` are its lock's (``acquire`` and
        # ``release`` are the lock's own bound methods)
        if method in _RELEASES:
            return lock_release(lock)
        if method in _LOCK_READS:
            return lock_read(lock)
    return ((("sync", id(obj)), method not in _READS),)


def sync_footprint(ts, event, untimed: bool) -> tuple:
    """The footprint of a synchronisation call at its scheduling point (``event``: what it
    does and to what; ``untimed``: a blocking call without a timeout)."""
    what, obj = event[0], event[1]
    kind = _kind(obj)
    if what == "acquire" and kind in _LOCK_KINDS:
        if kind == "RLock" and obj._vowner is ts:
            return ()  # taken again by its owner: no other thread sees a change
        return lock_acquire(obj, untimed)
    # waiting for an Event or a thread only reads it (set/finish write it)
    writes = not (what in ("wait on", "join") and kind != "Barrier")
    return ((("sync", id(obj)), writes),)


def retry_footprint(obj, timed: bool) -> tuple:
    """The footprint of a thread blocked on ``obj`` (``SLEEP``: a sleep) when it runs again:
    woken, it tries again; timed out, it moves the clock. An untimed condition wait is not
    enabled until a notify wakes it, and then its step is taking the lock back
    (``RunState.woken``): until then it races with nothing."""
    clock = ((CLOCK, True),) if timed else ()
    if obj is SLEEP:
        return clock
    lock = _lock_of(obj)
    if lock is obj:
        return lock_acquire(obj, not timed) + clock
    if lock is not None:  # a condition over a lock of ours
        if not timed:
            return ()
        # it may time out before a notify: that races with the notify
        return ((("sync", id(obj)), True),) + lock_acquire(lock, True) + clock
    # waiting for an Event or a thread only reads it
    reads = isinstance(obj, ThreadState) or _kind(obj) == "Event"
    return ((("sync", id(obj)), not reads),) + clock


def lock_acquire(lock, untimed: bool) -> tuple:
    """Taking ``lock`` (a blocking call without a timeout when ``untimed``): it races with the
    other acquires of the lock, and is ordered after its latest release. A try or a timed
    acquire may also fail, so it reads the lock's state too, which a release changes."""
    key = id(lock)
    if untimed:
        return ((("lock", key), True), ((ORDER, key), False))
    return ((("lock", key), True), (("sync", key), False), ((ORDER, key), False))


def lock_given_up(lock) -> tuple:
    """The order a release leaves for the next acquire, when the lock is really given up."""
    return (((ORDER, id(lock)), True),)


def lock_release(lock) -> tuple:
    """Giving ``lock`` up: it changes what a try, ``locked()`` or a timed acquire sees. The
    order it gives every later acquire is written when the lock is really given up (``_drop``
    in ``_locks``), not here: a release that raises, or an RLock's inner one, gives none."""
    return ((("sync", id(lock)), True),)


def lock_read(lock) -> tuple:
    """``locked()``: whether anyone holds it, which both an acquire and a release change."""
    key = id(lock)
    return ((("sync", key), False), (("lock", key), False))


def conflicts(a: tuple, b: tuple) -> bool:
    """Do two footprints touch one location, one of them writing?"""
    if len(a) == 1 and len(b) == 1:  # the usual case, spelled out (the same answer)
        (loc_a, w_a), (loc_b, w_b) = a[0], b[0]
        if not (w_a or w_b) or loc_a[0] == ORDER or loc_b[0] == ORDER:
            return False
        if loc_a == loc_b or loc_a == WILD or loc_b == WILD:
            return True
        return (loc_a[0] == "item" and loc_b[0] == "item" and loc_a[1] == loc_b[1]
                and (loc_a[2] == "*" or loc_b[2] == "*"))  # fmt: skip
    for loc_a, w_a in a:
        for loc_b, w_b in b:
            if not (w_a or w_b):
                continue
            if loc_a[0] == ORDER or loc_b[0] == ORDER:
                continue  # order only: never a race
            if loc_a is WILD or loc_b is WILD or loc_a == WILD or loc_b == WILD:
                return True
            if loc_a == loc_b:
                return True
            if loc_a[0] == "item" and loc_b[0] == "item" and loc_a[1] == loc_b[1] and (
                    loc_a[2] == "*" or loc_b[2] == "*"):
                return True
    return False


def _merge(clock: list[int], other: list[int] | None) -> None:
    """``clock`` becomes the pointwise maximum of itself and ``other`` (in place)."""
    if not other:
        return
    n = len(other)
    if len(clock) < n:
        clock.extend([0] * (n - len(clock)))
    clock[:n] = map(max, clock[:n], other)


def _join_steps(clock: list[int], latest: dict, thread: int, limit: int, events: list) -> None:
    """Merge into ``clock`` the clocks of the steps in ``latest`` ({thread: its latest step})
    of other threads before ``limit`` that it is not already ordered after (and so after
    everything before them)."""
    for t, i in latest.items():
        if t == thread or i >= limit:
            continue
        ec = events[i].clock
        if ec is None or (t < len(clock) and clock[t] >= ec[t]):
            continue
        _merge(clock, ec)


def _latest_unordered(latest: dict, thread: int, best: int, limit: int, events: list,
                      mine) -> int:
    """The latest of ``best`` and the steps in ``latest`` ({thread: its latest step}) of other
    threads before ``limit`` that ``thread``'s clock ``mine`` is not yet ordered after."""
    known = len(mine)
    for t, i in latest.items():
        if t == thread or i <= best or i >= limit:
            continue
        ec = events[i].clock
        if t < known and mine[t] >= (ec[t] if t < len(ec) else 0):
            continue  # already happens before ``thread``'s next step
        best = i
    return best


# --- the exploration tree ---------------------------------------------------------------------

_NO_SLEEP: dict = {}  # shared by every node nobody slept at; a node's sleep set is never changed


class Node:
    """A decision point of some schedule: who could run, who did, who else must."""

    __slots__ = ("parent", "via", "index", "default", "cands", "done", "backtrack",
                 "sleep", "devs", "exact")  # fmt: skip

    def __init__(self, parent, via, index, cands, default, devs, sleep) -> None:
        self.parent = parent
        self.via = via  # the thread chosen at ``parent`` on the way here
        self.index = index  # decision number within the schedule
        self.cands = cands  # thread indices that could run
        self.default = default
        self.devs = devs  # departures from the default policy before this decision
        self.sleep = sleep  # {thread: True}: asleep when the decision was first reached
        self.done: list[int] = []  # alternatives started, in order
        self.backtrack: set[int] | None = None  # alternatives queued (None: none yet)
        #: thread -> did its step there do only what it declared (None: no step yet)
        self.exact: dict[int, bool] | None = None

    def mark(self, thread: int, exact: bool) -> None:
        """Note how ``thread``'s step here went: ``exact`` only the first time, a step that did
        more than it declared (``exact=False``) always."""
        table = self.exact
        if table is None:
            self.exact = {thread: exact}
        elif not exact:
            table[thread] = False
        elif thread not in table:
            table[thread] = True

    def path(self) -> list[tuple[Node, int]]:
        """(ancestor, the thread chosen there) from the first decision down to this node."""
        out = []
        child, node = self, self.parent
        while node is not None:
            out.append((node, child.via))
            child, node = node, node.parent
        out.reverse()
        return out


class Event:
    """One executed step: its thread, clock, footprint and the decision before it."""

    __slots__ = ("thread", "clock", "fp", "node")

    def __init__(self, thread, clock, fp, node) -> None:
        self.thread = thread
        self.clock = clock
        self.fp = fp
        self.node = node


class Dpor:
    """The search: a priority queue of (node, thread) alternatives, and per-run bookkeeping."""

    name = "dpor"

    def __init__(self, order_key) -> None:
        self.order_key = order_key
        self.queue: list = []  # (devs, seq, node, thread)
        self.seq = 0
        self.root: Node | None = None
        self.started = False
        self.complete_possible = True  # no fairness, no divergence so far
        self.traces = 0
        self.max_devs_done = -1

    # -- the search ----------------------------------------------------------------------

    def has_work(self) -> bool:
        return not self.started or bool(self.queue)

    def only_schedule(self) -> None:
        """The default schedule ran (outside the reduction) and made no choice at all: it was
        the only one, so there is nothing left to explore."""
        self.started = True
        self.traces = 1

    def next_schedule(self) -> None:
        """Pick the next alternative (the first schedule is the default one)."""
        if not self.started:
            self.started = True
            self.branch = None
            self.branch_thread = None
            self.prefix = []
            return
        devs, _, node, thread = heapq.heappop(self.queue)
        self.branch = node
        self.branch_thread = thread
        node.done.append(thread)
        self.prefix = node.path()  # the decisions to replay, in order

    @property
    def frontier_devs(self) -> int:
        """Fewest departures among the alternatives still queued (-1 if none)."""
        return self.queue[0][0] if self.queue else -1

    def _push(self, node: Node, thread: int) -> None:
        backtrack = node.backtrack
        if thread in node.done or (backtrack is not None and thread in backtrack):
            return
        if thread in node.sleep:
            return  # covered by an alternative explored before this node was reached
        if backtrack is None:
            node.backtrack = {thread}
        else:
            backtrack.add(thread)
        devs = node.devs + (thread != node.default)
        self.seq += 1
        heapq.heappush(self.queue, (devs, self.seq, node, thread))

    # -- one schedule (the Strategy protocol) -----------------------------------------------

    def begin(self) -> None:
        self.k = 0
        self.devs = 0
        self.node = None  # the last decision node of this schedule
        self.chosen = None  # who was chosen there
        self.diverged = False
        self.trail: list[tuple[int, tuple, int]] = []  # (decision, candidates, chosen)

    def choose(self, run, cur, cands):
        default = default_choice(cur, cands)
        first = default.index
        want = self.decide(run.dpor_state, tuple([t.index for t in cands]), first, run)
        if want == first:
            return default
        for t in cands:
            if t.index == want:
                return t
        return default

    def decide(self, state: RunState, idx: tuple, first: int, run=None) -> int:
        """The thread to run at the next decision: candidates ``idx``, ``first`` the default
        policy's pick (``run`` only to abandon a schedule that repeats an explored one)."""
        k = self.k
        self.k = k + 1
        if k < len(self.prefix):
            node, want = self.prefix[k]
            if node.cands != idx or want not in idx:
                self.diverged = True
                self.complete_possible = False
                state.replaying = False  # a different run from here on: look for races
                want = first
        elif k == len(self.prefix) and self.branch is not None:
            node = self.branch
            if node.cands != idx:
                self.diverged = True
                self.complete_possible = False
            want = self.branch_thread if self.branch_thread in idx else first
            state.child_sleep(node, want)
            state.replaying = False  # the new step, and all after it, may race
        elif state.fair:
            # fairness shaped this schedule: no proof can come of it, and the search stops
            # after it (see ``finished``), so the rest of it runs as the default policy says
            node = None
            want = first
        else:
            asleep = state.sleep
            node = Node(self.node, self.chosen, k, idx, first, self.devs,
                        dict.fromkeys(asleep, True) if asleep else _NO_SLEEP)
            if self.root is None:
                self.root = node
            if not asleep or first not in asleep:
                want = first
            else:
                awake = [t for t in idx if t not in asleep]
                if not awake:
                    want = first
                    state.blocked_by_sleep = True
                    if run is not None:
                        run.prune()  # every way on repeats an interleaving explored already
                else:
                    want = min(awake, key=lambda t: (t != first, self.order_key(t)))
            node.done.append(want)
            state.child_sleep(node, want)
        if want != first:
            self.devs += 1
        self.node = node
        self.chosen = want
        state.decision = node
        self.trail.append((k, idx, want))
        return want

    def finished(self, run) -> None:
        """After a schedule: count it, and note whether it could still count as a proof."""
        self.traces += 1
        if run.dpor_state.fair or run.dpor_state.unknown:
            self.complete_possible = False


class RunState:
    """DPOR's bookkeeping for one schedule (vector clocks, last accesses, sleep set)."""

    def __init__(self, dpor: Dpor) -> None:
        self.dpor = dpor
        self.events: list[Event] = []
        self.clocks: dict[int, list[int]] = {}  # thread -> vector clock
        self.pending: dict[int, tuple] = {}  # thread -> footprint of its next step
        self.last: dict = {}  # location -> {thread: event index} (its latest access there)
        self.lastw: dict = {}  # location -> {thread: event index} (its latest write there)
        self.by_container: dict = {}  # container id -> its item locations seen
        #: container id -> {thread: its latest step on any of its items} (and writes only):
        #: what an access to the whole container meets, without visiting every item
        self.box_last: dict = {}
        self.box_lastw: dict = {}
        #: thread -> its latest step that touched anything (that wrote anything): what a step
        #: we cannot see into (WILD) meets, without visiting every location
        self.any_last: dict[int, int] = {}
        self.any_lastw: dict[int, int] = {}
        #: thread -> its latest step we cannot see into (WILD), and its latest such step that
        #: may have written: a read meets only the second (two reads are independent, and
        #: ordering a read after another thread's WILD *read* would hide that read's race
        #: with a later write)
        self.wild: dict[int, int] = {}
        self.wildw: dict[int, int] = {}
        #: lock id -> the clock of its latest release (``ORDER``): what the next acquire
        #: is ordered after
        self.released: dict[int, list[int]] = {}
        self.current: int | None = None  # event of the running thread's step
        self.sleep: dict[int, tuple | None] = {}
        self.decision: Node | None = None
        #: a fairness rule narrowed the choice: nothing this schedule does can count towards
        #: a proof any more, so the bookkeeping stops for the rest of it
        self.fair = False
        self.empty_thread = None  # the running step declared nothing (see ``touch``)
        self.empty_node = None
        self.unknown = False
        self.blocked_by_sleep = False
        #: replaying the path to the branch point: every race among those steps (and the
        #: steps pending there) was found by the run that first took them, which had the same
        #: steps in the same order, so looking for races again would only queue them again
        self.replaying = dpor.branch is not None

    # -- sleep sets ------------------------------------------------------------------------

    def child_sleep(self, node: Node, chosen: int) -> None:
        """Sleep set after ``chosen`` runs at ``node``: threads whose step there is covered by
        an alternative already started, and is independent of ``chosen``'s step. Their steps'
        footprints are taken from this schedule (the same steps, as the path to the node is
        replayed exactly), so object identities match."""
        if not node.sleep and len(node.done) == 1 and node.done[0] == chosen:
            self.sleep = {}  # the first way on from a node nobody slept at: nobody sleeps
            return
        fp = self.pending.get(chosen, ((WILD, True),))
        sleep = {}
        known = node.exact or {}
        entries = list(node.sleep.items()) + [(t, known.get(t, False)) for t in node.done]
        for t, exact in entries:
            if t == chosen or t in sleep or not exact:
                continue  # a step that did more than it declared is never put to sleep
            tfp = self.pending.get(t)
            if tfp is not None and not conflicts(tfp, fp):
                sleep[t] = tfp
        self.sleep = sleep

    # -- clocks and races --------------------------------------------------------------------

    def clock(self, thread: int) -> list[int]:
        c = self.clocks.get(thread)
        if c is None:
            c = self.clocks[thread] = []
        return c

    def spawned(self, parent: int | None, child: int) -> None:
        """A thread started by ``parent``: everything before the start happens before it."""
        base = list(self.clock(parent)) if parent is not None and parent >= 0 else []
        self.clocks[child] = base
        self.pending[child] = ()

    def declare(self, thread: int, fp: tuple) -> None:
        """``thread`` parks before a step with footprint ``fp``: check it against the past."""
        if self.fair:
            return  # the search stops after this schedule (see ``Dpor.finished``)
        self.pending[thread] = fp
        if fp and not self.replaying:
            race = self._last_dependent(fp, thread)
            if race is not None:
                self._backtrack(None, race, thread)

    def woken(self, thread: int, by: int, fp: tuple) -> None:
        """``by`` woke ``thread`` from a condition wait (``notify``): what ``thread`` does from
        now on happens after it, and its next step is ``fp`` (taking the lock back). While it
        waited it was not enabled, so it raced with nothing."""
        if self.fair:
            return
        _merge(self.clock(thread), self.clocks.get(by))
        self.declare(thread, fp)

    def execute(self, thread: int, run) -> None:
        """``thread`` runs its pending step now (it was chosen at a scheduling point)."""
        if self.fair:
            return  # the search stops after this schedule (see ``Dpor.finished``)
        fp = self.pending.get(thread, ())
        node = self.decision
        self.decision = None
        if not fp:
            # touches nothing shared: nobody can race with it, so it needs no event (its
            # accesses, if any turn up on the way, are added as a step of their own)
            self.current = None
            if node is not None:
                node.mark(thread, True)
            if thread in self.sleep:
                del self.sleep[thread]
            self.empty_thread = thread
            self.empty_node = node
            return
        clock = self.clocks.get(thread)
        if clock is None:
            clock = self.clocks[thread] = []
        while len(clock) <= thread:
            clock.append(0)
        clock[thread] += 1
        event = Event(thread, None, fp, node)
        events = self.events
        index = len(events)
        events.append(event)
        self.current = index
        for loc, write in fp:
            self._join(clock, loc, write, thread, index)
        event.clock = clock[:]
        for loc, write in fp:
            self._note(loc, write, thread, index)
        if node is not None:
            node.mark(thread, True)
        if len(self.pending) > 1 and not self.replaying:  # someone else is parked
            self._check_parked(run, thread, fp, index)
        if self.sleep:
            for t in [t for t, tfp in self.sleep.items() if t == thread or tfp is None
                      or conflicts(tfp, fp)]:
                del self.sleep[t]

    def touch(self, thread: int, run, loc, write: bool) -> None:
        """An access made inside the running step beyond its declared footprint."""
        if self.fair:
            return  # the search stops after this schedule (see ``Dpor.finished``)
        index = self.current
        if index is None or self.events[index].thread != thread:
            # the running step declared nothing: it becomes an event now
            node = self.empty_node if self.empty_thread == thread else None
            self.empty_thread = self.empty_node = None
            clock = self.clock(thread)
            self._tick(thread, clock)
            index = len(self.events)
            self.events.append(Event(thread, list(clock), (), node))
            self.current = index
        event = self.events[index]
        for known, w in event.fp:
            if known == loc and (w or not write):
                return
        event.fp = event.fp + ((loc, write),)
        if event.node is not None and loc[0] != ORDER:  # an order races with nothing
            event.node.mark(thread, False)  # its step does more than it said
        if not self.replaying:  # an earlier step of another thread that this access races with
            race = self._last_dependent(((loc, write),), thread, before=index)
            if race is not None:
                self._backtrack(run, race, thread)
        clock = self.clock(thread)
        self._join(clock, loc, write, thread, index)
        event.clock = list(clock)
        self._note(loc, write, thread, index)
        if not self.replaying:
            self._check_parked(run, thread, ((loc, write),), index)
        if self.sleep:
            for t in [t for t, tfp in self.sleep.items()
                      if tfp is None or conflicts(tfp, ((loc, write),))]:
                del self.sleep[t]

    def _tick(self, thread: int, clock: list[int]) -> None:
        while len(clock) <= thread:
            clock.append(0)
        clock[thread] += 1

    def _latest(self, loc, write: bool) -> tuple:
        """The {thread: its latest step} tables an access to ``loc`` must be checked against
        (any step there for a write, the writes for a read): a whole container meets the
        latest step on any of its entries; an entry meets itself and the whole container.
        The latest step per thread is enough, as a thread's own steps are ordered."""
        if loc[0] != "item":
            return ((self.last if write else self.lastw).get(loc),)
        if loc[2] == "*":
            return ((self.box_last if write else self.box_lastw).get(loc[1]),)
        table = self.last if write else self.lastw
        return (table.get(loc), table.get(("item", loc[1], "*")))

    def _join(self, clock: list[int], loc, write: bool, thread: int, limit: int) -> None:
        """Order this step after the earlier steps it depends on (happens-before)."""
        kind = loc[0]
        if kind == ORDER:
            if not write:
                _merge(clock, self.released.get(loc[1]))
            return
        events = self.events
        if kind == "*":  # WILD meets every step of another thread (its writes, for a read)
            _join_steps(clock, self.any_last if write else self.any_lastw, thread, limit, events)
            return
        # a WILD step of another thread's meets a write, a WILD write meets a read too
        wild = self.wild if write else self.wildw
        if wild:
            _join_steps(clock, wild, thread, limit, events)
        for per in self._latest(loc, write):
            if per:
                _join_steps(clock, per, thread, limit, events)

    def _note(self, loc, write: bool, thread: int, index: int) -> None:
        kind = loc[0]
        if kind == ORDER:
            if write:
                self.released[loc[1]] = self.events[index].clock
            return
        self.any_last[thread] = index
        if write:
            self.any_lastw[thread] = index
        if kind == "*":  # WILD
            self.wild[thread] = index
            if write:
                self.wildw[thread] = index
            return
        per = self.last.get(loc)
        if per is None:
            self.last[loc] = {thread: index}
            if kind == "item":  # a location first seen: one of its container's
                seen = self.by_container.get(loc[1])
                if seen is None:
                    self.by_container[loc[1]] = {loc}
                else:
                    seen.add(loc)
        else:
            per[thread] = index
        if write:
            per = self.lastw.get(loc)
            if per is None:
                self.lastw[loc] = {thread: index}
            else:
                per[thread] = index
        if kind == "item":
            box = self.box_last.get(loc[1])
            if box is None:
                self.box_last[loc[1]] = {thread: index}
            else:
                box[thread] = index
            if write:
                box = self.box_lastw.get(loc[1])
                if box is None:
                    self.box_lastw[loc[1]] = {thread: index}
                else:
                    box[thread] = index

    def _last_dependent(self, fp, thread: int, before=None) -> int | None:
        """The latest earlier step of another thread that conflicts with ``fp`` and is not
        already ordered before ``thread``'s next step (Flanagan-Godefroid's race)."""
        events = self.events
        limit = len(events) if before is None else before
        mine = self.clocks.get(thread, ())
        best = -1
        for loc, write in fp:
            kind = loc[0]
            if kind == ORDER:
                continue  # order only: never a race
            if kind == "*":  # WILD: every other thread's latest step (write, for a read)
                best = _latest_unordered(self.any_last if write else self.any_lastw, thread,
                                         best, limit, events, mine)
                continue
            # another thread's latest WILD step (for a write) or WILD write (for a read): the
            # latest one that may have written, not just the latest, as a WILD read after it
            # does not conflict with a read
            wild = self.wild if write else self.wildw
            if wild:
                best = _latest_unordered(wild, thread, best, limit, events, mine)
            # the latest access (for a write) or change (for a read) of ``loc`` by another
            # thread: by construction it conflicts with this access, so only the order counts
            for per in self._latest(loc, write):
                if per:
                    best = _latest_unordered(per, thread, best, limit, events, mine)
        return best if best >= 0 else None

    def _check_parked(self, run, thread: int, fp: tuple, index: int) -> None:
        """Every parked thread whose next step conflicts with the step just taken races it."""
        if not fp:
            return
        for t, tfp in self.pending.items():
            if t == thread or not tfp:
                continue
            if conflicts(tfp, fp):
                self._backtrack(run, index, t)

    def _backtrack(self, run, index: int, thread: int) -> None:
        """Race between event ``index`` and ``thread``'s next step: try ``thread`` first."""
        node = self.events[index].node
        if node is None:
            return  # no choice there: only one thread could run (the race is handled before)
        if thread in node.cands and thread not in node.sleep:
            self.dpor._push(node, thread)
        else:
            # ``thread`` cannot run there (Flanagan-Godefroid: then everyone), or it is asleep
            # there: every way on that starts with it repeats one explored already, but the
            # reversal may start with another thread's step that the race needs first (the
            # "initials" of Abdulla et al.'s source sets: t2 reads x, t1 writes x, t0 reads x
            # and appends before t2 does). All who are awake cover every such start
            for t in node.cands:
                self.dpor._push(node, t)


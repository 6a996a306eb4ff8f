"""The shared state, as rows of text built in the child, without running learner code."""

from __future__ import annotations

import queue
import threading

from tutor.play.snapshot import MAX_ROWS, MAX_VALUE, shared_rows


class Account:
    def __init__(self, number: int, balance: int) -> None:
        self.number = number
        self.balance = balance
        self.lock = threading.Lock()


def test_objects_lists_and_dicts_become_named_rows() -> None:
    bank = [Account(1, 100), Account(2, 50)]
    rows = dict(map(tuple, shared_rows(bank, "bank")))
    assert rows["bank[0].balance"] == "100"
    assert rows["bank[1].number"] == "2"
    assert rows["bank[0].lock"] == "lock"
    counts = {"/": 1, "/about": 2}
    assert shared_rows(counts, "hits") == [["hits['/']", "1"], ["hits['/about']", "2"]]
    assert shared_rows([1, 2, 3], "xs") == [["xs", "[1, 2, 3]"]]


def test_a_queue_shows_its_items_and_slots_are_read() -> None:
    class Slotted:
        __slots__ = ("jobs", "done")

        def __init__(self) -> None:
            self.jobs: queue.Queue[str] = queue.Queue()
            self.jobs.put("a")
            self.done = False

    rows = dict(map(tuple, shared_rows(Slotted(), "s")))
    assert rows == {"s.jobs": "Queue ['a']", "s.done": "False"}


def test_no_learner_code_runs() -> None:
    calls: list[str] = []

    class Sneaky:
        def __init__(self) -> None:
            self.value = 1

        @property
        def prop(self) -> int:
            calls.append("property")
            return 2

        def __repr__(self) -> str:
            calls.append("repr")
            return "sneaky"

        def __getattr__(self, name: str) -> int:
            calls.append(name)
            return 3

    class Number(int):
        def __repr__(self) -> str:
            calls.append("int repr")
            return "forty-two"

    rows = shared_rows({"a": Sneaky(), "n": Number(42)}, "s")
    assert calls == []
    assert ["s['a'].value", "1"] in rows
    assert ["s['n']", "<Number>"] in rows


def test_caps_cycles_and_depth() -> None:
    node: dict[str, object] = {"name": "x" * 500}
    node["self"] = node
    rows = shared_rows(node, "n")
    assert all(len(value) <= MAX_VALUE for _, value in rows)
    assert ["n['self']", "<dict> (shown above)"] in rows
    big = [Account(i, i) for i in range(100)]
    assert len(shared_rows(big, "b")) <= MAX_ROWS
    deep: list[object] = [[[[[1, [2]]]]]]
    assert shared_rows(deep, "d")  # cut at the depth limit, never recursing forever


def test_holders_name_who_holds_a_controlled_lock() -> None:
    from tutor.interleave import install, is_installed, uninstall

    was_installed = is_installed()
    install()  # as in the sandbox: the learner's locks are hybrids
    try:
        account = Account(1, 5)
    finally:
        if not was_installed:
            uninstall()
    assert type(account.lock).__module__.startswith("tutor.interleave")
    rows = dict(map(tuple, shared_rows(account, "acct", {"acct.lock": "T2"})))
    assert rows["acct.lock"] == "Lock held by T2"

"""The results channel accepts only the plugin's records, complete and in order."""

from __future__ import annotations

import os

import pytest

from tutor.runner.channel import ChannelError, RecordWriter, read_records

KEY = b"k" * 32


def _written(*records: tuple[str, dict], key: bytes = KEY) -> bytes:
    r, w = os.pipe()
    writer = RecordWriter(w, key)
    for kind, fields in records:
        writer.write(kind, **fields)
    os.close(w)
    data = os.read(r, 1 << 20)
    os.close(r)
    return data


def test_signed_records_round_trip() -> None:
    data = _written(("start", {"pid": 1}), ("finish", {"exitstatus": 0}))
    records = read_records(data, KEY)
    assert [(r["seq"], r["type"]) for r in records] == [(0, "start"), (1, "finish")]


def test_a_record_signed_with_another_key_is_rejected() -> None:
    data = _written(("finish", {"exitstatus": 0}), key=b"x" * 32)
    with pytest.raises(ChannelError, match="not signed"):
        read_records(data, KEY)


def test_a_replayed_record_is_rejected() -> None:
    data = _written(("start", {"pid": 1}), ("result", {"outcome": "passed"}))
    lines = data.splitlines(keepends=True)
    with pytest.raises(ChannelError, match="sequence"):
        read_records(lines[0] + lines[1] + lines[1], KEY)


def test_a_removed_record_is_rejected() -> None:
    data = _written(("start", {}), ("collected", {}), ("finish", {}))
    lines = data.splitlines(keepends=True)
    with pytest.raises(ChannelError, match="sequence"):
        read_records(lines[0] + lines[2], KEY)


def test_an_edited_record_is_rejected() -> None:
    data = _written(("result", {"outcome": "failed"}))
    with pytest.raises(ChannelError):
        read_records(data.replace(b"failed", b"passed"), KEY)


def test_a_truncated_record_is_rejected() -> None:
    data = _written(("start", {}), ("finish", {}))
    with pytest.raises(ChannelError):
        read_records(data[:-5], KEY)

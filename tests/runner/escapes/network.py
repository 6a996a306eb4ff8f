"""Reaches the host's loopback listeners by every kind of socket: TCP, MPTCP, TCP Fast Open,
UDP, raw IP and AF_PACKET (which would also sniff loopback traffic)."""

import socket
import threading

_TCP, _UDP = int("@TCP_PORT@"), int("@UDP_PORT@")
_attempts = {
    "tcp": lambda: socket.create_connection(("127.0.0.1", _TCP), timeout=1).sendall(b"LEAK"),
    "mptcp": lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM, 262).connect(
        ("127.0.0.1", _TCP)
    ),
    "fastopen": lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM).sendto(
        b"LEAK", 0x20000000, ("127.0.0.1", _TCP)
    ),
    "udp": lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(
        b"LEAK", ("127.0.0.1", _UDP)
    ),
    "raw": lambda: socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_UDP),
    "packet": lambda: socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3)),
}
for _name, _attempt in _attempts.items():
    try:
        _attempt()
        print("ESCAPE", _name, flush=True)
    except OSError as exc:
        print("contained", _name, exc.errno, flush=True)


class Counter:
    def __init__(self):
        self.value = 0
        self._lock = threading.Lock()

    def increment(self):
        with self._lock:
            self.value += 1

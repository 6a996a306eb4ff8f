"""Makes device nodes in its writable tmp/ and opens the host's block devices by path."""

import os
import stat
import threading

_tmp = os.environ.get("TMPDIR", "/tmp")
for _kind, _mode, _dev in (("block", stat.S_IFBLK, (8, 0)), ("char", stat.S_IFCHR, (1, 3))):
    _path = os.path.join(_tmp, f"node-{_kind}")
    try:
        os.mknod(_path, _mode | 0o666, os.makedev(*_dev))
        print("ESCAPE mknod", _kind, "created", flush=True)
        try:
            os.close(os.open(_path, os.O_RDONLY))
            print("ESCAPE mknod", _kind, "opened", flush=True)
        except OSError as exc:
            print("contained open", _kind, exc.errno, flush=True)
    except OSError as exc:
        print("contained mknod", _kind, exc.errno, flush=True)
for _path in filter(None, "@HOST_DEVICES@".split(",")):
    try:
        os.close(os.open(_path, os.O_RDONLY | os.O_NONBLOCK))
        print("ESCAPE opened", _path, flush=True)
    except OSError as exc:
        print("contained", _path, exc.errno, flush=True)


class Counter:
    def __init__(self):
        self.value = 0
        self._lock = threading.Lock()

    def increment(self):
        with self._lock:
            self.value += 1

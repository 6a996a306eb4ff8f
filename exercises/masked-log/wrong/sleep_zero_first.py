# Wrong: sleep(0) lets other threads run before the call, not during it: the one translate() still holds the GIL from start to end.
"""Idea: yield the GIL with time.sleep(0) before the translate call."""

import time

DIGITS = bytes.maketrans(b"0123456789", b"##########")
SLICE = 256 * 1024


def mask_log(log, progress):
    time.sleep(0)
    masked = log.translate(DIGITS)
    progress(len(log))
    return masked

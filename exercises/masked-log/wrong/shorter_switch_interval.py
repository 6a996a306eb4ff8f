# Wrong: the switch interval only decides when a switch is requested; a C call that holds the GIL cannot honour the request until it returns.
"""Idea: make the switch interval shorter."""

import sys

DIGITS = bytes.maketrans(b"0123456789", b"##########")
SLICE = 256 * 1024


def mask_log(log, progress):
    sys.setswitchinterval(0.0001)
    masked = log.translate(DIGITS)
    progress(len(log))
    return masked

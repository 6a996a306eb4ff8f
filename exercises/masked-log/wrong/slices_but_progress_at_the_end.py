# Wrong: the slices keep each call short, but progress is reported only at the end, so the bar still jumps from 0 to 100%.
"""Idea: translate in slices and report progress once at the end."""

DIGITS = bytes.maketrans(b"0123456789", b"##########")
SLICE = 256 * 1024


def mask_log(log, progress):
    parts = [log[i : i + SLICE].translate(DIGITS) for i in range(0, len(log), SLICE)]
    progress(len(log))
    return b"".join(parts)

"""Hidden tests for masked-log: how long is each GIL-holding call?

No interleaving and no timing: a profiler sees every call into C and, for each
`bytes.translate`, the size of the bytes it works on. That size is what decides how long
the call holds the GIL.
"""

import sys
import threading

import submission

LOG = b"".join(b"%06d card 4111 1111 1111 %04d ok\n" % (n, n % 10000) for n in range(40_000))


def _run_profiled(log):
    """mask_log(log, ...) with every translate() call's size and every progress() call."""
    sizes, reported = [], []

    def profile(frame, event, arg):
        if event == "c_call" and getattr(arg, "__name__", "") == "translate":
            owner = getattr(arg, "__self__", None)
            if isinstance(owner, bytes | bytearray):
                sizes.append(len(owner))

    sys.setprofile(profile)
    threading.setprofile(profile)  # also threads the submission may start
    try:
        masked = submission.mask_log(log, reported.append)
    finally:
        sys.setprofile(None)
        threading.setprofile(None)
    return masked, sizes, reported


def test_the_log_is_masked_exactly():
    masked, _, _ = _run_profiled(LOG)
    assert masked == LOG.translate(submission.DIGITS)
    assert submission.mask_log(b"", lambda done: None) == b""


def test_no_single_call_holds_the_gil_for_more_than_a_slice():
    _, sizes, _ = _run_profiled(LOG)
    assert sizes, "mask_log must mask with bytes.translate"
    assert max(sizes) <= submission.SLICE, (
        f"one translate() call handled {max(sizes)} bytes at once: it held the GIL for the "
        f"whole call (at most {submission.SLICE} bytes per call)"
    )


def test_progress_is_reported_after_every_slice():
    _, _, reported = _run_profiled(LOG)
    slices = -(-len(LOG) // submission.SLICE)
    assert reported and reported[-1] == len(LOG), f"the last progress was {reported[-1:]}"
    assert reported == sorted(reported), f"progress went backwards: {reported}"
    assert len(reported) >= slices, (
        f"progress was reported {len(reported)} times for {slices} slices"
    )

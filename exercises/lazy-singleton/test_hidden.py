"""Hidden tests for lazy-singleton: first use from several threads under every schedule."""

from tutor.interleave import explore

import submission


def _fresh():
    """Forget the built settings: each schedule starts from a process that never built one."""
    submission._settings = None
    submission.Settings.built = 0
    return []


def _caller(seen):
    seen.append(submission.get_settings())


def _check(seen):
    assert submission.Settings.built == 1, f"Settings was built {submission.Settings.built} times"
    assert all(settings is seen[0] for settings in seen), "callers got different Settings objects"


def test_built_once_and_shared_in_one_thread():
    _fresh()
    first = submission.get_settings()
    assert submission.get_settings() is first
    assert first.values["page_size"] == 20
    assert submission.Settings.built == 1


def test_two_threads_share_one_settings():
    explore(_fresh, [_caller, _caller], _check)


def test_three_threads_share_one_settings():
    explore(_fresh, [_caller, _caller, _caller], _check)

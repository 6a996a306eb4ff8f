"""You are the scheduler: step an exercise's threads by hand, on the learner's real code.

The parent side (``session.PlaySession``, trusted) starts a sandboxed pytest on one hidden
test (``scenario``) with the child side (``driver``, a pytest plugin that serves a
``tutor.interleave.Controller`` over the sandbox's message pipes), and checks every message
that comes back (``messages``). ``snapshot`` renders the shared state inside the child.
No Textual here: the screen is ``tutor.ui.screens.play``. See docs/play.md.
"""

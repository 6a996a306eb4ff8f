"""The Textual app (``python -m tutor`` with no command).

The only package allowed to import textual (``tests/test_layering.py`` checks): it presents
the engine (course, learner state, grading) and holds no logic of its own beyond presentation.
"""

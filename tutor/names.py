"""Names fixed by the course format (contract section 1), defined once for every module.

A leaf module: it imports nothing, so the engine, the sandboxed grading plugin, the explorer and
the UI can all use it without importing each other.
"""

# In the scratch directory of a grading run, the learner's file is copied under this name...
SUBMISSION_FILE = "submission.py"
SUBMISSION_MODULE = "submission"
# ... beside a fresh copy of the exercise's hidden tests under this one.
TEST_FILE = "test_hidden.py"

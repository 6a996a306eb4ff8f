"""``python -m tutor``: the same entry point as the ``tutor`` console script."""

import sys

from tutor.cli import main

if __name__ == "__main__":
    sys.exit(main())

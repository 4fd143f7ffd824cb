"""``python3 -m memshare ls|show``: the command line of the Python package."""
import sys

from memshare import main

sys.exit(main())

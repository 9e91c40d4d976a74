"""Run the command line with ``python -m summitry``."""

import sys

from summitry.cli import main

sys.exit(main())

"""Run the command line as ``python -m ember3kg``."""

import sys

from ember3kg.cli import main

sys.exit(main())

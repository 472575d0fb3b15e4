"""``python -m sswanalysis`` runs the command line, as the ``sswanalysis`` script does."""

import sys

from sswanalysis.cli import main

sys.exit(main())

"""Keep tests independent: display and plotting options set by one test don't leak into the next.

The notebook kernels nbval starts inherit the fixed environment the Makefile exports (time
zone, locale, hash seed, plotting backend), so ``python -m pytest`` without make — the way
on Windows — checks the same stored outputs as ``make test``.
"""

import os
import sys

import pytest

from sswanalysis.publish.notebooks import ENV

os.environ.update(ENV)  # as the Makefile's exports do


@pytest.fixture(autouse=True)
def _restore_global_options():
    mpl_before = dict(sys.modules["matplotlib"].rcParams) if "matplotlib" in sys.modules else None
    yield
    if "pandas" in sys.modules:
        sys.modules["pandas"].reset_option(r"^display\.")
    if mpl_before is not None:
        sys.modules["matplotlib"].rcParams.update(mpl_before)

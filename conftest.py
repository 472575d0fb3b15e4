"""Keep tests independent: display and plotting options set by one test don't leak into the next."""

import sys

import pytest


@pytest.fixture(autouse=True)
def _restore_global_options():
    mpl_before = dict(sys.modules["matplotlib"].rcParams) if "matplotlib" in sys.modules else None
    yield
    if "pandas" in sys.modules:
        sys.modules["pandas"].reset_option(r"^display\.")
    if mpl_before is not None:
        sys.modules["matplotlib"].rcParams.update(mpl_before)

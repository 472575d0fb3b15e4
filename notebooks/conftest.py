"""nbval settings for the notebooks: DataFrames are compared through ``text/plain`` only.

The ``text/html`` repr of a DataFrame carries a ``<style scoped>`` block that changes
between pandas versions; the plain-text repr shows the same numbers.
"""


def pytest_collectstart(collector):
    if collector.path is not None and collector.path.suffix == ".ipynb":
        collector.skip_compare += ("text/html",)

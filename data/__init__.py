"""The sswanalysis Data Package: datapackage.json and its CSV tables (shipped as sswanalysis.data)."""

"""Notebooks folder: a package only so that its conftest.py gets a unique module name."""

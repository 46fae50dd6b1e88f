"""Federage: books in euros, validated contributions and participation titles for commons."""

__version__ = "0.1.0"

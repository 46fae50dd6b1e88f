"""Contributions (apports): priced, evidenced, validated by the commons and paid in titles."""

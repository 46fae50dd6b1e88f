"""Management commands of governance."""

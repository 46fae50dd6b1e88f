"""`federage report`, `federage export` and `federage period`."""

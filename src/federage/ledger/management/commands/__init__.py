"""`federage report`, `federage export` and `federage verify`."""

"""Commands: `federage worker`."""

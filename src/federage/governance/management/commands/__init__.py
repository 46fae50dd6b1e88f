"""Commands: `federage close-proposals`."""

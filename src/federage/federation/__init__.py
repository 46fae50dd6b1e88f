"""Commons that cooperate: a commons as member of another, exchanges at two valuations, borrowed assets, federations."""

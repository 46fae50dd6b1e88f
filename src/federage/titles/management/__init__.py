"""Console commands of the titles app."""

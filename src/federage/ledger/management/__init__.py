"""Console commands of the ledger."""

"""Tables of the ledger (filled in by the ledger issue)."""

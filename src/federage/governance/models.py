"""Tables of governance (filled in by the governance issue)."""

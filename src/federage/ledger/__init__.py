"""Books of a commons: an immutable double-entry ledger with French reports and exports."""

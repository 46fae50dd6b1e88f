"""Offline sync: the member's read model pulled since a cursor, and command batches."""

"""Time-driven work: the worker (`federage worker`) and its sweep over every app's due jobs."""

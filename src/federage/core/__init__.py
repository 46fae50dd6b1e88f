"""Shared kernel: money, error codes, the command envelope and the clock; imports no other app."""

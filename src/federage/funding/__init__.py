"""Financing a commons: grants, loans and equity offers, tranches on verified milestones, earmarks and their booking."""

"""Measured impact: the taxonomy, territories, objectives, indicators, measurements and their verification."""

"""Participation titles: classes, holdings, issuances, transfers, redemptions and NAV history."""

"""Charter and governance: economic rules, proposals, ballots and the decision log."""

"""Agents: the persons and organisations that act in Federage, and who may act for them."""

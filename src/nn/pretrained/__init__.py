"""Shipped weights (being written)."""

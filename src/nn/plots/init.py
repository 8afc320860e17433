"""init plots (being written)."""

__all__: list[str] = []

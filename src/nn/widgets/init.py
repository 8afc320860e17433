"""init widgets (being written)."""

__all__: list[str] = []

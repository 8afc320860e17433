"""conv plots (being written)."""

__all__: list[str] = []

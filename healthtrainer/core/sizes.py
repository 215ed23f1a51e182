"""File sizes in words."""

from __future__ import annotations


def size_text(size: int) -> str:
    """A file size as people read it: 20 MB, 1.5 MB, 300 KB."""
    if size < 1024 * 1024:
        return f"{max(round(size / 1024), 1)} KB"
    megabytes = f"{size / (1024 * 1024):.1f}".removesuffix(".0")
    return f"{megabytes} MB"

"""The benchmark's one markdown table."""

from __future__ import annotations

from collections.abc import Iterable

from bench.figure import Figure


def markdown(figures: Iterable[Figure]) -> str:
    lines = [
        "| figure | measured | floor | ratio | target |",
        "| --- | --- | --- | --- | --- |",
    ]
    for figure in figures:
        floor = f"{figure.floor:,.1f} {figure.unit}" if figure.floor is not None else "not yet"
        ratio = f"{figure.ratio:.2f}" if figure.ratio is not None else ""
        lines.append(
            f"| {figure.name} | {figure.measured:,.1f} {figure.unit} | {floor} | {ratio} | "
            f"{figure.target} |"
        )
    return "\n".join(lines)

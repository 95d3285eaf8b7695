"""The index of steps in WORKSHOP.md, generated from the manifest."""

from __future__ import annotations

from collections.abc import Sequence

from workshop.manifest import Step

BEGIN = (
    "<!-- steps:begin (generated from workshop/manifest.toml: run `workshop index`) -->"
)
END = "<!-- steps:end -->"


def table(steps: Sequence[Step]) -> str:
    lines = [
        "| step | part | drill | minutes | text |",
        "| --- | --- | --- | --- | --- |",
    ]
    for step in steps:
        lines.append(
            f"| {step.number:02d} | {step.part} | {step.title} | {step.minutes}"
            f" | [{step.text_path}]({step.text_path}) |"
        )
    total = sum(step.minutes for step in steps)
    lines.append("")
    lines.append(
        f"{len(steps)} steps, about {total // 60} h {total % 60:02d} min in all."
    )
    return "\n".join(lines)


def refresh(text: str, steps: Sequence[Step]) -> str:
    """``text`` with the region between the index markers rebuilt."""
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        return text
    return text[: start + len(BEGIN)] + "\n" + table(steps) + "\n" + text[end:]

"""Solution markers: parse a source file once, render it for any step.

The format is described in workshop/AUTHORING.md. In short, with ``#`` (or
``--`` in SQL) as the comment prefix::

    # >>> solution 02        absent before 02, a stub at 02, the code after
    # >>> since 05           present from 05 on (what a step gives)
    # >>> until 08           present before 08 (replaced at 08)
    # >>> since 05 until 08  present for steps 05, 06 and 07
    # --- stub               inside a solution block: the hand-written stub
    # <<<                    closes the block
    code  # solution 02      the same three forms for a single line
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

COMMENT_STYLES: dict[str, tuple[str, str]] = {
    ".py": ("#", ""),
    ".toml": ("#", ""),
    ".yaml": ("#", ""),
    ".yml": ("#", ""),
    ".cfg": ("#", ""),
    ".ini": ("#", ""),
    ".sh": ("#", ""),
    ".sql": ("--", ""),
    ".md": ("<!--", "-->"),
}

_SPEC = r"(?P<kind>solution|since|until) (?P<start>\d{2})(?: until (?P<end>\d{2}))?"


class MarkerError(ValueError):
    """A malformed marker; the message names the file and the line."""

    def __init__(self, path: str, line: int, problem: str) -> None:
        super().__init__(f"{path}:{line}: {problem}")
        self.path, self.line, self.problem = path, line, problem


@dataclass(frozen=True)
class Span:
    """When a piece of code exists: ``kind`` is solution, since or until."""

    kind: str
    start: int | None  # the step that introduces it (None for plain until)
    end: int | None  # the first step without it

    def visible(self, step: int, solved: bool) -> str:
        """Return "full", "stub" or "absent" for this span at ``step``."""
        if self.end is not None and step >= self.end:
            return "absent"
        if self.start is None or step > self.start:
            return "full"
        if step < self.start:
            return "absent"
        if self.kind == "solution" and not solved:
            return "stub"
        return "full"

    @property
    def steps(self) -> set[int]:
        return {s for s in (self.start, self.end) if s is not None}


@dataclass
class Piece:
    """A run of lines with one span (or none: always present)."""

    lines: list[str | Piece]  # a Piece: a line marker inside a since/until block
    span: Span | None = None
    line_no: int = 0
    stub: list[str] | None = None  # hand-written stub, already uncommented
    is_marker_line: bool = False
    is_line: bool = False  # a one-line marker: at its own step the line is absent


@dataclass
class MarkedFile:
    path: str
    pieces: list[Piece] = field(default_factory=list)
    file_span: Span | None = None
    prefix: str = "#"

    def spans(self) -> list[tuple[int, Span]]:
        """(line, span) of every marker, line markers inside blocks included."""
        found = [(1, self.file_span)] if self.file_span else []
        for piece in self.pieces:
            if piece.span:
                found.append((piece.line_no, piece.span))
            for inner in piece.lines:
                if isinstance(inner, Piece) and inner.span:
                    found.append((inner.line_no, inner.span))
        return found

    @property
    def steps(self) -> set[int]:
        return {step for _, span in self.spans() for step in span.steps}

    @property
    def has_markers(self) -> bool:
        return self.file_span is not None or any(
            p.span or p.is_marker_line for p in self.pieces
        )


def _span(match: re.Match[str], path: str, line: int) -> Span:
    kind, start = match["kind"], int(match["start"])
    end = int(match["end"]) if match["end"] else None
    if kind == "until":
        if end is not None:
            raise MarkerError(path, line, "write 'since NN until MM', not 'until'")
        return Span("until", None, start)
    if end is not None and end <= start:
        raise MarkerError(path, line, f"'until {end:02d}' must come after {start:02d}")
    return Span(kind, start, end)


def parse(path: str, text: str) -> MarkedFile:
    """Split ``text`` into pieces; raise MarkerError on any malformed marker."""
    suffix = "." + path.rsplit(".", 1)[-1] if "." in path else ""
    prefix, suffix_close = COMMENT_STYLES.get(suffix, ("#", ""))
    p, s = re.escape(prefix), re.escape(suffix_close)
    close_re = rf"\s*{s}\s*$" if suffix_close else r"\s*$"
    open_re = re.compile(rf"^\s*{p}\s*>>>\s*(?P<rest>.*?){close_re}")
    stub_re = re.compile(rf"^\s*{p}\s*---\s*stub\b.*?{close_re}")
    end_re = re.compile(rf"^\s*{p}\s*<<<.*$")
    spec_re = re.compile(rf"^{_SPEC}$")
    line_re = re.compile(rf"^(?P<code>.*?\S)\s+{p}\s*{_SPEC}{close_re}")
    file_re = re.compile(rf"^\s*{p}\s*workshop:\s*(?P<rest>.*?){close_re}")
    stray_re = re.compile(rf"^\s*{p}\s*(>>>|<<<|---\s*stub)")

    result = MarkedFile(path, prefix=prefix)
    lines = text.splitlines(keepends=True)
    start_index = 0
    if lines and (head := file_re.match(lines[0])):
        spec = spec_re.match(head["rest"])
        if not spec:
            raise MarkerError(path, 1, f"unreadable file marker {head['rest']!r}")
        result.file_span = _span(spec, path, 1)
        start_index = 1

    plain: list[str | Piece] = []
    block: Piece | None = None
    in_stub = False

    def flush() -> None:
        if plain:
            result.pieces.append(Piece(plain.copy()))
            plain.clear()

    for index in range(start_index, len(lines)):
        line, number = lines[index], index + 1
        if opened := open_re.match(line):
            if block is not None:
                raise MarkerError(
                    path, number, f"nested block (line {block.line_no} is still open)"
                )
            spec = spec_re.match(opened["rest"])
            if not spec:
                raise MarkerError(path, number, f"unreadable marker {opened['rest']!r}")
            flush()
            result.pieces.append(Piece([], is_marker_line=True))
            block = Piece([], _span(spec, path, number), number)
            in_stub = False
        elif stub_re.match(line):
            if block is None or block.span is None or block.span.kind != "solution":
                raise MarkerError(
                    path, number, "'--- stub' belongs inside a solution block"
                )
            if in_stub:
                raise MarkerError(path, number, "a block has one '--- stub' section")
            in_stub, block.stub = True, []
        elif end_re.match(line):
            if block is None:
                raise MarkerError(path, number, "'<<<' closes nothing")
            result.pieces.append(block)
            result.pieces.append(Piece([], is_marker_line=True))
            block = None
        elif stray_re.match(line):
            raise MarkerError(path, number, f"unreadable marker {line.strip()!r}")
        elif marked := line_re.match(line.rstrip("\n")):
            if block is not None and block.span and block.span.kind == "solution":
                raise MarkerError(
                    path, number, "line markers cannot sit in a solution block"
                )
            newline = "\n" if line.endswith("\n") else ""
            span = _span(marked, path, number)
            piece = Piece([marked["code"] + newline], span, number, is_line=True)

            if block is not None:
                # Inside a since/until block: the line needs both to be visible.
                block.lines.append(piece)
            else:
                flush()
                result.pieces.append(piece)
        elif block is not None:
            if in_stub:
                assert block.stub is not None
                block.stub.append(_uncomment(line, prefix, path, number))
            else:
                block.lines.append(line)
        else:
            plain.append(line)
    if block is not None:
        raise MarkerError(
            path, block.line_no, "block opened here is never closed with '<<<'"
        )
    flush()
    return result


def _uncomment(line: str, prefix: str, path: str, number: int) -> str:
    if not line.strip():
        return line
    match = re.match(rf"^(\s*){re.escape(prefix)} ?(.*)$", line, re.DOTALL)
    if not match:
        raise MarkerError(
            path, number, f"stub lines must be commented out with {prefix!r}"
        )
    return match[1] + match[2]


__all__ = ["COMMENT_STYLES", "MarkedFile", "MarkerError", "Piece", "Span", "parse"]

"""Rendering a parsed file for one step: absent, stub or solution, markers gone."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from workshop.markers import MarkedFile, MarkerError, Piece
from workshop.stubs import auto_stub


@dataclass(frozen=True)
class StubContext:
    """What a generated stub says: the step and where its task text lives."""

    step: int
    text_path: str


def render(
    marked: MarkedFile, step: int, solved: bool, context: StubContext | None
) -> str | None:
    """The file's text at ``step``; None when the file does not exist there."""
    if marked.file_span is not None:
        state = marked.file_span.visible(step, solved)
        if state == "absent":
            return None
        if state == "stub":
            return _python_stub(
                marked, _render_pieces(marked, step, solved, context), context
            )
    return _render_pieces(marked, step, solved, context)


def _render_pieces(
    marked: MarkedFile, step: int, solved: bool, context: StubContext | None
) -> str:
    out: list[str | None] = []  # None: a piece removed here
    for piece in marked.pieces:
        if piece.is_marker_line:
            out.append(None)
            continue
        state = piece.span.visible(step, solved) if piece.span else "full"
        if state == "absent" or (state == "stub" and piece.is_line):
            out.append(None)
        elif state == "full":
            for line in piece.lines:
                if isinstance(line, Piece):  # a line marker inside a since block
                    assert line.span is not None
                    if line.span.visible(step, solved) == "full":
                        out.extend(t for t in line.lines if isinstance(t, str))
                    else:
                        out.append(None)
                else:
                    out.append(line)
        else:
            out.extend(_stub_lines(marked, piece, context))
    return "".join(_tidy_blank_lines(out))


def _stub_lines(
    marked: MarkedFile, piece: Piece, context: StubContext | None
) -> list[str]:
    assert piece.span is not None and piece.span.start is not None
    if piece.stub is not None:
        return piece.stub
    ctx = context or StubContext(piece.span.start, "workshop/steps")
    body = [line for line in piece.lines if isinstance(line, str)]
    if marked.path.endswith(".py"):
        try:
            return auto_stub(body, ctx.step, ctx.text_path)
        except ValueError as error:
            raise MarkerError(marked.path, piece.line_no, str(error)) from None
    indent = body[0][: len(body[0]) - len(body[0].lstrip())] if body else ""
    close = " -->" if marked.prefix == "<!--" else ""
    return [
        f"{indent}{marked.prefix} TODO step {ctx.step:02d}: your code goes here"
        f" (the task is in {ctx.text_path}){close}\n"
    ]


def _python_stub(marked: MarkedFile, text: str, context: StubContext | None) -> str:
    """A whole file marked 'solution': every function body becomes a stub."""
    if not marked.path.endswith(".py"):
        raise MarkerError(
            marked.path, 1, "only Python files can be a whole-file solution"
        )
    assert marked.file_span is not None and marked.file_span.start is not None
    ctx = context or StubContext(marked.file_span.start, "workshop/steps")
    try:
        return "".join(
            auto_stub(text.splitlines(keepends=True), ctx.step, ctx.text_path)
        )
    except ValueError as error:
        raise MarkerError(marked.path, 1, str(error)) from None


def _tidy_blank_lines(out: list[str | None]) -> list[str]:
    """Drop removed pieces, keeping the wider of the blank runs around each gap.

    Removing a block between two functions must not leave four blank lines, nor
    glue the functions together: ruff format would then fail on the step.
    """
    result: list[str] = []
    index = 0
    while index < len(out):
        item = out[index]
        if item is not None:
            result.append(item)
            index += 1
            continue
        before = 0
        while result and not result[-1].strip():
            result.pop()
            before += 1
        # The widest run of blank lines in the gap, not their sum: removing two
        # import groups must leave one blank line, not two.
        widest, run = before, 0
        while index < len(out) and not (out[index] or "").strip():
            run = 0 if out[index] is None else run + 1
            widest = max(widest, run)
            index += 1
        at_edge = not result or index >= len(out)
        result.extend(["\n"] * (0 if at_edge else widest))
    return result


def check_python(path: str, text: str) -> None:
    """Raise MarkerError when rendered Python does not parse."""
    try:
        ast.parse(text)
    except SyntaxError as error:
        raise MarkerError(
            path, error.lineno or 0, f"renders to invalid Python: {error.msg}"
        ) from None

"""Turn a solution into its stub: signatures and docstrings kept, bodies raise."""

from __future__ import annotations

import ast
import textwrap

LINE_LENGTH = 88


def stub_message(name: str, step: int, text_path: str) -> str:
    return f"step {step:02d}: write {name}() - the task is in {text_path}"


def raise_lines(indent: str, message: str) -> list[str]:
    """The raise statement, laid out exactly as ruff format would."""
    one_line = f'{indent}raise NotImplementedError("{message}")\n'
    if len(one_line) - 1 <= LINE_LENGTH:
        return [one_line]
    return [
        f"{indent}raise NotImplementedError(\n",
        f'{indent}    "{message}"\n',
        f"{indent})\n",
    ]


def _functions(body: list[ast.stmt], owner: str = "") -> list[tuple[str, ast.AST]]:
    found: list[tuple[str, ast.AST]] = []
    for node in body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            found.append((owner + node.name, node))
        elif isinstance(node, ast.ClassDef):
            found.extend(_functions(node.body, f"{owner}{node.name}."))
    return found


def auto_stub(lines: list[str], step: int, text_path: str) -> list[str]:
    """Replace the body of every function (and method) in ``lines`` by a raise.

    Module-level statements, class fields and docstrings stay, so the learner
    sees what to write and where. Raise ValueError when there is nothing to
    stub: such a block needs a hand-written '--- stub' section.
    """
    source = "".join(lines)
    dedented = textwrap.dedent(source)
    shift = _common_indent(lines)
    try:
        tree = ast.parse(dedented)
    except SyntaxError as error:
        raise ValueError(
            f"the solution does not parse: {error.msg} (line {error.lineno})"
        ) from None
    functions = _functions(tree.body)
    if not functions:
        raise ValueError(
            "stub with no signature: this solution block has no def or class;"
            " add a '# --- stub' section with the code the learner starts from"
        )
    replacements: list[tuple[int, int, list[str]]] = []
    for name, node in functions:
        assert isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        first = node.body[0]
        has_doc = (
            isinstance(first, ast.Expr)
            and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)
        )
        if first.lineno == node.lineno:
            raise ValueError(f"put the body of {name}() on its own lines")
        start = (first.end_lineno or first.lineno) + 1 if has_doc else first.lineno
        end = node.end_lineno or start
        indent = shift + " " * first.col_offset
        message = stub_message(name, step, text_path)
        replacements.append((start, end, raise_lines(indent, message)))
    out = list(lines)
    for start, end, new in sorted(replacements, reverse=True):
        out[start - 1 : end] = new
    return out


def _common_indent(lines: list[str]) -> str:
    indents = [len(line) - len(line.lstrip()) for line in lines if line.strip()]
    return " " * min(indents) if indents else ""

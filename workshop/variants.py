"""Drill variants: other solutions than the reference, to prove a drill grades fairly.

A variant file, ``tests/variants/step_NN.py`` (maintainer-only, excluded from
the steps), lists ``VARIANTS``: each a ``wrong(...)`` (a typical mistake: the
drill's tests must fail) or an ``alternative(...)`` (another correct solution:
they must pass). A variant states only what it changes, as edits applied to
the step's reference solution:

    replace_function("app/sqlite/errors.py", "translate", '''
    def translate(error): ...
    ''')
    replace_text("app/cart.py", old="isinstance(price, str)", new="True")

An edit that no longer applies (the function is gone, the text is not there
exactly once) is an error naming the variant, never a silent pass.
"""

from __future__ import annotations

import ast
import re
import textwrap
from dataclasses import dataclass, field

VARIANTS_DIR = "tests/variants"
VARIANT_FILE = re.compile(rf"^{VARIANTS_DIR}/step_(\d{{2}})\.py$")
WRONG, ALTERNATIVE = "wrong", "alternative"


class VariantError(ValueError):
    """A variant that cannot be applied; the message says which and why."""


@dataclass(frozen=True)
class Edit:
    path: str

    def apply(self, text: str) -> str:
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError


@dataclass(frozen=True)
class ReplaceText(Edit):
    old: str
    new: str

    def apply(self, text: str) -> str:
        found = text.count(self.old)
        if found != 1:
            raise VariantError(
                f"{self.path}: the text to replace occurs {found} times, not once:"
                f" {self.old[:60]!r}"
            )
        return text.replace(self.old, self.new)

    def describe(self) -> str:
        return f"replace text in {self.path}"


@dataclass(frozen=True)
class ReplaceFunction(Edit):
    qualname: str
    source: str

    def apply(self, text: str) -> str:
        node = _find_definition(ast.parse(text), self.qualname, self.path)
        lines = text.splitlines(keepends=True)
        first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
        assert node.end_lineno is not None
        indent = lines[node.lineno - 1][: node.col_offset]
        body = textwrap.indent(textwrap.dedent(self.source).strip("\n") + "\n", indent)
        return "".join(lines[: first - 1]) + body + "".join(lines[node.end_lineno :])

    def describe(self) -> str:
        return f"replace {self.qualname}() in {self.path}"


def _find_definition(
    tree: ast.Module, qualname: str, path: str
) -> ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef:
    scope: list[ast.stmt] = tree.body
    found: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | None = None
    for part in qualname.split("."):
        matches = [
            node
            for node in scope
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            and node.name == part
        ]
        if len(matches) != 1:
            raise VariantError(
                f"{path}: {qualname} is defined {len(matches)} times, not once"
                " (did the reference solution change? update the variant)"
            )
        found = matches[0]
        scope = found.body
    assert found is not None
    return found


def replace_text(path: str, old: str, new: str) -> ReplaceText:
    """Replace ``old``, which must occur exactly once in ``path``, with ``new``."""
    return ReplaceText(path, old, new)


def replace_function(path: str, qualname: str, source: str) -> ReplaceFunction:
    """Replace the function or class ``qualname`` (``Class.method``) with ``source``."""
    return ReplaceFunction(path, qualname, source)


@dataclass(frozen=True)
class Variant:
    kind: str
    name: str
    edits: tuple[Edit, ...]
    tests: tuple[str, ...] = field(default=())  # node ids; default: the drill's

    def apply(self, tree: dict[str, tuple[str, bytes]]) -> dict[str, tuple[str, bytes]]:
        """The tree with this variant's edits applied (a new dict)."""
        changed = dict(tree)
        for edit in self.edits:
            if edit.path not in changed:
                raise VariantError(f"{self.name}: {edit.path} is not in the step")
            mode, data = changed[edit.path]
            try:
                text = edit.apply(data.decode("utf-8"))
            except (VariantError, SyntaxError) as error:
                raise VariantError(f"{self.name}: {error}") from None
            changed[edit.path] = (mode, text.encode("utf-8"))
        return changed


def wrong(name: str, *edits: Edit, tests: tuple[str, ...] = ()) -> Variant:
    """A typical mistake: the drill's tests must fail with it."""
    return Variant(WRONG, name, edits, tests)


def alternative(name: str, *edits: Edit, tests: tuple[str, ...] = ()) -> Variant:
    """Another correct solution: the drill's tests must pass with it."""
    return Variant(ALTERNATIVE, name, edits, tests)


def load_variants(path: str, data: bytes) -> list[Variant]:
    """The ``VARIANTS`` list of one variant file (it is maintainer code, run as such)."""
    namespace: dict[str, object] = {"__name__": f"variants_{path}"}
    exec(compile(data, path, "exec"), namespace)  # noqa: S102 - our own file
    variants = namespace.get("VARIANTS")
    if not isinstance(variants, list) or not all(
        isinstance(v, Variant) for v in variants
    ):
        raise VariantError(f"{path}: VARIANTS must be a list of wrong()/alternative()")
    names = [v.name for v in variants]
    if len(set(names)) != len(names):
        raise VariantError(f"{path}: two variants share a name")
    return variants

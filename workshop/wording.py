"""Tests check behaviour, not wording: a `match=` must quote the drill's text.

A drill's test may look for a fragment of an error message only when the
text of its step (or of an earlier step) states that fragment word for word;
everything else is checked by type and attributes. This finds every
`pytest.raises(..., match=...)` in a drill's tests and names those whose
pattern the texts do not contain, or that are not a plain string at all.
"""

from __future__ import annotations

import ast
import re

_ESCAPED = re.compile(r"\\(\W)")  # \. or \( : a character taken literally


def literal(pattern: str) -> str | None:
    """The text a ``match=`` pattern stands for, or None if it is a real regex.

    An unescaped dot is taken as a dot: it matches one in the message too.
    """
    rest = _ESCAPED.sub("", pattern)
    if re.search(r"[\\*+?\[\]{}|^$()]", rest):
        return None
    return _ESCAPED.sub(r"\1", pattern)


def unstated_matches(test_source: str, texts: str, path: str) -> list[str]:
    """Each `match=` in ``test_source`` that ``texts`` do not state, as a problem.

    A fragment that the test itself gives as data (a SKU, a file name, an id
    in another string of the file) is the value the message names, not
    wording: it passes when the text says the message names that value.
    """
    tree = ast.parse(test_source)
    matches = {
        id(keyword.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        for keyword in node.keywords
        if keyword.arg == "match"
    }
    data = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in matches
    ]
    problems = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and _is_raises(node.func)):
            continue
        for keyword in node.keywords:
            if keyword.arg != "match":
                continue
            where = f"{path}:{keyword.value.lineno}"
            value = keyword.value
            if not (isinstance(value, ast.Constant) and isinstance(value.value, str)):
                problems.append(
                    f"{where}: match= is computed; check the error's type and"
                    " attributes instead, or match a fragment the text states"
                )
                continue
            fragment = literal(value.value)
            if fragment is not None and any(fragment in given for given in data):
                continue
            if fragment is None or fragment.casefold() not in texts.casefold():
                problems.append(
                    f"{where}: match={value.value!r} is wording the text does not"
                    " state; check the error's type and attributes instead"
                )
    return problems


def _is_raises(func: ast.expr) -> bool:
    return (isinstance(func, ast.Attribute) and func.attr == "raises") or (
        isinstance(func, ast.Name) and func.id == "raises"
    )

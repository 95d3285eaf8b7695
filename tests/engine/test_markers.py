"""The marker format: every form renders right, and every mistake is named."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.engine.conftest import dedent
from workshop.markers import MarkerError, parse
from workshop.render import StubContext, render

CTX = StubContext(2, "workshop/steps/02-load.md")


def maybe_at(
    text: str, step: int, path: str = "app/m.py", solved: bool = False
) -> str | None:
    return render(
        parse(path, dedent(text)),
        step,
        solved,
        StubContext(step, f"workshop/steps/{step:02d}-x.md"),
    )


def at(text: str, step: int, path: str = "app/m.py", solved: bool = False) -> str:
    rendered = maybe_at(text, step, path, solved)
    assert rendered is not None, f"the file is absent at step {step}"
    return rendered


SOLUTION = """
    import json


    # >>> solution 02
    def load(text: str) -> dict:
        \"\"\"Parse text.\"\"\"
        data = json.loads(text)
        return data


    # <<<
    def after() -> None:
        pass
"""


def test_a_solution_block_is_absent_before_its_step():
    text = at(SOLUTION, 1)
    assert "def load" not in text
    assert "def after" in text


def test_a_solution_block_is_a_stub_at_its_step():
    text = at(SOLUTION, 2)
    assert (
        'def load(text: str) -> dict:\n    """Parse text."""\n    raise NotImplementedError('
        in text
    )
    assert "step 02: write load() - the task is in workshop/steps/02-x.md" in text
    assert "json.loads" not in text


def test_a_solution_block_is_the_code_after_its_step_and_when_solved():
    assert "json.loads" in at(SOLUTION, 3)
    assert "json.loads" in at(SOLUTION, 2, solved=True)


def test_no_marker_survives_rendering():
    for step in (1, 2, 3):
        assert ">>>" not in at(SOLUTION, step) and "<<<" not in at(SOLUTION, step)


def test_since_until_and_ranges():
    text = """
        # >>> since 03
        given = 3
        # <<<
        # >>> until 05
        old = 1
        # <<<
        # >>> since 05
        new = 1
        # <<<
        # >>> since 02 until 04
        middle = 1
        # <<<
    """
    assert at(text, 2).split() == ["old", "=", "1", "middle", "=", "1"]
    assert at(text, 3).split() == [
        "given",
        "=",
        "3",
        "old",
        "=",
        "1",
        "middle",
        "=",
        "1",
    ]
    assert at(text, 5).split() == ["given", "=", "3", "new", "=", "1"]


def test_line_markers():
    text = """
        import os  # solution 02
        import re  # since 03
        import sys  # until 03
        value = 1
    """
    assert at(text, 2) == "import sys\nvalue = 1\n"
    assert at(text, 3) == "import os\nimport re\nvalue = 1\n"


def test_a_line_marker_inside_a_since_block_needs_both():
    text = """
        # >>> since 02
        a = 1
        b = 2  # solution 03
        # <<<
    """
    assert at(text, 1) == ""
    assert at(text, 3) == "a = 1\n"
    assert at(text, 4) == "a = 1\nb = 2\n"


def test_a_hand_written_stub_is_uncommented_at_its_step():
    text = """
        def total(items):
            # >>> solution 02
            return sum(items)
            # --- stub
            # return 0  # TODO: add them up
            # <<<
    """
    assert at(text, 2) == "def total(items):\n    return 0  # TODO: add them up\n"
    assert at(text, 3) == "def total(items):\n    return sum(items)\n"


def test_methods_of_a_class_are_stubbed_and_fields_kept():
    text = """
        # >>> solution 02
        class Inventory:
            \"\"\"Stock by SKU.\"\"\"

            limit = 10

            def add(self, sku: str) -> None:
                self.items.append(sku)

            async def fetch(self) -> list[str]:
                \"\"\"Fetch.\"\"\"
                return []


        # <<<
    """
    stub = at(text, 2)
    assert "limit = 10" in stub
    assert "write Inventory.add()" in stub and "write Inventory.fetch()" in stub
    assert "append" not in stub and "return []" not in stub
    compile(stub, "stub", "exec")


def test_a_whole_file_can_arrive_at_a_step_or_be_a_solution():
    assert maybe_at("# workshop: since 03\nx = 1\n", 2) is None
    assert at("# workshop: since 03\nx = 1\n", 3) == "x = 1\n"
    solution = '# workshop: solution 02\n"""Doc."""\n\n\ndef f():\n    return 1\n'
    assert maybe_at(solution, 1) is None
    assert "raise NotImplementedError" in at(solution, 2)
    assert at(solution, 3) == '"""Doc."""\n\n\ndef f():\n    return 1\n'


def test_sql_and_markdown_use_their_own_comments():
    sql = "-- >>> solution 02\nCREATE TABLE t (id INTEGER);\n-- <<<\n"
    assert at(sql, 2, path="app/schema.sql") == (
        "-- TODO step 02: your code goes here (the task is in workshop/steps/02-x.md)\n"
    )
    assert at(sql, 3, path="app/schema.sql") == "CREATE TABLE t (id INTEGER);\n"
    md = "intro\n<!-- >>> since 03 -->\nlater\n<!-- <<< -->\n"
    assert at(md, 2, path="docs/a.md") == "intro\n"
    assert at(md, 3, path="docs/a.md") == "intro\nlater\n"


def test_long_stub_messages_are_laid_out_as_ruff_format_would():
    text = """
        class A:
            # >>> solution 02
            def a_method_with_a_rather_long_name(self) -> None:
                pass


            # <<<
    """
    stub = at(text, 2)
    assert 'raise NotImplementedError(\n            "step 02' in stub


def _ruff_format_clean(text: str) -> bool:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "format",
            "--check",
            "--stdin-filename",
            "m.py",
            "-",
        ],
        input=text,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    return result.returncode == 0


def test_removed_blocks_leave_ruff_formatted_code():
    text = dedent(
        """
        import os


        def first() -> None:
            pass


        # >>> solution 02
        def second() -> str:
            \"\"\"Second.\"\"\"
            return os.sep


        # <<<
        # >>> since 03
        def third() -> None:
            pass


        # <<<
        def fourth() -> None:
            pass
        """
    )
    assert _ruff_format_clean(text)
    for step in (1, 2, 3, 4):
        rendered = render(parse("m.py", text), step, False, CTX)
        assert rendered is not None
        assert _ruff_format_clean(rendered), f"step {step}:\n{rendered}"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("# >>> solution 02\nx = 1\n", "never closed"),
        ("# >>> since 02\n# >>> since 03\n# <<<\n# <<<\n", "nested block"),
        ("x = 1\n# <<<\n", "closes nothing"),
        ("# --- stub\n", "belongs inside a solution block"),
        ("# >>> since 02\n# --- stub\n# <<<\n", "belongs inside a solution block"),
        (
            "# >>> solution 02\ndef f():\n    pass\n# --- stub\n# --- stub\n# <<<\n",
            "one '--- stub'",
        ),
        ("# >>> solutoin 02\n# <<<\n", "unreadable marker"),
        ("# >>> since 05 until 03\n# <<<\n", "must come after"),
        (
            "# >>> solution 02\nx = 1  # since 03\n# <<<\n",
            "cannot sit in a solution block",
        ),
        ("# workshop: someday\n", "unreadable file marker"),
        (
            "# >>> solution 02\n    x = 1\n# --- stub\nnot commented\n# <<<\n",
            "must be commented out",
        ),
    ],
)
def test_malformed_markers_name_the_file_line_and_problem(text, problem):
    with pytest.raises(MarkerError, match=problem) as caught:
        parse("app/bad.py", text)
    assert str(caught.value).startswith("app/bad.py:")


def test_a_python_solution_with_nothing_to_stub_is_an_error():
    with pytest.raises(MarkerError, match="stub with no signature") as caught:
        at("x = 0\n# >>> solution 02\nx = 1\n# <<<\n", 2, path="app/bad.py")
    assert str(caught.value).startswith("app/bad.py:2:")


def test_a_one_line_function_body_is_an_error():
    with pytest.raises(MarkerError, match="own lines"):
        at("# >>> solution 02\ndef f(): return 1\n# <<<\n", 2)


def test_line_markers_inside_a_block_count_among_the_files_steps():
    marked = parse("app/m.py", "# >>> since 02\na = 1\nb = 2  # since 04\n# <<<\n")
    assert marked.steps == {2, 4}
    assert [line for line, _ in marked.spans()] == [1, 3]


def test_removing_lines_between_blank_runs_keeps_the_widest_run_not_the_sum():
    text = "import a\nimport b  # solution 05\n\nfrom x import y  # solution 05\n\nCONST = 1\n"
    assert at(text, 5, path="app/m.py") == "import a\n\nCONST = 1\n"
    assert _ruff_format_clean(at(text, 5, path="app/m.py"))

"""Variants: edits that fail loudly, and the verifier's invariant 6 on them."""

from __future__ import annotations

import pytest

from tests.engine.conftest import dedent
from workshop.source import load_from_dir
from workshop.variants import (
    VariantError,
    load_variants,
    replace_function,
    replace_text,
    wrong,
)
from workshop.verify import verify

CODE = dedent(
    '''
    """A module."""


    class Cart:
        """A cart."""

        @property
        def total(self) -> int:
            return 1

        def add(self) -> None:
            pass
    '''
)


def test_replace_function_swaps_a_method_with_its_decorators_and_indent():
    edit = replace_function(
        "app/cart.py",
        "Cart.total",
        """
        def total(self) -> int:
            return 2
        """,
    )
    changed = edit.apply(CODE)
    assert "    def total(self) -> int:\n        return 2\n" in changed
    assert "@property" not in changed and "return 1" not in changed
    assert "    def add(self) -> None:" in changed


@pytest.mark.parametrize("name", ["Cart.missing", "Basket.total", "total"])
def test_replace_function_refuses_a_name_that_is_not_defined_once(name):
    with pytest.raises(VariantError, match="defined 0 times"):
        replace_function("app/cart.py", name, "def x(): pass").apply(CODE)


@pytest.mark.parametrize("old", ["return 3", "    def"])
def test_replace_text_needs_exactly_one_occurrence(old):
    with pytest.raises(VariantError, match="occurs [02] times"):
        replace_text("app/cart.py", old, "x").apply(CODE)


def test_a_variant_names_itself_when_it_no_longer_applies():
    variant = wrong("gone", replace_text("app/cart.py", "return 3", "return 4"))
    with pytest.raises(VariantError, match="^gone: app/cart.py"):
        variant.apply({"app/cart.py": ("100644", CODE.encode())})
    with pytest.raises(VariantError, match="app/other.py is not in the step"):
        wrong("other", replace_text("app/other.py", "a", "b")).apply({})


def test_a_variant_file_must_list_variants_with_distinct_names():
    with pytest.raises(VariantError, match="VARIANTS must be a list"):
        load_variants("tests/variants/step_01.py", b"VARIANTS = 3\n")
    twice = (
        b"from workshop.variants import wrong\n"
        b"VARIANTS = [wrong('same'), wrong('same')]\n"
    )
    with pytest.raises(VariantError, match="share a name"):
        load_variants("tests/variants/step_01.py", twice)


def problems(reports):
    return [problem for report in reports for problem in report.problems]


def test_verify_counts_wrong_variants_caught_and_alternatives_passing(mini):
    reports = verify(load_from_dir(mini), steps=[1], jobs=1)
    assert problems(reports) == []
    found = reports[0].variants
    assert found is not None
    assert (found.caught, found.wrong, found.accepted, found.alternatives) == (
        2,
        2,
        1,
        1,
    )


def test_verify_flags_a_wrong_variant_that_passes_and_a_rejected_alternative(mini):
    variants = mini / "tests" / "variants" / "step_01.py"
    variants.write_text(
        variants.read_text(encoding="utf-8")
        .replace('new="return a**2"', 'new="return 18"')
        .replace("return sum([a] * b)", "return a - b"),
        encoding="utf-8",
    )
    found = problems(verify(load_from_dir(mini), steps=[1], jobs=1))
    assert any(
        "(wrong variant passes): 'return a**2': every test passes" in p for p in found
    ), found
    assert any("(correct variant rejected): 'return a - b'" in p for p in found)


def test_verify_flags_a_drill_without_enough_variants_or_a_stale_one(mini):
    (mini / "tests" / "variants" / "step_02.py").write_text(
        "from workshop.variants import replace_text, wrong\n\n"
        "VARIANTS = [wrong('stale', replace_text('app/calc.py', 'return a % b', 'x'))]\n",
        encoding="utf-8",
    )
    found = problems(verify(load_from_dir(mini), steps=[2], jobs=1))
    assert any("invariant 6 (variant no longer applies): stale:" in p for p in found)
    assert any("1 wrong and 0 alternative variant(s)" in p for p in found), found


def test_a_match_must_quote_the_text_or_it_is_wording():
    from workshop.wording import unstated_matches

    tests = dedent(
        """
        import pytest

        def test_it(reason):
            with pytest.raises(ValueError, match=r"line 3: SKU"):
                pass
            with pytest.raises(ValueError, match="already taken"):
                pass
            with pytest.raises(ValueError, match="SKU .* taken"):
                pass
            with pytest.raises(ValueError, match=reason):
                pass
            with pytest.raises(ValueError, match="C404"):
                load(customer="C404")
        """
    )
    text = "The message starts with `line 3: sku` (the line and the SKU)."
    found = unstated_matches(tests, text, "tests/test_step_01_x.py")
    assert [problem.split(":")[1] for problem in found] == ["6", "8", "10"]
    assert "'already taken' is wording the text does not state" in found[0]
    assert "computed" in found[2]


def test_a_crashed_run_judges_no_variant():
    from workshop.variantcheck import _verdict
    from workshop.variants import alternative

    crashed = {"exitstatus": 3, "tests": {"t::a": {"outcome": "passed"}}}
    for variant in (wrong("w"), alternative("a")):
        assert "exit status 3" in (_verdict(variant, crashed) or "")
    passed = {"exitstatus": 0, "tests": {"t::a": {"outcome": "passed"}}}
    assert _verdict(alternative("a"), passed) is None
    assert "every test passes" in (_verdict(wrong("w"), passed) or "")

"""The book: a static site of the steps, checked as files and in a real browser."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.engine.conftest import screenshot
from workshop import book, learner
from workshop.manifest import load_manifest

ROOT = Path(__file__).resolve().parents[2]


def test_split_text_finds_objectives_and_key_points_in_the_notes():
    text = (
        "# Step 01\n\nBody.\n\n## Instructor notes\n\n"
        "- **Objectives:** save a file\n  atomically.\n"
        "- **Key points:** `os.replace` is atomic.\n- **Skip:** never.\n"
    )
    parts = book.split_text(text)
    assert parts.body == "# Step 01\n\nBody.\n"
    assert parts.objectives == "save a file atomically."
    assert parts.key_points == "`os.replace` is atomic."
    assert parts.notes.startswith("- **Objectives:**")


def test_hints_are_folded_and_the_next_section_stays_outside():
    folded = book.fold_hints(
        "## Hints\n\n### Hint 1\n\nLook.\n\n### Hint 2\n\nHarder.\n\n## Going further\n"
    )
    html = book.MARKDOWN.render(folded)
    assert html.count("<details>") == 2
    assert "<summary>Hint 2</summary>\n<p>Harder.</p>\n</details>" in html
    assert html.rstrip().endswith("<h2>Going further</h2>")


def test_the_real_texts_make_a_book_with_objectives_folded_hints_and_no_broken_link(
    tmp_path,
):
    pages = book.write_book(ROOT, tmp_path / "book")
    steps = load_manifest(ROOT).steps
    assert len(pages) == len(steps) + 1
    for step, page_file in zip(steps, pages[1:], strict=True):
        html = page_file.read_text(encoding="utf-8")
        assert 'class="objectives"' in html, step.text_path
        assert html.count("<summary>Hint") == len(learner.hints(ROOT, step))
        assert "Instructor notes" not in html
    assert book.broken_links(tmp_path / "book") == []
    index = pages[0].read_text(encoding="utf-8")
    assert 'id="track-one-day"' in index and "lunch" in index


def test_the_instructor_view_adds_the_notes(tmp_path):
    book.write_book(ROOT, tmp_path / "book", instructor=True)
    assert "Typical mistakes" in (tmp_path / "book" / "step-07.html").read_text(
        encoding="utf-8"
    )


def test_a_broken_link_is_named_and_a_foreign_folder_refused(tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "a.html").write_text(
        '<a href="nowhere.html">x</a>', encoding="utf-8"
    )
    assert book.broken_links(tmp_path / "site") == ["a.html -> nowhere.html"]
    with pytest.raises(book.BookError, match="not empty"):
        book.write_book(ROOT, tmp_path / "site")


def test_every_page_loads_in_chromium_with_highlighted_code_and_working_links(
    mini, page, tmp_path
):
    learner.ensure_refs(mini, ["refs/tags/final"], "the step tags")
    out = tmp_path / "book"
    book.write_book(mini, out, instructor=True)
    page.goto((out / "index.html").as_uri())
    links = page.locator("a").evaluate_all("as => as.map(a => a.href)")
    assert len(links) == 3
    for link in links:
        page.goto(link)
        assert page.locator("h1").count() == 1
        assert page.locator("details summary", has_text="Hint 1").is_visible()
        assert not page.locator("details >> text=First hint").is_visible()  # folded
        assert page.locator("pre.highlight span").count() > 0  # the diff, coloured
        assert page.locator(".notes").count() == 1
        for href in page.locator("nav a").evaluate_all("as => as.map(a => a.href)"):
            assert Path(href.removeprefix("file://")).exists(), href
    page.goto((out / "step-01.html").as_uri())
    page.locator("summary", has_text="Hint 1").click()
    assert page.locator("text=First hint for mul").is_visible()
    screenshot(page, "book-step.png", tmp_path)

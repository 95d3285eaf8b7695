"""`workshop book OUT/`: the workshop as a static, offline web site.

One page per step (objectives first, hints folded, the reference solution's
diff from the built refs, links to the neighbours) and an index. The learner
view leaves the instructor notes out; `--instructor` keeps them. No CDN, no
script: the pages open from the file system.
"""

from __future__ import annotations

import re
from datetime import timedelta
from html import escape
from html.parser import HTMLParser
from pathlib import Path

from markdown_it import MarkdownIt
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import BashLexer, get_lexer_by_name
from pygments.util import ClassNotFound

from workshop import git
from workshop.build import solution_ref
from workshop.manifest import Manifest, Step, load_manifest
from workshop.textparts import split_text
from workshop.tracks import Track, load_tracks, schedule

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 52rem; margin: 2rem auto;
       padding: 0 1rem; line-height: 1.5; color: #222; }
nav { display: flex; justify-content: space-between; margin: 1rem 0; }
.objectives, .keypoints { background: #eef4fb; border-left: 4px solid #4a7bb7;
       padding: .5rem 1rem; }
.notes { background: #fff6e0; border-left: 4px solid #c99a2e; padding: .5rem 1rem; }
details { margin: .5rem 0; } summary { cursor: pointer; font-weight: 600; }
pre.highlight { padding: .7rem; overflow-x: auto; background: #f6f8fa; }
table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: .2rem .6rem; }
"""


class BookError(RuntimeError):
    """The book cannot be made as asked; the message says why and what to do."""


def _highlight(code: str, lang: str, attrs: str) -> str:
    try:
        lexer = get_lexer_by_name(lang) if lang else BashLexer()
    except ClassNotFound:
        lexer = BashLexer()
    body = highlight(code, lexer, HtmlFormatter(nowrap=True))
    return f'<pre class="highlight"><code>{body}</code></pre>'


MARKDOWN = MarkdownIt("commonmark", {"html": True, "highlight": _highlight}).enable(
    "table"
)


def fold_hints(markdown: str) -> str:
    """Each `### Hint N` becomes a closed <details> block."""
    pieces = re.split(r"(?m)^### (Hint \d+)\s*$", markdown)
    out = [pieces[0]]
    for title, content in zip(pieces[1::2], pieces[2::2], strict=True):
        hint, sep, rest = content.partition("\n## ")
        out.append(
            f"<details><summary>{title}</summary>\n\n{hint.strip()}\n\n</details>\n\n"
        )
        if sep:
            out.append("## " + rest)
    return "".join(out)


def solution_diff(root: Path, step: Step) -> str | None:
    if git.rev(solution_ref(step.number), root) is None:
        return None
    return git.out(
        "diff", step.tag, solution_ref(step.number), "--", cwd=root, check=True
    )


def step_page(root: Path, manifest: Manifest, step: Step, instructor: bool) -> str:
    parts = split_text((root / step.text_path).read_text(encoding="utf-8"))
    html = [_nav(manifest, step)]
    if parts.objectives:
        html.append(
            f'<p class="objectives"><b>Objectives:</b> {MARKDOWN.renderInline(parts.objectives)}</p>'
        )
    html.append(MARKDOWN.render(fold_hints(parts.body)))
    if parts.key_points:
        html.append(
            f'<p class="keypoints"><b>Key points:</b> {MARKDOWN.renderInline(parts.key_points)}</p>'
        )
    diff = solution_diff(root, step)
    if diff is not None:
        html.append("<h2>The reference solution</h2>")
        html.append(
            f"<details><summary>git diff {step.tag} {solution_ref(step.number)}</summary>"
        )
        html.append(_highlight(diff, "diff", "") if diff else "<p>(no change)</p>")
        html.append("</details>")
    if instructor and parts.notes:
        html.append('<section class="notes"><h2>Instructor notes</h2>')
        html.append(MARKDOWN.render(parts.notes) + "</section>")
    html.append(_nav(manifest, step))
    return _page(f"Step {step.number:02d}: {step.title}", "".join(html))


def index_page(
    manifest: Manifest, track_list: tuple[Track, ...], instructor: bool
) -> str:
    rows = "".join(
        f'<tr><td>{s.number:02d}</td><td><a href="{_file(s)}">{escape(s.title)}</a></td>'
        f"<td>{escape(s.part)}</td><td>{s.teach}</td><td>{s.exercise}</td></tr>"
        for s in manifest.steps
    )
    total = sum(s.teach + s.exercise for s in manifest.steps)
    view = "instructor view" if instructor else "learner view"
    body = (
        f"<h1>{escape(manifest.title)}</h1><p>The book ({view}): {len(manifest.steps)}"
        f" steps, {total // 60} h {total % 60:02d} min of teaching and exercises.</p>"
        "<table><thead><tr><th>step</th><th>drill</th><th>part</th>"
        f"<th>teach (min)</th><th>exercise (min)</th></tr></thead><tbody>{rows}"
        "</tbody></table>"
    )
    return _page(manifest.title, body + "".join(track_plans(track_list, manifest)))


def track_plans(track_list: tuple[Track, ...], manifest: Manifest) -> list[str]:
    """Each track's clock plan from 09:00, its steps linked."""
    html = []
    for track in track_list:
        rows = []
        for slot in schedule([manifest.step(n) for n in track.steps], "09:00"):
            end = slot.start + timedelta(minutes=slot.minutes)
            what = (
                escape(slot.label)
                if slot.step is None
                else f'<a href="{_file(slot.step)}">step {slot.step.number:02d}:'
                f" {escape(slot.step.title)}</a>"
            )
            rows.append(
                f"<tr><td>day {slot.day}</td><td>{slot.start:%H:%M}-{end:%H:%M}</td>"
                f"<td>{what}</td></tr>"
            )
        html.append(
            f'<h2 id="track-{track.name}">Track {escape(track.name)}:'
            f" {escape(track.title)}</h2><table><tbody>{''.join(rows)}</tbody></table>"
        )
    return html


def _file(step: Step) -> str:
    return f"step-{step.number:02d}.html"


def _nav(manifest: Manifest, step: Step) -> str:
    numbers = manifest.numbers
    at = numbers.index(step.number)
    before = manifest.steps[at - 1] if at > 0 else None
    after = manifest.steps[at + 1] if at + 1 < len(numbers) else None
    left = (
        f'<a href="{_file(before)}">&larr; step {before.number:02d}</a>'
        if before
        else "<span></span>"
    )
    right = (
        f'<a href="{_file(after)}">step {after.number:02d} &rarr;</a>'
        if after
        else "<span></span>"
    )
    return f'<nav>{left}<a href="index.html">all steps</a>{right}</nav>'


def _page(title: str, body: str) -> str:
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<link rel="icon" href="data:,">'
        f'<title>{escape(title)}</title><link rel="stylesheet" href="style.css">'
        f"</head><body>{body}</body></html>\n"
    )


def write_book(root: Path, out: Path, instructor: bool = False) -> list[Path]:
    """Write the book into ``out``; return the pages. Refuses a non-empty
    folder that is not a book, so it never overwrites someone's files."""
    manifest = load_manifest(root)
    if out.exists() and any(out.iterdir()) and not (out / "index.html").exists():
        raise BookError(f"{out} is not empty and holds no book: pick a new folder")
    out.mkdir(parents=True, exist_ok=True)
    css = STYLE + HtmlFormatter().get_style_defs(".highlight")
    (out / "style.css").write_text(css, encoding="utf-8")
    pages = [out / "index.html"]
    track_list = load_tracks(root, manifest.numbers).tracks
    pages[0].write_text(index_page(manifest, track_list, instructor), encoding="utf-8")
    for step in manifest.steps:
        page = out / _file(step)
        page.write_text(step_page(root, manifest, step, instructor), encoding="utf-8")
        pages.append(page)
    broken = broken_links(out)
    if broken:
        raise BookError("broken links in the book: " + ", ".join(broken))
    return pages


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.targets.append(value)


def broken_links(out: Path) -> list[str]:
    """Every relative href/src in the book's pages that names no file."""
    broken = []
    for page in sorted(out.glob("*.html")):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for target in parser.targets:
            if re.match(r"^[a-z]+:|^#", target):
                continue  # an outside link, a data: URL or an anchor
            if not (out / target.split("#")[0]).exists():
                broken.append(f"{page.name} -> {target}")
    return broken

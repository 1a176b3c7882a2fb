"""Score the importer on the full-page corpus in samples/pages.

samples/pages/expected.json gives, for each page, the expected title (null:
none can be found, so the title must be flagged for the editor) and the
article's own text in order ("body"), the page's boilerplate that must not
be imported ("absent"), or, for a page that lists articles, the words of the
refusal ("refused"). Run it to print the figures:

    .venv/bin/python -m articles.tests.importing.page_corpus
"""

import json
from dataclasses import dataclass
from pathlib import Path

PAGES = Path(__file__).parent / "samples" / "pages"
# A title flagged for the editor is never one of these.
NAVIGATION_TITLES = {"contents", "see also", "navigation", "menu", "related", "share"}


@dataclass
class Score:
    name: str
    title: bool
    body: bool
    detail: str


def expectations() -> dict[str, dict]:
    return json.loads((PAGES / "expected.json").read_text(encoding="utf-8"))


def article_text(data: dict) -> list[str]:
    """The article's texts in reading order: headings, paragraphs, items, cells."""
    texts = []
    for section in data["sections"]:
        if section["heading"]:
            texts.append(section["heading"])
        for block in section["blocks"]:
            if block["type"] == "paragraph":
                texts.append(block["text"])
            elif block["type"] == "list":
                texts.extend(block["items"])
            else:
                texts.extend(block["columns"])
                texts.extend(cell for row in block["rows"] for cell in row)
    return texts


def score(name: str, expected: dict) -> Score:
    from articles.importing import ImportRefused, parse

    try:
        article = parse((PAGES / name).read_bytes(), name=name)
    except ImportRefused as refusal:
        right = "refused" in expected and expected["refused"] in str(refusal)
        return Score(name, right, right, f"refused: {refusal}")
    if "refused" in expected:
        return Score(name, False, False, f"imported as “{article.title}”")
    codes = {note.code for note in article.notes}
    if expected["title"] is None:
        title_right = bool(codes & {"title-missing", "title-derived"}) and (
            article.title.casefold() not in NAVIGATION_TITLES
        )
    else:
        title_right = article.title == expected["title"]
    text = "\n".join(article_text(article.to_json()))
    position, missing = 0, []
    for part in expected["body"]:
        found = text.find(part, position)
        if found < 0:
            missing.append(part)
        else:
            position = found + len(part)
    present = [part for part in expected.get("absent", []) if part in text]
    detail = f"title “{article.title}”"
    if missing:
        detail += f"; missing {missing}"
    if present:
        detail += f"; boilerplate kept {present}"
    return Score(name, title_right, not missing and not present, detail)


def scores() -> list[Score]:
    return [score(name, expected) for name, expected in expectations().items()]


def main() -> None:
    results = scores()
    for result in results:
        marks = f"title {'ok' if result.title else 'WRONG'}, "
        marks += f"body {'ok' if result.body else 'WRONG'}"
        print(f"{result.name:34} {marks:26} {result.detail}")
    total = len(results)
    print(
        f"right title: {sum(r.title for r in results)}/{total}, "
        f"right body: {sum(r.body for r in results)}/{total}"
    )


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ.setdefault("SECRET_KEY", "page-corpus-only")
    django.setup()
    main()

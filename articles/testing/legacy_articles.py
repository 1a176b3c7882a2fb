"""Legacy articles for benchmarks and tests: 5 sections, 2 tables of 20 x 6 each.

The markdown ones are broken as legacy text is (no blank lines, ragged rows,
stray pipes); the HTML ones have a whole web page around the article.
"""

import random

WORDS = (
    "security cooperation alliance member states regional stability defense "
    "strategy talks delegation summit framework dialogue transparency treaty "
    "organization exercises intelligence sharing border control response forces"
).split()


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(10, 22))]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def _paragraph(rng: random.Random, *, markup: str) -> str:
    text = " ".join(_sentence(rng) for _ in range(rng.randint(3, 5)))
    if rng.random() < 0.3:
        word = rng.choice(WORDS)
        bold = f"**{word}**" if markup == "markdown" else f"<b>{word}</b>"
        text = text.replace(f" {word} ", f" {bold} ", 1)
    return text


def _heading(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS).capitalize() for _ in range(rng.randint(3, 7)))


def _cells(rng: random.Random, r: int) -> list[str]:
    return [f"{rng.choice(WORDS).capitalize()} {r}"] + [
        f"{rng.randint(1, 9999):,}" if c % 2 else rng.choice(WORDS) for c in range(5)
    ]


def legacy_markdown(seed: int) -> str:
    """A legacy plain-text article: one line per block, broken pipe tables."""
    rng = random.Random(seed)
    lines = [_paragraph(rng, markup="markdown")]
    for s in range(5):
        lines.append(_heading(rng))
        for _ in range(rng.randint(2, 3)):
            lines.append(_paragraph(rng, markup="markdown"))
        if s % 2 == 0:
            lines.append("Key points include:")
            lines.extend(f"- {_sentence(rng)}" for _ in range(3))
        if s < 2:
            labels = [_heading(rng) for _ in range(6)]
            lines.append("| " + " | ".join(labels) + " | |||||")
            lines.append("|---" * 6 + "|")
            for r in range(20):
                cells = _cells(rng, r)
                if r % 7 == 3:
                    cells = cells[:4]  # a ragged row
                lines.append("| " + " | ".join(cells) + " | ||||")
    return "\n".join(lines) + "\n"


def legacy_html(seed: int) -> str:
    """A legacy web page: navigation and footer around the article."""
    rng = random.Random(seed)
    parts = [
        "<!DOCTYPE html><html><head><title>Site</title></head><body>",
        '<header><nav><a href="/">Home</a> <a href="/world">World</a></nav></header>',
        f"<article><h1>{_heading(rng)}</h1><p>{_paragraph(rng, markup='html')}</p>",
    ]
    for s in range(5):
        parts.append(f"<h2>{_heading(rng)}</h2>")
        for _ in range(rng.randint(2, 3)):
            parts.append(f"<p>{_paragraph(rng, markup='html')}</p>")
        if s % 2 == 0:
            items = "".join(f"<li>{_sentence(rng)}</li>" for _ in range(3))
            parts.append(f"<ul>{items}</ul>")
        if s < 2:
            head = "".join(f"<th>{_heading(rng)}</th>" for _ in range(6))
            body = "".join(
                "<tr>" + "".join(f"<td>{c}</td>" for c in _cells(rng, r)) + "</tr>"
                for r in range(20)
            )
            parts.append(
                f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
            )
    parts.append(
        "</article><aside>Related</aside><footer>© Site</footer></body></html>"
    )
    return "\n".join(parts)

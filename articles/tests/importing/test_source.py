"""Reading the upload: encodings, and refusals an editor can act on."""

import pytest

from articles.importing import MAX_BYTES, ImportRefused, parse

from .helpers import codes


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        (b"", "empty"),
        ("", "empty"),
        (b"   \n\t\r\n  ", "blank space"),
        ("\n\n   \n", "blank space"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
        (b"%PDF-1.7\n%\xe2\xe3", "PDF document"),
        (b"PK\x03\x04\x14\x00", "ZIP archive"),
        (b"text\x00with\x00nul bytes", "NUL bytes"),
        ("text\x00with a nul", "NUL characters"),
        (bytes(range(128, 160)) * 20, "could not be read as text"),
        (
            b"\xff\xfe" + "bad utf-16 \ud800".encode("utf-16-le", "surrogatepass"),
            "UTF-16",
        ),
    ],
)
def test_what_cannot_be_imported_is_refused_with_the_reason(source, problem):
    """Empty, blank, binary and undecodable sources are refused, saying which."""
    with pytest.raises(ImportRefused, match=problem):
        parse(source)


def test_too_large_is_refused_naming_the_limit():
    """Over 2 MB is refused, and the message says the limit."""
    assert MAX_BYTES == 2 * 1024 * 1024
    with pytest.raises(ImportRefused, match=r"up to 2\.0 MB"):
        parse(b"a" * (MAX_BYTES + 1))
    with pytest.raises(ImportRefused, match=r"2\.0 MB"):
        parse("é" * (MAX_BYTES // 2 + 1))


def test_a_page_without_article_text_is_refused():
    """A page of nothing but navigation holds no article."""
    with pytest.raises(ImportRefused, match="No article text"):
        parse("<html><body><nav>Home | World</nav><footer>©</footer></body></html>")


def test_utf8_with_a_bom_is_read_without_a_note():
    article = parse("\ufeffCafé crème.".encode())
    assert article.sections[0].blocks[0].text == "Café crème."
    assert codes(article) == ["title-derived"]


def test_windows_1252_is_read_and_noted():
    """Legacy files in Windows-1252 (curly quotes, accents) are read, with a note."""
    article = parse("“Café” – naïve.".encode("cp1252"))
    assert article.sections[0].blocks[0].text == "“Café” – naïve."
    assert "encoding-guessed" in codes(article)


def test_a_declared_charset_is_used_for_non_utf8_html():
    """A page that says it is windows-1251 is read as such."""
    source = '<meta charset="windows-1251"><p>Москва</p>'.encode("cp1251")
    article = parse(source, name="page.html")
    assert article.sections[0].blocks[0].text == "Москва"
    assert "windows-1251" in article.notes[0].message


def test_utf16_with_a_bom_is_read():
    article = parse("\ufeffHello there.".encode("utf-16"))
    assert article.sections[0].blocks[0].text == "Hello there."


def test_a_few_control_characters_are_removed_and_noted():
    article = parse("Bell\x07 and escape\x1b here.")
    assert article.sections[0].blocks[0].text == "Bell and escape here."
    assert "control-characters-removed" in codes(article)


def test_unknown_format_is_a_programming_error():
    with pytest.raises(ValueError, match="Unknown format"):
        parse("text", format="docx")

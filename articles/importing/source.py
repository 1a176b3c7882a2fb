"""Turn an upload into text, or refuse it with a reason an editor understands."""

from __future__ import annotations

import codecs
import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .document import ImportRefused
from .stream import RawNote

MAX_BYTES = 2 * 1024 * 1024
SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", gettext_lazy("a PNG image")),
    (b"GIF87a", gettext_lazy("a GIF image")),
    (b"GIF89a", gettext_lazy("a GIF image")),
    (b"\xff\xd8\xff", gettext_lazy("a JPEG image")),
    (b"%PDF-", gettext_lazy("a PDF document")),
    (
        b"PK\x03\x04",
        gettext_lazy("a ZIP archive (or a Word, Excel or OpenDocument file)"),
    ),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        gettext_lazy("an old Word or Excel document"),
    ),
    (b"\x1f\x8b", gettext_lazy("a gzip archive")),
    (b"{\\rtf", gettext_lazy("an RTF document")),
    (b"RIFF", gettext_lazy("a media file")),
    (b"\x7fELF", gettext_lazy("a program")),
)
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)
# A declared character set, in the first bytes of an HTML page.
_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I
)
# Control characters other than tab and newline, and non-characters: removed.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
CONTROL_SHARE = 0.01  # more control characters than this: not text
# The control characters of `_CONTROLS` that are ASCII.
_ASCII_CONTROLS = bytes([*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F])


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def decode(source: str | bytes) -> tuple[str, list[RawNote]]:
    """Return the source as text with normalised line ends, and notes on reading it.

    Bytes are read as UTF-8 (a BOM is fine), else UTF-16/32 with a BOM, else
    the character set an HTML page declares, else Windows-1252, else
    Latin-1, with a note. Raises ImportRefused for what cannot be imported.
    """
    notes: list[RawNote] = []
    if isinstance(source, bytes | bytearray | memoryview):
        text = _decode_bytes(bytes(source), notes)
    elif isinstance(source, str):
        _refuse_large_text(source)
        text = source
    else:
        raise TypeError(f"Cannot import a {type(source).__name__}; give text or bytes.")
    _refuse_empty_or_binary_text(text)
    text, removed = _remove_invisible(_normalise(text))
    if removed:
        notes.append(_invisible_removed_note(removed))
    if not text.strip():
        raise ImportRefused(
            _("The file holds only blank space: there is nothing to import.")
        )
    return text, notes


def _refuse_large_text(text: str) -> None:
    if len(text) * 4 <= MAX_BYTES:
        return  # no character takes more than 4 bytes in UTF-8
    if len(text) > MAX_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise ImportRefused(
            _(
                "The text is larger than %(limit)s, the most the importer takes. "
                "Split the article, or remove embedded images."
            )
            % {"limit": _megabytes(MAX_BYTES)}
        )


def _refuse_empty_or_binary_text(text: str) -> None:
    if not text:
        raise ImportRefused(_("The file is empty: there is nothing to import."))
    if "\x00" in text:
        raise ImportRefused(
            _(
                "The file holds NUL characters, so it is a binary file (an image, "
                "a word-processor document or an archive?), not HTML or text. Save "
                "the article as HTML or plain text and import that."
            )
        )


def _normalise(text: str) -> str:
    """Drop a leading BOM, end every line with a newline, replace lone surrogates."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if text.isascii():
        return text  # (no surrogates: told without encoding it)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text


def _remove_invisible(text: str) -> tuple[str, int]:
    """Remove byte-order marks and control characters; return how many went.

    Raises ImportRefused when control characters are so many that the text is
    most likely a binary file or wrongly decoded.
    """
    # Byte-order marks left inside, where files were joined: invisible, dropped.
    marks = text.count("\ufeff")
    if marks:
        text = text.replace("\ufeff", "")
    if _without_controls(text):
        cleaned, removed = text, 0
    else:
        cleaned, removed = _CONTROLS.subn("", text)
    if removed > max(8, len(text) * CONTROL_SHARE):
        raise ImportRefused(
            _(
                "The file could not be read as text: it holds many control "
                "characters, as binary files and badly decoded text do. Save the "
                "article as HTML or plain text in UTF-8 and import that."
            )
        )
    return cleaned, removed + marks


def _without_controls(text: str) -> bool:
    """Whether the text holds none of `_CONTROLS`: told from its UTF-8 bytes in
    C, much quicker than the pattern finds that it has none."""
    data = text.encode("utf-8", "surrogatepass")
    if len(data.translate(None, _ASCII_CONTROLS)) != len(data):
        return False
    if "\ufffe" in text or "\uffff" in text:  # (quicker in the text than its bytes)
        return False
    lead = data.find(b"\xc2")  # U+0080 to U+00BF: C1 controls up to U+009F
    while lead >= 0:
        if data[lead + 1] <= 0x9F:
            return False
        lead = data.find(b"\xc2", lead + 2)
    return True


def _invisible_removed_note(count: int) -> RawNote:
    return RawNote(
        "control-characters-removed",
        "",
        f"{count} invisible control character"
        f"{'s were' if count > 1 else ' was'} removed.",
    )


def _decode_bytes(data: bytes, notes: list[RawNote]) -> str:
    """Return the bytes as text, noting an encoding other than UTF-8 (see `decode`)."""
    _refuse_unreadable_bytes(data)
    text = _decode_with_bom(data, notes)
    if text is not None:
        return text
    if b"\x00" in data:
        raise ImportRefused(
            _(
                "The file holds NUL bytes, so it is a binary file (an image, a "
                "word-processor document or an archive?), not HTML or text. Save "
                "the article as HTML or plain text and import that."
            )
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    text = _decode_as_declared(data, notes)
    if text is not None:
        return text
    return _decode_as_western(data, notes)


def _refuse_unreadable_bytes(data: bytes) -> None:
    """Refuse a file too large, empty, or of a known binary kind."""
    if len(data) > MAX_BYTES:
        raise ImportRefused(
            _(
                "The file is %(size)s; the importer takes files of up to "
                "%(limit)s. Split the article, or remove embedded images."
            )
            % {"size": _megabytes(len(data)), "limit": _megabytes(MAX_BYTES)}
        )
    if not data:
        raise ImportRefused(_("The file is empty: there is nothing to import."))
    for signature, kind in SIGNATURES:
        if data.startswith(signature):
            raise ImportRefused(
                _(
                    "The file is %(kind)s, not HTML or text. Save the article as "
                    "HTML or plain text and import that."
                )
                % {"kind": kind}
            )


def _decode_with_bom(data: bytes, notes: list[RawNote]) -> str | None:
    """The text of a file opening with a UTF-16 or UTF-32 BOM; else None."""
    for bom, encoding, label in BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as error:
                raise ImportRefused(
                    _(
                        "The file starts as %(encoding)s text but cannot be read "
                        "as such. Save it again as UTF-8 and import that."
                    )
                    % {"encoding": label}
                ) from error
            notes.append(
                RawNote("encoding-converted", "", f"The file was read as {label}.")
            )
            return text
    return None


def _decode_as_declared(data: bytes, notes: list[RawNote]) -> str | None:
    """The text in the character set an HTML page declares; None if it can't be."""
    declared = _CHARSET.search(data[:4096])
    if not declared:
        return None
    name = declared.group(1).decode("ascii", "replace")
    try:
        text = data.decode(codecs.lookup(name).name)
    except (LookupError, UnicodeDecodeError):
        return None
    notes.append(
        RawNote(
            "encoding-guessed",
            "",
            f"The file is not UTF-8; it was read as {name}, as the page "
            "declares. Check accented letters and quotation marks.",
        )
    )
    return text


def _decode_as_western(data: bytes, notes: list[RawNote]) -> str:
    """The text as Windows-1252, else as Latin-1 (which reads any bytes)."""
    for encoding, label in (("cp1252", "Windows-1252"), ("latin-1", "Latin-1")):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        notes.append(
            RawNote(
                "encoding-guessed",
                "",
                f"The file is not UTF-8; it was read as {label}. Check accented "
                "letters and quotation marks.",
            )
        )
        return text
    raise ImportRefused(_("The file could not be read as text."))  # pragma: no cover

"""Internationalisation: named date formats, words from the server, late settings."""

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.template.base import Lexer, TokenType
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from articles import services, workflow
from articles.admin import table_import
from articles.admin.editor_page import editor_config, editor_strings
from articles.admin.forms import ReviewForm
from articles.admin.importer import ImportForm
from articles.diff import diff
from articles.testing.bodies import paragraph
from articles.testing.factories import UserFactory, make_article, small_body
from articles.workflow import policy
from newsroom.formats import file_size, grouped, megabytes

ROOT = Path(__file__).resolve().parents[2]


def test_english_dates_use_the_newsroom_s_formats_and_other_languages_their_own():
    """Code and templates name a format; each language decides what it looks like."""
    moment = datetime(2024, 3, 5, 14, 30)
    with translation.override("en-gb"):
        assert date_format(moment.date(), "DATE_FORMAT") == "5 March 2024"
        assert date_format(moment, "DATETIME_FORMAT") == "5 March 2024, 14:30"
        # One format everywhere: the admin's lists write it as messages do.
        assert date_format(moment, "SHORT_DATETIME_FORMAT") == "5 March 2024, 14:30"
    with translation.override("fr"):
        assert date_format(date(2024, 3, 5), "DATE_FORMAT") == "5 mars 2024"


@pytest.mark.django_db
def test_a_scheduled_article_s_page_names_its_revision_and_time(client, settings):
    """The state line shows the publication time in DATETIME_FORMAT."""
    settings.TIME_ZONE = "UTC"
    article = make_article()
    workflow.submit(article, by=UserFactory(username="writer", is_superuser=True))
    at = datetime(2100, 3, 5, 14, 30, tzinfo=UTC)
    chief = UserFactory(username="chief", is_staff=True, is_superuser=True)
    workflow.approve(article, by=chief, at=at)
    client.force_login(chief)
    page = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert "Readers will see revision 1 from 5 March 2100, 14:30." in page.text


@pytest.mark.django_db
@time_machine.travel(datetime(2024, 3, 5, 12, 0, tzinfo=UTC))
def test_the_drafted_correction_line_leaves_the_date_to_the_page(client, settings):
    """The review screen drafts only the changes: the page dates the line itself."""
    settings.TIME_ZONE = "UTC"
    writer = UserFactory(username="writer", is_staff=True, is_superuser=True)
    chief = UserFactory(username="chief", is_staff=True, is_superuser=True)
    article = make_article(publish=True)
    body = small_body()
    body[1]["blocks"][1]["rows"][0][1] = "3"  # a fact readers saw changes
    services.replace_body(article, body)
    workflow.revise(article, by=writer)
    workflow.submit(article, by=writer)
    client.force_login(chief)
    page = client.get(reverse("admin:articles_article_review", args=[article.pk]))
    correction = page.context["form"].initial["correction"]
    assert correction == "In “Figures”, a / Value: 1 → 3."


# --- templates: every word people read is in a translation tag

TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
# Names, not words: feed formats.
NOT_WORDS = {"RSS", "Atom", "CSV", "XLSX", "JSON"}  # names of formats
SHOWN_ATTRIBUTES = re.compile(r'\b(?:title|alt|aria-label|placeholder|value)="([^"]*)"')
TRANSLATING_TAGS = {"translate", "trans", "blocktranslate", "blocktrans"}


def sentences(code: str) -> list[str]:
    """The string literals of a tag or variable that hold words, but not _("...")."""
    return [
        text
        for text in re.findall(r'(?<!_\()"([^"]*)"', code)
        if re.search(r"[A-Za-z]+ [A-Za-z]+", text)
    ]


def untranslated(source: str) -> list[str]:
    """The words of a template shown outside translation tags, and sentences in tags.

    Text inside {% blocktranslate %}, comments and the body's class names is
    left out; tags and variables count as a space.
    """
    shown, literals = [], []
    skip_until = None
    for token in Lexer(source).tokenize():
        words = token.split_contents() if token.token_type == TokenType.BLOCK else []
        if skip_until:
            if words and words[0] == skip_until:
                skip_until = None
            continue
        if words[:1] in (["blocktranslate"], ["blocktrans"]):
            skip_until = "end" + words[0]
            # Its variables may hold a sentence: with who=x|default:"the command line"
            literals += sentences(" ".join(words[1:]).split(" context ")[0])
        elif words[:1] == ["comment"]:
            skip_until = "endcomment"
        elif words[:2] in (["block", "bodyclass"], ["block", "coltype"]):
            skip_until = "endblock"  # CSS classes
        elif token.token_type == TokenType.TEXT:
            shown.append(token.contents)
            continue
        elif token.token_type in (TokenType.BLOCK, TokenType.VAR):
            if not (words[:1] and words[0] in TRANSLATING_TAGS):
                literals += sentences(token.contents)
        shown.append(" ")
    text = re.sub(r"&\w+;", " ", "".join(shown))
    parts = SHOWN_ATTRIBUTES.findall(text) + re.sub(r"<[^>]*>", " ", text).split("\n")
    found = [
        [word for word in re.findall(r"[A-Za-z]{2,}", part) if word not in NOT_WORDS]
        for part in parts
    ]
    return [" ".join(words) for words in found if words] + literals


def test_the_check_for_untranslated_words_finds_them():
    source = (
        '{% load i18n %}<p title="Read me">Hello {{ name }}</p>'
        "{% translate 'Fine' %}{% blocktranslate %}Also fine{% endblocktranslate %}"
        '{{ who|default:"the command line" }}{{ who|default:_("a translated one") }}'
        '{% blocktranslate with who=by|default:"nobody at all" %}{{ who }}'
        "{% endblocktranslate %}<a>RSS</a>"
    )
    assert untranslated(source) == [
        "Read me",
        "Hello",
        "the command line",
        "nobody at all",
    ]


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: path.name)
def test_templates_show_words_only_through_translation_tags(path):
    assert untranslated(path.read_text()) == []


def test_a_moderator_is_told_which_of_their_revisions_stand_in_the_way():
    """The four-eyes refusal lists revisions as a translated list, with its plural."""
    assert policy._revisions_named([4]) == "revision 4"
    assert policy._revisions_named([7, 2, 5]) == "revisions 2, 5 and 7"


# --- settings are read when used, not at import


@pytest.mark.django_db
def test_the_import_form_names_the_import_desk_of_the_settings_now(settings):
    """IMPORT_DESK is read when the form is shown: the menu's first choice says it."""
    settings.NEWSROOM_IMPORT_DESK = "wires"
    assert list(ImportForm().fields["desk"].choices)[0] == (
        "",
        "The import desk (wires)",
    )
    settings.NEWSROOM_IMPORT_DESK = "agency-copy"
    assert "The import desk (agency-copy)" in str(ImportForm()["desk"])


def test_the_review_form_names_the_time_zone_of_the_settings_now(settings):
    """TIME_ZONE is read when the form is shown, as the time is read in it."""
    settings.TIME_ZONE = "Asia/Almaty"
    assert str(ReviewForm().fields["publish_at"].help_text) == (
        "Your newsroom's time zone (Asia/Almaty)."
    )
    settings.TIME_ZONE = "Europe/London"
    assert "(Europe/London)" in str(ReviewForm()["publish_at"].help_text)


def test_the_import_form_s_help_says_its_limits_in_the_language_s_numbers():
    help_text = str(ImportForm().fields["files"].help_text)
    assert "up to 10 files and 512 KB at a time" in help_text
    with translation.override("de"):  # Django's German: a decimal comma
        assert megabytes(int(1.5 * 1024 * 1024)) == "1,5 MB"
    assert megabytes(2 * 1024 * 1024) == "2 MB"
    assert file_size(600 * 1024) == "600 KB"
    assert grouped(1000) == "1,000"


# --- messages written in Python


@pytest.mark.django_db
def test_the_scheduling_email_gives_the_time_in_datetime_format(
    settings, editor, moderator, django_capture_on_commit_callbacks
):
    """Not strftime's "%Y-%m-%d %H:%M %Z": the language's format, then the zone."""
    settings.TIME_ZONE = "Asia/Almaty"
    article = make_article(author=editor)
    workflow.submit(article, by=editor)
    at = datetime(2100, 3, 5, 9, 30, tzinfo=UTC)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(article, by=moderator, at=at)
    (email,) = [m for m in mail.outbox if "approved and scheduled" in m.subject]
    assert "moderator approved and scheduled “" in email.body
    assert "It will be published on 5 March 2100, 14:30 (+05)." in email.body


@pytest.mark.django_db
def test_a_fact_change_is_described_in_whole_translated_sentences():
    old = make_article().revisions.get().snapshot
    new = {**old, "sections": [dict(section) for section in old["sections"]]}
    table = dict(new["sections"][1]["blocks"][1])
    table["rows"] = [["a", "3"], ["b", "2"]]
    new["sections"][1]["blocks"] = [new["sections"][1]["blocks"][0], table]
    new["sections"][0] = {**new["sections"][0], "blocks": [paragraph("A lede.")]}
    assert diff(old, new).fact_changes() == [
        "The introduction: a paragraph was reworded.",
        "In “Figures”, a / Value: 1 → 3.",
    ]


# --- the scripts' words come from the server

JS = ROOT / "static" / "js"


def asked_keys(script: str) -> set[str]:
    """The keys of the server's strings a script asks for.

    say(KEY) and sayCount(KEY) (either of two: say(x ? "A" : "B")), and the
    buttons' keys, whose titles add _HELP.
    """
    calls = re.findall(r"\bsay(?:Count)?\(([^,)]*)", script)
    keys = {key for call in calls for key in re.findall(r'"([A-Z][A-Z_]*)"', call)}
    buttons = re.findall(r'\["[a-z-]+", "([A-Z_]+)"\]|key: "([A-Z_]+)"', script)
    for key in {key for pair in buttons for key in pair if key}:
        keys |= {key, f"{key}_HELP"}
    return keys


def editor_page_config() -> dict:
    """What a new article's page hands the editor (json_script nr-editor-config)."""
    request = RequestFactory().get("/admin/articles/article/add/")
    request.user = AnonymousUser()
    return editor_config(request, None, [], [])


def test_the_grid_gets_every_word_it_shows_from_the_server():
    """The editor hands the grid exactly the strings the grid's modules ask for."""
    config = editor_page_config()
    strings = config["gridStrings"]
    modules = "".join(path.read_text() for path in sorted((JS / "grid").glob("*.js")))
    assert set(strings) == asked_keys(modules)
    assert strings["ROW_INSERTED"] == "Row %(number)s inserted."
    assert strings["ROW_COUNT"] == ["%(count)s row", "%(count)s rows"]
    # The limit is the server's, said in its words.
    assert config["maxImportBytes"] == table_import.MAX_BYTES
    assert strings["FILE_TOO_LARGE"] == (
        "This file is over 2 MB, the limit for importing a table."
    )


def test_the_grid_s_words_are_translated_when_it_is_shown():
    """Not at import: in the language active then (Django's French has "Error:")."""
    with translation.override("fr"):
        config = editor_page_config()
    assert config["gridStrings"]["ERROR"] == "Erreur\N{NO-BREAK SPACE}:"


EDITOR = JS / "editor"
# say("PREFIX_" + name.toUpperCase()): the constant that lists the names.
NAMES_BY_PREFIX = {"KIND_": "BLOCK_KINDS", "TABLE_": "SETTINGS"}


def editor_asked_keys(modules: str) -> set[str]:
    """The keys of editor_strings() that the editor's modules ask for.

    say("KEY") (config.say, this.say) and config.strings.KEY; the toolbar's
    buttons (["bold", "BOLD", ...]), whose titles add _HELP (say(key +
    "_HELP")); and say("PREFIX_" + name.toUpperCase()) for every name in the
    constant that lists them (NAMES_BY_PREFIX): ["a", "b"], or the first of
    each pair in [["a", ...], ["b", ...]].
    """
    keys = set(re.findall(r'\bsay\("([A-Z][A-Z_]*)"(?!\s*\+)', modules))
    keys |= set(re.findall(r"\bstrings\.([A-Z][A-Z_]*)\b", modules))
    if 'say(key + "_HELP")' in modules:
        buttons = re.findall(r'\[\s*"[a-z_]+",\s*"([A-Z][A-Z_]*)",', modules)
        assert buttons, "the toolbar's buttons were not found"
        keys |= {key for button in buttons for key in (button, f"{button}_HELP")}
    prefixed = re.findall(r'\bsay\("([A-Z_]+)" \+ \w+\.toUpperCase\(\)\)', modules)
    for prefix in prefixed:
        constant = NAMES_BY_PREFIX[prefix]  # a new one is named here first
        (listed,) = re.findall(rf"\bconst {constant} = \[(.*?)\];", modules, re.S)
        pairs = re.findall(r'\[\s*"([a-z_]+)"', listed)
        names = pairs or re.findall(r'"([a-z_]+)"', listed)
        keys |= {prefix + name.upper() for name in names}
    return keys


def test_the_check_for_the_editor_s_keys_finds_them():
    script = """
        const BLOCK_KINDS = ["paragraph", "bullet_list"];
        const SETTINGS = [
          ["caption", "text"],
          ["row_headers", "checkbox"],
        ];
        const buttons = [
          ["bold", "BOLD", toggleMark(schema.marks.strong), null],
          [
            "bullet_list",
            "BULLET_LIST",
            toggleList(schema.nodes.bullet_list),
          ],
        ];
        button.title = say(key + "_HELP");
        say("KIND_" + kind.toUpperCase()); say("TABLE_" + key.toUpperCase());
        config.say("PASTING"); this.say("AUTOSAVED", { time });
        plural(config.strings.SUMMARY, errors.length);
    """
    assert editor_asked_keys(script) == {
        "BOLD",
        "BOLD_HELP",
        "BULLET_LIST",
        "BULLET_LIST_HELP",
        "KIND_PARAGRAPH",
        "KIND_BULLET_LIST",
        "TABLE_CAPTION",
        "TABLE_ROW_HEADERS",
        "PASTING",
        "AUTOSAVED",
        "SUMMARY",
    }


def test_the_editor_gets_every_word_it_shows_from_the_server():
    """editor_strings() holds exactly the keys the editor's modules ask for.

    A key it lacked would be shown as it is (main.js says the key itself).
    """
    strings = editor_page_config()["strings"]
    modules = "".join(path.read_text() for path in sorted(EDITOR.glob("*.js")))
    assert set(strings) == editor_asked_keys(modules)
    assert strings == editor_strings()
    assert strings["BOLD_HELP"] == "Bold (Ctrl+B)"
    assert strings["SUMMARY"] == [
        "This article was not saved: %(count)s problem.",
        "This article was not saved: %(count)s problems.",
    ]


# Values of KeyboardEvent.key: names, not words.
KEY_NAMES = {"Enter", "Tab", "Delete", "Escape", "Backspace", "Home", "End"}


def string_literals(script: str) -> list[str]:
    """The string literals of a script, outside its comments and regular expressions."""
    literals, i, previous = [], 0, ""
    while i < len(script):
        if script.startswith("//", i):
            end = script.find("\n", i)
            i = len(script) if end < 0 else end
            continue
        if script.startswith("/*", i):
            i = script.index("*/", i) + 2
            continue
        char = script[i]
        if char in "\"'`" or (char == "/" and previous in "(,=:[!&|?{};"):
            # A string, or a regular expression (a / where no value ends).
            end, j, in_class = ("/" if char == "/" else char), i + 1, False
            while script[j] != end or in_class:
                if script[j] == "\\":
                    j += 1
                elif end == "/" and script[j] in "[]":
                    in_class = script[j] == "["
                j += 1
            if char != "/":
                literals.append(script[i + 1 : j])
            i, previous = j + 1, char
            continue
        if not char.isspace():
            previous = char
        i += 1
    return literals


def is_english(text: str) -> bool:
    """Whether a literal reads as words for people rather than a name for code."""
    text = re.sub(r"\$\{[^}]*\}", "x", text)  # a template's ${value}
    if re.fullmatch(r"[a-z][a-z0-9-]*(,? [a-z][a-z0-9-]*)*", text):
        # a name, class names ("nr-grid-button nr-grid-replace") or a selector
        return False
    if re.fullmatch(r"((Mod|Shift|Alt|Ctrl)-)+\S+", text):
        return False  # a key binding: "Mod-[", "Shift-Enter"
    if re.fullmatch(r"[a-z][a-z0-9+.-]*:", text):
        return False  # an address's scheme: "mailto:"
    return bool(
        re.search(r"[A-Za-z]{2,}\s+[A-Za-z(“]", text)  # "Add a row", "Bold (Ctrl+B)"
        or re.fullmatch(r"[A-Z][a-z]+\W*", text)
        and text.strip() not in KEY_NAMES
        or re.search(r"^\s+[A-Za-z]|[A-Za-z]\s+$", text)  # a piece: " and "
        or re.search(r"[a-z][.?!…:]$", text)  # a sentence's end: " inserted."
        or re.fullmatch(r"\([a-z ]+\)", text)  # "(none)"
    )


def test_the_check_for_english_in_scripts_finds_it():
    script = """
        // A comment with "Words in quotes".
        var pattern = /"not a string"/g, keys = ["row-above", "Enter"];
        announce("Row " + (at + 1) + " inserted.");
        var tools = ["Add a row", "Bold (Ctrl+B)"];
        node.className = "nr-grid-cell nr-align-left"; title = 'Cancel';
        menu.text = value || "(none)"; say("ROW_INSERTED", { number: 1 });
        keys = { "Mod-[": lift, "Shift-Enter": br }; go(event.key === "Home");
        root.querySelectorAll("li ul, li ol"); href = "mailto:" + href;
        field.className = `nr-table-setting nr-table-${key}`; label = "Heading:";
        status = `Saved at ${time}`;
    """
    english = [text for text in string_literals(script) if is_english(text)]
    assert english == [
        "Row ",
        " inserted.",
        "Add a row",
        "Bold (Ctrl+B)",
        "Cancel",
        "(none)",
        "Heading:",
        "Saved at ${time}",
    ]


@pytest.mark.parametrize(
    "path", sorted(JS.rglob("*.js")), ids=lambda path: str(path.relative_to(JS))
)
def test_scripts_hold_no_words_of_their_own(path):
    """Every word a script shows comes from the server's translated strings."""
    literals = string_literals(path.read_text())
    assert literals, "the scan found no literals: it is broken"
    assert [text for text in literals if is_english(text)] == []


def test_counts_people_read_are_grouped_as_the_language_writes_them():
    html = render_to_string(
        "admin/articles/_work_counts.html",
        {"counts": {"queue": 1234, "returned": 0}, "moderator": True},
    )
    assert "Queue (1,234)" in html

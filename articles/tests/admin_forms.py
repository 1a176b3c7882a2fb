"""Form data for the article admin, as a browser would post it.

The page's form holds the article's own fields and one hidden `body`, which
the document editor fills with the whole body as JSON (the snapshot's
sections) when the form is sent. The editor starts from its configuration
(json_script `nr-editor-config`); a page read here posts `body` empty, as a
browser without JavaScript would, unless a test writes it.
"""

import json

import lxml.html

# Pages that show a body of several megabytes again (refused as too large).
PARSER = lxml.html.HTMLParser(huge_tree=True)


def new_article_data(*, desk, sections, **fields) -> dict:
    """POST data of the add form, with `sections` (snapshot format) as the body.

    A section without an anchor is posted with "" (the server makes one from
    its heading), as the editor posts a new section.
    """
    return {
        "standfirst": "",
        "byline": "",
        "source_credit": "",
        "desk": desk.pk,
        "body": json.dumps([{"anchor": "", **section} for section in sections]),
        **fields,
    }


def form_data(response, form_id="article_form") -> dict:
    """Everything a browser would submit from the page's form, untouched."""
    form = lxml.html.fromstring(response.content, parser=PARSER).get_element_by_id(
        form_id
    )
    data = {}
    for name, value in form.form_values():
        data[name] = value
    # lxml leaves out an input without a value attribute; a browser sends "".
    for field in form.inputs:
        if _sends_empty(field):
            data.setdefault(field.name, "")
    return data


def _sends_empty(field) -> bool:
    return (
        field.tag == "input"
        and bool(field.name)
        and "disabled" not in field.attrib
        and field.get("value") is None
        and not field.checkable
        and field.type not in ("submit", "image", "reset", "file")
    )


def editor_config(response) -> dict | None:
    """The document editor's configuration on the page, or None if it has none.

    A page that may not edit the body (read-only) has no editor.
    """
    doc = lxml.html.fromstring(response.content, parser=PARSER)
    scripts = doc.xpath("//script[@id='nr-editor-config']")
    if not scripts:
        return None
    (script,) = scripts
    return json.loads(script.text)


def editor_body(response) -> list:
    """The sections the page's editor opens with: what it would post unchanged."""
    config = editor_config(response)
    assert config is not None, "the page has no document editor"
    return config["sections"]


def with_body(data: dict, sections) -> dict:
    """The form's data with `sections` as the body the editor posts."""
    return {**data, "body": json.dumps(sections)}

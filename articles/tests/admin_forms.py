"""Form data for the article admin, as a browser would post it."""

import lxml.html

MANAGEMENT = {"INITIAL_FORMS": 0, "MIN_NUM_FORMS": 0, "MAX_NUM_FORMS": 1000}


def management(prefix, total):
    data = {f"{prefix}-{key}": value for key, value in MANAGEMENT.items()}
    data[f"{prefix}-TOTAL_FORMS"] = total
    return data


def new_article_data(*, desk, sections, **fields) -> dict:
    """POST data of the add form with new sections and blocks (snapshot format)."""
    data = {
        "standfirst": "",
        "byline": "",
        "source_credit": "",
        "desk": desk.pk,
        **fields,
    }
    data.update(management("sections", len(sections)))
    for i, section in enumerate(sections):
        prefix = f"sections-{i}"
        data.update(
            {
                f"{prefix}-heading": section["heading"],
                f"{prefix}-anchor": "",
                f"{prefix}-position": i,
            }
        )
        data.update(management(f"{prefix}-blocks", len(section["blocks"])))
        for j, block in enumerate(section["blocks"]):
            data.update(block_data(f"{prefix}-blocks-{j}", block, position=j))
    return data


def block_data(prefix, block, *, position) -> dict:
    data = {f"{prefix}-kind": block["type"], f"{prefix}-position": position}
    if block["type"] == "paragraph":
        data[f"{prefix}-text"] = block["html"]
    elif block["type"] == "list":
        data[f"{prefix}-items"] = "\n".join(block["items"])
        if block["ordered"]:
            data[f"{prefix}-ordered"] = "on"
    else:
        data[f"{prefix}-caption"] = block["caption"]
        data[f"{prefix}-source_note"] = block["source_note"]
        grid = f"{prefix}-grid"
        data[f"{grid}-rows"] = len(block["rows"])
        data[f"{grid}-columns"] = len(block["columns"])
        for c, column in enumerate(block["columns"]):
            data[f"{grid}-col-{c}-label"] = column["label"]
            data[f"{grid}-col-{c}-kind"] = column.get("kind", "text")
            data[f"{grid}-col-{c}-align"] = column.get("align", "auto")
        for r, row in enumerate(block["rows"]):
            for c, cell in enumerate(row):
                data[f"{grid}-cell-{r}-{c}"] = cell
    return data


def form_data(response, form_id="article_form") -> dict:
    """Everything a browser would submit from the page's form, untouched."""
    form = lxml.html.fromstring(response.content).get_element_by_id(form_id)
    data = {}
    for name, value in form.form_values():
        data[name] = value
    return data

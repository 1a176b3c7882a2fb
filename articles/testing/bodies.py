"""Short builders of body data (the snapshot's format): tests, benchmarks, demo."""

from .. import snapshot

paragraph = snapshot.paragraph


def bullets(*items, ordered=False) -> snapshot.ListData:
    return snapshot.bullet_list(items, ordered=ordered)


def table(caption, columns, rows, source_note="", **settings) -> snapshot.TableData:
    """A table block; a column is a label (a text column) or a dict of settings."""
    return snapshot.table(
        caption,
        [
            snapshot.column(column)
            if isinstance(column, str)
            else snapshot.column(**column)
            for column in columns
        ],
        rows,
        source_note=source_note,
        **settings,
    )

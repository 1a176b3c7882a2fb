"""The page types of the baseline: a home page, one index page per desk, and
the article page whose body is a StreamField."""

from django.db import models
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.typed_table_block.blocks import TypedTableBlock
from wagtail.fields import StreamField
from wagtail.models import Page

# The inline markup the Newsroom allows: bold, italic, links.
INLINE_FEATURES = ["bold", "italic", "link"]


class ListBlock(blocks.StructBlock):
    ordered = blocks.BooleanBlock(required=False)
    # Not "items": a StructValue is a dict, and templates would see dict.items.
    entries = blocks.ListBlock(blocks.RichTextBlock(features=INLINE_FEATURES))

    class Meta:
        template = "articles_wt/blocks/list.html"
        icon = "list-ul"


class ArticleBody(blocks.StreamBlock):
    heading = blocks.CharBlock(template="articles_wt/blocks/heading.html", icon="title")
    paragraph = blocks.RichTextBlock(features=INLINE_FEATURES)
    list = ListBlock()
    # Columns of text, or of numbers (a column whose every cell is a number).
    table = TypedTableBlock(
        [
            ("text", blocks.CharBlock(required=False)),
            ("numeric", blocks.DecimalBlock(required=False)),
        ]
    )


class HomePage(Page):
    # As Wagtail's project template: the site's root page.
    max_count = 1


class DeskPage(Page):
    """A section of the site (World, Business...): the nav lists these."""

    parent_page_types = ["articles_wt.HomePage"]


class ArticlePage(Page):
    parent_page_types = ["articles_wt.DeskPage"]

    standfirst = models.TextField(blank=True)
    byline = models.CharField(max_length=255, blank=True)
    source_credit = models.CharField(max_length=255, blank=True)
    body = StreamField(ArticleBody())

    content_panels = Page.content_panels + [
        FieldPanel("standfirst"),
        FieldPanel("byline"),
        FieldPanel("source_credit"),
        FieldPanel("body"),
    ]

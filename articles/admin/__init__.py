"""The editorial admin: article editor, workflow screens and queues."""

from .articles import ArticleAdmin, DeskAdmin

__all__ = ["ArticleAdmin", "DeskAdmin"]

"""The workflow forms' shared parts: the summary of a refused form's errors."""

from django import template
from django.utils.translation import ngettext

register = template.Library()


@register.inclusion_tag("admin/articles/_error_summary.html")
def error_summary(form, *forms):
    """List every error of `form` (and `forms`), each linked to its field.

    Shown at the top of the form, so that a refused form says so where the
    person is looking; an error of a hidden field has no field to link to.
    """
    errors = []
    for each in (form, *forms):
        if not each or not each.errors:
            continue
        errors += [{"message": error} for error in each.non_field_errors()]
        for field in each:
            for error in field.errors:
                errors.append(
                    {
                        "message": error,
                        "label": None if field.is_hidden else field.label,
                        "target": None if field.is_hidden else field.auto_id,
                    }
                )
    title = ngettext(
        "This could not be done: fix the problem below.",
        "This could not be done: fix the %(count)d problems below.",
        len(errors),
    ) % {"count": len(errors)}
    return {"errors": errors, "title": title}

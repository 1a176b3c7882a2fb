from django.conf import settings

from .models import Desk


def site(request):
    """The site's name and its desks, for the header of every public page."""
    return {"site_name": settings.NEWSROOM_SITE_NAME, "desks": Desk.objects.all()}

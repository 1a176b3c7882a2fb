#!/usr/bin/env python
"""For poking at the baseline by hand, inside the venv that serve.py makes:
DATABASE_URL=... ~/.cache/newsroom-bench/wagtail-venv/bin/python manage.py shell"""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wtsite.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)

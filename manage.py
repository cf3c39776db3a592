#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys
from pathlib import Path

LOCAL_SETTINGS = Path(__file__).resolve().parent / ".env"


def read_local_settings():
    """The local settings `make` writes to .env (SECRET_KEY, DEBUG), for commands run by hand.

    Variables already in the environment win. Only manage.py reads the file: a deployed app (WSGI)
    takes its settings from the environment alone.
    """
    if not LOCAL_SETTINGS.exists():
        return
    for line in LOCAL_SETTINGS.read_text(encoding="utf-8").splitlines():
        name, separator, value = line.partition("=")
        if separator and not name.strip().startswith("#"):
            os.environ.setdefault(name.strip(), value.strip())


def main():
    """Run administrative tasks."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    read_local_settings()
    try:
        from django.core.management import execute_from_command_line
    except ImportError as exc:
        raise ImportError(
            "Couldn't import Django. Are you sure it's installed and "
            "available on your PYTHONPATH environment variable? Did you "
            "forget to activate a virtual environment?"
        ) from exc
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

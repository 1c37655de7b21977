"""Jinja2 templates of the platform's courriels (a package so the wheel carries them)."""

"""Jinja2 templates of the dépôt service's courriels (a package so the wheel carries them)."""

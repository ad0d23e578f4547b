"""Frontline's app shell: settings, database, templating, security middleware and CLI."""

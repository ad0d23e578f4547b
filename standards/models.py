"""Standards tables (filled in by the standards library work)."""

"""Scorecards: per-employee figures for a period, rollups, HR exports and the read-only JSON API."""

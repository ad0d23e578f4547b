"""Branches, teams, people, roles, login and sessions."""

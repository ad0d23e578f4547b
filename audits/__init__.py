"""Audits: checklist templates from the standards, audits filled on tablets, scoring, disputes and
correction actions.
"""

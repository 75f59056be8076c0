"""Escalation cases (built in the escalation issue)."""

"""Incidents: the police's open events and the organisation's own incident reports, counted per area and month."""

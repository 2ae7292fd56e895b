"""Sandbox controls for connector tests; mounted only when comptoir runs with --sandbox."""

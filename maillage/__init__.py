"""Maillage: steer and run a département's plan for access to public services."""

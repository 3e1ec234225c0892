"""Rendering: turning published results into text, tables, documents (no statistics here)."""

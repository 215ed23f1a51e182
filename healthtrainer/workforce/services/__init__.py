"""Writes to the workforce app, one module per area: supervision, training, resources."""

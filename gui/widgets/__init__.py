"""Shared desk widgets: the generic table model, form, sub-tables, pickers and inputs."""

"""Prefect flows: thin orchestration over the litmine library."""

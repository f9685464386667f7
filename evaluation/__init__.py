"""Extraction evaluation: gold annotations, scoring rules, the callables scored and the report."""

"""Readers that turn files into Documents and the pipeline that extracts the graph."""

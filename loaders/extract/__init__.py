"""The offline extraction pipeline: layout clean-up, passages, gazetteer, patterns, tables,
trigger phrases and levels, turning a Document into an Extraction with evidence."""

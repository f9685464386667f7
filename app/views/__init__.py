"""pyvis (vis-network) views of the graph: neighbourhoods, styles, layouts, offline assets."""

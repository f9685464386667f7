"""pyvis (vis-network) views of the graph: styles, layouts, the page around them, offline assets."""

"""Stage 4: measuring the graph: centrality, similarity, clusters."""

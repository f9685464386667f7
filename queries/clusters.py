"""Clusters of mutual duplicates: programmes every two of which are a listed pair.

Three programmes that all duplicate one another are one finding, not three pairs. Among the
pairs of a duplication list that share a category (duplication or fragmentation), the
largest groups in which every two programmes are a listed pair (maximal cliques of at least
:data:`MIN_SIZE`) become clusters, biggest and strongest first; a programme belongs to at
most one cluster.
"""

from __future__ import annotations

import networkx as nx

from queries.results import DuplicateCluster, DuplicatePair

MIN_SIZE = 3
CLUSTERED = ("duplication", "fragmentation")


def find_clusters(pairs: list[DuplicatePair]) -> list[DuplicateCluster]:
    """Clusters of ``pairs`` (see the module docstring); sets each pair's ``cluster``."""
    clusters: list[DuplicateCluster] = []
    names: dict[str, str] = {}
    for pair in pairs:
        names.setdefault(pair.a, pair.name_a)
        names.setdefault(pair.b, pair.name_b)
    taken: set[str] = set()
    for category in CLUSTERED:
        graph = nx.Graph()
        for pair in pairs:
            if pair.category == category:
                graph.add_edge(pair.a, pair.b, score=pair.score)
        cliques = []
        for clique in nx.find_cliques(graph):
            if len(clique) >= MIN_SIZE:
                members = sorted(clique)
                low = min(graph.edges[u, v]["score"] for u in members for v in members if u < v)
                cliques.append((members, low))
        cliques.sort(key=lambda item: (-len(item[0]), -item[1], item[0]))
        for members, low in cliques:
            if taken & set(members):
                continue
            taken.update(members)
            clusters.append(DuplicateCluster(
                members=members, names=[names[m] for m in members], score=low,
                category=category,
            ))
    index = {m: k for k, cluster in enumerate(clusters) for m in cluster.members}
    verdicts: dict[int, set[str | None]] = {}
    for pair in pairs:
        k = index.get(pair.a)
        if k is not None and k == index.get(pair.b) and pair.category == clusters[k].category:
            pair.cluster = k
            verdicts.setdefault(k, set()).add(pair.verdict)
    for k, found in verdicts.items():
        if len(found) == 1:
            clusters[k].verdict = next(iter(found))
    return clusters

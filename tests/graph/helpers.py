"""Helpers shared by the graph tests: a store filled as an ingest fills it, and the view loaded from it."""

from __future__ import annotations


def fill(store, docs) -> None:
    """Documents + gazetteer + ontology + links, as the ingest does."""
    from graph import iri
    from graph.build import document_quads, gazetteer_quads, ontology_quads
    from graph.links import refresh_links

    for d in docs:
        store.replace_document(d.key, document_quads(d))
    store.replace_graph(iri.GAZETTEER_GRAPH, gazetteer_quads())
    store.replace_graph(iri.ONTOLOGY_GRAPH, ontology_quads())
    refresh_links(store)


def view_of(docs):
    """The :class:`graph.view.GraphView` of a fresh embedded store filled with ``docs``."""
    from graph.store_oxigraph import OxigraphStore
    from graph.view import GraphView

    store = OxigraphStore()
    fill(store, docs)
    return GraphView.load(store)

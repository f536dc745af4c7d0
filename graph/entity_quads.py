"""Entity nodes in RDF: types and labels of one entity, the gazetteer's named graph, the ontology's.

An entity's labels come from the gazetteer when its key is a gazetteer id, else from the names
the text gave it. Types map to classes and schemes through :mod:`graph.entity_types`.

>>> qs = to_quads(entity_node_lines("x-college", "vocational_college", "某职业学院", node("https://example.org/g")))
>>> sorted(q.object.value.rsplit("#", 1)[-1] for q in qs if q.predicate == V.RDF_TYPE)
['Organization', 'VocationalCollege']
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from pyoxigraph import NamedNode, Quad

from graph import iri
from graph import vocab as V
from graph.entity_types import ORG_TYPES, SCHEME_OF, TYPE_CLASS
from graph.ntext import T, lang, lit, node, quad, to_quads, zh
from graph.ntext import label as text_label

if TYPE_CHECKING:
    from ontology.gazetteer import Entry, Gazetteer

#: Entity type value -> its ontology class node.
CLASS_NODE: dict[str, NamedNode] = {t: V.pkg(c) for t, c in TYPE_CLASS.items()}
_CLASS_TERM: dict[str, str] = {t: f"<{n.value}>" for t, n in CLASS_NODE.items()}


def type_value(t: Any) -> str:
    """An entity type (enum or its string value) as its string value ("" for none)."""
    return getattr(t, "value", t) or ""


@lru_cache(maxsize=1)
def _gazetteer() -> Gazetteer:
    """The default gazetteer (loaded once; a broken table raises here, loudly)."""
    from ontology.gazetteer import Gazetteer

    return Gazetteer.default()


@lru_cache(maxsize=1)
def _gazetteer_by_id() -> dict[str, Entry]:
    return {e.id: e for e in _gazetteer().entries}


def entity_node_lines(key: str, etype: str, label: str, g: str, aliases: Iterable[str] = ()) -> list[str]:
    """Type and labels of an entity node in graph term ``g`` (labels from the gazetteer when ``key`` is an id,
    else ``aliases``), as N-Quads lines (:mod:`graph.ntext`)."""
    n = node(iri.entity_iri(key))
    out = [quad(n, T.RDF_TYPE, _CLASS_TERM[etype], g)] if etype in _CLASS_TERM else []
    out.append(quad(n, T.RDF_TYPE, T.ORG_ORGANIZATION if etype in ORG_TYPES else T.SKOS_CONCEPT, g))
    entry = _gazetteer_by_id().get(key)
    out.append(quad(n, T.SKOS_PREF_LABEL, zh(entry.zh if entry else label), g))
    if etype not in ORG_TYPES:
        name = (entry.scheme if entry else None) or SCHEME_OF.get(etype, "concepts")
        scheme = node(iri.scheme_iri(name))
        out += [quad(n, T.SKOS_IN_SCHEME, scheme, g), quad(scheme, T.RDF_TYPE, T.SKOS_CONCEPT_SCHEME, g)]
    if entry is not None:
        if entry.en:
            out.append(quad(n, T.SKOS_PREF_LABEL, lang(entry.en, "en"), g))
        for alias in entry.aliases:
            out.append(quad(n, T.SKOS_ALT_LABEL, text_label(alias), g))
    else:
        out += [quad(n, T.SKOS_ALT_LABEL, text_label(a), g) for a in dict.fromkeys(aliases) if a and a != label]
    return out


def org_key(name: str) -> tuple[str, str, str]:
    """(entity key, type, label) for an organisation named in metadata or a task table."""
    entry = _gazetteer().lookup(name)
    if entry is not None:
        return entry.id, type_value(entry.type), entry.zh
    return iri.normalise_key(name), "government_body", name.strip()


def gazetteer_quads() -> list[Quad]:
    """Every gazetteer entry (types, zh/en labels, aliases, hierarchy, concept schemes).

    Places hang on their parent division by ``skos:broader`` (涿州市 → 保定市 → 河北省), bodies on
    theirs by ``org:subOrganizationOf``; a division carries its code as ``skos:notation``, a former body
    its successor (``dct:isReplacedBy``) and the years it existed (``dct:temporal``, "1985-1998").

    In the named graph ``iri.GAZETTEER_GRAPH``.
    """
    g = node(iri.GAZETTEER_GRAPH)
    out: list[str] = []
    for e in _gazetteer().entries:
        etype = type_value(e.type)
        n = node(iri.entity_iri(e.id))
        out += entity_node_lines(e.id, etype, e.zh, g)
        if e.parent:
            parent = node(iri.entity_iri(e.parent))
            out.append(quad(n, T.ORG_SUB_ORGANIZATION_OF if etype in ORG_TYPES else T.SKOS_BROADER, parent, g))
        if e.code:
            out.append(quad(n, T.SKOS_NOTATION, lit(e.code), g))
        if e.successor:
            out.append(quad(n, T.DCT_IS_REPLACED_BY, node(iri.entity_iri(e.successor)), g))
        if e.years:
            out.append(quad(n, T.DCT_TEMPORAL, lit(e.years), g))
    return to_quads(out)


def ontology_quads() -> list[Quad]:
    """The ontology (``ontology/policykg.ttl``) in the named graph ``iri.ONTOLOGY_GRAPH``."""
    from pathlib import Path

    from pyoxigraph import RdfFormat, parse

    path = Path(__file__).resolve().parents[1] / "ontology" / "policykg.ttl"  # ships with the package
    g = NamedNode(iri.ONTOLOGY_GRAPH)
    return [Quad(t.subject, t.predicate, t.object, g) for t in parse(path=str(path), format=RdfFormat.TURTLE)]

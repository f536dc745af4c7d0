"""Deterministic IRIs for everything policykg puts in the graph.

Every node is a named IRI derived from stable keys (发文字号 or content hash,
measure ordinal, normalised entity name, character span), so re-ingesting the same
files yields the same triples: there are no blank nodes, and two graphs compare by
their triple sets.

>>> document_iri("冀政字〔2021〕61号")
'https://w3id.org/policykg/id/doc/%E5%86%80%E6%94%BF%E5%AD%97%E3%80%942021%E3%80%9561%E5%8F%B7'
>>> measure_iri("sha1:ab12", 3)
'https://w3id.org/policykg/id/doc/sha1%3Aab12/measure/3'
>>> entity_iri("保定市政府") == entity_iri(" 保定市政府 ")
True
>>> key_from_document_iri(document_iri("国发〔2019〕4号"))
'国发〔2019〕4号'
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import quote, unquote

from ontology.iris import ID_BASE, ONTOLOGY_NS

#: ID_BASE (from ontology.iris) is the base of every instance IRI policykg mints.
DOC_BASE = ID_BASE + "doc/"
ENTITY_BASE = ID_BASE + "entity/"
GRAPH_BASE = ID_BASE + "graph/"

#: Named graph holding the gazetteer (labels, aliases, hierarchy, concept schemes).
GAZETTEER_GRAPH = GRAPH_BASE + "gazetteer"
#: Named graph holding the ontology itself.
ONTOLOGY_GRAPH = GRAPH_BASE + "ontology"
#: Named graph holding cross-document links (eli:cites, eli:has_annex).
LINKS_GRAPH = GRAPH_BASE + "links"

_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=1 << 16)
def encode(part: str) -> str:
    """Percent-encode one path segment (everything but unreserved ASCII).

    >>> encode("a b/c:d")
    'a%20b%2Fc%3Ad'
    """
    return quote(part, safe="-._~")


@lru_cache(maxsize=1 << 16)
def normalise_key(name: str) -> str:
    """Normalise an entity key or name: NFKC, no whitespace.

    >>> normalise_key(" 保定 市政府 ")
    '保定市政府'
    >>> normalise_key("ＡＢＣ")
    'ABC'
    """
    return _SPACE.sub("", unicodedata.normalize("NFKC", name))


@lru_cache(maxsize=1 << 14)
def document_iri(key: str) -> str:
    """IRI of a document (and of its named graph) from its key (发文字号 or ``sha1:…``)."""
    if not key or not key.strip():
        from core.errors import BadInputError

        raise BadInputError(f"Empty document key {key!r}. A document needs its 发文字号 or a 'sha1:…' key.")
    return DOC_BASE + encode(key.strip())


def key_from_document_iri(iri: str) -> str:
    """Inverse of :func:`document_iri`."""
    if not iri.startswith(DOC_BASE):
        from core.errors import BadInputError

        raise BadInputError(f"{iri!r} is not a policykg document IRI (expected it to start with {DOC_BASE}).")
    return unquote(iri[len(DOC_BASE) :].split("/", 1)[0])


def section_iri(key: str, ordinal: int) -> str:
    """IRI of the ``ordinal``-th section (1-based) of a document."""
    return f"{document_iri(key)}/section/{int(ordinal)}"


def measure_iri(key: str, ordinal: int) -> str:
    """IRI of the ``ordinal``-th measure (1-based position, unique within the document)."""
    return f"{document_iri(key)}/measure/{int(ordinal)}"


def item_iri(measure: str, k: int) -> str:
    """IRI of the ``k``-th numbered item (1-based) inside a measure.

    >>> item_iri(measure_iri("国发〔2019〕3号", 5), 2).endswith("/measure/5/item/2")
    True
    """
    return f"{measure}/item/{int(k)}"


def measure_span_iri(measure: str) -> str:
    """IRI of the text-position selector giving a measure's span."""
    return f"{measure}/span"


def target_iri(measure: str, start: int, end: int) -> str:
    """IRI of a target (到2022年, 26所) found at ``[start, end)`` in a measure."""
    return f"{measure}/target/{int(start)}-{int(end)}"


def mention_iri(owner: str, start: int, end: int) -> str:
    """IRI of the selector for a mention at ``[start, end)`` inside a measure or task."""
    return f"{owner}/mention/{int(start)}-{int(end)}"


def involvement_iri(owner: str, entity_key: str, role: str) -> str:
    """IRI of the involvement of an entity in a measure (or task) with a role."""
    return f"{owner}/involvement/{encode(normalise_key(entity_key))}/{encode(role)}"


def task_iri(key: str, row: int) -> str:
    """IRI of row ``row`` of an attachment document's task table."""
    return f"{document_iri(key)}/task/{int(row)}"


@lru_cache(maxsize=1 << 16)
def entity_iri(entity_key: str) -> str:
    """IRI of an entity from its key (gazetteer id or normalised name), whatever its type."""
    norm = normalise_key(entity_key)
    if not norm:
        from core.errors import BadInputError

        raise BadInputError(f"Empty entity key {entity_key!r}. Use a gazetteer id or the entity's name.")
    return ENTITY_BASE + encode(norm)


def key_from_entity_iri(iri: str) -> str:
    """Inverse of :func:`entity_iri` (returns the normalised key)."""
    return unquote(iri[len(ENTITY_BASE) :]) if iri.startswith(ENTITY_BASE) else iri


def scheme_iri(name: str) -> str:
    """IRI of a SKOS concept scheme (declared in the ontology: industries, places, programmes).

    >>> scheme_iri("industries")
    'https://w3id.org/policykg/ontology#industries'
    """
    return f"{ONTOLOGY_NS}{encode(name)}"


def target_span_iri(target: str) -> str:
    """IRI of the text-position selector quoting a target."""
    return f"{target}/span"

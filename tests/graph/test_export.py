from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from graph.export import export

SHAPES = Path(__file__).resolve().parents[2] / "ontology" / "shapes.ttl"


@pytest.fixture(scope="module")
def turtle(filled_store, tmp_path_factory) -> bytes:
    out = tmp_path_factory.mktemp("export") / "graph.ttl"
    n = export(filled_store, "turtle", out)
    assert n == out.stat().st_size > 0
    return out.read_bytes()


def test_turtle_loads_in_rdflib_and_pyoxigraph_with_same_count(turtle, filled_store):
    n_rdflib = len(rdflib.Graph().parse(data=turtle, format="turtle"))
    n_ox = len(set(ox.parse(turtle, format=ox.RdfFormat.TURTLE)))
    union = {(q.subject, q.predicate, q.object) for q in filled_store.quads()}
    assert n_rdflib == n_ox == len(union), f"rdflib {n_rdflib}, pyoxigraph {n_ox}, store union {len(union)}"


@pytest.mark.parametrize("fmt,rdflib_fmt", [("trig", "trig"), ("jsonld", "json-ld"), ("nt", "nt")])
def test_other_formats_round_trip(filled_store, fmt, rdflib_fmt):
    data = filled_store.dump(fmt)
    if fmt == "nt":
        n = len(rdflib.Graph().parse(data=data, format=rdflib_fmt))
        expected = len({(q.subject, q.predicate, q.object) for q in filled_store.quads()})
    else:
        ds = rdflib.Dataset()
        ds.parse(data=data, format=rdflib_fmt)
        n = sum(1 for _ in ds.quads())
        expected = filled_store.triple_count()
    assert n == expected, f"{fmt}: rdflib read {n}, expected {expected}"


def test_turtle_conforms_to_shacl_shapes(turtle):
    assert SHAPES.exists(), f"the SHACL shapes are missing: {SHAPES}"
    import pyshacl

    data = rdflib.Graph().parse(data=turtle, format="turtle")
    shapes = rdflib.Graph().parse(SHAPES, format="turtle")
    conforms, _, text = pyshacl.validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    assert conforms, text[:3000]

"""Result formats of the SPARQL endpoint: content negotiation, evaluation and serialisation with a row limit.

SELECT and ASK answer in SPARQL JSON, XML, CSV or TSV; CONSTRUCT and DESCRIBE in Turtle,
N-Triples, RDF/XML or JSON-LD. A result cut by the row limit says so (:class:`QueryAnswer`
``truncated``, and ``"truncated": true`` in SPARQL JSON).
"""

from __future__ import annotations

#: result format name -> media type, for SELECT / ASK
RESULT_FORMATS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
}
#: graph format name -> media type, for CONSTRUCT / DESCRIBE
GRAPH_FORMATS = {
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "rdfxml": "application/rdf+xml",
    "jsonld": "application/ld+json",
}
_ALIASES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "text/javascript": "json",
    "application/javascript": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "ttl": "turtle",
    "application/n-triples": "nt",
    "text/plain": "nt",
    "ntriples": "nt",
    "n-triples": "nt",
    "application/rdf+xml": "rdfxml",
    "application/ld+json": "jsonld",
    "json-ld": "jsonld",
}


def _media_ranges(accept: str) -> list[tuple[float, int, str]]:
    out = []
    for i, part in enumerate(accept.split(",")):
        bits = [b.strip() for b in part.split(";")]
        q = 1.0
        for b in bits[1:]:
            if b.startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        if bits[0] and q > 0:
            out.append((-q, i, bits[0].lower()))
    return sorted(out)


def negotiate(accept: str | None, form: str) -> tuple[str, str]:
    """Pick (format name, media type) for a query form from an Accept header or a format name.

    ``accept`` may be an HTTP Accept header (with q-values) or a short name (json, xml, csv, tsv,
    turtle, nt, rdfxml, jsonld). Anything unusable falls back to JSON results or Turtle.
    """
    table = GRAPH_FORMATS if form in ("CONSTRUCT", "DESCRIBE") else RESULT_FORMATS
    default = "turtle" if table is GRAPH_FORMATS else "json"
    for _, _, rng in _media_ranges(accept or ""):
        name = rng if rng in table else _ALIASES.get(rng)
        if name in table:
            return name, table[name]
    return default, table[default]


class QueryAnswer(tuple):
    """``(body, media type)`` of a query, with ``truncated``: True when the row limit cut the result."""

    truncated: bool

    def __new__(cls, body: bytes, media: str, truncated: bool = False):
        self = super().__new__(cls, (body, media))
        self.truncated = truncated
        return self


def evaluate(store, query: str, accept: str | None, limit: int) -> QueryAnswer:
    """Evaluate ``query`` on a pyoxigraph store and serialise at most ``limit`` rows.

    >>> import pyoxigraph as ox
    >>> st = ox.Store()
    >>> st.add(ox.Quad(ox.NamedNode("http://x/a"), ox.NamedNode("http://x/p"), ox.Literal("甲", language="zh")))
    >>> evaluate(st, "SELECT ?o WHERE { ?s ?p ?o }", "text/csv", 10)[0].decode().splitlines()
    ['o', '甲']
    """
    result = store.query(query, use_default_graph_as_union=True)
    return serialise(result, accept, limit)


def serialise(result, accept: str | None, limit: int, form: str | None = None) -> QueryAnswer:
    """Write a query result (solutions, boolean, or an iterable of triples) in the negotiated format, capped at ``limit``.

    One row past the limit is read to tell a cut result (``truncated``) from one that fits.
    """
    import pyoxigraph

    if isinstance(result, pyoxigraph.QueryBoolean):
        fmt, media = negotiate(accept, "ASK")
        return QueryAnswer(_write_results(fmt, [], [], bool(result)), media)
    if isinstance(result, pyoxigraph.QueryTriples) or form in ("CONSTRUCT", "DESCRIBE"):
        fmt, media = negotiate(accept, "CONSTRUCT")
        triples = [t for _, t in zip(range(limit + 1), result)]
        truncated = len(triples) > limit
        rdf = {"turtle": pyoxigraph.RdfFormat.TURTLE, "nt": pyoxigraph.RdfFormat.N_TRIPLES,
               "rdfxml": pyoxigraph.RdfFormat.RDF_XML, "jsonld": pyoxigraph.RdfFormat.JSON_LD}[fmt]
        return QueryAnswer(pyoxigraph.serialize(triples[:limit], format=rdf) or b"", media, truncated)
    fmt, media = negotiate(accept, "SELECT")
    names = [v.value for v in result.variables]
    rows = [[sol[v] for v in result.variables] for _, sol in zip(range(limit + 1), result)]
    truncated = len(rows) > limit
    return QueryAnswer(_write_results(fmt, names, rows[:limit], None, truncated), media, truncated)


def _term_json(term) -> dict:
    import pyoxigraph

    if isinstance(term, pyoxigraph.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, pyoxigraph.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, pyoxigraph.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": {k: _term_json(getattr(term, k)) for k in ("subject", "predicate", "object")}}



def _write_results(fmt: str, names: list[str], rows: list[list], boolean: bool | None,
                   truncated: bool = False) -> bytes:
    """Solutions (``rows`` of terms or None, one per name) or an ASK ``boolean`` in ``fmt``."""
    if fmt == "json":
        return _results_json(names, rows, boolean, truncated)
    if fmt == "xml":
        return _results_xml(names, rows, boolean)
    return _results_delimited(fmt, names, rows, boolean)


def _results_json(names: list[str], rows: list[list], boolean: bool | None, truncated: bool) -> bytes:
    import json

    doc: dict = {"head": {"vars": names} if boolean is None else {}}
    if boolean is None:
        doc["results"] = {"bindings": [{n: _term_json(t) for n, t in zip(names, row) if t is not None}
                                       for row in rows]}
        doc["truncated"] = truncated  # policykg: True when the row limit cut the result
    else:
        doc["boolean"] = boolean
    return json.dumps(doc, ensure_ascii=False).encode()


def _binding_xml(term) -> str:
    from xml.sax.saxutils import escape, quoteattr

    j = _term_json(term)
    if j["type"] == "uri":
        return f"<uri>{escape(j['value'])}</uri>"
    if j["type"] == "bnode":
        return f"<bnode>{escape(j['value'])}</bnode>"
    attr = (f" xml:lang={quoteattr(j['xml:lang'])}" if "xml:lang" in j else
            f" datatype={quoteattr(j['datatype'])}" if "datatype" in j else "")
    return f"<literal{attr}>{escape(str(j['value']))}</literal>"


def _results_xml(names: list[str], rows: list[list], boolean: bool | None) -> bytes:
    from xml.sax.saxutils import quoteattr

    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
    out += [f"<variable name={quoteattr(n)}/>" for n in names]
    out.append("</head>")
    if boolean is not None:
        out.append(f"<boolean>{'true' if boolean else 'false'}</boolean>")
    else:
        out.append("<results>")
        for row in rows:
            out.append("<result>")
            out += [f"<binding name={quoteattr(n)}>{_binding_xml(t)}</binding>"
                    for n, t in zip(names, row) if t is not None]
            out.append("</result>")
        out.append("</results>")
    out.append("</sparql>\n")
    return "\n".join(out).encode()


def _results_delimited(fmt: str, names: list[str], rows: list[list], boolean: bool | None) -> bytes:
    """CSV (plain values, ``_:`` blank nodes) or TSV (terms in SPARQL syntax)."""
    import csv
    import io

    if boolean is not None:  # csv/tsv of ASK: one column
        names = ["_askResult"]
        cells = [["true" if boolean else "false"]]
    elif fmt == "csv":
        cells = [["" if t is None else f"_:{t.value}" if type(t).__name__ == "BlankNode" else str(t.value)
                  for t in row] for row in rows]
    else:
        cells = [["" if t is None else str(t) for t in row] for row in rows]
    buf = io.StringIO()
    if fmt == "csv":
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(names)
        w.writerows(cells)
    else:
        buf.write("\t".join(("" if boolean is not None else "?") + n for n in names) + "\n")
        buf.writelines("\t".join(r) + "\n" for r in cells)
    return buf.getvalue().encode()

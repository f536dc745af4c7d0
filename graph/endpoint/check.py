"""Query checks of the SPARQL endpoint: a linear pre-check in the server, a full parse in a query process.

:func:`precheck` bounds the text (``MAX_QUERY_CHARS``) and its nesting (``MAX_NESTING``) in one
linear scan and refuses updates by their first keyword; :func:`check_query` then parses the query
with rdflib's SPARQL 1.1 grammar and refuses any ``SERVICE`` in the parse tree.

>>> precheck("ASK { ?s ?p ?o }")
'ASK'
"""

from __future__ import annotations

import re

from core.errors import BadInputError, QueryRefusedError

UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")
QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")

#: Longest query text accepted, in characters (checked before anything else).
MAX_QUERY_CHARS = 100_000
#: Deepest nesting of ``{ ( [`` accepted. Real queries stay under 20; the parsers recurse per level
#: (oxigraph's crashed its process at ~3,000 levels, rdflib's at ~50 with Python's default limit).
MAX_NESTING = 64
#: Deepest parse tree (rdflib's nodes; each bracket level is up to ~10 of them) accepted.
MAX_TREE_DEPTH = 1200

# SPARQL applies \uXXXX / \UXXXXXXXX escapes to the whole query text before parsing.
_UNICODE_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# Scanner: the next character that opens a token we must skip or count.
_INTERESTING = re.compile(r'"""|\'\'\'|["\'#<{}()\[\]]')
_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_LONG_END = {'"""': re.compile(r'\\.|"""', re.S), "\'\'\'": re.compile(r"\\.|\'\'\'", re.S)}
_SHORT_END = {'"': re.compile(r'\\.|"|\n'), "\'": re.compile(r"\\.|\'|\n")}
_WORD = re.compile(r"(?<![\w:?$@-])([A-Za-z]+)(?![\w:-])")
# A SERVICE keyword followed by what can follow it (SILENT, an IRI, a variable, a prefixed name),
# whitespace and comments allowed between. Matched on the unescaped text, strings included: a belt
# for a parser that reads the text differently from rdflib (the parse-tree check is the rule).
_WS = r"(?:\s|#[^\n]*(?:\n|$))*"
_SERVICE_CLAUSE = re.compile(rf"(?i)(?<![\w:/#.\-])SERVICE{_WS}(?:SILENT\b{_WS})?(?:<[^<>\s]*>|[?$]\w+|[\w\-]*:[\w\-.%]*){_WS}\{{")


def unescape_codepoints(query: str) -> str:
    r"""Apply SPARQL's ``\u`` / ``\U`` escapes, as both parsers do before reading the grammar.

    >>> unescape_codepoints("\\u0053ERVICE")
    'SERVICE'
    """
    def one(m: re.Match) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else m.group(0)

    return _UNICODE_ESCAPE.sub(one, query) if "\\" in query else query


def scan(query: str) -> tuple[str, int]:
    """One linear pass: the text with strings, IRIs and comments blanked, and the deepest nesting.

    Each character is looked at a bounded number of times whatever the input (an unterminated
    string or IRI runs to the end of the text), so a hostile query cannot make the check slow.

    >>> scan("SELECT * { ?s ?p 'a{{' } # {")
    ('SELECT * { ?s ?p   }  ', 1)
    """
    out: list[str] = []
    depth = deepest = 0
    pos, n = 0, len(query)
    while pos < n:
        m = _INTERESTING.search(query, pos)
        if m is None:
            out.append(query[pos:])
            break
        out.append(query[pos:m.start()])
        tok, pos = m.group(), m.end()
        if tok in _LONG_END or tok in _SHORT_END:
            table = _LONG_END if tok in _LONG_END else _SHORT_END
            end = pos
            for e in table[tok].finditer(query, pos):
                if e.group() == tok or e.group() == "\n":
                    end = e.end()
                    break
            else:
                end = n
            pos = end
            out.append(" ")
        elif tok == "#":
            nl = query.find("\n", pos)
            pos = n if nl < 0 else nl
            out.append(" ")
        elif tok == "<":
            iri = _IRIREF.match(query, m.start())
            if iri:
                pos = iri.end()
                out.append(" ")
            else:
                out.append(tok)
        else:
            out.append(tok)
            if tok in "{([":
                depth += 1
                deepest = max(deepest, depth)
            else:
                depth = max(0, depth - 1)
    return "".join(out), deepest


def precheck(query: str) -> str:
    """The bounds checked before a query reaches a parser: emptiness, size, nesting; the first keyword.

    Linear in the query's length. Raises :class:`BadInputError` (empty, too long, too deep, not
    a query) or :class:`QueryRefusedError` (an update, or a SERVICE clause seen in the text).
    """
    if not query or not query.strip():
        raise BadInputError("Empty SPARQL query. Pass it as ?query=..., a form field query=, or an "
                            "application/sparql-query body, e.g. SELECT * WHERE { ?s ?p ?o } LIMIT 10")
    if len(query) > MAX_QUERY_CHARS:
        raise BadInputError(f"SPARQL query of {len(query):,} characters is too long (limit {MAX_QUERY_CHARS:,}). "
                            "Shorten it, e.g. fetch a subset with LIMIT and query again.")
    text = unescape_codepoints(query)
    blanked, deepest = scan(text)
    if deepest > MAX_NESTING:
        raise BadInputError(f"SPARQL query nested {deepest} levels deep (limit {MAX_NESTING} levels of "
                            "{ ( [ ). Flatten it: join the groups, or split it into several queries.")
    words = [w.upper() for w in _WORD.findall(blanked)]
    if "SERVICE" in words or _SERVICE_CLAUSE.search(text):
        raise QueryRefusedError(_SERVICE_REFUSED)
    first = next((w for w in words if w in QUERY_FORMS or w in UPDATE_KEYWORDS), None)
    if first in UPDATE_KEYWORDS:
        raise QueryRefusedError(
            f"The SPARQL endpoint is read-only: this request is a SPARQL Update ({first}) and was not run. "
            f"Only {', '.join(QUERY_FORMS)} queries are accepted; to change the graph run `policykg ingest`."
        )
    if first is None:
        raise BadInputError(f"Not a SPARQL query: no {', '.join(QUERY_FORMS)} found in {query[:80]!r}.")
    return first


_SERVICE_REFUSED = ("SERVICE is not allowed: this endpoint does not make outbound requests to other "
                    "SPARQL endpoints. Remove the SERVICE clause and query the local graph only.")


def check_query(query: str) -> str:
    """Refuse updates and ``SERVICE``; return the query form (SELECT, ASK, CONSTRUCT, DESCRIBE).

    The bounds of :func:`precheck` first, then a full parse (rdflib's SPARQL 1.1 grammar): any
    ``SERVICE`` in the parse tree is refused, as is a tree deeper than ``MAX_TREE_DEPTH``. The
    parse recurses per nesting level and per triple, so call it where the recursion limit is raised
    and the time is bounded (the query workers do).

    Raises:
        BadInputError: empty, too long, too deep, a syntax error, or no query form.
        QueryRefusedError: an update operation or a ``SERVICE`` clause.
    """
    form = precheck(query)
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        tree = parseQuery(query)
    except ParseBaseException as exc:
        raise QuerySyntaxError(f"SPARQL syntax error at {exc.lineno}:{exc.col}: {exc.msg}") from None
    except RecursionError:
        raise BadInputError("SPARQL query too complex to parse (nesting or a very long group). "
                            "Split it into several queries.") from None
    names, depth = _tree_names(tree)
    if "ServiceGraphPattern" in names:
        raise QueryRefusedError(_SERVICE_REFUSED)
    if depth > MAX_TREE_DEPTH:
        raise BadInputError(f"SPARQL query too deeply nested ({depth} levels in its parse tree, limit "
                            f"{MAX_TREE_DEPTH}). Flatten or split it.")
    return form


class QuerySyntaxError(BadInputError):
    """A query the SPARQL grammar does not accept."""


def _tree_names(tree) -> tuple[set[str], int]:
    """Names of every node in an rdflib parse tree and its depth (iterative: no recursion)."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    names: set[str] = set()
    deepest = 0
    stack = [(tree, 1)]
    while stack:
        node, d = stack.pop()
        deepest = max(deepest, d)
        if isinstance(node, CompValue):
            names.add(node.name)
            stack.extend((v, d + 1) for v in node.values())
        elif isinstance(node, (ParseResults, list, tuple)):
            stack.extend((v, d + 1) for v in node)
        elif isinstance(node, dict):
            stack.extend((v, d + 1) for v in node.values())
    return names, deepest

"""Query analysis: normalisation, hostile-input checks, entity linking, intent.

>>> analyse("  哪些措施涉及河北软件职业技术学院？ ", {"河北软件职业技术学院": ["e:1"]}).intent
'involving'
>>> analyse("到2022年的目标").year
2022
>>> analyse("who is responsible for teacher training").intent
'responsible'
>>> analyse("？？？!!!").empty
True
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from core.errors import BadInputError
from ontology.names import fold_name

#: Longest query accepted (characters, after normalisation).
MAX_QUERY_CHARS = 2000

_SPACE = re.compile(r"\s+")
_CONTENT = re.compile(r"[\w]", re.UNICODE)
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年?")

_INVOLVING = [
    re.compile(r"^(?:哪些|什么|有哪些|列出|所有)?(?:措施|条款|政策|内容)?(?:涉及|提到|提及|包含|关于)(?P<x>.+?)(?:的)?(?:措施|条款|政策|内容)?[?？。]*$"),
    re.compile(r"^(?P<x>.+?)(?:相关|有关)?的(?:措施|条款|政策措施)[?？。]*$"),
    re.compile(r"^(?:which|what|list|show)?\s*(?:all\s+)?(?:measures|provisions|policies)\s+"
               r"(?:involve|involving|mention|mentioning|concern|concerning|about|for|on)\s+(?P<x>.+?)[?.]*$", re.I),
    re.compile(r"^(?:measures|provisions)\s+(?:that|which)\s+(?:involve|mention|concern)\s+(?P<x>.+?)[?.]*$", re.I),
]
_RESPONSIBLE = [
    re.compile(r"(?:谁|哪个部门|哪些部门|哪个单位|哪些单位|由谁)(?:来)?(?:负责|牵头|承担)"),
    re.compile(r"(?:负责|牵头)(?:单位|部门)"),
    re.compile(r"\bwho\s+(?:is|are)\s+(?:responsible|in charge)\b|\bwho\s+leads?\b|\bresponsible\s+(?:for|party|unit|body)\b", re.I),
]
_TARGETS = [
    re.compile(r"(?:到|至|截至|截止)\s*(?:19|20)\d{2}\s*年?.*(?:目标|指标|任务|要求|建成|达到)"),
    re.compile(r"(?:19|20)\d{2}\s*年?(?:前|底|以前)?(?:的)?(?:目标|指标)"),
    re.compile(r"\b(?:targets?|goals?|deadlines?)\b.*\b(?:due|by|before|for|in)\s+(?:19|20)\d{2}\b", re.I),
    re.compile(r"\b(?:due|by)\s+(?:19|20)\d{2}\b.*\b(?:targets?|goals?)\b", re.I),
]


@dataclass(slots=True)
class LinkedEntity:
    """An entity mention found in the query."""

    text: str  # as written in the query
    start: int
    end: int
    iris: list[str]


@dataclass(slots=True)
class QueryAnalysis:
    """What a query asks for."""

    raw: str
    text: str  # normalised
    intent: str = "free_text"  # involving | responsible | targets_due | free_text
    entities: list[LinkedEntity] = field(default_factory=list)
    subject: str | None = None  # the X of "which measures involve X"
    year: int | None = None
    truncated: bool = False
    empty: bool = False  # nothing searchable (only punctuation/space)

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "intent": self.intent,
            "entities": [{"text": e.text, "start": e.start, "end": e.end, "iris": e.iris} for e in self.entities],
            "subject": self.subject,
            "year": self.year,
            "truncated": self.truncated,
        }


def normalise(query: str) -> str:
    """NFKC, collapse whitespace, strip.

    >>> normalise("  ＡＢＣ　 保定  ")
    'ABC 保定'
    """
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", query)).strip()


def _key(text: str) -> str:
    """Label-index key form: NFKC, no spaces, case-folded (``ontology.names.fold_name``)."""
    return fold_name(text)


class LabelMatcher:
    """A label index prepared for :func:`link_entities`: key forms grouped by first character.

    Preparing takes ~15 ms for the full corpus's ~4,300 labels; a searcher prepares once and
    links every query against it.
    """

    def __init__(self, label_index: dict[str, list[str]]) -> None:
        self.label_index = label_index
        self.by_first: dict[str, list[str]] = {}
        self.keymap: dict[str, str] = {}
        for label in label_index:
            k = _key(label)
            self.keymap[k] = label
            if len(k) >= 2:
                self.by_first.setdefault(k[0], []).append(k)
        for lst in self.by_first.values():
            lst.sort(key=len, reverse=True)

    def __bool__(self) -> bool:
        return bool(self.label_index)


def link_entities(text: str, label_index: dict[str, list[str]] | LabelMatcher | None) -> list[LinkedEntity]:
    """Longest, non-overlapping mentions of any label of ``label_index`` in ``text``.

    Chinese names, aliases and English names are matched case- and space-insensitively.

    >>> idx = {"河北软件职业技术学院": ["e:1"], "河北": ["e:2"], "hebei software vocational college": ["e:1"]}
    >>> [(e.text, e.iris) for e in link_entities("哪些措施涉及河北软件职业技术学院", idx)]
    [('河北软件职业技术学院', ['e:1'])]
    >>> [e.text for e in link_entities("measures involving Hebei Software Vocational College?", idx)]
    ['Hebei Software Vocational College']
    """
    if not text or not label_index:
        return []
    # Map the query to its key form while remembering original offsets (spaces dropped, case folded).
    chars: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        if ch.isspace():
            continue
        for c in ch.casefold():
            chars.append(c)
            offsets.append(i)
    folded = "".join(chars)
    matcher = label_index if isinstance(label_index, LabelMatcher) else LabelMatcher(label_index)
    by_first, keymap, label_index = matcher.by_first, matcher.keymap, matcher.label_index
    found: list[LinkedEntity] = []
    i = 0
    while i < len(folded):
        match = None
        for k in by_first.get(folded[i], ()):
            if folded.startswith(k, i) and _word_boundary(text, offsets[i], offsets[i + len(k) - 1] + 1):
                match = k
                break
        if match:
            s, e = offsets[i], offsets[i + len(match) - 1] + 1
            found.append(LinkedEntity(text[s:e], s, e, list(label_index[keymap[match]])))
            i += len(match)
        else:
            i += 1
    return found


def _word_boundary(s: str, a: int, b: int) -> bool:
    """Latin labels must not start or end inside a Latin word (``AI`` in ``paid``)."""
    def latin(c: str) -> bool:
        return c.isascii() and c.isalnum()

    if latin(s[a]) and a > 0 and latin(s[a - 1]):
        return False
    if latin(s[b - 1]) and b < len(s) and latin(s[b]):
        return False
    return True


_CONNECTORS = re.compile(r"(?:和|与|及|以及|或|、|,|，|and|or|the|of|&|\s)+", re.I)


def _only_entities(subject: str, entities: list[LinkedEntity]) -> bool:
    """True when ``subject`` is made of linked entity names and connectors only."""
    rest = _key(subject)
    for e in sorted(entities, key=lambda e: -len(e.text)):
        rest = rest.replace(_key(e.text), " ")
    return len(_CONNECTORS.sub("", rest)) <= 1


def compound_subject(qa: QueryAnalysis) -> str | None:
    """The subject of an ``involving`` question when it is one name written as two or more adjacent
    entity names with nothing between them (北京 + 大兴国际机场): a name that is no entity itself.

    >>> idx = {"北京": ["e:bj"], "大兴国际机场": ["e:pkx"], "天津": ["e:tj"]}
    >>> compound_subject(analyse("哪些措施涉及北京大兴国际机场", idx))
    '北京大兴国际机场'
    >>> compound_subject(analyse("哪些措施涉及北京和天津", idx)) is None
    True
    """
    if qa.intent != "involving" or not qa.subject or len(qa.entities) < 2:
        return None
    at = qa.text.find(qa.subject)
    if at < 0:
        return None
    pos = at
    for e in sorted(qa.entities, key=lambda e: e.start):
        if e.end <= at:
            continue
        if e.start != pos:
            return None
        pos = e.end
    return qa.subject if pos == at + len(qa.subject) else None


def analyse(query: str, label_index: dict[str, list[str]] | LabelMatcher | None = None, *,
            strict: bool = False) -> QueryAnalysis:
    """Normalise ``query``, find its intent and the entities it mentions.

    Args:
        query: the user's text. SPARQL-looking text is just text.
        label_index: ``GraphView.label_index()`` (normalised label → entity IRIs), or a
            :class:`LabelMatcher` prepared from it.
        strict: raise ``BadInputError`` for over-long queries instead of truncating.

    Raises:
        BadInputError: ``query`` is not a string, or (strict) longer than ``MAX_QUERY_CHARS``.
    """
    if not isinstance(query, str):
        raise BadInputError(f"A query must be text, got {type(query).__name__}.")
    text = normalise(query.encode("utf-8", "replace").decode("utf-8"))
    text = "".join(c for c in text if c.isprintable() or c == " ")
    truncated = False
    if len(text) > MAX_QUERY_CHARS:
        if strict:
            raise BadInputError(
                f"Query is {len(text)} characters long; the limit is {MAX_QUERY_CHARS}. Shorten it to its key words."
            )
        text, truncated = text[:MAX_QUERY_CHARS], True
    qa = QueryAnalysis(raw=query, text=text, truncated=truncated)
    if not _CONTENT.search(text):
        qa.empty = True
        return qa
    qa.entities = link_entities(text, label_index)
    m = _YEAR.search(text)
    qa.year = int(m.group(1)) if m else None
    body = text.rstrip("?？。.! ")
    for pat in _INVOLVING:
        hit = pat.match(body)
        if hit:
            qa.subject = hit.group("x").strip(" ，,的") or None
            break
    if qa.subject and qa.entities and _only_entities(qa.subject, qa.entities):
        qa.intent = "involving"
    elif any(p.search(text) for p in _RESPONSIBLE):
        qa.intent = "responsible"
    elif qa.year and any(p.search(text) for p in _TARGETS):
        qa.intent = "targets_due"
    return qa

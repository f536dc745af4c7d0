"""Link each task row of an attachment to the measure(s) of its parent that it implements.

Three kinds of evidence, strongest first:

- ``explicit``: the row names the measure (an 对应措施 column, 措施5, 第5条, （五）);
- ``shared_entities``: organisations, parks, programmes, industries named in both the task
  and the measure, each weighted by its rarity among the parent's measures (idf);
- ``text_similarity``: TF-IDF cosine over ``ingest.segment.tokenize`` tokens.

Without an explicit reference a task links to every measure whose score
``SIMILARITY_WEIGHT * cosine + ENTITY_WEIGHT * entity_overlap`` reaches
:data:`LINK_THRESHOLD` and at least :data:`RELATIVE_CUTOFF` of the task's best score, so a
task may implement several measures. Both were chosen on the dev half (odd rows) of the
illustrative fixtures in ``tests/data/attachments`` (see ``gold-links.json``).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from ingest.model import Document, Measure, Task

#: Minimum combined score of an implicit link (chosen on the fixtures' dev half).
LINK_THRESHOLD = 0.16
#: An implicit link must also reach this share of the task's best score.
RELATIVE_CUTOFF = 0.8
SIMILARITY_WEIGHT = 0.7
ENTITY_WEIGHT = 0.3
#: Confidence given to a link the row states explicitly.
EXPLICIT_CONFIDENCE = 0.98

# Words too common in policy text to say which measure a task implements.
_STOP = set(
    "的 和 与 及 等 在 对 为 以 并 将 了 是 一批 一个 个 所 家 支持 推动 推进 加强 开展 建设 建立 实施 "
    "提升 提高 完善 落实 保定 保定市 职业 教育 职业教育 学校 职业学校 工作 相关 有关 各 市 县 省 "
    "方面 积极 进一步 重点 全面 加快 深入 打造 形成 机制 发展".split()
)


@dataclass(frozen=True, slots=True)
class TaskLink:
    """One task → measure link."""

    task_row: int
    measure_ordinal: int
    confidence: float  # in [0, 1]
    evidence_kind: str  # "explicit" | "shared_entities" | "text_similarity"
    detail: str  # human-readable evidence: the reference, shared entities, shared terms


def _tokens(text: str) -> list[str]:
    from ingest.segment import tokenize

    return [t for t in tokenize(text) if len(t) > 1 and t not in _STOP and not t.isdigit()]


def _entity_keys(text: str, mentions=None) -> dict[str, str]:
    """entity key → label for the mentions of a text (computed when not given)."""
    if mentions is None:
        from ingest.entities import extract_mentions

        mentions = extract_mentions(text)
    return {m.entity: m.label for m in mentions if getattr(m.type, "value", m.type) != "generic"}  # classes link nothing


class _Index:
    """TF-IDF vectors and entity document frequencies over a parent's measures."""

    def __init__(self, measures: list[Measure]):
        self.measures = measures
        self.tokens = [Counter(_tokens(m.text)) for m in measures]
        n = len(measures)
        df = Counter(t for c in self.tokens for t in c)
        self.idf = {t: math.log((n + 1) / (d + 1)) + 1.0 for t, d in df.items()}
        self.vectors = [self._vector(c) for c in self.tokens]
        self.entities = [_entity_keys(m.text, m.mentions or None) for m in measures]
        edf = Counter(k for e in self.entities for k in e)
        # Rarity in [0, 1]: 1 for an entity named by one measure, near 0 for one named by all.
        self.eidf = {k: math.log((n + 1) / d) / math.log(n + 1) for k, d in edf.items()}

    def _vector(self, counts: Counter) -> dict[str, float]:
        vec = {t: (1 + math.log(c)) * self.idf.get(t, 0.0) for t, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {t: v / norm for t, v in vec.items() if v}

    def scores(self, task: Task) -> list[tuple[float, float, float, list[str], list[str]]]:
        """Per measure: (combined, cosine, entity overlap, shared entity labels, shared terms)."""
        tv = self._vector(Counter(_tokens(task.text)))
        tents = _entity_keys(task.text, task.mentions or None)
        known = {k: v for k, v in tents.items() if k in self.eidf}
        out = []
        for vec, ents in zip(self.vectors, self.entities):
            shared_terms = sorted(set(tv) & set(vec), key=lambda t: -tv[t] * vec[t])
            cos = sum(tv[t] * vec[t] for t in shared_terms)
            shared = [k for k in known if k in ents]
            ent = min(1.0, sum(self.eidf[k] for k in shared))
            combined = SIMILARITY_WEIGHT * cos + ENTITY_WEIGHT * ent
            out.append((combined, cos, ent, [known[k] for k in shared], shared_terms[:5]))
        return out


def link_tasks(
    attachment: Document,
    parent: Document,
    *,
    threshold: float = LINK_THRESHOLD,
    relative: float = RELATIVE_CUTOFF,
) -> list[TaskLink]:
    """Links from every task of ``attachment`` to the measures of ``parent`` it implements."""
    if not parent.measures:
        return []
    by_number: dict[int, Measure] = {}
    for m in parent.measures:
        by_number.setdefault(m.number, m)
    index = _Index(parent.measures)
    links: list[TaskLink] = []
    for task in attachment.tasks:
        explicit = [by_number[n] for n in task.measure_refs if n in by_number]
        if explicit:
            for m in explicit:
                links.append(TaskLink(task.row, m.ordinal, EXPLICIT_CONFIDENCE, "explicit", f"对应措施 {m.label}"))
            continue
        scored = index.scores(task)
        best = max(s[0] for s in scored)
        for m, (score, cos, ent, ents, terms) in zip(parent.measures, scored):
            if score < threshold or score < relative * best:
                continue
            kind = "shared_entities" if ENTITY_WEIGHT * ent > SIMILARITY_WEIGHT * cos else "text_similarity"
            detail = "; ".join(
                p for p in (f"entities: {'、'.join(ents)}" if ents else "", f"terms: {'、'.join(terms)}" if terms else "") if p
            )
            links.append(TaskLink(task.row, m.ordinal, round(min(1.0, score), 4), kind, detail))
    return links


def precision_recall(predicted: set[tuple[int, int]], gold: set[tuple[int, int]]) -> tuple[float, float]:
    """Precision and recall of (task row, measure number) pairs.

    >>> precision_recall({(1, 2), (2, 3)}, {(1, 2), (2, 4)})
    (0.5, 0.5)
    """
    hit = len(predicted & gold)
    return (hit / len(predicted) if predicted else 1.0), (hit / len(gold) if gold else 1.0)

"""Chinese names of the project's enumerations: one table per concept, for the page, the CLI and exports.

Every table is keyed by the value the JSON API uses, and a test checks each enumeration is covered,
so a new entity type or role cannot reach a user untranslated.

>>> ROLE_ZH["lead"], ENTITY_TYPE_ZH["vocational_college"], KIND_ZH["law"]
('牵头', '职业院校', '法律法规')
>>> zh(ROLE_ZH, "unknown_role")
'unknown_role'
"""

from __future__ import annotations

from ontology.types import ENTITY_TYPES, ROLES, TASK_ROLES

#: How a measure involves an entity (``ontology.types.ROLES``).
ROLE_ZH: dict[str, str] = {role.value: spec.zh for role, spec in ROLES.items()}

#: Entity types (``ontology.types.ENTITY_TYPES``).
ENTITY_TYPE_ZH: dict[str, str] = {etype.value: spec.zh for etype, spec in ENTITY_TYPES.items()}

#: Document types (``ingest.model.Document.kind``).
KIND_ZH: dict[str, str] = {
    "policy": "政策文件",
    "law": "法律法规",
    "report": "报告",
    "attachment": "附件",
    "text": "其他文件",
}

#: An organisation's role in an attachment task (``graph.tasks``).
TASK_ROLE_ZH: dict[str, str] = {role: spec.zh for role, spec in TASK_ROLES.items()}

#: How a task was linked to a measure.
EVIDENCE_KIND_ZH: dict[str, str] = {"explicit": "明确引用", "shared_entities": "共同实体",
                                    "text_similarity": "文本相似"}

#: Query intents and score names in a result's ``why``.
INTENT_ZH: dict[str, str] = {"involving": "涉及某实体的措施", "free_text": "全文检索", "search": "全文检索",
                             "lookup": "实体查询", "text": "原文匹配"}
SCORE_ZH: dict[str, str] = {"bm25": "关键词得分", "dense": "语义得分", "graph": "图谱得分", "fused": "综合得分",
                            "related": "关联得分", "bm25_coverage": "关键词覆盖率"}

#: Sort orders of result lists.
SORT_ZH: dict[str, str] = {"relevance": "相关度", "date": "日期（新→旧）", "date_asc": "日期（旧→新）",
                           "document": "文件顺序"}

TABLES = {"role": ROLE_ZH, "entity_type": ENTITY_TYPE_ZH, "kind": KIND_ZH, "task_role": TASK_ROLE_ZH,
          "evidence_kind": EVIDENCE_KIND_ZH, "intent": INTENT_ZH, "score": SCORE_ZH, "sort": SORT_ZH}


def zh(table: dict[str, str], value: str | None) -> str:
    """The Chinese name of ``value`` in ``table``, else the value itself."""
    return table.get(value or "", value or "")

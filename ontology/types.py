"""Entity types and roles: one table each, from which everything else is derived.

Every entity type has one row in :data:`ENTITY_TYPES`: its ontology class (``pkg:<rdf_class>``,
declared in ``ontology/policykg.ttl``), whether it is an organisation (``org:Organization``) or a
concept (``skos:Concept`` in the concept scheme ``scheme``), and its Chinese and English labels.
The graph builder (class and scheme of an entity node), the graph view (class → type), the closed
namespace ``ontology.namespace.PKG``, the Chinese labels the API serves at ``/labels`` (which the
web page and the CLI read) all read this table. Roles likewise (:data:`ROLES`: ontology property,
labels). Adding an entity type: a member of :class:`EntityType`, its row here, its class in
``ontology/policykg.ttl``, and a gazetteer table or rule that finds it (``docs/architecture.md``).

>>> EntityType.UNIVERSITY.is_organization, EntityType.INDUSTRY.is_organization
(True, False)
>>> ENTITY_TYPES[EntityType.PLACE].rdf_class, ENTITY_TYPES[EntityType.PLACE].scheme
('Place', 'places')
>>> type_of_class("GovernmentBody")
<EntityType.GOVERNMENT_BODY: 'government_body'>
>>> ROLES[Role.LEAD].property, ROLES[Role.LEAD].zh
('leadBy', '牵头')
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class EntityType(str, Enum):
    """Kinds of named things extracted from policy text (rows of :data:`ENTITY_TYPES`)."""

    VOCATIONAL_COLLEGE = "vocational_college"  # 职业学院, 职业技术学院, 技工学校, 职教中心, 中职学校
    UNIVERSITY = "university"  # 大学, 本科学院
    SCHOOL = "school"  # other schools
    GOVERNMENT_BODY = "government_body"  # 教育部, 河北省人民政府, 财政部门, 市、县两级政府
    ENTERPRISE = "enterprise"  # 百度
    PARK = "park"  # 园区, 开发区, 科技园, platforms and zones
    ALLIANCE = "alliance"  # 集团, 联盟
    INDUSTRY = "industry"  # 新能源汽车, 中医药, 数字经济
    PLACE = "place"  # 阜平, 涿州, 保定
    PROGRAMME = "programme"  # 双高计划, 1+X证书制度
    ORGANISATION = "organisation"  # other named organisations: 中华全国总工会, 国家融资担保基金, 协会, 银行
    GENERIC = "generic"  # a class of bodies, no specific one: 有关部门, 财政部门, 县级以上地方人民政府

    @property
    def spec(self) -> EntityTypeSpec:
        return ENTITY_TYPES[self]

    @property
    def is_organization(self) -> bool:
        return ENTITY_TYPES[self].organization


@dataclass(frozen=True, slots=True)
class EntityTypeSpec:
    """What the rest of the system needs to know about one entity type."""

    rdf_class: str  # local name of its ontology class (pkg:…)
    organization: bool  # an org:Organization (else a skos:Concept)
    zh: str  # label shown to users
    en: str
    scheme: str | None = None  # concept scheme of a concept type (organisations: None)


ENTITY_TYPES: dict[EntityType, EntityTypeSpec] = {
    EntityType.VOCATIONAL_COLLEGE: EntityTypeSpec("VocationalCollege", True, "职业院校", "vocational college"),
    EntityType.UNIVERSITY: EntityTypeSpec("University", True, "高校", "university"),
    EntityType.SCHOOL: EntityTypeSpec("School", True, "学校", "school"),
    EntityType.GOVERNMENT_BODY: EntityTypeSpec("GovernmentBody", True, "政府部门", "government body"),
    EntityType.ENTERPRISE: EntityTypeSpec("Enterprise", True, "企业", "enterprise"),
    EntityType.PARK: EntityTypeSpec("Park", True, "园区/平台", "park or platform"),
    EntityType.ALLIANCE: EntityTypeSpec("Alliance", True, "集团/联盟", "alliance or group"),
    EntityType.INDUSTRY: EntityTypeSpec("Industry", False, "产业", "industry", scheme="industries"),
    EntityType.PLACE: EntityTypeSpec("Place", False, "地区", "place", scheme="places"),
    EntityType.PROGRAMME: EntityTypeSpec("Programme", False, "项目/计划", "programme", scheme="programmes"),
    EntityType.ORGANISATION: EntityTypeSpec("Organisation", True, "其他机构", "other organisation"),
    EntityType.GENERIC: EntityTypeSpec("GenericRole", False, "泛指的部门", "generic role", scheme="roles"),
}

#: Entity type values that are organisations.
ORG_TYPE_VALUES: frozenset[str] = frozenset(t.value for t, s in ENTITY_TYPES.items() if s.organization)


def type_of_class(rdf_class: str) -> EntityType | None:
    """The entity type whose ontology class has the local name ``rdf_class`` (None if none)."""
    return _BY_CLASS.get(rdf_class)


_BY_CLASS = {s.rdf_class: t for t, s in ENTITY_TYPES.items()}


class Role(str, Enum):
    """How a measure involves an organisation (finer than plain involvement; rows of :data:`ROLES`)."""

    INVOLVED = "involved"  # mentioned, no finer role stated
    LEAD = "lead"  # 牵头
    SUPPORT_TARGET = "support_target"  # 支持 / 鼓励 X ...
    RESPONSIBLE = "responsible"  # 负责 / 责任单位
    PARTICIPANT = "participant"  # 参与 / 配合


@dataclass(frozen=True, slots=True)
class RoleSpec:
    property: str  # local name of the ontology property linking a measure to the entity (pkg:…)
    zh: str
    en: str


ROLES: dict[Role, RoleSpec] = {
    Role.INVOLVED: RoleSpec("involves", "涉及", "involved"),
    Role.LEAD: RoleSpec("leadBy", "牵头", "lead"),
    Role.SUPPORT_TARGET: RoleSpec("supports", "支持对象", "support target"),
    Role.RESPONSIBLE: RoleSpec("responsible", "负责", "responsible"),
    Role.PARTICIPANT: RoleSpec("participant", "参与", "participant"),
}


#: An organisation's role in an attachment task (a table row's 牵头单位 / 责任单位 / 配合单位 column).
TASK_ROLES: dict[str, RoleSpec] = {
    "lead": RoleSpec("leadBy", "牵头单位", "lead"),
    "responsible": RoleSpec("responsible", "责任单位", "responsible"),
    "support": RoleSpec("participant", "配合单位", "support"),
}

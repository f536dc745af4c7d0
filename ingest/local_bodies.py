"""Local government bodies named through the issuing place of a document.

A local regulation names the bodies of its own place by level and function: 宁波市 … 条例 says
市教育行政主管部门 for 宁波市教育局, 河南省 … 办法 says 省人民政府 for 河南省人民政府 and
省人力资源社会保障行政部门 for 河南省人力资源和社会保障厅. The local departments follow the standard
structure of local governments (省级: 厅 / 委员会 / 局; 市、县级: 局 / 委员会), so each function stem
maps to the department of each level; the canonical name is the place's full name + the department.

>>> from ontology.gazetteer import Gazetteer
>>> home = Gazetteer.default().get("ningbo")
>>> body = local_body(home, "教育")
>>> body.name, body.en
('宁波市教育局', 'Ningbo Municipal Education Bureau')
>>> "宁波教育局" in body.aliases
True
>>> local_body(Gazetteer.default().get("henan"), "人民政府").name
'河南省人民政府'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: function stem(s) → (provincial department, municipal/county department, short forms (prov, city), English)
DEPARTMENTS: list[tuple[tuple[str, ...], str, str, tuple[str, str], str]] = [
    (("人民政府", "政府"), "人民政府", "人民政府", ("政府", "政府"), "People's Government"),
    (("教育",), "教育厅", "教育局", ("", ""), "Education"),
    (("人力资源社会保障", "人力资源和社会保障", "劳动保障", "劳动", "社会保险"), "人力资源和社会保障厅",
     "人力资源和社会保障局", ("人社厅", "人社局"), "Human Resources and Social Security"),
    (("财政",), "财政厅", "财政局", ("", ""), "Finance"),
    (("发展改革", "发展和改革", "价格", "投资"), "发展和改革委员会", "发展和改革委员会", ("发展改革委", "发展改革委"),
     "Development and Reform Commission"),
    (("卫生健康", "卫生"), "卫生健康委员会", "卫生健康委员会", ("卫生健康委", "卫生健康委"), "Health Commission"),
    (("科学技术", "科技"), "科学技术厅", "科学技术局", ("科技厅", "科技局"), "Science and Technology"),
    (("工业和信息化", "经济和信息化", "经济信息化"), "工业和信息化厅", "经济和信息化局", ("工信厅", "经信局"),
     "Industry and Information Technology"),
    (("公安",), "公安厅", "公安局", ("", ""), "Public Security"),
    (("民政",), "民政厅", "民政局", ("", ""), "Civil Affairs"),
    (("司法行政", "司法"), "司法厅", "司法局", ("", ""), "Justice"),
    (("自然资源",), "自然资源厅", "自然资源局", ("", ""), "Natural Resources"),
    (("生态环境", "环境保护"), "生态环境厅", "生态环境局", ("", ""), "Ecology and Environment"),
    (("住房城乡建设", "住房和城乡建设", "建设"), "住房和城乡建设厅", "住房和城乡建设局", ("住建厅", "住建局"),
     "Housing and Urban-Rural Development"),
    (("交通运输",), "交通运输厅", "交通运输局", ("", ""), "Transport"),
    (("水行政", "水利"), "水利厅", "水利局", ("", ""), "Water Resources"),
    (("农业农村", "农业"), "农业农村厅", "农业农村局", ("", ""), "Agriculture and Rural Affairs"),
    (("商务",), "商务厅", "商务局", ("", ""), "Commerce"),
    (("文化和旅游", "文化", "旅游", "文化广电旅游"), "文化和旅游厅", "文化和旅游局", ("文旅厅", "文旅局"),
     "Culture and Tourism"),
    (("退役军人事务",), "退役军人事务厅", "退役军人事务局", ("", ""), "Veterans Affairs"),
    (("应急管理",), "应急管理厅", "应急管理局", ("", ""), "Emergency Management"),
    (("审计",), "审计厅", "审计局", ("", ""), "Audit"),
    (("市场监督管理", "市场监管"), "市场监督管理局", "市场监督管理局", ("市场监管局", "市场监管局"), "Market Regulation"),
    (("统计",), "统计局", "统计局", ("", ""), "Statistics"),
    (("医疗保障",), "医疗保障局", "医疗保障局", ("医保局", "医保局"), "Healthcare Security"),
    (("体育",), "体育局", "体育局", ("", ""), "Sport"),
    (("国有资产监督管理",), "人民政府国有资产监督管理委员会", "人民政府国有资产监督管理委员会", ("国资委", "国资委"),
     "State-owned Assets Supervision and Administration Commission"),
    (("药品监督管理",), "药品监督管理局", "药品监督管理局", ("药监局", "药监局"), "Medical Products Administration"),
    (("总工会", "工会"), "总工会", "总工会", ("", ""), "Federation of Trade Unions"),
]
_BY_STEM = {stem: row for row in DEPARTMENTS for stem in row[0]}
#: Longest stems first, for matching a department phrase (人力资源社会保障行政部门).
STEMS = sorted(_BY_STEM, key=len, reverse=True)
DEPT_TAIL = re.compile(r"(?:行政主管部门|行政部门|主管部门|部门)")


@dataclass(frozen=True)
class LocalBody:
    name: str  # canonical: 宁波市教育局
    en: str
    aliases: tuple[str, ...]


def level_word(home) -> str:
    """The bare word a document of ``home`` uses for its own level: 省, 市, 县 or 区."""
    code = home.code or ""
    if code.endswith("0000"):
        return "市" if code[:2] in ("11", "12", "31", "50") else "省"
    if home.zh.endswith("区"):
        return "区"
    return "市" if home.zh.endswith("市") else "县"


def _place_en(home) -> str:
    return re.sub(r" (?:Province|City|County|District|Autonomous Region|Special Administrative Region)$", "", home.en)


def local_body(home, stem: str) -> LocalBody | None:
    """The department of ``home`` for a function stem (教育 → 宁波市教育局), or None for an unknown stem."""
    row = _BY_STEM.get(stem)
    if row is None or home is None:
        return None
    _, prov, city, shorts, en_kind = row
    provincial = (home.code or "").endswith("0000")
    dept = prov if provincial else city
    short = shorts[0] if provincial else shorts[1]
    names = [home.zh + dept]
    place_forms = [home.zh] + [a for a in home.zh_names if a != home.zh and len(a) >= 2 and not re.search("[省市县区]..", a)]
    for p in place_forms:
        names.append(p + dept)
        if short:
            names.append(p + short)
    level = level_word(home)
    pen = _place_en(home)
    if stem in ("人民政府", "政府"):
        en = f"{pen} {'Provincial' if provincial else 'Municipal' if level == '市' else 'County'} People's Government"
        names += [home.zh + "政府"]
        english = [en, f"People's Government of {home.en}", f"{pen} {'Provincial' if provincial else 'Municipal'} Government"]
    elif en_kind.startswith("Federation"):
        en = f"{pen} {en_kind}"
        english = [en, f"{pen} {'Provincial' if provincial else 'Municipal'} {en_kind}"]
    elif dept.endswith(("委员会",)):
        en = f"{pen} {'Provincial' if provincial else 'Municipal'} {en_kind}"
        english = [en, f"{pen} {en_kind}"]
    elif provincial:
        en = f"{home.en} Department of {en_kind}" if dept.endswith("厅") else f"{pen} Provincial {en_kind} Bureau"
        english = [en, f"{pen} Provincial Department of {en_kind}", f"{pen} Department of {en_kind}"]
    else:
        en = f"{pen} Municipal {en_kind} Bureau" if level == "市" else f"{pen} {en_kind} Bureau"
        english = [en, f"{pen} {en_kind} Bureau", f"{pen} Bureau of {en_kind}"]
    aliases = tuple(dict.fromkeys(n for n in names[1:] + english[1:] if n != names[0]))
    return LocalBody(names[0], en, aliases)


def stem_of(phrase: str) -> str | None:
    """The function stem a department phrase starts with (人力资源社会保障行政部门 → 人力资源社会保障)."""
    for s in STEMS:
        if phrase.startswith(s):
            return s
    return None

"""Generate the gazetteer tables from complete, authoritative lists.

    python scripts/build_gazetteers.py            # writes ontology/gazetteer/{central,organisations,generic,divisions,zones}.tsv
    python scripts/build_gazetteers.py --check    # exit 1 if a written table differs from what would be generated

Sources (each recorded in the first line of its table and in ``ontology/gazetteer/SOURCES.md``):

- central state and party bodies, predecessors with years, functional forms: the official State
  Council organisation list and the 2018 / 2023 reform plans, written as data in
  ``ontology/sources/central_bodies.py``;
- national mass organisations and parties: the same module (``ORG_ROWS``);
- administrative divisions (province, prefecture, county level, GB/T 2260 codes): the ``adcodes.csv``
  table shipped by the ``cpca`` package (MIT licence; data of the National Bureau of Statistics);
  names of the 56 ethnic groups (to derive 恩施州 / 恩施 from 恩施土家族苗族自治州) from the same package;
  English names: official names of the provincial-level divisions, pinyin (``pypinyin``) elsewhere;
- national new areas, pilot free trade zones, named regions: ``ontology/sources/zones.py``.

Short forms of county-level divisions that are ordinary words (合作 for 合作市, 东方 for 东方市) are
dropped: such a short form is kept only if jieba's dictionary does not list it as a frequent non-place
word. A short form shared by divisions of different levels (河北: 河北省, 天津市河北区) goes to the higher. A name shared by two
divisions (朝阳区) is qualified by its parent (北京市朝阳区, 长春市朝阳区) and the bare name is dropped.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import io
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ontology.sources import central_bodies, zones  # noqa: E402

OUT = ROOT / "ontology" / "gazetteer"
HEADER = ["id", "type", "zh", "en", "aliases", "parent", "scheme", "code", "years", "successor"]
#: a short form listed by jieba with another part of speech at least this often is an ordinary word
COMMON_WORD_FREQ = 200

PROVINCE_EN = {
    "11": "Beijing", "12": "Tianjin", "13": "Hebei Province", "14": "Shanxi Province",
    "15": "Inner Mongolia Autonomous Region", "21": "Liaoning Province", "22": "Jilin Province",
    "23": "Heilongjiang Province", "31": "Shanghai", "32": "Jiangsu Province", "33": "Zhejiang Province",
    "34": "Anhui Province", "35": "Fujian Province", "36": "Jiangxi Province", "37": "Shandong Province",
    "41": "Henan Province", "42": "Hubei Province", "43": "Hunan Province", "44": "Guangdong Province",
    "45": "Guangxi Zhuang Autonomous Region", "46": "Hainan Province", "50": "Chongqing",
    "51": "Sichuan Province", "52": "Guizhou Province", "53": "Yunnan Province",
    "54": "Tibet Autonomous Region", "61": "Shaanxi Province", "62": "Gansu Province",
    "63": "Qinghai Province", "64": "Ningxia Hui Autonomous Region", "65": "Xinjiang Uygur Autonomous Region",
    "71": "Taiwan", "81": "Hong Kong Special Administrative Region", "82": "Macao Special Administrative Region",
}
#: one-character abbreviations (简称) of the provincial-level divisions, GB/T 2260 / 国务院 list
PROVINCE_ABBR = {
    "11": "京", "12": "津", "13": "冀", "14": "晋", "15": "蒙", "21": "辽", "22": "吉", "23": "黑", "31": "沪",
    "32": "苏", "33": "浙", "34": "皖", "35": "闽", "36": "赣", "37": "鲁", "41": "豫", "42": "鄂", "43": "湘",
    "44": "粤", "45": "桂", "46": "琼", "50": "渝", "51": "川", "52": "贵", "53": "云", "54": "藏", "61": "陕",
    "62": "甘", "63": "青", "64": "宁", "65": "新", "71": "台", "81": "港", "82": "澳",
}
#: Hong Kong and Macao are not in the cpca table (GB/T 2260 codes 810000, 820000)
EXTRA_DIVISIONS = [("810000", "香港特别行政区"), ("820000", "澳门特别行政区")]
_PSEUDO = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
_SUFFIX_EN = [
    ("特别行政区", "Special Administrative Region"), ("自治区", "Autonomous Region"), ("自治州", "Autonomous Prefecture"),
    ("自治县", "Autonomous County"), ("自治旗", "Autonomous Banner"), ("林区", "Forestry District"), ("地区", "Prefecture"),
    ("新区", "New Area"), ("矿区", "Mining District"), ("特区", "Special District"), ("省", "Province"), ("市", ""), ("县", "County"),
    ("区", "District"), ("旗", "Banner"), ("盟", "League"),
]


def _cpca_resources() -> Path:
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("the cpca package is needed: pip install --no-deps cpca==0.5.5")
    return Path(list(spec.submodule_search_locations)[0]) / "resources"


def _jieba_words() -> dict[str, tuple[int, str]]:
    import jieba

    out = {}
    with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3:
                out[parts[0]] = (int(parts[1]), parts[2])
    return out


def _pinyin(s: str) -> str:
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(s)).capitalize()


def _pinyin_prefix(name: str, n: int) -> str:
    """Pinyin of the first ``n`` characters, read in the context of the whole name (朝阳区 → Chaoyang)."""
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(name)[:n]).capitalize()


def _slug(s: str) -> str:
    from pypinyin import lazy_pinyin

    return re.sub(r"[^a-z0-9]+", "-", "".join(lazy_pinyin(s)).lower()).strip("-")


def _ordinary_word(name: str, words: dict[str, tuple[int, str]]) -> bool:
    freq, pos = words.get(name, (0, "ns"))
    return pos != "ns" and freq >= COMMON_WORD_FREQ


def _stems(name: str, nations: list[str]) -> tuple[str, str, str]:
    """(stem, suffix, ethnic part) of a division name: 恩施土家族苗族自治州 → (恩施, 自治州, 土家族苗族)."""
    for suf, _ in _SUFFIX_EN:
        if name.endswith(suf) and len(name) > len(suf):
            stem = name[: -len(suf)]
            ethnic = ""
            if suf.startswith("自治"):
                m = re.search("(?:" + "|".join(map(re.escape, nations)) + ")+$", stem)
                if m is None:  # 各族 etc.
                    m = re.search("(?:各族)$", stem)
                if m:
                    ethnic, stem = stem[m.start():], stem[: m.start()]
            return stem, suf, ethnic
    return name, "", ""


def _division_table() -> tuple[list[tuple[str, str]], list[str]]:
    """(code, name) rows of the division table (with :data:`EXTRA_DIVISIONS`) and the ethnic-group names."""
    res = _cpca_resources()
    nations = sorted((ln.strip() for ln in (res / "56_nations.csv").read_text(encoding="utf-8").splitlines() if ln.strip()),
                     key=len, reverse=True)
    nations = [n for n in nations if n.endswith("族")] + [n[:-1] for n in nations if n.endswith("族") and len(n) > 2]
    raw = []
    with open(res / "adcodes.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            raw.append((row["adcode"][:6], row["name"]))
    raw += EXTRA_DIVISIONS
    return sorted({c: n for c, n in raw}.items()), nations


def _parent_code(code: str, by_code: dict[str, str]) -> str | None:
    if code.endswith("0000"):
        return None
    if code.endswith("00"):
        return code[:2] + "0000"
    pref = code[:4] + "00"
    return pref if pref in by_code else code[:2] + "0000"


def _division_row(code: str, name: str, nations: list[str], by_code: dict[str, str]) -> dict:
    """One division: level, short forms (恩施州, 孟村县), English name, parent code."""
    level = "province" if code.endswith("0000") else "prefecture" if code.endswith("00") else "county"
    stem, suf, ethnic = _stems(name, nations)
    shorts = []
    if level == "province":
        shorts.append(stem if suf else name.rstrip("市"))
    elif len(stem) >= 2:
        shorts.append(stem)
        if suf == "自治州":
            shorts.append(stem + "州")
        if ethnic and suf in ("自治县", "自治旗"):
            shorts.append(stem + suf[-1])  # 孟村回族自治县 → 孟村县
    if level == "province" and code[:2] in ("11", "12", "31", "50"):
        shorts = [name[:-1]]
    shorts = [s for s in dict.fromkeys(shorts) if s != name]
    en_suffix = dict(_SUFFIX_EN).get(suf, "")
    if level == "province":
        en = PROVINCE_EN[code[:2]]
    else:
        en = (_pinyin_prefix(name, len(stem)) + (" " + _pinyin(ethnic) if ethnic else "") + (" " + en_suffix if en_suffix else "")).strip()
    return {"code": code, "name": name, "level": level, "shorts": shorts, "en": en, "parent": _parent_code(code, by_code),
            "abbr": PROVINCE_ABBR.get(code[:2]) if level == "province" else None}


_RANK = {"province": 0, "prefecture": 1, "county": 2}


def _chinese_names(rows: list[dict], words: dict[str, tuple[int, str]]) -> None:
    """Set each row's ``zh`` and ``aliases``: names shared by several divisions are qualified by the
    parent, and a short form is kept only where it is unambiguous and no ordinary word."""
    from collections import Counter

    full = Counter(r["name"] for r in rows)
    top: dict[str, int] = {}  # a short form shared by divisions of different levels goes to the highest
    for r in rows:
        for s in r["shorts"]:
            top[s] = min(top.get(s, 9), _RANK[r["level"]])
    short = Counter(s for r in rows for s in r["shorts"] if _RANK[r["level"]] == top[s])
    names = {r["code"]: r["name"] for r in rows}
    for r in rows:
        r["aliases"] = []
        qualify = full[r["name"]] > 1 or (_ordinary_word(r["name"], words) and r["parent"])
        r["zh"] = names[r["parent"]] + r["name"] if qualify else r["name"]
        for s in r["shorts"]:
            if _RANK[r["level"]] != top[s] or short[s] != 1 or full[s] != 0:
                continue
            if r["level"] == "county" and _ordinary_word(s, words):
                continue
            r["aliases"].append(s)
        if r["parent"] and r["zh"] == r["name"]:
            r["aliases"].append(names[r["parent"]] + r["name"])  # 保定市涿州市 is also written
        if r["abbr"]:
            r["aliases"].append(r["abbr"])


def _english_names(rows: list[dict]) -> None:
    """Make English names unique: Qiaoxi District (石家庄市桥西区, 邢台市桥西区) is qualified by the parent,
    then by the code."""
    from collections import Counter

    en_count = Counter(r["en"].lower() for r in rows)
    en_of = {r["code"]: r["en"] for r in rows}
    for r in rows:
        if en_count[r["en"].lower()] > 1 and r["parent"]:
            r["en"] = f"{r['en']}, {en_of[r['parent']].removesuffix(' Province')}"
    en_count = Counter(r["en"].lower() for r in rows)
    for r in rows:
        if en_count[r["en"].lower()] > 1:
            r["en"] = f"{r['en']} ({r['code']})"


def _division_ids(rows: list[dict]) -> dict[str, str]:
    """code -> stable id (pinyin slug, higher levels first; a clash takes the code)."""
    ids: dict[str, str] = {}
    taken = {"china"}
    for level in ("province", "prefecture", "county"):
        for r in rows:
            if r["level"] != level:
                continue
            base = _slug(r["shorts"][0] if r["shorts"] else r["name"])
            if level == "province" and r["code"][:2] == "61":
                base = "shaanxi"
            rid = base if base not in taken else f"{base}-{r['code']}"
            taken.add(rid)
            ids[r["code"]] = rid
    return ids


def divisions() -> tuple[list[dict], dict[str, str]]:
    """Gazetteer rows of every division (with 中华人民共和国 first) and the code -> id map."""
    raw, nations = _division_table()
    by_code = {c: n for c, n in raw if n not in _PSEUDO}
    rows = [_division_row(code, name, nations, by_code) for code, name in raw if name not in _PSEUDO]
    _chinese_names(rows, _jieba_words())
    _english_names(rows)
    ids = _division_ids(rows)
    out = [{"id": "china", "type": "place", "zh": "中华人民共和国", "en": "People's Republic of China",
            "aliases": ["中国", "China", "我国"], "parent": "", "scheme": "places", "code": "CN", "years": "", "successor": ""}]
    for r in rows:
        out.append({"id": ids[r["code"]], "type": "place", "zh": r["zh"], "en": r["en"],
                    "aliases": [a for a in dict.fromkeys(r["aliases"]) if a != r["zh"] and a != r["en"]],
                    "parent": ids[r["parent"]] if r["parent"] else "china", "scheme": "places", "code": r["code"],
                    "years": "", "successor": ""})
    return out, ids


def explicit_generics() -> tuple[list[dict], set[str]]:
    out, seen = [], set()
    for line in central_bodies.GENERIC_ROWS.strip().splitlines():
        rid, zh, en, aliases = (f.strip() for f in line.split("|"))
        names = [n for n in dict.fromkeys([zh, *aliases.split(";")]) if n and n not in seen]
        seen.update(names)
        out.append({"id": rid, "type": "generic", "zh": zh, "en": en, "aliases": names[1:], "parent": "",
                    "scheme": "roles", "code": "", "years": "", "successor": ""})
    return out, seen


def central(rows_text: str, etype: str, seen: set[str] | None = None) -> tuple[list[dict], list[dict], set[str]]:
    """Bodies and the generic roles derived from their functional stems (names in ``seen`` are taken)."""
    bodies, generics = [], []
    seen = set() if seen is None else seen
    rows = central_bodies.rows(rows_text)
    rows.sort(key=lambda r: r[5] == "predecessor")  # current bodies take a shared functional form
    for rid, zh, en, aliases, parent, cat, years, successor, stems in rows:
        names = [zh, *[a for a in aliases.split(";") if a]]
        func = []
        for s in [x for x in stems.split(";") if x]:
            forms = [f"国务院{s}行政部门", f"国务院{s}主管部门", f"国务院{s}行政主管部门", f"国务院{s}部门",
                     f"国家{s}行政部门", f"国家{s}主管部门", f"国家{s}部门"]
            if s.endswith("监督管理"):  # the regulators in financial laws: 国务院银行业监督管理机构
                forms.append(f"国务院{s}机构")
            for form in forms:
                if form not in seen:
                    func.append(form)
            generic = [f"{s}部门", f"{s}行政部门", f"{s}主管部门", f"{s}行政主管部门"]
            generic = [g for g in generic if g not in seen]
            if generic:
                seen.update(generic)
                generics.append({"id": "generic-" + _slug(s), "type": "generic", "zh": generic[0],
                                 "en": f"departments in charge of {_pinyin(s)} (generic role; nationally: {en})",
                                 "aliases": generic[1:], "parent": "", "scheme": "roles", "code": "", "years": "",
                                 "successor": ""})
        all_names = [n for n in dict.fromkeys(names + func) if n not in seen]
        seen.update(all_names)
        bodies.append({"id": rid, "type": etype, "zh": zh, "en": en, "aliases": [a for a in all_names if a != zh],
                       "parent": parent, "scheme": cat, "code": "", "years": years, "successor": successor})
    ids = {b["id"] for b in bodies}
    return bodies, generics, ids


def zone_rows(place_ids: dict[str, str]) -> list[dict]:
    out = []
    for rid, zh, en, aliases, code, kind, year in zones.rows():
        out.append({"id": rid, "type": "place", "zh": zh, "en": en, "aliases": [a for a in aliases.split(";") if a],
                    "parent": place_ids.get(code, "china") if code else "china", "scheme": "places", "code": "",
                    "years": f"{year}-" if year else "", "successor": ""})
    return out


def render(rows: list[dict], source: dict) -> str:
    buf = io.StringIO()
    buf.write(f"# generated by scripts/build_gazetteers.py from: {source['name']}; {source['url']} ({source['date']}); "
              f"licence: {source['licence']}\n")
    w = csv.writer(buf, delimiter="\t", lineterminator="\n")
    w.writerow(HEADER)
    for r in rows:
        w.writerow([r["id"], r["type"], r["zh"], r["en"], "|".join(r["aliases"]), r["parent"] or "", r["scheme"] or "",
                    r["code"], r["years"], r["successor"]])
    return buf.getvalue()


def _plain_english(tables: list[list[dict]]) -> None:
    """An English name with an apostrophe (Xiong'an New Area, People's Bank of China) is also typed
    without it (Xiongan New Area, Peoples Bank of China)."""
    for rows in tables:
        for r in rows:
            for name in [r["en"], *r["aliases"]]:
                plain = name.replace("'", "").replace("’", "")
                if plain != name and plain.isascii() and plain not in r["aliases"]:
                    r["aliases"].append(plain)


def _dedupe(tables: list[list[dict]]) -> None:
    """A name used by an earlier row (浦东新区: the district, before the new area) is dropped from later rows."""
    from ontology.gazetteer import normalize_name

    used: set[str] = set()
    for rows in tables:
        for r in rows:
            names = [r["zh"], r["en"], *r["aliases"]]
            keep = [a for a in r["aliases"] if normalize_name(a) not in used]
            for n in (r["zh"], r["en"]):
                if normalize_name(n) in used:
                    raise SystemExit(f"{r['id']}: name {n!r} is already used by another row")
            r["aliases"] = list(dict.fromkeys(a for a in keep if normalize_name(a) not in {normalize_name(r["zh"]), normalize_name(r["en"])}))
            used.update(normalize_name(n) for n in names)


def build() -> dict[str, str]:
    div, place_ids = divisions()
    generic0, seen = explicit_generics()
    gov, generic, _ = central(central_bodies.ROWS, "government_body", seen)
    generic = generic0 + generic
    orgs, _, _ = central(central_bodies.ORG_ROWS, "organisation")
    zone = zone_rows(place_ids)
    _plain_english([gov, orgs, div, zone])
    _dedupe([gov, orgs, generic, div, zone])
    div_source = {"name": "cpca 0.5.5 adcodes.csv (GB/T 2260 codes, National Bureau of Statistics data) + pypinyin 0.55.0",
                  "url": "https://github.com/DQinYuan/chinese_province_city_area_mapper", "date": "2020-11-07",
                  "licence": "MIT (package); official division data"}
    return {
        "central.tsv": render(gov, central_bodies.SOURCE),
        "organisations.tsv": render(orgs, central_bodies.ORG_SOURCE),
        "generic.tsv": render(generic, {**central_bodies.SOURCE, "name": "functional stems of the central bodies"}),
        "divisions.tsv": render(div, div_source),
        "zones.tsv": render(zone, zones.SOURCE),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare with the written tables instead of writing")
    args = ap.parse_args(argv)
    tables = build()
    stale = []
    for name, text in tables.items():
        path = OUT / name
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"{name}: {text.count(chr(10)) - 2} rows")
    if stale:
        print("stale tables: " + ", ".join(stale) + " (run scripts/build_gazetteers.py)")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

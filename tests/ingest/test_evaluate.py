"""Entity extraction against the hand-checked annotation of the whole seed.

The real extractor runs on the real seed parsed by ``ingest.document.parse_file``; the gold
offsets are relative to each measure's text from its printed number (see ``regex_measures``),
and both sides are compared on positions counted in non-whitespace characters, so the
cleaner's whitespace choices do not matter.
"""

from __future__ import annotations

import pytest
from tests.ingest.seed_helpers import GOLD, SEED, nonspace_positions, regex_measures

from ingest.evaluate import GROUPS, errors, evaluate_entities, format_table, load_gold


@pytest.fixture(scope="module")
def gold():
    return load_gold(GOLD)


@pytest.fixture(scope="module")
def predicted():
    from ingest.document import parse_file

    doc = parse_file(SEED)
    ref = regex_measures(SEED.read_text(encoding="utf-8"))
    out = []
    for m in doc.measures:
        text = doc.text[m.start : m.end]
        ns = nonspace_positions(text)
        ref_ns = "".join(ref[m.number].split())
        assert "".join(text.split()) == ref_ns, f"measure {m.number}: parsed text differs from the regex reference"
        for x in m.mentions:
            out.append({"measure": m.number, "start": ns[x.start - m.start], "end": ns[x.end - m.start], "type": x.type})
    return out


def _gold_nonspace(gold):
    ref = regex_measures(SEED.read_text(encoding="utf-8"))
    out = []
    for g in gold:
        ns = nonspace_positions(ref[g["measure"]])
        out.append({**g, "start": ns[g["start"]], "end": ns[g["end"]]})
    return out


def test_gold_is_consistent(gold):
    ref = regex_measures(SEED.read_text(encoding="utf-8"))
    assert sorted(ref) == list(range(1, 19)), sorted(ref)
    assert len(gold) > 200, len(gold)
    for g in gold:
        assert ref[g["measure"]][g["start"] : g["end"]] == g["text"], g
        assert g["type"] in {
            "vocational_college", "university", "school", "government_body", "enterprise", "park",
            "alliance", "industry", "place", "programme", "generic",
        }, g


def test_institutions_and_government_bodies_meet_thresholds(gold, predicted):
    results = evaluate_entities(_gold_nonspace(gold), predicted)
    print("\n" + format_table(results))
    for group in ("institution", "government", "institution+government"):
        r = results[group]
        assert r["precision"] >= 0.95, f"{group} precision {r['precision']} < 0.95: {errors(_gold_nonspace(gold), predicted)}"
        assert r["recall"] >= 0.90, f"{group} recall {r['recall']} < 0.90: {errors(_gold_nonspace(gold), predicted)}"


def test_every_group_reported(gold, predicted):
    results = evaluate_entities(_gold_nonspace(gold), predicted)
    assert set(GROUPS) <= set(results), results.keys()
    assert results["all"]["tp"] + results["all"]["fn"] == len(gold)


def test_scores_count_type_mismatch_as_error():
    gold = [{"measure": 1, "start": 0, "end": 3, "type": "park"}]
    pred = [{"measure": 1, "start": 0, "end": 3, "type": "place"}]
    r = evaluate_entities(gold, pred)
    assert (r["park"]["fn"], r["place"]["fp"], r["all"]["tp"]) == (1, 1, 0), r


def test_command_prints_the_table(capsys):
    from ingest.evaluate import main

    assert main([str(SEED), str(GOLD)]) == 0
    out = capsys.readouterr().out
    assert "institution+government" in out and "precision" in out, out

from __future__ import annotations

import pytest

from core.errors import BadInputError
from search.query import MAX_QUERY_CHARS, analyse, link_entities

LABELS = {
    "河北软件职业技术学院": ["e:hs"],
    "河北软件职院": ["e:hs"],
    "河北": ["e:hebei"],
    "hebei software vocational college": ["e:hs"],
    "ai": ["e:ai"],
}


@pytest.mark.parametrize("q,intent", [
    ("哪些措施涉及河北软件职业技术学院", "involving"),
    ("河北软件职院的措施", "involving"),
    ("Which measures involve Hebei Software Vocational College?", "involving"),
    ("谁负责教师培训", "responsible"),
    ("who is responsible for teacher training", "responsible"),
    ("到2022年的目标", "targets_due"),
    ("targets due by 2025", "targets_due"),
    ("双师型教师队伍建设", "free_text"),
    ("哪些措施涉及河北软件职业技术学院的国际化办学", "free_text"),
])
def test_intents(q, intent):
    qa = analyse(q, LABELS)
    assert qa.intent == intent, f"{q!r}: expected {intent}, got {qa.intent}"


def test_longest_match_and_offsets():
    q = "支持河北软件职业技术学院和河北的合作"
    found = link_entities(q, LABELS)
    assert [(e.text, e.iris) for e in found] == [("河北软件职业技术学院", ["e:hs"]), ("河北", ["e:hebei"])]
    assert all(q[e.start:e.end] == e.text for e in found)


def test_prepared_matcher_links_as_the_plain_index():
    from search.query import LabelMatcher

    matcher = LabelMatcher(LABELS)
    for q in ("支持河北软件职业技术学院和河北的合作", "AI and robots", "the paid plan", "哪些措施涉及河北"):
        assert link_entities(q, matcher) == link_entities(q, LABELS), q
        assert analyse(q, matcher).intent == analyse(q, LABELS).intent, q


def test_latin_labels_need_word_boundaries():
    assert link_entities("the paid plan", LABELS) == []
    assert [e.iris for e in link_entities("AI and robots", LABELS)] == [["e:ai"]]


@pytest.mark.parametrize("q", ["", "   ", "？？？！！！", "。，、；：", "\x00\x01", "🙂🙂"])
def test_empty_or_punctuation_only(q):
    assert analyse(q, LABELS).empty, q


def test_long_query_truncated_or_refused():
    q = "职业教育" * 2500
    qa = analyse(q, LABELS)
    assert qa.truncated and len(qa.text) == MAX_QUERY_CHARS, (qa.truncated, len(qa.text))
    with pytest.raises(BadInputError, match=str(MAX_QUERY_CHARS)):
        analyse(q, LABELS, strict=True)


def test_sparql_looking_text_is_text():
    qa = analyse("SELECT * WHERE { ?s ?p ?o } ; DROP ALL", LABELS)
    assert not qa.empty and qa.intent == "free_text", qa


def test_non_string_rejected():
    with pytest.raises(BadInputError, match="must be text"):
        analyse(b"bytes", LABELS)  # type: ignore[arg-type]


def test_lone_surrogates_do_not_crash():
    qa = analyse("职业\udcff教育", LABELS)
    assert "职业" in qa.text

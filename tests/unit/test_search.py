"""catalogues/search.py: finding indicators in a practitioner's words, against the real catalogues (the
misses reported in issue 16), the shared vocabulary, highlighting and the "nothing found — try …" hint.
Pure: no database."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from catalogues import search as search_module
from catalogues.search import VocabularyError, highlight, parse, parse_vocabulary, search, tokens, vocabulary
from tests.factories import ROOT, SLUGS
from tests.factories import catalogue as cat


def live(slug):
    return [i for i in cat(slug).indicators if not i.retired and i.applies_to != "unborn"]


def found(slug, query):
    return {h.indicator.id: h.indicator.text for h in search(live(slug), query).hits}


def text(slug, indicator_id):
    return next(i.text for i in cat(slug).indicators if i.id == indicator_id)


# --- the misses reported in issue 16 ---------------------------------------------------------------

def test_hungry_finds_food_warmth_and_basics_and_diet_hygiene_clothing():
    sefton = found("sefton", "hungry")
    assert "Neglect where food, warmth and other basics often not available" in sefton.values()
    assert "Concern re diet/ hygiene/ clothing" in sefton.values()
    knowsley = found("knowsley", "hungry")
    assert text("knowsley", "kno-phys-l3-03") in knowsley.values()  # "... e.g. food warmth and other basics ..."
    assert text("knowsley", "kno-phys-l3-04") in knowsley.values()  # "Concerns about diet / hygiene / clothing ..."


def test_hungry_narrows_the_list_to_a_handful():
    """Not the 47 items reported (or all 370): only food and diet."""
    sefton = found("sefton", "hungry")
    assert 3 <= len(sefton) <= 12
    assert all(any(w in t.lower() for w in ("food", "diet", "hungry", "nutrition")) for t in sefton.values())


def test_unwashed_finds_hygiene_and_clothing():
    sefton = found("sefton", "unwashed")
    assert "Good level of personal hygiene" in sefton.values()
    assert "Concern re diet/ hygiene/ clothing" in sefton.values()
    assert "Clothing is regularly unwashed & smelly" in found("stoke-on-trent", "unwashed").values()


def test_absence_finds_attendance_and_persistent_absence():
    sefton = found("sefton", "absence")
    assert "Persistently absent – over 10%" in sefton.values()
    assert "Unexplained and infrequent absence from school" in sefton.values()
    assert any("school attendance" in t for t in sefton.values())


def test_off_school_is_attendance_not_exclusion():
    sefton = found("sefton", "off school")
    assert "Persistently absent – over 10%" in sefton.values()
    marked = {h.indicator.text[a:b].lower() for h in search(live("sefton"), "off school").hits for a, b in h.spans}
    assert marked and not any("exclu" in m for m in marked)


def test_word_order_does_not_matter():
    forwards, backwards = found("sefton", "mental health"), found("sefton", "health mental")
    assert forwards and forwards == backwards
    assert "Mental Health concerns – child is struggling" in backwards.values()


def test_every_word_must_match():
    both = set(found("sefton", "hygiene diet"))
    assert both and both <= set(found("sefton", "hygiene")) & set(found("sefton", "diet"))
    assert found("sefton", "hungry bruise") == {}


def test_sleep_finds_routines_where_the_guidance_has_them_and_never_a_conclusion():
    halton = found("halton", "sleep")
    assert "Poor home routines" in halton.values() and "No home routine / boundaries" in halton.values()
    for slug in SLUGS:
        said = {t.stem for found_text in found(slug, "mum sleeps all day").values() for t in tokens(found_text)}
        assert not said & {"mental", "depress", "anxieti"}, "sleeping is not mapped to mental health"


def test_forms_of_a_word_are_one_word():
    assert found("sefton", "sleeping") == found("sefton", "sleep")
    assert found("halton", "injuries") == found("halton", "injury")


def test_the_last_word_matches_while_it_is_typed_but_not_once_finished():
    assert "Persistent reports of child presenting as hungry / scavenging for food, at risk due to being " \
           "overweight / underweight." in found("sefton", "hung").values()
    assert found("sefton", "hung ") == {}


def test_the_vocabulary_only_adds_to_what_the_words_find():
    for query in ("hungry", "absent", "clothing", "missing", "bullied", "behaviour"):
        own = {i.id for i in live("sefton") if all(
            any(t.stem == q.stem for t in tokens(i.text)) for q in tokens(query))}
        assert own <= set(found("sefton", query)), query


def test_keywords_are_searched_but_not_shown_as_guidance():
    halton = found("halton", "NAI")
    assert halton and all("NAI" not in t for t in halton.values())


def test_a_blank_query_finds_everything_unmarked():
    result = search(live("sefton"), "  ")
    assert len(result.hits) == len(live("sefton")) and not any(h.spans for h in result.hits)


# --- highlighting ----------------------------------------------------------------------------------

def test_hits_say_which_words_matched():
    hit = next(h for h in search(live("sefton"), "hungry").hits
               if h.indicator.text.startswith("Neglect where food"))
    assert [hit.indicator.text[a:b] for a, b in hit.spans] == ["food"]
    assert str(hit.highlighted()) == "Neglect where <mark>food</mark>, warmth and other basics often not available"


def test_a_guidance_phrase_is_marked_whole_and_word_order_marks_both_words():
    hit = next(h for h in search(live("sefton"), "health mental").hits
               if h.indicator.text == "Mental Health concerns – child is struggling")
    assert [hit.indicator.text[a:b] for a, b in hit.spans] == ["Mental Health"]


def test_highlighting_escapes_everything_else():
    assert highlight("<b>Food</b> & drink", [(3, 7)]) == "&lt;b&gt;<mark>Food</mark>&lt;/b&gt; &amp; drink"
    assert highlight("a food", [(2, 6), (2, 4)]) == "a <mark>food</mark>", "overlaps merge"


# --- nothing found: try … --------------------------------------------------------------------------

def test_a_misspelling_suggests_the_word():
    result = search(live("sefton"), "hungy")
    assert result.hits == [] and "hungry" in result.suggestions


def test_words_that_find_nothing_together_are_suggested_alone():
    assert {"hungry", "bruise"} <= set(search(live("sefton"), "hungry bruise").suggestions)


@pytest.mark.parametrize("slug", SLUGS)
def test_nonsense_gets_suggestions_that_each_find_something(slug):
    result = search(live(slug), "xqzzv")
    assert result.hits == [] and result.suggestions
    assert all(search(live(slug), s).hits for s in result.suggestions)


def test_nothing_is_suggested_when_something_is_found():
    assert search(live("sefton"), "hungry").suggestions == []


# --- the vocabulary --------------------------------------------------------------------------------

def test_every_guidance_term_occurs_in_some_partnerships_indicators():
    """A term no guidance uses finds nothing: a typo or a conclusion, not the guidance's word."""
    everything = [i for slug in SLUGS for i in cat(slug).indicators if not i.retired]
    missing = [f"{c.id}: {term}" for c in vocabulary() for term in c.terms
               if not search(everything, term + " ").hits]
    assert missing == []


def test_concepts_have_stable_unique_ids_and_both_kinds_of_words():
    concepts = vocabulary()
    assert len({c.id for c in concepts}) == len(concepts) >= 20
    assert all(c.name and c.everyday and c.terms for c in concepts)


def test_a_phrase_in_the_vocabulary_is_one_unit_in_any_order():
    assert [u.text for u in parse("health mental")] == ["mental health"]
    assert [(u.text, [c.id for c in u.concepts]) for u in parse("mum sleeps all day")] == [
        ("sleeps all day", ["sleep_routines"])]


@pytest.mark.parametrize("text, problem", [
    ('[[concept]]\nid = "Food"\nname = "x"\neveryday = ["a1"]\nterms = ["b1"]\n', "id must be"),
    ('[[concept]]\nid = "food"\nname = "x"\neveryday = ["hungry"]\nterms = []\n', "needs a name"),
    ('[[concept]]\nid = "food"\nname = "x"\neveryday = ["hungry"]\nterms = ["food"]\nmeans = "x"\n', "unknown field"),
    ('[[concept]]\nid = "a"\nname = "x"\neveryday = ["b1"]\nterms = ["c1"]\n' * 2, "id must be unique"),
    ('[[concept]]\nid = "food"\nname = "x"\neveryday = ["the"]\nterms = ["food"]\n', "no searchable word"),
])
def test_a_malformed_vocabulary_is_refused_naming_the_concept(text, problem):
    with pytest.raises(VocabularyError, match=problem):
        parse_vocabulary(text)


def test_the_vocabulary_is_read_once():
    search_module.vocabulary.cache_clear()
    vocabulary()
    vocabulary()
    assert search_module.vocabulary.cache_info().misses == 1


def test_the_vocabulary_review_page_is_current():
    out = StringIO()
    call_command("vocabulary_report", stdout=out)
    page = ROOT / "docs" / "search-vocabulary.md"
    assert page.read_text(encoding="utf-8") == out.getvalue(), \
        "run: python manage.py vocabulary_report > docs/search-vocabulary.md"

"""Level schemes as data (catalogues/level_schemes.py, Level in catalogues/schema.py): each level's national
stage from its document, a three-level "Family Help" scheme and a scheme with sub-levels 4a/4b/4c that load,
suggest, show, print and map to the four-level schemes. The two fictional catalogues live in
tests/catalogues/data/ and are published only inside these tests (`make run` never loads them)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from django.urls import reverse
from pydantic import ValidationError
from pypdf import PdfReader

from authorities.models import Authority
from catalogues import services as catalogue_services
from catalogues.engine import suggest
from catalogues.files import read_catalogue_file
from catalogues.level_schemes import band_of, corresponding, stage_name
from catalogues.schema import Catalogue
from tests.factories import SLUGS, ready_draft
from tests.factories import catalogue as real

DATA = Path(__file__).parent / "data"


def fictional(name: str) -> Catalogue:
    return read_catalogue_file(DATA / f"{name}.json")


FAMILY_HELP, SUB_LEVELS = "fictional-family-help", "fictional-sub-levels"

# Read from each document (who leads, which assessment); the sentence is in each level's band_basis.
REAL_BANDS = {
    "halton": ["universal", "early_help", "child_in_need", "child_protection"],
    "herefordshire": ["universal", "early_help", "early_help", "child_protection"],
    "knowsley": ["universal", "early_help", "early_help", "child_protection"],
    "sefton": ["universal", "early_help", "early_help", "child_protection"],
    "stoke-on-trent": ["universal", "early_help", "early_help", "child_protection"],
}


@pytest.mark.parametrize("slug", SLUGS)
def test_every_real_level_carries_the_band_its_document_gives(slug):
    c = real(slug)
    assert [band_of(c, lv) for lv in c.levels] == REAL_BANDS[slug]
    for lv in c.levels:
        assert lv.band_basis.sentence and lv.code is None
    # Where a top level covers s17 as well as s47, the catalogue says so.
    assert ("child_in_need" in c.levels[-1].bands) == (slug != "halton")


def _refused(content: dict) -> str:
    with pytest.raises(ValidationError) as caught:
        Catalogue.model_validate_json(json.dumps(content))
    return str(caught.value)


def _content(name: str = SUB_LEVELS) -> dict:
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))


def test_a_band_is_required_and_must_be_a_national_stage():
    content = _content()
    del content["levels"][0]["band"]
    assert "levels.0.band" in _refused(content)
    content = _content()
    content["levels"][0]["band"] = "family_help"
    assert "levels.0.band" in _refused(content)


def test_bands_must_not_go_down_as_levels_go_up():
    content = _content()
    content["levels"][2]["band"] = "universal"
    assert "stages must not go down as levels go up" in _refused(content)


def test_the_top_level_is_child_protection_and_only_the_top():
    content = _content()
    content["levels"][-1]["band"] = "child_in_need"
    assert "the top level's band must be 'child_protection'" in _refused(content)
    content = _content()
    content["levels"][4]["band"] = "child_protection"
    assert "only the top level may be 'child_protection'" in _refused(content)


def test_level_codes_are_unique_and_shaped_like_4a():
    content = _content()
    content["levels"][4]["code"] = "4a"
    assert "level code '4a' is already used by level 4" in _refused(content)
    content = _content()
    content["levels"][1]["code"] = "1"  # the first level already shows as "1"
    assert "codes must be unique" in _refused(content)
    content = _content()
    content["levels"][3]["code"] = "Level 4a"
    assert "levels.3.code" in _refused(content)


def test_a_level_covers_adjacent_stages_only():
    content = _content(FAMILY_HELP)
    content["levels"][1]["also_bands"] = ["child_protection"]
    problem = _refused(content)
    assert "the stages a level covers must be adjacent" in problem


@pytest.mark.parametrize("name", [FAMILY_HELP, SUB_LEVELS])
def test_the_fictional_schemes_load_and_their_worked_examples_hold(name):
    c = fictional(name)
    for ex in c.worked_examples:
        assert suggest(c, ex.ticks).level_number == ex.expected_level, ex.id


def test_sub_levels_are_named_by_their_code_everywhere_the_engine_speaks():
    c = fictional(SUB_LEVELS)
    assert [lv.label for lv in c.levels][3:] == ["Level 4a – Child in need",
                                                 "Level 4b – Child in need – complex disability",
                                                 "Level 4c – Child protection"]
    s = suggest(c, ["sl-a-01", "sl-4b-01"])
    assert s.level is not None and s.level.label.startswith("Level 4b") and s.as_json()["level_label"].startswith("Level 4b")
    s = suggest(c, ["sl-a-01", "sl-4c-01"])
    assert s.level is not None and s.level.short == "Level 4c" and s.child_protection
    fh = fictional(FAMILY_HELP)
    s = suggest(fh, ["fh-cp-01"])  # listed under Family Help, a child-protection concern lifts it to the top
    flag = next(f for f in s.flags if f.kind == "child_protection")
    assert "(listed at Level 2, it meets Level 3 on its own)" in flag.message
    assert s.level is not None and s.level.label == "Level 3 – Child protection"


def test_cumulative_prompt_names_the_next_sub_level():
    content = _content()
    extra = [{"id": f"sl-4a-x{n}", "text": f"Another child-in-need concern {n} (fictional)", "level": 4,
              "domain": domain, "source": "Fictional guidance"} for n, domain in enumerate(["child", "family", "child"])]
    content["indicators"] += extra
    c = Catalogue.model_validate_json(json.dumps(content))
    s = suggest(c, [e["id"] for e in extra])
    flag = next(f for f in s.flags if f.kind == "cumulative")
    assert flag.message.startswith("3 indicators at Level 4a across 2 domains") and "Level 4b (" in flag.message


def test_mapping_between_schemes():
    knowsley, halton, fh, sub = real("knowsley"), real("halton"), fictional(FAMILY_HELP), fictional(SUB_LEVELS)

    def codes(levels):
        return [lv.shown_code for lv in levels]

    # Levels 2 and 3 of a four-level scheme are Family Help; Family Help is also a child in need at Knowsley's
    # Level 4 (s17), but not Knowsley's Level 1.
    assert codes(corresponding(knowsley, 2, fh)) == codes(corresponding(knowsley, 3, fh)) == ["2"]
    assert codes(corresponding(halton, 3, fh)) == ["2"]  # Halton's s17 level
    assert codes(corresponding(fh, 2, knowsley)) == ["2", "3", "4"]
    assert codes(corresponding(fh, 2, halton)) == ["2", "3"]
    # Level 4 (s17 and s47) is 4a/4b/4c; Halton's s47-only Level 4 is 4c; 4a is Halton's Level 3.
    assert codes(corresponding(knowsley, 4, sub)) == ["4a", "4b", "4c"]
    assert codes(corresponding(halton, 4, sub)) == ["4c"]
    assert codes(corresponding(sub, 4, halton)) == ["3"]
    assert codes(corresponding(sub, 6, knowsley)) == ["4"]
    assert codes(corresponding(fh, 3, sub)) == ["4c"]
    assert stage_name(knowsley.levels[3]) == "Child in need (statutory social care) or child protection"


def test_a_stage_the_other_scheme_lacks_maps_to_the_nearest_above():
    content = _content(FAMILY_HELP)
    content["levels"][1]["also_bands"] = []
    narrow = Catalogue.model_validate_json(json.dumps(content))
    # Halton's Level 3 (s17) has no level of its own stage in `narrow`: the next stage up answers.
    assert [lv.number for lv in corresponding(real("halton"), 3, narrow)] == [3]


def _publish(name: str) -> Authority:
    catalogue_services.publish_catalogue(fictional(name), source=f"tests/catalogues/data/{name}.json")
    return Authority.objects.get(slug=fictional(name).authority.slug)


def _pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


@pytest.mark.django_db
def test_a_sub_level_scheme_is_published_assessed_and_printed_with_its_codes(people, client):
    authority = _publish(SUB_LEVELS)
    d = ready_draft(people.alice, authority, level=5)  # 4b
    client.force_login(people.alice)
    page = client.get(reverse("assessment-detail", args=[d.assessment.pk])).content.decode()
    suggested = re.search(r'data-testid="suggested-level"><strong>([^<]*)<', page)
    assert suggested and suggested.group(1) == "Level 4b – Child in need – complex disability"
    assert "(Level 4b)" in page and "Level 5" not in page
    draft_page = client.get(reverse("draft-detail", args=[d.pk])).content.decode()
    assert "(Level 4b)" in draft_page and "Level 5" not in draft_page
    text = _pdf_text(client.get(reverse("draft-pdf", args=[d.pk]), {"purpose": "review"}).content)
    assert "Level 4b – Child in need – complex disability" in text
    assert "(Level 4b)" in text and "Level 5" not in text


@pytest.mark.django_db
def test_a_three_level_scheme_is_published_assessed_and_printed(people, client):
    authority = _publish(FAMILY_HELP)
    d = ready_draft(people.alice, authority, level=2)
    client.force_login(people.alice)
    page = client.get(reverse("assessment-detail", args=[d.assessment.pk])).content.decode()
    assert "Level 2 – Family Help" in page
    text = _pdf_text(client.get(reverse("draft-pdf", args=[d.pk]), {"purpose": "review"}).content)
    assert "Level 2 – Family Help" in text and "(Level 2)" in text

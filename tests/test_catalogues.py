"""Issue: catalogues. Fidelity to the seed documents, refusal of bad files, versions, export."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from catalogues import services
from catalogues.files import CatalogueFileError, parse_catalogue
from catalogues.models import CatalogueVersion
from tests.fidelity import SEEDS, load_repairs, unfaithful

CATALOGUES = sorted((Path(__file__).resolve().parent.parent / "fixtures" / "catalogues").glob("*.json"))
SLUGS = [p.stem for p in CATALOGUES]


def test_there_is_one_catalogue_per_partnership():
    assert SLUGS == ["halton", "herefordshire", "knowsley", "sefton", "stoke-on-trent"]


@pytest.mark.skipif(not SEEDS.exists(), reason="the seed documents (../shared/seeds) are not beside this checkout")
@pytest.mark.parametrize("path", CATALOGUES, ids=SLUGS)
def test_every_quoted_text_occurs_in_the_seed_document(path):
    assert unfaithful(path) == []


@pytest.mark.parametrize("path", CATALOGUES, ids=SLUGS)
def test_deliberate_repairs_are_listed_with_a_reason(path):
    # Every repair names the seed's own text and why it was changed; catalogue notes record it too.
    for text, repair in load_repairs(path.stem).items():
        assert repair["reason"].strip() and repair["seed"].strip() and repair["seed"] != text


@pytest.mark.parametrize("path", CATALOGUES, ids=SLUGS)
def test_each_catalogue_covers_every_level_and_domain(path):
    cat = parse_catalogue(path.read_bytes(), path.name)
    assert [lv.number for lv in cat.levels] == [1, 2, 3, 4]
    for lv in cat.levels:
        assert lv.response.text and lv.consent.text
        assert any(i.level == lv.number for i in cat.indicators), f"no indicator at level {lv.number}"
    for d in cat.domains:
        assert any(i.domain == d.id for i in cat.indicators), f"domain {d.id} has no indicator"
    assert any(i.immediate_danger for i in cat.indicators)
    assert cat.worked_examples


def _good() -> dict:
    return json.loads(CATALOGUES[0].read_text(encoding="utf-8"))


def _refusal(data: bytes) -> list[str]:
    with pytest.raises(CatalogueFileError) as exc:
        parse_catalogue(data, "bad.json")
    return [str(p) for p in exc.value.problems]


def _bytes(d: dict) -> bytes:
    return json.dumps(d, indent=2).encode()


def test_missing_field_is_refused_with_its_place():
    d = _good()
    del d["indicators"][3]["text"]
    [problem] = _refusal(_bytes(d))
    assert problem.startswith(f"indicators[3](id={d['indicators'][3]['id']}).text (line ")
    assert "Field required" in problem


def test_duplicate_id_is_refused():
    d = _good()
    d["indicators"][5]["id"] = d["indicators"][4]["id"]
    problems = _refusal(_bytes(d))
    assert any("indicators[5].id" in p and "duplicate indicator id" in p for p in problems)


def test_unknown_level_is_refused():
    d = _good()
    d["indicators"][0]["level"] = 7
    problems = _refusal(_bytes(d))
    assert any("indicators[0]" in p and "names level 7, which does not exist" in p for p in problems)


def test_wrong_type_is_refused():
    d = _good()
    d["indicators"][0]["level"] = "two"
    problems = _refusal(_bytes(d))
    assert any(p.startswith("indicators[0]") and "level" in p and "integer" in p for p in problems)


def test_dangling_reference_is_refused():
    d = _good()
    d["emergency"]["contact_ids"] = ["no-such-contact"]
    assert _refusal(_bytes(d)) == ["emergency.contact_ids: names unknown contact 'no-such-contact'"]


def test_extra_field_is_refused():
    d = _good()
    d["indicators"][0]["colour"] = "red"
    problems = _refusal(_bytes(d))
    assert any("colour" in p and "Extra inputs are not permitted" in p for p in problems)


def test_invalid_utf8_is_refused_with_its_line():
    data = b'{\n  "schema_version": 1,\n  "x": "\xff"\n}'
    assert _refusal(data) == ["line 3, byte 33: not valid UTF-8; save the file as UTF-8"]


def test_broken_json_is_refused_with_line_and_column():
    [problem] = _refusal(b'{\n  "schema_version": 1,\n  oops\n}')
    assert problem.startswith("line 3, column 3: not valid JSON")


@pytest.mark.django_db
def test_a_bad_file_is_refused_whole_and_nothing_is_loaded(tmp_path, monkeypatch):
    before = CatalogueVersion.objects.count()
    good = _good()
    bad = _good()
    bad["authority"]["slug"] = "zzz-bad"
    bad["indicators"][0]["level"] = 9
    good["authority"]["slug"] = "aaa-good"
    (tmp_path / "aaa-good.json").write_text(json.dumps(good))
    (tmp_path / "zzz-bad.json").write_text(json.dumps(bad))
    monkeypatch.setattr(services, "CATALOGUE_DIR", tmp_path)
    with pytest.raises(CommandError) as exc:
        call_command("load_catalogues", stdout=StringIO())
    assert "zzz-bad.json: refused" in str(exc.value)
    assert "indicators[0]" in str(exc.value)
    assert CatalogueVersion.objects.count() == before  # the good file was not loaded either


@pytest.mark.django_db
def test_loading_is_idempotent_and_a_change_makes_a_new_version(tmp_path, monkeypatch):
    d = _good()
    slug = d["authority"]["slug"]
    monkeypatch.setattr(services, "CATALOGUE_DIR", tmp_path)
    (tmp_path / f"{slug}.json").write_text(json.dumps(d))
    current = CatalogueVersion.objects.filter(authority__slug=slug).count()
    call_command("load_catalogues", slug, stdout=StringIO())
    assert CatalogueVersion.objects.filter(authority__slug=slug).count() == current  # unchanged
    d["indicators"][0]["text"] = d["indicators"][0]["text"] + " (revised)"
    (tmp_path / f"{slug}.json").write_text(json.dumps(d))
    out = StringIO()
    call_command("load_catalogues", slug, stdout=out)
    assert f"{slug}: loaded as version {current + 1}" in out.getvalue()
    versions = CatalogueVersion.objects.filter(authority__slug=slug).order_by("number")
    assert versions.count() == current + 1
    ind_id = d["indicators"][0]["id"]
    old, new = versions.first().catalogue, versions.last().catalogue
    assert next(i for i in new.indicators if i.id == ind_id).text.endswith("(revised)")
    assert not next(i for i in old.indicators if i.id == ind_id).text.endswith("(revised)")


@pytest.mark.django_db
def test_dropping_an_indicator_is_refused_retiring_it_is_not(tmp_path, monkeypatch):
    d = _good()
    slug = d["authority"]["slug"]
    monkeypatch.setattr(services, "CATALOGUE_DIR", tmp_path)
    dropped = d["indicators"].pop()
    d["worked_examples"] = [w for w in d["worked_examples"] if dropped["id"] not in w["ticks"]]
    for note in d["notes"]:  # so the only problem left is the dropped id itself
        note["ids"] = [i for i in note["ids"] if i != dropped["id"]]
    (tmp_path / f"{slug}.json").write_text(json.dumps(d))
    with pytest.raises(CommandError, match="keep it with \"retired\": true"):
        call_command("load_catalogues", slug, stdout=StringIO())
    d["indicators"].append(dropped | {"retired": True})
    (tmp_path / f"{slug}.json").write_text(json.dumps(d))
    call_command("load_catalogues", slug, stdout=StringIO())


def test_check_mode_validates_without_a_database():
    out = StringIO()
    call_command("load_catalogues", "--check", stdout=out)
    for slug in SLUGS:
        assert f"{slug}.json: valid" in out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("slug", SLUGS)
def test_export_loads_back_as_the_same_catalogue(slug):
    out = StringIO()
    call_command("export_catalogue", slug, stdout=out)
    again = parse_catalogue(out.getvalue().encode(), f"{slug}.json")
    assert again == CatalogueVersion.objects.current_for_slug(slug).catalogue


@pytest.mark.django_db
def test_flat_export_lists_indicators_with_integer_levels():
    out = StringIO()
    call_command("export_catalogue", "halton", "--flat", stdout=out)
    flat = json.loads(out.getvalue())
    assert flat["authority"] == "halton" and flat["version"] >= 1
    first = flat["indicators"][0]
    assert set(first) == {"id", "level", "domain", "subdomain", "text"}
    assert all(isinstance(i["level"], int) for i in flat["indicators"])


def test_catalogue_counts_page_is_current():
    out = StringIO()
    call_command("catalogue_report", stdout=out)
    page = Path(__file__).resolve().parent.parent / "docs" / "catalogues.md"
    assert page.read_text(encoding="utf-8") == out.getvalue(), "run: python manage.py catalogue_report > docs/catalogues.md"

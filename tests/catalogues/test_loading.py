"""Loading the catalogue files (load_catalogues) and exporting them again (export_catalogue): a file is
loaded whole or not at all, a change makes a new version, an indicator is retired and never dropped."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from catalogues import services
from catalogues.files import parse_catalogue
from catalogues.models import CatalogueVersion
from tests.factories import CATALOGUE_DIR, CATALOGUE_FILES, SLUGS


def _good() -> dict:
    return json.loads(CATALOGUE_FILES[0].read_text(encoding="utf-8"))


def test_there_is_one_catalogue_per_partnership():
    assert SLUGS == ["halton", "herefordshire", "knowsley", "sefton", "stoke-on-trent"]


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
def test_a_refused_load_leaves_nothing_behind(tmp_path, monkeypatch):
    before = CatalogueVersion.objects.count()
    good = (CATALOGUE_DIR / "halton.json").read_bytes()
    (tmp_path / "halton.json").write_bytes(good[: len(good) // 2])
    monkeypatch.setattr(services, "CATALOGUE_DIR", tmp_path)
    with pytest.raises(CommandError):
        call_command("load_catalogues")
    assert CatalogueVersion.objects.count() == before


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
    out = StringIO()
    call_command("load_catalogues", slug, stdout=out)
    current = CatalogueVersion.objects.current_for_slug(slug)
    assert f"{slug}: loaded as version {current.number}" in out.getvalue()
    assert next(i for i in current.catalogue.indicators if i.id == dropped["id"]).retired is True


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
    assert flat["authority"] == "halton"
    assert flat["version"] == CatalogueVersion.objects.current_for_slug("halton").number
    first = flat["indicators"][0]
    assert set(first) == {"id", "level", "domain", "subdomain", "text"}
    assert all(isinstance(i["level"], int) for i in flat["indicators"])
    assert len(flat["indicators"]) == len(CatalogueVersion.objects.current_for_slug("halton").catalogue.indicators)

"""catalogues/models.py: the per-process cache of parsed catalogues is a bounded LRU, so a full cache
drops only the version least recently used and the ones in use stay parsed."""

from __future__ import annotations

import pytest

from catalogues import models
from catalogues.models import CatalogueVersion, ParsedCatalogues
from tests import factories


def test_the_least_recently_used_entry_goes_first_and_the_others_stay():
    cache = ParsedCatalogues(maxsize=3)
    a, b, c, d = (factories.catalogue(slug) for slug in ("halton", "herefordshire", "knowsley", "sefton"))
    cache.put((1, "a"), a)
    cache.put((2, "b"), b)
    cache.put((3, "c"), c)
    assert cache.get((1, "a")) is a  # now (2, "b") is the least recently used
    cache.put((4, "d"), d)
    assert cache.get((2, "b")) is None
    assert cache.get((1, "a")) is a and cache.get((3, "c")) is c and cache.get((4, "d")) is d
    assert len(cache.keys()) == 3


def test_the_default_cache_is_small():
    assert models._PARSED.maxsize <= 32


@pytest.mark.django_db
def test_versions_in_use_stay_parsed_when_the_cache_fills(monkeypatch):
    monkeypatch.setattr(models, "_PARSED", ParsedCatalogues(maxsize=2))
    first, second, third = (CatalogueVersion.objects.current_for_slug(slug)
                            for slug in ("halton", "knowsley", "sefton"))
    assert first and second and third
    kept = first.catalogue
    assert second.catalogue.authority.slug == "knowsley"
    assert CatalogueVersion.objects.get(pk=first.pk).catalogue is kept  # a fresh instance, same parse
    assert third.catalogue.authority.slug == "sefton"
    assert [pk for pk, _ in models._PARSED.keys()] == [first.pk, third.pk]
    assert CatalogueVersion.objects.get(pk=first.pk).catalogue is kept


@pytest.mark.django_db
def test_an_edited_draft_is_parsed_again():
    version = CatalogueVersion.objects.current_for_slug("halton")
    assert version
    before = version.catalogue
    authority = dict(version.content["authority"], name="Halton (edited in a test)")
    changed = dict(version.content, authority=authority)
    version.content, version.content_hash = changed, models.content_hash(changed)
    assert version.catalogue is not before and version.catalogue.authority.name == "Halton (edited in a test)"

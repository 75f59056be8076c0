"""The parsed catalogue's id lookups: built once, and never carried into a copy with other content."""

from django.conf import settings

from catalogues.files import read_catalogue_file


def _catalogue():
    return read_catalogue_file(settings.BASE_DIR / "fixtures" / "catalogues" / "sefton.json")


def test_lookups_hold_every_indicator_and_contact_by_id():
    c = _catalogue()
    assert list(c.indicators_by_id) == [i.id for i in c.indicators]
    assert c.indicators_by_id[c.indicators[3].id] is c.indicators[3]
    assert list(c.contacts_by_id) == [x.id for x in c.contacts]


def test_a_copy_with_other_indicators_looks_up_its_own():
    c = _catalogue()
    assert c.indicators[0].id in c.indicators_by_id  # built on the original first
    fewer = c.model_copy(update={"indicators": c.indicators[1:], "contacts": c.contacts[1:]})
    assert c.indicators[0].id not in fewer.indicators_by_id
    assert c.contacts[0].id not in fewer.contacts_by_id
    assert c.indicators[0].id in c.indicators_by_id

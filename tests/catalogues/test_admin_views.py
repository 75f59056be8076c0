"""Catalogue administration (catalogues.views): draft, edit, diff, worked examples, publish, upload,
download, history; for the catalogue admins of the partnership only (404 for anyone else)."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from authorities.models import AuditEvent, Membership, Organisation, Role
from catalogues import services as admin_services
from catalogues.models import CatalogueVersion
from tests.conftest import SIGN_IN
from tests.factories import actor, assessment
from tests.pages import html

pytestmark = pytest.mark.django_db


def _start(client):
    assert client.post(reverse("catalogue-draft-start", args=["sefton"])).status_code == 302
    return CatalogueVersion.objects.draft_for(CatalogueVersion.objects.current_for_slug("sefton").authority)


def _indicator_post(item, **over):
    danger, cp = item.get("immediate_danger") or {}, item.get("child_protection") or {}
    data = {"text": item["text"], "level": item["level"], "domain": item["domain"],
            "subdomain": item.get("subdomain") or "", "source": item["source"], "applies_to": item["applies_to"],
            "immediate_danger": danger.get("sentence", ""), "danger_source": danger.get("source", ""),
            "child_protection": "" if not cp else ("yes" if cp["decisive"] else "no"),
            "cp_sentence": cp.get("sentence", ""), "cp_source": cp.get("source", ""),
            "codes": item.get("codes", []), "concepts": item.get("concepts", [])}
    return data | over


# --- the standard cases of every page: the admin of the partnership, everyone else, anonymous ----------

FIRST = "sef-health-l1-01"  # any indicator of the Sefton catalogue
NOT_THE_ADMIN = ["colleague", "lead", "outsider", "outsider_lead", "anonymous"]
# (url name, arguments after the slug, method, what the admin gets, a method the view refuses, needs a draft)
PAGES = [
    ("catalogue-draft-start", [], "post", 302, "get", False),
    ("catalogue-draft", [], "get", 200, "post", True),
    ("catalogue-publish", [], "post", 302, "get", True),
    ("catalogue-discard", [], "post", 302, "get", True),
    ("catalogue-indicator-new", [], "get", 200, "put", True),
    ("catalogue-indicator-edit", [FIRST], "get", 200, "put", True),
    ("catalogue-indicator-action", [FIRST, "retire"], "post", 302, "get", True),
    ("catalogue-section", ["contacts"], "get", 200, "put", True),
    ("catalogue-upload", [], "get", 200, "put", False),
    ("catalogue-download", [], "get", 200, "post", False),
    ("catalogue-history", [], "get", 200, "post", False),
]


@pytest.mark.parametrize(("name", "args", "method", "ok", "wrong", "needs_draft"), PAGES, ids=[p[0] for p in PAGES])
def test_standard_cases(people, access, name, args, method, ok, wrong, needs_draft):
    if needs_draft:
        admin_services.start_draft(actor(people.admin), people.sefton)
    draft_before = CatalogueVersion.objects.draft_for(people.sefton)
    url = reverse(name, args=["sefton", *args])
    expected = {"colleague": 404, "lead": 404, "outsider": 404, "outsider_lead": 404, "anonymous": SIGN_IN}
    assert access(method, url, who=NOT_THE_ADMIN) == expected
    assert CatalogueVersion.objects.draft_for(people.sefton) == draft_before, "nothing anyone else did changed it"
    assert access(wrong, url, owner=people.admin, who=["owner"]) == {"owner": 405}
    # The admin of another partnership: Halton is not theirs.
    assert access(method, reverse(name, args=["halton", *args]), owner=people.admin, who=["owner"]) == {"owner": 404}
    assert access(method, url, owner=people.admin, who=["owner"]) == {"owner": ok}


def test_standard_cases_of_the_index(people, access):
    url = reverse("catalogue-admin")
    assert access("get", url) == {"colleague": 404, "lead": 404, "outsider": 404, "outsider_lead": 404, "admin": 200,
                                  "anonymous": SIGN_IN, "owner": 404}
    assert access("post", url, owner=people.admin, who=["owner"]) == {"owner": 405}


def test_only_catalogue_admins_of_the_authority_can_reach_any_of_it(people, client):
    urls = [("get", reverse("catalogue-admin")), ("post", reverse("catalogue-draft-start", args=["sefton"])),
            ("get", reverse("catalogue-download", args=["sefton"])), ("get", reverse("catalogue-upload", args=["sefton"])),
            ("get", reverse("catalogue-history", args=["sefton"]))]
    for user in (people.alice, people.lead, people.outsider):
        client.force_login(user)
        for method, url in urls:
            assert getattr(client, method)(url).status_code == 404, (user.username, url)
    client.force_login(people.admin)
    assert client.get(reverse("catalogue-download", args=["halton"])).status_code == 404  # another authority
    assert client.get(reverse("catalogue-admin")).status_code == 200


def test_edit_add_retire_diff_examples_publish_and_old_assessments_keep_their_version(people, client):
    before = assessment(people.alice, people.sefton, level=2, n=1)
    old_version = before.catalogue_version
    tick = before.ticks[0]
    client.force_login(people.admin)
    draft = _start(client)
    items = {i["id"]: i for i in draft.content["indicators"]}
    # Edit wording and level.
    response = client.post(reverse("catalogue-indicator-edit", args=["sefton", tick]),
                           _indicator_post(items[tick], text="Revised wording for the test", level="3"))
    assert response.status_code == 302
    # Add one.
    new = _indicator_post(items[tick], text="A new indicator for the test", level="2") | {"id": "sef-test-new-01"}
    assert client.post(reverse("catalogue-indicator-new", args=["sefton"]), new).status_code == 302
    # Retire one.
    retire = next(i for i in items if i != tick)
    client.post(reverse("catalogue-indicator-action", args=["sefton", retire, "retire"]))
    page = client.get(reverse("catalogue-draft", args=["sefton"])).content.decode()
    assert "Revised wording for the test" in page and "A new indicator for the test" in page
    assert "Wording changed (1)" in page and "Added (1)" in page and "Retired (1)" in page and "Moved (1)" in page
    assert 'data-testid="impact"' in page
    # Publish.
    assert client.post(reverse("catalogue-publish", args=["sefton"])).status_code == 302
    current = CatalogueVersion.objects.current_for_slug("sefton")
    assert current.number == old_version.number + 1 and current.status == "published"
    # The earlier assessment still shows the old wording and version; a new one the new.
    client.force_login(people.alice)
    old_page = client.get(reverse("assessment-detail", args=[before.pk])).content.decode()
    assert f"catalogue version {old_version.number}" in old_page
    assert "Revised wording for the test" not in old_page
    after = assessment(people.alice, people.sefton, level=2, n=1)
    assert after.catalogue_version == current
    new_page = client.get(reverse("assessment-detail", args=[after.pk])).content.decode()
    assert "Revised wording for the test" in new_page and f'value="{retire}"' not in new_page


def test_schema_messages_appear_next_to_the_field(people, client):
    client.force_login(people.admin)
    draft = _start(client)
    item = draft.content["indicators"][0]
    response = client.post(reverse("catalogue-indicator-new", args=["sefton"]),
                           _indicator_post(item) | {"id": item["id"]})
    body = response.content.decode()
    assert response.status_code == 400
    assert "duplicate indicator id" in body and 'id="id_id-error"' in body
    response = client.post(reverse("catalogue-section", args=["sefton", "contacts"]), {"content": "[{\"id\": 1}]"})
    assert response.status_code == 400 and "contacts[0]" in response.content.decode()
    draft.refresh_from_db()
    assert draft.content == CatalogueVersion.objects.current_for_slug("sefton").content  # nothing half-written


def test_worked_example_impact_shows_which_would_change(people, client):
    client.force_login(people.admin)
    draft = _start(client)
    cat = draft.catalogue
    example = next(e for e in cat.worked_examples if e.expected_level == 4)
    first = example.ticks[0]
    item = next(i for i in draft.content["indicators"] if i["id"] == first)
    for tid in example.ticks:
        it = next(i for i in draft.content["indicators"] if i["id"] == tid)
        moved = client.post(reverse("catalogue-indicator-edit", args=["sefton", tid]),
                            _indicator_post(it, level="1", child_protection="", cp_sentence="", cp_source="",
                                            immediate_danger="", danger_source=""))
        assert moved.status_code == 302, moved.content.decode()[:500]
    page = html(client.get(reverse("catalogue-draft", args=["sefton"])).content.decode())
    rows = {r.find("td").all_text(): [td.all_text() for td in r.find_all("td")]
            for r in page.find("table", data_testid="impact").find_all("tr")[1:]}
    # The example's row: expected Level 4, the published version gives 4, the draft 1, and both tags say so.
    assert rows[example.id] == [example.id, "4", "4", "1 Would change Not as expected"]
    assert item["level"] == 4 and item["id"] == first  # the first tick was a top-level one before the edit
    unaffected = [r for r in rows.values() if r[0] != example.id and "Would change" not in r[3]]
    assert all("Not as expected" not in r[3] for r in unaffected), "only the edited example is flagged"


def test_download_then_upload_unchanged_creates_no_version(people, client):
    client.force_login(people.admin)
    body = client.get(reverse("catalogue-download", args=["sefton"])).content
    count = CatalogueVersion.objects.count()
    response = client.post(reverse("catalogue-upload", args=["sefton"]),
                           {"file": SimpleUploadedFile("sefton.json", body, "application/json")})
    assert response.status_code == 302
    assert CatalogueVersion.objects.count() == count
    out = StringIO()
    call_command("export_catalogue", "sefton", stdout=out)
    assert out.getvalue().encode() == body


def test_upload_with_an_error_is_refused_with_place_and_reason(people, client):
    client.force_login(people.admin)
    data = json.loads(client.get(reverse("catalogue-download", args=["sefton"])).content)
    data["indicators"][2]["level"] = 9
    response = client.post(reverse("catalogue-upload", args=["sefton"]),
                           {"file": SimpleUploadedFile("sefton.json", json.dumps(data).encode())})
    body = response.content.decode()
    assert response.status_code == 400
    assert f"indicators[2](id={data['indicators'][2]['id']}).level" in body and "names level 9" in body
    assert CatalogueVersion.objects.draft_for(CatalogueVersion.objects.current_for_slug("sefton").authority) is None


def test_upload_of_a_changed_file_becomes_the_draft_with_its_diff(people, client):
    client.force_login(people.admin)
    data = json.loads(client.get(reverse("catalogue-download", args=["sefton"])).content)
    data["indicators"][0]["text"] = "Uploaded wording"
    response = client.post(reverse("catalogue-upload", args=["sefton"]),
                           {"file": SimpleUploadedFile("sefton.json", json.dumps(data).encode())})
    assert response["Location"] == reverse("catalogue-draft", args=["sefton"])
    assert "Uploaded wording" in client.get(response["Location"]).content.decode()


def test_history_per_version_and_per_indicator(people, client):
    client.force_login(people.admin)
    draft = _start(client)
    item = draft.content["indicators"][0]
    client.post(reverse("catalogue-indicator-edit", args=["sefton", item["id"]]),
                _indicator_post(item, text="History test wording"))
    page = client.get(reverse("catalogue-history", args=["sefton"]), {"indicator": item["id"]}).content.decode()
    assert "edit_indicator" in page and "catadmin" in page and "(text)" in page
    assert AuditEvent.objects.filter(action="catalogue.edit_indicator", detail__indicator=item["id"]).count() == 1


def test_a_published_version_never_changes(people):
    current = CatalogueVersion.objects.current_for_slug("sefton")
    with pytest.raises(admin_services.NotAllowed):
        admin_services.edit_indicator(actor(people.admin), current, current.content["indicators"][0]["id"], {"text": "x"})


def test_a_top_level_indicator_needs_its_child_protection_review_in_the_editor(people, client):
    client.force_login(people.admin)
    draft = _start(client)
    item = next(i for i in draft.content["indicators"] if i["level"] == 4)
    response = client.post(reverse("catalogue-indicator-edit", args=["sefton", item["id"]]),
                           _indicator_post(item, child_protection="", cp_sentence="", cp_source=""))
    assert response.status_code == 400
    assert "needs its child-protection review" in response.content.decode()
    ok = client.post(reverse("catalogue-indicator-edit", args=["sefton", item["id"]]),
                     _indicator_post(item, child_protection="yes"))
    assert ok.status_code == 302
    saved = next(i for i in CatalogueVersion.objects.draft_for(people.sefton).content["indicators"] if i["id"] == item["id"])
    assert saved["child_protection"]["decisive"] is True


def test_the_editor_tags_an_indicator_with_census_codes_and_concepts(people, client):
    """Codes from the national list and concepts from the shared vocabulary; anything else is refused
    beside its field, and nothing is saved."""
    client.force_login(people.admin)
    draft = _start(client)
    item = next(i for i in draft.content["indicators"] if i["level"] == 2)
    url = reverse("catalogue-indicator-edit", args=["sefton", item["id"]])
    page = html(client.get(url).content.decode())
    codes = [i.attrs["value"] for i in page.find_all("input", name="codes")]
    assert "3B" in codes and "16A" in codes and "18A" not in codes  # a retired code is not offered
    assert "food" in [i.attrs["value"] for i in page.find_all("input", name="concepts")]
    refused = client.post(url, _indicator_post(item, codes=["99Z"]))
    assert refused.status_code == 400 and "Choose codes from the list" in refused.content.decode()
    assert client.post(url, _indicator_post(item, codes=["16A", "3B"], concepts=["food"])).status_code == 302
    saved = next(i for i in CatalogueVersion.objects.draft_for(people.sefton).content["indicators"]
                 if i["id"] == item["id"])
    assert (saved["codes"], saved["concepts"]) == (["16A", "3B"], ["food"])


# --- a partnership with no published catalogue yet ----------------------------------------------------

@pytest.fixture
def newcomer_admin(people, newcomer):
    unit = Organisation.objects.create(authority=newcomer, name="Newcomer unit (fictional)")
    Membership.objects.create(user=people.admin, organisation=unit, role=Role.CATALOGUE_ADMIN)
    return people.admin


def test_downloading_a_catalogue_that_is_not_published_yet_is_not_found(newcomer_admin, client):
    client.force_login(newcomer_admin)
    assert client.get(reverse("catalogue-download", args=["newcomer"])).status_code == 404
    assert client.get(reverse("catalogue-download", args=["sefton"])).status_code == 200


def test_uploading_to_a_partnership_without_a_published_catalogue_says_how_to_load_the_first(newcomer_admin, client,
                                                                                           newcomer):
    client.force_login(newcomer_admin)
    content = CatalogueVersion.objects.current_for_slug("sefton").content
    content = {**content, "authority": {**content["authority"], "slug": "newcomer"}}
    upload = SimpleUploadedFile("newcomer.json", json.dumps(content).encode(), content_type="application/json")
    response = client.post(reverse("catalogue-upload", args=["newcomer"]), {"file": upload})
    assert response.status_code == 400 and "load_catalogues" in response.content.decode()
    assert not CatalogueVersion.objects.filter(authority=newcomer).exists()


def test_history_pages_its_changes_keeping_the_indicator(people, client, django_assert_max_num_queries):
    """Changes a page at a time, newest first, the indicator filter kept in the paging links; the page's
    queries do not grow with the changes."""
    from catalogues import views
    client.force_login(people.admin)
    draft = _start(client)
    item = draft.content["indicators"][0]
    views_page = views.HISTORY_PAGE
    views.HISTORY_PAGE = 3
    try:
        for n in range(4):
            client.post(reverse("catalogue-indicator-edit", args=["sefton", item["id"]]),
                        _indicator_post(item, text=f"History wording {n}"))
        url = reverse("catalogue-history", args=["sefton"])
        with django_assert_max_num_queries(12):
            first = html(client.get(url, {"indicator": item["id"]}).content.decode())
        assert len(first.find("tbody").find_all("tr")) == 3
        older = first.find("a", rel="next").attrs["href"]
        assert older.startswith(f"?indicator={item['id']}&before=")
        second = html(client.get(url + older).content.decode())
    finally:
        views.HISTORY_PAGE = views_page
    assert len(second.find("tbody").find_all("tr")) == 1 and not second.find_all("a", rel="next")


def test_the_admin_index_reads_all_partnerships_in_constant_queries(people, client, django_assert_max_num_queries):
    """An admin of all five partnerships: the index's queries do not grow with them (two for the catalogues)."""
    from authorities.models import Authority, Membership, Organisation, Role
    for a in Authority.objects.exclude(pk=people.sefton.pk):
        unit = Organisation.objects.create(authority=a, name=f"Unit {a.slug} (fictional)")
        Membership.objects.create(user=people.admin, organisation=unit, role=Role.CATALOGUE_ADMIN)
    client.force_login(people.admin)
    client.get(reverse("catalogue-admin"))  # parses what the process has not cached yet (once per version)
    with django_assert_max_num_queries(7):
        page = client.get(reverse("catalogue-admin")).content.decode()
    assert page.count("Start a draft from version 1") == 5


def test_the_draft_page_lists_indicators_a_page_at_a_time_and_an_action_returns_to_its_page(people, client):
    """Sefton's 373 indicators made a page of over half a megabyte: now 50 a page, with the paging links,
    and moving an indicator on page 3 brings the admin back to page 3, at that indicator."""
    from catalogues import views
    client.force_login(people.admin)
    draft = _start(client)
    response = client.get(reverse("catalogue-draft", args=["sefton"]))
    page = html(response.content.decode())
    rows = page.find("table", class_="govuk-table app-search-results").find("tbody").find_all("tr")
    assert len(rows) == views.INDICATOR_PAGE and len(response.content) < 200_000
    assert page.find("nav", aria_label="Pages of indicators").find("a", rel="next").attrs["href"] == "?page=2"
    third = draft.content["indicators"][2 * views.INDICATOR_PAGE + 5]["id"]
    moved = client.post(reverse("catalogue-indicator-action", args=["sefton", third, "down"]))
    assert moved["Location"] == reverse("catalogue-draft", args=["sefton"]) + f"?page=3#ind-{third}"
    on_page_3 = html(client.get(moved["Location"]).content.decode())
    assert on_page_3.find("tr", id=f"ind-{third}")

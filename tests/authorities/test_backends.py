"""authorities.backends: the signed-in user is read with their seats in one query, on every request."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from authorities.actor import Actor
from authorities.backends import UserWithSeatsBackend
from authorities.models import Membership, Role

pytestmark = pytest.mark.django_db


def test_the_user_comes_with_their_seats_and_the_actor_needs_no_query(people, django_assert_num_queries):
    with django_assert_num_queries(1):
        user = UserWithSeatsBackend().get_user(people.lead.pk)
    with django_assert_num_queries(0):
        actor = Actor.of(user)
    assert user == people.lead
    assert [(s.organisation, s.role) for s in actor.seats] == [(people.school, Role.SAFEGUARDING_LEAD)]
    assert actor.lead_organisation_ids == {people.school.pk}


def test_a_user_with_no_seat_is_still_read(people):
    nobody = get_user_model().objects.create_user("operator-test", is_superuser=True, is_staff=True)
    user = UserWithSeatsBackend().get_user(nobody.pk)
    assert user == nobody and Actor.of(user).seats == ()


def test_an_inactive_user_is_not_signed_in(people):
    get_user_model().objects.filter(pk=people.lead.pk).update(is_active=False)
    assert UserWithSeatsBackend().get_user(people.lead.pk) is None


def test_a_role_taken_away_stops_at_the_next_request(client, people):
    client.force_login(people.lead)
    assert client.get(reverse("review-queue")).status_code == 200
    Membership.objects.filter(user=people.lead, role=Role.SAFEGUARDING_LEAD).delete()
    assert client.get(reverse("review-queue")).status_code == 404


def test_the_signed_in_request_reads_user_and_seats_together(client, people, django_assert_num_queries):
    """The session, then the user with their seats: two statements before the page's own work."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(people.alice)
    with CaptureQueriesContext(connection) as statements:
        client.get(reverse("home"))
    tables = [q["sql"].split(" FROM ")[1].split()[0] for q in statements.captured_queries
              if q["sql"].startswith("SELECT")]
    assert tables[:2] == ['"django_session"', '"authorities_membership"']
    assert '"auth_user"' not in tables

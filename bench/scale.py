"""`make bench-scale`: the main pages and the scheduled jobs on an empty database and at years of scale.

The volumes (fictional, bounded, each settable from the environment) are those of a regional service:
250 organisations in five partnerships, 5,000 people, 200,000 assessments in one partnership (the insight
dashboard's budget is set for that) plus 10,000 in each of the others, about half of them referred, 5,000
escalations and 5,000,000 audit events, 500,000 of them in the measured organisation. Retention gets a
backlog of old assessments. PostgreSQL when DATABASE_URL is set (its database is emptied first: point it at
a scratch database), else a scratch SQLite file.

Each page is asked in-process (Django's test client: the whole stack but the network) by the persona who
uses it, first with the database empty but for the personas' own work (`seed_own_work`: more than a page of
each list they read, a year of figures on their dashboards), then at scale: p50 of ten asks and
the query count. The jobs are timed with their queries and peak memory (resident, above where it stood). Results go
to bench/results.json under "scale" and a table is printed with the targets: at most 1.5 times the empty
time (with a 5 ms allowance for timer noise on pages that take a few milliseconds) and at most 10 queries.
"""

from __future__ import annotations

import json
import os
import secrets
import statistics
import sys
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SQLITE = ROOT / "bench" / "scale.sqlite3"

ORGANISATIONS = int(os.environ.get("SCALE_ORGANISATIONS", 250))
PEOPLE_PER_ORGANISATION = int(os.environ.get("SCALE_PEOPLE_PER_ORGANISATION", 20))  # 5,000 people
ASSESSMENTS = int(os.environ.get("SCALE_ASSESSMENTS", 200_000))  # in the measured partnership
ASSESSMENTS_ELSEWHERE = int(os.environ.get("SCALE_ASSESSMENTS_ELSEWHERE", 10_000))  # in each other partnership
ESCALATIONS = int(os.environ.get("SCALE_ESCALATIONS", 5_000))
AUDIT_EVENTS = int(os.environ.get("SCALE_AUDIT_EVENTS", 5_000_000))
AUDIT_IN_ORGANISATION = int(os.environ.get("SCALE_AUDIT_IN_ORGANISATION", 500_000))
RETENTION_BACKLOG = int(os.environ.get("SCALE_RETENTION_BACKLOG", 50_000))
ASKS = 10
HOME = "sefton"

os.environ.update({
    "DJANGO_SETTINGS_MODULE": "bench.settings", "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver", "DJANGO_SECURE": "0", "DJANGO_2FA_ROLES": "none",
    "DJANGO_LOG_LEVEL": "ERROR", "SITE_URL": "https://bench.invalid", "API_PUBLIC_REQUESTS_PER_MINUTE": "100000000",
})
if not os.environ.get("DATABASE_URL"):
    os.environ["SQLITE_PATH"] = str(SQLITE)


def fresh_database() -> None:
    import django

    if not os.environ.get("DATABASE_URL"):  # a PostgreSQL run leaves the SQLite run's file for bench-explain
        for suffix in ("", "-wal", "-shm"):
            Path(str(SQLITE) + suffix).unlink(missing_ok=True)
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    call_command("load_catalogues", verbosity=0)


class Cast:
    """The measured people: a practitioner, a lead and a catalogue admin, in one school of the home
    partnership, each with a session; the practitioner's own assessment and referral; the lead's token."""

    def __init__(self):
        from django.contrib.auth import get_user_model
        from django.test import Client
        from django.utils import timezone

        from api import services as api_services
        from assessments import services as assessment_services
        from authorities.actor import Actor
        from authorities.models import Authority, Membership, Organisation, Role
        from catalogues.engine import is_child_protection
        from referrals import services as referral_services

        User = get_user_model()
        self.authority = Authority.objects.get(slug=HOME)
        self.school = Organisation.objects.create(authority=self.authority, name="Bench Large School (fictional)",
                                                  is_school=True)
        unit = Organisation.objects.create(authority=self.authority, name="Bench partnership unit (fictional)")
        self.practitioner = User.objects.create_user("bench.practitioner", "bench.practitioner@example.invalid",
                                                     first_name="Bench", last_name="Teacher")
        self.lead = User.objects.create_user("bench.lead", first_name="Bench", last_name="Lead")
        self.second_lead = User.objects.create_user("bench.lead2", first_name="Bench", last_name="Deputy")
        self.admin = User.objects.create_user("bench.admin", first_name="Bench", last_name="Admin")
        Membership.objects.create(user=self.practitioner, organisation=self.school, role=Role.PRACTITIONER)
        Membership.objects.create(user=self.lead, organisation=self.school, role=Role.SAFEGUARDING_LEAD)
        Membership.objects.create(user=self.second_lead, organisation=self.school, role=Role.SAFEGUARDING_LEAD)
        Membership.objects.create(user=self.admin, organisation=unit, role=Role.CATALOGUE_ADMIN)
        writer = Actor.of(self.practitioner)
        self.assessment = assessment_services.start_assessment(writer, self.authority, mode="named",
                                                               child_name="Bench Child (fictional)")
        catalogue = self.assessment.catalogue_version.catalogue
        self.ticks = [i.id for i in catalogue.indicators if i.level == 2 and not is_child_protection(i)][:3]
        assessment_services.save_ticks(writer, self.assessment, self.ticks)
        referred = assessment_services.start_assessment(writer, self.authority, mode="named",
                                                        child_name="Bench Referred Child (fictional)")
        assessment_services.save_ticks(writer, referred, self.ticks)
        self.draft = referral_services.create_from_assessment(writer, referred)
        _, self.token = api_services.issue(Actor.of(self.lead), self.school, "bench", ["read", "create_assessments", "read_drafts"],
                                           timezone.now() + timedelta(days=30))
        self.escalation = self._escalation()
        from catalogues import services as catalogue_services
        catalogue_services.start_draft(Actor.of(self.admin), self.authority)  # the draft page is measured too
        self.clients = {who: self._client(user) for who, user in
                        (("practitioner", self.practitioner), ("lead", self.lead), ("admin", self.admin))}
        # One client each for the API's callers too: a new Client loads the middleware again (WhiteNoise reads
        # every static file's headers, ~200 ms), which a server does once per process, not once per call.
        self.clients["token"] = self.clients["anonymous"] = Client(SERVER_NAME="127.0.0.1")

    def _escalation(self):
        from authorities.actor import Actor
        from escalation import services

        return services.open_case(Actor.of(self.practitioner), self.authority, our_agency="Bench School",
                                  other_agency="Bench agency (fictional)", about="Fictional.", outcome_sought="None.")

    @staticmethod
    def _client(user):
        from django.test import Client

        client = Client(SERVER_NAME="127.0.0.1", enforce_csrf_checks=False)
        client.force_login(user)
        return client


def pages(cast: Cast) -> list[tuple[str, str, str, dict]]:
    """(name, persona, url, extra): the main pages, each asked by the persona who uses it."""
    from django.urls import reverse

    a, d = cast.assessment.pk, cast.draft.pk
    audit = reverse("audit-log")
    return [
        ("home", "practitioner", reverse("home"), {}),
        ("assessment_page", "practitioner", reverse("assessment-detail", args=[a]), {}),
        ("tick", "practitioner", reverse("assessment-detail", args=[a]), {"tick": True}),
        ("my_work", "practitioner", reverse("assessment-list"), {}),
        ("draft_page", "practitioner", reverse("draft-detail", args=[d]), {}),
        ("emergency_page", "practitioner", reverse("emergency"), {}),
        ("escalation_list_practitioner", "practitioner", reverse("escalation-list"), {}),
        ("review_queue", "lead", reverse("review-queue"), {}),
        ("escalation_list_lead", "lead", reverse("escalation-list"), {}),
        ("escalation_page", "lead", reverse("escalation-detail", args=[cast.escalation.pk]), {}),
        ("audit_page", "lead", audit, {}),
        ("audit_page_action_filter", "lead", audit + "?action=draft.view", {}),
        ("audit_page_date_filter", "lead", audit + "?date_from=01/01/2025&date_to=31/03/2025", {}),
        ("audit_page_who_filter", "lead", audit + "?actor=bench.practitioner", {}),
        ("audit_page_old_page", "lead", audit + "?before=1717200000000000.1", {}),  # before June 2024: deep
        ("insight_organisation", "lead", reverse("insight-organisation", args=[cast.school.pk]), {}),
        ("insight_partnership", "admin", reverse("insight-partnership", args=[HOME]), {}),
        ("catalogue_admin", "admin", reverse("catalogue-admin"), {}),
        ("catalogue_draft", "admin", reverse("catalogue-draft", args=[HOME]), {}),
        ("catalogue_history", "admin", reverse("catalogue-history", args=[HOME]), {}),
        ("api_suggest", "anonymous", "/api/v1/suggest", {"json": {"partnership": HOME, "ticks": cast.ticks}}),
        ("api_drafts", "token", "/api/v1/drafts", {}),
    ]


def ask(cast: Cast, persona: str, url: str, extra: dict):
    client = cast.clients[persona]
    if persona == "token":
        return client.get(url, HTTP_AUTHORIZATION=f"Bearer {cast.token}")
    if persona == "anonymous":
        return client.post(url, json.dumps(extra["json"]), content_type="application/json")
    if extra.get("tick"):
        return client.post(url, {"tick": cast.ticks, "revision": _revision(cast)}, HTTP_HX_REQUEST="true")
    return client.get(url)


def _revision(cast: Cast) -> int:
    from assessments.models import Assessment

    return Assessment.objects.filter(pk=cast.assessment.pk).values_list("revision", flat=True)[0]


@contextmanager
def counted():
    """Count the statements run inside, on the default connection."""
    from django.db import connection

    box = {"n": 0}

    def count(execute, sql, params, many, context):
        box["n"] += 1
        return execute(sql, params, many, context)
    with connection.execute_wrapper(count):
        yield box


def measure_pages(cast: Cast) -> dict[str, dict]:
    out = {}
    for name, persona, url, extra in pages(cast):
        response = ask(cast, persona, url, extra)  # warm: caches, the parsed catalogue
        if response.status_code not in (200,):
            out[name] = {"status": response.status_code}
            continue
        times = []
        for _ in range(ASKS):
            t = time.perf_counter()
            ask(cast, persona, url, extra)
            times.append((time.perf_counter() - t) * 1000)
        with counted() as n:
            response = ask(cast, persona, url, extra)
        out[name] = {"ms_p50": round(statistics.median(times), 1), "queries": n["n"],
                     "kb": round(len(response.content) / 1024, 1)}
    return out


OWN_WORK = 60  # more than a page (50) of each list the personas read


def seed_own_work(cast: Cast) -> None:
    """The personas' own work, in both measurements: OWN_WORK assessments of the practitioner over 13 months
    (most referred, reviewed, decided) and 3 × OWN_WORK more this week (a third waiting for the lead's
    review), 2 × OWN_WORK escalations in the school, half of them open, and 300 audit events over three
    years. So each list page shows a full page "empty" as at scale, and each dashboard has figures in both:
    what differs is only the rest of the database, which is what the target is about."""
    from django.utils import timezone

    from authorities.models import AuditEvent
    from catalogues.models import CatalogueVersion
    from escalation.models import EscalationCase, EscalationStep
    from referrals import history

    today = timezone.localdate()
    version = CatalogueVersion.objects.current_for(cast.authority)
    mine = history.Cast(cast.school.pk, [cast.practitioner.pk], [cast.lead.pk, cast.second_lead.pk])
    history.seed(version, mine, OWN_WORK, end=today, days=395, seed=3)  # a year of figures
    # This week's: a third wait for review, so the lead's queue has more than a page (50) empty as at scale.
    history.seed(version, mine, 3 * OWN_WORK, end=today, days=2, seed=4)
    cases = EscalationCase.objects.bulk_create([
        EscalationCase(owner_id=cast.practitioner.pk, organisation=cast.school, catalogue_version=version,
                       our_agency="Bench (fictional)", other_agency=f"Own agency {n} (fictional)", about="Fictional.",
                       outcome_sought="Fictional.", status="open" if n % 2 == 0 else "closed",
                       closed_at=None if n % 2 == 0 else timezone.now() - timedelta(days=n))
        for n in range(2 * OWN_WORK)])
    EscalationStep.objects.bulk_create([
        EscalationStep(case=case, number=1, title="Practitioner to practitioner", started_on=today - timedelta(days=n),
                       due_on=today - timedelta(days=n) + timedelta(days=5)) for n, case in enumerate(cases)])
    # The audit page's own events: 300 over three years, every filter finding a page or most of one.
    actions = ["draft.view", "assessment.view", "assessment.tick", "draft.save", "draft.pdf"]
    now = timezone.now()
    stamp = AuditEvent._meta.get_field("at")
    stamp.auto_now_add = False  # these events happened in the past: keep the times given
    try:
        AuditEvent.objects.bulk_create([
            AuditEvent(at=now - timedelta(hours=88 * n), actor_id=cast.practitioner.pk if n % 2 == 0 else cast.lead.pk,
                       actor_role="practitioner", organisation=cast.school, action=actions[n % 5],
                       object_type="referrals.draft", object_id=str(n)) for n in range(300)])
    finally:
        stamp.auto_now_add = True


def seed_scale(cast: Cast) -> dict[str, float]:
    """The volumes above, fictional, written in bulk; returns how long each part took."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from authorities.models import Authority, Membership, Organisation, Role
    from catalogues.models import CatalogueVersion
    from referrals import history

    took = {}
    t = time.perf_counter()
    User = get_user_model()
    unusable = make_password(None)
    authorities = list(Authority.objects.order_by("slug"))
    orgs = Organisation.objects.bulk_create([
        Organisation(authority=authorities[n % len(authorities)], name=f"Bench organisation {n:03d} (fictional)",
                     is_school=n % 3 == 0) for n in range(ORGANISATIONS - 1)])
    users = User.objects.bulk_create([User(username=f"bench.user{n:05d}", password=unusable,
                                           email=f"bench.user{n:05d}@example.invalid")
                                      for n in range((ORGANISATIONS - 1) * PEOPLE_PER_ORGANISATION)])
    members = []
    for k, org in enumerate(orgs):
        for j in range(PEOPLE_PER_ORGANISATION):
            role = Role.SAFEGUARDING_LEAD if j < 2 else Role.PRACTITIONER
            members.append(Membership(user=users[k * PEOPLE_PER_ORGANISATION + j], organisation=org, role=role))
    Membership.objects.bulk_create(members, batch_size=5000)
    took["people_s"] = time.perf_counter() - t

    t = time.perf_counter()
    today = timezone.localdate()
    staff: dict[int, tuple[list[int], list[int]]] = {}
    for m in members:
        (staff.setdefault(m.organisation.pk, ([], []))[0 if m.role == Role.PRACTITIONER else 1]).append(m.user.pk)
    by_authority: dict[int, list[Organisation]] = {}
    for org in orgs:
        by_authority.setdefault(org.authority.pk, []).append(org)
    # The measured school holds a tenth of its partnership's assessments, its practitioner's share large.
    home = [o for o in by_authority[cast.authority.pk]]
    plans = [(cast.school, [cast.practitioner.pk, *staff[home[0].pk][0][:4]], [cast.lead.pk, cast.second_lead.pk],
              ASSESSMENTS // 10)]
    rest = ASSESSMENTS - ASSESSMENTS // 10
    plans += [(o, *staff[o.pk], rest // len(home)) for o in home]
    for authority in authorities:
        if authority.pk != cast.authority.pk:
            theirs = by_authority[authority.pk]
            plans += [(o, *staff[o.pk], ASSESSMENTS_ELSEWHERE // len(theirs)) for o in theirs]
    versions = {a.pk: CatalogueVersion.objects.current_for(a) for a in authorities}
    made = 0
    for n, (org, practitioners, leads, count) in enumerate(plans):
        if count:
            made += history.seed(versions[org.authority_id], history.Cast(org.pk, practitioners, leads), count,
                                 end=today, days=3 * 365, seed=n + 7)["assessments"]
    took["assessments_s"] = time.perf_counter() - t
    took["assessments"] = made

    t = time.perf_counter()
    backlog = history.seed(versions[cast.authority.pk], history.Cast(home[1].pk, *staff[home[1].pk]),
                           RETENTION_BACKLOG, end=today - timedelta(days=800), days=365, seed=99)
    took["retention_backlog_s"] = time.perf_counter() - t
    took["retention_backlog_assessments"] = backlog["assessments"]

    t = time.perf_counter()
    seed_escalations(cast, orgs, staff, versions, today)
    took["escalations_s"] = time.perf_counter() - t
    t = time.perf_counter()
    seed_audit(cast, orgs)
    took["audit_events_s"] = time.perf_counter() - t
    return {k: round(v, 1) if isinstance(v, float) else v for k, v in took.items()}


def seed_escalations(cast: Cast, orgs, staff, versions, today) -> None:
    from django.utils import timezone

    from escalation.models import EscalationCase, EscalationStep

    now = timezone.now()
    cases, steps = [], []
    places = [(cast.school, cast.practitioner.pk)] * (ESCALATIONS // 10) + \
        [(orgs[n % len(orgs)], staff[orgs[n % len(orgs)].pk][0][0]) for n in range(ESCALATIONS - ESCALATIONS // 10)]
    for n, (org, owner) in enumerate(places):
        closed = n % 4 != 0
        cases.append(EscalationCase(owner_id=owner, organisation=org, catalogue_version=versions[org.authority_id],
                                    our_agency="Bench (fictional)", other_agency=f"Agency {n} (fictional)",
                                    about="Fictional.", outcome_sought="Fictional.",
                                    status="closed" if closed else "open",
                                    closed_at=now - timedelta(days=n % 700) if closed else None))
    made = EscalationCase.objects.bulk_create(cases, batch_size=2000)
    for n, case in enumerate(made):
        started = today - timedelta(days=n % 400)
        steps.append(EscalationStep(case=case, number=1, title="Practitioner to practitioner", started_on=started,
                                    due_on=started + timedelta(days=5)))
    EscalationStep.objects.bulk_create(steps, batch_size=5000)


def seed_audit(cast: Cast, orgs) -> None:
    """Millions of events in one statement each (a recursive series on SQLite, generate_series on
    PostgreSQL): the measured organisation's by its two people over three years, the rest by a job."""
    from django.db import connection

    first, count = min(o.pk for o in orgs), len(orgs)
    actions = "CASE i % 5 WHEN 0 THEN 'draft.view' WHEN 1 THEN 'assessment.view' WHEN 2 THEN 'assessment.tick' " \
              "WHEN 3 THEN 'draft.save' ELSE 'draft.pdf' END"
    three_years = 3 * 365 * 24 * 3600
    columns = "at, actor_id, job, actor_role, organisation_id, action, object_type, object_id, purpose, detail"
    with connection.cursor() as cursor:
        for n, organisation, people in ((AUDIT_IN_ORGANISATION, str(cast.school.pk), True),
                                        (AUDIT_EVENTS - AUDIT_IN_ORGANISATION, f"{first} + i % {count}", False)):
            actor = f"CASE WHEN i % 2 = 0 THEN {cast.practitioner.pk} ELSE {cast.lead.pk} END" if people else "NULL"
            job = "''" if people else "'bench'"
            # Numbers and fixed words only: nothing from outside reaches the SQL.
            if connection.vendor == "postgresql":
                at = f"now() - ((i * 7919) % {three_years}) * interval '1 second'"
                series, object_id, detail, tail = "", "(i % 100000)::text", "'{}'::jsonb", \
                    f" FROM generate_series(1::bigint, {n}) AS i"
            else:
                at = f"strftime('%Y-%m-%d %H:%M:%f', 'now', '-' || ((i * 7919) % {three_years}) || ' seconds')"
                series = f"WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {n}) "  # noqa: S608
                object_id, detail, tail = "CAST(i % 100000 AS TEXT)", "'{}'", " FROM s"
            sql = (f"{series}INSERT INTO authorities_auditevent ({columns}) SELECT {at}, {actor}, {job}, "  # noqa: S608
                   f"'practitioner', {organisation}, {actions}, 'referrals.draft', {object_id}, '', {detail}{tail}")
            cursor.execute(sql)
        cursor.execute("ANALYZE")  # fresh statistics, as autovacuum would give a real database


def settle() -> None:
    """Leave the database at rest before the pages are measured, as a live one is between nightly jobs: the
    jobs have just deleted and rewritten hundreds of thousands of rows, and PostgreSQL's autovacuum would
    otherwise be cleaning up after them while the pages are timed (a page that reads no case data, the
    catalogue draft, measured 1.6 times slower at scale that way)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def _rss_mb(field: str) -> float:
    status = Path("/proc/self/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith(field + ":"))) / 1024


def job(name: str, run) -> dict:
    """A job's time, queries and peak memory. The peak is the process's resident high-water mark, reset by
    the kernel just before (Linux's clear_refs), less what was resident then: tracemalloc, used before, made
    the jobs themselves up to three times slower (retention: 3.6 -> 10.3 s for 10,000 removals)."""
    Path("/proc/self/clear_refs").write_text("5")
    before = _rss_mb("VmRSS")
    t = time.perf_counter()
    with counted() as n:
        outcome = run()
    seconds = time.perf_counter() - t
    peak = _rss_mb("VmHWM") - before
    return {"s": round(seconds, 2), "queries": n["n"], "peak_mb": round(peak, 1), "outcome": outcome}


def jobs() -> dict:
    from django.core import mail
    from django.test.utils import override_settings
    from django.utils import timezone

    from authorities.actor import Actor
    from authorities.retention import apply_retention
    from core.working_days import add_working_days, is_working_day
    from escalation.services import queue_reminders
    from insight import services as insight_services

    out = {"refresh_insight": job("refresh_insight", lambda: insight_services.refresh(Actor.system("insight")))}
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        # Tasks run in-process here (no broker), so this is queueing and sending every reminder; on a weekend or
        # bank holiday, as if it were the next working day (the job sends nothing on other days).
        today = timezone.localdate()
        day = today if is_working_day(today) else add_working_days(today, 1)
        out["escalation_reminders"] = job("reminders", lambda: queue_reminders(day).queued)
        mail.outbox = []
    out["apply_retention"] = job("retention", apply_retention)
    return out


def main() -> None:
    from django.db import connection

    started = time.perf_counter()
    fresh_database()
    cast = Cast()
    seed_own_work(cast)
    from authorities.actor import Actor
    from insight import services as insight_services
    insight_services.refresh(Actor.system("insight"))
    settle()  # both measurements on a database at rest, with its statistics
    empty = measure_pages(cast)
    seeding = seed_scale(cast)
    settle()  # the nightly jobs, too, on a database at rest: not while autovacuum works through the seeding
    job_results = jobs()
    settle()
    at_scale = measure_pages(cast)
    rows, missed = [], []
    for name, before in empty.items():
        after = at_scale.get(name, {})
        if "ms_p50" not in before or "ms_p50" not in after:
            rows.append((name, before, after, "not measured"))
            missed.append(name)
            continue
        ok = after["ms_p50"] <= max(1.5 * before["ms_p50"], before["ms_p50"] + 5) and after["queries"] <= 10
        rows.append((name, before, after, "met" if ok else "MISSED"))
        if not ok:
            missed.append(name)
    results = {"database": connection.vendor, "seconds": round(time.perf_counter() - started), "seeding": seeding,
               "volumes": {"organisations": ORGANISATIONS, "people": ORGANISATIONS * PEOPLE_PER_ORGANISATION,
                           "assessments_home_partnership": ASSESSMENTS,
                           "assessments_each_other_partnership": ASSESSMENTS_ELSEWHERE,
                           "escalations": ESCALATIONS, "audit_events": AUDIT_EVENTS,
                           "audit_events_measured_organisation": AUDIT_IN_ORGANISATION,
                           "retention_backlog": RETENTION_BACKLOG},
               "pages_empty": empty, "pages_at_scale": at_scale, "jobs_at_scale": job_results, "missed": missed}
    out = ROOT / "bench" / "results.json"
    previous = json.loads(out.read_text()) if out.exists() else {}
    previous[f"scale_{connection.vendor}"] = results
    out.write_text(json.dumps(previous, indent=2, default=str) + "\n")
    print(f"{'page':32} {'empty ms':>9} {'q':>3} {'scale ms':>9} {'q':>3} {'KB':>7}  target (<= 1.5x, <= 10 queries)")
    for name, before, after, mark in rows:
        print(f"{name:32} {before.get('ms_p50', '-')!s:>9} {before.get('queries', '-')!s:>3} "
              f"{after.get('ms_p50', after.get('status', '-'))!s:>9} {after.get('queries', '-')!s:>3} "
              f"{after.get('kb', '-')!s:>7}  {mark}")
    for name, r in job_results.items():
        print(f"job {name:28} {r['s']:>8} s {r['queries']:>7} queries {r['peak_mb']:>7} MB peak  ({r['outcome']})")
    print(f"seeding: {seeding}")
    print(f"{results['seconds']} s in all; written to {out.relative_to(ROOT)} under scale_{connection.vendor}")


if __name__ == "__main__":
    main()

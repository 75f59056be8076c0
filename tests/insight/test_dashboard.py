"""The dashboard built from summed figures (insight/dashboard.py, pure): the supervision prompt, what a
partnership's page never shows, and the CSV rows."""

from __future__ import annotations

from datetime import date

from insight.dashboard import Totals, build, csv_rows, national, quiet_lead_ids

SEP, OCT = date(2026, 9, 1), date(2026, 10, 1)


def totals(**measures: dict[str, int]) -> Totals:
    return Totals({(measure, key, SEP): n for measure, keys in measures.items() for key, n in keys.items()})


def test_a_quiet_lead_has_at_least_10_reviews_and_no_change():
    found = totals(lead_reviews={"1": 10, "2": 25, "3": 9, "4": 12}, lead_changes={"2": 1})
    assert quiet_lead_ids(found) == [1, 4]  # 2 changed one of 25; 3 has only 9 reviews


def test_reviews_across_months_add_up():
    found = Totals({("lead_reviews", "7", SEP): 6, ("lead_reviews", "7", OCT): 4})
    assert quiet_lead_ids(found) == [7]


def test_the_organisations_page_names_them_a_to_z_and_the_partnerships_only_counts():
    found = totals(lead_reviews={"1": 10, "2": 10}, assessments={"": 30})
    page = build(found, [SEP], scope="organisation", lead_names=["zoe Lead", "Adam Lead"])
    assert page.quiet_leads == ["Adam Lead", "zoe Lead"]
    assert [r.label for r in page.supervision.rows] == ["Adam Lead", "zoe Lead"]
    partnership = build(found, [SEP], scope="partnership", lead_names=["Adam Lead"])
    assert partnership.quiet_leads == [] and partnership.quiet_lead_count.text == "fewer than 5"
    assert [r.cells for r in partnership.supervision.rows] == [("fewer than 5",)]
    assert "Adam" not in str(partnership)


def test_csv_rows_are_long_form_and_escaped():
    page = build(totals(assessments={"": 30}), [SEP], scope="organisation", lead_names=["=1+1"])
    rows = csv_rows(page, [("Scope", "@evil")])
    assert rows[0] == ("section", "row", "column", "value")
    assert rows[1] == ("About these figures", "Scope", "", "'@evil")
    assert ("Each month", "Sep 2026", "Assessments", "30") in rows
    assert ("Leads to talk with in supervision", "'=1+1", "In this period",
            "At least 10 reviews, none returned, closed or changed") in rows
    # every table with rows (no code was ticked here), and the about rows
    assert {r[0] for r in rows[1:]} == {t.caption for t in page.tables if t.rows} | {"About these figures"}


def test_the_national_figures_name_their_source():
    figures = national()
    assert figures["not_in_need"].percent == 30.8 and figures["re_referrals"].percent == 22.6
    assert "Children in need" in figures["not_in_need"].source and "2025" in figures["not_in_need"].source

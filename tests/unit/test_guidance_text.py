"""Guidance passages keep the document's layout: bullet lines become a list, other lines paragraphs."""

from catalogues.templatetags.catalogue_tags import guidance


def test_bullet_lines_become_one_list_and_other_lines_paragraphs():
    out = guidance("Intro line.\n• First\n• Second\nAfter.")
    assert out == ('<p class="govuk-body-s">Intro line.</p>'
                   '<ul class="govuk-list govuk-list--bullet govuk-body-s"><li>First</li><li>Second</li></ul>'
                   '<p class="govuk-body-s">After.</p>')


def test_text_is_escaped():
    assert "<script>" not in guidance("• <script>x</script>")
    assert "&lt;script&gt;" in guidance("• <script>x</script>")


def test_empty_text_renders_nothing():
    assert guidance("") == ""

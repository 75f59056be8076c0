from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from catalogues.contacts import phone_links

register = template.Library()


# phone and open_now are drawn for every contact on every tick's panel: built here, not by an included
# template each (an include per contact was a tenth of a tick's rendering).

@register.simple_tag
def phone(contact) -> str:
    """One tel: link per number the contact's phone entry gives ("0151 934 4013/ 4481" is two)."""
    return format_html_join(" or ", '<a class="govuk-link" href="tel:{}">{}</a>',
                            ((digits, shown) for shown, digits in phone_links(getattr(contact, "phone", None))))


@register.simple_tag
def open_now(shown_contact) -> str:
    """A contact's tag, when its hours say: open now, or closed now (nothing when the hours do not say)."""
    is_open = getattr(shown_contact, "open_now", None)
    if is_open:
        return mark_safe(' <strong class="govuk-tag govuk-tag--green">Open now</strong>')  # noqa: S308 - fixed text
    if is_open is False:
        return mark_safe(' <strong class="govuk-tag govuk-tag--grey">Closed now</strong>')  # noqa: S308 - fixed text
    return ""


@register.filter
def level_code(number: int, catalogue) -> str:
    """How the catalogue numbers a level: "2", or "4b" for the fifth level of a scheme with sub-levels."""
    return next((lv.shown_code for lv in catalogue.levels if lv.number == number), str(number))


BULLETS = ("•", "●", "▪", "- ")


@register.filter
def guidance(text: str, css: str = "govuk-body-s") -> str:
    """A guidance passage as the document lays it out: its "•" lines as a bulleted list, other lines as
    paragraphs (a run of bullets read as one sentence is hard to scan). Everything is escaped."""
    blocks: list[str] = []
    items: list[str] = []

    def close_list() -> None:
        if items:
            blocks.append(format_html('<ul class="govuk-list govuk-list--bullet {}">{}</ul>', css,
                                      format_html_join("", "<li>{}</li>", ((i,) for i in items))))
            items.clear()

    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        bullet = next((b for b in BULLETS if line.startswith(b)), None)
        if bullet:
            items.append(line[len(bullet):].strip())
        else:
            close_list()
            blocks.append(format_html('<p class="{}">{}</p>', css, line))
    close_list()
    return mark_safe("".join(blocks))  # noqa: S308 - every part was escaped by format_html above

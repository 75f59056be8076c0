from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from catalogues.contacts import phone_links

register = template.Library()


@register.inclusion_tag("includes/phone.html")
def phone(contact):
    """One tel: link per number the contact's phone entry gives ("0151 934 4013/ 4481" is two)."""
    return {"links": phone_links(getattr(contact, "phone", None))}


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

from django import template

from catalogues.contacts import phone_links

register = template.Library()


@register.inclusion_tag("includes/phone.html")
def phone(contact):
    """One tel: link per number the contact's phone entry gives ("0151 934 4013/ 4481" is two)."""
    return {"links": phone_links(getattr(contact, "phone", None))}

"""`{% query_with "page" 3 %}`: the current query string with one parameter set, so paging links keep the
filters (and another list's page) that are already in the address."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, name: str, value) -> str:
    query = context["request"].GET.copy()
    query[name] = str(value)
    return query.urlencode()

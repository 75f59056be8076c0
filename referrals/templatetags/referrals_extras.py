from django import template

register = template.Library()


@register.filter
def split(value: str, sep: str) -> list[str]:
    return value.split(sep)


@register.filter
def index(seq, i):
    return seq[i] if 0 <= i < len(seq) else ""


@register.filter
def get_key(mapping, key):
    return mapping.get(key, "") if hasattr(mapping, "get") else ""


@register.filter
def with_blank_rows(rows, blanks: int):
    """The saved rows plus some empty ones to type into (adding more works without JavaScript)."""
    return list(rows or []) + [{} for _ in range(blanks)]

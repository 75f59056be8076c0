"""A small HTML reader for tests: elements with their attributes, parents and text, and what a browser
would post from a form."""

from __future__ import annotations

from html.parser import HTMLParser

VOID = {"input", "br", "meta", "link", "img", "hr", "source", "col", "area", "base", "wbr"}


class Element:
    def __init__(self, tag: str, attrs: dict[str, str], parent: Element | None):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Element] = []
        self.parts: list[str | Element] = []  # text and child elements, in order

    def iter(self):
        yield self
        for child in self.children:
            yield from child.iter()

    def find_all(self, tag: str | None = None, **attrs) -> list[Element]:
        return [e for e in self.iter() if (tag is None or e.tag == tag)
                and all(e.attrs.get(k.rstrip("_").replace("_", "-")) == v for k, v in attrs.items())]

    def find(self, tag: str | None = None, **attrs) -> Element:
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag} {attrs}>"
        return found[0]

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def ancestor(self, tag: str) -> Element | None:
        e = self.parent
        while e is not None and e.tag != tag:
            e = e.parent
        return e

    def all_text(self) -> str:
        return " ".join(" ".join(p if isinstance(p, str) else p.all_text() for p in self.parts).split())


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Element("root", {}, None)

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(element)
        self.current.parts.append(element)
        if tag not in VOID:
            self.current = element

    def handle_endtag(self, tag):
        e = self.current
        while e is not None and e.tag != tag:
            e = e.parent
        if e is not None and e.parent is not None:
            self.current = e.parent

    def handle_data(self, data):
        self.current.parts.append(data)


def html(text: str) -> Element:
    reader = _Reader()
    reader.feed(text)
    return reader.root


def by_id(page: Element, id_: str) -> Element:
    return page.find(id=id_)


def submitted(form: Element) -> list[tuple[str, str]]:
    """What a browser would post from the form: hidden and text inputs, checked boxes, selected options."""
    out = []
    for e in form.iter():
        name = e.attrs.get("name")
        if not name:
            continue
        if e.tag == "input" and e.attrs.get("type") in ("checkbox", "radio"):
            if "checked" in e.attrs:
                out.append((name, e.attrs.get("value", "on")))
        elif e.tag == "input":
            out.append((name, e.attrs.get("value", "")))
        elif e.tag == "select":
            chosen = [o for o in e.find_all("option") if "selected" in o.attrs] or e.find_all("option")[:1]
            out.extend((name, o.attrs.get("value", "")) for o in chosen)
    return out


def text_of(body: str, testid: str) -> str:
    """The text of the element marked data-testid=`testid` on a page."""
    return html(body).find(data_testid=testid).all_text()

"""What changed between two versions of a catalogue, and what the change does to the worked
examples. Pure: two parsed catalogues in, plain data out."""

from __future__ import annotations

from dataclasses import dataclass, field

from .engine import Context, suggest
from .schema import Catalogue, Indicator

SECTIONS = ["levels", "domains", "contacts", "emergency", "consent_grounds", "rules", "lists",
            "disability_matrix", "escalation", "worked_examples", "notes", "document", "authority"]


@dataclass(frozen=True)
class Move:
    indicator: Indicator
    before: str
    after: str


@dataclass
class Diff:
    added: list[Indicator] = field(default_factory=list)
    changed: list[tuple[Indicator, Indicator]] = field(default_factory=list)  # wording changed
    retired: list[Indicator] = field(default_factory=list)
    moved: list[Move] = field(default_factory=list)  # level, domain or sub-area changed
    flags_changed: list[tuple[Indicator, Indicator]] = field(default_factory=list)
    reordered: bool = False
    sections: list[str] = field(default_factory=list)  # other parts of the catalogue that changed

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.retired or self.moved or self.flags_changed
                    or self.reordered or self.sections)


def _place(i: Indicator) -> str:
    sub = f" / {i.subdomain}" if i.subdomain else ""
    return f"Level {i.level}, {i.domain}{sub}"


def diff(before: Catalogue, after: Catalogue) -> Diff:
    out = Diff()
    old = {i.id: i for i in before.indicators}
    for new in after.indicators:
        was = old.get(new.id)
        if was is None:
            out.added.append(new)
            continue
        if new.retired and not was.retired:
            out.retired.append(new)
            continue
        if new.text != was.text:
            out.changed.append((was, new))
        if (new.level, new.domain, new.subdomain) != (was.level, was.domain, was.subdomain):
            out.moved.append(Move(new, _place(was), _place(new)))
        if (new.immediate_danger, new.child_protection, new.applies_to) != \
                (was.immediate_danger, was.child_protection, was.applies_to):
            out.flags_changed.append((was, new))
    common_before = [i.id for i in before.indicators if i.id in {n.id for n in after.indicators}]
    common_after = [i.id for i in after.indicators if i.id in old]
    out.reordered = common_before != common_after
    for name in SECTIONS:
        if getattr(before, name) != getattr(after, name):
            out.sections.append(name)
    return out


@dataclass(frozen=True)
class ExampleImpact:
    id: str
    expected: int
    before: int | None
    after: int | None

    @property
    def changes(self) -> bool:
        return self.before != self.after

    @property
    def holds(self) -> bool:
        return self.after == self.expected


def example_impact(before: Catalogue, after: Catalogue) -> list[ExampleImpact]:
    """Run the draft's worked examples against both versions."""
    out = []
    for ex in after.worked_examples:
        ctx = Context(unborn=ex.context.unborn)
        out.append(ExampleImpact(ex.id, ex.expected_level, suggest(before, ex.ticks, ctx).level_number,
                                 suggest(after, ex.ticks, ctx).level_number))
    return out

"""Fidelity of a catalogue to its seed document.

Every quoted field (``VERBATIM_FIELDS``) must occur in the seed document once both are
normalised: HTML tags and entities, markdown emphasis, bullet glyphs, typographic quotes and
dashes, and all whitespace (PDF line breaks split words) are ignored. A deliberate repair
(e.g. a letter the PDF dump lost) is listed in ``tests/fidelity_repairs/<slug>.json`` with the
seed's own text and the reason; the seed text must then occur instead.

Run by hand while transcribing:  python -m tests.fidelity fixtures/catalogues/<slug>.json
"""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
REPAIRS = Path(__file__).resolve().parent / "fidelity_repairs"

VERBATIM_FIELDS = {"text", "sentence", "low", "moderate", "high", "child_voice", "description"}
# Where the matrix bands quote the document too.
VERBATIM_FIELDS |= {"assessment_of_need", "desired_outcomes", "allocation_of_resources", "intro"}

_TAG = re.compile(r"<[^>]+>")
_GLYPHS = str.maketrans(
    {
        "‘": "'", "’": "'", "‚": "'", "′": "'", "`": "'",
        "“": '"', "”": '"', "„": '"',
        "‐": "-", "‑": "-", "–": "-", "—": "-", "−": "-",
        "\u00ad": None, "\ufffd": None,
    }
)
_DROP = re.compile(r"[\s■•➢●▪◦○□✓✔·*\\\u200b\uf0b7\uf0a7\uf0d8\uf076\uf0fc]+")


def normalise(text: str) -> str:
    text = html.unescape(_TAG.sub(" ", text))
    text = text.translate(_GLYPHS)
    return _DROP.sub("", text)


def quoted_strings(node, path="") -> list[tuple[str, str]]:
    """(json path, text) for every verbatim field in a catalogue's JSON."""
    out: list[tuple[str, str]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            sub = f"{path}.{key}" if path else key
            if key in VERBATIM_FIELDS and isinstance(value, str):
                out.append((sub, value))
            elif isinstance(value, (dict, list)):
                out.extend(quoted_strings(value, sub))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            label = f"{path}[{i}]"
            if isinstance(value, dict) and isinstance(value.get("id"), str):
                label += f"(id={value['id']})"
            out.extend(quoted_strings(value, label))
    return out


def load_repairs(slug: str) -> dict[str, dict]:
    path = REPAIRS / f"{slug}.json"
    if not path.exists():
        return {}
    return {r["text"]: r for r in json.loads(path.read_text(encoding="utf-8"))}


def unfaithful(catalogue_path: Path) -> list[str]:
    """Problems found: quoted text missing from the seed, or a repair whose seed text is missing."""
    data = json.loads(catalogue_path.read_text(encoding="utf-8"))
    seed = normalise((SEEDS / data["document"]["seed_file"]).read_text(encoding="utf-8"))
    repairs = load_repairs(data["authority"]["slug"])
    problems = []
    for path, text in quoted_strings(data):
        if normalise(text) in seed:
            continue
        repair = repairs.get(text)
        if repair is None:
            problems.append(f"{path}: not in the seed document: {text[:140]!r}")
        elif normalise(repair["seed"]) not in seed:
            problems.append(f"{path}: repair's seed text not in the seed document: {repair['seed'][:140]!r}")
    return problems


if __name__ == "__main__":
    failures = 0
    for arg in sys.argv[1:]:
        found = unfaithful(Path(arg))
        for line in found:
            print(f"{arg}: {line}")
        failures += len(found)
        print(f"{arg}: {len(found)} problem(s)")
    sys.exit(1 if failures else 0)

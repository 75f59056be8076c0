"""Fidelity of a catalogue to its seed document.

Every quoted field (``VERBATIM_FIELDS``) must occur in the seed document once both are
normalised: HTML tags and entities, markdown emphasis, bullet glyphs, typographic quotes and
dashes, and all whitespace (PDF line breaks split words) are ignored. A deliberate repair
(e.g. a letter the PDF dump lost) is listed in ``tests/fidelity_repairs/<slug>.json`` with the
seed's own text and the reason; the seed text must then occur instead.

Beyond wording (``unfounded``): every phone number, email address and URL must occur in the seed;
every number of hours or working days must occur in the sentence it is read from; every opening
time of a contact must be one the document gives in some contact's hours; every contact's hours,
every flag's sentence and every consent sentence are verbatim fields like the rest.

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

VERBATIM_FIELDS = {"text", "sentence", "low", "moderate", "high", "child_voice", "description", "hours"}
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


_NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight",
                 9: "nine", 10: "ten", 12: "twelve", 15: "fifteen", 20: "twenty"}


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _loose(text: str) -> str:
    """Lower case, no whitespace: URLs and emails split across PDF lines still match."""
    return re.sub(r"\s+", "", text).lower()


def _address(url: str) -> str:
    """A URL without its scheme: catalogues store https:// links; documents often print http:// or none."""
    return re.sub(r"^https?://", "", _loose(url))


def _times_in(text: str) -> set[str]:
    """Every clock time a sentence gives, as HH:MM ("9am", "4.30pm", "17:00", "midnight")."""
    found = set()
    low = text.lower()
    for h, m, ampm in re.findall(r"\b(\d{1,2})(?:[.:](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)", low):
        hour = int(h) % 12 + (12 if ampm.startswith("p") else 0)
        found.add(f"{hour:02d}:{m or '00'}")
    for h, m in re.findall(r"\b([01]?\d|2[0-4])[:.](\d{2})\b(?!\s*(?:am|pm|a\.m|p\.m))", low):
        found.add(f"{int(h):02d}:{m}")
    if "midnight" in low:
        found |= {"00:00", "24:00"}
    if "noon" in low or "midday" in low:
        found.add("12:00")
    return found


def unfounded(catalogue_path: Path) -> list[str]:
    """Numbers, addresses and times in a catalogue that the seed document does not give."""
    data = json.loads(catalogue_path.read_text(encoding="utf-8"))
    raw = (SEEDS / data["document"]["seed_file"]).read_text(encoding="utf-8")
    seed_digits = _digits(raw)
    seed_loose = _loose(html.unescape(raw))
    problems = []
    for n, c in enumerate(data.get("contacts", [])):
        place = f"contacts[{n}](id={c['id']})"
        if c.get("phone") and normalise(c["phone"]) not in normalise(raw):
            problems.append(f"{place}.phone: not in the seed document: {c['phone']!r}")
        if c.get("phone") and _digits(c["phone"]) not in seed_digits:
            problems.append(f"{place}.phone: its digits are not in the seed document: {c['phone']!r}")
        for key in ("email", "url"):
            if c.get(key) and (_address(c[key]) if key == "url" else _loose(c[key])) not in seed_loose:
                problems.append(f"{place}.{key}: not in the seed document: {c[key]!r}")
    given = set().union(*(_times_in(c.get("hours") or "") for c in data.get("contacts", [])))
    for n, c in enumerate(data.get("contacts", [])):
        for w, window in enumerate(c.get("windows", [])):
            for key in ("start", "end"):
                t = window[key]
                if t not in given and t not in ("00:00", "24:00"):
                    problems.append(f"contacts[{n}](id={c['id']}).windows[{w}].{key}: {t} is not a time the "
                                    "document gives in any contact's hours")

    def walk(node, path=""):
        if isinstance(node, dict):
            for key in ("hours", "working_days"):
                value = node.get(key)
                if isinstance(value, int) and not isinstance(value, bool):
                    sentence = node.get("text") or node.get("sentence") or ""
                    word = _NUMBER_WORDS.get(value)
                    if not re.search(rf"(?<!\d){value}(?!\d)", sentence) and not (
                            word and re.search(rf"\b{word}\b", sentence.lower())):
                        problems.append(f"{path}.{key}: {value} does not occur in the sentence it is read "
                                        f"from: {sentence[:120]!r}")
            for key in ("url",):
                value = node.get(key)
                if isinstance(value, str) and _address(value) not in seed_loose:
                    problems.append(f"{path}.{key}: not in the seed document: {value!r}")
            for key, value in node.items():
                if isinstance(value, (dict, list)) and key != "contacts":
                    walk(value, f"{path}.{key}" if path else key)
        elif isinstance(node, list):
            for i, value in enumerate(node):
                label = f"{path}[{i}]"
                if isinstance(value, dict) and isinstance(value.get("id"), str):
                    label += f"(id={value['id']})"
                walk(value, label)

    walk(data)
    return problems


if __name__ == "__main__":
    failures = 0
    for arg in sys.argv[1:]:
        found = unfaithful(Path(arg)) + unfounded(Path(arg))
        for line in found:
            print(f"{arg}: {line}")
        failures += len(found)
        print(f"{arg}: {len(found)} problem(s)")
    sys.exit(1 if failures else 0)

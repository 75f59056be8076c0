"""Reading catalogue files: bytes in, a validated ``Catalogue`` or a precise refusal out.

No ORM here; the loader command, the admin upload and the tests share it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from core.errors import Problem

from .schema import Catalogue

MAX_FILE_BYTES = 5 * 1024 * 1024


class CatalogueFileError(Exception):
    """A catalogue file that cannot be used, with every problem found in it."""

    def __init__(self, filename: str, problems: list[Problem]):
        self.filename = filename
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{filename}: refused, nothing loaded from it.\n{lines}")


def _path(loc: tuple, data: object) -> str:
    """Render a pydantic location as a JSON path, naming list items by their id where known."""
    out = ""
    node = data
    for part in loc:
        if isinstance(part, int):
            label = f"[{part}]"
            if isinstance(node, list) and 0 <= part < len(node):
                node = node[part]
                if isinstance(node, dict) and isinstance(node.get("id"), str):
                    label = f"[{part}](id={node['id']})"
            else:
                node = None
            out += label
        else:
            out += ("." if out else "") + str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return out or "(top level)"


_ID_IN_PLACE = re.compile(r"\(id=([^)]+)\)")


def _with_line(text: str, place: str) -> str:
    """Add the line of the last item named by id in `place`, so an editor can jump to it."""
    found = _ID_IN_PLACE.findall(place)
    if not found:
        return place
    needle = re.compile(r'"id"\s*:\s*' + re.escape(json.dumps(found[-1], ensure_ascii=False)))
    match = needle.search(text)
    if not match:
        return place
    return f"{place} (line {text.count(chr(10), 0, match.start()) + 1})"


def parse_catalogue(data: bytes, filename: str) -> Catalogue:
    """Validate one catalogue file's bytes; raise ``CatalogueFileError`` naming every problem."""
    if len(data) > MAX_FILE_BYTES:
        raise CatalogueFileError(
            filename, [Problem("(file)", f"file is {len(data)} bytes; the limit is {MAX_FILE_BYTES}")]
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return _refuse(filename, f"line {line}, byte {exc.start}", "not valid UTF-8; save the file as UTF-8")
    raw, problem = read_json(text)
    if problem is not None:
        raise CatalogueFileError(filename, [problem])
    if not isinstance(raw, dict):
        return _refuse(filename, "(top level)", "a catalogue file must be a JSON object")
    try:
        return Catalogue.model_validate_json(text)
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_url=False):
            msg = err["msg"]
            if msg.startswith("Value error, "):
                for part in msg.removeprefix("Value error, ").split("; "):
                    place, sep, reason = part.partition(" | ")
                    if sep:
                        problems.append(Problem(_with_line(text, place), reason))
                    else:
                        problems.append(Problem(_with_line(text, _path(err["loc"], raw)), part))
            else:
                problems.append(Problem(_with_line(text, _path(err["loc"], raw)), msg))
        raise CatalogueFileError(filename, problems) from None


_LONG_NUMBER = re.compile(r"\d{4000,}")


def read_json(text: str) -> tuple[Any, Problem | None]:
    """Parse JSON text; on failure, the place and what to fix (never an exception a page would 500 on)."""
    try:
        return json.loads(text), None
    except json.JSONDecodeError as exc:
        return None, Problem(f"line {exc.lineno}, column {exc.colno}", f"not valid JSON: {exc.msg}")
    except RecursionError:
        return None, Problem("(file)", "not valid JSON: nested too deeply")
    except ValueError:  # Python refuses integers of more than 4,300 digits
        found = _LONG_NUMBER.search(text)
        place = f"line {text[:found.start()].count(chr(10)) + 1}" if found else "(file)"
        return None, Problem(place, "a number there is thousands of digits long: no catalogue value is; correct it")


def _refuse(filename: str, place: str, reason: str) -> Catalogue:
    raise CatalogueFileError(filename, [Problem(place, reason)])


def read_catalogue_file(path: Path) -> Catalogue:
    return parse_catalogue(path.read_bytes(), path.name)


def dump_catalogue(catalogue: Catalogue) -> str:
    """The canonical file form: what export writes and what a re-load reads back unchanged."""
    return json.dumps(catalogue.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"

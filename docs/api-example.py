#!/usr/bin/env python3
"""The JSON API, end to end, against `make run`'s demo (docs/api.md). Standard library only.

    make run                                                        # in one terminal
    make -s manage ARGS="issue_api_token lead.sefton --name demo"   # prints a token, once
    TDS_TOKEN=tds_... python3 docs/api-example.py

It starts an assessment (a consultation: no child's details) with an Idempotency-Key, saves ticks,
reads the suggestion back, and fetches the approved referral of the organisation's first approved
draft (`make run` seeds one fictional approved referral and one waiting for review per partnership).
tests/api/test_example.py runs these functions against the application, so the example cannot rot.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from typing import Any

# (method, path, body, headers) -> (status, parsed JSON)
Send = Callable[[str, str, Any, dict[str, str]], tuple[int, Any]]


def http_sender(base_url: str) -> Send:
    def send(method: str, path: str, body: Any, headers: dict[str, str]) -> tuple[int, Any]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(base_url + path, data=data, method=method,  # noqa: S310 (http(s) only)
                                         headers={"Content-Type": "application/json", **headers})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:  # a problem document (application/problem+json)
            return error.code, json.loads(error.read() or b"null")
    return send


class Client:
    def __init__(self, send: Send, token: str):
        self.send, self.auth = send, {"Authorization": f"Bearer {token}"}

    def _call(self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None,
              expect: int = 200) -> Any:
        status, answer = self.send(method, "/api/v1" + path, body, {**self.auth, **(headers or {})})
        if status != expect:
            raise RuntimeError(f"{method} {path}: {status} {answer.get('title')}: {answer.get('detail')}")
        return answer

    def indicators(self, partnership: str, version: int) -> list[dict]:
        return self._call("GET", f"/partnerships/{partnership}/versions/{version}/indicators?page_size=100")["items"]

    def start_assessment(self, key: str, partnership: str | None = None) -> dict:
        body = {"mode": "consultation"} | ({"partnership": partnership} if partnership else {})
        return self._call("POST", "/assessments", body, {"Idempotency-Key": key}, expect=201)

    def save_ticks(self, assessment: dict, ticks: list[str]) -> dict:
        return self._call("PUT", f"/assessments/{assessment['id']}/ticks",
                          {"ticks": ticks, "revision": assessment["revision"]})

    def assessment(self, assessment_id: int) -> dict:
        return self._call("GET", f"/assessments/{assessment_id}")

    def first_approved_referral(self) -> dict | None:
        page = 1
        while True:
            drafts = self._call("GET", f"/drafts?page={page}&page_size=100")
            for row in drafts["items"]:
                if row["status"] in ("approved", "sent", "decided"):
                    return self._call("GET", f"/drafts/{row['id']}/approved")
            if page >= drafts["pages"]:
                return None
            page += 1


def walk_through(client: Client, say: Callable[[str], None] = print) -> dict[str, Any]:
    key = str(uuid.uuid4())
    made = client.start_assessment(key)
    again = client.start_assessment(key)  # a retry (a lost answer, say): the same assessment, not a second
    assert again["id"] == made["id"]
    say(f"Started assessment {made['id']} ({made['partnership']}, catalogue version {made['version']})")
    level_2 = [i["id"] for i in client.indicators(made["partnership"], made["version"])
               if i["level"] == 2 and not i["child_protection"] and not i["retired"]][:3]
    saved = client.save_ticks(made, level_2)
    read = client.assessment(made["id"])
    suggestion = read["suggestion"]
    say(f"Ticked {len(level_2)}: suggested level {suggestion['suggested_level']} ({suggestion['level_name']}), "
        f"route {suggestion['route_kind']}; because of {', '.join(suggestion['reasons'])}")
    for contact in suggestion["contacts"]:
        say(f"  contact: {contact['name']} {contact['phone'] or ''} open now: {contact['open_now']}")
    approved = client.first_approved_referral()
    if approved is None:
        say("No approved referral in this organisation yet.")
    else:
        say(f"Approved referral of draft {approved['draft']} (submission {approved['submission']}, "
            f"reviewed by {approved['reviewed_by']}), record hash {approved['content_hash'][:12]}: "
            f"{approved['record']['title']}")
    return {"assessment": read, "saved": saved, "approved": approved}


if __name__ == "__main__":
    token = os.environ.get("TDS_TOKEN", "")
    if not token:
        sys.exit("Set TDS_TOKEN: make -s manage ARGS=\"issue_api_token lead.sefton --name demo\" prints one.")
    walk_through(Client(http_sender(os.environ.get("TDS_URL", "http://127.0.0.1:8000")), token))

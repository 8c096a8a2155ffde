"""Helpers shared by the browser tests (conftest.py holds their fixtures)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from .conftest import REPO

TOOLS = Path(os.environ.get("ALMANAC_NPM_TOOLS", REPO / ".cache" / "npm-tools")) / "node_modules"
AXE = TOOLS / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1366, "height": 900}
BLOCKING = ("serious", "critical")

# Collects every CSP violation, from the page's first script on.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(
    e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));
"""


def violations(page: Any) -> list[str]:
    return list(page.evaluate("() => window.__violations"))


class Visit:
    """A tab that records what must never happen: console errors and failed requests."""

    def __init__(self, browser: Any, *, viewport: dict[str, int], scheme: str) -> None:
        self.context = browser.new_context(viewport=viewport, color_scheme=scheme, bypass_csp=True)
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.problems: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        self.page.on("requestfailed", lambda r: self.problems.append(f"failed: {r.url}"))
        self.page.on("response", self._response)
        self.expected_404: str | None = None

    def _console(self, message: Any) -> None:
        if message.type == "error" and "status of 404" not in message.text:
            self.problems.append(f"console: {message.text}")

    def _response(self, response: Any) -> None:
        # A 404 is reported here, with its address, rather than by the console's message.
        if response.status >= 400 and response.url != self.expected_404:
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def open(self, url: str, *, not_found: bool = False) -> None:
        self.expected_404 = url if not_found else None
        self.page.goto(url, wait_until="load")
        if "search/?q=" in url:
            self.page.locator(".pa-search__status").filter(has_text=re.compile("found")).wait_for()
        self.page.wait_for_load_state("networkidle")

    def axe(self, source: str, include: str | None = None) -> list[str]:
        self.page.add_script_tag(content=source)
        context = json.dumps({"include": [include]} if include else None)
        violations = self.page.evaluate(
            f"async () => (await axe.run({context} ?? document, "
            "{resultTypes: ['violations']})).violations"
        )
        return [
            f"{v['id']} ({v['impact']}): {v['help']} at "
            + ", ".join(" ".join(n["target"]) for n in v["nodes"][:3])
            for v in violations
            if v["impact"] in BLOCKING
        ]

    def close(self) -> None:
        self.context.close()

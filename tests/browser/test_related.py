"""Related papers in a card: the link becomes a button that opens the five links in the
card, with the keyboard, and each leads to a paper's permalink."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser


def test_a_card_opens_its_related_papers_in_place(page: Any, site_url: str) -> None:
    page.goto(site_url + "days/2026/01/06/")
    card = page.locator("article.pa-card").first
    toggle = card.locator("button.pa-card__related-toggle")
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.focus()
    page.keyboard.press("Enter")
    links = card.locator("ol.pa-related a")
    links.first.wait_for()
    assert toggle.get_attribute("aria-expanded") == "true"
    # The fixture is small: a paper has only the neighbours that share its words.
    listed = page.request.get(site_url + "days/2026/01/06/related.html").text()
    pid = card.get_attribute("id")
    section = listed.split(f'<section id="{pid}"')[1].split("</section>")[0]
    assert links.count() == section.count("<li>") >= 1
    href = links.first.get_attribute("href")
    assert "/days/" in href and "#" in href
    links.first.click()
    target = href.split("#")[1]
    page.locator(f"article.pa-card[id='{target}']").wait_for()
    page.go_back()
    page.locator("article.pa-card").first.locator("button.pa-card__related-toggle").wait_for()


def test_cards_elsewhere_open_the_lists_of_their_day(page: Any, site_url: str) -> None:
    page.goto(site_url + "topics/reasoning/")
    card = page.locator("article.pa-card").first
    card.locator("button.pa-card__related-toggle").click()
    links = card.locator("ol.pa-related a")
    links.first.wait_for()
    for i in range(links.count()):
        href = links.nth(i).get_attribute("href")
        assert href.startswith(site_url) and "/days/" in href, href


def test_without_javascript_the_link_leads_to_the_days_list(browser: Any, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "days/2026/01/06/")
    link = page.locator("article.pa-card").first.locator("p.pa-card__related a")
    pid = link.get_attribute("href").split("#")[1]
    link.click()
    section = page.locator(f"section[id='{pid}']")
    assert section.locator("ol li a").count() >= 1
    context.close()

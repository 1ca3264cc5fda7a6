"""Pasting into the composer's text block, in Chromium: what Google Docs, Word, LibreOffice,
Gmail and a news web page put on the clipboard (kept byte for byte in fixtures/clipboard/)
keeps its bold, italic, links and lists and loses its fonts, colours, sizes, pictures and
empty paragraphs — in the editor as the journalist sees it, and identically in the published
post. A hostile clipboard puts nothing active into the editor itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Newsroom
from tests.e2e.newsroom_support import LIVE_WAIT, colleague, open_composer, posts, sign_in

pytestmark = pytest.mark.e2e
CLIPBOARD = Path(__file__).parent / "fixtures" / "clipboard"
SUBSET = {"p", "a", "strong", "em", "ul", "ol", "li", "blockquote", "br"}

# The structure of a text block's HTML, read in the browser: the top-level blocks as
# [tag, text] (a list as [tag, [item texts]]), the bold, italic and linked runs, every tag and
# attribute used, and each paragraph's or item's text (to find empty ones).
OUTLINE = """(root) => {
  const text = (el) => el.textContent.replace(/\\s+/g, ' ').trim();
  const items = (list) => Array.from(list.children, (li) => {
    const own = li.cloneNode(true);
    own.querySelectorAll('ul, ol').forEach((l) => l.remove());
    const nested = li.querySelector(':scope > ul, :scope > ol');
    return nested ? [text(own), nested.localName, items(nested)] : text(own);
  });
  const all = Array.from(root.querySelectorAll('*'));
  return {
    blocks: Array.from(root.children, (el) =>
      /^(ul|ol)$/.test(el.localName) ? [el.localName, items(el)] : [el.localName, text(el)]),
    bold: Array.from(root.querySelectorAll('strong'), text),
    italic: Array.from(root.querySelectorAll('em'), text),
    links: Array.from(root.querySelectorAll('a'), (a) => [text(a), a.getAttribute('href')]),
    tags: [...new Set(all.map((el) => el.localName))],
    attributes: [...new Set(all.flatMap((el) =>
      Array.from(el.attributes, (a) => el.localName + '[' + a.name + ']')))],
    empty: Array.from(root.querySelectorAll('p, li'), text).filter((t) => !t),
    text: root.textContent,
  };
}"""

# What a person sees: each run of text with the weight, slant and link the browser draws it
# with (computed styles, not tags), joined when alike.
SEEN = """(root) => {
  const runs = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.data.trim()) continue;
    const style = getComputedStyle(node.parentElement);
    const link = node.parentElement.closest('a');
    const run = [+style.fontWeight >= 600, style.fontStyle === 'italic',
                 link ? link.getAttribute('href') : null];
    const last = runs[runs.length - 1];
    const words = node.data.replace(/\\s+/g, ' ');
    if (last && last.slice(1).every((v, i) => v === run[i])) last[0] += words;
    else runs.push([words, ...run]);
  }
  return runs.map(([t, ...rest]) => [t.replace(/\\s+/g, ' ').trim(), ...rest]);
}"""


@dataclass(frozen=True)
class Expected:
    blocks: list[Any]
    bold: list[str]
    italic: list[str]
    links: list[list[str]]
    absent: list[str] = field(default_factory=list)


EXPECTED = {
    "google-docs.html": Expected(
        blocks=[
            ["p", "Flood barriers on the Elbe embankment were raised at 02:10, the city's crisis "
                  "team said. Residents of the lower town should move cars to higher ground."],
            ["p", "Evacuation is voluntary for now. Details on the city's flood page."],
            ["p", "What we know so far"],
            ["ul", ["Two schools closed in Pieschen",
                    ["Bus line 64 diverted", "ul", ["via Leipziger Straße"]],
                    "Shelter open at the Messe"]],
            ["p", "Steps the city asks for:"],
            ["ol", ["Check the cellar", "Switch off the mains"]],
            ["p", "Updated by Anna Lehmann at the crisis centre"],
        ],
        bold=["Flood barriers on the Elbe embankment", "Evacuation is", "What we know so far",
              "Two schools closed", "Anna Lehmann"],
        italic=["Residents of the lower town", "Evacuation is", "via Leipziger Straße"],
        links=[["city's flood page", "https://www.dresden.de/hochwasser"]],
    ),
    "word.html": Expected(
        blocks=[
            ["p", "Rail services between Leeds and York are suspended after a landslip near "
                  "Church Fenton, Network Rail said."],
            ["p", "Which services are affected"],
            ["ul", [["First bullet: TransPennine Express trains terminate at Leeds", "ul",
                     ["Replacement buses from platform 16"]],
                    "Northern runs an hourly shuttle"]],
            ["p", "Passengers should:"],
            ["ol", ["Check National Rail Enquiries before travelling",
                    "Keep their tickets for a refund"]],
            ["p", "Reporting by Tom Hallam in York"],
        ],
        bold=["Rail services", "Which services are affected", "platform 16", "Tom Hallam"],
        italic=["Network Rail", "refund", "Tom Hallam"],
        links=[["National Rail Enquiries", "https://www.nationalrail.co.uk/status"]],
        absent=["·", "\u00a0\u00a0", "Times New Roman"],
    ),
    "web-page.html": Expected(
        blocks=[
            ["p", "Wildfire reaches the outskirts of Patras"],
            ["p", "Firefighters were battling the blaze on three fronts on Tuesday, according to "
                  "the civil protection agency, and the wind was expected to strengthen "
                  "overnight."],
            ["p", "Key points:"],
            ["ul", ["Two villages evacuated: Saravali and Krini",
                    "The motorway to Pyrgos is closed"]],
            ["blockquote", "We have never seen it move this fast"],
            ["p", "Read our explainer on Greece's fire season."],
        ],
        bold=["Wildfire reaches the outskirts of Patras", "three fronts", "Key points:"],
        italic=["strengthen overnight", "We have never seen it move this fast"],
        links=[["civil protection agency", "https://www.civilprotection.gr/en/press-releases"],
               ["explainer on Greece's fire season",
                "https://www.newsexample.com/world/2026/aug/04/greece-wildfires-explained"]],
        absent=["Advertisement", "Photograph: Reuters", "Share"],
    ),
    "gmail.html": Expected(
        blocks=[
            ["p", "Hi desk,"],
            ["p", "the council has confirmed three schools stay shut tomorrow:"],
            ["ul", ["St Mary's Primary", "Hillside Academy", "Riverside Infants"]],
            ["p", "Statement in full is on the council site. Not for publication before 18:00."],
            ["p", "Cheers,"],
            ["p", "Jo"],
            ["p", "--"],
            ["p", "Jo Marsh | Education correspondent"],
        ],
        bold=["three"],
        italic=["Not for publication before 18:00."],
        links=[["the council site", "https://www.leeds.gov.uk/news/school-closures"]],
    ),
    "libreoffice.html": Expected(
        blocks=[
            ["p", "Count in Ward 7"],
            ["p", "Turnout reached 61 per cent, the highest since 1997, according to the "
                  "Electoral Commission."],
            ["ul", ["Labour holds the seat", "Recount requested by the Greens"]],
        ],
        bold=["Count in Ward 7", "Turnout", "Greens"],
        italic=["highest since 1997"],
        links=[["Electoral Commission", "https://www.electoralcommission.org.uk/"]],
    ),
}


def paste(page: Page, html: str | None, text: str, index: int = 0) -> None:
    """A paste as the browser fires it: a ClipboardEvent whose DataTransfer holds text/html
    (when the program offers it) and text/plain, at the caret in the focused text block."""
    page.locator("#compose-editor .blk__text").nth(index).click()
    page.evaluate("""([html, text]) => {
        const data = new DataTransfer();
        if (html !== null) data.setData('text/html', html);
        data.setData('text/plain', text);
        document.activeElement.dispatchEvent(new ClipboardEvent('paste',
            {clipboardData: data, bubbles: true, cancelable: true}));
    }""", [html, text])


def plain_text_of(page: Page, html: str) -> str:
    """What the program puts beside its HTML as text/plain (near enough: the text)."""
    return str(page.evaluate(
        "(html) => new DOMParser().parseFromString(html, 'text/html').body.textContent", html))


def outline(page: Page, selector: str) -> dict[str, Any]:
    result: dict[str, Any] = page.locator(selector).evaluate(OUTLINE)
    return result


def assert_clean(shape: dict[str, Any], expected: Expected, *, published: bool) -> None:
    assert shape["blocks"] == expected.blocks
    assert sorted(shape["bold"]) == sorted(expected.bold)
    assert sorted(shape["italic"]) == sorted(expected.italic)
    assert shape["links"] == expected.links
    assert set(shape["tags"]) <= SUBSET, shape["tags"]
    allowed = {"a[href]"} | ({"a[rel]"} if published else set())
    assert set(shape["attributes"]) <= allowed, shape["attributes"]
    assert shape["empty"] == []
    for word in ["·", "Arial", "Calibri", "font", "color", "style", *expected.absent]:
        assert word not in shape["text"], word


@pytest.fixture
def composer(page: Page, newsroom_server: Newsroom) -> tuple[Page, str]:
    slug = newsroom_server.new_blog("Paste desk")
    sign_in(page, colleague(newsroom_server, slug, "editor"))
    open_composer(page, slug)
    return page, slug


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_paste_keeps_bold_italic_links_and_lists_and_publishes_what_the_editor_shows(
        composer: tuple[Page, str], newsroom_server: Newsroom, name: str) -> None:
    page, slug = composer
    html = (CLIPBOARD / name).read_text(encoding="utf-8")
    paste(page, html, plain_text_of(page, html))
    box = "#compose-editor .blk__text"
    print(page.locator(box).inner_html())
    assert_clean(outline(page, box), EXPECTED[name], published=False)
    seen = page.locator(box).evaluate(SEEN)

    page.locator("#publish").click()
    expect(page.locator("#state")).to_have_text("Live ✓", timeout=LIVE_WAIT)
    (post,) = posts(newsroom_server, slug)
    r = newsroom_server.client.get(f"/api/v1/blogs/{slug}/posts/{post['id']}")
    assert r.status_code == 200, r.text
    (block,) = r.json()["blocks"]
    assert block["kind"] == "text"
    print(block["html"])
    page.goto(f"/blogs/{slug}/posts/{post['id']}")
    body = f"#post-{post['id']} .block--text"
    expect(page.locator(body)).to_be_visible()
    assert_clean(outline(page, body), EXPECTED[name], published=True)
    assert page.locator(body).evaluate(SEEN) == seen  # what the journalist saw is what readers get

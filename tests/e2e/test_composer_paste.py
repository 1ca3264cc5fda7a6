"""Pasting into the composer's text block, in Chromium: what Google Docs, Word, LibreOffice,
Gmail and a news web page put on the clipboard (kept byte for byte in fixtures/clipboard/)
keeps its bold, italic, links and lists and loses its fonts, colours, sizes, pictures and
empty paragraphs — in the editor as the journalist sees it, and identically in the published
post. A hostile clipboard puts nothing active into the editor itself."""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
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
    const run = [+style.fontWeight >= 600, /italic|oblique/.test(style.fontStyle),
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


def outline_html(page: Page, html: str) -> dict[str, Any]:
    """The outline of HTML the API returned, parsed inert in the page."""
    result: dict[str, Any] = page.evaluate(
        f"""(html) => ({OUTLINE})(Object.assign(document.createElement('template'),
                                                {{innerHTML: html}}).content)""", html)
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
    assert_clean(outline(page, box), EXPECTED[name], published=False)
    seen = page.locator(box).evaluate(SEEN)

    page.locator("#publish").click()
    expect(page.locator("#state")).to_have_text("Live ✓", timeout=LIVE_WAIT)
    (post,) = posts(newsroom_server, slug)
    r = newsroom_server.client.get(f"/api/v1/blogs/{slug}/posts/{post['id']}")
    assert r.status_code == 200, r.text
    (block,) = r.json()["blocks"]
    assert block["kind"] == "text"
    assert_clean(outline_html(page, block["html"]), EXPECTED[name], published=True)
    page.goto(f"/blogs/{slug}/posts/{post['id']}")
    body = f"#post-{post['id']} .block--text"
    expect(page.locator(body)).to_be_visible()
    assert_clean(outline(page, body), EXPECTED[name], published=True)
    assert page.locator(body).evaluate(SEEN) == seen  # what the journalist saw is what readers get


DOCS_SPAN = ('<span style="font-size:11pt;font-family:Arial,sans-serif;color:#000000;'
             'background-color:transparent;font-weight:{w};font-style:{i};font-variant:normal;'
             'text-decoration:none;vertical-align:baseline;white-space:pre;white-space:pre-wrap;">'
             '{t}</span>')
DOCS_P = '<p dir="ltr" style="line-height:1.38;margin-top:0pt;margin-bottom:0pt;">{}</p>'


def docs(*paragraphs: str) -> str:
    return ('<meta charset="utf-8"><b style="font-weight:normal;" '
            'id="docs-internal-guid-0a1b2c3d-7fff-1234-5678-9abcdef01234">'
            + "".join(DOCS_P.format(p) for p in paragraphs) + "</b>")


def span(text: str, weight: int = 400, style: str = "normal") -> str:
    return DOCS_SPAN.format(w=weight, i=style, t=text)


def published_html(nr: Newsroom, slug: str) -> str:
    (post,) = posts(nr, slug)
    (block,) = post["blocks"]
    return str(block["html"])


def test_a_paste_lands_at_the_caret_and_joins_the_paragraph_being_typed(
        composer: tuple[Page, str], newsroom_server: Newsroom) -> None:
    page, slug = composer
    box = page.locator("#compose-editor .blk__text")
    box.click()
    page.keyboard.type("Police said ")
    paste(page, docs(span("the bridge is closed", 700) + span(" until further notice")),
          "the bridge is closed until further notice")
    page.keyboard.type(", and traffic is diverted.")
    page.keyboard.press("Enter")
    page.keyboard.type("Diversions:")
    page.keyboard.press("Enter")
    paste(page, '<meta charset="utf-8"><ul style="margin-top:0;margin-bottom:0;">'
                '<li dir="ltr" style="list-style-type:disc;font-size:11pt;font-family:Arial;" '
                'aria-level="1"><p dir="ltr" style="line-height:1.38;margin-top:0pt;" '
                f'role="presentation">{span("A4 via Grimma", 400, "italic")}</p></li>'
                '<li dir="ltr" style="list-style-type:disc;" aria-level="1"><p dir="ltr" '
                f'role="presentation">{span("B6 via Wurzen")}</p></li></ul>',
          "A4 via Grimma\nB6 via Wurzen")
    expected = ("<p>Police said <strong>the bridge is closed</strong> until further notice, and "
                "traffic is diverted.</p><p>Diversions:</p>"
                "<ul><li><em>A4 via Grimma</em></li><li>B6 via Wurzen</li></ul>")
    assert box.evaluate("el => el.querySelectorAll('[style], [class], span, font').length") == 0
    seen = box.evaluate(SEEN)
    assert [run for run in seen if run[1] or run[2]] == [
        ["the bridge is closed", True, False, None], ["A4 via Grimma", False, True, None]]
    page.locator("#publish").click()
    expect(page.locator("#state")).to_have_text("Live ✓", timeout=LIVE_WAIT)
    # a space typed before the paste is the browser's no-break space: the same to a reader
    assert published_html(newsroom_server, slug).replace("&nbsp;", " ") == expected


def test_bold_and_italic_the_browser_made_with_styles_are_published_as_shown(
        composer: tuple[Page, str], newsroom_server: Newsroom) -> None:
    """Chrome's own paste (and some of its editing) leaves styled spans in a contenteditable:
    what the editor shows bold or italic must go out bold or italic, and only that."""
    page, slug = composer
    box = page.locator("#compose-editor .blk__text")
    box.click()
    page.evaluate("""(html) => document.execCommand('insertHTML', false, html)""",
                  span("Bold lead", 700) + span(" plain ") + span("slanted", 400, "italic")
                  + '<b style="font-weight:normal"> not bold </b>'
                  + '<span style="font-weight: 600; font-style: oblique">both</span>')
    seen = box.evaluate(SEEN)
    assert seen == [["Bold lead", True, False, None], ["plain", False, False, None],
                    ["slanted", False, True, None], ["not bold", False, False, None],
                    ["both", True, True, None]]
    page.locator("#publish").click()
    expect(page.locator("#state")).to_have_text("Live ✓", timeout=LIVE_WAIT)
    assert published_html(newsroom_server, slug) == (
        "<p><strong>Bold lead</strong> plain <em>slanted</em> not bold "
        "<strong><em>both</em></strong></p>")
    (post,) = posts(newsroom_server, slug)
    page.goto(f"/blogs/{slug}/posts/{post['id']}")
    assert page.locator(f"#post-{post['id']} .block--text").evaluate(SEEN) == seen




def test_a_hostile_paste_puts_nothing_active_into_the_editor(
        composer: tuple[Page, str], newsroom_server: Newsroom) -> None:
    page, slug = composer
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    paste(page, (CLIPBOARD / "hostile.html").read_text(encoding="utf-8"), "Safe bold text")
    page.wait_for_timeout(500)  # any handler or load would have run by now
    box = page.locator("#compose-editor .blk__text")
    found = box.evaluate("""(el) => ({
        elements: Array.from(el.querySelectorAll('*'), (e) => e.localName),
        attributes: Array.from(el.querySelectorAll('*')).flatMap((e) =>
            Array.from(e.attributes, (a) => e.localName + '[' + a.name + '=' + a.value + ']')),
        text: el.textContent,
        pwned: window.__pwned ?? null,
    })""")
    assert found["pwned"] is None
    assert set(found["elements"]) <= SUBSET, found["elements"]
    assert found["attributes"] == ["a[href=https://example.org/ok]"]
    for words in ["Safe", "bold", "click me", "spaced", "data link", "fine link"]:
        assert words in found["text"]
    assert not [url for url in requests if "pasted-img" in url or "mxss" in url]
    page.locator("#publish").click()
    expect(page.locator("#state")).to_have_text("Live ✓", timeout=LIVE_WAIT)
    html = published_html(newsroom_server, slug)
    assert "javascript" not in html.lower() and "<script" not in html and "on" + "click" not in html


def test_plain_text_pastes_as_paragraphs_and_stays_text(
        composer: tuple[Page, str], newsroom_server: Newsroom) -> None:
    page, slug = composer
    paste(page, None, "First line\r\nsecond line\r\n\r\n\r\n<b>not markup</b> & more\n\n  ")
    page.locator("#publish").click()
    expect(page.locator("#state")).to_have_text("Live ✓", timeout=LIVE_WAIT)
    assert published_html(newsroom_server, slug) == (
        "<p>First line<br>second line</p><p>&lt;b&gt;not markup&lt;/b&gt; &amp; more</p>")


def test_a_pasted_photo_still_becomes_a_photo_block(composer: tuple[Page, str]) -> None:
    """Copy image in a browser puts the file and an <img> on the clipboard: the photo goes to
    a photo block, the <img> is not pasted into the text."""
    page, _ = composer
    png = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 60, 20)).save(png, "PNG")
    page.locator("#compose-editor .blk__text").click()
    page.evaluate("""(b64) => {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const data = new DataTransfer();
        data.setData('text/html', '<meta charset="utf-8"><img src="https://example.org/a.png">');
        data.items.add(new File([bytes], 'scene.png', {type: 'image/png'}));
        document.activeElement.dispatchEvent(new ClipboardEvent('paste',
            {clipboardData: data, bubbles: true, cancelable: true}));
    }""", base64.b64encode(png.getvalue()).decode())
    expect(page.locator("#compose-editor .blk--image")).to_have_count(1)
    block = page.locator("#compose-editor .blk--image")
    block.get_by_role("button", name="Upload as it is").click()
    expect(page.locator("#compose-editor .blk--image .blk__status")).to_contain_text(
        "Uploaded: 64 × 48 px", timeout=30_000)
    assert page.locator("#compose-editor .blk__text").inner_html() == ""


def test_a_paste_into_a_list_item_leaves_no_styles_in_the_editor_and_the_caret_after_it(
        composer: tuple[Page, str], newsroom_server: Newsroom) -> None:
    """Chrome dresses an insertion into a list item in styled spans of its own; the editor is
    tidied to the subset again and the journalist types on where the paste ended."""
    page, slug = composer
    docs_list = (CLIPBOARD / "google-docs.html").read_text(encoding="utf-8")
    paste(page, docs_list, plain_text_of(page, docs_list))
    box = page.locator("#compose-editor .blk__text")
    box.evaluate("""(el) => {  // the caret at the end of "Bus line 64 diverted"
        const text = el.querySelectorAll('li')[1].firstChild;
        getSelection().collapse(text, text.data.length);
    }""")
    page.evaluate("""(html) => {
        const data = new DataTransfer();
        data.setData('text/html', html);
        data.setData('text/plain', 'x');
        document.activeElement.dispatchEvent(new ClipboardEvent('paste',
            {clipboardData: data, bubbles: true, cancelable: true}));
    }""", docs(span(", from 06:00") + span(" daily", 400, "italic"), span("and at night", 700)))
    page.keyboard.type(" until Friday")
    assert box.evaluate("""(el) => Array.from(el.querySelectorAll('*')).filter((e) =>
        e.attributes.length && !(e.localName === 'a' && e.attributes.length === 1)
        || !['p', 'a', 'strong', 'em', 'ul', 'ol', 'li', 'br'].includes(e.localName)
        || (e.localName === 'p' && e.parentElement !== el)).map((e) => e.outerHTML)""") == []
    item = box.locator("li").nth(1)
    assert item.evaluate(SEEN)[:3] == [
        ["Bus line 64 diverted, from 06:00", False, False, None], ["daily", False, True, None],
        ["and at night until Friday", True, False, None]]  # typing goes on in bold, as in Docs
    seen = box.evaluate(SEEN)
    page.locator("#publish").click()
    expect(page.locator("#state")).to_have_text("Live ✓", timeout=LIVE_WAIT)
    (post,) = posts(newsroom_server, slug)
    page.goto(f"/blogs/{slug}/posts/{post['id']}")
    assert page.locator(f"#post-{post['id']} .block--text").evaluate(SEEN) == seen


CASES = [
    # Docs' outer <b style="font-weight:normal"> is not bold; its headings' spans say 400
    ('<b style="font-weight:normal;" id="docs-internal-guid-1"><h3 dir="ltr"><span '
     'style="font-size:13pt;font-weight:400">Timeline</span></h3><p><span '
     'style="font-weight:400">Plain</span></p></b>',
     "<p><strong>Timeline</strong></p><p>Plain</p>"),
    ('<p><span style="font-weight: bold">b</span> <span style="font-weight:600 !important">6</span>'
     ' <span style="font-weight:500">5</span> <span style="FONT-STYLE: Italic">i</span></p>',
     "<p><strong>b</strong> <strong>6</strong> 5 <em>i</em></p>"),
    ('<p><span style="font:italic bold 12px/30px Georgia">both</span> <strong><span '
     'style="font:7.0pt &quot;Times New Roman&quot;">reset</span></strong></p>',
     "<p><strong><em>both</em></strong> reset</p>"),
    ("<p>Line one<br>line two<br><br></p><p>&nbsp;</p><p> <br> </p><div><br></div>",
     "<p>Line one<br>line two</p>"),
    ('<p><a href="/relative">relative</a> <a href="mailto:desk@example.org">mail</a> '
     '<a href="ftp://example.org/x">ftp</a> <a href="HTTPS://Example.org/a b">spaced</a></p>',
     '<p>relative <a href="mailto:desk@example.org">mail</a> ftp '
     '<a href="https://example.org/a%20b">spaced</a></p>'),
    ('<p class=MsoListParagraphCxSpFirst style="mso-list:l2 level1 lfo3"><span '
     'style="mso-list:Ignore">a)<span style="font:7.0pt">&nbsp; </span></span>First</p>'
     '<p class=MsoListParagraphCxSpLast style="mso-list:l2 level1 lfo3"><span '
     'style="mso-list:Ignore">b)<span style="font:7.0pt">&nbsp; </span></span>Second</p>'
     '<p class=MsoListParagraph style="mso-list:l0 level1 lfo1"><span '
     'style="mso-list:Ignore">-<span style="font:7.0pt">&nbsp; </span></span>Dash</p>',
     "<ol><li>First</li><li>Second</li></ol><ul><li>Dash</li></ul>"),
    ('<table><tr><td><p>Cell <b>one</b></p></td><td>Cell two</td></tr></table>'
     '<p hidden>secret</p><p style="display:none">gone</p><p aria-hidden="true">also</p>',
     "<p>Cell <strong>one</strong></p><p>Cell two</p>"),
    ("<pre>line 1\n  line 2</pre><blockquote><p>Quoted</p><blockquote>deeper</blockquote>"
     "</blockquote>",
     "<p>line 1<br>line 2</p><blockquote><p>Quoted</p><p>deeper</p></blockquote>"),
    ("<ul><li>One<ol><li>1a</li></ol></li><li><p>Two</p><p>lines</p></li><li> </li></ul>",
     "<ul><li>One<ol><li>1a</li></ol></li><li>Two<br>lines</li></ul>"),
    ('<html><body><!--StartFragment--><li>From a list</li><!--EndFragment--></body></html>',
     "<p>From a list</p>"),
    ('<html><body><ul><!--StartFragment--><li>Item <i>in</i> a list</li><!--EndFragment--></ul>'
     "</body></html><p>outside the copied part</p>",
     "<ul><li>Item <em>in</em> a list</li></ul>"),
]


def test_clipboard_html_is_read_into_the_text_subset(composer: tuple[Page, str]) -> None:
    page, _ = composer
    got = page.evaluate("""async (cases) => {
        const { fromHtml } = await import('/static/desk/richtext.js');
        return cases.map((html) => fromHtml(html).innerHTML);
    }""", [html for html, _ in CASES])
    assert got == [expected for _, expected in CASES]

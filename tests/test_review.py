"""`minutes review` (issue #8): pages that show a result on its original text.

Most tests read the HTML the renderer writes; the browser tests open the seed's page in
headless Chromium (Debian: ``apt-get install -y chromium``) and check, after the page's
script ran, what a person sees: the same person's colour on every mention of one
official, keyboard focus and activation, the tooltip and the side lists.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner
from chromium import CHROMIUM
from review_results import SEED, long_text, read_original, seed_result, synthetic_result

from extract.cli import main
from extract.review import Item, build_view, render_text, review_page
from extract.schema import validate

GOLD = SEED.with_name(SEED.stem + ".gold.json")
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"headless Chromium is not installed at {CHROMIUM}: apt-get install -y chromium"
)


class Tree(HTMLParser):
    """The elements of a page with their attributes, text and parent (enough to check the markup)."""

    VOID = {"meta", "br", "input", "img", "link", "hr"}

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[dict] = []
        self.stack: list[dict] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "text": [], "parent": self.stack[-1] if self.stack else None}
        self.elements.append(element)
        if tag not in self.VOID:
            self.stack.append(element)

    def handle_endtag(self, tag):
        if any(e["tag"] == tag for e in self.stack):
            while self.stack.pop()["tag"] != tag:
                pass

    def handle_data(self, data):
        for element in self.stack:
            element["text"].append(data)

    def find(self, **attrs) -> list[dict]:
        return [e for e in self.elements if all(e["attrs"].get(k.replace("_", "-")) == v for k, v in attrs.items())]

    @staticmethod
    def text(element: dict) -> str:
        return "".join(element["text"])

    @staticmethod
    def inside(element: dict, css: str) -> bool:
        parent = element["parent"]
        while parent is not None:
            if css in parent["attrs"].get("class", "").split():
                return True
            parent = parent["parent"]
        return False


def text_of_article(html: str) -> str:
    tree = Tree(html)
    (article,) = [e for e in tree.elements if e["attrs"].get("id") == "text"]
    return Tree.text(article)


# ---------------------------------------------------------------- the text


def item(key: str, kind: str, *spans: tuple[int, int], rank: int = 5, layer: bool = True) -> Item:
    return Item(key, kind, key, key, spans=list(spans), rank=rank, layer=layer)


def test_spans_nest_and_crossing_spans_are_cut_into_fragments():
    text = "abcdefghijklmnopqrst"
    outer = item("c0", "commitment", (0, 12), rank=1)
    inner = item("f0", "figure", (2, 5), rank=6)
    crossing = item("t0", "target", (4, 16), rank=2)
    html, shown = render_text(text, [outer, inner, crossing])
    assert shown == 3
    tree = Tree(f"<div>{html}</div>")
    root = tree.elements[0]
    assert Tree.text(root) == text  # nothing lost or doubled

    def fragments(key):
        return tree.find(data_item=key)

    # The longer span is outside: one element for c0, the figure inside it, the crossing target cut in two.
    (c0,) = fragments("c0")
    assert Tree.text(c0) == text[0:12] and c0["parent"] is root
    t_parts = fragments("t0")
    assert [Tree.text(e) for e in t_parts] == [text[4:12], text[12:16]]
    assert t_parts[0]["attrs"]["id"] == "a-t0-0" and "id" not in t_parts[1]["attrs"] and t_parts[1]["attrs"]["data-cont"] == "1"
    assert t_parts[0]["parent"] is c0 and t_parts[1]["parent"] is root
    f_parts = fragments("f0")
    assert "".join(Tree.text(e) for e in f_parts) == text[2:5]
    assert all(e["attrs"]["tabindex"] == "0" for e in (c0, t_parts[0], f_parts[0]))
    # Heights: the innermost is a highlight (h1), the ones around it bands below it.
    assert "h3" in c0["attrs"]["class"].split() or "h2" in c0["attrs"]["class"].split()
    assert all("h1" in e["attrs"]["class"].split() for e in f_parts)
    assert outer.anchors == ["a-c0-0"] and crossing.anchors == ["a-t0-0"]


def test_spans_outside_the_text_are_reported_not_drawn():
    text = "سلام بر همه"
    result = {"officials": [], "organizations": [], "targets": [], "commitments": [],
              "figures": [{"id": "f1", "text": "x", "spans": [{"start": 5, "end": 99}], "value": 1, "unit": None, "approximate": False}]}
    view = build_view(result, text)
    assert any("not in the text" in p.what for p in view.problems)
    html, _ = review_page(result, text)
    assert "Grounding problems" in html and text_of_article(html) == text


def test_a_30_kb_document_renders_every_span_once_and_keeps_the_text():
    text = long_text(30_000)
    assert len(text.encode("utf-8")) >= 30_000
    result, expected = synthetic_result(text, "long.txt")
    validate(result)
    html, view = review_page(result, text)
    tree = Tree(html)
    anchors = [e for e in tree.elements if e["attrs"].get("id", "").startswith("a-")]
    assert len(anchors) == expected > 300
    assert sum(len(i.anchors) for i in view.items.values()) == expected
    assert text_of_article(html) == text  # line breaks and every character kept, in order
    # Every span starts where the result says: the text of its first fragment begins its span.
    for element in anchors:
        start, end = map(int, element["attrs"]["data-span"].split("-"))
        assert text[start:end].startswith(Tree.text(element)) or Tree.text(element).startswith(text[start:end])
    people = {e["attrs"]["data-person"] for e in tree.elements if "data-person" in e["attrs"]}
    assert people == {o["id"] for o in result["officials"]}


def test_document_text_and_result_fields_are_escaped():
    text = "<script>alert(1)</script> گفت: </script><!-- & \"quoted\" 'x' ۳۰ درصد"
    evil = '"><img src=x onerror=alert(1)>'
    result = {
        "schema_version": "1.0", "source": {"path": None}, "text": {"characters": len(text)},
        "officials": [{"id": evil, "name": "</script><b>x</b>", "title": None, "organization": None, "text": "x",
                       "spans": [{"start": 0, "end": 8}], "mentions": [{"kind": "name", "text": "<script>", "spans": [{"start": 0, "end": 8}]}]}],
        "organizations": [], "figures": [], "targets": [],
        "commitments": [{"id": "c1", "kind": evil, "text": text[:25], "spans": [{"start": 0, "end": 25}], "actor": "<i>a</i>",
                         "speaker": None, "cue": {"text": "</script>", "rule": "<!--"}}],
    }
    html, _ = review_page(result, text, title="<title>")
    assert html.count("<script") == 2 and html.count("</script>") == 2  # the page's own two, nothing from the data
    assert "<img" not in html and "<b>x</b>" not in html and "<i>a</i>" not in html and "<title><title>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    data = re.search(r'<script type="application/json" id="review-data">(.*?)</script>', html, re.S).group(1)
    assert "<" not in data and json.loads(data)["items"]["p0"]["heading"] == "</script><b>x</b>"
    assert text_of_article(html) == text


# ---------------------------------------------------------------- gold


def test_the_seed_compared_with_its_gold_shows_misses_in_the_text_and_flags_spurious_items():
    result = seed_result(perturb=True)  # one figure left out, one commitment of the wrong kind
    validate(result)
    text = read_original(SEED)
    html, view = review_page(result, text, gold=GOLD)
    assert view.gold is not None and view.gold.error is None
    kinds = sorted((i.kind, i.list_name) for i in view.gold.issues)
    assert kinds == [("miss", "commitments"), ("miss", "figures"), ("spurious", "commitments")]
    tree = Tree(html)
    misses = [e for e in tree.elements if e["attrs"].get("data-kind") == "miss" and "id" in e["attrs"]]
    assert sorted(Tree.text(e) for e in misses) == sorted([
        "6 محله از تبریز",
        "خواستار توجه جدی به موضوع تقسیم عادلانه امکانات و نیروی انسانی در شهرستان های استان شد",
    ])
    spurious = [e for e in tree.elements if "spurious" in e["attrs"].get("class", "").split()]
    assert {e["attrs"]["data-item"] for e in spurious} == {"c3"}  # the fourth commitment, kind "promise"
    assert 'id="gold"' in html and "Misses (gold items not found)" in html
    # Each issue in the panel goes to its place in the text.
    panel_targets = {e["attrs"]["data-goto"] for e in tree.elements if "data-goto" in e["attrs"] and Tree.inside(e, "issues")}
    assert panel_targets == {"x0", "x1", "c3"}


def test_an_exact_result_has_no_issues_against_its_gold():
    html, view = review_page(seed_result(), read_original(SEED), gold=GOLD)
    assert view.gold.issues == [] and all(s["F1"] == 1.0 for s in view.gold.scores.values())


def test_a_broken_gold_file_is_reported_on_the_page(tmp_path):
    bad = tmp_path / "x.gold.json"
    bad.write_text('{"officials": []}', encoding="utf-8")
    html, view = review_page(seed_result(), read_original(SEED), gold=bad)
    assert view.gold.error and "could not be used" in html


# ---------------------------------------------------------------- the command


def run(*args: str):
    return CliRunner().invoke(main, ["review", *args], catch_exceptions=False)


def test_review_of_a_report_runs_the_pipeline(tmp_path, monkeypatch):
    import extract.pipeline

    monkeypatch.setattr(extract.pipeline, "process", lambda document: seed_result())
    out = tmp_path / "seed.html"
    outcome = run(str(SEED), "-o", str(out))
    assert outcome.exit_code == 0, outcome.output
    html = out.read_text(encoding="utf-8")
    assert '<html dir="rtl" lang="fa">' in html and 'id="gold"' in html  # the gold file beside the seed is used
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "") and "https://" not in html


def test_review_of_a_result_reads_its_source_path(tmp_path):
    result_file = tmp_path / "seed.json"
    result_file.write_text(json.dumps(seed_result(), ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "page.html"
    outcome = run(str(result_file), "-o", str(out))
    assert outcome.exit_code == 0, outcome.output
    assert text_of_article(out.read_text(encoding="utf-8")) == read_original(SEED)


def test_review_of_a_result_without_its_text_says_to_pass_text(tmp_path):
    result = seed_result()
    result["source"]["path"] = str(tmp_path / "gone.txt")
    result_file = tmp_path / "r.json"
    result_file.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    outcome = run(str(result_file), "-o", str(tmp_path / "p.html"))
    assert outcome.exit_code == 2
    assert "original text is needed" in outcome.output and "--text" in outcome.output
    other = tmp_path / "other.txt"
    other.write_text("متن دیگری است.", encoding="utf-8")
    outcome = run(str(result_file), "--text", str(other), "-o", str(tmp_path / "p.html"))
    assert outcome.exit_code == 2 and "sha256 differs" in outcome.output
    outcome = run(str(result_file), "--text", str(SEED), "-o", str(tmp_path / "p.html"))
    assert outcome.exit_code == 0, outcome.output


def test_review_rejects_what_is_not_a_result(tmp_path):
    assert run(str(tmp_path / "none.json"), "-o", "x.html").exit_code == 2
    not_result = tmp_path / "x.json"
    not_result.write_text("[1, 2]", encoding="utf-8")
    outcome = run(str(not_result), "-o", str(tmp_path / "x.html"))
    assert outcome.exit_code == 2 and "not a result" in outcome.output


def test_review_of_a_store_writes_an_index_and_a_page_per_document(tmp_path):
    store = tmp_path / "store"
    (store / "a").mkdir(parents=True)
    (store / "b").mkdir()
    (store / "a" / "seed.json").write_text(json.dumps(seed_result(perturb=True), ensure_ascii=False), encoding="utf-8")
    text = long_text(30_000)
    (store / "b" / "long.txt").write_text(text, encoding="utf-8")
    result, _ = synthetic_result(text, "b/long.txt")  # a path relative to the store
    (store / "b" / "long.json").write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    (store / "manifest.json").write_text('{"documents": 2}', encoding="utf-8")
    out = tmp_path / "site"
    outcome = run(str(store), "-o", str(out))
    assert outcome.exit_code == 0, outcome.output
    assert "skipped 1 file" in outcome.output
    pages = sorted(p.name for p in out.glob("*.html"))
    seed_name = f"{SEED.stem}.html"  # pages are named after their documents
    assert pages == sorted([seed_name, "long.html", "index.html"])
    index = (out / "index.html").read_text(encoding="utf-8")
    tree = Tree(index)
    assert [e["attrs"]["href"] for e in tree.elements if e["tag"] == "a"] == [seed_name, "long.html"]
    charts = [e for e in tree.elements if e["tag"] == "svg"]
    assert len(charts) == 2
    bars = [e for e in tree.elements if e["tag"] == "title" and (e["parent"] or {}).get("tag") == "g"]
    kinds = {Tree.text(b).split(":")[0]: int(Tree.text(b).split(":")[1]) for b in bars[:5]}
    all_kinds = defaultdict(int)
    for r in (seed_result(perturb=True), result):
        for c in r["commitments"]:
            all_kinds[c["kind"]] += 1
    assert kinds == {k: all_kinds.get(k, 0) for k in kinds}
    assert "شهرداری تبریز" in index and "علیار راستگو" in index  # per organization and per speaker
    assert "manifest.json" in index  # named among the skipped files
    seed_page = (out / seed_name).read_text(encoding="utf-8")
    assert 'href="index.html"' in seed_page and 'id="gold"' in seed_page


def test_review_of_a_batch_store_reads_texts_from_its_tables(tmp_path):
    """A store written by `minutes batch`: an archive row's text is only in the store's documents table."""
    import subprocess
    import sys

    archive = tmp_path / "archive.jsonl"
    row_text = read_original(SEED.with_name("002_mashhad_city_council_metro.txt"))
    archive.write_text(json.dumps({"id": "r7", "text": row_text}, ensure_ascii=False) + "\n", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01\x02binary")  # odd length: not UTF-16 either
    store = tmp_path / "store"
    batch = subprocess.run([sys.executable, "-m", "extract", "batch", str(SEED), str(archive), str(tmp_path / "bad.txt"),
                            "-o", str(store), "-j", "1"], capture_output=True, text=True, timeout=600)
    assert batch.returncode in (0, 1), batch.stderr  # 1: bad.txt failed, as it should
    out = tmp_path / "site"
    outcome = run(str(store), "-o", str(out))
    assert outcome.exit_code == 0, outcome.output
    pages = sorted(p.name for p in out.glob("*.html"))
    assert pages == sorted(["index.html", f"{SEED.stem}.html", "archive.jsonl_r7.html"])
    assert text_of_article((out / "archive.jsonl_r7.html").read_text(encoding="utf-8")) == row_text
    assert 'id="gold"' in (out / f"{SEED.stem}.html").read_text(encoding="utf-8")  # the gold beside the seed
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Failed in the batch" in index and "bad.txt" in index
    # A row removed from the archive leaves the store: its result stays in the history, its page goes.
    # (Its only row: the batch is told that it was removed, not lost.)
    archive.write_text(json.dumps({"id": "r8", "text": "استاندار گفت: ۵ طرح تا پایان سال اجرا می‌شود."},
                                  ensure_ascii=False) + "\n", encoding="utf-8")
    again = subprocess.run([sys.executable, "-m", "extract", "batch", str(archive), "-o", str(store), "-j", "1",
                            "--allow-all-gone"], capture_output=True, text=True, timeout=600)
    assert again.returncode == 0 and "1 gone" in again.stderr, again.stderr
    site = tmp_path / "site2"
    assert run(str(store), "-o", str(site)).exit_code == 0
    assert sorted(p.name for p in site.glob("*.html")) == sorted(["index.html", f"{SEED.stem}.html", "archive.jsonl_r8.html"])
    assert "not found" not in (site / "index.html").read_text(encoding="utf-8")
    # Tables that cannot be read: the results are in them, and the error says why.
    next((store / "shards").glob("*/sources.parquet")).write_bytes(b"PAR1 not a table")
    broken = run(str(store), "-o", str(tmp_path / "site3"))
    assert broken.exit_code == 2 and "tables cannot be read" in broken.output, broken.output


# ---------------------------------------------------------------- in the browser


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"headless Chromium is not installed at {CHROMIUM}: apt-get install -y chromium")
    from chromium import Chromium

    with Chromium(CHROMIUM) as chromium:
        yield chromium


@pytest.fixture(scope="module")
def seed_page(browser, tmp_path_factory):
    result = seed_result(perturb=True)
    html, _ = review_page(result, read_original(SEED), title=SEED.name, gold=GOLD)
    path = tmp_path_factory.mktemp("review") / "seed.html"
    path.write_text(html, encoding="utf-8")
    page = browser.open(path.as_uri(), 1200, 1600)
    assert page.evaluate("document.body.getAttribute('data-ready')") not in (None, "0"), "the page's script did not run"
    return page, result, path


MENTIONS_SHOWN = """JSON.stringify(Array.prototype.map.call(document.querySelectorAll('#text [data-kind="mention"]'), function (e) {
  var style = getComputedStyle(e), box = e.getBoundingClientRect();
  return {person: e.getAttribute('data-person'), span: e.getAttribute('data-span'), cont: e.hasAttribute('data-cont'),
          text: e.textContent, band: style.borderBottomColor, fill: style.backgroundColor, shown: box.width > 0 && box.height > 0};
}))"""


def check_people(page, result: dict, text: str) -> None:
    """Each official's mentions, as shown after the script ran: all there, one person, one colour per person."""
    shown = json.loads(page.evaluate(MENTIONS_SHOWN))
    by_person = defaultdict(list)
    for element in shown:
        assert element["shown"], element
        if not element["cont"]:
            by_person[element["person"]].append(element)
    assert set(by_person) == {o["id"] for o in result["officials"] if o["mentions"] or o["spans"]}
    colours = {}
    for official in result["officials"]:
        elements = by_person[official["id"]]
        expected = {f'{s["start"]}-{s["end"]}' for m in official["mentions"] for s in m["spans"]}
        expected |= {f'{s["start"]}-{s["end"]}' for s in official["spans"]}  # its own span, shown as a mention
        assert sorted(e["span"] for e in elements) == sorted(expected), official["id"]
        for e in elements:
            start, end = map(int, e["span"].split("-"))
            assert text[start:end].startswith(e["text"])
        # One person, one colour: the band of every mention (pronouns too) is the same colour.
        assert len({e["band"] for e in elements}) == 1, (official["id"], {e["band"] for e in elements})
        colours[official["id"]] = elements[0]["band"]
    assert len(set(colours.values())) == len(colours), "two officials share a colour"


@needs_chromium
def test_every_mention_of_an_official_shows_the_same_person(seed_page, tmp_path):
    page, result, _ = seed_page
    page.front()
    assert all(any(m["kind"] == "pronoun" for m in o["mentions"]) for o in result["officials"])
    check_people(page, result, read_original(SEED))
    page.screenshot(tmp_path / "seed.png")
    assert (tmp_path / "seed.png").stat().st_size > 10_000


def test_review_of_the_seed_through_the_pipeline(tmp_path):
    """The command end to end on the seed report, with the pipeline as it is."""
    out = tmp_path / "seed.html"
    outcome = run(str(SEED), "-o", str(out))
    assert outcome.exit_code == 0, outcome.output
    html = out.read_text(encoding="utf-8")
    assert text_of_article(html) == read_original(SEED)
    tree = Tree(html)
    from extract.inputs import read_document
    from extract.pipeline import process

    result = process(read_document(SEED))
    for i, official in enumerate(result["officials"]):
        mentions = [e for e in tree.elements if e["attrs"].get("data-kind") == "mention" and e["attrs"]["data-item"].startswith(f"p{i}m")]
        assert {e["attrs"]["data-person"] for e in mentions} == {official["id"]}


@needs_chromium
def test_the_pipeline_seed_page_shows_each_person_in_one_colour(browser, tmp_path):
    from extract.inputs import read_document
    from extract.pipeline import process

    out = tmp_path / "seed.html"
    assert run(str(SEED), "-o", str(out)).exit_code == 0
    page = browser.open(out.as_uri(), 1200, 1600)
    try:
        check_people(page, process(read_document(SEED)), read_original(SEED))
        page.screenshot(tmp_path / "pipeline-seed.png")
    finally:
        page.close()


@needs_chromium
def test_spans_are_reached_with_the_keyboard_and_show_their_item(seed_page):
    page, _, _ = seed_page
    page.front()
    page.evaluate("document.activeElement.blur(); window.scrollTo(0, 0); true")
    for _ in range(60):  # Tab through the header and the legend into the text
        page.key("Tab", virtual=9)
        if page.evaluate("!!document.activeElement.closest('#text')"):
            break
    state = page.evaluate("""(function () { var a = document.activeElement, s = getComputedStyle(a);
      return {item: a.getAttribute('data-item'), outline: s.outlineStyle, width: s.outlineWidth,
              tip: !document.getElementById('tip').hidden, tipFor: document.getElementById('tip').getAttribute('data-for')}; })()""")
    assert state["item"] and state["outline"] != "none" and state["width"] != "0px", state  # a visible focus ring
    assert state["tip"] and state["tipFor"] == state["item"]
    page.key("Enter", text="\r", virtual=13)
    selected = page.evaluate("document.getElementById('details-body').getAttribute('data-selected')")
    assert selected == state["item"]
    page.key("Tab", virtual=9)
    page.key(" ", code="Space", text=" ", virtual=32)
    after = page.evaluate("[document.activeElement.getAttribute('data-item'), document.getElementById('details-body').getAttribute('data-selected')]")
    assert after[0] == after[1] and after[0] != selected


@needs_chromium
def test_hovering_a_figure_shows_its_value_and_the_commitment_around_it(seed_page):
    page, _, _ = seed_page
    page.front()
    page.evaluate("""Array.prototype.filter.call(document.querySelectorAll('#text [data-kind="figure"][id]'),
      function (x) { return x.textContent.indexOf('30 درصد') === 0; })[0].scrollIntoView({block: 'center'}); true""")
    page.evaluate("new Promise(function (r) { setTimeout(r, 100); })")  # the scroll event (which hides the tip) first
    box = page.evaluate("""(function () { var e = Array.prototype.filter.call(document.querySelectorAll('#text [data-kind="figure"][id]'),
      function (x) { return x.textContent.indexOf('30 درصد') === 0; })[0]; var r = e.getClientRects()[0];
      return [r.left + r.width / 2, r.top + r.height / 2]; })()""")
    page.mouse("mouseMoved", *box)
    tip = page.evaluate("[!document.getElementById('tip').hidden, document.getElementById('tip').textContent]")
    assert tip[0], "the tooltip is not shown on hover"
    assert "30" in tip[1] and "درصد" in tip[1] and "approximate" in tip[1]
    assert "inside:" in tip[1] and "decision" in tip[1]  # the target and the commitment that hold it
    page.click(*box)
    card = page.evaluate("document.getElementById('details-body').textContent")
    assert "commitment" in card and "target" in card  # links to the related items


@needs_chromium
def test_clicking_an_item_in_a_side_list_scrolls_to_its_span(seed_page):
    page, result, _ = seed_page
    page.front()
    page.evaluate("window.scrollTo(0, 0); true")
    last = f"c{len(result['commitments']) - 1}"
    state = page.evaluate(f"""(function () {{
      document.querySelector('details.list button[data-goto="{last}"]').click();
      var a = document.activeElement, r = a.getBoundingClientRect();
      return {{item: a.getAttribute('data-item'), inView: r.top >= 0 && r.top < window.innerHeight, sel: a.classList.contains('sel'),
               flash: a.classList.contains('flash'), scrolled: window.scrollY > 0}}; }})()""")
    assert state == {"item": last, "inView": True, "sel": True, "flash": True, "scrolled": True}
    # An official's entry goes to its mentions one after another (page key p1: the second official, id p2).
    first = page.evaluate("""(function () { var b = document.querySelector('details.list button[data-goto="p1"]'); b.click();
      var one = document.activeElement.id; b.click(); return [one, document.activeElement.id, document.activeElement.getAttribute('data-person')]; })()""")
    assert first[0] != first[1] and first[2] == "p2"

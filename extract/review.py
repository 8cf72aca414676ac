"""Review pages (issue #8): a result shown on its original text, for a person to check.

    html = render_document(result, original_text, gold=compare_with_gold(...))
    write_store_pages(store_dir, out_dir)   # an index page and one page per document

A page is one self-contained HTML file (styles and script inline, system fonts, no
network), ``dir="rtl" lang="fa"``. The original text keeps its line breaks; every span
of every item is highlighted by kind: officials (each person its own colour, every
mention including pronouns), organizations, figures, targets, deadlines, commitments (by
kind), and, against a gold file, the gold items that were missed.

Nesting. Spans overlap (a commitment's evidence holds figures and mentions), so the text
is cut at every span boundary and each piece knows the set of spans covering it. Spans are
ordered outer to inner (longer first, then by kind), and the pieces are written as nested
elements: an element stays open while the pieces keep it in the same place of that order,
so a span inside another is one element inside the other's, and only spans that truly
cross are cut into several fragments (all carry the item's key). Each element knows its
height (how many layers it holds): the innermost is a highlight, the ones around it are
underline bands drawn one below the other.

Everything that comes from the document or the result is escaped; the data the script
shows is a JSON block with ``<``, ``>`` and ``&`` escaped, and the script builds the
panels with ``textContent`` only.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from string import Template
from typing import Any, Iterable

TEMPLATE = Path(__file__).with_name("review_template.html")

LISTS = ("officials", "organizations", "figures", "targets", "commitments")
COMMITMENT_KINDS = ("decision", "obligation", "promise", "request", "priority")

# Headings of the lists and kinds: English (the schema's words) and Persian.
KIND_NAMES = {
    "official": ("Officials", "مقامات"),
    "organization": ("Organizations", "نهادها"),
    "figure": ("Figures", "ارقام"),
    "target": ("Targets", "اهداف"),
    "deadline": ("Deadlines", "مهلت‌ها"),
    "commitment": ("Commitments", "تعهدات"),
    "miss": ("Missed (gold)", "از قلم افتاده"),
    "decision": ("decision", "مصوبه"),
    "obligation": ("obligation", "الزام"),
    "promise": ("promise", "وعده"),
    "request": ("request", "درخواست"),
    "priority": ("priority", "اولویت"),
}

# Outer to inner when two spans are equally long.
RANK = {"miss": 0, "commitment": 1, "target": 2, "deadline": 3, "organization": 4, "mention": 5, "figure": 6, "cue": 9}
MAX_HEIGHT = 6
_SAFE = re.compile(r"[^A-Za-z0-9_-]")


class ReviewError(ValueError):
    """A page that cannot be made; the message says why and what to do."""


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def script_json(data: Any) -> str:
    """JSON safe inside ``<script type="application/json">``: no ``</script``, no ``<!--``."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    )


def fmt_number(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return "—" if value is None else ("true" if value else "false")
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e18:
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.6g}" if abs(value) >= 1e6 else f"{value:g}"
    return str(value)


def fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return fmt_number(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(fmt(v) for v in value) or "—"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def shorten(text: str, limit: int = 90) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# ---------------------------------------------------------------- items


@dataclass
class Item:
    """One thing the page shows: a highlighted item, or a card reached through others."""

    key: str  # unique in the page and safe in ids and attributes
    kind: str  # mention | official | organization | orgmention | figure | target | deadline | commitment | miss
    heading: str
    label: str  # one line, for lists and links
    fields: list[tuple[str, str]] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (relation, key)
    spans: list[tuple[int, int]] = field(default_factory=list)
    css: list[str] = field(default_factory=list)
    attrs: dict[str, str] = field(default_factory=dict)
    rank: int = 5
    layer: bool = True  # drawn as a highlight or band (False: outline or decoration only)
    focusable: bool = True
    owner: str | None = None  # a decoration (the cue) shows its owner's card
    gathers: list[str] = field(default_factory=list)  # cards without spans: the items whose spans they go to
    flags: list[str] = field(default_factory=list)
    anchors: list[str] = field(default_factory=list)

    def link(self, relation: str, key: str | None) -> None:
        if key and (relation, key) not in self.links and key != self.key:
            self.links.append((relation, key))


@dataclass
class Problem:
    where: str
    what: str


@dataclass
class DocumentView:
    title: str
    text: str
    items: dict[str, Item]
    lists: dict[str, list[str]]  # side lists: kind -> keys
    problems: list[Problem]
    result: dict
    meeting: dict = field(default_factory=dict)
    gold: GoldComparison | None = None


def _mentions_and_own_span(item: dict, own_kind: str) -> list[dict]:
    """An item's mentions, with the item's own span first when no mention covers it."""
    mentions = [m for m in item.get("mentions") or [] if isinstance(m, dict)]
    own = [(s.get("start"), s.get("end")) for s in item.get("spans") or [] if isinstance(s, dict)]
    covered = {(s.get("start"), s.get("end")) for m in mentions for s in m.get("spans") or [] if isinstance(s, dict)}
    if own and not set(own) <= covered:
        mentions = [{"text": item.get("text"), "spans": item.get("spans"), "kind": own_kind}] + mentions
    return mentions


def _spans(item: dict, text: str, where: str, problems: list[Problem]) -> list[tuple[int, int]]:
    """The item's spans that lie in the text; the others are reported as problems."""
    good = []
    for span in item.get("spans") or []:
        start, end = (span or {}).get("start"), (span or {}).get("end")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            problems.append(Problem(where, f"span {start!r}–{end!r} is not in the text ({len(text)} characters)"))
            continue
        good.append((start, end))
    if good and isinstance(item.get("text"), str):
        expected = " ".join(text[s:e] for s, e in good)
        if " ".join(expected.split()) != " ".join(item["text"].split()):
            problems.append(Problem(where, f"text «{shorten(item['text'], 60)}» differs from its span «{shorten(expected, 60)}»"))
    return good


def _deadline_fields(deadline: dict | None) -> str:
    if not deadline:
        return "—"
    parts = [deadline.get("text") or ""]
    extra = [v for v in (deadline.get("jalali"), deadline.get("date")) if v]
    if extra:
        parts.append("(" + " / ".join(extra) + ")")
    return " ".join(p for p in parts if p)


def build_view(result: dict, text: str, *, title: str | None = None) -> DocumentView:
    """Every item of ``result`` with its spans in ``text``, its card and its links."""
    problems: list[Problem] = []
    items: dict[str, Item] = {}
    lists: dict[str, list[str]] = {k: [] for k in ("official", "organization", "figure", "target", "deadline", "commitment")}
    if result.get("text", {}).get("characters") not in (None, len(text)):
        problems.append(Problem("text", f"the result counts {result['text']['characters']} characters, the text has {len(text)}"))

    def add(item: Item) -> Item:
        items[item.key] = item
        return item

    # Result ids -> page keys (ids are the result's; keys are ours and always safe).
    person_of: dict[str, str] = {}
    org_of: dict[str, str] = {}
    figure_of: dict[str, str] = {}
    target_of: dict[str, str] = {}
    commitment_of: dict[str, str] = {}
    officials = [o for o in result.get("officials") or [] if isinstance(o, dict)]
    organizations = [o for o in result.get("organizations") or [] if isinstance(o, dict)]
    figures = [f for f in result.get("figures") or [] if isinstance(f, dict)]
    targets = [t for t in result.get("targets") or [] if isinstance(t, dict)]
    commitments = [c for c in result.get("commitments") or [] if isinstance(c, dict)]
    for prefix, source, table in (("p", officials, person_of), ("o", organizations, org_of), ("f", figures, figure_of),
                                  ("t", targets, target_of), ("c", commitments, commitment_of)):
        for i, item in enumerate(source):
            if isinstance(item.get("id"), str):
                table.setdefault(item["id"], f"{prefix}{i}")

    def actor_key(actor_id: Any) -> str | None:
        if not isinstance(actor_id, str):
            return None
        return person_of.get(actor_id) or org_of.get(actor_id)

    def person_name(official_id: Any) -> str | None:
        key = person_of.get(official_id) if isinstance(official_id, str) else None
        return items[key].heading if key and key in items else None

    # Officials: the card of each person, and one highlighted item per mention.
    for i, official in enumerate(officials):
        key = f"p{i}"
        person = str(official.get("id") or key)
        name = official.get("name") or official.get("title") or official.get("text") or person
        card = add(Item(key, "official", str(name), str(name), rank=RANK["mention"]))
        card.fields = [
            ("id", person), ("name", fmt(official.get("name"))), ("title", fmt(official.get("title"))),
            ("organization", fmt(official.get("organization"))),
        ]
        if official.get("honorifics"):
            card.fields.append(("honorifics", fmt(official.get("honorifics"))))
        card.link("organization", org_of.get(official.get("organization_id") or ""))
        mentions = _mentions_and_own_span(official, own_kind="official")
        for j, mention in enumerate(mentions):
            mkey = f"{key}m{j}"
            spans = _spans(mention, text, f"officials[{i}] ({person}) mention {j}", problems)
            mkind = str(mention.get("kind") or "")
            m = add(Item(mkey, "mention", str(name), f"{mention.get('text')} ({mkind})", spans=spans,
                         css=["k-official", f"person-{i}", f"mk-{_SAFE.sub('', mkind)}"],
                         attrs={"data-person": person, "data-mention": mkind}, rank=RANK["mention"], owner=key))
            m.fields = [("mention", str(mention.get("text") or "")), ("mention kind", mkind)]  # + its owner's, in the script
            m.link("official", key)
            m.link("organization", org_of.get(official.get("organization_id") or ""))
            card.gathers.append(mkey)
            card.link(f"mention ({mkind})", mkey)
        card.fields.append(("mentions", str(len(card.gathers))))
        lists["official"].append(key)

    for i, org in enumerate(organizations):
        key = f"o{i}"
        name = org.get("name") or org.get("text") or key
        card = add(Item(key, "organization", str(name), str(name), rank=RANK["organization"]))
        card.fields = [("id", str(org.get("id"))), ("name", fmt(org.get("name"))), ("type", fmt(org.get("type")))]
        mentions = _mentions_and_own_span(org, own_kind="name")
        for j, mention in enumerate(mentions):
            mkey = f"{key}m{j}"
            spans = _spans(mention, text, f"organizations[{i}] ({org.get('id')}) mention {j}", problems)
            mkind = str(mention.get("kind") or "")
            m = add(Item(mkey, "orgmention", str(name), f"{mention.get('text')} ({mkind})", spans=spans,
                         css=["k-organization"], attrs={"data-org": str(org.get("id") or key), "data-mention": mkind},
                         rank=RANK["organization"], owner=key))
            m.fields = [("mention", str(mention.get("text") or "")), ("mention kind", mkind)]  # + its owner's, in the script
            m.link("organization", key)
            card.gathers.append(mkey)
            card.link(f"mention ({mkind})", mkey)
        card.fields.append(("mentions", str(len(card.gathers))))
        lists["organization"].append(key)
    for i, official in enumerate(officials):
        org_key = org_of.get(official.get("organization_id") or "")
        if org_key:
            items[org_key].link("official", f"p{i}")

    for i, fig in enumerate(figures):
        key = f"f{i}"
        value = fmt_number(fig.get("value"))
        unit = fig.get("unit") or ""
        spans = _spans(fig, text, f"figures[{i}] ({fig.get('id')})", problems)
        heading = f"{value} {unit}".strip()
        item = add(Item(key, "figure", heading, f"{heading} — {shorten(fig.get('text') or '', 50)}", spans=spans,
                        css=["k-figure"], rank=RANK["figure"]))
        rng = fig.get("range")
        item.fields = [
            ("id", str(fig.get("id"))), ("text", str(fig.get("text") or "")), ("value", value), ("unit", fmt(fig.get("unit"))),
            ("approximate", fmt(fig.get("approximate"))), ("hedge", fmt(fig.get("hedge"))),
        ]
        if rng:
            item.fields.append(("range", f"{fmt_number(rng.get('low'))} – {fmt_number(rng.get('high'))} (this is the {rng.get('end')} end)"))
        for name in ("quantity", "counted"):
            if fig.get(name) is not None:
                item.fields.append((name, fmt(fig.get(name))))
        if fig.get("rials") is not None:
            item.fields.append(("rials", fmt_number(fig.get("rials"))))
        if fig.get("speaker"):
            item.fields.append(("speaker", person_name(fig["speaker"]) or str(fig["speaker"])))
            item.link("speaker", person_of.get(fig["speaker"]))
        lists["figure"].append(key)

    deadlines: dict[tuple, str] = {}

    def deadline_item(deadline: Any, owner: str, where: str) -> str | None:
        if not isinstance(deadline, dict):
            return None
        spans = _spans(deadline, text, where, problems)
        ident = tuple(spans) or (deadline.get("text"),)
        key = deadlines.get(ident)
        if key is None:
            key = deadlines[ident] = f"d{len(deadlines)}"
            d = add(Item(key, "deadline", str(deadline.get("text") or ""), str(deadline.get("text") or ""), spans=spans,
                         css=["k-deadline"], rank=RANK["deadline"]))
            d.fields = [("text", str(deadline.get("text") or "")), ("jalali", fmt(deadline.get("jalali"))),
                        ("date", fmt(deadline.get("date")))]
            lists["deadline"].append(key)
        items[key].link("deadline of", owner)
        return key

    for i, target in enumerate(targets):
        key = f"t{i}"
        spans = _spans(target, text, f"targets[{i}] ({target.get('id')})", problems)
        value = fmt_number(target.get("value")) if target.get("value") is not None else ""
        heading = f"{value} {target.get('unit') or ''}".strip() or "(no value)"
        item = add(Item(key, "target", heading, f"{heading} — {shorten(target.get('text') or '', 50)}", spans=spans,
                        css=["k-target"], rank=RANK["target"]))
        item.fields = [
            ("id", str(target.get("id"))), ("value", fmt_number(target.get("value"))), ("unit", fmt(target.get("unit"))),
            ("deadline", _deadline_fields(target.get("deadline"))), ("actor", fmt(target.get("actor"))),
        ]
        item.link("actor", actor_key(target.get("actor_id")))
        fkey = figure_of.get(target.get("figure") or "")
        ckey = commitment_of.get(target.get("commitment") or "")
        item.link("figure", fkey)
        item.link("commitment", ckey)
        if fkey:
            items[fkey].link("target", key)
        item.link("deadline", deadline_item(target.get("deadline"), key, f"targets[{i}].deadline"))
        lists["target"].append(key)

    for i, com in enumerate(commitments):
        key = f"c{i}"
        kind = str(com.get("kind") or "")
        spans = _spans(com, text, f"commitments[{i}] ({com.get('id')})", problems)
        actor = com.get("actor")
        item = add(Item(key, "commitment", f"{kind}: {actor}" if actor else kind,
                        f"{kind} — {shorten(com.get('text') or '', 70)}", spans=spans,
                        css=["k-commitment", f"ck-{_SAFE.sub('', kind)}"], attrs={"data-commitment-kind": kind},
                        rank=RANK["commitment"]))
        cue = com.get("cue") if isinstance(com.get("cue"), dict) else None
        item.fields = [
            ("id", str(com.get("id"))), ("kind", kind), ("actor", fmt(actor)), ("speaker", fmt(com.get("speaker"))),
        ]
        if com.get("action") is not None:
            item.fields.append(("action", fmt(com.get("action"))))
        item.fields += [
            ("deadline", _deadline_fields(com.get("deadline"))),
            ("cue", f"«{cue.get('text')}» (rule: {cue.get('rule')})" if cue else "—"),
        ]
        if com.get("negated"):
            item.fields.append(("negated", "yes"))
        fig_ids = [f for f in com.get("figures") or [] if isinstance(f, str)]
        if fig_ids:
            item.fields.append(("figures", ", ".join(items[figure_of[f]].heading if f in figure_of else f for f in fig_ids)))
        item.link("actor", actor_key(com.get("actor_id")))
        item.link("speaker", person_of.get(com.get("speaker_id") or ""))
        for fid in fig_ids:
            fkey = figure_of.get(fid)
            item.link("figure", fkey)
            if fkey:
                items[fkey].link("commitment", key)
        item.link("deadline", deadline_item(com.get("deadline"), key, f"commitments[{i}].deadline"))
        for relation, other in ((("actor of"), actor_key(com.get("actor_id"))), ("speaker of", person_of.get(com.get("speaker_id") or ""))):
            if other:
                items[other].link(relation, key)
        if cue and cue.get("text") and spans:
            cue_span = locate_within(text, spans, str(cue["text"]))
            if cue_span:
                add(Item(f"q{i}", "cue", "", "", spans=[cue_span], css=["cue"], rank=RANK["cue"], layer=False,
                         focusable=False, owner=key))
        lists["commitment"].append(key)
    for i, target in enumerate(targets):
        ckey = commitment_of.get(target.get("commitment") or "")
        if ckey:
            items[ckey].link("target", f"t{i}")

    meeting = result.get("meeting") or {}
    page_title = title or Path(str((result.get("source") or {}).get("path") or "document")).name
    return DocumentView(page_title, text, items, lists, problems, result, meeting if isinstance(meeting, dict) else {})


def locate_within(text: str, spans: list[tuple[int, int]], needle: str) -> tuple[int, int] | None:
    """Original offsets of ``needle`` inside one of ``spans``, compared folded (as GOLD.md folds)."""
    from .evaluate import fold, fold_with_map

    target = fold(needle)
    if not target:
        return None
    for start, end in spans:
        folded, index_map = fold_with_map(text[start:end])
        at = folded.find(target)
        if at >= 0:
            return start + index_map[at], start + index_map[at + len(target) - 1] + 1
    return None


# ---------------------------------------------------------------- gold


@dataclass
class GoldIssue:
    list_name: str
    kind: str  # miss | spurious | attribute
    text: str
    detail: str
    key: str | None  # the page item to go to: a predicted item or a miss marker


@dataclass
class GoldComparison:
    path: str
    scores: dict[str, dict[str, Any]] = field(default_factory=dict)
    issues: list[GoldIssue] = field(default_factory=list)
    error: str | None = None


def gold_path_for(text_path: str | Path | None) -> Path | None:
    if not text_path:
        return None
    path = Path(text_path)
    return path.with_name(path.stem + ".gold.json")


def compare_with_gold(view: DocumentView, gold_path: Path) -> GoldComparison:
    """Score the result against ``gold_path`` (GOLD.md) and mark misses and spurious items on the view."""
    from .evaluate import GoldDocument, GoldError, find_evidence, fold, fold_with_map, prediction_from_result, score_documents

    comparison = GoldComparison(str(gold_path))
    view.gold = comparison
    try:
        gold = json.loads(Path(gold_path).read_text(encoding="utf-8"))
        if not isinstance(gold, dict):
            raise GoldError(f"{gold_path}: must hold a JSON object")
        document = GoldDocument(name=Path(gold_path).name.removesuffix(".gold.json"), text=view.text, gold=gold, path=Path(gold_path))
        prediction = prediction_from_result(_complete(view.result))
        report = score_documents([(document, prediction)])
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, GoldError, KeyError, TypeError) as error:
        comparison.error = f"{type(error).__name__}: {error}"
        return comparison

    for name, score in report.lists.items():
        comparison.scores[name] = {"P": score.precision, "R": score.recall, "F1": score.f1,
                                   "tp": score.tp, "pred": score.n_pred, "gold": score.n_gold}
    # Which page item each predicted item of the prediction came from (by identity, in order).
    origin: dict[int, list[str]] = defaultdict(list)
    keys = {
        "officials": [f"p{i}" for i, o in enumerate(_dicts(view.result, "officials")) if o.get("name")],
        "organizations": [f"o{i}" for i, _ in enumerate(_dicts(view.result, "organizations"))],
        "figures": [f"f{i}" for i, _ in enumerate(_dicts(view.result, "figures"))],
        "targets": [f"t{i}" for i, _ in enumerate(_dicts(view.result, "targets"))],
        "commitments": [f"c{i}" for i, _ in enumerate(_dicts(view.result, "commitments"))],
    }
    for list_name in LISTS:
        for raw, key in zip(prediction[list_name], keys[list_name]):
            origin[id(raw)].append(key)

    folded, index_map = fold_with_map(view.text)

    def original(span: tuple[int, int] | None) -> tuple[int, int] | None:
        if not span or span[1] <= span[0]:
            return None
        return index_map[span[0]], index_map[span[1] - 1] + 1

    def locate(list_name: str, item: Any) -> tuple[int, int] | None:
        if isinstance(item, dict) and isinstance(item.get("evidence"), str):
            occurrence = item.get("occurrence", 1)
            return original(find_evidence(folded, item["evidence"], occurrence if isinstance(occurrence, int) else 1))
        name = item if isinstance(item, str) else (item.get("name") if isinstance(item, dict) else None)
        if not isinstance(name, str) or not fold(name):
            return None
        span = find_evidence(folded, name)
        if span is None and list_name == "officials" and len(fold(name).split()) > 1:
            span = find_evidence(folded, fold(name).split()[-1])  # the surname alone
        return original(span)

    def gold_fields(list_name: str, item: Any) -> list[tuple[str, str]]:
        if not isinstance(item, dict):
            return [("name", fmt(item))]
        return [(k, fmt(v)) for k, v in item.items()]

    misses = 0
    for issue in report.issues:
        if issue.kind == "spurious":
            pool = origin.get(id(issue.item)) or []
            key = pool.pop(0) if pool else None
            if key:
                _flag(view, key, "spurious", f"spurious: no gold {issue.list_name} item pairs with it")
            comparison.issues.append(GoldIssue(issue.list_name, "spurious", issue.text, issue.detail, key))
            continue
        span = locate(issue.list_name, issue.item)
        if issue.kind == "miss":
            key = None
            if span:
                key = f"x{misses}"
                misses += 1
                marker = Item(key, "miss", f"missed {issue.list_name[:-1]}", f"{issue.list_name}: {shorten(issue.text, 60)}",
                              spans=[span], css=["k-miss"], rank=RANK["miss"], layer=False)
                marker.fields = [("gold list", issue.list_name)] + gold_fields(issue.list_name, issue.item)
                if issue.detail:
                    marker.fields.append(("detail", issue.detail))
                view.items[key] = marker
                view.lists.setdefault("miss", []).append(key)
            comparison.issues.append(GoldIssue(issue.list_name, "miss", issue.text, issue.detail, key))
        else:  # attribute: show it on the predicted item that pairs with the gold one
            key = _paired(view, issue.list_name, issue.item, span)
            if key:
                _flag(view, key, "attribute", f"gold: {issue.detail}")
            comparison.issues.append(GoldIssue(issue.list_name, "attribute", issue.text, issue.detail, key))
    return comparison


def _dicts(result: dict, name: str) -> list[dict]:
    return [x for x in result.get(name) or [] if isinstance(x, dict)]


def _complete(result: dict) -> dict:
    """The result with the fields prediction_from_result reads, defaulted where a hand-made result lacks them."""
    out = dict(result)
    out["officials"] = [{"name": None, "title": None, "organization": None, **o} for o in _dicts(result, "officials")]
    out["organizations"] = [{"name": o.get("text"), **o} for o in _dicts(result, "organizations")]
    for name, defaults in (("figures", {"value": None, "unit": None, "approximate": False}),
                           ("targets", {"value": None, "unit": None, "deadline": None, "actor": None}),
                           ("commitments", {"kind": None, "actor": None, "speaker": None})):
        out[name] = [{**defaults, **x} for x in _dicts(result, name) if x.get("spans")]
    return out


def _flag(view: DocumentView, key: str, flag: str, note: str) -> None:
    item = view.items.get(key)
    if item is None:
        return
    for target in [item] + [view.items[k] for k in item.gathers if k in view.items]:
        if flag not in target.flags:
            target.flags.append(flag)
            target.css.append(flag)
    item.fields.append(("gold", note))  # mentions show their official's fields, this one too


def _paired(view: DocumentView, list_name: str, gold_item: Any, span: tuple[int, int] | None) -> str | None:
    """The predicted item an attribute issue is about: same name, or the largest overlap."""
    from .evaluate import fold

    prefix = {"officials": "p", "figures": "f", "targets": "t", "commitments": "c"}.get(list_name)
    if prefix is None:
        return None
    if list_name == "officials":
        name = fold(gold_item.get("name") or "") if isinstance(gold_item, dict) else ""
        for key, item in view.items.items():
            if item.kind == "official" and name and (fold(item.heading) == name or name.endswith(fold(item.heading))):
                return key
        return None
    best, best_overlap = None, 0
    for key, item in view.items.items():
        if item.kind != list_name[:-1] or span is None:
            continue
        overlap = sum(max(0, min(e, span[1]) - max(s, span[0])) for s, e in item.spans)
        if overlap > best_overlap:
            best, best_overlap = key, overlap
    return best


# ---------------------------------------------------------------- the text


@dataclass(eq=False)
class _Node:
    item: Item
    start: int
    end: int
    index: int  # which span of the item
    order: tuple
    opened: bool = False


@dataclass(eq=False)
class _Element:
    node: _Node | None
    first: bool
    children: list = field(default_factory=list)


def render_text(text: str, items: Iterable[Item]) -> tuple[str, int]:
    """The text as nested elements, one layer per covering span; returns (html, spans shown).

    Sets ``item.anchors`` to the ids of the first fragment of each of its spans.
    """
    nodes: list[_Node] = []
    for seq, item in enumerate(items):
        item.anchors = []
        for index, (start, end) in enumerate(item.spans):
            if 0 <= start < end <= len(text):
                nodes.append(_Node(item, start, end, index, (-(end - start), item.rank, seq, index)))
    starting: dict[int, list[_Node]] = defaultdict(list)
    for node in nodes:
        starting[node.start].append(node)
    cuts = sorted({0, len(text)} | {n.start for n in nodes} | {n.end for n in nodes})

    root = _Element(None, False)
    stack: list[_Element] = [root]
    active: list[_Node] = []
    for a, b in zip(cuts, cuts[1:]):
        active = [n for n in active if n.end > a] + starting.get(a, [])
        wanted = sorted(active, key=lambda n: n.order)
        keep = 0
        while keep < len(wanted) and keep + 1 < len(stack) and stack[keep + 1].node is wanted[keep]:
            keep += 1
        del stack[keep + 1:]
        for node in wanted[keep:]:
            element = _Element(node, not node.opened)
            node.opened = True
            stack[-1].children.append(element)
            stack.append(element)
        stack[-1].children.append(text[a:b])

    out: list[str] = []
    _write(root, out)
    return "".join(out), len(nodes)


def _height(element: _Element) -> int:
    below = max((_height(c) for c in element.children if isinstance(c, _Element)), default=0)
    return below + 1 if element.node is not None and element.node.item.layer else below


def _write(element: _Element, out: list[str]) -> int:
    """Write ``element``; return its height (layers it and its children draw)."""
    heights = []
    inner: list[str] = []
    for child in element.children:
        if isinstance(child, str):
            inner.append(esc(child))
        else:
            heights.append(_write(child, inner))
    below = max(heights, default=0)
    node = element.node
    if node is None:
        out.extend(inner)
        return below
    item = node.item
    height = below + 1 if item.layer else below
    classes = ["a", *item.css]
    if item.layer:
        classes += ["band", f"h{min(height, MAX_HEIGHT)}"]
    key = item.owner if item.kind == "cue" and item.owner else item.key
    attrs = [f'class="{esc(" ".join(classes))}"', f'data-item="{esc(key)}"', f'data-kind="{esc(item.kind)}"']
    attrs += [f'{name}="{esc(value)}"' for name, value in item.attrs.items()]
    if item.kind != "cue":
        attrs.append(f'data-span="{node.start}-{node.end}"')
    if element.first and item.kind != "cue":
        anchor = f"a-{item.key}-{node.index}"
        item.anchors.append(anchor)
        attrs.append(f'id="{anchor}"')
        if item.focusable:
            attrs.append('tabindex="0" role="button"')
    elif item.kind != "cue":
        attrs.append('data-cont="1"')
    out.append(f"<span {' '.join(attrs)}>")
    out.extend(inner)
    out.append("</span>")
    return height


# ---------------------------------------------------------------- pages


def _template() -> Template:
    return Template(TEMPLATE.read_text(encoding="utf-8"))


def _page(title: str, body: str, *, css: str = "", data: Any = None, page: str = "document") -> str:
    return _template().substitute(
        title=esc(title), page=esc(page), css=css, body=body,
        data=script_json(data if data is not None else {}),
    )


def _hsl(i: int) -> tuple[int, int]:
    """A hue and a lightness shift for person ``i``, far apart for the first few people."""
    hue = round((i * 137.508 + 18) % 360)
    return hue, (i // 8) % 3


def _person_css(count: int) -> str:
    rules = []
    for i in range(count):
        hue, shade = _hsl(i)
        rules.append(
            f".person-{i}{{--c:hsl({hue} 70% {36 + 6 * shade}%);--bg:hsl({hue} 85% {86 - 4 * shade}%)}}"
        )
    return "\n".join(rules)


def _legend(view: DocumentView) -> str:
    counts = Counter(item.kind for item in view.items.values())
    kinds = Counter(item.attrs.get("data-commitment-kind") for item in view.items.values() if item.kind == "commitment")
    entries = [
        ("official", "k-official person-0", counts["mention"]),
        ("organization", "k-organization", counts["orgmention"]),
        ("figure", "k-figure", counts["figure"]),
        ("target", "k-target", counts["target"]),
        ("deadline", "k-deadline", counts["deadline"]),
    ]
    entries += [(k, f"k-commitment ck-{k}", kinds[k]) for k in COMMITMENT_KINDS]
    if counts["miss"]:
        entries.append(("miss", "k-miss", counts["miss"]))
    out = ['<fieldset class="legend"><legend>Highlight · نمایش</legend>']
    for kind, css, count in entries:
        english, persian = KIND_NAMES[kind]
        toggle = kind if kind in ("official", "organization", "figure", "target", "deadline", "miss") else f"ck-{kind}"
        out.append(
            f'<label class="chip"><input type="checkbox" checked data-toggle="{esc(toggle)}">'
            f'<span class="swatch a band h1 {esc(css)}" aria-hidden="true"></span>'
            f'{esc(english)} · <span lang="fa">{esc(persian)}</span> <span class="count">{count}</span></label>'
        )
    out.append('<span class="chip note" dir="ltr"><b class="cue">bold</b>: the cue that fired · '
               '<span class="k-miss-note">dashed</span>: missed gold item · ⚠ spurious</span></fieldset>')
    return "".join(out)


def _side_lists(view: DocumentView) -> str:
    out = []
    for kind in ("official", "organization", "figure", "target", "deadline", "commitment"):
        keys = view.lists.get(kind) or []
        english, persian = KIND_NAMES[kind]
        out.append(f'<details class="list" {"open" if kind in ("official", "commitment") or len(keys) < 12 else ""}>'
                   f'<summary>{esc(english)} · <span lang="fa">{esc(persian)}</span> <span class="count">{len(keys)}</span></summary>')
        if not keys:
            out.append('<p class="empty">none</p>')
        out.append('<ul>')
        for key in keys:
            item = view.items[key]
            css = ""
            if kind == "official":
                css = f"k-official person-{key[1:]}"
            elif kind == "commitment":
                css = f"k-commitment ck-{_SAFE.sub('', item.attrs.get('data-commitment-kind', ''))}"
            else:
                css = f"k-{kind}"
            flags = "".join(f' <span class="flag flag-{esc(f)}" title="{esc(f)}">{"⚠" if f == "spurious" else "≠"}</span>' for f in item.flags)
            detail = ""
            if kind == "official":
                title = next((v for n, v in item.fields if n == "title"), "")
                detail = f'<span class="sub">{esc(title)}</span><span class="sub"><bdi>{len(item.gathers)} mentions</bdi></span>'
            elif kind == "organization":
                detail = f'<span class="sub"><bdi>{len(item.gathers)} mentions</bdi></span>'
            disabled = "" if (item.spans or item.gathers) else " disabled"
            out.append(
                f'<li><button type="button" class="goto" data-goto="{esc(key)}"{disabled}>'
                f'<span class="swatch a band h1 {esc(css)}" aria-hidden="true"></span>'
                f'<span class="label"><bdi>{esc(item.label)}</bdi></span>{flags}{detail}</button></li>'
            )
        out.append("</ul></details>")
    return "".join(out)


def _gold_panel(view: DocumentView) -> str:
    gold = view.gold
    if gold is None:
        return ""
    out = ['<section id="gold" class="panel"><h2>Compared with gold · <span lang="fa">مقایسه با برچسب مرجع</span></h2>',
           f'<p class="path" dir="ltr">{esc(gold.path)}</p>']
    if gold.error:
        out.append(f'<p class="error">The gold file could not be used: {esc(gold.error)}</p></section>')
        return "".join(out)
    out.append('<table class="scores"><thead><tr><th>list</th><th>P</th><th>R</th><th>F1</th>'
               '<th>tp</th><th>pred</th><th>gold</th></tr></thead><tbody>')
    for name, s in gold.scores.items():
        out.append(f"<tr><th>{esc(name)}</th><td>{s['P']:.2f}</td><td>{s['R']:.2f}</td><td>{s['F1']:.2f}</td>"
                   f"<td>{s['tp']}</td><td>{s['pred']}</td><td>{s['gold']}</td></tr>")
    out.append("</tbody></table>")
    titles = {"miss": "Misses (gold items not found)", "spurious": "Spurious (no gold item pairs)", "attribute": "Wrong attributes"}
    for kind in ("miss", "spurious", "attribute"):
        issues = [i for i in gold.issues if i.kind == kind]
        out.append(f'<h3>{esc(titles[kind])} <span class="count">{len(issues)}</span></h3>')
        if not issues:
            continue
        out.append(f'<ul class="issues issues-{kind}">')
        for issue in issues:
            body = (f'<span class="list-name">{esc(issue.list_name)}</span> '
                    f'<span class="label">{esc(shorten(issue.text, 110))}</span>'
                    + (f' <span class="sub">{esc(issue.detail)}</span>' if issue.detail else ""))
            if issue.key:
                out.append(f'<li><button type="button" class="goto" data-goto="{esc(issue.key)}">{body}</button></li>')
            else:
                note = " (not found in the text)" if kind == "miss" else ""
                out.append(f'<li class="nolink">{body}<span class="sub">{esc(note)}</span></li>')
        out.append("</ul>")
    out.append("</section>")
    return "".join(out)


def _problems_panel(view: DocumentView) -> str:
    if not view.problems:
        return ""
    shown = view.problems[:50]
    out = [f'<details class="panel problems" open><summary>Grounding problems <span class="count">{len(view.problems)}</span></summary><ul>']
    out += [f"<li><code>{esc(p.where)}</code>: {esc(p.what)}</li>" for p in shown]
    if len(view.problems) > len(shown):
        out.append(f"<li>… and {len(view.problems) - len(shown)} more</li>")
    out.append("</ul></details>")
    return "".join(out)


def _meta(view: DocumentView) -> str:
    meeting = view.meeting
    parts = []
    for name in ("body", "place"):
        if meeting.get(name):
            parts.append(f'<span class="kv"><b>{name}</b> {esc(meeting[name])}</span>')
    date = meeting.get("date")
    if isinstance(date, dict) and date.get("text"):
        extra = " / ".join(v for v in (date.get("jalali"), date.get("gregorian")) if v)
        parts.append(f'<span class="kv"><b>date</b> {esc(date["text"])}{(" (" + esc(extra) + ")") if extra else ""}</span>')
    chair = meeting.get("chair")
    if chair:
        key = next((k for k, i in view.items.items() if i.kind == "official" and ("id", str(chair)) in i.fields), None)
        name = view.items[key].heading if key else chair
        parts.append(f'<span class="kv"><b>chair</b> {esc(name)}</span>')
    source = view.result.get("source") or {}
    parts.append(f'<span class="kv" dir="ltr"><b>source</b> {esc(source.get("path") or "stdin")} · '
                 f'{esc(source.get("encoding"))} · {len(view.text):,} characters</span>')
    return '<p class="meta">' + " ".join(parts) + "</p>"


def card_data(view: DocumentView) -> dict:
    """What the script shows for each item (all text: the script sets it with textContent)."""
    cards = {}
    for key, item in view.items.items():
        if item.kind == "cue":
            continue
        anchors = list(item.anchors)
        for other in item.gathers:
            anchors += view.items[other].anchors if other in view.items else []
        cards[key] = {
            "kind": item.kind,
            "heading": item.heading,
            "label": item.label,
            "fields": item.fields,
            "links": [[relation, other] for relation, other in item.links if other in view.items],
            "anchors": anchors,
            "owner": item.owner if item.owner in view.items else None,
            "gathers": [k for k in item.gathers if k in view.items],
            "flags": item.flags,
        }
    return {"items": cards}


def render_document(view: DocumentView, *, back: str | None = None) -> str:
    """One self-contained page for one document."""
    order = sorted(view.items.values(), key=lambda i: i.rank)
    text_html, _ = render_text(view.text, [i for i in order if i.spans])
    people = sum(1 for i in view.items.values() if i.kind == "official")
    nav = f'<nav><a href="{esc(back)}">← index · فهرست</a></nav>' if back else ""
    body = (
        f'<header class="top">{nav}<h1><bdi>{esc(view.title)}</bdi></h1>{_meta(view)}{_legend(view)}</header>'
        '<main class="layout">'
        f'<article id="text" class="doc-text" aria-label="original text">{text_html}</article>'
        '<aside class="side" aria-label="items">'
        '<section id="details" class="panel" aria-live="polite"><h2>Details · <span lang="fa">جزئیات</span></h2>'
        '<div id="details-body"><p class="hint">Hover or focus a highlighted span for its item; '
        'click it, or press Enter or Space, to keep it here with its links. Tab moves between spans.</p></div></section>'
        f"{_gold_panel(view)}{_problems_panel(view)}{_side_lists(view)}"
        "</aside></main>"
        '<div id="tip" class="tip" role="tooltip" hidden></div>'
    )
    return _page(view.title, body, css=_person_css(people), data=card_data(view))


def review_page(result: dict, text: str, *, title: str | None = None, gold: Path | None = None,
                back: str | None = None) -> tuple[str, DocumentView]:
    """The page of one result on its original text, compared with ``gold`` when given."""
    view = build_view(result, text, title=title)
    if gold is not None:
        compare_with_gold(view, gold)
    return render_document(view, back=back), view


# ---------------------------------------------------------------- the original text


def load_original(result: dict, *, result_path: Path | None = None, text_path: Path | None = None,
                  roots: Iterable[Path] = (), hint: str = "Pass the original with --text FILE.") -> tuple[str, Path]:
    """The original text the result's spans point into, checked against its hash.

    Looks at ``text_path`` when given, else ``source.path`` as written, relative to the
    current folder, to each of ``roots`` and to the result's folder, and ``NAME.txt``
    beside the result file.
    """
    from .inputs import InputError, read_document

    source = result.get("source") if isinstance(result.get("source"), dict) else {}
    expected = source.get("sha256")
    candidates: list[Path] = []
    if text_path is not None:
        candidates = [Path(text_path)]
    else:
        written = source.get("path")
        if isinstance(written, str) and written and not written.startswith("<"):
            p = Path(written)
            candidates.append(p)
            if not p.is_absolute():
                for root in [*roots, *([result_path.parent] if result_path else [])]:
                    candidates.append(Path(root) / p)
                    candidates.append(Path(root) / p.name)
        if result_path is not None:
            candidates.append(result_path.with_suffix(".txt"))
    tried, mismatched = [], []
    seen = set()
    for candidate in candidates:
        if candidate in seen:
            continue
        seen.add(candidate)
        tried.append(str(candidate))
        if not candidate.is_file():
            continue
        try:
            document = read_document(candidate)
        except InputError as error:
            mismatched.append(f"{candidate}: {error.reason}")
            continue
        if expected and document.sha256 != expected:
            mismatched.append(f"{candidate}: its sha256 differs from the result's (the text changed since extraction)")
            continue
        return document.text, candidate
    where = "; ".join(mismatched) if mismatched else f"looked for {', '.join(tried) or 'nothing: the result names no source.path'}"
    raise ReviewError(
        "the original text is needed (the spans are offsets into it, not into text.normalized) "
        f"and was not found: {where}." + ("" if text_path else f" {hint}")
    )


def is_result(data: Any) -> bool:
    return isinstance(data, dict) and "schema_version" in data and isinstance(data.get("source"), dict) and "officials" in data


# ---------------------------------------------------------------- stores


@dataclass
class StoreEntry:
    name: str  # unique page name
    origin: str  # where the result came from
    result: dict | None = None
    page: str | None = None  # file name of its page
    error: str | None = None
    view: DocumentView | None = None


def find_results(store: Path) -> tuple[list[tuple[str, Path, dict]], list[str]]:
    """Every result under ``store``: ``*.json`` files (recursively) and lines of ``*.jsonl`` files.

    A file that is a gold annotation, a prediction or any JSON that is not a result is
    skipped and named in the second list.
    """
    found, skipped = [], []
    batch = (store / "store.json").is_file()  # a `minutes batch` store: its work folder and marker are not results
    for path in sorted(store.rglob("*")):
        if not path.is_file() or path.suffix not in (".json", ".jsonl"):
            continue
        rel = str(path.relative_to(store))
        if batch and (rel == "store.json" or path.relative_to(store).parts[0] in ("tmp", "shards")):
            continue
        if path.name.endswith((".gold.json", ".pred.json")):
            skipped.append(f"{rel}: a gold or prediction file")
            continue
        try:
            content = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            skipped.append(f"{rel}: cannot be read ({error})")
            continue
        if path.suffix == ".jsonl":  # a result a line; other lines are not reported
            records = [(f"{rel}:{n}", line, False) for n, line in enumerate(content.splitlines(), 1) if line.strip()]
        else:
            records = [(rel, content, True)]
        for label, text, report_other in records:
            try:
                data = json.loads(text)
            except json.JSONDecodeError:
                skipped.append(f"{label}: not JSON")
                continue
            if is_result(data):
                found.append((label, path, data))
            elif report_other:
                skipped.append(f"{label}: not a result (no schema_version/source/officials)")
    return found, skipped


def _page_name(name: str, used: set[str]) -> str:
    base = re.sub(r"[^\w.-]+", "_", name.replace("/", "__")).strip("._") or "document"
    name, n = f"{base}.html", 2
    while name in used or name == "index.html":
        name, n = f"{base}-{n}.html", n + 1
    used.add(name)
    return name


def read_batch_store(store: Path) -> tuple[dict[str, dict], list[dict], str | None, list[tuple[str, None, dict]]]:
    """What a `minutes batch` store (:mod:`extract.store`) knows of its documents.

    Returns ``(documents, errors, problem, results)``: each document's ``source``, ``path``,
    ``record_id`` and original ``text`` by its ``document_id`` (the sha256 in its result),
    the batch's failed documents, why the tables could not be read (else None), and the
    result of each document, as :func:`find_results` gives them. A folder that is not such
    a store gives nothing; its results are then its files, and its texts are looked up from
    the results' source paths.
    """
    if not (store / "store.json").is_file():
        return {}, [], None, []
    try:
        from . import store as batch

        opened = batch.open(store)
        try:
            documents = opened.query("SELECT document_id, source, path, record_id, text FROM documents").to_dict("records")
            errors = opened.query("SELECT source, stage, reason FROM errors ORDER BY source").to_dict("records")
            results = [(f"results:{document_id}", None, json.loads(result)) for document_id, result in opened.results()]
        finally:
            opened.close()
    except Exception as error:  # the tables are the batch's: say why, and fall back on the source paths
        return {}, [], f"{type(error).__name__}: {error}", []
    return {str(d["document_id"]): d for d in documents}, errors, None, results


def write_store_pages(store: Path, out_dir: Path, *, use_gold: bool = True,
                      root: Path | None = None) -> tuple[list[StoreEntry], list[str]]:
    """Write ``out_dir/index.html`` and one page per result found under ``store``.

    A result's original text comes from the store's ``documents`` table when ``store``
    was written by `minutes batch` (the only place an archive row's text is kept), else
    from its ``source.path``: as written (from the current folder), or from ``root``, the
    store or the store's parent. A gold file is looked for beside a document read from a file.
    """
    roots = [r for r in (root, store, store.parent) if r is not None]
    hint = "Run the command from the folder the batch ran in, or pass --root DIR (the folder source paths start from)."
    texts, batch_errors, store_problem, stored = read_batch_store(store)
    # A batch store's results are those of its documents (not of documents no source holds
    # any more: a file deleted, edited, failing now).
    batch_tables = (store / "store.json").is_file() and store_problem is None
    results, skipped = (stored, []) if batch_tables else find_results(store)
    if store_problem is not None and not results:  # a batch store keeps its results in its tables
        raise ReviewError(f"{store}: the store's tables cannot be read: {store_problem}")
    out_dir.mkdir(parents=True, exist_ok=True)
    entries, used = [], set()
    for origin, path, result in results:
        source = result.get("source") if isinstance(result.get("source"), dict) else {}
        row = texts.get(str(source.get("sha256")))
        written = (row or {}).get("source") if isinstance((row or {}).get("source"), str) else source.get("path")
        entry = StoreEntry(name=Path(str(written)).name if written else Path(origin.split(":")[0]).stem,
                           origin=origin, result=result)
        if entry.name.endswith(".txt"):
            entry.name = entry.name[:-4]
        try:
            if row is not None and isinstance(row.get("text"), str):
                text = row["text"]
                text_file = None
                record, file = row.get("record_id"), row.get("path")  # pandas gives NaN for a missing value
                if not (isinstance(record, str) and record) and isinstance(file, str) and file:
                    text_file = next((c for c in [Path(file)] + [r / file for r in roots] if c.is_file()), None)
            else:
                text, text_file = load_original(result, result_path=path, roots=roots, hint=hint)
            gold = gold_path_for(text_file) if use_gold and text_file else None
            page = _page_name(entry.name, used)
            html_text, view = review_page(result, text, title=entry.name, gold=gold if gold and gold.is_file() else None,
                                          back="index.html")
            write_atomic(out_dir / page, html_text)
            entry.page, entry.view = page, view
        except ReviewError as error:
            entry.error = str(error)
        entries.append(entry)
    write_atomic(out_dir / "index.html", render_index(store, entries, skipped, batch_errors=batch_errors,
                                                      store_problem=store_problem))
    return entries, skipped


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".part")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def _org_of_commitment(result: dict, commitment: dict) -> str:
    """The body a commitment is on: its actor's organization where known, else the actor as written."""
    actor_id = commitment.get("actor_id")
    for org in _dicts(result, "organizations"):
        if actor_id and org.get("id") == actor_id:
            return str(org.get("name") or org.get("text"))
    for official in _dicts(result, "officials"):
        if actor_id and official.get("id") == actor_id:
            if official.get("organization"):
                return str(official["organization"])
            return str(official.get("name") or official.get("title") or "(person without a body)")
    return str(commitment.get("actor") or "(no actor)")


def bar_chart(title: str, rows: list[tuple[str, int]], *, colours: dict[str, str] | None = None, limit: int = 20,
              note: str = "") -> str:
    """A horizontal bar chart as inline SVG, right to left: labels on the right, bars growing leftwards."""
    rows = sorted(rows, key=lambda r: (-r[1], r[0]))
    if len(rows) > limit:  # the rest are named in the caption, not drawn: one long bar would flatten the others
        rest = rows[limit:]
        note = "; ".join(filter(None, [note, f"{len(rest)} more with {sum(c for _, c in rest)} in all, in the table below"]))
        rows = rows[:limit]
    width, label_w, row_h, top = 760, 330, 24, 8
    height = top * 2 + row_h * max(len(rows), 1)
    right = width - label_w - 10  # where the bars start
    bar_max = right - 60
    top_count = max((c for _, c in rows), default=0) or 1
    caption = esc(title) + (f' <span class="note">({esc(note)})</span>' if note else "")
    # direction rtl: text-anchor "start" puts a text's right end at x, as Persian reads.
    out = [f'<figure class="chart"><figcaption>{caption}</figcaption>',
           f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{esc(title)}" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" class="bars" direction="rtl" style="direction: rtl">']
    if not rows:
        out.append(f'<text x="{width - 6}" y="{top + 16}" text-anchor="start" class="none">none</text>')
    for i, (label, count) in enumerate(rows):
        y = top + i * row_h
        w = max(1, round(bar_max * count / top_count)) if count else 0
        colour = (colours or {}).get(label, "#4a78b5")
        out.append(
            f'<g><title>{esc(label)}: {count}</title>'
            f'<text x="{width - 6}" y="{y + 16}" text-anchor="start" class="label">{esc(shorten(label, 42))}</text>'
            f'<rect x="{right - w}" y="{y + 4}" width="{w}" height="{row_h - 8}" rx="2" fill="{esc(colour)}"></rect>'
            f'<text x="{right - w - 6}" y="{y + 16}" text-anchor="start" class="value">{count}</text></g>'
        )
    out.append("</svg></figure>")
    return "".join(out)


KIND_COLOURS = {"decision": "#2f6fdf", "obligation": "#d03b3b", "promise": "#8a4fd1", "request": "#e08a00", "priority": "#178a6b"}


def render_index(store: Path, entries: list[StoreEntry], skipped: list[str], *, batch_errors: list[dict] = (),
                 store_problem: str | None = None) -> str:
    """The store's index: counts per document, kind, organization and speaker, and two bar charts."""
    from .evaluate import fold

    kinds: Counter = Counter()
    lists_total: Counter = Counter()
    by_org: dict[str, dict[str, Any]] = {}
    by_speaker: dict[str, dict[str, Any]] = {}
    rows = []
    any_gold = any(e.view is not None and e.view.gold is not None for e in entries)
    for entry in entries:
        result = entry.result or {}
        counts = {name: len(_dicts(result, name)) for name in LISTS}
        lists_total.update(counts)
        doc_kinds = Counter(str(c.get("kind")) for c in _dicts(result, "commitments"))
        kinds.update(doc_kinds)

        def org_row(name: str) -> dict[str, Any]:
            return by_org.setdefault(fold(name), {"name": name, "documents": set(), "mentions": 0, "commitments": 0})

        for org in _dicts(result, "organizations"):
            row = org_row(str(org.get("name") or org.get("text")))
            row["documents"].add(entry.origin)
            row["mentions"] += max(1, len(org.get("mentions") or []))
        for commitment in _dicts(result, "commitments"):
            row = org_row(_org_of_commitment(result, commitment))
            row["commitments"] += 1
            row["documents"].add(entry.origin)
            speaker = commitment.get("speaker")
            if not speaker and commitment.get("speaker_id"):
                speaker = next((o.get("name") or o.get("title") for o in _dicts(result, "officials")
                                if o.get("id") == commitment["speaker_id"]), None)
            srow = by_speaker.setdefault(fold(str(speaker or "(no speaker)")),
                                         {"name": str(speaker or "(no speaker)"), "documents": set(), "commitments": 0, "figures": 0})
            srow["commitments"] += 1
            srow["documents"].add(entry.origin)
        names = {o.get("id"): (o.get("name") or o.get("title")) for o in _dicts(result, "officials")}
        for figure in _dicts(result, "figures"):
            if figure.get("speaker") and names.get(figure["speaker"]):
                name = str(names[figure["speaker"]])
                srow = by_speaker.setdefault(fold(name), {"name": name, "documents": set(), "commitments": 0, "figures": 0})
                srow["figures"] += 1
                srow["documents"].add(entry.origin)
        link = (f'<a href="{esc(entry.page)}">{esc(entry.name)}</a>' if entry.page else esc(entry.name))
        cells = "".join(f'<td class="n">{counts[n]}</td>' for n in LISTS)
        cells += "".join(f'<td class="n">{doc_kinds.get(k, 0)}</td>' for k in COMMITMENT_KINDS)
        if any_gold:
            gold = entry.view.gold if entry.view else None
            if gold and not gold.error:
                issues = Counter(i.kind for i in gold.issues)
                cells += f'<td class="n">{issues["miss"]}</td><td class="n">{issues["spurious"]}</td>'
            else:
                cells += '<td class="n">—</td><td class="n">—</td>'
        status = (f'<td class="error">{esc(shorten(entry.error, 160))}</td>' if entry.error
                  else f'<td class="n">{len(entry.view.problems) if entry.view else 0}</td>')
        rows.append(f'<tr><th scope="row"><bdi>{link}</bdi><div class="sub" dir="ltr">{esc(entry.origin)}</div></th>{cells}{status}</tr>')

    head = "".join(f'<th class="n">{esc(n)}</th>' for n in LISTS) + "".join(f'<th class="n">{esc(k)}</th>' for k in COMMITMENT_KINDS)
    if any_gold:
        head += '<th class="n">gold misses</th><th class="n">spurious</th>'
    total_cells = "".join(f'<td class="n">{lists_total[n]}</td>' for n in LISTS)
    total_cells += "".join(f'<td class="n">{kinds.get(k, 0)}</td>' for k in COMMITMENT_KINDS)
    total_cells += '<td></td><td></td>' if any_gold else ""
    documents_table = (
        '<div class="scroll"><table class="sortable"><thead><tr><th>document</th>' + head + "<th>problems</th></tr></thead><tbody>"
        + "".join(rows) + f'</tbody><tfoot><tr><th>all {len(entries)}</th>{total_cells}<td></td></tr></tfoot></table></div>'
    )

    def table(rows_: list[dict[str, Any]], columns: list[str]) -> str:
        body = "".join(
            f'<tr><th scope="row">{esc(r["name"])}</th>'
            + "".join(f'<td class="n">{len(r[c]) if isinstance(r[c], set) else r[c]}</td>' for c in columns) + "</tr>"
            for r in rows_
        )
        return ('<table class="sortable"><thead><tr><th>name</th>' + "".join(f'<th class="n">{esc(c)}</th>' for c in columns)
                + f"</tr></thead><tbody>{body}</tbody></table>")

    orgs = sorted(by_org.values(), key=lambda r: (-r["commitments"], -len(r["documents"]), r["name"]))
    speakers = sorted(by_speaker.values(), key=lambda r: (-r["commitments"], -r["figures"], r["name"]))
    kind_rows = [(k, kinds.get(k, 0)) for k in COMMITMENT_KINDS] + [(k, c) for k, c in kinds.items() if k not in COMMITMENT_KINDS]
    no_actor = by_org.get(fold("(no actor)"), {}).get("commitments", 0)
    org_rows = [(r["name"], r["commitments"]) for r in orgs if r["commitments"] and r["name"] != "(no actor)"]
    skipped_html = ""
    if skipped:
        skipped_html = (f'<details class="panel"><summary>Files skipped <span class="count">{len(skipped)}</span></summary><ul dir="ltr">'
                        + "".join(f"<li>{esc(s)}</li>" for s in skipped) + "</ul></details>")
    failed = [e for e in entries if e.error]
    failed_html = ""
    if failed:
        failed_html = ('<section class="panel"><h2>Documents without a page</h2><ul>'
                       + "".join(f'<li><b dir="ltr">{esc(e.origin)}</b>: {esc(e.error)}</li>' for e in failed) + "</ul></section>")
    if store_problem:
        failed_html += (f'<section class="panel"><h2>The store\'s tables could not be read</h2><p class="error">{esc(store_problem)}</p>'
                        "<p>The texts were looked up from the results' source paths instead.</p></section>")
    if batch_errors:
        failed_html += (f'<section class="panel"><h2>Failed in the batch <span class="count">{len(batch_errors)}</span></h2>'
                        '<table><thead><tr><th>source</th><th>stage</th><th>reason</th></tr></thead><tbody>'
                        + "".join(f'<tr><td dir="ltr">{esc(e.get("source"))}</td><td>{esc(e.get("stage"))}</td>'
                                  f'<td>{esc(e.get("reason"))}</td></tr>' for e in batch_errors)
                        + "</tbody></table></section>")
    body = (
        f'<header class="top"><h1>Review · <span lang="fa">بازبینی</span>: {esc(store.name or str(store))}</h1>'
        f'<p class="meta"><span class="kv" dir="ltr"><b>store</b> {esc(store)}</span> '
        f'<span class="kv"><b>documents</b> {len(entries)}</span> '
        + "".join(f'<span class="kv"><b>{esc(n)}</b> {lists_total[n]}</span> ' for n in LISTS)
        + "</p></header>"
        '<main class="index">'
        f'<section class="panel"><h2>Documents · <span lang="fa">اسناد</span></h2>{documents_table}</section>'
        f"{failed_html}"
        '<section class="panel charts"><h2>Commitments · <span lang="fa">تعهدات</span></h2>'
        + bar_chart("Commitments by kind", kind_rows, colours=KIND_COLOURS)
        + bar_chart("Commitments by organization (the actor's body, or the actor as written)", org_rows,
                    note=f"{no_actor} commitments with no actor are not drawn" if no_actor else "")
        + "</section>"
        f'<section class="panel"><h2>Organizations · <span lang="fa">نهادها</span> <span class="count">{len(orgs)}</span></h2>'
        + table(orgs, ["documents", "mentions", "commitments"]) + "</section>"
        f'<section class="panel"><h2>Speakers · <span lang="fa">گویندگان</span> <span class="count">{len(speakers)}</span></h2>'
        + table(speakers, ["documents", "commitments", "figures"]) + "</section>"
        f"{skipped_html}</main>"
    )
    return _page(f"Review: {store.name or store}", body, page="index")

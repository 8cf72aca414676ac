"""Score extractions against gold annotations, as fixed by shared/eval/GOLD.md.

A gold set is a folder of ``NAME.txt`` documents with their ``NAME.gold.json``
annotations; a prediction is a dict in the same format. Both sides are folded
(:func:`fold`) before any comparison, items of each list are paired greedily, and
per-list precision, recall and F1 are micro-averaged over the documents.

Choices where GOLD.md leaves room (each also noted where it is made):

* P, R and F1 of a list are 1.0 when it has neither gold nor predicted items across
  the set; otherwise a 0/0 precision or recall is 0.0.
* Attribute accuracy over zero pairs is not measurable: its value is ``None``.
* Predicted items may omit a list: a missing list counts as empty. Gold may not.
* Predicted ``start``/``end`` are used for any evidence-bearing list (figures,
  targets, commitments); offsets that are not a span of the document leave the item
  unplaced rather than falling back to its evidence text.
"""

from __future__ import annotations

import json
import math
from bisect import bisect_left
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

LISTS = ("officials", "organizations", "figures", "targets", "commitments")

# Attributes scored on paired items, per list (GOLD.md, last column of the table).
ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "officials": ("title", "organization"),
    "organizations": (),
    "figures": ("approximate",),
    "targets": ("actor",),
    "commitments": ("actor", "speaker"),
}
# Lists whose items carry evidence; targets and commitments pair by it.
EVIDENCE_LISTS = ("figures", "targets", "commitments")
SPAN_LISTS = ("targets", "commitments")

# ---------------------------------------------------------------- folding

_CHAR_MAP = {"ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه", "أ": "ا", "إ": "ا"}
for _d in range(10):
    _CHAR_MAP[chr(0x06F0 + _d)] = str(_d)  # Persian digits
    _CHAR_MAP[chr(0x0660 + _d)] = str(_d)  # Arabic-Indic digits
_REMOVED = frozenset(chr(c) for c in range(0x064B, 0x0660)) | {"\u0670", "\u0640"}
_JOINERS = frozenset("\u200c\u200d")  # ZWNJ and ZWJ fold like spaces
_PUNCTUATION = str.maketrans("", "", "،؛:.,«»()")


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """Fold ``text`` and say where each folded character came from.

    Returns ``(folded, index_map)``: ``index_map[i]`` is the index in ``text`` of
    folded character ``i`` (for a space standing for a whitespace run, the run's
    first character), followed by one last entry ``len(text)``. The map is strictly
    increasing, so :func:`to_folded_span` can bisect it.

    "Spaces, tabs, line breaks" is read as every character for which
    ``str.isspace()`` holds (so also no-break spaces), plus ZWNJ and ZWJ. Removed
    marks do not interrupt a whitespace run.
    """
    out: list[str] = []
    index_map: list[int] = []
    run_start = -1  # index of the first character of a pending whitespace run
    for i, ch in enumerate(text):
        if ch in _REMOVED:
            continue
        if ch.isspace() or ch in _JOINERS:
            if run_start < 0:
                run_start = i
            continue
        if run_start >= 0 and out:  # no space at the start; one per run
            out.append(" ")
            index_map.append(run_start)
        run_start = -1
        out.append(_CHAR_MAP.get(ch, ch))
        index_map.append(i)
    index_map.append(len(text))  # a trailing run is trimmed: nothing emitted for it
    return "".join(out), index_map


def fold(text: str) -> str:
    """GOLD.md folding: Persian letter forms, ASCII digits, no marks, single spaces."""
    return fold_with_map(text)[0]


def to_folded_span(index_map: list[int], start: int, end: int) -> tuple[int, int]:
    """Map an original span ``[start, end)`` into folded coordinates.

    The folded span holds exactly the folded characters whose origin lies in the
    original span. The way back is ``index_map[i]`` for a start and
    ``index_map[j - 1] + 1`` for a non-empty span's end.
    """
    last = len(index_map) - 1  # the final entry is a sentinel, not a character
    return bisect_left(index_map, start, 0, last), bisect_left(index_map, end, 0, last)


# ---------------------------------------------------------------- comparisons


def token_f1(a: str | None, b: str | None) -> float:
    """Token F1 of two attribute values (GOLD.md).

    Both strings are folded, the marks ، ؛ : . , « » ( ) are deleted and the rest is
    split on spaces; tokens are compared as multisets. An absent value (``None``)
    agrees only with another absent value: None vs None is 1.0 (both correctly say
    the text does not give it), None vs any string is 0.0. Two strings with no
    tokens left are equal (1.0); one with and one without tokens give 0.0.
    """
    if a is None or b is None:
        return 1.0 if a is None and b is None else 0.0
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb:
        return 1.0 if ta == tb else 0.0
    common = sum((Counter(ta) & Counter(tb)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(ta), common / len(tb)
    return 2 * precision * recall / (precision + recall)


def _tokens(text: str) -> list[str]:
    return fold(text).translate(_PUNCTUATION).split()


def _number(value: Any) -> float | int | None:
    # JSON booleans are not numbers, although Python treats them as ints.
    if isinstance(value, (int, float)) and not isinstance(value, bool) and not math.isnan(value):
        return value
    return None


def values_equal(a: Any, b: Any) -> bool:
    """Numbers equal within a relative difference under 1e-9 (exact for zero)."""
    x, y = _number(a), _number(b)
    if x is None or y is None:
        return False
    if x == y:
        return True
    return abs(x - y) < 1e-9 * max(abs(x), abs(y))


def _folded(value: Any) -> str | None:
    return fold(value) if isinstance(value, str) else None


def _name_rank(pred_name: Any, gold_name: Any) -> int | None:
    """0 for equal folded names, 1 for a surname-only match, None otherwise.

    "One is the other's last word(s) with the rest a first name" is read as: the
    shorter name's words are the trailing words of the longer one, which has at
    least one more word in front. Whether those words are a first name is not
    checked (no list of first names is part of the contract).
    """
    p, g = _folded(pred_name), _folded(gold_name)
    if not p or not g:
        return None
    if p == g:
        return 0
    shorter, longer = sorted((p.split(" "), g.split(" ")), key=len)
    if len(shorter) < len(longer) and longer[-len(shorter):] == shorter:
        return 1
    return None


# ---------------------------------------------------------------- gold set


class GoldError(ValueError):
    """A gold annotation that breaks the contract (names the file and the item)."""


@dataclass
class GoldDocument:
    name: str
    text: str
    gold: dict
    path: Path  # the .gold.json file


def find_evidence(folded_doc: str, evidence: str, occurrence: int = 1) -> tuple[int, int] | None:
    """Folded ``(start, end)`` of the ``occurrence``-th (1-based) place of ``evidence``.

    ``evidence`` is folded here (folding is idempotent, so folded input is fine).
    Every position where the folded evidence occurs counts as an occurrence, also
    one overlapping the previous. Empty evidence is never found.
    """
    needle = fold(evidence)
    if not needle or occurrence < 1:
        return None
    start = -1
    for _ in range(occurrence):
        start = folded_doc.find(needle, start + 1)
        if start < 0:
            return None
    return start, start + len(needle)


def _occurrence(item: dict) -> int | None:
    """The item's 1-based occurrence (default 1), or None when it is not a positive int."""
    occurrence = item.get("occurrence", 1)
    if isinstance(occurrence, int) and not isinstance(occurrence, bool) and occurrence >= 1:
        return occurrence
    return None


def _locate_gold(folded_doc: str, item: Any, where: str) -> tuple[int, int]:
    if not isinstance(item, dict) or not isinstance(item.get("evidence"), str):
        raise GoldError(f"{where}: item has no evidence text")
    occurrence = _occurrence(item)
    if occurrence is None:
        raise GoldError(f"{where}: occurrence must be a positive integer, got {item.get('occurrence')!r}")
    span = find_evidence(folded_doc, item["evidence"], occurrence)
    if span is None:
        nth = f" (occurrence {occurrence})" if "occurrence" in item else ""
        raise GoldError(f"{where}: evidence not found in the document{nth}: «{item['evidence']}»")
    return span


def _gold_spans(doc: GoldDocument, folded_doc: str) -> dict[str, list[tuple[int, int]]]:
    """Evidence spans of every gold item with evidence; raises GoldError naming file and item."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for list_name in LISTS:
        items = doc.gold.get(list_name)
        if not isinstance(items, list):
            raise GoldError(f"{doc.path}: key {list_name!r} must be a list (every key is required)")
        if list_name in EVIDENCE_LISTS:
            spans[list_name] = [
                _locate_gold(folded_doc, item, f"{doc.path}: {list_name}[{i}]") for i, item in enumerate(items)
            ]
    return spans


def load_gold_set(folder: Path) -> list[GoldDocument]:
    """Every ``NAME.txt`` in ``folder`` that has a ``NAME.gold.json``, sorted by name.

    Texts are read exactly as stored (UTF-8, no newline translation), since
    predicted offsets count characters of that text. Every gold evidence is checked
    to be found in its document; a gold file that is not JSON, lacks a list or has
    evidence that cannot be found raises :class:`GoldError`.
    """
    folder = Path(folder)
    documents = []
    for txt in folder.glob("*.txt"):
        gold_path = txt.with_name(txt.stem + ".gold.json")
        if not gold_path.is_file():
            continue  # a text without gold is not part of the set
        try:
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            raise GoldError(f"{gold_path}: not a UTF-8 JSON file: {err}") from err
        if not isinstance(gold, dict):
            raise GoldError(f"{gold_path}: must hold a JSON object")
        with txt.open(encoding="utf-8", newline="") as f:
            doc = GoldDocument(name=txt.stem, text=f.read(), gold=gold, path=gold_path)
        _gold_spans(doc, fold(doc.text))
        documents.append(doc)
    return sorted(documents, key=lambda d: d.name)


# ---------------------------------------------------------------- pairing


@dataclass
class _Item:
    index: int
    raw: Any
    position: float  # for ranking ties in document order
    span: tuple[int, int] | None = None
    unplaced: str = ""  # why a predicted evidence could not be placed


def _predicted_span(item: dict, folded_doc: str, index_map: list[int]) -> tuple[tuple[int, int] | None, str]:
    """Folded evidence span of a predicted item: from its offsets, else from its evidence text."""
    start, end = item.get("start"), item.get("end")
    if start is not None or end is not None:
        n = index_map[-1]  # offsets are in the ORIGINAL document: its length, not the folded one
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)) or not 0 <= start <= end <= n:
            return None, f"start/end {start!r}–{end!r} are not a span of the document ({n} characters)"
        fs, fe = to_folded_span(index_map, start, end)
        # A collapsed run at either end is not part of the evidence, as in folded evidence text.
        while fs < fe and folded_doc[fs] == " ":
            fs += 1
        while fe > fs and folded_doc[fe - 1] == " ":
            fe -= 1
        return ((fs, fe), "") if fe > fs else (None, "start/end cover no text")
    evidence = item.get("evidence")
    occurrence = _occurrence(item)
    if not isinstance(evidence, str) or occurrence is None:
        return None, "no evidence text to place"
    span = find_evidence(folded_doc, evidence, occurrence)
    return (span, "") if span else (None, "evidence not found in the document")


def _overlap(a: tuple[int, int] | None, b: tuple[int, int] | None) -> int:
    if a is None or b is None:
        return 0
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _match_rank(list_name: str, pred: _Item, gold: _Item) -> int | None:
    """Rank class of a matching pair (0 best; 1 = surname-only), None when they do not match."""
    p, g = pred.raw, gold.raw
    if list_name == "organizations":
        fp, fg = _folded(p), _folded(g)
        return 0 if fp and fp == fg else None
    if not isinstance(p, dict):
        return None
    if list_name == "officials":
        return _name_rank(p.get("name"), g.get("name"))
    if list_name == "figures":
        same_unit = _folded(p.get("unit")) == _folded(g.get("unit"))
        return 0 if same_unit and values_equal(p.get("value"), g.get("value")) else None
    # targets and commitments: the prediction covers at least half of the gold evidence
    if pred.span is None or 2 * _overlap(pred.span, gold.span) < gold.span[1] - gold.span[0]:
        return None
    if list_name == "targets":
        return 0 if g.get("value") is None or values_equal(p.get("value"), g.get("value")) else None
    return 0 if p.get("kind") == g.get("kind") else None


def _pair(list_name: str, preds: list[_Item], golds: list[_Item]) -> list[tuple[_Item, _Item]]:
    """Greedy pairing: best-ranked matching pairs first, each item used at most once.

    Rank: equal names before surname-only matches, then larger evidence overlap
    (folded characters; figures too, where both evidences are placed, though it
    never decides whether they match), then the gold item's position, then the
    prediction's.
    """
    candidates = []
    for g in golds:
        for p in preds:
            rank = _match_rank(list_name, p, g)
            if rank is not None:
                key = (rank, -_overlap(p.span, g.span), g.position, g.index, p.position, p.index)
                candidates.append((key, p, g))
    candidates.sort(key=lambda c: c[0])
    used_pred, used_gold, pairs = set(), set(), []
    for _, p, g in candidates:
        if p.index not in used_pred and g.index not in used_gold:
            used_pred.add(p.index)
            used_gold.add(g.index)
            pairs.append((p, g))
    return pairs


def _attribute_correct(list_name: str, attribute: str, pred: dict, gold: dict) -> bool:
    p, g = pred.get(attribute), gold.get(attribute)
    if list_name == "figures":  # approximate: the same JSON value (true is not 1)
        return type(p) is type(g) and p == g
    if not all(v is None or isinstance(v, str) for v in (p, g)):
        return False  # a text attribute given as a number or a list is malformed, so wrong
    return token_f1(p, g) >= 0.5


# ---------------------------------------------------------------- report


@dataclass
class Accuracy:
    correct: int
    total: int
    value: float | None  # correct / total; None when there are no pairs to measure

    @classmethod
    def of(cls, correct: int, total: int) -> Accuracy:
        return cls(correct, total, correct / total if total else None)


@dataclass
class ListScore:
    name: str
    tp: int
    n_pred: int
    n_gold: int
    precision: float
    recall: float
    f1: float
    attributes: dict[str, Accuracy]

    @classmethod
    def of(cls, name: str, tp: int, n_pred: int, n_gold: int, attributes: dict[str, Accuracy]) -> ListScore:
        if n_pred == 0 and n_gold == 0:
            precision = recall = f1 = 1.0  # nothing to find and nothing claimed: correct
        else:
            precision = tp / n_pred if n_pred else 0.0
            recall = tp / n_gold if n_gold else 0.0
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return cls(name, tp, n_pred, n_gold, precision, recall, f1, attributes)


@dataclass
class Issue:
    list_name: str
    kind: str  # "miss" (gold not paired), "spurious" (prediction not paired) or "attribute"
    document: str
    text: str  # name, organization, evidence or "value unit"
    detail: str
    item: Any  # the raw item: the gold one for a miss or an attribute error, else the prediction


_KIND_ORDER = {"miss": 0, "spurious": 1, "attribute": 2}


@dataclass
class Report:
    lists: dict[str, ListScore]
    issues: list[Issue]
    documents: int

    def to_dict(self) -> dict:
        return asdict(self)

    def format_text(self) -> str:
        lines = [f"{self.documents} document(s)", ""]
        lines.append(f"{'list':<14} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'pred':>5} {'gold':>5}  attributes")
        for score in self.lists.values():
            attributes = ", ".join(
                f"{name} {acc.correct}/{acc.total} ({_fmt_ratio(acc.value)})" for name, acc in score.attributes.items()
            )
            lines.append(
                f"{score.name:<14} {score.precision:>6.3f} {score.recall:>6.3f} {score.f1:>6.3f}"
                f" {score.tp:>5} {score.n_pred:>5} {score.n_gold:>5}  {attributes or '-'}"
            )
        if not self.issues:
            lines += ["", "No misses, spurious items or attribute errors."]
        for list_name in self.lists:
            issues = sorted((i for i in self.issues if i.list_name == list_name), key=lambda i: _KIND_ORDER[i.kind])
            if issues:
                lines += ["", f"{list_name}:"]
            for issue in issues:
                detail = f"  ({issue.detail})" if issue.detail else ""
                lines.append(f"  {issue.kind:<9} {issue.document}: {issue.text}{detail}")
        return "\n".join(lines)


def _fmt_ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _fmt_number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "null" if value is None else str(value)


def _fmt_value(value: Any) -> str:
    # Strings as written; anything else as JSON (true, null), the format of the files.
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _item_text(list_name: str, item: Any) -> str:
    if list_name == "organizations":
        return str(item)
    if not isinstance(item, dict):
        return json.dumps(item, ensure_ascii=False)
    if list_name == "officials":
        return str(item.get("name"))
    if list_name == "figures":
        return f"{_fmt_number(item.get('value'))} {item.get('unit')}"
    return str(item.get("evidence"))


def _item_detail(list_name: str, item: Any) -> str:
    """The fields that decide pairing besides the text, to tell a near miss at a glance."""
    if not isinstance(item, dict):
        return ""
    if list_name == "officials":
        return f"title: {item.get('title')}"
    if list_name == "figures":  # "value unit" alone does not tell which mention
        return f"evidence: {item.get('evidence')}"
    if list_name == "targets":
        return f"value: {_fmt_number(item.get('value'))} {item.get('unit')}"
    if list_name == "commitments":
        return f"kind: {item.get('kind')}"
    return ""


def _score_list(list_name: str, document: str, preds: list[_Item], golds: list[_Item], issues: list[Issue]):
    """Pair one list of one document; returns (tp, correct count per attribute) and records issues."""
    pairs = _pair(list_name, preds, golds)
    correct = Counter()
    for p, g in pairs:
        for attribute in ATTRIBUTES[list_name]:
            if _attribute_correct(list_name, attribute, p.raw, g.raw):
                correct[attribute] += 1
            else:
                predicted, expected = _fmt_value(p.raw.get(attribute)), _fmt_value(g.raw.get(attribute))
                detail = f"{attribute}: predicted {predicted}, gold {expected}"
                issues.append(Issue(list_name, "attribute", document, _item_text(list_name, g.raw), detail, g.raw))
    paired_gold = {g.index for _, g in pairs}
    paired_pred = {p.index for p, _ in pairs}
    for g in golds:
        if g.index not in paired_gold:
            text = _item_text(list_name, g.raw)
            issues.append(Issue(list_name, "miss", document, text, _item_detail(list_name, g.raw), g.raw))
    for p in preds:
        if p.index not in paired_pred:
            detail = "; ".join(filter(None, (_item_detail(list_name, p.raw), p.unplaced)))
            issues.append(Issue(list_name, "spurious", document, _item_text(list_name, p.raw), detail, p.raw))
    return len(pairs), correct


def score_documents(docs: list[tuple[GoldDocument, dict]]) -> Report:
    """Score (gold document, prediction) pairs; counts are summed over documents (micro-average).

    A prediction that lacks a list has predicted nothing for it. A gold evidence
    that cannot be found raises :class:`GoldError`.
    """
    totals = {name: {"tp": 0, "n_pred": 0, "n_gold": 0, "correct": Counter()} for name in LISTS}
    issues: list[Issue] = []
    for doc, prediction in docs:
        folded_doc, index_map = fold_with_map(doc.text)
        gold_spans = _gold_spans(doc, folded_doc)
        for list_name in LISTS:
            golds = []
            for i, raw in enumerate(doc.gold[list_name]):
                span = gold_spans[list_name][i] if list_name in EVIDENCE_LISTS else None
                # Document order is the evidence start where pairing uses evidence, else list order.
                position = span[0] if list_name in SPAN_LISTS else i
                golds.append(_Item(i, raw, position, span))
            preds = []
            for i, raw in enumerate(prediction.get(list_name) or []):
                span, unplaced = None, ""
                if list_name in EVIDENCE_LISTS and isinstance(raw, dict):
                    span, unplaced = _predicted_span(raw, folded_doc, index_map)
                position = (span[0] if span else math.inf) if list_name in SPAN_LISTS else i
                preds.append(_Item(i, raw, position, span, unplaced))
            tp, correct = _score_list(list_name, doc.name, preds, golds, issues)
            total = totals[list_name]
            total["tp"] += tp
            total["n_pred"] += len(preds)
            total["n_gold"] += len(golds)
            total["correct"].update(correct)
    lists = {}
    for list_name, t in totals.items():
        attributes = {a: Accuracy.of(t["correct"][a], t["tp"]) for a in ATTRIBUTES[list_name]}
        lists[list_name] = ListScore.of(list_name, t["tp"], t["n_pred"], t["n_gold"], attributes)
    return Report(lists=lists, issues=issues, documents=len(docs))


def check_thresholds(report: Report, thresholds: dict[str, float]) -> list[str]:
    """Failures of the floors in ``thresholds``; empty when all pass.

    A key ``"LIST"`` is a floor on that list's F1, ``"LIST.ATTRIBUTE"`` one on an
    attribute accuracy. An attribute with no pairs fails its floor when the list
    has gold items (nothing of them was found), and passes when it has none.
    Unknown keys raise ValueError, so that a misspelt floor is not silently ignored.
    """
    failures = []
    for key, floor in thresholds.items():
        list_name, _, attribute = key.partition(".")
        if list_name not in report.lists or (attribute and attribute not in ATTRIBUTES[list_name]):
            raise ValueError(f"unknown threshold {key!r}")
        score = report.lists[list_name]
        if not attribute:
            if score.f1 < floor:
                failures.append(f"{key}: F1 {score.f1:.3f} is below {floor:.3f}")
            continue
        accuracy = score.attributes[attribute]
        if accuracy.value is None:
            if score.n_gold:
                failures.append(f"{key}: no pairs to measure (none of {score.n_gold} gold items found)")
        elif accuracy.value < floor:
            failures.append(
                f"{key}: accuracy {accuracy.value:.3f} ({accuracy.correct}/{accuracy.total}) is below {floor:.3f}"
            )
    return failures


# ---------------------------------------------------------------- predictions


def prediction_from_result(result: dict) -> dict:
    """A pipeline result in the gold format; evidence is the original text of the item's span."""

    def grounding(item: dict) -> dict:
        spans = item["spans"]
        return {"evidence": item["text"], "start": spans[0]["start"], "end": spans[-1]["end"]}

    def deadline(item: dict) -> str | None:
        return item["deadline"]["text"] if item.get("deadline") else None

    return {
        "officials": [
            {"name": o["name"], "title": o["title"], "organization": o["organization"]}
            for o in result["officials"]
            if o["name"]
        ],
        "organizations": [o["name"] for o in result["organizations"]],
        "figures": [
            {"value": f["value"], "unit": f["unit"], "approximate": f["approximate"], **grounding(f)}
            for f in result["figures"]
        ],
        "targets": [
            {"value": t["value"], "unit": t["unit"], "deadline": deadline(t), "actor": t["actor"], **grounding(t)}
            for t in result["targets"]
        ],
        "commitments": [
            {
                "kind": c["kind"],
                "actor": c["actor"],
                "speaker": c["speaker"],
                **grounding(c),
                **({"cue": c["cue"]["text"], "rule": c["cue"]["rule"]} if c.get("cue") else {}),
            }
            for c in result["commitments"]
        ],
    }


def find_thresholds(start: Path) -> tuple[dict[str, float], Path | None]:
    """``[tool.minutes.eval]`` of the nearest pyproject.toml at or above ``start``."""
    import tomllib

    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            config = tomllib.loads(candidate.read_text(encoding="utf-8"))
            section = config.get("tool", {}).get("minutes", {}).get("eval")
            if section is not None:
                return {key: float(value) for key, value in section.items()}, candidate
    return {}, None

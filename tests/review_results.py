"""Results made by hand for the review page tests and benchmark (schema-valid, grounded).

The pipeline's stages are still growing, so the page is tested on results built here:
``seed_result`` is the seed report's gold annotation turned into a result, with every
mention of its two officials (names, titles and pronouns) placed by hand;
``synthetic_result`` covers a long text with many overlapping items whose number is
known in advance.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import regex

from extract.evaluate import find_evidence, fold_with_map

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "corpus" / "000_34e7e602297dcf66.txt"


def read_original(path: Path) -> str:
    with path.open(encoding="utf-8", newline="") as f:
        return f.read()


def span_of(text: str, evidence: str, occurrence: int = 1) -> tuple[int, int]:
    """Original offsets of ``evidence`` found as GOLD.md finds it (folded)."""
    folded, index_map = fold_with_map(text)
    found = find_evidence(folded, evidence, occurrence)
    assert found, f"not in the text: {evidence}"
    return index_map[found[0]], index_map[found[1] - 1] + 1


def grounded(text: str, start: int, end: int) -> dict:
    return {"text": text[start:end], "spans": [{"start": start, "end": end}]}


def skeleton(text: str, path: str | None) -> dict:
    data = text.encode("utf-8")
    return {
        "schema_version": "1.0",
        "source": {"path": path, "sha256": hashlib.sha256(data).hexdigest(), "encoding": "utf-8", "bytes": len(data)},
        "text": {"characters": len(text), "normalized": text, "paragraphs": []},
        "headline": None,
        "sentences": [],
        "meeting": {"body": None, "place": None, "date": None, "chair": None},
        "officials": [],
        "organizations": [],
        "figures": [],
        "targets": [],
        "commitments": [],
    }


def _words(text: str, word: str) -> list[tuple[int, int]]:
    return [m.span() for m in regex.finditer(rf"(?<![\p{{L}}\p{{M}}]){regex.escape(word)}(?![\p{{L}}\p{{M}}])", text)]


CUES = {  # commitment kind -> (cue text, rule)
    0: ("از اولویت های اصلی", "priority_of"),
    1: ("خواستار", "request_khastar"),
    2: ("لازم است", "obligation_lazem"),
    3: ("خواستار", "request_khastar"),
    4: ("از اولویت های", "priority_of"),
    5: ("مقرر است", "decision_moqarrar"),
    6: ("تسریع کند", "request_hope"),
}


def seed_result(path: Path = SEED, *, perturb: bool = False) -> dict:
    """The seed report as a result: its gold items, and the mentions of its two officials.

    With ``perturb``, one figure is left out (a miss) and one commitment has the wrong
    kind (a miss and a spurious item), for the gold comparison.
    """
    text = read_original(path)
    gold = json.loads(path.with_name(path.stem + ".gold.json").read_text(encoding="utf-8"))
    result = skeleton(text, str(path))

    # Organizations: every place each name is written.
    for i, name in enumerate(gold["organizations"], 1):
        folded, index_map = fold_with_map(text)
        spans, occurrence = [], 1
        while (found := find_evidence(folded, name, occurrence)) is not None:
            spans.append((index_map[found[0]], index_map[found[1] - 1] + 1))
            occurrence += 1
        mentions = [{"kind": "name", **grounded(text, s, e)} for s, e in spans]
        result["organizations"].append({"id": f"g{i}", "name": name, "type": "body", **grounded(text, *spans[0]), "mentions": mentions})
    org_id = {o["name"]: o["id"] for o in result["organizations"]}

    # Officials: names and titles where written; pronouns "وی" go to the person spoken of before them.
    second_starts = span_of(text, "مدیرکل امور اجتماعی و فرهنگی استانداری آذربایجان شرقی هم")[0]
    people = [
        ("p1", "علیار راستگو", gold["officials"][0],
         [("title", "معاون سیاسی، امنیتی و اجتماعی استاندار آذربایجان شرقی", n) for n in (1, 2)]
         + [("full_name", "علیار راستگو", 1)]),
        ("p2", "بدر شکوهی", gold["officials"][1],
         [("title", "مدیرکل امور اجتماعی و فرهنگی استانداری آذربایجان شرقی", 1), ("full_name", "بدر شکوهی", 1),
          ("title", "مدیر کل امور اجتماعی و فرهنگی استانداری آذربایجان شرقی", 1)]),
    ]
    for pid, name, official, placed in people:
        mentions = [(kind, span_of(text, evidence, n)) for kind, evidence, n in placed]
        full = next(span for kind, span in mentions if kind == "full_name")
        if pid == "p1":  # "راستگو ادامه داد": the surname alone
            mentions += [("surname", s) for s in _words(text, "راستگو") if s[0] != full[0] + len("علیار ")]
        for s in _words(text, "وی"):
            if (s[0] < second_starts) == (pid == "p1"):
                mentions.append(("pronoun", s))
        mentions.sort(key=lambda m: m[1])
        result["officials"].append({
            "id": pid, **grounded(text, *full), "name": name, "honorifics": [], "title": official["title"],
            "organization": official["organization"], "organization_id": org_id.get(official["organization"]),
            "mentions": [{"kind": kind, **grounded(text, *span)} for kind, span in mentions],
        })
    speaker_id = {o["name"]: o["id"] for o in result["officials"]}

    # Figures: the number and its unit (and hedge) at the start of the gold evidence.
    for i, figure in enumerate(gold["figures"], 1):
        if perturb and figure["value"] == 6:
            continue
        start, end = span_of(text, figure["evidence"])
        piece = text[start:end]
        unit_at = piece.find(figure["unit"])
        end = start + unit_at + len(figure["unit"])
        hedge = next((h for h in ("حدود", "نزدیک به") if piece.startswith(h)), None)
        result["figures"].append({
            "id": f"f{i}", **grounded(text, start, end), "value": figure["value"], "unit": figure["unit"],
            "approximate": figure["approximate"], "hedge": hedge, "quantity": "percent" if figure["unit"] == "درصد" else "count",
        })

    for i, commitment in enumerate(gold["commitments"], 1):
        start, end = span_of(text, commitment["evidence"])
        inside = [f["id"] for f in result["figures"] if start <= f["spans"][0]["start"] < end]
        cue_text, rule = CUES[i - 1]
        kind = "promise" if perturb and i == 4 else commitment["kind"]
        result["commitments"].append({
            "id": f"c{i}", **grounded(text, start, end), "kind": kind, "actor": commitment["actor"],
            "actor_id": org_id.get(commitment["actor"]), "speaker": commitment["speaker"],
            "speaker_id": speaker_id.get(commitment["speaker"]), "deadline": None, "figures": inside, "negated": False,
            "cue": {"text": cue_text, "rule": rule},
        })

    for i, target in enumerate(gold["targets"], 1):
        start, end = span_of(text, target["evidence"])
        figure = next(f["id"] for f in result["figures"] if start <= f["spans"][0]["start"] < end and f["value"] == target["value"])
        owner = next(c["id"] for c in result["commitments"] if c["spans"][0]["start"] <= start and end <= c["spans"][0]["end"])
        result["targets"].append({
            "id": f"t{i}", **grounded(text, start, end), "value": target["value"], "unit": target["unit"],
            "deadline": None, "actor": target["actor"], "actor_id": org_id.get(target["actor"]), "figure": figure, "commitment": owner,
        })
    result["meeting"] = {"body": "کارگروه اجتماعی، فرهنگی، سلامت، زنان و خانواده استان", "place": None, "date": None, "chair": "p1"}
    return result


def long_text(min_bytes: int = 30_000) -> str:
    """The corpus reports one after another until the text is at least ``min_bytes`` of UTF-8."""
    parts, size = [], 0
    for path in sorted((REPO / "corpus").glob("*.txt")):
        part = read_original(path)
        parts.append(part)
        size += len(part.encode("utf-8")) + 2
        if size >= min_bytes:
            break
    return "\n\n".join(parts)


def synthetic_result(text: str, path: str | None = None) -> tuple[dict, int]:
    """A result with many nested and crossing items over ``text``; returns it and its number of spans.

    Every number is a figure; every sentence with a cue word is a commitment over the
    whole sentence; every title word is an official's mention (one official per title
    word, so several people); every "استان" or "شهرداری ..." an organization mention;
    a target over each figure in a commitment, from the figure to the sentence end (so
    targets cross nothing but nest in commitments); and a few deadline spans.
    """
    result = skeleton(text, path)
    spans = 0
    for i, m in enumerate(regex.finditer(r"\d+(?:[.,]\d+)*(?:\s+(?:درصد|نفر|هزار|میلیارد|میلیون))?", text), 1):
        result["figures"].append({"id": f"f{i}", **grounded(text, *m.span()), "value": 1, "unit": None, "approximate": False})
        spans += 1
    titles = ["استاندار", "شهردار", "فرماندار", "وزیر", "مدیرکل", "رئیس", "معاون", "وی"]
    for i, title in enumerate(titles, 1):
        places = _words(text, title)
        if not places:
            continue
        result["officials"].append({
            "id": f"p{i}", **grounded(text, *places[0]), "name": None, "title": title, "organization": None,
            "mentions": [{"kind": "pronoun" if title == "وی" else "title", **grounded(text, *s)} for s in places],
        })
        spans += len(places)
    for i, name in enumerate(["استان", "شهرداری", "شورای"], 1):
        places = _words(text, name)
        if places:
            result["organizations"].append({"id": f"g{i}", "name": name, "type": "body", **grounded(text, *places[0]),
                                            "mentions": [{"kind": "name", **grounded(text, *s)} for s in places]})
            spans += len(places)
    kinds = {"مقرر": "decision", "باید": "obligation", "خواهد": "promise", "خواستار": "request", "اولویت": "priority"}
    n_commitment = n_target = 0
    for sentence in regex.finditer(r"[^.!؟\n]+[.!؟]?", text):
        found = next((kind for word, kind in kinds.items() if word in sentence.group()), None)
        if not found:
            continue
        s, e = sentence.span()
        while text[s].isspace():
            s += 1
        n_commitment += 1
        inside = [f for f in result["figures"] if s <= f["spans"][0]["start"] < e]
        result["commitments"].append({"id": f"c{n_commitment}", **grounded(text, s, e), "kind": found, "actor": None, "speaker": None,
                                      "figures": [f["id"] for f in inside], "cue": {"text": next(w for w, k in kinds.items() if k == found), "rule": "synthetic"}})
        spans += 1
        for figure in inside:
            n_target += 1
            start = figure["spans"][0]["start"]
            result["targets"].append({"id": f"t{n_target}", **grounded(text, start, e), "value": 1, "unit": None,
                                      "deadline": None, "actor": None, "figure": figure["id"], "commitment": f"c{n_commitment}"})
            spans += 1
    return result, spans

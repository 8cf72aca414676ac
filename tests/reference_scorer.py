#!/usr/bin/env python3
"""Independent reference scorer for the evaluation contract /work/shared/eval/GOLD.md.

Written from the contract text only, to cross-check the project's own scorer.
Standard library only.  Usage: python tests/reference_scorer.py GOLD_DIR PRED_DIR
"""
import json
import math
import os
import sys
from collections import Counter

LISTS = ("officials", "organizations", "figures", "targets", "commitments")

# ---------------------------------------------------------------- folding
_CHARS = {"ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه", "أ": "ا", "إ": "ا"}
for _d in range(10):
    _CHARS[chr(0x06F0 + _d)] = str(_d)  # Persian digits
    _CHARS[chr(0x0660 + _d)] = str(_d)  # Arabic-Indic digits
_DROP = {chr(c) for c in range(0x064B, 0x0660)} | {"\u0670", "\u0640"}
_JOINERS = {"\u200c", "\u200d"}  # ZWNJ, ZWJ count as space
_PUNCT = str.maketrans("", "", "،؛:.,«»()")


def fold_map(text):
    """Fold `text`; also return where[i] = folded index of original char i (len n+1)."""
    out, where, pending = [], [], False
    for ch in text:
        if ch in _DROP:
            where.append(len(out))
        elif ch.isspace() or ch in _JOINERS:
            where.append(len(out))
            pending = True
        else:
            if pending and out:  # one space per run; none at the start or end
                out.append(" ")
            pending = False
            where.append(len(out))
            out.append(_CHARS.get(ch, ch))
    where.append(len(out))
    return "".join(out), where


def fold(s):
    return fold_map(s)[0] if isinstance(s, str) else None


# ---------------------------------------------------------------- helpers
def _is_int(x):
    return isinstance(x, int) and not isinstance(x, bool)


def locate(item, fdoc, where):
    """Folded (start, end) of an item's evidence, or None when it cannot be placed."""
    s, e = item.get("start"), item.get("end")
    if _is_int(s) and _is_int(e) and 0 <= s <= e < len(where):
        fs, fe = where[s], where[e]
    else:
        ev = fold(item.get("evidence"))
        if not ev:
            return None
        occ = item.get("occurrence")
        occ = occ if _is_int(occ) and occ >= 1 else 1
        fs = -1
        for _ in range(occ):  # overlapping occurrences count
            fs = fdoc.find(ev, fs + 1)
            if fs < 0:
                return None
        fe = fs + len(ev)
    while fs < fe and fdoc[fs] == " ":
        fs += 1
    while fe > fs and fdoc[fe - 1] == " ":
        fe -= 1
    return (fs, fe) if fe > fs else None


def overlap(a, b):
    return max(0, min(a[1], b[1]) - max(a[0], b[0])) if a and b else 0


def half_covered(pspan, gspan):
    return bool(pspan and gspan) and 2 * overlap(pspan, gspan) >= gspan[1] - gspan[0]


def num(v):
    return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def values_equal(a, b):
    if a is None or b is None:
        return a is None and b is None
    a, b = num(a), num(b)
    if a is None or b is None:
        return False
    if a == b:
        return True
    fa, fb = float(a), float(b)
    if math.isnan(fa) or math.isnan(fb):
        return False
    return abs(fa - fb) < 1e-9 * max(abs(fa), abs(fb))


def tokens(s):
    f = fold(s)
    return f.translate(_PUNCT).split() if f else []


def token_f1(a, b):
    ta, tb = tokens(a), tokens(b)
    if not ta and not tb:  # two absent values agree
        return 1.0
    common = sum((Counter(ta) & Counter(tb)).values())
    if not common:
        return 0.0
    p, r = common / len(ta), common / len(tb)
    return 2 * p * r / (p + r)


def tf1_ok(attr):
    return lambda p, g: token_f1(p.get(attr), g.get(attr)) >= 0.5


def name_match(a, b):
    """0 = equal names, 1 = one is the other's last word(s), None = no match."""
    if not a or not b:
        return None
    if a == b:
        return 0
    short, long_ = sorted((a.split(" "), b.split(" ")), key=len)
    if len(short) < len(long_) and long_[-len(short):] == short:
        return 1
    return None


# ---------------------------------------------------------------- per-list rules
# Each rule: match(p, g, ps, gs) -> rank class (0 best) or None; plus scored attributes.
def _m_official(p, g, ps, gs):
    return name_match(fold(p.get("name")), fold(g.get("name")))


def _m_org(p, g, ps, gs):
    a, b = fold(p), fold(g)
    return 0 if a and a == b else None


def _m_figure(p, g, ps, gs):
    ok = values_equal(p.get("value"), g.get("value")) and fold(p.get("unit")) == fold(g.get("unit"))
    return 0 if ok else None


def _m_target(p, g, ps, gs):
    ok = half_covered(ps, gs) and (g.get("value") is None or values_equal(p.get("value"), g.get("value")))
    return 0 if ok else None


def _m_commitment(p, g, ps, gs):
    return 0 if half_covered(ps, gs) and p.get("kind") == g.get("kind") else None


def _same(attr):
    return lambda p, g: type(p.get(attr)) is type(g.get(attr)) and p.get(attr) == g.get(attr)


RULES = {
    "officials": (_m_official, {"title": tf1_ok("title"), "organization": tf1_ok("organization")}),
    "organizations": (_m_org, {}),
    "figures": (_m_figure, {"approximate": _same("approximate")}),
    "targets": (_m_target, {"actor": tf1_ok("actor")}),
    "commitments": (_m_commitment, {"actor": tf1_ok("actor"), "speaker": tf1_ok("speaker")}),
}
_EVIDENCE_LISTS = ("figures", "targets", "commitments")


def pair(name, preds, golds, fdoc, where):
    """Greedy pairing; returns the list of (pred, gold) pairs."""
    match, _ = RULES[name]
    spans = lambda items: [locate(x, fdoc, where) if name in _EVIDENCE_LISTS and isinstance(x, dict)
                           else None for x in items]
    pspans, gspans = spans(preds), spans(golds)
    pos = lambda sp: sp[0] if sp else math.inf
    cands = []
    for gi, g in enumerate(golds):
        for pi, p in enumerate(preds):
            if name != "organizations" and not (isinstance(p, dict) and isinstance(g, dict)):
                continue
            cls = match(p, g, pspans[pi], gspans[gi])
            if cls is not None:
                ov = overlap(pspans[pi], gspans[gi])
                cands.append((cls, -ov, pos(gspans[gi]), pos(pspans[pi]), gi, pi))
    cands.sort()
    used_p, used_g, pairs = set(), set(), []
    for *_, gi, pi in cands:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((preds[pi], golds[gi]))
    return pairs


# ---------------------------------------------------------------- scoring
def _load(path):
    if not os.path.exists(path):
        return {}
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    return data if isinstance(data, dict) else {}


def _lst(d, k):
    v = d.get(k)
    return v if isinstance(v, list) else []


def score(gold_dir: str, pred_dir: str) -> dict:
    acc = {k: {"tp": 0, "n_pred": 0, "n_gold": 0, "attr": Counter()} for k in LISTS}
    for fn in sorted(os.listdir(gold_dir)):
        if not fn.endswith(".txt"):
            continue
        base = fn[:-4]
        gpath = os.path.join(gold_dir, base + ".gold.json")
        if not os.path.isfile(gpath):
            continue
        with open(os.path.join(gold_dir, fn), encoding="utf-8", newline="") as f:
            fdoc, where = fold_map(f.read())  # offsets are code points of the raw text
        gold, pred = _load(gpath), _load(os.path.join(pred_dir, base + ".pred.json"))
        for k in LISTS:
            golds, preds = _lst(gold, k), _lst(pred, k)
            pairs = pair(k, preds, golds, fdoc, where)
            a = acc[k]
            a["tp"] += len(pairs)
            a["n_pred"] += len(preds)
            a["n_gold"] += len(golds)
            for attr, ok in RULES[k][1].items():
                a["attr"][attr] += sum(1 for p, g in pairs if ok(p, g))
    result = {}
    for k in LISTS:
        a = acc[k]
        tp, npred, ngold = a["tp"], a["n_pred"], a["n_gold"]
        if npred == 0 and ngold == 0:
            p = r = f1 = 1.0
        else:
            p = tp / npred if npred else 0.0
            r = tp / ngold if ngold else 0.0
            f1 = 2 * p * r / (p + r) if p + r else 0.0
        out = {"tp": tp, "n_pred": npred, "n_gold": ngold, "precision": p, "recall": r, "f1": f1}
        for attr in RULES[k][1]:
            out[attr] = a["attr"][attr] / tp if tp else None
        result[k] = out
    return result


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: reference_scorer.py GOLD_DIR PRED_DIR")
    print(json.dumps(score(sys.argv[1], sys.argv[2]), ensure_ascii=False, indent=2))

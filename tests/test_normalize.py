"""Normalization: what a reader of the normalized text expects, and the map back."""

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.normalize import normalize

ZWNJ = "\u200c"


def norm(text: str) -> str:
    return normalize(text).text


def test_arabic_letters_and_digits_become_one_canonical_form():
    assert norm("كتاب علي") == "کتاب علی"
    assert norm("۱۲۳ و ١٢٣ و 123") == "123 و 123 و 123"
    assert norm("۱۲٬۵۰۰ نفر") == "12٬500 نفر"


def test_diacritics_and_kashida_are_removed():
    assert norm("حَذفِ اِعراب") == "حذف اعراب"
    assert norm("دنیـــا") == "دنیا"


def test_spacing_around_punctuation_and_quotes():
    assert norm("گفت :« سلام »") == "گفت: «سلام»"
    assert norm("سلام ، دنیا .") == "سلام، دنیا."
    assert norm('او گفت "سلام" و رفت') == "او گفت «سلام» و رفت"
    assert norm("سلام    دنیا") == "سلام دنیا"


def test_zwnj_where_persian_orthography_wants_it():
    assert norm("می تواند") == f"می{ZWNJ}تواند"
    assert norm("نمی شود") == f"نمی{ZWNJ}شود"
    assert norm("میشود") == f"می{ZWNJ}شود"
    assert norm("سازمان ها و دستگاه های اجرایی") == f"سازمان{ZWNJ}ها و دستگاه{ZWNJ}های اجرایی"
    assert norm("بیش ترین") == f"بیش{ZWNJ}ترین"
    assert norm("سکونت گاه های غیررسمی") == f"سکونت{ZWNJ}گاه{ZWNJ}های غیررسمی"
    assert norm("دفاتر تسهیل گری") == f"دفاتر تسهیل{ZWNJ}گری"
    assert norm("تفاهم نامه ای") == f"تفاهم{ZWNJ}نامه{ZWNJ}ای"
    assert norm("کلان شهرهای کشور") == f"کلان{ZWNJ}شهرهای کشور"
    assert norm("جمعهها") == f"جمعه{ZWNJ}ها"


def test_words_glued_after_a_non_joining_letter_are_split():
    assert norm("مناطق کمترتوسعه یافته") == f"مناطق کمتر توسعه{ZWNJ}یافته"


def test_names_are_not_split():
    assert norm("آقای آذرپور گفت") == "آقای آذرپور گفت"
    assert norm("علیار راستگو") == "علیار راستگو"


def test_stray_zwnj_is_removed():
    assert norm(f"{ZWNJ}سلام{ZWNJ} به {ZWNJ}همه{ZWNJ}") == "سلام به همه"
    assert norm(f"کاروان{ZWNJ}{ZWNJ}سرا") == f"کاروان{ZWNJ}سرا"


def test_lines_broken_inside_a_sentence_are_joined():
    text = (
        "توسعه متوازن استان\n\n"
        "معاون استاندار با اشاره به ضرورت توجه به توسعه متوازن در تمام نقاط استان آذربایجان شرقی و شهرهای\n\n"
        "استان، گفت: این رویکرد مهم است."
    )
    assert norm(text).split("\n\n")[1].endswith("شهرهای استان، گفت: این رویکرد مهم است.")


def test_headlines_list_items_and_paragraph_ends_stay_apart():
    text = (
        "توسعه متوازن نقش مهمی در رفع معضلات اجتماعی دارد\n\n"
        "مصوبات:\n"
        "۱- مقرر شد شهرداری طرح را اجرا کند\n"
        "۲- مقرر شد گزارش ارائه شود.\n\n"
        "پایان جلسه."
    )
    assert norm(text).split("\n") == [
        "توسعه متوازن نقش مهمی در رفع معضلات اجتماعی دارد",
        "",
        "مصوبات:",
        "1- مقرر شد شهرداری طرح را اجرا کند",
        "2- مقرر شد گزارش ارائه شود.",
        "",
        "پایان جلسه.",
    ]


def test_urls_emails_and_latin_text_are_left_intact():
    text = "نشانی https://www.isna.ir/news/1402,05.html و ایمیل info.x@gov.ir و e.g. Latin text, ok."
    result = norm(text)
    for part in ("https://www.isna.ir/news/1402,05.html", "info.x@gov.ir", "e.g. Latin text, ok."):
        assert part in result


def test_the_seed_is_normalized_as_a_reader_expects(seed_text):
    result = norm(seed_text)
    assert "در تمام نقاط استان، گفت" in result
    assert f"کمتر توسعه{ZWNJ}یافته" in result
    assert f"کلان{ZWNJ}شهرهای" in result
    assert f"سکونت{ZWNJ}گاه{ZWNJ}های" in result
    assert f"بافت{ZWNJ}های فرسوده" in result
    assert result.count("\n\n") == 11  # kicker, headline, and the ten body paragraphs


def test_every_word_maps_back_to_its_original_characters(seed_text):
    result = normalize(seed_text)
    for word in regex.finditer(r"[^\s\u200c]+", result.text):
        original = result.original_text(*word.span())
        # The original of a word is the same word, up to normalization.
        assert norm(original).replace(ZWNJ, "") == word.group(), (word.group(), original)


def test_map_keeps_letters_digits_and_zwnj_apart():
    text = "ي ٣ سازمان ها"
    result = normalize(text)
    assert result.original_text(0, 1) == "ي"
    assert result.original_text(2, 3) == "٣"
    joined = result.text.index("سازمان")
    assert result.original_text(joined, len(result.text)) == "سازمان ها"


# --- properties over arbitrary input ------------------------------------------------

ALPHABET = st.sampled_from(
    list("ابپتجچخدرزسشصطعفقکگلمنوهیيكةأ۰۱۲۳٣٤0123456789 \n\u200c\u200d.،:؛!؟«»()\"-,/٫٬%ـَُِّabcXY@")
    + ["می ", " ها", " های", "تر ", "\n\n", "  ", "...", "http://a.b/c", "سازمان", "گفت:"]
)
TEXTS = st.lists(ALPHABET, max_size=60).map("".join)


@settings(max_examples=800, deadline=None)
@given(TEXTS)
def test_normalizing_is_idempotent(text):
    once = norm(text)
    assert norm(once) == once


@settings(max_examples=800, deadline=None)
@given(TEXTS, st.data())
def test_the_map_is_monotonic_and_inside_bounds(text, data):
    result = normalize(text)
    n = len(result.text)
    positions = sorted(data.draw(st.lists(st.integers(0, n), min_size=2, max_size=6)))
    previous = (0, 0)
    for a, b in zip(positions, positions[1:]):
        start, end = result.to_original(a, b)
        assert 0 <= start <= end <= len(text)
        assert (start, end) >= previous or start >= previous[0]
        previous = (start, end)
    starts = [result.to_original(p, p)[0] for p in range(n + 1)]
    assert starts == sorted(starts)


# Marks whose normalized form depends on their neighbours ("," between Persian words is
# "،"; a pair of straight quotes is « »): a word cut out of its context may keep them.
CONTEXT_FREE = str.maketrans({",": "،", '"': "«", "»": "«", ZWNJ: None, " ": None})


@settings(max_examples=800, deadline=None)
@given(TEXTS)
def test_mapped_words_recover_the_original_words(text):
    result = normalize(text)
    for word in regex.finditer(r"[^\s\u200c]+", result.text):
        original = result.original_text(*word.span())
        assert norm(original).translate(CONTEXT_FREE) == word.group().translate(CONTEXT_FREE)


# --- the joining of words, against the plain pair-by-pair walk -----------------------


def _joined_pairs_one_by_one(tokens, words):
    """Every pair in turn: the joined word is the left word of the next pair."""
    from extract.normalize import joins

    joined = []
    left = words[0]
    for i in range(len(tokens) - 1):
        right = words[i + 1]
        following = words[i + 2] if i + 2 < len(tokens) else None
        if left and right and words[i] == tokens[i] and joins(left, right, following):
            joined.append(i)
            left = left + ZWNJ + right
        else:
            left = right
    return joined


def _joining_vocabulary() -> list[str]:
    from extract.normalize import GAH, GLUED, JOIN_ROLES, JOINING_RIGHTS, compound_heads, compound_tails

    heads = sorted(compound_heads())
    tails = sorted(compound_tails())
    vocabulary = heads[::200] + tails[::100] + sorted(JOINING_RIGHTS) + list(GAH) + [
        "می", "نمی", "به", "شهر", "کلان", "تفاهم", "نامه", "کتاب", "خانه", "کار", "گاه", "شهرهای",
        "کرد", "شود", "کتاب،", "«خانه", "ها.", "12", "x", "،", "",
    ]
    # Tokens with glued words are split before any pair is joined (see _words).
    return [token for token in vocabulary if GLUED not in JOIN_ROLES[token]]


@settings(max_examples=1500, deadline=None)
@given(st.data())
def test_joined_pairs_are_those_of_the_walk_over_every_pair(data):
    from extract.normalize import JOIN_ROLES, _joined_pairs, _leading_word

    tokens = data.draw(st.lists(st.sampled_from(_joining_vocabulary()), min_size=1, max_size=14))
    words = [_leading_word(token) for token in tokens]
    roles = "".join(JOIN_ROLES[token] for token in tokens)
    assert _joined_pairs(tokens, roles) == _joined_pairs_one_by_one(tokens, words)


GLUED_VOCABULARY = [
    "میشود", "نمیکند", "جمعهها", "کمترتوسعه", "آذرپور", "«میشود»", "کمترتوسعه،", "میشود\nکمترتوسعه",
    f"کتاب{ZWNJ}خانهها", f"می{ZWNJ}شود", "x میشود", "12جمعهها", "سلام", "به", "،", "", "\n",
]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(GLUED_VOCABULARY), max_size=10).map(" ".join))
def test_glued_words_split_token_by_token_as_in_the_whole_text(text):
    from extract.normalize import GLUED, JOIN_ROLES, WORDS_TO_FIX, _fixed_word, _split_glued_tokens, rewrite

    tokens = text.split(" ")
    roles = "".join(JOIN_ROLES[token] for token in tokens)
    expected, expected_layer = rewrite(text, WORDS_TO_FIX, _fixed_word)
    assert (GLUED in roles) == (expected != text)
    if GLUED in roles:
        new_tokens, new_roles, layer = _split_glued_tokens(tokens, roles)
        assert (" ".join(new_tokens), layer) == (expected, expected_layer)
        assert new_tokens == expected.split(" ")
        assert new_roles == "".join(JOIN_ROLES[token] for token in new_tokens)


# --- fast paths, against the plain passes they stand for -----------------------------

BLANKS_AND_MARKS = st.lists(
    st.sampled_from(list("بپاد \n\u200c.،:؛!؟«»()[]{}…\"-,x1") + ["...", "  ", "\n\n", "\n\n\n", "ب\u200cپ"]),
    max_size=30,
).map("".join)


@settings(max_examples=3000, deadline=None)
@given(BLANKS_AND_MARKS)
def test_the_whitespace_pass_is_skipped_only_where_it_changes_nothing(text):
    from extract.normalize import WHITESPACE, _blanks_to_fix, _whitespace, rewrite

    if not _blanks_to_fix(text):
        new, layer = rewrite(text, WHITESPACE, _whitespace)
        assert new == text and not layer


@settings(max_examples=3000, deadline=None)
@given(BLANKS_AND_MARKS)
def test_the_space_inside_marks_pass_is_skipped_only_where_it_changes_nothing(text):
    from extract.normalize import SPACE_INSIDE_A_MARK, SPACE_INSIDE_MARKS, _space_inside_marks, rewrite

    if not SPACE_INSIDE_A_MARK.search(text):
        new, layer = rewrite(text, SPACE_INSIDE_MARKS, _space_inside_marks, protect=True)
        assert new == text and not layer


@settings(max_examples=3000, deadline=None)
@given(BLANKS_AND_MARKS)
def test_space_after_marks_finds_what_the_plain_pattern_finds(text):
    from extract.normalize import LETTER, SPACE_AFTER_MARKS, _space_after_marks

    plain = regex.compile(rf"(?P<mark>[.:!؟،؛»…)])(?={LETTER}|«)|(?P<open>[«(])(?<=(?:{LETTER}|[.:!؟،؛])[«(])")
    expected = plain.sub(lambda m: m.group() + " " if m.group("mark") else " " + m.group(), text)
    assert SPACE_AFTER_MARKS.sub(_space_after_marks, text) == expected


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("يكىةۀأإـ۰۱٣٤\u200d\u00a0\t ابیک12")), max_size=30))
def test_translation_is_str_translate(text):
    from extract.normalize import TRANSLATION, Translation

    assert Translation(TRANSLATION)(text) == text.translate(TRANSLATION)
    deleting = str.maketrans({"ي": "ی", "ك": "ک", "ـ": None})
    assert Translation(deleting)(text) == text.translate(deleting)


def test_a_translation_never_translates_a_replacement_again():
    import pytest

    from extract.normalize import Translation

    with pytest.raises(ValueError):
        Translation(str.maketrans({"a": "b", "b": "c"}))


def test_a_memo_computes_each_word_once_and_stays_within_its_limit():
    from extract.normalize import Memo

    calls = []
    memo = Memo(lambda word: calls.append(word) or word.upper(), limit=2)
    assert [memo["a"], memo["b"], memo["a"]] == ["A", "B", "A"]
    assert calls == ["a", "b"]
    assert memo["c"] == "C" and len(memo) <= 2


def test_re_class_matches_the_characters_regex_puts_in_the_class():
    import re

    import regex

    from extract.normalize import re_class

    blocks = ((0x0000, 0x0800), (0xFB50, 0xFE00))  # two blocks: no range may bridge the gap
    for pattern in (r"\s", r"\d", r"[\p{L}\p{M}]", r"[\s\u200c]"):
        ours, theirs = re.compile(f"[{re_class(pattern, blocks)}]"), regex.compile(pattern)
        for start, end in blocks:
            for code in range(start, end):
                assert bool(ours.match(chr(code))) == bool(theirs.match(chr(code))), (pattern, hex(code))
        assert not ours.match("\u0900")  # between the blocks: not in the class


def test_hazm_word_list_is_read_the_same_by_both_readers():
    # The word list is read by splitting all fields at once; the line-by-line reader is
    # the reference, and what the reader falls back to for a file of any other shape.
    from extract import normalize as module

    text = (module.hazm_file("data") / "words.dat").read_text(encoding="utf-8")
    frequencies, tags = module.hazm_word_list()
    assert (frequencies, tags) == module._read_hazm_word_lines(text)
    assert len(frequencies) > 150_000 and frequencies["آب"] > 1_000_000 and tags["آب"] == {"N", "AJ"}


def test_a_text_file_is_read_as_a_text_mode_read_reads_it(tmp_path):
    from extract.normalize import read_text_file

    path = tmp_path / "words.dat"
    for data in ("آب\t1\tN\nنان\t2\t0\n", "آب\t1\r\nنان\t2\rب\r", "\ufeffx\r\r\n\n"):
        path.write_bytes(data.encode("utf-8"))
        assert read_text_file(path) == path.read_text(encoding="utf-8")

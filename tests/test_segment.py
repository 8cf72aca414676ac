"""Segmentation: headline, paragraphs and sentences, each grounded in the original."""

from extract import segment
from extract.segment import body_sentences


def test_seed_has_one_headline_and_exactly_ten_body_sentences(nlp, seed_text):
    doc = nlp(seed_text)
    headline = doc._.headline
    assert headline is not None
    assert headline._.original_text.startswith("معاون سیاسی، امنیتی")
    assert headline._.original_text.endswith("نقش مهمی در رفع معضلات اجتماعی دارد")
    sentences = body_sentences(doc)
    assert len(sentences) == 10
    for sentence in sentences:
        assert sentence.text.endswith(".")
        start, end = sentence._.original_span
        assert seed_text[start:end] == sentence._.original_text
        assert seed_text[start:end].endswith(".")
    # A sentence cut by a blank line in the original is one sentence.
    assert "تمام نقاط\n\nاستان، گفت" in sentences[0]._.original_text


def test_a_quote_after_goft_stays_in_its_sentence(nlp):
    text = "عنوان خبر\n\nوزیر نیرو گفت: «ما این طرح را اجرا می‌کنیم. کار را معطل نمی‌کنیم.» وی افزود: سد تکمیل می‌شود."
    sentences = [s.text for s in body_sentences(nlp(text))]
    assert sentences == [
        "وزیر نیرو گفت: «ما این طرح را اجرا می‌کنیم. کار را معطل نمی‌کنیم.»",
        "وی افزود: سد تکمیل می‌شود.",
    ]


def test_numbered_decisions_and_list_markers_are_units(nlp):
    text = "صورتجلسه شورا\n\nمصوبات:\n۱. مقرر شد شهرداری طرح را اجرا کند.\n۲. مقرر شد گزارش ارائه شود.\nپایان."
    sentences = [s.text for s in body_sentences(nlp(text))]
    assert "1. مقرر شد شهرداری طرح را اجرا کند." in sentences
    assert "2. مقرر شد گزارش ارائه شود." in sentences


def test_decimals_and_abbreviations_do_not_end_sentences(nlp):
    text = "عنوان\n\nرشد ۱۲.۵ درصد بود و ج.ا.ا اعلام کرد. جمله دوم."
    sentences = [s.text for s in body_sentences(nlp(text))]
    assert len(sentences) == 2


def test_paragraph_spans_slice_the_original(nlp, seed_text):
    doc = nlp(seed_text)
    for paragraph in doc._.paragraphs:
        start, end = paragraph._.original_span
        assert seed_text[start:end].strip() == seed_text[start:end]
        assert seed_text[start:end]


def test_body_sentences_are_those_of_the_written_boundaries(nlp, seed_text):
    # The segmenter finds them from its own ranges; body_sentences reads doc.sents.
    texts = [seed_text, "", "\n\n", ".", "عنوان\n\nمتن اول. متن دوم.\n\n«نقل. قول.» بله!\nپایان"]
    for text in texts:
        doc = nlp(text)
        found = [(s.start, s.end) for s in doc._.body_sentences]
        doc._.body_sentences = None
        assert [(s.start, s.end) for s in body_sentences(doc)] == found


def _every_token_paragraphs(words):
    """find_paragraphs the straightforward way: a loop over every token."""
    paragraphs, start = [], None
    for i, (text, space) in enumerate(zip(words.texts, words.spaces)):
        if space and "\n" in text:
            if start is not None:
                paragraphs.append((start, i))
            start = None
        elif start is None and not space:
            start = i
    if start is not None:
        paragraphs.append((start, len(words)))
    return [segment._trim_words(words, s, e) for s, e in paragraphs]


def _every_token_sentences(words, start, end):
    """split_sentences the straightforward way: a loop over every token."""
    texts, depth, sentences, sentence_start = words.texts, 0, [], start
    paragraph = texts[start:end]
    quotes_balance = paragraph.count("«") == paragraph.count("»")
    i = start
    while i < end:
        text = texts[i]
        if quotes_balance and text == "«":
            depth += 1
        elif quotes_balance and text == "»":
            depth = max(0, depth - 1)
            if depth == 0 and i > start and texts[i - 1] in segment.SENTENCE_END and i + 1 < end:
                sentences.append((sentence_start, i + 1))
                sentence_start = i + 1
        elif text in segment.SENTENCE_END and depth == 0 and not segment._is_abbreviation(words, i, sentence_start):
            stop = i + 1
            while stop < end and (texts[stop] in segment.SENTENCE_END or texts[stop] == "»"):
                stop += 1
            if stop < end:
                sentences.append((sentence_start, stop))
                sentence_start = stop
            i = stop
            continue
        i += 1
    sentences.append((sentence_start, end))
    return [s for s in (segment._trim_words(words, a, b) for a, b in sentences) if s[1] > s[0]]


def test_the_segmenter_visits_only_breaks_and_marks_yet_finds_what_a_full_scan_finds(nlp, seed_text):
    texts = [
        seed_text,
        "",
        "\n\n  \n",
        "  عنوان  \n \n\nمتن اول. متن دوم!  \n\n\n«نقل قول. دوم.» پس از آن؟! و «باز» .\n",
        "گفت: «یک. «دو.» سه.» چهار... پنج.»» شش؟؟ ۱. بند ۲. ج.ا.ا و ه.ش بود.\nآخر",
        "a.b. c . d!? «e\n» f.\r\n\tg .» h",
    ]
    for text in texts:
        words = segment._Words(nlp.make_doc(text))
        paragraphs = segment.find_paragraphs(words)
        assert paragraphs == _every_token_paragraphs(words)
        for start, end in paragraphs:
            assert segment.split_sentences(words, start, end) == _every_token_sentences(words, start, end)


def test_doc_value_reads_what_doc_underscore_reads(nlp, seed_text):
    import pytest

    doc = nlp(seed_text)
    unset = nlp.make_doc("")
    for name in ("normalized", "paragraphs", "headline", "sentence_ids", "body_sentences", "numbers", "figures"):
        assert segment.doc_value(doc, name) is getattr(doc._, name)
        assert segment.doc_value(unset, name) is getattr(unset._, name)
    with pytest.raises(AttributeError):
        segment.doc_value(doc, "no_such_extension")

"""Segmentation: headline, paragraphs and sentences, each grounded in the original."""

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

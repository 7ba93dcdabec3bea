"""Searching the catalogue: ranking, typos, languages without their own text."""

import pytest

import knowledge.search
from knowledge.analysis import normalise
from knowledge.meaning import embed_queries, pack, unpack
from knowledge.search import SearchIndex


def slugs(hits):
    return [hit.slug for hit in hits]


def test_a_dutch_need_ranks_a_work_service_first(catalogue):
    first = catalogue.search("ik zoek werk", "nl")[0]
    assert catalogue.service(first.slug, "nl").domain == "werk"


@pytest.mark.parametrize("query, lang, expected", [
    ("ik wil stoppen met drugs", "nl", "integra-drugs-detentie"),
    ("I need a place to live after release", "en", "caw-wonen"),
    ("nederlands leren", "nl", "cvo-nederlands"),
])
def test_needs_find_their_service_in_the_first_three(catalogue, query, lang, expected):
    assert expected in slugs(catalogue.search(query, lang, limit=3))


@pytest.mark.parametrize("query, lang, expected", [
    ("advokaat", "nl", "juridische-eerstelijnsbijstand"),
    ("bibliotek", "nl", "gevangenisbibliotheek"),
    ("housng", "en", "caw-wonen"),
    ("schuldn", "nl", "ocmw-sociaal-huis"),
])
def test_a_misspelt_word_still_finds_its_service(catalogue, query, lang, expected):
    assert slugs(catalogue.search(query, lang, limit=3))[:1] == [expected]


def test_a_language_without_text_finds_services_through_dutch_and_english(catalogue, tmp_path):
    documents = catalogue.index_documents()
    for document in documents:
        document["texts"].pop("pl", None)
    index = SearchIndex(tmp_path / "index")
    index.rebuild(documents)
    hits = index.search("schulden", "pl")
    assert hits and hits[0].slug == "ocmw-sociaal-huis"
    # The result says which language the text shown is in.
    assert hits[0].lang == "en"
    # By meaning, a Polish need finds the Dutch and English text that meets it.
    nearest = index.search_meaning("nie bede mial gdzie spac jak mnie wypuszcza", "pl", limit=3)
    assert "caw-wonen" in slugs(nearest)
    assert nearest[0].lang == "en"


def test_every_language_finds_its_own_words(catalogue):
    for query, lang, expected in [
        ("logement", "fr", "caw-wonen"), ("سكن", "ar", "caw-wonen"),
        ("borç", "tr", "ocmw-sociaal-huis"), ("praca", "pl", "vdab-loopbaan"),
        ("locuință", "ro", "caw-wonen"),
    ]:
        hits = catalogue.search(query, lang, limit=3)
        assert expected in slugs(hits), (query, lang, slugs(hits))
        assert hits[0].lang == lang


def test_nothing_to_search_for_finds_nothing(catalogue):
    assert catalogue.search("   ", "nl") == []
    assert catalogue.search("de het een", "nl") == []


def test_arabic_and_turkish_spelling_variants_are_folded():
    assert normalise("أُرِيدُ السَّكَن") == normalise("اريد السكن")
    assert normalise("إسكان") == "اسكان"
    assert normalise("İŞ".lower()) == "iş"


def test_the_index_is_rebuilt_when_the_catalogue_changes(catalogue, tmp_path):
    index = SearchIndex(tmp_path / "index")
    documents = catalogue.index_documents()
    assert not index.is_current(documents)
    index.rebuild(documents)
    assert index.is_current(documents)
    first = index.current_generation()

    documents[0]["texts"]["nl"]["keywords"].append("zeldzaamwoord")
    assert not index.is_current(documents)
    index.rebuild(documents)
    assert index.current_generation() != first
    assert slugs(index.search("zeldzaamwoord", "nl")) == [documents[0]["slug"]]
    assert [path.name for path in (tmp_path / "index").iterdir() if path.is_dir()] == [
        index.current_generation()]


def test_a_rebuild_takes_the_meaning_of_unchanged_texts_from_the_last_one(
        catalogue, tmp_path, monkeypatch):
    index = SearchIndex(tmp_path / "index")
    documents = catalogue.index_documents()
    index.rebuild(documents)
    embedded = []
    monkeypatch.setattr(knowledge.search, "embed_passage",
                        lambda text: embedded.append(text) or knowledge.meaning.embed_passage(text))
    documents[0]["texts"]["nl"]["keywords"].append("zeldzaamwoord")
    index.rebuild(documents)
    assert len(embedded) == 1 and "zeldzaamwoord" in embedded[0]
    # The changed text's meaning is the new one.
    assert index.search_meaning(embedded[0], "nl", limit=1)[0].slug == documents[0]["slug"]


def test_meaning_joins_a_word_search_but_never_answers_alone(catalogue):
    # A divorce is a legal matter too, which the words alone rank lower.
    need = "mijn vrouw wil scheiden en ik wil mijn kinderen blijven zien"
    assert "juridische-eerstelijnsbijstand" not in slugs(catalogue.search(need, "nl", limit=3))
    found = slugs(catalogue.search_need(need, [], "nl", limit=3))
    assert found[0] == "caw-ouder-kind" and "juridische-eerstelijnsbijstand" in found
    # The meaning the NLU found gives the same answer as encoding the text again.
    meaning = unpack(pack(embed_queries([need])[0]))
    assert slugs(catalogue.search_need(need, [], "nl", limit=3, meaning=meaning)) == found
    # Every text lies near some service; nonsense and words the catalogue lacks find none.
    assert catalogue.index.search_meaning("qwxz vlpt", "nl", limit=3)
    assert catalogue.search_need("qwxz vlpt", [], "nl", limit=3) == []

"""Text analysis for search: one Whoosh analyser per language.

Every analyser lowercases, normalises script quirks (Arabic diacritics, tatweel and alef
forms; Turkish dotted capital I), drops the language's stop words, stems with Snowball
(PyStemmer has all seven languages) and folds accents, so "heroine" finds "heroïne".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from whoosh.analysis import (
    CharsetFilter,
    Filter,
    LowercaseFilter,
    PyStemmerFilter,
    RegexTokenizer,
    StopFilter,
)
from whoosh.lang import has_stopwords, stopwords_for_language
from whoosh.support.charset import accent_map

SNOWBALL_NAMES = {
    "nl": "dutch", "fr": "french", "en": "english", "ar": "arabic",
    "tr": "turkish", "pl": "polish", "ro": "romanian",
}

# Whoosh ships no stop words for these three; the commonest function words will do.
# Arabic readers also write Darija in Latin letters and mix in French: their little words
# too ("carte de séjour" matched "De Rode Antraciet" on "de").
EXTRA_STOPWORDS = {
    "ar": "في من على إلى الى عن مع هل ما ماذا انا أنا اريد أريد لي هذا هذه ذلك التي الذي "
          "و او أو ان أن كيف "
          "dyal dyali dial diali wach ach ana nta 3la bach had hadi li chi ma kayn "
          "de la le les des du un une et en au aux pour avec est",
    "pl": "i w z na do nie się to jest że o jak po co ja mi mnie czy ale za od tak dla",
    "ro": "și si în in la de pe cu nu un o ce eu mă ma am sunt este să sa din pentru care",
}

ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})


def normalise(text: str) -> str:
    """Folds spelling variants that people type interchangeably (any language)."""
    text = unicodedata.normalize("NFC", text)
    text = ARABIC_MARKS.sub("", text).translate(ARABIC_LETTERS)
    # Python lowercases "İ" to "i" + U+0307 (combining dot above); Turkish readers mean "i".
    return text.replace("i\u0307", "i").replace("İ", "i")


class NormalisingTokenizer(RegexTokenizer):
    # Normalises before splitting: Arabic marks are not word characters to the regex.
    def __call__(self, value, **kwargs):
        return super().__call__(normalise(value), **kwargs)


class NormaliseFilter(Filter):
    # Again after lowercasing, which is what turns "İ" into "i" + combining dot.
    def __call__(self, tokens):
        for token in tokens:
            token.text = normalise(token.text)
            yield token


class ArabicArticleFilter(Filter):
    """Strips the article and the conjunctions and prepositions written onto it ("الديون",
    "والديون" -> "ديون"): Snowball's Arabic stemmer does not do it consistently."""

    PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")

    def __call__(self, tokens):
        for token in tokens:
            for prefix in self.PREFIXES:
                if token.text.startswith(prefix) and len(token.text) - len(prefix) >= 3:
                    token.text = token.text[len(prefix):]
                    break
            yield token


@lru_cache(maxsize=None)
def stopwords(lang: str) -> frozenset[str]:
    words = set(EXTRA_STOPWORDS.get(lang, "").split())
    if has_stopwords(lang):
        words.update(stopwords_for_language(lang))
    return frozenset(normalise(word) for word in words)


def analyser(lang: str, stem: bool = True):
    """Stemmed for matching word forms; unstemmed (stem=False) for matching typos."""
    chain = (
        NormalisingTokenizer()
        | LowercaseFilter()
        | NormaliseFilter()
        | StopFilter(stoplist=stopwords(lang), minsize=2)
    )
    if lang == "ar":
        chain = chain | ArabicArticleFilter()
    if stem:
        chain = chain | PyStemmerFilter(SNOWBALL_NAMES[lang])
    return chain | CharsetFilter(accent_map)

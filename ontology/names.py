"""The one name normaliser: how a name, alias or English label is folded before it is compared.

Gazetteer lookup, the graph view's label index and query entity linking all fold with
:func:`fold_name`, so a name that matches in one matches in the others.

>>> fold_name(" Hebei  Software（保定） ")
'hebeisoftware(保定)'
>>> fold_name("ＳＴＲＡＳＳＥ") == fold_name("straße")
True
"""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")


_ARTICLE = re.compile(r"^(?:the|an?)\s+", re.IGNORECASE)


def without_article(name: str) -> str:
    """An English name without a leading article, which is no part of the name.

    >>> without_article("the Ministry of Education"), without_article("Theatre Association")
    ('Ministry of Education', 'Theatre Association')
    """
    return _ARTICLE.sub("", name.strip())


def fold_name(name: str) -> str:
    """NFKC (full-width → half-width), no whitespace, case-folded."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", name)).casefold()

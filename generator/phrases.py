"""How text is cut into words, and the word sequences a rule phrase of topics.yaml stands
for: one definition for the check of the hand-edited file (archive/hand_edited.py) and
for the classifier that applies the rules (site/classify.py).

Matching works on words, not characters: text is lower-cased and cut into words at
spaces, hyphens and symbols, so "Chain-of-Thought" and "chain of thought" are the same
three words, while sentence punctuation (commas, full stops, brackets, quotes) stays as a
break no phrase can span: "code, models" is not the phrase "code model".
"""

from __future__ import annotations

import re

# A break between words that no phrase spans: sentence punctuation, and what we put
# between the title and the abstract and between AI keywords.
BREAK = "|"
_BREAK_CHARS = ",.;:!?()[]{}\"'`|"
_UNICODE_BREAKS = (
    "\u2018\u2019\u201a\u201c\u201d\u201e\u00ab\u00bb\u2026\u3001\u3002\uff0c\uff1a\uff1b"
)
# ASCII text (nearly all of it) goes through str.translate, many times faster than a
# regex; anything else through the regexes, so Unicode letters still count as letters.
_ASCII_SPLIT = str.maketrans(
    {c: BREAK if c in _BREAK_CHARS else " " for c in map(chr, range(128)) if not c.isalnum()}
)
_UNICODE_BREAK = re.compile("[" + re.escape(_BREAK_CHARS + _UNICODE_BREAKS) + "]")
_NON_WORD = re.compile(r"[^\w|]|_")


def words(text: str) -> list[str]:
    """The lower-cased words of `text`, with BREAK standing for sentence punctuation."""
    low = text.lower()
    if low.isascii():
        low = low.translate(_ASCII_SPLIT)
    else:
        low = _NON_WORD.sub(" ", _UNICODE_BREAK.sub(BREAK, low))
    return low.replace(BREAK, f" {BREAK} ").split()


def _trim(found: list[str]) -> tuple[str, ...]:
    """Words without breaks at either end or two breaks in a row."""
    while found and found[0] == BREAK:
        found.pop(0)
    while found and found[-1] == BREAK:
        found.pop()
    return tuple(w for i, w in enumerate(found) if w != BREAK or found[i - 1] != BREAK)


def phrase_words(phrase: str) -> tuple[str, ...]:
    """The words a rule phrase stands for, as written."""
    return _trim(words(phrase))


def phrase_forms(phrase: str) -> list[tuple[str, ...]]:
    """The phrase's words as written, then with hyphenated words run together:
    "pre-training data" also reads "pretraining data". Each hyphenated word is joined
    alone, then all at once (not every mix: a phrase has rarely more than two)."""
    chunks = [words(chunk) for chunk in phrase.split()]
    joinable = [i for i, ws in enumerate(chunks) if len(ws) > 1 and BREAK not in ws]
    choices = [{i} for i in joinable] + ([set(joinable)] if len(joinable) > 1 else [])
    forms = [_trim([w for ws in chunks for w in ws])]
    for joined in choices:
        merged = [["".join(ws)] if i in joined else ws for i, ws in enumerate(chunks)]
        forms.append(_trim([w for ws in merged for w in ws]))
    return [form for form in dict.fromkeys(forms) if form]

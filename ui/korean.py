"""Korean particles after inserted values: 을/를, 이/가, 은/는, 과/와, 으로/로 follow the last syllable of the word
they attach to, which a translation cannot know until the value is filled in. A Korean template writes the
particle pair as "{value}을(를)"; `attach_particles` picks the one that fits the value, the way a person writes it,
before the value is filled in.

>>> attach_particles("{name}을(를) 씁니다", {"name": "숫자"}), attach_particles("{k}이(가) 큽니다", {"k": "커널"})
('{name}를 씁니다', '{k}이 큽니다')
"""
from __future__ import annotations

import re

# (after a final consonant, after a vowel); 으로/로 also takes 로 after a final ㄹ
PAIRS = {"을(를)": ("을", "를"), "이(가)": ("이", "가"), "은(는)": ("은", "는"), "과(와)": ("과", "와"),
         "으로(로)": ("으로", "로"), "(으)로": ("으로", "로")}
_PARTICLE = re.compile(r"\{(\w+)([^{}]*)\}([*'\")\]]*)(" + "|".join(re.escape(p) for p in PAIRS) + ")")
_RIEUL = 8  # the index of ㄹ among the finals
# digits and Latin letters as a Korean reader says them: 0 영, 1 일, 3 삼, 6 육, 7 칠, 8 팔 and the letters
# L M N R (엘, 엠, 엔, 알) end in a consonant; 1, 7, 8, L and R end in ㄹ
_CONSONANT_ENDINGS = set("013678lmnrLMNR")
_RIEUL_ENDINGS = set("178lrLR")


def final_consonant(word: str) -> str | None:
    """"consonant", "rieul" (ㄹ), "vowel", or None where the word's last letter says nothing (a symbol).

    >>> [final_consonant(word) for word in ("숫자", "커널", "밥", "3", "%")]
    ['vowel', 'rieul', 'consonant', 'consonant', None]
    """
    for char in reversed(word):
        if "\uac00" <= char <= "\ud7a3":
            final = (ord(char) - 0xAC00) % 28
            return "vowel" if final == 0 else "rieul" if final == _RIEUL else "consonant"
        if char.isascii() and char.isalnum():
            return "rieul" if char in _RIEUL_ENDINGS else "consonant" if char in _CONSONANT_ENDINGS else "vowel"
        if char in "*_`'\")]}\\ ":  # markdown, quotes and brackets around the word: look before them
            continue
        return None
    return None


def particle(word: str, pair: str) -> str:
    """The particle of `pair` ("을(를)", ...) that fits after `word`; the pair as written where it cannot tell.

    >>> [particle(word, pair) for word, pair in (("MNIST 숫자", "을(를)"), ("파일", "(으)로"), ("5", "이(가)"))]
    ['를', '로', '가']
    """
    ending = final_consonant(word)
    if ending is None:
        return pair
    after_consonant, after_vowel = PAIRS[pair]
    if pair in ("으로(로)", "(으)로") and ending == "rieul":
        return after_vowel
    return after_vowel if ending == "vowel" else after_consonant


def attach_particles(template: str, values) -> str:
    """`template` with every "{name}<pair>" particle resolved for its value in `values` (by placeholder name); the
    placeholders themselves stay for str.format."""
    if "(" not in template:
        return template

    def resolve(match: re.Match) -> str:
        name, spec, closing, pair = match.groups()
        try:
            value = values[name]
            shown = ("{0" + spec + "}").format(value)
        except (KeyError, IndexError, TypeError, ValueError):
            return match.group(0)
        return "{" + name + spec + "}" + closing + particle(shown + closing, pair)

    return _PARTICLE.sub(resolve, template)

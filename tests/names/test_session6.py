"""Conventions added in session 6 (docs/names.md): Xiao'erjing and other fully vowelled Arabic
script read letter by letter, pinyin's y/w spelling folded in Han names (Palladius writes none),
Chinese titles of haji and akhun glued to a name, a pinyin word inside a name spelt otherwise.
Names are invented."""

from __future__ import annotations

import pytest
from names_helpers import same, share_key

from aigaq.names import keys, similarity
from aigaq.names.structure import parse

# -- fully vowelled Arabic script ---------------------------------------------------------------


def test_a_name_with_a_vowel_mark_on_every_word_is_not_read_as_an_abjad():
    assert parse("مَا لِ").abjad is False
    assert parse("عبد القادر جلال الدين").abjad is True     # Arabic orthography, no marks


@pytest.mark.parametrize("a,b", [
    ("مَا لِ", "مَا سُ"),             # Xiao'erjing: ma + one short word, another word
    ("مَا چِ ثِ", "مَا جًااَوْ"),
])
def test_two_xiaoerjing_names_with_one_surname_stay_apart(a, b):
    # read on consonants alone, ma + any one-consonant word scored 0.95
    assert not same(a, b), (a, b, similarity(a, b))


# -- Han names: pinyin y/w against Palladius ---------------------------------------------------


@pytest.mark.parametrize("a,b", [
    ("Ma Shaowu", "Ма Шаоу"),     # wu is у; Palladius can be read sha-ou as well
    ("Wang Yi", "Ван И"),          # yi is и
    ("Ma Yuanzhang", "Ма Юаньчжан"),
])
def test_pinyin_zero_initials_match_palladius(a, b):
    assert same(a, b), (a, b, similarity(a, b))


@pytest.mark.parametrize("a,b", [
    ("Ma Shaowu", "Ма Шаоцзе"),
    ("Wang Yi", "Ван Ин"),
])
def test_han_names_with_another_given_name_stay_apart(a, b):
    assert not same(a, b), (a, b, similarity(a, b))


# -- titles glued in Chinese -------------------------------------------------------------------


@pytest.mark.parametrize("a,b", [
    ("艾力·吐尔逊阿吉", "Eli Tursun"),
    ("艾力·吐尔逊阿吉", "Ali Tursun Haji"),
    ("艾力·吐尔逊阿訇", "Eli Tursun Akhun"),
])
def test_a_glued_chinese_haji_or_akhun_is_a_title(a, b):
    assert parse(a).ntitles == 1
    assert same(a, b), (a, b, similarity(a, b))


def test_a_glued_title_needs_a_name_before_it():
    # 阿吉 alone after one character is not cut: nothing of a name would remain
    assert parse("艾力·米阿吉").ntitles == 0


# -- a pinyin word in a name spelt otherwise ---------------------------------------------------


@pytest.mark.parametrize("a,b", [
    ("Gulshatt Xiliwani", "Gulshat Shirwani"),
    ("Gulshatt Xiliwani", "Гульшат Ширвани"),
])
def test_a_pinyin_word_among_english_spellings_is_also_read_as_pinyin(a, b):
    # Xiliwani is the pinyin of 希力瓦尼, copied by ear next to an English given name: x is sh
    assert same(a, b), (a, b, similarity(a, b))
    assert share_key(a, b), (a, b, keys(a), keys(b))


def test_uyghur_latin_x_is_still_kh():
    assert same("Xalida Tursun", "Khalida Tursun")
    # xa is no pinyin syllable: no Chinese reading is added
    assert similarity("Xalida Tursun", "Khalida Tursun") > similarity("Xalida Tursun", "Shalida Tursun")

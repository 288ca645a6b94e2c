"""Conventions added in session 6 (docs/names.md): Xiao'erjing and other fully vowelled Arabic
script read letter by letter, pinyin's y/w spelling folded in Han names (Palladius writes none),
Chinese titles of haji and akhun glued to a name, a pinyin word inside a name spelt otherwise,
Japanese katakana, Chinese -jan/-bek after a name, Latin x as sh and the Uyghur New Script.
Names are invented."""

from __future__ import annotations

import pytest
from names_helpers import same, share_key

from aigaq.names import detect_script, keys, similarity
from aigaq.names.chinese import read_chinese, read_pinyin
from aigaq.names.kana import romanize_kana
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


# -- Japanese katakana ------------------------------------------------------------------------


def test_katakana_is_its_own_script():
    assert detect_script("イリハム・トフティ") == "Kana"
    assert detect_script("いりはむ") == "Kana"          # hiragana reads the same


@pytest.mark.parametrize("kana,reading", [
    ("イリハム", "iriham"),        # the u of a final mu is Japanese, not the name's
    ("アフメット", "ahmet"),       # fu before a consonant writes h; ッ doubles; final to is t
    ("トフティ", "tohti"),         # ティ is ti
    ("ヌル", "nur"),               # a word does not start with a consonant cluster: nu keeps its u
    ("ヌルムハンメド", "nurmuhanmed"),  # mu after a dropped ru is real
    ("アクバル", "akbar"),
    ("ジャリロワ", "jarirowa"),    # small ャ: ja
])
def test_katakana_reads_without_the_vowels_japanese_adds(kana, reading):
    assert romanize_kana(kana) == reading


@pytest.mark.parametrize("a,b", [
    ("Ilham Tohti", "イリハム・トフティ"),
    ("Ahmet Retep", "アフメット・レテプ"),
    ("Nur Bekri", "ヌル・ベクリ"),
    ("Dolkun Isa", "ドルクン・エイサ"),
])
def test_a_name_in_katakana_matches_its_latin_form(a, b):
    assert same(a, b), (a, b, similarity(a, b))
    assert share_key(a, b), (a, b, keys(a), keys(b))


def test_two_names_in_katakana_stay_apart():
    assert not same("イリハム・トフティ", "イリハム・アクバル")


# -- Chinese -jan / -bek after a name ----------------------------------------------------------


@pytest.mark.parametrize("chinese,pinyin,reading", [
    ("阿力木江", "alimujiang", "alimjan"),      # 阿力木 alim: its final mu carries no vowel
    ("买买提江", "maimaitijiang", "memetjan"),
    ("阿力木别克", "alimubieke", "alimbek"),
])
def test_a_name_before_jan_or_bek_is_read_as_a_whole_word(chinese, pinyin, reading):
    assert read_chinese(chinese)[0] == reading
    assert read_pinyin(pinyin)[0] == reading


# -- x as sh, and the Uyghur New Script --------------------------------------------------------


@pytest.mark.parametrize("a,b", [
    ("Dilxat Raxit", "Dilshat Reshit"),      # Chinese documents' Latin spelling of Uyghur names
    ("Ⱨuxur Islam", "Hushur Islam"),         # Uyghur New Script: ⱨ h, x sh
    ("Ⱨuxur Islam", "ھۇشۇر ئىسلام"),
])
def test_latin_x_may_be_sh(a, b):
    assert same(a, b), (a, b, similarity(a, b))
    assert share_key(a, b), (a, b, keys(a), keys(b))


# -- Abdu- left out ----------------------------------------------------------------------------


@pytest.mark.parametrize("a,b", [
    ("Abduljelil Turan", "Jelil Turan"),
    ("ئابدۇرېشىت تۇرسۇن", "Reshit Tursun"),
])
def test_a_name_in_abdu_may_be_written_without_it(a, b):
    assert same(a, b), (a, b, similarity(a, b))
    assert share_key(a, b), (a, b, keys(a), keys(b))


def test_abdulla_is_not_cut_to_la():
    assert not same("Abdulla Tursun", "La Tursun")

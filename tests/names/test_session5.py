"""Conventions added in session 5 (docs/names.md): Han names in Chinese characters, titles glued
to a name in Chinese, a separate Bek/Beg, Russian endings in Arabic-language press, a compound
given name written as two words, 波 in a Xinhua -ov ending. Names are invented."""

from __future__ import annotations

import pytest
from names_helpers import same, share_key

from aigaq import names
from aigaq.names import keys, similarity
from aigaq.names.chinese import han_reading

# -- Han names ------------------------------------------------------------------------------


@pytest.mark.parametrize("a,b", [
    ("王建国", "Wang Jianguo"),      # pinyin, surname first
    ("王建国", "Jianguo Wang"),      # English order
    ("王建国", "王建國"),             # Traditional characters
    ("马玉兰", "Ma Yulan"),          # a Hui surname
    ("欧阳明", "Ouyang Ming"),       # a two-character surname
])
def test_a_han_name_matches_its_pinyin_in_either_order(a, b):
    assert same(a, b), (a, b, similarity(a, b))
    assert share_key(a, b), (a, b, keys(a), keys(b))


@pytest.mark.parametrize("a,b", [
    ("王建国", "Wang Jianmin"),      # another given name
    ("王建国", "Li Jianguo"),        # another surname
    ("王建国", "Jianguo"),           # the given name alone says too little
])
def test_other_han_names_stay_apart(a, b):
    assert not same(a, b), (a, b, similarity(a, b))


@pytest.mark.parametrize("a,b", [
    ("Ma Jianguo", "Ma Chien-kuo"),         # Wade-Giles
    ("马建国", "Ma Chien-kuo"),
    ("Bai Chongxi", "Pai Ch'ung-hsi"),      # aspiration marks kept or dropped
    ("Bai Chongxi", "Pai Chung-hsi"),
    ("Zhao Changling", "Zhào Cháng Líng"),  # tone marks, syllables written apart
])
def test_han_names_across_romanisations(a, b):
    assert same(a, b), (a, b, similarity(a, b))
    assert share_key(a, b), (a, b)


@pytest.mark.parametrize("a,b", [
    ("Ma Jianguo", "Ma Jianmin"),     # brothers share a surname and a generation syllable
    ("Ma Zhanao", "Ma Jian"),         # alike once vowels are folded, two names
    ("Ma Yulan", "Ma Yulin"),
    ("马建国", "Ma Jianmin"),
])
def test_two_han_names_differ_by_a_syllable(a, b):
    assert not same(a, b), (a, b, similarity(a, b))


def test_a_turkic_name_in_pinyin_is_not_read_as_han():
    from aigaq.names.han import han_name

    assert han_name(("maimaiti", "tuerxun"), "Latn") is None
    assert han_name(("nurlan", "serik"), "Latn") is None
    assert han_name(("ma", "jianguo"), "Latn") is not None
    # a Turkic pinyin name keeps its reading
    assert same("Maimaiti Tuerxun", "Memet Tursun")


def test_han_reading_only_for_a_surname_and_a_short_given_name():
    assert han_reading("王建国") == ("wang", "jianguo")
    assert han_reading("欧阳明") == ("ouyang", "ming")
    assert han_reading("吐尔逊") is None            # a Turkic transcription: no surname first
    assert han_reading("马合木提江") is None          # too long for a Han name: Mahmutjan
    # a transcription that starts like a surname keeps its Turkic reading
    assert same("马木提·吐尔逊", "Mamut Tursun")


# -- titles glued in Chinese, a separate Bek ---------------------------------------------------


def test_a_title_glued_to_a_name_in_chinese_is_cut_off():
    p = names.parse("吐尔逊大毛拉·阿不都拉")
    assert p.given == names.parse("吐尔逊·阿不都拉").given   # 吐尔逊 alone
    assert "damolla" in p.extra      # read as the title it writes (session 7)
    assert same("吐尔逊大毛拉·阿不都拉", "Tursun Damolla Abdulla")
    assert same("吐尔逊大毛拉·阿不都拉", "Tursun Abdulla")


def test_a_separate_bek_joins_the_word_before():
    assert names.parse("Tursun Beg Osmanov").given == "tursunbeg"
    assert same("Tursun Beg Osmanov", "Tursunbek Osmanov")
    assert same("Tursun Beg Osmanov", "Турсунбек Османов")
    # as the last word it stays a word of its own
    assert names.parse("Nurlan Bek").given == "nurlan"


# -- Arabic-language press ---------------------------------------------------------------------


@pytest.mark.parametrize("a,b", [
    ("بولات كريموف", "Bolat Karimov"),              # -وف is -ov
    ("غولنارا كريموفا", "Gulnara Karimova"),         # -وفا is -ova
    ("قاسم توكاييف", "Kasym Tokayev"),              # -ييف is -yev, the y stays with the stem
    ("مراد أتايفيتش كريموف", "Murat Atayevich Karimov"),  # -فيتش is a patronymic
])
def test_russian_endings_in_arabic_orthography(a, b):
    assert same(a, b), (a, b, similarity(a, b))


def test_a_word_that_only_ends_like_ov_keeps_its_ending():
    # معروف Maaruf: too short a stem to be a surname in -ov
    assert names.parse("عبد الله معروف").family == ("mruf",)


def test_a_compound_given_name_written_as_two_words():
    assert same("محمد أمين توختي", "Muhammadamin Tohti")
    assert same("محمد أمين توختي", "Muhammad Amin Tohti")
    # two words of a name with a patronymic are given name and father, not a compound
    assert not same("Nurlan Serik Bolatuly", "Nurlanserik Bolatuly")


def test_turkmen_patronymic():
    assert names.parse("Murat Atayewich Gurbanov").father == "atay"
    assert same("Murat Atayewich Gurbanov", "Murat Atayevich Gurbanov")


# -- Chinese -----------------------------------------------------------------------------------


def test_bo_before_fu_is_p_in_a_russian_ending():
    assert same("阿卜杜拉·卡里波夫", "Abdulla Karipov")
    # elsewhere 波 is b, as in Xinjiang transcription (波拉提 Bolat)
    assert same("波拉提·赛力克", "Bolat Serikuly")


def test_the_ethnonym_uyghur_as_a_surname():
    assert same("阿不都拉·维吾尔", "Abdulla Uyghur")
    assert same("ئابدۇللا ئۇيغۇر", "Abdulla Uighur")


def test_a_separate_jan_joins_the_word_before():
    assert same("Tursun Jan Abdulla", "Tursunjan Abdulla")
    assert same("نور احمد جان توختي", "Nur Ahmadjan Tohti")


def test_titles_as_chinese_words_and_in_arabic_orthography():
    # 阿吉 is haji, حاجم Hajim: set aside, so that a form without the title still matches
    assert names.parse("吐尔逊·阿不都拉·阿吉").ntitles == 1
    assert names.parse("محمد صالح حاجم").ntitles == 1
    assert same("吐尔逊·阿不都拉·阿吉", "Tursun Abdulla")
    assert same("吐尔逊·阿不都拉·阿吉", "Tursun Abdulla Hajim")
    assert same("محمد صالح حاجم", "Muhammad Salih")
    # a title is no name: two men with the same title and different fathers stay apart
    assert not same("Tursun Abdulla Hajim", "Tursun Osman Hajim")


def test_arabic_writes_p_as_b():
    assert same("بولات كريموف", "Polat Karimov")
    assert same("صابر مراد كريموف", "Sapar Murat Karimov")


@pytest.mark.parametrize("a,b", [
    ("王建国", "Ван Цзяньго"),          # Palladius, the Russian press's spelling of Chinese
    ("Ma Jianguo", "Ма Цзяньго"),
    ("Ма Цзяньго", "Ма Цзяньго"),
    ("马海伦", "Ma Hailun"),             # lun is a pinyin syllable
    ("马海伦", "Ма Хайлунь"),
])
def test_han_names_in_palladius_cyrillic(a, b):
    assert same(a, b), (a, b, similarity(a, b))
    assert share_key(a, b), (a, b)


def test_palladius_only_for_what_reads_as_palladius():
    from aigaq.names.han import han_name

    assert han_name(("мурат", "нурланов"), "Cyrl") is None      # a Russian-style Kazakh name
    assert han_name(("ма", "цзяньго"), "Cyrl") is not None
    assert not same("Ма Цзяньго", "Ma Jianmin")

"""Conventions added in session 9 (docs/names.md): two family words of one form written as one
word in another. Names are invented."""

from __future__ import annotations

import pytest
from names_helpers import same, share_key

from aigaq.names import keys, similarity
from aigaq.names.similarity import prepare

# -- a family part split in two: Chinese given names in Arabic letters, compounds written apart ----


@pytest.mark.parametrize("a,b", [
    ("لي جيان هوا", "Li Jianhua"),                     # Arabic press: one Chinese syllable a word
    ("تۇرسۇن ئابدۇ رەھىم", "Tursun Abdurehim"),         # a compound father's name written apart
    ("Ali Hasan Tursun", "Ali Hasantursun"),
    ("Erkin Saparbek Domla", "Erkin Saparbek"),        # a title after the family word is left out
])
def test_two_family_words_against_one(a, b):
    assert same(a, b), (a, b, similarity(a, b))
    assert share_key(a, b), (a, b)


def test_a_split_name_keeps_other_names_apart():
    # the joined reading is one more reading of the family part, not a loosening of it
    for a, b in [("لي جيان هوا", "Li Minghua"), ("Ali Hasan Tursun", "Ali Husanov"),
                 ("Ali Hasan Tursun", "Ali Tursunbek")]:
        assert not same(a, b), (a, b, similarity(a, b))


def test_two_short_syllables_are_not_joined():
    # two one-letter codes joined say too little (Xiao'erjing forms of two-syllable names)
    assert prepare("ما چع شيا").joined == ()


# -- p and b are one consonant in comparison --------------------------------------------------------


@pytest.mark.parametrize("a,b", [
    ("Gulnar Obul", "姑丽娜尔·吾甫力"),          # Chinese 甫 writes b as well as p
    ("Bolat Serikuly", "Polat Serikuly"),
    ("Bakhtiyar Tursun", "Пахтияр Турсун"),
])
def test_p_and_b_alternate(a, b):
    assert same(a, b), (a, b, similarity(a, b))
    assert share_key(a, b), (a, b)


def test_p_and_b_do_not_join_other_names():
    for a, b in [("Bolat Serikuly", "Marat Serikuly"), ("Gulnar Obul", "Gulnar Osman")]:
        assert not same(a, b), (a, b, similarity(a, b))


# -- the coarse c: key: a given name's first letter and the father's name ---------------------------


@pytest.mark.parametrize("a,b", [
    ("Mihrinisa Tursun", "米日尼沙·吐尔逊"),      # Chinese turns the given name's hr into r
    ("Dariga Seitkali", "达丽加·赛提卡力"),       # and g into j
    ("Rahile Ablet", "热依拉·阿布来提"),          # and drops its h
])
def test_a_given_name_changed_inside_still_shares_a_key(a, b):
    assert same(a, b), (a, b, similarity(a, b))
    assert not {k for k in keys(a) if k.startswith("f:")} & {k for k in keys(b) if k.startswith("f:")}
    assert share_key(a, b), (a, b)


def test_the_coarse_key_needs_three_letters_of_the_family_part():
    assert not [k for k in keys("Ali Bo") if k.startswith("c:")]
    assert "c:a.trs" in keys("Ali Tursun")

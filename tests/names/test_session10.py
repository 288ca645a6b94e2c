"""Conventions added in session 10 (docs/names.md): the Russian -ov/-ev surname as Uyghur writes it.
Names are invented."""

from __future__ import annotations

import pytest
from names_helpers import same

from aigaq.names import similarity
from aigaq.names.similarity import prepare

# -- -ов/-ев in Uyghur Arabic script and Uyghur Latin: -وپ -ۇف -يۇف -يېۋ, -op -up ------------------------


@pytest.mark.parametrize("a,b", [
    ("ئەركىن ساۋۇتوپ", "Эркин Савутов"),
    ("ئادىل مەمەتيۇف", "Адил Маметов"),
    ("Talgat Dawutop", "Талгат Давутов"),
    ("ئالىم مۇنونوپ", "Alim Munonov"),
])
def test_a_russian_surname_ending_as_uyghur_writes_it(a, b):
    assert same(a, b), (a, b, similarity(a, b))


def test_the_ending_is_a_second_reading_only():
    # the word itself is unchanged (Yusup, Sharof and Abdurauf are names), and the reading without
    # the ending is kept only for words long enough to be a surname
    yusup = prepare("Tursun Yusup").family[0]
    assert yusup.v == "iusup" and "ius" not in {p.v for p in yusup.alts}
    kasimop = prepare("ئەرلان قاسىموپ").family[0]
    assert kasimop.v == "kasimup" and "kasim" in {p.v for p in kasimop.alts}


@pytest.mark.parametrize("a,b", [
    ("ئەرلان قاسىموپ", "Ерлан Кадыров"),     # another surname with the same ending
    ("Abdurauf Tursun", "Abdurahman Tursun"),  # two given names, one of them ending in -uf
    ("Tursun Abdurauf", "Tursun Abdurashid"),
])
def test_other_names_stay_apart(a, b):
    assert not same(a, b), (a, b, similarity(a, b))

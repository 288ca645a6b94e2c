"""How names arrive from published sources: Traditional characters (Taiwan and Hong Kong press,
older books) and pinyin written with its tones (dictionaries, Wikipedia)."""

from __future__ import annotations

from aigaq import names
from aigaq.names.normalize import normalize


def test_traditional_characters_read_as_simplified():
    assert normalize("買買提·阿不都拉") == normalize("买买提·阿不都拉") == "买买提 阿不都拉"
    assert names.similarity("熱依拉·達吾提", "热依拉·达吾提") == 1.0
    assert set(names.keys("熱依拉·達吾提")) == set(names.keys("热依拉·达吾提"))
    assert names.similarity("熱依拉·達吾提", "Rahile Dawut") >= names.MATCH_THRESHOLD


def test_traditional_does_not_make_different_names_equal():
    assert names.similarity("熱依拉·達吾提", "热依拉·买买提") < names.MATCH_THRESHOLD


def test_pinyin_with_tone_marks_reads_like_plain_pinyin():
    assert normalize("Nǔ'ěrlán Sàilìkè") == "nuerlan sailike"
    assert names.similarity("Nǔ'ěrlán Sàilìkè", "Nuerlan Sailike") == 1.0
    assert names.similarity("Nǔ'ěrlán Sàilìkè", "Нұрлан Серікұлы") >= names.MATCH_THRESHOLD
    assert set(names.keys("Nǔ'ěrlán Sàilìkè")) == set(names.keys("NUERLAN SAILIKE"))


def test_kazakh_latin_and_uyghur_latin_accents_are_kept():
    # Kazakh 2021 Latin writes á ó ú ı ń ǵ, Uyghur Latin é ö ü: letters, not tones.
    assert normalize("Áliya Ómirbekqyzy") == "áliya ómirbekqyzy"
    assert normalize("Mehmud Qeshqiri Ëziz Hëyt") == "mehmud qeshqiri ëziz hëyt"
    assert normalize("Gurbanguly Berdimuhamedow Ňazik") == "gurbanguly berdimuhamedow ňazik"

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


# --- Arabic orthography (Arabic-language press): short vowels not written -------------------


def test_an_arabic_orthography_name_matches_its_uyghur_forms():
    arabic = "عبد الرحيم تورسون"  # Abd al-Rahim Tursun, as an Arabic newspaper writes it
    for other in ("Abdurehim Tursun", "ئابدۇرەھىم تۇرسۇن", "阿不都热合木·吐尔逊", "Абдурехим Турсун"):
        assert names.similarity(arabic, other) >= names.MATCH_THRESHOLD, other
        assert set(names.keys(arabic)) & set(names.keys(other)), other


def test_arabic_compounds_and_the_article():
    p = names.parse("عبد الكريم نور الدين")
    assert p.abjad and p.given.startswith("abdul") and p.father.endswith("iddin")
    assert names.parse("محمود الكاشغري").father == "kashghri"  # al- taken off a family name
    assert names.similarity("عبد الكريم نور الدين", "Abdukerim Nuriddin") >= names.MATCH_THRESHOLD


def test_arabic_orthography_keeps_different_persons_apart():
    arabic = "عبد الرحيم تورسون"
    assert names.similarity(arabic, "Abdukerim Tursun") < names.MATCH_THRESHOLD   # a brother
    assert names.similarity(arabic, "Abdurehim Memet") < names.MATCH_THRESHOLD    # a namesake
    assert names.similarity(arabic, "Tursun Abdurehim") < names.MATCH_THRESHOLD   # father and son


def test_uyghur_script_is_not_read_as_an_abjad():
    assert not names.parse("ئابدۇرەھىم تۇرسۇن").abjad
    assert not names.parse("مەمەت ئابدۇللا").abjad


# --- Chinese conventions met in the fourth real set's dev half ------------------------------


def test_final_fu_written_with_fu3_is_a_turkic_p_not_russian_ov():
    # Xinhua writes -ov with 夫; Xinjiang writes a final p with 甫 (玉素甫 Yusup).
    assert names.similarity("阿不都热克甫·吐尔逊", "Abdurekep Tursun") >= names.MATCH_THRESHOLD
    assert names.similarity("阿不都热克甫·吐尔逊", "Абдурекеп Турсун") >= names.MATCH_THRESHOLD
    assert names.parse("阿不都热克甫·吐尔逊").surname is None
    # 夫 still ends a Russian surname
    assert names.parse("努尔兰·卡布洛夫").surname is not None


def test_chinese_n_before_a_labial_may_be_m():
    assert names.similarity("穆罕默德·吐尔逊", "Muhammad Tursun") >= names.MATCH_THRESHOLD
    assert names.similarity("穆罕默德·吐尔逊", "Мухаммед Турсун") >= names.MATCH_THRESHOLD
    assert names.similarity("江波拉提·阿斯卡尔", "Жанболат Асқарұлы") >= names.MATCH_THRESHOLD  # plain nb kept
    assert names.similarity("穆罕默德·吐尔逊", "Muhammad Qurban") < names.MATCH_THRESHOLD


def test_pinyin_with_a_breve_for_the_caron():
    assert normalize("Mùnŭnuòfū") == "mununuofu"

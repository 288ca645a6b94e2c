"""aigaq.names: pure functions, no Django, no database."""

import subprocess
import sys
from pathlib import Path

import pytest
from names_helpers import same

from aigaq import names
from aigaq.names import MATCH_THRESHOLD, detect_script, keys, normalize, parse, romanize, similarity

SRC = Path(__file__).resolve().parents[2] / "src"


# -- script detection ----------------------------------------------------------

@pytest.mark.parametrize("text,script", [
    ("Нұрлан Серікұлы", "Cyrl"),
    ("Nurlan Serikuly", "Latn"),
    ("NUERLAN SAILIKE", "Latn"),
    ("努尔兰·赛力克", "Hans"),
    ("努爾蘭·賽力克", "Hant"),
    ("ئىلھام توختى", "Arab"),
    ("123 -·-", "Zyyy"),
])
def test_detect_script(text, script):
    assert detect_script(text) == script


# -- normalisation -------------------------------------------------------------

@pytest.mark.parametrize("dot", ["·", "•", "・", "‧", "⋅", "∙", "･", ".", "_", " ", "\u0387"])
def test_every_middle_dot_separates_the_same_way(dot):
    assert normalize(f"努尔兰{dot}赛力克") == "努尔兰 赛力克"


def test_normalize_casefolds_nfkc_and_joins_hyphenated_names():
    assert normalize("ＮＵＲＬＡＮ  Serik") == "nurlan serik"
    assert normalize("Қасым-Жомарт") == "қасымжомарт"
    assert normalize("Nu'rlan") == "nurlan"


def test_normalize_fixes_latin_letters_inside_cyrillic_words():
    # "а" and "е" typed on a Latin keyboard inside a Cyrillic word
    assert normalize("Нурлaн Сeрик") == "нурлан серик"


# -- romanisation ----------------------------------------------------------------

@pytest.mark.parametrize("text,roman", [
    ("Нұрлан Серікұлы", "nurlan serikuly"),           # Kazakh
    ("Тургунбек уулу", "turgunbek uulu"),              # Kyrgyz
    ("Рөстәм Миңнеханов", "röstäm mingnehanov"),      # Tatar
    ("Токаев", "tokayev"),                             # Russian: е after a vowel is ye
    ("ئىلھام توختى", "ilham toxti"),                   # Uyghur Arabic -> ULY
    ("Nūrlan Serıkūly", "nurlan serikuly"),            # 2021 Kazakh Latin
    ("Aigerım Serıkqyzy", "aigerim serikqyzy"),
    ("Bekcan Serikoğlu", "bekjan serikoghlu"),         # Turkish spelling
    ("Bekzhan Yerlanov", "bekjan erlanov"),            # passport / Russian-style Latin
    ("努尔兰·赛力克", "nurlan selik"),                  # Xinjiang Chinese
    ("努爾蘭·賽力克", "nurlan selik"),                  # the same in Traditional
    ("NUERLAN SAILIKE", "nurlan selik"),               # passport pinyin
    ("别克江·波拉提", "bekjan bolat"),                  # 别克 bek, 江 jan, 提 final t
    ("阿依古丽·吾斯曼", "aigul usman"),                  # 阿依 ai, 古丽 gül, 吾 u/o
    ("纳扎尔巴耶夫", "nazarbay"),                        # Xinhua: -耶夫 is -yev
])
def test_romanize(text, roman):
    assert romanize(text) == roman


def test_pinyin_is_not_guessed_for_turkic_latin_names():
    # "Erlan" segments as pinyin er-lan, but er does not start Xinjiang names
    assert romanize("Erlan Serik") == "erlan serik"


# -- structure -------------------------------------------------------------------

def test_parse_kazakh_patronymic_either_order():
    for text in ("Нұрлан Серікұлы", "Серікұлы Нұрлан", "Nurlan Serikuly", "Nurlan Serik uly"):
        p = parse(text)
        assert (p.given, p.father, p.gender) == ("nurlan", "serik", "m"), text


def test_parse_daughter_and_russian_forms():
    p = parse("Айгерім Серікқызы")
    assert (p.given, p.father, p.gender) == ("aygerim", "serik", "f")
    p = parse("Сериков Нурлан")
    assert (p.given, p.surname) == ("nurlan", "serik")
    p = parse("Нурсултан Абишевич Назарбаев")
    assert (p.given, p.father, p.surname) == ("nursultan", "abish", "nazarbay")
    p = parse("Асқар Ұзақбайұлы Мамин")
    assert (p.given, p.father, p.surname) == ("asqar", "uzaqbay", "mamin")


def test_parse_kyrgyz_separate_uulu_and_chinese_order():
    p = parse("Nurlanbek Turgunbek uulu")
    assert (p.given, p.father) == ("nurlanbek", "turgunbek")
    p = parse("努尔兰·赛力克")
    assert (p.given, p.father, p.order_known) == ("nurlan", "selik", True)
    p = parse("SAILIKE, NUERLAN")
    assert (p.given, p.father) == ("nurlan", "selik")


def test_bare_latin_names_have_unknown_order():
    assert parse("Bolat Marat").order_known is False
    assert parse("Bolat Maratuly").order_known is True


def test_flower_names_are_not_patronymics():
    # -guli is gül, not -uli "son of"
    p = parse("Naziguli Mulati")
    assert (p.given, p.father) == ("nazgul", "mulat")


# -- similarity ------------------------------------------------------------------

VARIANTS = [
    "Нұрлан Серікұлы", "Nūrlan Serıkūly", "Nurlan Serikoglu", "Сериков Нурлан",
    "NURLAN SERIKOV", "努尔兰·赛力克", "Nuerlan Sailike", "Серікұлы Нұрлан",
]


def test_variants_across_scripts_match():
    for a in VARIANTS:
        for b in VARIANTS:
            assert same(a, b), (a, b, similarity(a, b))


def test_uyghur_arabic_latin_chinese_match():
    forms = ["ئىلھام توختى", "Ilham Toxti", "Ilham Tohti", "伊力哈木·土赫提"]
    for a in forms:
        for b in forms:
            assert same(a, b), (a, b)


def test_xinhua_and_russian_forms_match():
    assert same("Нұрсұлтан Әбішұлы Назарбаев", "努尔苏丹·纳扎尔巴耶夫")
    assert same("Nursultan Nazarbayev", "努爾蘇丹·納扎爾巴耶夫")


def test_father_and_son_are_not_one_person():
    assert not same("Bolat Maratuly", "Marat Bolatuly")
    assert not same("Болат Маратұлы", "马拉提·波拉提")
    assert not same("波拉提·马拉提", "马拉提·波拉提")


def test_siblings_share_a_father_but_are_different_people():
    assert not same("Нұрлан Серікұлы", "Айгерім Серікқызы")
    assert not same("Қанат Серікұлы", "Нұрлан Серікұлы")
    assert not same("阿依格尔木·赛力克", "努尔兰·赛力克")


def test_namesakes_with_different_fathers_are_different_people():
    assert not same("Нұрлан Серікұлы", "Нұрлан Ерланұлы")
    assert not same("Marat Tursunov", "Marat Bolatov")


def test_shared_patronymic_with_different_surnames_is_two_people():
    # Cousins or namesakes: the same given name and father's name, different family names.
    s = similarity("Рашид Равильович Сафин", "Рашид Равильович Ахметов")
    assert s < MATCH_THRESHOLD - 0.15
    assert not same("Рашид Равилович Сафин", "Rashid Ravilevich Akhmetov")
    assert not same("Асқар Ұзақбайұлы Мамин", "Асқар Ұзақбайұлы Тоқаев")
    # ... while the same man in other orders and scripts still matches, with or without the surname
    assert same("Рашид Равильович Сафин", "Сафин Рашид Равильевич")
    assert same("Рашид Равильович Сафин", "Rashid Safin")
    assert same("Рашид Равильович Сафин", "Рашид Равилұлы")
    assert same("Алмазбек Шаршен уулу Атамбаев", "Алмазбек Шаршенович Атамбаев")


def test_chinese_leaves_an_h_between_vowels_unwritten():
    # Xinjiang transcription writes the glide 依 for -ahi-/-ahe-: Tahir 塔依尔, Rahile 热依拉.
    assert same("Tahir Hesen", "塔依尔·艾山")
    assert same("راھىلە داۋۇت", "热依拉·达吾提")
    assert not same("Tahir Hesen", "Tair Memet")


def test_same_given_with_opposite_gender_suffix_is_penalised():
    assert similarity("Сәуле Серікқызы", "Сәуле Серікұлы") < similarity(
        "Сәуле Серікқызы", "Saule Serikkyzy")


def test_given_name_alone_is_possible_but_not_a_match():
    s = similarity("Нұрлан", "Нұрлан Серікұлы")
    assert 0.5 < s < MATCH_THRESHOLD


def test_similarity_bounds_and_symmetry():
    pool = VARIANTS + ["Bolat Maratuly", "Marat Bolatuly", "ئىلھام توختى", "", "·", "A"]
    for a in pool:
        for b in pool:
            s = similarity(a, b)
            assert 0.0 <= s <= 1.0
            assert s == pytest.approx(similarity(b, a)), (a, b)
    assert similarity("Нұрлан Серікұлы", "Нұрлан Серікұлы") == 1.0
    assert similarity("", "Нұрлан") == 0.0


def test_prepared_comparison_equals_plain():
    a, b = names.prepare("Nurlan Serikov"), names.prepare("努尔兰·赛力克")
    assert names.similarity_prepared(a, b) == similarity("Nurlan Serikov", "努尔兰·赛力克")


# -- keys ------------------------------------------------------------------------

def test_variants_share_a_key():
    for a in VARIANTS:
        for b in VARIANTS:
            assert set(keys(a)) & set(keys(b)), (a, b, keys(a), keys(b))


def test_given_name_alone_shares_a_key_with_the_full_name():
    assert set(keys("Нұрлан")) & set(keys("努尔兰·赛力克"))


def test_keys_are_few_and_separate_different_people():
    k = keys("Нұрсұлтан Әбішұлы Назарбаев")
    assert 1 <= len(k) <= 6
    # a different given name and father share nothing
    assert not set(keys("Bolat Maratuly")) & set(keys("Aigerim Serikqyzy"))
    # the selective given+father key differs between namesakes
    fk = {x for x in keys("Нұрлан Серікұлы") if x.startswith("f:")}
    assert fk and not fk & set(keys("Нұрлан Ерланұлы"))


def test_chinese_without_separator_still_found():
    assert set(keys("努尔兰赛力克")) & set(keys("Нұрлан Серікұлы"))
    assert same("努尔兰赛力克", "Нұрлан Серікұлы")


# -- purity ----------------------------------------------------------------------

def test_no_django_import():
    code = ("import sys; import aigaq.names as n; n.similarity('a b', 'c d'); "
            "assert 'django' not in sys.modules, 'django imported'")
    env_path = str(SRC)
    r = subprocess.run([sys.executable, "-c", code], env={"PYTHONPATH": env_path},
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr

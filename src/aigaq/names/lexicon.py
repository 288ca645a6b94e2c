"""One name, its conventional forms: Muhammad is Memet, Mamat and 买买提.

Many given names of the region are one Arabic or Persian name in the form
each language gave it, and those forms are too far apart for the phonetic
codes: Uyghur Memet and Kazakh Мәмет are Muhammad (Chinese 买买提 writes
Memet, 穆罕默德 Muhammad), Kazakh Оспан is Osman, Жүсіп Yusuf, Жақып Yaqub,
Ыбырай Ibrahim, Әбділда Abdullah. English and Arabic-language sources use
the Arabic form, relatives and Chinese files the local one.

``lookup(roman)`` gives a part the code of its name's Arabic form (with a
compound's other half kept: Nurmemet is nur + Muhammad). ``similarity``
scores two forms of one name 0.95, keeps two different known names apart,
compares a compound's reading like a second reading, and gives each a
blocking key. Only forms documented as the same name are grouped; a name
that merely sounds alike is left to the phonetic codes.
"""

from __future__ import annotations

from functools import lru_cache

from .phonetic import vowel_code

# (Arabic form, forms in other languages and scripts). A group marked "+" also
# forms compounds (Nur-memet, Memet-jan, Ahmat-bek), so it is looked for at either
# end of a longer word; the others only as the whole word.
GROUPS: tuple[tuple[str, str], ...] = (
    ("+muhammad", "Muhammad Mohammed Mohammad Muhammed Mukhammed Mukhamed Mukhammad Magomed "
                  "Mehmet Mehmed Memet Mämet Mamet Mamat Mamed Muhemmed Muhemmet "
                  "Мухаммед Мухамед Мухаммад Мұхаммед Мұхамед Мәмет Мамет Мамат Мамед Магомед "
                  "Мухаммет Мұхаммет Мәмбет "
                  "مەمەت مۇھەممەد مۇھەممەت 买买提 麦麦提 穆罕默德"),
    ("+ahmad", "Ahmad Ahmed Ahmet Akhmet Akhmed Ehmet Ähmet Axmet Ahmat Akhmat "
               "Ахмет Ахмед Ахмад Әхмет Ахмат ئەخمەت ئەھمەت 艾合买提 艾合麦提 艾哈迈德"),
    ("+mahmud", "Mahmud Mahmut Mehmut Makhmud Makhmut Махмуд Махмут Мақмұт Мәхмут "
                "مەھمۇت مەخمۇت 马合木提 买合木提 马哈茂德"),
    ("+osman", "Osman Usman Usmon Ospan Оспан Осман Усман ئوسمان 吾斯曼 乌斯曼 奥斯曼"),
    ("+yusuf", "Yusuf Yusup Yusuph Jusup Jüsip Zhusip Zhüsip Jusip Юсуф Юсуп Жүсіп Жусуп "
               "يۈسۈپ 玉素甫 玉苏甫 玉素普 尤素福"),
    ("+yaqub", "Yaqub Yakub Yakup Yaqup Yaqoub Jakyp Jaqyp Zhakyp Zhaqyp Zhakip "
               "Якуб Якуп Жақып Жакып ياقۇپ 亚库甫 雅库甫"),
    ("+ibrahim", "Ibrahim Ibragim Ibrayim Ibraim Ybyrai Ybyray Ibray Ибрагим Ибраим "
                 "Ыбырай Ибрайым ئىبراھىم 依不拉音 伊布拉音 易卜拉欣 依布拉音"),
    ("ishaq", "Ishaq Ishak Isaq Isak Ysqaq Ysqak Исхак Ысқақ Ыскак ئىسھاق 伊斯哈克"),
    ("+yunus", "Yunus Yunis Junus Jünis Zhunis Zhunus Жүніс Юнус Жунус يۇنۇس 玉努斯 尤努斯"),
    ("yahya", "Yahya Yahia Yahyo Jahia Яхья يەھيا 叶海亚"),
    ("isa", "Isa Eysa Gaisa Ghaysa Ğaysa Gaysa Issa Иса Ғайса ئەيسا 艾沙 伊萨"),
    ("khadija", "Khadija Khadijah Hadicha Hadiche Xediche Qadisha Kadisha Hatice "
                "Хадича Хадиджа Қадиша Кадиша خەدىچە"),
    ("fatima", "Fatima Fatma Fotima Patime Patima Pätima Patma Фатима Пәтима Патима Фатма "
               "پاتىمە 法蒂玛"),
    ("zaynab", "Zaynab Zainab Zeynep Zeyneb Zeynäp Зейнеп Зайнаб Зейнаб زەينەپ"),
    ("+abdullah", "Abdullah Abdulla Abdullo Abdilda Äbdilda Abdylda Абдулла Абдуллах Әбділда "
                  "Абдылда ئابدۇللا 阿不都拉 阿布都拉 阿卜杜拉"),
    ("+husayn", "Husayn Husein Hussein Hussain Huseyin Hüseyin Hüsen Husen Üsen Usen Usein "
                "Хусейн Гусейн Хусаин Үсен Усен ھۈسەن 玉山 胡赛因 侯赛因"),
    ("+hasan", "Hasan Hassan Hesen Asan Hasen Khasan Асан Хасан Гасан Хасен ھەسەن "
               "艾山 哈桑 哈山"),
    # An ethnonym taken as a surname or pen name (Abduxaliq Uyghur); Chinese writes it as the people's name
    ("uyghur", "Uyghur Uighur Uygur Uyghour Uighour Уйгур Ұйғыр Уйғур ئۇيغۇر 维吾尔 維吾爾"),
    ("sulayman", "Sulayman Suleiman Sulaiman Suleyman Süleyman Süleymen Suleymen Sulaymon "
                 "Сүлеймен Сулейман Сулайман سۇلايمان 苏莱曼 苏来曼 苏莱满"),
    ("+ismail", "Ismail Ismayil Ismoil Smail Ismayl Ysmaiyl Ysmayil Исмаил Ысмайыл Исмайил "
                "ئىسمائىل 司马义 斯马义 伊斯玛仪"),
    ("mustafa", "Mustafa Mustapa Mostafa Mustofa Мұстафа Мустафа مۇستاپا 穆斯塔法"),
    ("+umar", "Umar Omar Ömer Omer Umer Умар Омар Өмер ئۆمەر 吾买尔 欧麦尔 奥马尔"),
    ("+iskandar", "Iskandar Iskender Eskender Iskander Ескендір Искандер Искендер "
                  "ئىسكەندەر 伊斯坎德尔"),
    ("+idris", "Idris Edris Ydyrys Idiris Идрис Ыдырыс ئىدرىس 伊德里斯"),
    ("+ayub", "Ayub Ayup Ayyub Ayoub Eyup Eyüp Ayyup Аюб Аюп ئايۇپ"),
)
MIN_AFFIX = 5      # a code this long may be half of a compound
MIN_REST = 3       # and the compound's other half at least this long (nur, jan, ali; not a typo's "mu")


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, str], frozenset[str]]:
    # Import here: structure reads names with the romanisers, and nothing in it needs this module.
    from .normalize import tokenize
    from .structure import analyse_token

    table: dict[str, str] = {}
    compound: set[str] = set()
    for head, forms in GROUPS:
        canon = vowel_code(head.lstrip("+"))
        for form in forms.split():
            words, _ = tokenize(form)
            for word in words:
                tok = analyse_token(word)
                for r in (tok.stem, tok.alt, *tok.alts):
                    code = vowel_code(r) if r else ""
                    if len(code) >= 3:
                        table.setdefault(code, canon)
                        if head.startswith("+") and len(code) >= MIN_AFFIX:
                            compound.add(code)
    return table, frozenset(compound)


@lru_cache(maxsize=200_000)
def lookup(roman: str) -> tuple[str, str, bool] | None:
    """(reading, name, compound) of a part that is a form of a known name, or None.

    ``reading`` is the vowel code of the part read as the name's Arabic form, ``name`` that form's
    code: ``memet`` and ``穆罕默德`` (muhanmod) give (``mukamat``, ``mukamat``, False), Muhammad;
    ``nurmemet`` gives (``nurmukamat``, ``mukamat``, True); a part that already is the Arabic
    form gives its own code.
    """
    code = vowel_code(roman)
    if len(code) < 3:
        return None
    table, compound = _table()
    hit = table.get(code)
    if hit:
        return hit, hit, False
    n = len(code)
    # nur+memet, abdu+mamat: the known form at the end; memet+jan, ahmat+bek at the start.
    for i in range(MIN_REST, n - MIN_AFFIX + 1):
        tail = code[i:]
        if tail in compound:
            return code[:i] + table[tail], table[tail], True
    for i in range(n - MIN_REST, MIN_AFFIX - 1, -1):
        head = code[:i]
        if head in compound:
            return table[head] + code[i:], table[head], True
    return None


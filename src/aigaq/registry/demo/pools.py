"""Name pools and word lists for the synthetic demo data, with the spellings people really use.

Kazakh names are given in Kazakh Cyrillic with the Xinjiang Chinese transcription; their Latin
forms come from two tables below (the 2021 official Kazakh Latin alphabet, and the informal
passport-style romanisation most people type). Uyghur names are given in Uyghur Latin (ULY) with
their Chinese transcription; the Uyghur Arabic script and Cyrillic forms are derived from ULY
letter by letter, which is exact for these names. Written by hand because no maintained library
covers Xinjiang-style Chinese transcriptions of Turkic names.
"""

from __future__ import annotations


def _pairs(block: str) -> list[tuple[str, str]]:
    """'Нұрлан 努尔兰, Серік 赛力克' -> [('Нұрлан', '努尔兰'), ...]."""
    out = []
    for item in block.replace("\n", ",").split(","):
        item = item.strip()
        if item:
            a, b = item.split()
            out.append((a, b))
    return out


def _words(block: str) -> list[str]:
    return [w for w in block.replace(",", " ").split() if w]


# --- Kazakh: (Cyrillic, Chinese) -------------------------------------------------------------
KAZAKH_MALE = _pairs("""
Нұрлан 努尔兰, Серік 赛力克, Бауыржан 巴吾尔江, Ерлан 叶尔兰, Қайрат 海拉提, Асқар 阿斯哈尔,
Марат 马拉提, Ержан 叶尔江, Дәулет 达吾列提, Жандос 江多斯, Талғат 塔勒哈提, Бекзат 别克扎提,
Айдос 艾多斯, Арман 阿尔曼, Ерболат 叶尔波拉提, Нұрсұлтан 努尔苏里坦, Бақыт 巴合提, Мұрат 木拉提,
Ғалым 哈里木, Қанат 哈那提, Оралбай 吾拉勒拜, Жақсылық 加克斯勒克, Әділ 阿迪力, Ербол 叶尔波力,
Асылбек 阿斯勒别克, Болат 波拉提, Бейбіт 拜比提, Кенжебек 肯杰别克, Мақсат 马合沙提, Нұрбол 努尔波力,
Олжас 吾勒加斯, Рүстем 如斯坦, Саят 沙亚提, Тимур 铁木尔, Ұлан 吾兰, Хамит 哈米提,
Ерік 叶力克, Есен 叶森, Жасұлан 加苏兰, Абай 阿拜, Азамат 阿扎马提, Айбек 艾别克,
Ақылбек 阿克勒别克, Алмас 阿勒玛斯, Аманжол 阿曼卓勒, Арыстан 阿尔斯兰, Бағдат 巴格达提, Бақытжан 巴合提江,
Дархан 达尔汗, Дидар 迪达尔, Досжан 多斯江, Жеңіс 杰恩斯, Жұмабай 朱马拜, Жомарт 卓马尔特,
Әлібек 阿里别克, Қуаныш 库安西, Қасым 哈斯木, Мейрам 麦拉木, Мұхтар 木合塔尔, Нұрлыбек 努尔勒别克,
Омар 吾玛尔, Рахат 热哈提, Сұлтан 苏里坦, Тілеуберді 铁列吾别尔迪, Төлеген 托列根, Хасен 哈森,
Шерхан 谢尔汗, Ыбырай 依布拉依, Ислам 依斯拉木, Қайсар 凯撒尔, Мағжан 马格江, Ақан 阿汗,
Бекболат 别克波拉提, Қыдырбек 克德尔别克, Зейнолла 再依努拉, Тұрсын 吐尔逊, Байжан 拜江, Самат 萨马提,
Сәкен 沙肯, Жанболат 江波拉提, Нұржан 努尔江, Ерғали 叶尔哈力, Құрманбек 库尔曼别克, Берік 别力克,
Мақсұт 马合苏提, Әсет 阿赛提, Дамир 达米尔
""")
KAZAKH_FEMALE = _pairs("""
Гүлнар 古丽娜尔, Айгүл 阿依古丽, Гүлмира 古丽米拉, Жанар 加娜尔, Әйгерім 阿依格尔木, Сәуле 沙吾列,
Меруерт 麦如尔提, Ақмарал 阿克玛拉勒, Динара 迪娜拉, Назгүл 娜孜古丽, Гүлжан 古丽江, Баян 巴彦,
Маржан 玛尔江, Ботагөз 波塔古孜, Нұргүл 努尔古丽, Гүлбаршын 古丽巴尔申, Райхан 热依汗, Сәния 萨尼亚,
Зәуре 扎吾列, Ләззат 拉扎提, Қаламқас 哈拉木哈斯, Ақбөпе 阿克波别, Жаңыл 加恩勒, Күләш 库拉什,
Майра 麦拉, Алтынай 阿勒腾艾, Ардақ 阿尔达克, Әсел 阿塞勒, Балжан 巴勒江, Гауһар 高哈尔,
Дана 达娜, Жібек 吉别克, Зарина 扎丽娜, Индира 英迪拉, Камила 卡米拉, Ләйлә 莱丽,
Мадина 玛迪娜, Нұрсұлу 努尔苏鲁, Салтанат 萨勒塔娜提, Толқын 托勒昆, Ұлжан 吾勒江, Шынар 西娜尔,
Айжан 艾江, Бибігүл 比比古丽, Гүлшат 古丽夏提, Дәметкен 达美提肯, Жұлдыз 朱勒都孜, Күлпаш 库勒帕什,
Мәншүк 曼秀克, Роза 罗扎, Сара 萨拉, Тоғжан 托合江, Ұлбосын 吾勒波森, Айнұр 艾努尔,
Бағила 巴格拉, Гүлнұр 古丽努尔, Әлия 阿丽亚, Ақерке 阿克尔克, Анар 阿娜尔, Перизат 帕丽扎提,
Самал 萨玛勒, Шолпан 肖勒盘, Нәзира 娜孜拉, Раушан 拉吾山
""")

# --- Uyghur: (Uyghur Latin script, Chinese) ----------------------------------------------------
UYGHUR_MALE = _pairs("""
Memet 买买提, Abdulla 阿不都拉, Eli 艾力, Tursun 吐尔逊, Exmet 艾合买提, Ablimit 阿不力米提,
Adil 阿迪力, Erkin 艾尔肯, Ilham 伊力哈木, Qurban 库尔班, Muhemmed 穆罕默德, Nurmemet 努尔买买提,
Osman 吾斯曼, Abduréhim 阿不都热依木, Abduqadir 阿不都卡德尔, Abdukérim 阿不都克力木, Yasin 亚森, Hésen 艾山,
Hüseyin 吾斯英, Ibrahim 依布拉音, Ismail 司马义, Yüsüp 玉素甫, Ömer 吾买尔, Tahir 塔依尔,
Rehman 热合曼, Ekber 艾克拜尔, Muxter 木合塔尔, Perhat 帕尔哈提, Dilshat 迪力夏提, Alim 阿力木,
Imin 依明, Emet 艾买提, Sadiq 萨迪克, Abbas 阿巴斯, Yalqun 亚力坤, Obul 吾布力,
Jume 居麦, Haji 哈吉, Niyaz 尼亚孜, Qadir 卡德尔, Seypulla 赛福拉, Enwer 安外尔,
Xalmurat 哈力木拉提, Iskender 伊斯坎代尔, Ablet 阿布来提, Abdureshid 阿不都热西提, Esqer 艾斯卡尔, Eziz 艾则孜,
Turdi 吐尔地, Gheyret 海拉提, Iliyar 伊力亚尔, Kamil 卡米力, Mijit 米吉提, Nuri 努日,
Ötkür 吾提库尔, Rustem 如斯坦, Shöhret 肖开提, Ablikim 阿不力克木, Memtimin 买买提明, Abduweli 阿不都外力,
Ehet 艾海提
""")
UYGHUR_FEMALE = _pairs("""
Güli 古丽, Aygül 阿依古丽, Meryem 麦尔燕, Patime 帕提曼, Zöhre 佐热, Amine 阿米乃,
Reyhan 热依汗, Gülnar 古丽娜尔, Munewwer 木乃外尔, Asiye 阿西耶, Xediche 海迪且, Nurgül 努尔古丽,
Sajide 萨吉旦, Mihrigül 米日古丽, Rena 热娜, Adalet 阿达莱提, Dilnur 迪丽努尔, Buhelchem 布海力其木,
Ezize 艾则则, Gülbahar 古丽巴哈尔, Helime 哈丽玛, Medine 麦迪娜, Nigare 尼加拉, Peride 帕丽达,
Roshengül 肉先古丽, Senem 赛乃木, Tursungül 吐尔逊古丽, Hawagül 哈瓦古丽, Zulpiye 祖力皮亚, Ayshem 阿依仙木,
Muqeddes 木卡代斯, Nurnisa 努尔尼沙, Gülmire 古丽米热, Arzugül 阿孜古丽, Sabire 萨比热, Xalide 哈丽旦,
Büwisare 布维沙热, Anargül 阿娜尔古丽, Zeynep 再乃甫, Mahire 玛依热
""")

# --- Kyrgyz and Tatar: Cyrillic only; Latin forms are derived -----------------------------------
KYRGYZ_MALE = _words("""
Азамат Бакыт Нурлан Улан Бектур Жыргалбек Мирлан Эрлан Канат Таалайбек Чыңгыз Алмазбек Медер
Нурбек Темирбек Айбек Майрамбек Төлөгөн Кубанычбек Эрмек
""")
KYRGYZ_FEMALE = _words("""
Айзада Гүлнара Жыпар Бермет Назира Чолпон Айгерим Бурул Айпери Нургүл Жамиля Асель
""")
TATAR_MALE = _words("Ринат Ильдар Рустам Марат Айдар Равиль Фарид Ильнур Азат Булат Габдулла Рашид")
TATAR_FEMALE = _words("Гульнара Алсу Лейсан Айгуль Гузель Резеда Эльвира Диляра Зульфия Наиля")
TATAR_SURNAMES = _words("Сафин Галиев Хабибуллин Валиев Зарипов Ахметов Шакиров Нуриев Гарипов Мухаметшин")

# --- Hui (Chinese names, shared surname) and Uzbek (Latin + Cyrillic) -------------------------
HUI_SURNAMES = [("马", "Ma"), ("杨", "Yang"), ("丁", "Ding"), ("白", "Bai"), ("韩", "Han"), ("穆", "Mu")]
HUI_GIVEN_MALE = [("建国", "Jianguo"), ("文明", "Wenming"), ("志强", "Zhiqiang"), ("德福", "Defu"),
                  ("学军", "Xuejun"), ("永福", "Yongfu"), ("海山", "Haishan"), ("成林", "Chenglin")]
HUI_GIVEN_FEMALE = [("玉兰", "Yulan"), ("秀英", "Xiuying"), ("桂花", "Guihua"), ("海燕", "Haiyan"),
                    ("丽娟", "Lijuan"), ("凤英", "Fengying")]
UZBEK_MALE = [("Anvar", "Анвар", "安瓦尔"), ("Shavkat", "Шавкат", "夏吾卡提"), ("Rustam", "Рустам", "如斯坦"),
              ("Botir", "Ботир", "巴图尔"), ("Ulugbek", "Улугбек", "乌鲁别克"), ("Jamshid", "Жамшид", "加木西提")]
UZBEK_FEMALE = [("Dilnoza", "Дилноза", "迪丽诺扎"), ("Nodira", "Нодира", "努迪拉"), ("Gulnora", "Гулнора", "古丽诺拉"),
                ("Malika", "Малика", "玛丽卡")]

# --- Transliteration tables ------------------------------------------------------------------
# Kazakh Latin alphabet as approved in 2021 (І -> ı, И/Й -> i, Ұ -> ū, Ш -> ş, Ғ -> ğ, Ң -> ñ).
KK_OFFICIAL = {
    "а": "a", "ә": "ä", "б": "b", "в": "v", "г": "g", "ғ": "ğ", "д": "d", "е": "e", "ё": "io",
    "ж": "j", "з": "z", "и": "i", "й": "i", "к": "k", "қ": "q", "л": "l", "м": "m", "н": "n",
    "ң": "ñ", "о": "o", "ө": "ö", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "ū",
    "ү": "ü", "ф": "f", "х": "h", "һ": "h", "ц": "ts", "ч": "ç", "ш": "ş", "щ": "şş", "ъ": "",
    "ы": "y", "і": "ı", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}
# What Kazakhs abroad and passports usually write (Nurlan, Bauyrzhan, Zhanar, Yerlan).
KK_INFORMAL = {
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e", "ё": "yo",
    "ж": "zh", "з": "z", "и": "i", "й": "y", "к": "k", "қ": "k", "л": "l", "м": "m", "н": "n",
    "ң": "ng", "о": "o", "ө": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "u",
    "ү": "u", "ф": "f", "х": "kh", "һ": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "",
    "ы": "y", "і": "i", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}
# Kazakh letters in Soviet-era Russian documents.
KK_TO_RU = {"ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "і": "и"}

# Uyghur Latin (ULY) -> Uyghur Arabic script (UEY). Digraphs first.
_ULY_ARABIC = [
    ("ch", "چ"), ("gh", "غ"), ("ng", "ڭ"), ("sh", "ش"), ("zh", "ژ"),
    ("a", "ا"), ("e", "ە"), ("b", "ب"), ("p", "پ"), ("t", "ت"), ("j", "ج"), ("x", "خ"), ("d", "د"),
    ("r", "ر"), ("z", "ز"), ("s", "س"), ("f", "ف"), ("q", "ق"), ("k", "ك"), ("g", "گ"), ("l", "ل"),
    ("m", "م"), ("n", "ن"), ("h", "ھ"), ("o", "و"), ("u", "ۇ"), ("ö", "ۆ"), ("ü", "ۈ"), ("w", "ۋ"),
    ("é", "ې"), ("i", "ى"), ("y", "ي"),
]
_ULY_VOWELS = set("aeéioöuü")
# ULY -> Uyghur Cyrillic, as Uyghurs in Kazakhstan write it.
_ULY_CYRILLIC = [
    ("ch", "ч"), ("gh", "ғ"), ("ng", "ң"), ("sh", "ш"), ("zh", "ж"),
    ("a", "а"), ("e", "ә"), ("é", "е"), ("b", "б"), ("p", "п"), ("t", "т"), ("j", "җ"), ("x", "х"),
    ("d", "д"), ("r", "р"), ("z", "з"), ("s", "с"), ("f", "ф"), ("q", "қ"), ("k", "к"), ("g", "г"),
    ("l", "л"), ("m", "м"), ("n", "н"), ("h", "һ"), ("o", "о"), ("u", "у"), ("ö", "ө"), ("ü", "ү"),
    ("w", "в"), ("i", "и"), ("y", "й"),
]


def _table(text: str, table: dict[str, str]) -> str:
    out = []
    for i, ch in enumerate(text):
        low = ch.lower()
        rep = table.get(low, low)
        if low == "е" and i == 0 and table is KK_INFORMAL:
            rep = "ye"  # Ерлан -> Yerlan, as in passports
        out.append(rep.capitalize() if ch.isupper() else rep)
    return "".join(out)


def kk_official(text: str) -> str:
    return " ".join(_table(w, KK_OFFICIAL) for w in text.split(" "))


def kk_informal(text: str) -> str:
    return " ".join(_table(w, KK_INFORMAL) for w in text.split(" "))


def kk_russian(text: str) -> str:
    return _table(text, KK_TO_RU)


def _uly_tokens(word: str, table: list[tuple[str, str]]) -> list[tuple[str, str]]:
    word, i, out = word.lower(), 0, []
    while i < len(word):
        for latin, other in table:
            if word.startswith(latin, i):
                out.append((latin, other))
                i += len(latin)
                break
        else:
            out.append((word[i], word[i]))
            i += 1
    return out


def uly_arabic(text: str) -> str:
    """Memet Abdulla -> مەمەت ئابدۇللا. A vowel that starts a syllable is carried by hamza (ئ)."""
    words = []
    for word in text.split(" "):
        out, prev_vowel = [], True
        for latin, arabic in _uly_tokens(word, _ULY_ARABIC):
            vowel = latin in _ULY_VOWELS
            if vowel and prev_vowel:
                out.append("ئ")
            out.append(arabic)
            prev_vowel = vowel
        words.append("".join(out))
    return " ".join(words)


def uly_cyrillic(text: str) -> str:
    words = []
    for word in text.split(" "):
        w = "".join(c for _, c in _uly_tokens(word, _ULY_CYRILLIC))
        words.append(w[:1].upper() + w[1:])
    return " ".join(words)


def russian_surname(father_ru: str, female: bool) -> str:
    """Серик -> Сериков / Серикова; Абай -> Абаев."""
    if father_ru.endswith("й"):
        stem, suffix = father_ru[:-1], "ев"
    elif father_ru[-1] in "аеиоуыэюя":
        stem, suffix = father_ru, "ев"
    else:
        stem, suffix = father_ru, "ов"
    return stem + suffix + ("а" if female else "")


def russian_patronymic(father_ru: str, female: bool) -> str:
    """Серик -> Серикович / Сериковна."""
    if father_ru.endswith("й"):
        stem, suffix = father_ru[:-1], "ев"
    elif father_ru[-1] in "аеиоуыэюя":
        stem, suffix = father_ru, "ев"
    else:
        stem, suffix = father_ru, "ов"
    return stem + suffix + ("на" if female else "ич")


# --- Places, facilities, events --------------------------------------------------------------
# Prefecture codes (gazetteer) and the share of each ethnic group's homes in each.
HOME_WEIGHTS: dict[str, dict[str, float]] = {
    "kazakh": {"654000": 40, "654200": 22, "654300": 20, "652300": 7, "652700": 5, "650100": 4, "650500": 2},
    "uyghur": {"653100": 32, "653200": 22, "652900": 18, "650100": 8, "654000": 10, "650400": 5, "652800": 5},
    "kyrgyz": {"653000": 70, "652900": 15, "654000": 15},
    "tatar": {"650100": 40, "654200": 30, "654300": 15, "654000": 15},
    "hui": {"652300": 45, "650100": 30, "654000": 25},
    "uzbek": {"653100": 40, "650100": 30, "654000": 30},
}
# Approximate seats of the prefectures (the gazetteer has no coordinates): facilities are placed
# within a few tens of kilometres of them.
PREFECTURE_SEATS: dict[str, tuple[float, float]] = {
    "650100": (43.83, 87.62), "650200": (45.58, 84.89), "650400": (42.95, 89.19),
    "650500": (42.83, 93.51), "652300": (44.01, 87.30), "652700": (44.90, 82.07),
    "652800": (41.76, 86.15), "652900": (41.17, 80.26), "653000": (39.71, 76.17),
    "653100": (39.47, 75.99), "653200": (37.11, 79.92), "654000": (43.91, 81.32),
    "654200": (46.75, 82.98), "654300": (47.85, 88.13),
}
# Where the demo's facilities stand: (prefecture code, how many).
FACILITY_PLAN = [("654000", 8), ("654200", 5), ("654300", 5), ("653100", 6), ("653200", 4),
                 ("652900", 4), ("650100", 4), ("653000", 2), ("652300", 2)]
CHARGES = [
    "inciting ethnic hatred and discrimination", "gathering a crowd to disrupt public order",
    "splitting the state", "using extremism to undermine the implementation of the law",
    "picking quarrels and provoking trouble", "illegally crossing the national border",
    "propagating terrorism and extremism", "bribery", "fraud", "possessing extremist material",
]
OCCUPATIONS = [
    "herder", "farmer", "teacher", "imam", "driver", "trader", "doctor", "accountant", "student",
    "retired", "entrepreneur", "writer", "singer", "civil servant", "veterinarian", "engineer",
    "nurse", "construction worker", "journalist", "restaurant owner",
]
# Where testimonies were recorded: gazetteer codes and weights.
RECORDED_AT = {"KZ-75": 55, "KZ-19": 10, "KZ-71": 8, "KZ-63": 6, "KZ-10": 6, "KZ-33": 6, "KZ-79": 3,
               "KG-C": 3, "KZ-61": 3}
KZ_MOBILE_PREFIXES = ["701", "702", "705", "707", "747", "771", "775", "777", "778"]
ALMATY_DISTRICTS = ["Алатау ауданы", "Алмалы ауданы", "Әуезов ауданы", "Бостандық ауданы",
                    "Жетісу ауданы", "Медеу ауданы", "Наурызбай ауданы", "Түрксіб ауданы"]

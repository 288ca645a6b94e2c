"""Chinese-character and pinyin forms of Turkic (and Russian) names, read back.

Two traditions meet in the records:

* the Xinjiang transcription of Uyghur, Kazakh and Kyrgyz names (standard
  DB65/T 2189-2005 and practice around it): one character per Turkic
  syllable or per stray consonant, so a consonant cluster or a final
  consonant gets a character whose vowel is not pronounced: 努尔兰 Nurlan
  (尔 = r), 别克江 Bekjan (克 = k), 波拉提 Bolat (提 = final t), 吾斯曼
  Osman (吾 = o/u, 斯 = s);
* the Xinhua tradition for foreign names, built from the Russian spelling:
  纳扎尔巴耶夫 Nazarbayev, 托卡耶夫 Tokayev, 马西莫夫 Masimov, with -耶夫,
  -诺夫, -娃, -维奇, -芙娜 for the Russian endings.

No library maps these back to Turkic sounds (pypinyin gives Mandarin
readings only, ICU's Han-Latin reads 勒 as "lei"), so the table and rules
below are written here. They work at the level of pinyin syllables, so the
same code reads characters (Simplified or Traditional: pypinyin knows both)
and passport pinyin (NUERLAN SAILIKE).

Each syllable becomes a Turkic reading; syllables whose vowel is usually only
a carrier for a consonant are marked:

* ``*`` the vowel is dropped at the end of a name part, and before a syllable
  that starts with a consonant and keeps its own vowel (阿斯卡尔 a-s-ka-r,
  伊力哈木 i-l-ha-m, but 哈斯木 ha-si-m keeps one vowel between s and m);
* ``~`` the vowel is dropped only at the end (木 final -m, 提 final -t, but
  木拉提 mu-la-t Murat and 帕提古丽 Patigül keep theirs).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

# -- characters and their readings in names ---------------------------------
#
# Readings as used in transcribed names, which is where pypinyin's most
# common reading goes wrong (勒 lei, 什 shen, 都 dou, 柏 bai) and where a
# character is used for a sound Mandarin does not have (扎 for za).
# Every line: pinyin, then the characters commonly used for it in Uyghur,
# Kazakh, Kyrgyz, Tatar and Russian names. A marker after the pinyin applies
# to every character on the line.
_NAME_CHARS = """
a 阿啊
ai 艾爱埃哎
an 安按岸
ao 奥傲澳敖
ba 巴拔芭吧八
bai 拜白百柏佰
ban 班斑板
bao 包保宝鲍堡
bei 贝倍北蓓
ben 本奔
bi 比毕碧必彼璧
bie 别
bin 宾斌彬
bo 波博伯柏勃玻泊
bu* 布不卜步部
cha 查茶察
chang 昌常长
che 车彻
chen 陈晨辰
chi* 赤池
chu 楚初
ci* 茨次慈
cuo 措
da 达大答
dai 代戴黛岱
dan 丹旦单
dao 道
de* 德得
di 迪地帝蒂狄笛
dong 东冬
du 都杜度督笃
dun 敦顿
duo 多朵
e 额鄂俄厄
en 恩
er 尔儿耳尓
fa 法发
fan 凡范帆
fei 菲费斐
fu* 夫甫福富弗芙伏扶服
ga 尕嘎噶伽
gai 盖
gan 甘干赣
gao 高
ge* 格戈哥葛
gu 古谷固姑
guo 国郭果
ha 哈
hai 海亥
han 汗罕汉韩涵
he* 合赫和何贺河荷核
hei 黑
hu 胡呼虎户湖
hua 华花
huo 霍火
ji 吉及基季纪继姬
jia 加佳嘉贾家迦
jiang 江疆姜
jie 杰洁捷
jin 金晋津锦
ju 居菊巨聚
jun 君军俊
ka 卡喀咖
kai 凯开恺
kan 坎侃
kang 康
ke* 克科柯可
ken 肯
ku 库苦酷
kuo 阔廓
la 拉腊啦
lai 来莱赖
lan 兰蓝澜岚
le* 勒乐
lei 雷蕾
li* 力里丽利立莉黎理俐
lie 列烈
lin 林琳霖
liu 留柳刘
lu 鲁卢路露
luo 洛罗萝
ma 马玛麻
mai 买麦迈
man 曼满蔓
mao 毛茂
mei 美梅玫
meng 蒙孟
mi 米密蜜
min 敏闵
ming 明铭
mo 莫默墨摩
mu~ 木穆慕牧
mu* 姆
na 纳娜那
nai 乃奈
nan 南楠
ni 尼妮倪
nu 努奴
nuo 诺
ou 欧鸥
pa 帕
pai 排派
pan 潘盘
pei 佩培
pi 皮
pu* 普朴浦
qi 奇其齐琪祺
qia 恰
qie 切
qin 钦琴
qiu 丘秋
re 热
ren 仁
ri* 日
rong 荣
ru 如茹汝
ruo 若
sa 萨撒
sai 赛
san 三
se* 色瑟塞
sha 沙莎
shan 山珊善
she 舍
shi* 什石师史诗
shu 舒
si* 斯司思丝
su 苏素
sun 孙
suo 索
ta 塔
tai 太泰
tan 坦
tao 陶
te* 特
ti~ 提
tie 铁
tu 吐图土
tuo 托妥
wa 瓦娃哇
wai 外
wan 万婉
wei 维伟威
wen 文
wu 吾乌武
xi 西希喜锡
xia 夏霞
xian 先仙贤
xin 新欣辛
xiu 秀
xu 许旭
xue 雪
xun 逊勋
ya 亚娅雅
yan 艳燕
yang 阳杨
ye 叶耶
yi 依伊衣
you 尤友
yu 玉于宇
yue 约
yun 云
za 扎
zai 再
ze* 则泽
zhan 占
zhao 昭
zhu 朱
zi* 孜兹子自
zu 祖
zuo 佐
"""


def _parse_table(text: str) -> dict[str, tuple[str, str]]:
    table: dict[str, tuple[str, str]] = {}
    for line in text.strip().splitlines():
        reading, chars = line.split()
        mark = reading[-1] if reading[-1] in "*~" else ""
        syl = reading.rstrip("*~")
        for ch in chars:
            table.setdefault(ch, (syl, mark))
    return table


NAME_CHARS: dict[str, tuple[str, str]] = _parse_table(_NAME_CHARS)

# Characters whose Turkic value is not what their pinyin suggests.
CHAR_READING = {
    "耶": "ye",   # Xinhua -耶夫 = -yev, 耶尔兰 = Yerlan; 叶 is Xinjiang's plain e
    "扎": "za",   # 扎克尔 Zakir, 纳扎尔 Nazar
}

# Default markers for syllables read from pinyin (passport forms) or for
# characters missing from the table above.
DEFAULT_MARK = {
    "ke": "*", "ge": "*", "he": "*", "te": "*", "de": "*", "le": "*", "se": "*",
    "ze": "*", "ce": "*", "si": "*", "zi": "*", "ci": "*", "shi": "*", "zhi": "*",
    "chi": "*", "ri": "*", "bu": "*", "pu": "*", "fu": "*", "li": "*",
    "mu": "~", "ti": "~",
}

# -- pinyin syllables ---------------------------------------------------------

PINYIN_SYLLABLES = frozenset("""
a ai an ang ao ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu ca cai can
cang cao ce cen ceng cha chai chan chang chao che chen cheng chi chong chou chu chua chuai chuan
chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de deng di dian diao die
ding diu dong dou du duan dui dun duo e en eng er fa fan fang fei fen feng fou fu ga gai gan gang
gao ge gen geng gong gou gu gua guai guan guang gui gun guo ha hai han hang hao he hei hen heng
hong hou hu hua huai huan huang hui hun huo ji jia jian jiang jiao jie jin jing jiong jiu ju juan
jue jun ka kai kan kang kao ke ken keng kong kou ku kua kuai kuan kuang kui kun kuo la lai lan
lang lao le lei leng li lia lian liang liao lie lin ling liu long lou lu luan lun luo lv lve lue ma mai
man mang mao me mei men meng mi mian miao mie min ming miu mo mou mu na nai nan nang nao ne nei
nen neng ni nian niang niao nie nin ning niu nong nu nuan nuo nv nve nue ou pa pai pan pang pao pei
pen peng pi pian piao pie pin ping po pou pu qi qia qian qiang qiao qie qin qing qiong qiu qu quan
que qun ran rang rao re ren reng ri rong rou ru ruan rui run ruo sa sai san sang sao se sen seng
sha shai shan shang shao she shen sheng shi shou shu shua shuai shuan shuang shui shun shuo si song
sou su suan sui sun suo ta tai tan tang tao te teng ti tian tiao tie ting tong tou tu tuan tui tun
tuo wa wai wan wang wei wen weng wo wu xi xia xian xiang xiao xie xin xing xiong xiu xu xuan xue
xun ya yan yang yao ye yi yin ying yong you yu yuan yue yun za zai zan zang zao ze zei zen zeng
zha zhai zhan zhang zhao zhe zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo
zi zong zou zu zuan zui zun zuo
""".split())
_MAX_SYL = 6

# Pinyin syllables that a Turkic name written in Latin letters rarely
# produces: if a Latin name segments into pinyin and contains one of these,
# it is read as pinyin (NUERLAN SAILIKE), otherwise as ordinary Latin
# (Aidana, Madina and Ali also segment into pinyin, and read the same).
_PINYIN_MARKERS = frozenset(
    "ke ge he te de le se ze si zi ci shi zhi chi ri ti mu yi wu ye bie lie tie jie qie xie "
    "jiang xiang qiang liang niang jian qian xian lian tian mian bian nian dian "
    "xi qi xu qu xun qun xue que xia qia zhu zhe cheng sheng zheng heng geng keng leng "
    "tuo luo nuo duo suo guo kuo huo zuo cuo ruo zhuo shuo".split()
)


def fewest_syllables(text: str, syllable: Callable[[str], str | None], longest: int,
                     boundary: str = "") -> tuple[str, ...] | None:
    """Split text into the fewest syllables, each read by ``syllable`` (None: not a syllable), or None.

    ``boundary`` is a character that only separates syllables (Palladius ъ in Юнъин).
    """
    n = len(text)
    best: list[tuple[str, ...] | None] = [None] * (n + 1)
    best[0] = ()
    for i in range(n):
        cur = best[i]
        if cur is None:
            continue
        if boundary and text[i] == boundary:
            nxt = best[i + 1]
            if nxt is None or len(nxt) > len(cur):
                best[i + 1] = cur
            continue
        for j in range(min(n, i + longest), i, -1):
            syl = syllable(text[i:j])
            if syl is not None:
                nxt = best[j]
                if nxt is None or len(nxt) > len(cur) + 1:
                    best[j] = cur + (syl,)
    return best[n]


def _pinyin_syllable(s: str) -> str | None:
    return s if s in PINYIN_SYLLABLES else None


@lru_cache(maxsize=100_000)
def segment_pinyin(token: str) -> tuple[str, ...] | None:
    """Split an ASCII token into the fewest pinyin syllables, or None."""
    t = token.replace("ü", "v")
    if not t or not t.isascii() or not t.isalpha():
        return None
    return fewest_syllables(t, _pinyin_syllable, _MAX_SYL)


_ARABIC_PARTICLES = frozenset("ibn ibni ibne bint binti".split())


def looks_like_pinyin(tokens: list[str]) -> bool:
    """True if the name is pinyin: most words segment, and pinyin-only traits show.

    One word that does not segment is allowed when others do (a typo in
    passport pinyin: AZHAMTI BAKETI); that word is then read as Latin.
    """
    if not _ARABIC_PARTICLES.isdisjoint(tokens):
        return False        # Abu Ali ibn Sina: a-bu a-li si-na segment, ibn says Arabic
    marked = False
    ok = 0
    for tok in tokens:
        segs = segment_pinyin(tok)
        if segs is None:
            continue
        ok += 1
        for k, s in enumerate(segs):
            if s in _PINYIN_MARKERS or (s == "er" and k > 0):
                marked = True
    return marked and ok * 2 > len(tokens)


# -- pinyin syllable -> Turkic reading ----------------------------------------

_INITIALS = ("zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h",
             "j", "q", "x", "r", "z", "c", "s", "y", "w")
_INITIAL_TURKIC = {
    "b": "b", "p": "p", "m": "m", "f": "f", "d": "d", "t": "t", "n": "n", "l": "l",
    "g": "g", "k": "k", "h": "h", "j": "j", "q": "ch", "x": "sh", "zh": "j",
    "ch": "ch", "sh": "sh", "r": "r", "z": "z", "c": "ts", "s": "s",
}
# Syllables without a consonant initial (and y-/w- ones), whole.
_BARE = {
    "a": "a", "ai": "e", "an": "an", "ang": "an", "ao": "o", "e": "e", "ei": "e",
    "en": "en", "eng": "en", "o": "o", "ou": "o", "er": "r",
    "yi": "i", "wu": "u", "ye": "e", "you": "yu", "yu": "yu", "yue": "yu", "yun": "yun",
    "yin": "in", "ying": "in", "ya": "ya", "yan": "yan", "yang": "yan", "yao": "yau",
    "yong": "yun", "yuan": "yuan", "wa": "wa", "wai": "we", "wan": "wan", "wang": "wan",
    "wei": "we", "wen": "wen", "weng": "wen", "wo": "wo",
}
_FINAL = {
    "a": "a", "ai": "e", "an": "an", "ang": "an", "ao": "au", "e": "e", "ei": "e",
    "en": "en", "eng": "en", "i": "i", "ia": "ya", "ian": "yan", "iang": "yan",
    "iao": "yau", "ie": "e", "in": "in", "ing": "in", "iong": "yun", "iu": "yu",
    "o": "o", "ong": "un", "ou": "o", "u": "u", "ua": "wa", "uai": "we", "uan": "wan",
    "uang": "wan", "ue": "ue", "ui": "uy", "un": "un", "uo": "o", "v": "u", "ve": "ue",
}
# After j, q, x the glide i is part of the consonant (加 jia = ja, 江 jiang = jan).
_FINAL_JQX = {"ia": "a", "ian": "an", "iang": "an", "iao": "au", "iong": "un", "iu": "u"}


def _split(syl: str) -> tuple[str, str]:
    for ini in _INITIALS:
        if syl.startswith(ini) and len(syl) > len(ini):
            return ini, syl[len(ini):]
    return "", syl


@lru_cache(maxsize=2048)
def syllable_reading(syl: str) -> tuple[str, str]:
    """(full Turkic reading, reading with the vowel dropped) of one syllable."""
    ini, fin = _split(syl)
    if ini in ("", "y", "w"):
        full = _BARE.get(syl, syl)
        return full, full
    cons = _INITIAL_TURKIC[ini]
    if ini in ("j", "q", "x") and fin in _FINAL_JQX:
        vow = _FINAL_JQX[fin]
    else:
        vow = _FINAL.get(fin, fin)
    if ini == "zh" and fin == "a":
        cons = "z"   # 扎 as pinyin: Zakir, Nazar
    return cons + vow, cons


def _read(syls: list[tuple[str, str, str]], token_initial_er: bool = True) -> str:
    """Join (pinyin, mark, fixed reading) syllables into a Turkic string."""
    n = len(syls)
    out = [""] * n
    next_keeps_vowel = False   # does the syllable to the right keep a vowel and start with a consonant?
    for k in range(n - 1, -1, -1):
        syl, mark, fixed = syls[k]
        if syl == "er" and k == 0:
            full = drop = "er"
        elif fixed:
            full = drop = fixed
        else:
            full, drop = syllable_reading(syl)
        final = k == n - 1
        dropped = bool(mark) and final or (mark == "*" and next_keeps_vowel)
        text = drop if dropped else full
        out[k] = text
        next_keeps_vowel = (not dropped) and text[:1] not in "aeiouüö" and text != "r"
    s = "".join(out)
    return s


# Endings of Russian surnames and patronymics in the Xinhua tradition.
# (syllables, kind, gender, text appended to the stem)
_XINHUA_SUFFIXES = [
    (("ye", "wei", "qi"), "patronymic", "m", "y"),
    (("wei", "qi"), "patronymic", "m", ""),
    (("ye", "fu", "na"), "patronymic", "f", "y"),
    (("fu", "na"), "patronymic", "f", ""),
    (("ye", "fu"), "surname", "m", "y"),
    (("ye", "wa"), "surname", "f", "y"),
]
_O_SYLLABLES = frozenset("nuo luo tuo mo bo po duo suo zhuo ruo guo kuo huo ke ge zuo cuo o".split())


def _strip_xinhua(syls: list[str], fu_is_ov: bool = True) -> tuple[int, str | None, str | None, str]:
    """How many syllables to drop, kind, gender and stem extension. ``fu_is_ov`` is False when
    the last character is 甫: Xinhua writes Russian -ov with 夫, Xinjiang writes a Turkic final p
    with 甫 (阿不都热克甫 Abdurekep, 玉素甫 Yusup), so 克甫 is not -kov."""
    n = len(syls)
    if not fu_is_ov and syls and syls[-1] == "fu":
        return 0, None, None, ""
    for suf, kind, gender, ext in _XINHUA_SUFFIXES:
        k = len(suf)
        if n > k + 1 and tuple(syls[-k:]) == suf:
            return k, kind, gender, ext
    if n >= 3 and syls[-2] in _O_SYLLABLES:
        # -罗夫 = -rov: the o belongs to the ending, only the consonant stays
        if syls[-1] == "fu":
            return 1, "surname", "m", "-o"
        if syls[-1] == "wa":
            return 1, "surname", "f", "-o"
    return 0, None, None, ""


def _char_syllable(ch: str) -> tuple[str, str, str]:
    if ch in NAME_CHARS:
        syl, mark = NAME_CHARS[ch]
    else:
        syl = lazy_pinyin(ch, style=Style.NORMAL, errors="ignore")
        syl = syl[0] if syl else ""
        mark = DEFAULT_MARK.get(syl, "")
    return syl, mark, CHAR_READING.get(ch, "")


# A name with -jan or -bek after it (阿力木江 Alimjan, 买买提江 Memetjan, 阿力木别克 Alimbek): the name
# before the ending is read as a whole word, so its last carrier vowel goes (阿力木 alim, not
# alimu) as it would without the ending.
_COMPOUND_ENDINGS = (("江", "jan"), ("别克", "bek"), ("別克", "bek"))
_COMPOUND_ENDINGS_PINYIN = ((("jiang",), "jan"), (("bie", "ke"), "bek"))


@lru_cache(maxsize=100_000)
def read_chinese(token: str) -> tuple[str, str | None, str | None]:
    """A token in Chinese characters: (Turkic reading, kind, gender).

    kind is "surname" or "patronymic" when a Russian ending was removed.
    """
    for end, reading in _COMPOUND_ENDINGS:
        if token.endswith(end) and len(token) - len(end) >= 2:
            stem = read_chinese(token[: -len(end)])
            if stem[1] is None:
                return stem[0] + reading, None, stem[2]
    syls = [_char_syllable(ch) for ch in token]
    if token.endswith("波夫") and len(token) > 2:
        # Xinhua writes по with 波 (阿里波夫 Aripov; бо is 博), Xinjiang writes ba/bo with it (波拉提
        # Bolat): in a Russian -ov ending it is p
        syls[-2] = (syls[-2][0], syls[-2][1], "p")
    syls = [s for s in syls if s[0]]
    return _finish(syls, fu_is_ov=not token.endswith("甫"))


@lru_cache(maxsize=100_000)
def read_pinyin(token: str) -> tuple[str, str | None, str | None]:
    """A token in pinyin (already known to segment): as read_chinese."""
    segs = segment_pinyin(token) or ()
    syls = [(s, DEFAULT_MARK.get(s, ""), "") for s in segs]
    for end, reading in _COMPOUND_ENDINGS_PINYIN:
        n = len(end)
        if len(segs) - n >= 2 and tuple(segs[-n:]) == end:
            stem = _finish(syls[:-n])
            if stem[1] is None:
                return stem[0] + reading, None, stem[2]
    # Pinyin cannot tell 克甫 (a Turkic final p: Abudourekefu, 阿不都热克甫 Abdurekep) from 科夫
    # (Russian -kov); pinyin names are Xinjiang's, so -kefu is read as the Turkic ending.
    return _finish(syls, fu_is_ov=tuple(segs[-2:]) != ("ke", "fu"))


def _finish(syls: list[tuple[str, str, str]], fu_is_ov: bool = True) -> tuple[str, str | None, str | None]:
    cut, kind, gender, ext = _strip_xinhua([s[0] for s in syls], fu_is_ov)
    if cut:
        syls = syls[:-cut]
        last = syls[-1]
        if ext == "-o":
            # 扎帕罗夫 Japarov: 罗 is r + the o of -ov, so only r stays
            syls[-1] = (last[0], "~", last[2])
            ext = ""
        else:
            # 巴耶夫 -bayev: 巴 keeps its vowel, the y of -yev is added back
            syls[-1] = (last[0], "", last[2])
    text = _read(syls) + ext
    # token-final ai is "ay" (拜 -bay, 凯 Tukay), medial ai is e (赛 Se-, 买 Me-)
    if syls and syls[-1][0].endswith("ai") and text.endswith("e"):
        text = text[:-1] + "ay"
    return text, kind, gender


def xinhua_variant(reading: str) -> str | None:
    """The reading as Xinhua would mean it, where j/q stand for g/k before i.

    Xinhua writes Russian ги/ки/га with 吉/基/加 (钦吉斯 Chingiz, 巴基耶夫
    Bakiyev, 达丽加 Dariga) where Xinjiang practice means j (米吉提 Mijit, 加娜尔
    Janar). Both readings are kept and the better one is used.
    """
    if "j" not in reading:
        return None
    return reading.replace("j", "g")


def chinese_gender(token: str) -> str | None:
    """Female if the name part ends in 古丽/古力 (gül), the usual women's ending."""
    if token.endswith(("古丽", "古力", "古麗", "姑丽")):
        return "f"
    return None


# -- Han (and Hui) names ----------------------------------------------------
#
# Officials, police and witnesses in the records, and Hui (Dungan) people, have Chinese names:
# a surname of one character (two for a few) before a given name of one or two, written without a
# dot: 陈全国 Chen Quanguo, 马仲英 Ma Zhongying. Read as a Turkic transcription they make no sense,
# so such a token also gets a Mandarin reading, surname and given name apart (see
# similarity.prepare). The commonest surnames, Simplified and Traditional, and the Hui 海 and 穆.
HAN_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫"
    "孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅"
    "童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟尤阳时农司卓缪简车项连芦褚"
    "娄窦戚岑景党宫费冷晏席卫柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁荣巫寇桑郎甄丛仲虞敖巩明佘池查"
    "麻苑迟邝海穆"
    "張劉陳楊黃趙吳孫馬鄭謝許韓馮鄧蕭蘇呂盧鍾譚陸賈鄒閆龍賀顧龔萬錢嚴莊聶歐關蘭紀單塗駱藍鮑華饒婁竇衛"
    "欒鄔邊鞏遲鄺葉湯齊喬龐顏寧劉羅魏崔"
)
HAN_COMPOUND_SURNAMES = frozenset(
    "欧阳 歐陽 司马 司馬 上官 诸葛 諸葛 东方 東方 皇甫 尉迟 尉遲 公孙 公孫 慕容 长孙 長孫 宇文 司徒 夏侯 令狐".split())


@lru_cache(maxsize=100_000)
def han_reading(token: str) -> tuple[str, str] | None:
    """(surname, given name) in pinyin if the token can be a Han name, else None: 陈全国 -> chen, quanguo."""
    if not 2 <= len(token) <= 4:
        return None
    if token[:2] in HAN_COMPOUND_SURNAMES and len(token) >= 3:
        cut = 2
    elif token[0] in HAN_SURNAMES and len(token) <= 3:
        cut = 1
    else:
        return None
    surname = "".join(lazy_pinyin(token[:cut], style=Style.NORMAL, errors="ignore"))
    given = "".join(lazy_pinyin(token[cut:], style=Style.NORMAL, errors="ignore"))
    if not surname or not given:
        return None
    return surname, given

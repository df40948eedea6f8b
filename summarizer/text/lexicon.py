"""The word lists, calendar names, word patterns and stemmers every stage shares.

One base list per kind of word, and per stage a named extra (or exclusion) where that stage's
effective list differs, with the reason. A stage's list is written out here in full as a set
expression, so what each stage ignores can be read (and compared) in one place. Changing a base
list changes every stage that uses it; changing an extra changes one stage.
"""

from __future__ import annotations

import re

# --- Words ------------------------------------------------------------------------------------

# Letters only (any script), no digits or underscores: one plain word.
LETTERS = r"[^\W\d_]+"
# A run of letters; "pasukannya", "Korea".
WORD = re.compile(LETTERS)
# Hyphenated compounds stay one word ("Korea-Rusia", "bom-bom"): Indonesian writes plurals and
# many compounds with a hyphen, and splitting them would count "bom" twice.
HYPHENATED_WORD = re.compile(rf"{LETTERS}(?:-{LETTERS})*")
# A word with one inner apostrophe ("it's", "don't"), for counting English function words.
APOSTROPHE_WORD = re.compile(rf"{LETTERS}(?:'{LETTERS})?")
# Numbers with their separators ("1.500", "25,22") or hyphenated words: the similarity tokens.
NUMBER_OR_WORD = re.compile(rf"\d+(?:[.,]\d+)*|{LETTERS}(?:-{LETTERS})*")

# --- Function words ---------------------------------------------------------------------------

# Closed-class words: frequent, short and unlikely to appear inside proper names or borrowed
# terms, so counting them tells a sentence's own grammar apart from its embedded names.
ID_FUNCTION_WORDS = frozenset(
    """
    yang dan di ke dari ini itu dengan untuk pada tidak akan juga dalam oleh telah sudah bahwa
    atau karena kata ujar tersebut adalah ia dia mereka kami kita saya para sebagai bisa dapat
    lebih masih secara hingga sejak setelah sebelum namun tetapi jika saat ketika menjadi belum
    serta tak pun lalu agar maka bagi antara terhadap sekitar bukan ada
    """.split()
)
EN_FUNCTION_WORDS = frozenset(
    """
    a an the of to in on at by for from with without into onto about over under after before
    and or but nor so yet if than then that this these those there here which who whom whose
    what when where why how is are was were be been being am do does did done have has had
    will would shall should can could may might must not no it its it's they them their we
    our us you your he him his she her i me my as also only very just all any some such
    """.split()
)

# Stop words for comparing wording: the function words plus pronouns, quantity words and the
# reporting verbs ("kata", "said") every news sentence carries whatever fact it reports.
ID_STOP_WORDS = ID_FUNCTION_WORDS | frozenset(
    """
    aku anda apa apakah atas banyak beberapa begitu demikian imbuh jelas kamu katanya kepada
    lagi mengatakan menurut menyatakan menyebut pula saja sampai satu sebuah sedang sementara
    seperti tegas tentang tutur ungkap
    """.split()
)
EN_STOP_WORDS = EN_FUNCTION_WORDS | frozenset(
    """
    above according added again against because below between both doing down during each few
    further having hers however itself more most now off once other out own reported said same
    say says through told too until up while
    """.split()
)

# Sentence similarity (TF-IDF for the extractive summarizer): it ranks sentences by the facts
# they share, so it also drops words that are frequent in news without naming a fact: counts
# ("dua", "tiga"), time words ("tahun", "hari", "year"), connectives ("bahkan", "although") and
# more reporting verbs ("sebut", "tambah", "reportedly").
SIMILARITY_EXTRA_STOP_WORDS = {
    "id": frozenset(
        """
        bahkan baru berada bersama diri dua hal hanya hari harus jadi kalau kembali kemudian kini
        lain melalui memang merupakan pernah salah sama sebut selama seluruh semua supaya tahun
        tambah tanpa tiga yaitu yakni
        """.split()
    ),
    "en": frozenset(
        """
        although even last least less many much new one ours per reportedly since still theirs
        upon whether within year years
        """.split()
    ),
}
# Function words the similarity list never held. They stay counted there so that the extractive
# summarizer (whose same-fact and redundancy thresholds were set on this list) picks the same
# sentences. ("it's" cannot be a similarity token anyway: the apostrophe splits it.)
SIMILARITY_KEPT_WORDS = {
    "id": frozenset({"saya", "secara"}),
    "en": frozenset({"done", "it's", "onto", "shall"}),
}
SIMILARITY_STOP_WORDS: dict[str, frozenset[str]] = {
    "id": (ID_STOP_WORDS | SIMILARITY_EXTRA_STOP_WORDS["id"]) - SIMILARITY_KEPT_WORDS["id"],
    "en": (EN_STOP_WORDS | SIMILARITY_EXTRA_STOP_WORDS["en"]) - SIMILARITY_KEPT_WORDS["en"],
}

# The support check (does a source back a briefing sentence?) also ignores hedges and
# connectives that translations add or drop freely ("sangat", "mungkin", "meanwhile", "amid"),
# reporting verbs in every form ("mencatat", "noted", "stated", "reports"), and a detached "nya",
# so that a paraphrase is not failed for wording the source never had to contain.
SUPPORT_EXTRA_STOP_WORDS = {
    "id": frozenset("baik berbagai mencatat menyebutkan mungkin nya sangat sehingga selain ucap".split()),
    "en": frozenset("adding amid meanwhile noted report reports stated tell".split()),
}
# Words the support check keeps counting: negation and modality ("bukan", "without", "may",
# "must"), order in time ("sebelum"), approximation ("sekitar") and change ("menjadi") alter what
# a sentence claims, so a briefing sentence has to find them in its sources. The others ("saya",
# "onto", "whose", ...) were never in this list; they stay out so that verdicts do not change.
SUPPORT_KEPT_WORDS = {
    "id": frozenset("bukan menjadi saya sebelum secara sekitar".split()),
    "en": frozenset("done it's may me might must onto shall us whose without".split()),
}
SUPPORT_STOP_WORDS: dict[str, frozenset[str]] = {
    "id": (ID_STOP_WORDS | SUPPORT_EXTRA_STOP_WORDS["id"]) - SUPPORT_KEPT_WORDS["id"],
    "en": (EN_STOP_WORDS | SUPPORT_EXTRA_STOP_WORDS["en"]) - SUPPORT_KEPT_WORDS["en"],
}

# Near-duplicate detection reads the Indonesian originals: it drops the reporting verbs in their
# "-nya" forms too ("ujarnya", "tambahnya"), words every story of a folder repeats ("hari",
# "seperti", "sangat", "kepada"), and "the", "and", "of" from English names and quotations inside
# Indonesian text, none of which tell one outlet's story from another's.
DEDUP_EXTRA_STOP_WORDS = frozenset(
    "mengatakan menyebut menyebutkan katanya ujarnya tambahnya hari seperti sangat kepada the and of".split()
)
DEDUP_STOP_WORDS = ID_FUNCTION_WORDS | DEDUP_EXTRA_STOP_WORDS

# Glued-word repair: a glued half that is one of these is very likely a real word. The list is
# narrower than the function words: short or common words that are also pieces of longer words
# ("ada|lah", "maka|n", "tak|ut", "para|militer", "pun" as a suffix) are left out, and so are
# the rest of the excluded ones: every word here makes more glued tokens splittable.
REPAIR_EXTRA_FUNCTION_WORDS = frozenset("atas kepada melalui mengenai sampai sehingga seperti tentang".split())
REPAIR_UNSAFE_WORDS = frozenset(
    "ada adalah belum bukan kata lalu lebih maka menjadi para pun saya secara sekitar tak ujar".split()
)
REPAIR_FUNCTION_WORDS = (ID_FUNCTION_WORDS - REPAIR_UNSAFE_WORDS) | REPAIR_EXTRA_FUNCTION_WORDS

# --- Calendar ---------------------------------------------------------------------------------

ID_MONTH_NAMES = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
EN_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# Every month name of either language once, Indonesian first: for patterns that accept both.
MONTH_NAMES = ID_MONTH_NAMES + tuple(n for n in EN_MONTH_NAMES if n not in ID_MONTH_NAMES)

# Lower-case abbreviation → month number. "Mei" and "May" are never abbreviated.
ID_MONTH_ABBREVIATIONS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7,
    "agu": 8, "agt": 8, "ags": 8, "sep": 9, "sept": 9, "okt": 10, "nov": 11, "des": 12,
}  # fmt: skip
EN_MONTH_ABBREVIATIONS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7,
    "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
# Lower-case month name or abbreviation → month number; "pebruari" is the pre-1972 spelling,
# still printed.
ID_MONTHS = (
    {name.lower(): number for number, name in enumerate(ID_MONTH_NAMES, start=1)}
    | {"pebruari": 2}
    | ID_MONTH_ABBREVIATIONS
)
EN_MONTHS = {name.lower(): number for number, name in enumerate(EN_MONTH_NAMES, start=1)} | EN_MONTH_ABBREVIATIONS
# Spellings only one stage accepts: number scanning (summarizer.text.numbers) reads story text,
# the date-line parser (clean_dates) reads page headers. Every accepted spelling is a new date
# mention or a new date line (a lower-case "nop" or "peb" in story text is no month), so each
# was added only to the stage whose pages printed it.
NUMBERS_EXTRA_ID_MONTHS = {"agus": 8, "nopember": 11}
DATE_LINE_EXTRA_MONTHS = {"peb": 2, "nop": 11}

ID_DAY_NAMES = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Jum'at", "Sabtu", "Minggu")
EN_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# "Ahad", the Arabic-derived name for Sunday, appears on some outlets' date lines; only the
# date-line parser accepts it, so the time expressions of figures stay as they were measured.
DATE_LINE_EXTRA_DAY_NAMES = ("Ahad",)

# --- Stemmers ---------------------------------------------------------------------------------
# Three on purpose: each is as light as its stage can afford, and they differ in effect (a
# shared one would change which words match in every stage). Real Indonesian stemming needs
# nasal-assimilation rules (mengirim -> kirim); a crude one merged unrelated words on the seeds.


def suffix_stem(word: str, language: str) -> str:
    """Sentence similarity's stem of a lower-case word: English plural -s, Indonesian -nya.

    Enough for "troops"/"troop" or "pasukannya"/"pasukan" to match; other languages unchanged.
    """
    if language == "en" and len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    if language == "id" and len(word) > 6 and word.endswith("nya"):
        return word[:-3]
    return word


def loose_stem(word: str) -> str:
    """The support check's stem: lower case, no -nya, no plural -s, whatever the language.

    Looser than suffix_stem (both suffixes in any language, -s from four letters) because the
    support check compares a translation with its source, which mix both languages' names.
    """
    word = word.lower()
    if len(word) > 6 and word.endswith("nya"):
        return word[:-3]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


# Near-duplicate detection's stem: the first letters, crude but enough to meet "pasukan" and
# "pasukannya" across outlets without any suffix rules.
PREFIX_STEM_LENGTH = 6


def prefix_stem(word: str) -> str:
    """The first PREFIX_STEM_LENGTH letters of a word."""
    return word[:PREFIX_STEM_LENGTH]


# --- Figures ----------------------------------------------------------------------------------

# Words that introduce a figure without saying what it measures ("sebanyak 20", "sekitar 50",
# "pukul 10.30"): when reading what a figure is about (briefing/conflicts.py) they are skipped.
FIGURE_LEAD_WORDS = ID_STOP_WORDS | frozenset(
    """
    sebanyak sekitar kurang lebih mencapai hingga sebesar menjadi total jumlah hanya hampir
    setidaknya capai senilai seharga yakni yaitu sedikitnya sejumlah pukul jam sampai
    """.split()
)
# Indonesian number words as counts ("tujuh rumah").
ID_NUMBER_WORDS = {
    "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7, "delapan": 8,
    "sembilan": 9, "sepuluh": 10, "sebelas": 11, "seratus": 100, "seribu": 1000,
}  # fmt: skip
# Quantities without a value ("sejumlah rumah", "puluhan korban"): a count another outlet gives
# exactly differs from them, and a briefing should say so rather than pick one.
ID_VAGUE_QUANTITY_WORDS = frozenset("sejumlah beberapa puluhan ratusan ribuan belasan".split())
# Classifiers between a count and its noun ("50 unit bus", "3 ekor sapi"): the noun after them is
# what is counted.
ID_CLASSIFIER_WORDS = frozenset("unit buah ekor biji lembar batang pucuk helai".split())
# Words that say a figure is a change downwards or upwards ("turun Rp6.000", "terkoreksi Rp 7.000",
# "lebih murah Rp 6.000"): one key per direction, so outlets' different verbs compare.
ID_DECREASE_WORDS = frozenset(
    "turun menurun anjlok merosot terkoreksi melemah susut menyusut terperosok ambles amblas murah berkurang".split()
)
ID_INCREASE_WORDS = frozenset("naik meningkat melonjak menguat melambung mahal bertambah".split())
# Words before a value that say it is where a change ended or began ("menjadi Rp1.937.000",
# "dari semula Rp2.005.000").
ID_TRANSITION_TO_WORDS = frozenset("menjadi jadi ke kini dibanderol dijual".split())
ID_TRANSITION_FROM_WORDS = frozenset("dari semula sebelumnya awalnya".split())
# Units of time: a count of them is a duration or an age, and with these words after it a gap
# between two events ("empat menit berselang", "satu tahun yang lalu"), not a fact to compare.
ID_TIME_UNIT_WORDS = frozenset("detik menit jam hari pekan minggu bulan tahun".split())
ID_RELATIVE_TIME_WORDS = frozenset(
    "kemudian berselang lalu sebelumnya setelahnya lagi terakhir awal pertama belakangan silam".split()
)
# Spoken forms a transcript keeps and an edited quotation writes out ("nggak" for "tidak"): one
# word for comparing two outlets' wording of one remark. Fillers ("gitu", "nih") are dropped
# instead (briefing/conflicts/quotes.py).
ID_SPOKEN_FORMS = {
    "nggak": "tidak", "enggak": "tidak", "ngga": "tidak", "gak": "tidak", "ga": "tidak", "tak": "tidak",
    "udah": "sudah", "aja": "saja", "gimana": "bagaimana", "kenapa": "mengapa", "kayak": "seperti",
    "bikin": "membuat", "emang": "memang", "pengen": "ingin",
}  # fmt: skip

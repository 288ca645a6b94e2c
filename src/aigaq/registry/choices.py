"""The controlled vocabularies of the record."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Publication(models.TextChoices):
    """Consent level. `internal` is the default: nothing leaves the instance unless someone says so."""

    PUBLIC = "public", _("Public")
    ANONYMISED = "anonymised", _("Anonymised")
    INTERNAL = "internal", _("Internal")


class Script(models.TextChoices):
    """ISO 15924 codes, as `aigaq.names.detect_script` gives them for a name typed in."""

    CYRILLIC = "Cyrl", _("Cyrillic")
    LATIN = "Latn", _("Latin")
    HAN = "Hans", _("Chinese characters")
    HAN_TRADITIONAL = "Hant", _("Chinese characters (Traditional)")
    ARABIC = "Arab", _("Arabic script")
    KANA = "Kana", _("Japanese kana")
    OTHER = "Zyyy", _("Other script")


class NameKind(models.TextChoices):
    FULL = "full", _("Full name")
    GIVEN = "given", _("Given name")
    PATRONYMIC = "patronymic", _("Patronymic / father's name")
    SURNAME = "surname", _("Surname")
    CHINESE = "chinese", _("Chinese-style given·father")
    ALIAS = "alias", _("Alias")


class Gender(models.TextChoices):
    MALE = "m", _("Male")
    FEMALE = "f", _("Female")
    UNKNOWN = "", _("Unknown")


class Ethnicity(models.TextChoices):
    KAZAKH = "kazakh", _("Kazakh")
    UYGHUR = "uyghur", _("Uyghur")
    KYRGYZ = "kyrgyz", _("Kyrgyz")
    TATAR = "tatar", _("Tatar")
    HUI = "hui", _("Hui")
    UZBEK = "uzbek", _("Uzbek")
    HAN = "han", _("Han")
    OTHER = "other", _("Other")
    UNKNOWN = "", _("Unknown")


class EventType(models.TextChoices):
    DETAINED = "detained", _("Detained in a camp")
    ARRESTED = "arrested", _("Arrested / held in a detention centre")
    SENTENCED = "sentenced", _("Sentenced")
    TRANSFERRED = "transferred", _("Transferred")
    RELEASED = "released", _("Released")
    FORCED_LABOUR = "forced_labour", _("Forced labour")
    DOCUMENTS_CONFISCATED = "documents_confiscated", _("Travel documents confiscated")
    HOUSE_ARREST = "house_arrest", _("Under house arrest / residential surveillance")
    DISAPPEARED = "disappeared", _("Disappeared")
    DIED = "died", _("Died in custody")
    CHILD_BOARDING = "child_boarding", _("Child placed in a boarding school")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    """A person's current status, always derived from their events (registry.status)."""

    UNKNOWN = "unknown", _("Unknown")
    DETAINED = "detained", _("Detained")
    IMPRISONED = "imprisoned", _("Imprisoned")
    FORCED_LABOUR = "forced_labour", _("In forced labour")
    RESTRICTED = "restricted", _("Released, movement restricted")
    RELEASED = "released", _("Released")
    DISAPPEARED = "disappeared", _("Whereabouts unknown")
    DECEASED = "deceased", _("Deceased")


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")
    RANGE = "range", _("Range")


class Grade(models.TextChoices):
    """How well a person's case is supported, weakest first."""

    MENTIONED = "1_mentioned", _("Mentioned only")
    RELATIVE = "2_relative", _("Testimony by a relative")
    WITH_ID = "3_with_id", _("Testimony with ID shown")
    DOCUMENT = "4_document", _("Official document")


class FacilityKind(models.TextChoices):
    CAMP = "camp", _("Re-education camp")
    DETENTION = "detention", _("Detention centre")
    PRISON = "prison", _("Prison")
    LABOUR = "labour", _("Forced-labour site")
    OTHER = "other", _("Other")


class PlaceLevel(models.TextChoices):
    COUNTRY = "country", _("Country")
    REGION = "region", _("Region")
    PREFECTURE = "prefecture", _("Prefecture")
    COUNTY = "county", _("County")
    TOWNSHIP = "township", _("Township")
    VILLAGE = "village", _("Village")


class SourceKind(models.TextChoices):
    INTAKE = "intake", _("Own intake")
    WEB = "web", _("Web capture")
    REPORT = "report", _("Published report")
    LEAK = "leak", _("Leaked document set")
    SPREADSHEET = "spreadsheet", _("Imported spreadsheet")
    OTHER = "other", _("Other")


class Relationship(models.TextChoices):
    SELF = "self", _("Self")
    SPOUSE = "spouse", _("Spouse")
    PARENT = "parent", _("Parent")
    CHILD = "child", _("Child")
    SIBLING = "sibling", _("Sibling")
    GRANDPARENT = "grandparent", _("Grandparent")
    GRANDCHILD = "grandchild", _("Grandchild")
    UNCLE_AUNT = "uncle_aunt", _("Uncle / aunt")
    NEPHEW_NIECE = "nephew_niece", _("Nephew / niece")
    IN_LAW = "in_law", _("In-law")
    COUSIN = "cousin", _("Cousin")
    FRIEND = "friend", _("Friend / neighbour")
    OTHER = "other", _("Other")


class Language(models.TextChoices):
    # "language" context: Kazakh/Russian need other words for a language than for an ethnicity.
    KAZAKH = "kk", pgettext_lazy("language", "Kazakh")
    RUSSIAN = "ru", pgettext_lazy("language", "Russian")
    UYGHUR = "ug", pgettext_lazy("language", "Uyghur")
    CHINESE = "zh", pgettext_lazy("language", "Chinese")
    ENGLISH = "en", pgettext_lazy("language", "English")
    TURKISH = "tr", pgettext_lazy("language", "Turkish")
    KYRGYZ = "ky", pgettext_lazy("language", "Kyrgyz")
    OTHER = "other", pgettext_lazy("language", "Other")

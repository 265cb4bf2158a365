"""Parsing what the clerk types (forms and Excel import) and formatting for the UI and exports.

Pure functions, no Qt. Parsers raise `DureError` with a Korean message that quotes the bad
text and shows the accepted forms. Formatters write figures the way the seed report does.

Rounding: every rounding here is "half up", away from zero for negatives (5,665,500원 →
5,666천원), never Python's banker's rounding.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from .errors import DureError

WEEKDAYS = "월화수목금토일"
PYEONG_M2 = Decimal("3.3058")  # 1평 in ㎡, as the report converts areas

# Two-digit years below this are 20xx, the rest 19xx ('19.7. → 2019, '98.3. → 1998).
TWO_DIGIT_PIVOT = 70

_MONEY_FORMS = "8,000,000 · 800만원 · 8백만원 · 1억 2천만원 · 5,665천원 · 12.5백만원"
_DATE_FORMS = "2021.7.9. · 2021-07-09 · 2021/7/9 · '21.7.9. · 20210709 · 2021년 7월 9일"
_BIG_UNITS = {"조": 10**12, "억": 10**8, "만": 10**4}
_SMALL_UNITS = {"천": 1000, "백": 100, "십": 10}
_NUMBER = r"\d[\d,]*(?:\.\d+)?|\.\d+"
_MONEY_TOKEN = re.compile(rf"(?P<num>{_NUMBER})|(?P<unit>[조억만천백십])")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+")


# ---------------------------------------------------------------- parsing: money


def parse_money(text: str | float | Decimal, label: str = "금액") -> int:
    """Whole 원 from '8,000,000', '800만원', '1억 2천만원', '5,665천원', '₩1,000' (numbers pass)."""
    if isinstance(text, bool):
        raise DureError(f"{label} 값({text})을(를) 알아볼 수 없습니다. "
                        f"{_MONEY_FORMS}처럼 입력하세요.")
    if isinstance(text, (int, float, Decimal)):
        return _whole_won(Decimal(str(text)), str(text), label)
    raw = "" if text is None else str(text)
    # NFKC: full-width digits and commas typed with a Korean IME read as plain ones.
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", raw)).replace("₩", "")
    if not s:
        raise DureError(f"{label}이(가) 비어 있습니다. {_MONEY_FORMS}처럼 입력하세요.")
    if s[0] in "-−–(△▲":
        raise DureError(f"{label} '{raw.strip()}'이(가) 음수입니다. 0원 이상으로 입력하세요.")
    s = s.removesuffix("원")
    value = _korean_number(s) if s else None
    if value is None:
        raise DureError(
            f"{label} '{raw.strip()}'을(를) 알아볼 수 없습니다. {_MONEY_FORMS}처럼 입력하세요."
        )
    return _whole_won(value, raw.strip(), label)


def _whole_won(value: Decimal, shown: str, label: str) -> int:
    """Refuse negatives and fractions of a 원 (the app stores whole 원 only)."""
    if value < 0:
        raise DureError(f"{label} '{shown}'이(가) 음수입니다. 0원 이상으로 입력하세요.")
    if value != value.to_integral_value():
        raise DureError(
            f"{label} '{shown}'에 1원 미만의 소수가 있습니다. 원 단위 정수로 입력하세요."
        )
    return int(value)


def _number(token: str) -> Decimal | None:
    """A decimal number with optional correct thousands commas (1,234.5), else None."""
    if not _GROUPED.fullmatch(token):
        return None
    try:
        return Decimal(token.replace(",", ""))
    except InvalidOperation:
        return None


def _korean_number(s: str) -> Decimal | None:
    """Read '1억2천만', '3천5백만', '12.5백만', '5,665천' or plain digits; None if malformed."""
    pos = 0
    total = Decimal(0)
    group = Decimal(0)  # the value inside the current 억/만 group
    pending: Decimal | None = None
    big_rank = small_rank = 10**13  # units must come in descending order
    seen = in_group = False
    while pos < len(s):
        m = _MONEY_TOKEN.match(s, pos)
        if not m:
            return None
        pos = m.end()
        seen = True
        if m.group("num") is not None:
            if pending is not None:
                return None
            pending = _number(m.group("num"))
            if pending is None or (small_rank <= 1000 and pending >= small_rank):
                return None  # '3천5000' is a typo, not 8000
            continue
        unit = m.group("unit")
        if unit in _SMALL_UNITS:
            size = _SMALL_UNITS[unit]
            if size >= small_rank:
                return None
            group += (pending if pending is not None else 1) * size
            small_rank, pending, in_group = size, None, True
        else:
            size = _BIG_UNITS[unit]
            if size >= big_rank:
                return None
            if pending is not None:
                group += pending
            elif not in_group:
                group = Decimal(1)  # '억' alone, '만원' alone
            total += group * size
            big_rank, small_rank, group, pending = size, 10**13, Decimal(0), None
            in_group = False
    if not seen:
        return None
    return total + group + (pending or 0)


# ---------------------------------------------------------------- parsing: dates and times

_WEEKDAY_SUFFIX = re.compile(r"\(\s*([월화수목금토일])(?:요일)?\s*\)\s*$")
_TIME_OF_DAY = re.compile(r"(?<=\d)(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$")
_DATE_PATTERNS = (
    re.compile(r"(\d{4}|\d{2})\s*([.\-/])\s*(\d{1,2})\s*\2\s*(\d{1,2})\s*\.?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
    re.compile(r"(\d{4}|\d{2})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일?"),
)


def parse_date(text: str | dt.date, label: str = "날짜", *, check_weekday: bool = True) -> dt.date:
    """A date from '2021.7.9', '2021. 7. 9.(금)', '2021-07-09', '21.7.9', '20210709' and similar.

    A weekday in brackets must match the date unless `check_weekday` is False (the seed
    report itself has '2021.10.8.(화)', a Friday, so importers of old text may turn it off).
    """
    if isinstance(text, dt.datetime):
        return text.date()
    if isinstance(text, dt.date):
        return text
    raw = "" if text is None else str(text).strip()
    if not raw:
        raise DureError(f"{label}이(가) 비어 있습니다. {_DATE_FORMS}처럼 입력하세요.")
    s = unicodedata.normalize("NFKC", raw).lstrip("'‘’`")
    s = _TIME_OF_DAY.sub("", s)  # '2021-07-09 00:00:00' from a text cell
    weekday = None
    m = _WEEKDAY_SUFFIX.search(s)
    if m:
        weekday, s = m.group(1), s[: m.start()].strip()
    for pattern in _DATE_PATTERNS:
        m = pattern.fullmatch(s)
        if m:
            parts = [g for g in m.groups() if g not in ".-/"]
            break
    else:
        raise DureError(f"{label} '{raw}'을(를) 알아볼 수 없습니다. {_DATE_FORMS}처럼 입력하세요.")
    year = int(parts[0])
    if len(parts[0]) == 2:
        year += 2000 if year < TWO_DIGIT_PIVOT else 1900
    try:
        value = dt.date(year, int(parts[1]), int(parts[2]))
    except ValueError:
        raise DureError(
            f"{label} '{raw}'은(는) 달력에 없는 날짜입니다. 월(1~12)과 일을 확인하세요."
        ) from None
    if check_weekday and weekday and WEEKDAYS[value.weekday()] != weekday:
        raise DureError(
            f"{label} '{raw}'의 요일이 맞지 않습니다: {dotted(value)}은(는) "
            f"{weekday_name(value)}요일입니다. 날짜나 요일을 고치세요."
        )
    return value


_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01 after Excel's 1900 leap-year bug


def parse_excel_date(value: object, label: str = "날짜") -> dt.date | None:
    """A date from an openpyxl cell value: date/datetime, a 1900-system serial, or text.

    Empty cells (None or blank text) give None; the caller decides whether that is allowed.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not 1 <= value < 2958466:  # 9999-12-31
            raise DureError(f"{label} 칸의 숫자 {value}은(는) 날짜로 볼 수 없습니다. "
                            "날짜 형식으로 입력하세요.")
        serial = int(value)  # a time of day in the fraction is dropped
        if serial < 60:  # before Excel's phantom 1900-02-29
            return _EXCEL_EPOCH + dt.timedelta(days=serial + 1)
        if serial == 60:
            raise DureError(f"{label} 칸의 1900-02-29는 없는 날짜입니다. 날짜를 다시 입력하세요.")
        return _EXCEL_EPOCH + dt.timedelta(days=serial)
    if isinstance(value, str):
        return parse_date(value, label)
    raise DureError(f"{label} 칸의 값({value!r})을(를) 날짜로 볼 수 없습니다. "
                    f"{_DATE_FORMS}처럼 입력하세요.")


_TIME_PATTERNS = (
    re.compile(r"(\d{1,2})\s*:\s*(\d{2})(?:\s*:\s*\d{2})?"),
    re.compile(r"(\d{1,2})\s*시(?:\s*(\d{1,2})\s*분)?"),
    re.compile(r"(\d{2})(\d{2})"),
)


def parse_time(text: str | dt.time, label: str = "시각") -> dt.time:
    """A time of day from '15:00', '9:30', '15시', '15시 30분' or '1500'."""
    if isinstance(text, dt.datetime):
        return text.time()
    if isinstance(text, dt.time):
        return text
    raw = "" if text is None else str(text).strip()
    for pattern in _TIME_PATTERNS:
        m = pattern.fullmatch(unicodedata.normalize("NFKC", raw))
        if m:
            hour, minute = int(m.group(1)), int(m.group(2) or 0)
            if hour < 24 and minute < 60:
                return dt.time(hour, minute)
            raise DureError(f"{label} '{raw}'은(는) 없는 시각입니다. 0:00~23:59 사이로 입력하세요.")
    raise DureError(f"{label} '{raw}'을(를) 알아볼 수 없습니다. 15:00, 9:30, "
                    "15시 30분처럼 입력하세요.")


# ---------------------------------------------------------------- parsing: plain numbers


def _plain_number(text: object, label: str, unit: str | None, allow_negative: bool,
                  whole: bool) -> Decimal:
    """Shared reading of counts and measures: commas, spaces and an optional unit suffix."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        num: Decimal | None = Decimal(str(text))
        shown = str(text)
    else:
        shown = "" if text is None else str(text).strip()
        s = re.sub(r"\s+", "", shown)
        if unit:
            s = s.removesuffix(unit)
        negative = s[:1] in ("-", "−")
        body = s[1:] if negative else s
        num = _number(body) if body else None
        if num is not None and negative:
            num = -num
    if num is None or (whole and num != num.to_integral_value()):
        kind, example = ("정수", "14, 1,234") if whole else ("숫자", "138.62, 3.5")
        raise DureError(
            f"{label} '{shown}'을(를) {kind}로 알아볼 수 없습니다. {example}처럼 숫자만 입력하세요."
        )
    if num < 0 and not allow_negative:
        raise DureError(f"{label} '{shown}'이(가) 음수입니다. 0 이상으로 입력하세요.")
    return num


def parse_int(text: str | int, label: str = "수", *, unit: str | None = None,
              allow_negative: bool = False) -> int:
    """A whole number from '1,234' or '14' (and '14명' when `unit` is '명')."""
    return int(_plain_number(text, label, unit, allow_negative, whole=True))


def parse_float(text: str | float, label: str = "값", *, unit: str | None = None,
                allow_negative: bool = False) -> float:
    """A decimal number from '138.62', '3.5', '1,234.5' (and '138.62㎡' when `unit` is '㎡')."""
    return float(_plain_number(text, label, unit, allow_negative, whole=False))


# ---------------------------------------------------------------- formatting: money and numbers


def _round_div(n: int, d: int) -> int:
    """n / d rounded half up (away from zero), in integers so nothing is lost to floats."""
    q = (abs(n) * 2 + d) // (2 * d)
    return -q if n < 0 else q


def won(n: int) -> str:
    """8000000 → '8,000,000'."""
    return f"{n:,}"


def thousand_won(n: int) -> str:
    """원 → 천원 rounded half up: 5665000 → '5,665'."""
    return f"{_round_div(n, 1000):,}"


def million_won(n: int) -> str:
    """원 → 백만원 to one decimal, the decimal dropped when it is 0: '143.5', '903'."""
    tenths = _round_div(n, 100_000)
    sign = "-" if tenths < 0 else ""
    whole, frac = divmod(abs(tenths), 10)
    return f"{sign}{whole:,}" if frac == 0 else f"{sign}{whole:,}.{frac}"


def eok_won(n: int) -> str:
    """원 → 억 for prose: 7,600,000,000 → '76억', 450,000,000 → '4.5억' (one decimal at most)."""
    tenths = _round_div(n, 10**7)
    sign = "-" if tenths < 0 else ""
    whole, frac = divmod(abs(tenths), 10)
    return f"{sign}{whole:,}억" if frac == 0 else f"{sign}{whole:,}.{frac}억"


def count(n: int, unit: str) -> str:
    """9, '개팀' → '9개팀'; 1234, '명' → '1,234명'."""
    return f"{n:,}{unit}"


def percent(value: float, digits: int = 1) -> str:
    """4.5 → '4.5%' (trailing zeros dropped: 5.0 → '5%')."""
    text = f"{Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), 'ROUND_HALF_UP'):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"


def area(m2: float) -> str:
    """138.62 → '138.62㎡', 41 → '41㎡' (as the seed writes areas: up to two decimals)."""
    q = Decimal(str(m2)).quantize(Decimal("0.01"), "ROUND_HALF_UP")
    return f"{q:,.2f}".rstrip("0").rstrip(".") + "㎡"


def pyeong(m2: float) -> int:
    """㎡ → whole 평 (m2 / 3.3058, rounded half up): 49.5 → 15."""
    return int((Decimal(str(m2)) / PYEONG_M2).quantize(Decimal(1), "ROUND_HALF_UP"))


def pyeong_text(m2: float) -> str:
    """㎡ → '15평'."""
    return f"{pyeong(m2):,}평"


# ---------------------------------------------------------------- formatting: dates


def weekday_name(d: dt.date) -> str:
    """The one-letter Korean weekday: 금."""
    return WEEKDAYS[d.weekday()]


def report_date(d: dt.date, weekday: bool = True) -> str:
    """'2021. 7. 9.(금)', or '2021. 7. 9.' without the weekday."""
    text = f"{d.year}. {d.month}. {d.day}."
    return f"{text}({weekday_name(d)})" if weekday else text


def short_date(d: dt.date) -> str:
    """'7.9.'"""
    return f"{d.month}.{d.day}."


def dotted(d: dt.date) -> str:
    """'2019.8.15.' (used in the clerk's messages and the tenant roster)."""
    return f"{d.year}.{d.month}.{d.day}."


def yy_month(d: dt.date) -> str:
    """"'19.7." """
    return f"'{d.year % 100:02d}.{d.month}."


def yy_date(d: dt.date) -> str:
    """"'19.4.25." """
    return f"'{d.year % 100:02d}.{d.month}.{d.day}."


def year_month(d: dt.date) -> str:
    """'2018. 12.'"""
    return f"{d.year}. {d.month}."


def date_range(a: dt.date, b: dt.date, *, compact: bool = False) -> str:
    """A range as the report writes it, each end with its weekday; the year is left out.

    Rule: the end drops what it shares with the start. Same month: '5. 12.(수)~14.(금)';
    different months: '6. 30.(수)~7. 2.(금)'; different years: full dates on both ends;
    one day: '5. 12.(수)'. `compact=True` drops the spaces ('6.17.(목)~20.(일)').
    """
    sep = "" if compact else " "

    def md(d: dt.date) -> str:
        return f"{d.month}.{sep}{d.day}.({weekday_name(d)})"

    if a == b:
        return md(a)
    if a.year != b.year:
        return f"{a.year}.{sep}{md(a)}~{b.year}.{sep}{md(b)}"
    if a.month == b.month:
        return f"{md(a)}~{b.day}.({weekday_name(b)})"
    return f"{md(a)}~{md(b)}"


# ---------------------------------------------------------------- Korean particles


_CLOSERS = "'\")]」』’”"


def josa(word: str, pair: str) -> str:
    """`word` with the particle that fits its last sound: josa('종료일', '이/가') → '종료일이'.

    The one particle helper of the project (messages, reports, the trash and the importer).
    `pair` is written consonant-form/vowel-form ('이/가', '을/를', '은/는', '과/와', '으로/로').
    A word ending in a digit takes the digit's Korean reading (2층 → '2층은', 4 → '4는');
    a word ending in anything else gets both forms ('ABC이(가)'), as clerks are used to.
    Closing quotes and brackets are looked through: "'능곡역 2층'" → "'능곡역 2층'은".
    """
    with_final, without = pair.split("/")
    last = word.rstrip().rstrip(_CLOSERS)[-1:]
    if last.isdigit() and last.isascii():
        final = 0 if last in "2459" else (8 if last in "178" else 1)  # 일·칠·팔 end in ㄹ
    elif "가" <= last <= "힣":
        final = (ord(last) - 0xAC00) % 28
    else:
        return f"{word}{with_final}({without})"
    if with_final == "으로" and final == 8:  # ㄹ takes 로: 서울로
        return word + without
    return word + (with_final if final else without)


# ---------------------------------------------------------------- business registration numbers
# (here, not in db/rules/organization.py, so lists show them without loading the models)

_BRN_TYPED = re.compile(r"[0-9]{3}-?[0-9]{2}-?[0-9]{5}")
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc\ufe63"), "-")


def ascii_digits(text: str) -> str:
    """NFKC, then every Unicode decimal digit (full-width, Arabic-Indic…) as 0-9, dashes as '-'."""
    if text.isascii():  # NFKC, the dashes and the digits leave ASCII as it is
        return text
    s = unicodedata.normalize("NFKC", text).translate(_DASHES)
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in s)


def normalize_brn(text: str | None) -> str | None:
    """'123-45-67890' or ' 1234567890 ' → '1234567890'; other text comes back stripped, as is.

    Digits in any script ('１２３', '١٢٣') count as the same number (ascii_digits).
    """
    if text is None:
        return None
    s = re.sub(r"\s+", "", ascii_digits(str(text)))
    if not s:
        return None
    return s.replace("-", "") if _BRN_TYPED.fullmatch(s) else s


def brn_text(brn: str | None) -> str:
    """'1234567890' → '123-45-67890' as printed on the certificate ('' when unknown)."""
    brn = normalize_brn(brn) or ""
    return f"{brn[:3]}-{brn[3:5]}-{brn[5:]}" if re.fullmatch(r"[0-9]{10}", brn) else brn

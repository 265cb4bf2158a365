"""Item-by-item comparison of the seed report with an exported report's text.

An outside reader's check, written down: the seed (tests/fixtures/seed_report.txt, a copy of
shared/seed/000_*.txt) is cut into items, one per bullet (■ ○ - · ※ ☞ ①…), per table row
and per item of its HTML fragments, each with the period row it sits in (h1 = 상반기 추진
실적, h2 = 하반기 추진 실적, plan = 추진 계획, tail = 시민참여 … 문제점 및 개선대책). The
exported document's pdftotext is cut at the same row labels. An item holds when, in its own
period's text (whitespace ignored):

- exact: the whole item (each cell, for a table row) appears as the seed writes it, or
- facts: every figure of it (a number with its unit: '10개사', '4.13.', '13:00', '121백만원')
  and every word appear.

The seed's misprints (docs/domain.md) and its extraction artefacts ('154m ²', curly quotes)
are normalised first; `SEED_FIXES` lists each with its reason. Nothing else is forgiven.

Run `uv run python -m tests.seed_coverage REPORT.pdf` for the table of items and what misses.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

SEED = Path(__file__).parent / "fixtures" / "seed_report.txt"
PERIODS = ("h1", "h2", "plan", "tail")

# (seed text, corrected) applied to the seed before comparing; each with its reason.
SEED_FIXES: tuple[tuple[str, str, str], ...] = (
    ("곰길마켓", "꿈길마켓", "misprint (docs/domain.md)"),
    ("복건복지부", "보건복지부", "misprint (docs/domain.md)"),
    ("설립 인기", "설립 인가", "misprint: 인가 (authorisation) is what a ministry gives"),
    ("삼성", "삼송", "misprint (docs/domain.md: 삼성12단지 → 삼송12단지; the same 단지)"),
    ("30개 개업", "30개 기업", "misprint (docs/domain.md)"),
    ("143,5", "143.5", "misprint (docs/domain.md)"),
    ("2,999,5", "2,999.5", "misprint, as 143,5 (a decimal comma)"),
    ("2544.5", "2,544.5", "the seed's other figures group thousands"),
    ("새울행정시스템", "새올행정시스템", "misprint (docs/domain.md)"),
    ("영력강화", "역량강화", "misprint (docs/domain.md)"),
    ("사회적경제경제기업", "사회적경제기업", "misprint (docs/domain.md)"),
    ("사회적경제기업기업", "사회적경제기업", "misprint (docs/domain.md)"),
    ("LNH", "LH", "misprint: the provider is LH (한국토지주택공사), as everywhere else"),
    ("유희공간", "유휴공간", "misprint: 유휴공간 (idle space) is what Korail lends; 유희 is play"),
    ("함께 삼시다", "함께 삽시다", "misprint: 삽시다 (let us live)"),
    ("2021.10.8.(화)", "2021.10.8.(금)", "misprint: 2021-10-08 is a Friday (computed)"),
    ("수립(3.4) 및", "수립(3.4.) 및", "misprint: the day's period is missing"),
    ("(6.14~ 25.)", "(6.14.~ 25.)", "misprint: the day's period is missing"),
    ("2,964 (1,212)", "2,964 (1,730)", "hand-kept total: 577 + 635 + 518 = 1,730 (computed)"),
    ("308 (100)", "308 (215)", "hand-kept total: 100 + 115 = 215 (totals are computed)"),
    ("111.5 (42.2)", "111.5 (66.2)", "hand-kept total: 12.2 + 30 + 24 = 66.2 (computed)"),
    ("2,544.5 (1,069.8)", "2,544.5 (1,448.8)",
     "hand-kept total: 564.8 + 505 + 379 = 1,448.8 (totals are computed)"),
    ("m ²", "㎡", "extraction artefact of ㎡"),
    ("‘", "'", "curly quote"),
    ("’", "'", "curly quote"),
    ("“", '"', "curly quote"),
    ("”", '"', "curly quote"),
    ("**", "", "the seed's bold markers of its text extraction"),
)

# Rows the seed repeats as layout, not as items: the 구분 header and the yearly header.
_HEADER = re.compile(r"^(구 ?분\t추진실적 및 추진계획\t비고|(?:실적|지원사업|기관)\t2018년)")
# A figure: a number with what follows it up to the next space or bracket ('10개사', '4.13.').
_FIGURE = re.compile(r"\d[\d,.:~/]*(?:[가-힣%㎡]+)?")
_BULLET_SPLIT = re.compile(r"\s+(?=(?:-|·|○|■|①|②|③|④|⑤|☞)\s?\S)")
_TAG = re.compile(r"<[^>]+>")


def squash(text: str) -> str:
    """Text without whitespace, in one spelling of what is written two ways.

    Both sides go through it: curly quotes, ㈜ / 주식회사 as (주), and a range's second date
    with the month repeated ('11.18.(목)~11.21.(일)' is '11.18.(목)~21.(일)').
    """
    s = re.sub(r"\s+", "", text)
    for a, b in (("‘", "'"), ("’", "'"), ("“", '"'), ("”", '"'), ("㈜", "(주)"),
                 ("주식회사", "(주)")):
        s = s.replace(a, b)
    return re.sub(r"(\d+)\.(\d+\.(?:\([가-힣]\))?)~\1\.(?=\d)", r"\1.\2~", s)


_LEAD = re.compile(r"^(?:[-·*]\s*)+")


def _norm(text: str) -> str:
    for wrong, right, _why in SEED_FIXES:
        text = text.replace(wrong, right)
    return text


@dataclass
class Item:
    """One item of the seed: its period row, its line number and its cells."""

    period: str
    line: int
    cells: list[str]

    @property
    def text(self) -> str:
        return " | ".join(self.cells)


@dataclass
class Result:
    item: Item
    status: str  # 'exact', 'facts' or 'missing'
    missing: list[str] = field(default_factory=list)


def _pieces(html: str) -> list[str]:
    """The items of one HTML fragment: its paragraphs and bullets."""
    html = re.sub(r"<table.*?</table>", " ", html, flags=re.S)
    out = []
    for block in re.split(r"</?(?:p|ul|ol|li)[^>]*>", html):
        block = _TAG.sub("", block).strip()
        if not block:
            continue
        out += [p.strip() for p in _BULLET_SPLIT.split(block) if p.strip()]
    return out


def seed_items(path: Path = SEED) -> list[Item]:
    """Every item of the seed, in its order, with its period row."""
    items: list[Item] = []
    period = "h1"
    seen: set[tuple[str, str]] = set()
    lines = path.read_text(encoding="utf-8").splitlines()
    for no, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line:
            continue
        if "하반기 추진 실적" in line and "<p>" in line:
            period = "h2"
        elif line == "2022년":
            period = "plan"
            continue
        elif line.startswith("□ 시민참여"):
            period = "tail"
        if _HEADER.match(line) or line in ("상반기", "(단위 : 회)", "(단위 : 백만원)"):
            continue
        found: list[list[str]] = []
        if "<" in line:
            cells = line.split("\t")
            first = next(i for i, c in enumerate(cells) if "<" in c)
            for cell in cells[first:]:
                if "<" not in cell:
                    break  # the 비고 column repeats the fragment's table
                for piece in _pieces(cell):
                    if re.fullmatch(r"(하반기 추진 실적|추진 계획) \(.*\)", piece):
                        continue
                    found.append([piece])
        elif "\t" in line:
            found.append([c.strip() for c in line.split("\t") if c.strip()])
        else:
            found.append([line])
        for cells in found:
            cells = [_norm(c) for c in cells]
            cells = [c for c in cells if squash(c)]
            key = (period, " | ".join(cells))
            if not cells or key in seen:
                continue
            seen.add(key)
            items.append(Item(period, no, cells))
    return items


def period_texts(text: str) -> dict[str, str]:
    """The exported document's text cut at its row labels (whitespace removed)."""
    s = squash(text)
    marks = {"h2": s.find("하반기추진실적(2021.7.~12.실적)"),
             "plan": s.find("추진계획(향후추진계획)"),
             "tail": s.find("□시민참여(소통)실적")}
    cuts = [0, marks["h2"], marks["plan"], marks["tail"], len(s)]
    if min(cuts) < 0:
        missing = [k for k, v in marks.items() if v < 0]
        raise ValueError(f"row labels not in the text: {missing}")
    return {p: s[cuts[i]:cuts[i + 1]] for i, p in enumerate(PERIODS)}


def _words(cell: str) -> list[str]:
    """The words of a cell without figures (a figure is checked as one)."""
    out = []
    for w in cell.split():
        w = w.strip("()[],.:·-*※☞ ")
        if w and not re.search(r"\d", w):
            out.append(w)
    return out


def figures(cell: str) -> list[str]:
    """The figures of a cell: numbers with their unit, dates and times ('10개사', '4.13.')."""
    return [m.group(0).rstrip(",~/") for w in cell.split() for m in _FIGURE.finditer(w)]


def check(item: Item, text: str) -> Result:
    misses: list[str] = []
    exact = True
    for cell in item.cells:
        if squash(_LEAD.sub("", cell)) in text:
            continue
        exact = False
        misses += [x for x in figures(cell) + _words(cell) if squash(x) not in text]
    if exact:
        return Result(item, "exact")
    return Result(item, "missing" if misses else "facts", misses)


def compare(text: str, items: list[Item] | None = None) -> list[Result]:
    parts = period_texts(text)
    return [check(i, parts[i.period]) for i in (items or seed_items())]


def pdftotext(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True,
                         check=True)
    return out.stdout


def main(argv: list[str]) -> int:
    results = compare(pdftotext(Path(argv[0])))
    counts = {k: sum(r.status == k for r in results) for k in ("exact", "facts", "missing")}
    for r in results:
        if r.status != "exact" or "-v" in argv:
            extra = f"  MISSING {r.missing}" if r.missing else ""
            print(f"{r.status:7} {r.item.period:4} L{r.item.line:<4} {r.item.text[:110]}{extra}")
    held = counts["exact"] + counts["facts"]
    print(f"{len(results)} items: {counts['exact']} exact, {counts['facts']} facts only, "
          f"{counts['missing']} missing; {held} / {len(results)} hold")
    return 0 if counts["missing"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Spreadsheets as streams of rows: CSV in whatever encoding a laptop saved it, and XLSX.

A Table has its header (one row, or two when the first holds merged cells spanning the second),
and yields data rows one at a time with their row number as the user sees it in a spreadsheet
program, so a 50 MB file is never held in memory. A cell is text, or a CellError when the file
itself cannot give a value (a formula saved without its result).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

SAMPLE = 256 * 1024
DELIMITERS = (",", ";", "\t", "|")
# Legacy encodings of Kazakh/Russian and Western laptops, most likely first.
LEGACY = ("cp1251", "cp1252", "kz1048", "koi8_r", "cp866", "mac_cyrillic")
CSV_SUFFIXES = {".csv", ".tsv", ".txt"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
csv.field_size_limit(10 * 1024 * 1024)


class ReadError(Exception):
    """The file as a whole cannot be read (not a spreadsheet, undecodable, no header)."""


@dataclass(frozen=True)
class CellError:
    """A cell whose value the file does not hold; `reason` says what to do."""

    raw: str
    reason: str

    def __str__(self) -> str:
        return self.raw


@dataclass
class Table:
    path: Path
    kind: str  # "csv" | "xlsx"
    headers: list[str]
    header_rows: int
    encoding: str = ""
    delimiter: str = ""
    sheet: str = ""
    notes: list[str] = field(default_factory=list)
    _rows: Iterator[tuple[int, list]] | None = None
    _progress: object = None

    def rows(self) -> Iterator[tuple[int, list]]:
        """(row number in the file, cells) for every data row, empty rows included."""
        assert self._rows is not None, "rows() can be read once"
        rows, self._rows = self._rows, None
        return rows

    def fraction_read(self) -> float:
        """How far through the file the reader is, 0..1 (for the progress bar)."""
        return self._progress() if self._progress else 0.0


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: how spreadsheet programs name columns."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def open_table(path: Path, *, encoding: str | None = None, delimiter: str | None = None) -> Table:
    path = Path(path)
    if not path.is_file():
        raise ReadError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES or (suffix not in CSV_SUFFIXES and zipfile.is_zipfile(path)):
        return _open_xlsx(path)
    if suffix == ".xls":
        raise ReadError(f"{path.name}: old Excel .xls files are not read; save it as .xlsx or CSV")
    return _open_csv(path, encoding, delimiter)


# --- CSV ---------------------------------------------------------------------------------------


def detect_encoding(sample: bytes, complete: bool = False) -> str:
    """Byte-order mark, then strict UTF-8, then UTF-16 without a mark, then the legacy code pages.

    `complete` says the sample is the whole file (so a multi-byte character cut at its end is an
    error, not the sample's edge).
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=complete)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    even, odd = sample[0::2], sample[1::2]
    if sample and odd.count(0) > len(odd) * 0.3 and even.count(0) < len(even) * 0.05:
        return "utf-16-le"
    if sample and even.count(0) > len(even) * 0.3 and odd.count(0) < len(odd) * 0.05:
        return "utf-16-be"
    from charset_normalizer import from_bytes

    best = from_bytes(sample[:64 * 1024], cp_isolation=list(LEGACY)).best()
    if best is not None:
        found = codecs.lookup(best.encoding).name
        # Plain Russian decodes the same in cp1251 and its Kazakh variant: prefer the common one.
        if found != "cp1251" and _same_text(sample, found, "cp1251"):
            return "cp1251"
        return found
    return "cp1251"


def _same_text(sample: bytes, a: str, b: str) -> bool:
    try:
        return sample.decode(a) == sample.decode(b)
    except UnicodeDecodeError:
        return False


def sniff_delimiter(lines: list[str]) -> str:
    """The separator that splits the first lines into the same number (>1) of columns."""
    best, best_score = ",", -1.0
    lines = [ln for ln in lines if ln.strip()][:30]
    for d in DELIMITERS:
        counts = [len(r) for r in csv.reader(lines, delimiter=d)]
        if not counts or max(counts) < 2:
            continue
        mode = max(set(counts), key=counts.count)
        score = counts.count(mode) / len(counts) * 10 + min(mode, 30) / 30
        if mode > 1 and score > best_score:
            best, best_score = d, score
    return best


class _CountingReader(io.RawIOBase):
    """Counts bytes read, so the progress bar knows how far through the file the reader is."""

    def __init__(self, fh):
        self.fh, self.done = fh, 0

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        n = self.fh.readinto(b)
        self.done += n or 0
        return n


def _open_csv(path: Path, encoding: str | None, delimiter: str | None) -> Table:
    size = path.stat().st_size
    with open(path, "rb") as fh:
        sample = fh.read(SAMPLE)
    if not sample.strip():
        raise ReadError(f"{path.name}: the file is empty")
    try:
        encoding = encoding or detect_encoding(sample, complete=size <= SAMPLE)
        codecs.lookup(encoding)
    except LookupError:
        raise ReadError(f"{path.name}: unknown encoding {encoding!r}") from None
    text_sample = sample.decode(encoding, errors="replace")
    if size > SAMPLE:
        text_sample = text_sample.rsplit("\n", 1)[0]
    delimiter = delimiter or sniff_delimiter(text_sample.splitlines()[:30])

    raw = open(path, "rb")  # noqa: SIM115 - closed by the generator
    counter = _CountingReader(raw)
    text = io.TextIOWrapper(io.BufferedReader(counter, 1024 * 1024), encoding=encoding, errors="strict", newline="")
    reader = csv.reader(text, delimiter=delimiter)

    def first_row() -> tuple[int, list[str]]:
        n = 0
        for row in reader:
            n += 1
            if any(c.strip() for c in row):
                return n, row
        raise ReadError(f"{path.name}: no header row (the file holds no text)")

    try:
        header_at, header = first_row()
    except UnicodeDecodeError as exc:
        raw.close()
        raise ReadError(f"{path.name}: not valid {encoding} near the start ({exc.reason})") from None
    header = [h.strip() for h in header]
    if header and header[0].startswith("\ufeff"):
        header[0] = header[0][1:]

    def rows() -> Iterator[tuple[int, list]]:
        n = header_at
        try:
            for row in reader:
                n += 1
                yield n, row
        except UnicodeDecodeError as exc:
            raise ReadError(f"{path.name}: row {n + 1} is not valid {encoding} ({exc.reason}); "
                            "save the file as UTF-8 or give --encoding") from None
        except csv.Error as exc:
            raise ReadError(f"{path.name}: row {n + 1}: {exc}") from None
        finally:
            raw.close()

    name = {"utf-8-sig": "UTF-8 with BOM", "utf-16": "UTF-16", "utf-16-le": "UTF-16 LE",
            "utf-16-be": "UTF-16 BE"}.get(encoding, encoding)
    return Table(path, "csv", header, header_at, encoding=name, delimiter=delimiter, _rows=rows(),
                 _progress=lambda: counter.done / size if size else 1.0)


# --- XLSX --------------------------------------------------------------------------------------


def cell_text(value) -> str:
    """A cell's value as the text a person would read in it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


def _merged_ranges(path: Path, sheet_xml: str) -> list[tuple[int, int, int, int]]:
    """Merged ranges (first col, first row, last col, last row; 0-based cols, 1-based rows).

    openpyxl's read-only sheets do not expose them, and they sit after all the data in the
    sheet's XML: scan the compressed stream once rather than load the workbook whole.
    """
    out = []
    with zipfile.ZipFile(path) as zf, zf.open(sheet_xml) as fh:
        tail = b""
        while chunk := fh.read(1024 * 1024):
            buf = tail + chunk
            for m in _MERGE.finditer(buf):
                out.append((_col_index(m[1].decode()), int(m[2]), _col_index(m[3].decode()), int(m[4])))
            tail = buf[-200:] if not _MERGE.search(buf[-200:]) else b""
    return sorted(set(out))


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _sheet_xml(path: Path, index: int = 0) -> str:
    with zipfile.ZipFile(path) as zf:
        names = sorted(n for n in zf.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n))
    names.sort(key=lambda n: int(re.search(r"(\d+)", n.rsplit("/", 1)[1])[1]))
    return names[index] if names else ""


def _looks_like_header(cells: list[str]) -> bool:
    from aigaq.registry.dates import DateError, parse_fuzzy_date

    filled = [c for c in cells if c]
    if not filled:
        return False
    for c in filled:
        if re.fullmatch(r"[\d.,\s/-]+", c):
            return False
        try:
            parse_fuzzy_date(c)
            return False
        except DateError:
            pass
    return True


def _open_xlsx(path: Path) -> Table:
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - a dependency, but say so if it is missing
        raise ReadError("reading .xlsx needs openpyxl (pip install openpyxl)") from None
    try:
        values_wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        formulas_wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ReadError(f"{path.name}: not a readable .xlsx file ({exc})") from None
    ws, wf = values_wb.worksheets[0], formulas_wb.worksheets[0]
    total = ws.max_row or 0
    # data_only gives the value Excel saved with each formula; a formula without one (written by
    # a script, never opened in a spreadsheet program) gives None there and "=..." in the other.
    pairs = zip(ws.iter_rows(values_only=True), wf.iter_rows(values_only=True), strict=False)
    state = {"n": 0}

    def cells(vals, forms) -> list:
        out = []
        for i, v in enumerate(vals):
            f = forms[i] if forms is not None and i < len(forms) else None
            if v is None and isinstance(f, str) and f.startswith("="):
                out.append(CellError(f, "a formula whose result was not saved in the file: open the file "
                                        "in a spreadsheet program and save it, or type the value"))
            else:
                out.append(cell_text(v))
        return out

    numbered = ((n, cells(v, f)) for n, (v, f) in enumerate(pairs, 1))
    header_at, header = 0, []
    for n, row in numbered:
        if any(str(c) for c in row):
            header_at, header = n, [str(c) for c in row]
            break
    if not header_at:
        values_wb.close()
        formulas_wb.close()
        raise ReadError(f"{path.name}: the first sheet is empty")
    header_rows = 1
    pending: list[tuple[int, list]] = []
    # Merged cells in the header row (across columns, or down into the next row) mean the next
    # row holds the sub-headings.
    merged = [m for m in _merged_ranges(path, _sheet_xml(path)) if m[1] == header_at and m[3] <= header_at + 1]
    nxt = next(numbered, None)
    if nxt is not None:
        second = [str(c) for c in nxt[1]]
        if merged and _looks_like_header(second):
            header = _combine(header, second, merged)
            header_rows = 2
        else:
            pending.append(nxt)
    notes = ["two header rows (merged cells above) combined"] if header_rows == 2 else []

    def rows() -> Iterator[tuple[int, list]]:
        try:
            for n, row in pending:
                state["n"] = n
                yield n, row
            for n, row in numbered:
                state["n"] = n
                yield n, row
        finally:
            values_wb.close()
            formulas_wb.close()

    return Table(path, "xlsx", [h.strip() for h in header], header_at + header_rows - 1, sheet=ws.title,
                 notes=notes, _rows=rows(), _progress=lambda: state["n"] / total if total else 1.0)


def _combine(top: list[str], sub: list[str], merged: list[tuple[int, int, int, int]]) -> list[str]:
    """'Detention' merged over 'Date' and 'Place' -> 'Detention / Date', 'Detention / Place'."""
    width = max(len(top), len(sub))
    top = top + [""] * (width - len(top))
    sub = sub + [""] * (width - len(sub))
    filled = list(top)
    for c1, _r1, c2, _r2 in merged:
        for c in range(c1 + 1, min(c2, width - 1) + 1):
            filled[c] = top[c1]
    out = []
    for t, s in zip(filled, sub, strict=True):
        t, s = t.strip(), s.strip()
        out.append(f"{t} / {s}" if t and s and t != s else (s or t))
    return out

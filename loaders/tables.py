"""Reading the CSV files users give us: UTF-8, a header, rows with their physical line numbers.

Every loader reads its files through :func:`read_table`, which never guesses: a file
that is empty, not UTF-8, or whose rows do not have the header's number of fields is
reported with the file, the 1-based physical line (the header of a plain CSV is line 1)
and what is wrong. Row-level problems are collected in a :class:`ProblemLog` rather
than raised, so that the whole input is validated before anything is written; then
:meth:`ProblemLog.settle` either refuses the load (the default) or, with
``--skip-invalid``, writes the rejected rows with their reasons to
``<name>.rejected.csv`` beside each input ``<name>.csv``.

Speed: a file without any ``"`` is parsed by pandas' C reader (one record per line,
so line numbers are exact); a file with quotes, where a record may span lines, goes
through :mod:`csv`, which tracks where each record starts.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from powerconnect.engine.errors import InvalidInput

__all__ = [
    "Problem",
    "ProblemLog",
    "Table",
    "check_property_names",
    "read_table",
    "rejects_path",
]

#: What a column must look like to become a property name (and so a Cypher map key).
PROPERTY_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_NOT_UTF8 = re.compile("[\udc80-\udcff]")  # what surrogateescape makes of undecodable bytes
#: Whitespace next to a separator or a line end: only then do values need stripping,
#: which costs about 0.4 s per million values. (Plain substring tests: a regex takes 0.5 s
#: on a 25 MB file.)
_PADDING = (" ,", ", ", "\t", "\n ", " \n", " \r", "\xa0", "\u3000", "\f", "\v")


def _padded(body: str) -> bool:
    return any(p in body for p in _PADDING) or body[:1].isspace() or body[-1:] == " "


@dataclass(frozen=True)
class Problem:
    """One rejected row (or record) of an input file."""

    file: Path
    line: int | None
    reason: str
    values: tuple[str, ...] = ()

    def error(self) -> InvalidInput:
        return InvalidInput(str(self.file), self.line, self.reason)


@dataclass
class Table:
    """The rows of a CSV file as columns of strings, with the line each row starts on."""

    path: Path
    header: list[str]
    header_line: int
    columns: dict[str, np.ndarray]  # object arrays of str, one per header name
    lines: np.ndarray  # int64: physical (1-based) line where each row starts
    padded: bool = True  # whether some value may have surrounding whitespace

    def __len__(self) -> int:
        return len(self.lines)

    def require(self, names: Sequence[str]) -> None:
        """Raise :class:`InvalidInput` (at the header line) if a column is missing."""
        missing = [n for n in names if n not in self.columns]
        if missing:
            which = ", ".join(repr(n) for n in missing)
            noun = "column" if len(missing) == 1 else "columns"
            reason = f"missing {noun} {which} (the header has: {', '.join(self.header)})"
            if len(self.header) == 1:
                sep = next((c for c in (";", "\t", "|") if c in self.header[0]), None)
                if sep is not None:
                    shown = "tab" if sep == "\t" else repr(sep)
                    reason += (
                        f"; the columns seem separated by {shown}: save the file with commas (CSV)"
                    )
            raise InvalidInput(str(self.path), self.header_line, reason)

    def column(self, name: str, *, strip: bool = True) -> np.ndarray:
        values = self.columns[name]
        if strip and self.padded and len(values):
            return pd.Series(values, dtype=object).str.strip().to_numpy(dtype=object)
        return values

    def values(self, i: int) -> tuple[str, ...]:
        return tuple(str(self.columns[h][i]) for h in self.header)

    def take(self, keep: np.ndarray) -> Table:
        """The rows where ``keep`` (a boolean mask) is true."""
        return Table(
            path=self.path,
            header=self.header,
            header_line=self.header_line,
            columns={h: c[keep] for h, c in self.columns.items()},
            lines=self.lines[keep],
            padded=self.padded,
        )


@dataclass
class ProblemLog:
    """Row problems found while reading the input, kept until the load is settled."""

    problems: list[Problem] = field(default_factory=list)
    headers: dict[Path, list[str]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.problems)

    def add(self, table: Table, rows: Iterable[int], reason: str | Callable[[int], str]) -> None:
        """Reject rows ``rows`` (indices into ``table``) for ``reason`` (or ``reason(i)``)."""
        self.headers.setdefault(table.path, table.header)
        for i in rows:
            text = reason(i) if callable(reason) else reason
            self.problems.append(Problem(table.path, int(table.lines[i]), text, table.values(i)))

    def add_problem(self, problem: Problem, header: list[str] | None = None) -> None:
        if header is not None:
            self.headers.setdefault(problem.file, header)
        self.problems.append(problem)

    def settle(self, skip_invalid: bool) -> list[Path]:
        """Refuse the load (raise the first problem) or write the rejects files.

        Returns the rejects files written (none when nothing was rejected).
        """
        if not self.problems:
            return []
        ordered = sorted(self.problems, key=self._order)
        if not skip_invalid:
            first = ordered[0]
            more = len(ordered) - 1
            reason = first.reason
            if more:
                reason += (
                    f" (and {more} more problem{'s' if more > 1 else ''}; --skip-invalid "
                    "loads the good rows and writes the rejected ones, with reasons, "
                    "beside the input)"
                )
            raise InvalidInput(str(first.file), first.line, reason)
        written: list[Path] = []
        by_file: dict[Path, list[Problem]] = {}
        for p in ordered:
            by_file.setdefault(p.file, []).append(p)
        for file, problems in by_file.items():
            out = rejects_path(file)
            header = self.headers.get(file, [])
            with out.open("w", encoding="utf-8", newline="") as fh:
                writer = csv.writer(fh, lineterminator="\n")
                writer.writerow(["line", "reason", *header])
                for p in problems:
                    values = list(p.values) + [""] * (len(header) - len(p.values))
                    writer.writerow(["" if p.line is None else p.line, p.reason, *values])
            written.append(out)
        return written

    def _order(self, p: Problem) -> tuple[int, int]:
        files = list(dict.fromkeys(q.file for q in self.problems))
        return files.index(p.file), p.line or 0


def rejects_path(path: Path) -> Path:
    """Where the rejected rows of ``path`` go: ``ties.csv`` -> ``ties.rejected.csv``."""
    return path.with_name(f"{path.stem}.rejected.csv")


def check_property_names(
    table: Table,
    names: Iterable[str],
    reserved: Iterable[str] = (),
    reserved_prefixes: tuple[str, ...] = (),
) -> None:
    """Columns that become properties must be plain names, and not ones the model owns
    (``reserved``, or starting with one of ``reserved_prefixes``)."""
    taken = set(reserved)
    for name in names:
        if name in taken or name.startswith(reserved_prefixes):
            raise InvalidInput(
                str(table.path),
                table.header_line,
                f"column {name!r} cannot be loaded as a property: powerconnect sets it itself",
            )
        if not PROPERTY_NAME.match(name):
            raise InvalidInput(
                str(table.path),
                table.header_line,
                f"column {name!r} is not a usable property name: use letters, digits and _, "
                "not starting with a digit",
            )


# ------------------------------------------------------------------------ reading
def read_table(
    path: Path,
    problems: ProblemLog,
    *,
    find_header: Callable[[list[str]], int | None] | None = None,
    allow_no_rows: bool = False,
) -> Table:
    """Read ``path`` as UTF-8 CSV with a header.

    ``find_header`` gets the file's lines and returns the 0-based index of the header
    line (for exports with a preamble); by default the header is the first line.
    Whole-file problems raise :class:`InvalidInput`; rows that cannot be read (wrong
    number of fields, bytes that are not UTF-8) go to ``problems`` and are left out.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(str(path), None, f"cannot read the file: {exc.strerror}") from exc
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data.strip():
        raise InvalidInput(str(path), None, "the file is empty")
    try:
        text = data.decode("utf-8")
        bad_utf8 = False
    except UnicodeDecodeError:
        text = data.decode("utf-8", "surrogateescape")
        bad_utf8 = True
    if "\r" in text and "\n" not in text:
        text = text.replace("\r", "\n")  # line ends of a carriage return alone (old Macs)
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        # one form per letter: "é" as one code point or as "e" + U+0301 is the same id
        text = unicodedata.normalize("NFC", text)

    header_index = 0
    if find_header is not None:
        found = find_header(text.split("\n", 200)[:200])
        if found is None:
            raise InvalidInput(str(path), None, "no header line found")
        header_index = found
    start = 0
    for _ in range(header_index):
        start = text.index("\n", start) + 1
    body_from_header = text[start:]
    header_line = header_index + 1

    first_line = body_from_header.split("\n", 1)[0]
    if _NOT_UTF8.search(first_line):
        raise _not_utf8(path, header_line, first_line)
    if first_line.count('"') % 2:
        raise InvalidInput(
            str(path),
            header_line,
            "a quoted column name in the header runs over a line break: "
            "each column name must be on the header line",
        )
    try:
        header = [h.strip() for h in next(csv.reader([first_line.rstrip("\r")]))]
    except StopIteration:
        header = []
    _check_header(path, header_line, header)

    after_header = body_from_header[len(first_line) + 1 :] if "\n" in body_from_header else ""
    if (
        '"' not in body_from_header
        and "\r" not in after_header.replace("\r\n", "")
        and "\x00" not in body_from_header  # pandas' C reader would read NUL as a space
    ):
        table = _read_fast(path, header, header_line, body_from_header, after_header, problems)
    else:
        table = None
    if table is None:
        table = _read_csv(path, header, header_line, body_from_header, problems)

    if bad_utf8 and len(table):
        bad = _containing(table, _NOT_UTF8)
        if bad.any():
            for i in np.flatnonzero(bad):
                raw = next(v for v in table.values(int(i)) if _NOT_UTF8.search(v))
                problems.add_problem(
                    _not_utf8_problem(path, int(table.lines[i]), raw, table.values(int(i))),
                    header,
                )
            table = table.take(~bad)
    if "\x00" in body_from_header and len(table):
        # a NUL byte is invisible in most tools and ends strings in others
        nul = _containing(table, "\x00")
        read = table
        if nul.any():
            problems.add(
                read,
                np.flatnonzero(nul),
                lambda i: (
                    "a NUL byte (\\x00) in column "
                    + repr(next(h for h in header if "\x00" in read.columns[h][i]))
                ),
            )
            table = table.take(~nul)
    if not len(table) and not allow_no_rows and not _had_rows(problems, path):
        raise InvalidInput(str(path), None, "the file has a header but no rows")
    return table


def _containing(table: Table, pattern: str | re.Pattern[str]) -> np.ndarray:
    """Which rows have ``pattern`` (a regex, or a plain string) in some value."""
    found = np.zeros(len(table), dtype=bool)
    for h in table.header:
        values = pd.Series(table.columns[h], dtype=object)
        if isinstance(pattern, str):
            found |= values.str.contains(pattern, regex=False).to_numpy(dtype=bool)
        else:
            found |= values.str.contains(pattern).to_numpy(dtype=bool)
    return found


def _had_rows(problems: ProblemLog, path: Path) -> bool:
    return any(p.file == path for p in problems.problems)


def _check_header(path: Path, line: int, header: list[str]) -> None:
    if not any(header):
        raise InvalidInput(str(path), line, "the header line is empty")
    seen: set[str] = set()
    for k, name in enumerate(header, start=1):
        if not name:
            raise InvalidInput(str(path), line, f"column {k} of the header has no name")
        if name in seen:
            raise InvalidInput(str(path), line, f"column {name!r} appears twice in the header")
        seen.add(name)


def _not_utf8(path: Path, line: int, raw: str) -> InvalidInput:
    p = _not_utf8_problem(path, line, raw, ())
    return InvalidInput(str(path), p.line, p.reason)


def _not_utf8_problem(path: Path, line: int, raw: str, values: tuple[str, ...]) -> Problem:
    m = _NOT_UTF8.search(raw)
    byte = ord(m.group()) - 0xDC00 if m else 0
    clean = tuple(_NOT_UTF8.sub("\ufffd", v) for v in values)
    return Problem(
        path,
        line,
        f"bytes that are not UTF-8 (0x{byte:02X}); save the file as UTF-8",
        clean,
    )


def _read_fast(
    path: Path,
    header: list[str],
    header_line: int,
    from_header: str,
    body: str,
    problems: ProblemLog,
) -> Table | None:
    """pandas' C reader, for files without quotes (one record per physical line)."""
    n = len(header)
    if not body.strip():
        return _empty(path, header, header_line)
    try:
        df = pd.read_csv(
            io.StringIO(from_header.replace("\r\n", "\n")),
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            engine="c",
        )
    except (pd.errors.ParserError, ValueError):
        return None  # the csv path reports exactly which record is wrong
    if len(df.columns) != n:
        return None
    lines = header_line + 1 + np.arange(len(df), dtype=np.int64)
    keep = np.ones(len(df), dtype=bool)
    # pandas pads short rows with "", so count the fields ourselves when the commas
    # do not add up (blank lines, short rows).
    if body.count(",") != (n - 1) * len(df):
        raw_lines = body.replace("\r\n", "\n").split("\n")
        for i in range(len(df)):
            raw = raw_lines[i] if i < len(raw_lines) else ""
            if not raw.strip():
                keep[i] = False  # blank line
            elif raw.count(",") != n - 1:
                keep[i] = False
                values = tuple(raw.split(","))
                problems.add_problem(
                    Problem(path, int(lines[i]), _field_count(len(values), n), values), header
                )
    # by position: pandas keeps the header's spaces ("id, name"), `header` is stripped
    columns = {h: df.iloc[:, k].to_numpy(dtype=object) for k, h in enumerate(header)}
    padded = _padded(body)
    table = Table(path, header, header_line, columns, lines, padded)
    return table if keep.all() else table.take(keep)


def _read_csv(
    path: Path, header: list[str], header_line: int, from_header: str, problems: ProblemLog
) -> Table:
    """The :mod:`csv` module, which knows where a quoted multi-line record starts."""
    n = len(header)
    csv.field_size_limit(max(csv.field_size_limit(), 1 << 28))
    reader = csv.reader(io.StringIO(from_header, newline=""))
    rows: list[list[str]] = []
    lines: list[int] = []
    begin = 1
    try:
        next(reader)
        end = reader.line_num
        for record in reader:
            begin, end = end + 1, reader.line_num
            line = header_line - 1 + begin
            if not record or (len(record) == 1 and not record[0].strip() and n > 1):
                continue  # blank line
            if end > begin and len(record) == n and (swallowed := _swallowed_row(record, n)):
                problems.add_problem(
                    Problem(
                        path,
                        line,
                        f"the quoted value that opens on this line runs over {end - begin + 1} "
                        f"lines, and its line {swallowed!r} looks like a row of its own: "
                        "is a closing quote missing?",
                        tuple(record),
                    ),
                    header,
                )
                continue
            if len(record) != n:
                problems.add_problem(
                    Problem(path, line, _field_count(len(record), n), tuple(record)), header
                )
                continue
            rows.append(record)
            lines.append(line)
    except csv.Error as exc:
        raise InvalidInput(
            str(path), header_line + reader.line_num - 1, f"not readable as CSV: {exc}"
        ) from exc
    if reader.line_num > begin and _quote_left_open(from_header, begin):
        raise InvalidInput(
            str(path),
            header_line - 1 + begin,
            f'a quote (") opens on this line and is never closed: the rest of the file '
            f"({reader.line_num - begin + 1} lines) would be one value",
        )
    if not rows:
        return _empty(path, header, header_line)
    cols = list(zip(*rows, strict=True))
    columns = {h: np.array(cols[k], dtype=object) for k, h in enumerate(header)}
    return Table(path, header, header_line, columns, np.array(lines, dtype=np.int64))


def _quote_left_open(text: str, begin: int) -> bool:
    """Whether the record starting on line ``begin`` of ``text`` (the last one, running to the
    end of the file) has a quote that is never closed: an odd number of ``"`` in it, since a
    closed quoted value has an even number (the two around it and each doubled one)."""
    start = sum(len(line) for line in itertools.islice(io.StringIO(text, newline=""), begin - 1))
    return text.count('"', start) % 2 == 1


def _swallowed_row(record: list[str], n: int) -> str | None:
    """A line inside a multi-line value of ``record`` that has the header's ``n - 1`` commas
    and no quote: most likely a row that an unclosed quote took in (None if there is none)."""
    for value in record:
        for inner in value.splitlines()[1:]:
            if n > 1 and inner.count(",") == n - 1 and '"' not in inner:
                return inner
    return None


def _empty(path: Path, header: list[str], header_line: int) -> Table:
    return Table(
        path,
        header,
        header_line,
        {h: np.array([], dtype=object) for h in header},
        np.array([], dtype=np.int64),
    )


def _field_count(got: int, want: int) -> str:
    return f"{got} field{'s' if got != 1 else ''}, but the header has {want}"

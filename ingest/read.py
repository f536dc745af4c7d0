"""Read policy files into text: plain text in UTF-8 or GB18030/GBK, HTML, DOCX and PDF.

Encodings are detected, never guessed silently: text that decodes cleanly in none of the
supported encodings raises :class:`~core.errors.BadInputError` naming the file.

>>> SUPPORTED_EXTENSIONS
('.txt', '.md', '.html', '.htm', '.docx', '.pdf')
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterable

from core.errors import BadInputError, NotFoundError
from ingest.formats import document_extensions, format_of, ingestible, load_reader

#: File extensions :func:`read_file` understands (lower case), from the format table ``ingest.formats``.
SUPPORTED_EXTENSIONS: tuple[str, ...] = document_extensions()

#: Largest file :func:`read_file` accepts, in bytes (a policy document is far smaller).
MAX_FILE_BYTES = 50 * 1024 * 1024

#: Most characters of text one document may have once read. Measured (bench/bench_bounds.py,
#: loaded machine): a file of 第N条 articles of 250,000 characters ingests in 18 s at 284 MB peak,
#: of 1,000,000 characters in 60 s at 688 MB (linear); larger ones are refused up front, alone,
#: with a message. The largest law in the reference corpus is ~10 times smaller. It also keeps
#: every literal far below the graph store's 16 MiB limit for one term.
MAX_DOCUMENT_CHARS = 1_000_000

#: Caps for zip-based formats (.docx, .xlsx), checked from the zip directory before any member
#: is unpacked: total unpacked size, and the unpack ratio of any member over 1 MB.
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
MAX_ZIP_RATIO = 100

#: Runs longer than these are cut by a line break before parsing (segmenters and pattern
#: scans are linear per run only when runs are bounded). The reference corpus has no run of one
#: repeated non-space character over 16, nor a run without space or punctuation over 505 (a URL).
MAX_REPEAT_RUN = 64
MAX_PLAIN_RUN = 1000

# Share of non-ASCII characters that must be CJK (ideographs, CJK punctuation, full-width
# forms) for a GB18030 decoding to count as clean; latin-1 bytes that happen to pair up
# into valid GB18030 codes decode to rare characters and fail this check.
_MIN_CJK_SHARE = 0.9
_CJK_RE = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef\u2000-\u206f\u3400-\u4dbf\u00b7\u00d7\u2460-\u24ff]")
_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")


@dataclass(slots=True)
class RawText:
    """Text read from one file, before cleaning."""

    text: str
    encoding: str  # "utf-8", "utf-8-sig", "utf-16", "utf-32", "gb18030", or "docx" / "pdf" for binary formats
    sha1: str  # hex digest of the raw file bytes
    format: str  # "text" | "markdown" | "html" | "docx" | "pdf"
    path: str  # the path as given


def display_path(path: Path | str) -> str:
    """A path as text that can always be printed and stored (UTF-8 and JSON).

    A file name that is not UTF-8 (Python holds its bytes as surrogates) is decoded as GB18030 when
    it is valid GB18030 (names from Windows zips), else its bad bytes are shown as ``\\xNN``.
    The path itself is kept for opening the file.

    >>> display_path(os.fsdecode("国务院通知".encode("gbk") + b".txt"))
    '国务院通知.txt'
    >>> display_path(os.fsdecode(b"a\\xff.txt"))
    'a\\\\xff.txt'
    """
    text = str(path)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        raw = os.fsencode(text)
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("utf-8", "backslashreplace")


def _fail(path: Path, problem: str, fix: str) -> BadInputError:
    return BadInputError(f"Cannot read {display_path(path)}: {problem}. {fix}")


def decode_text(data: bytes, path: Path | str = "<bytes>") -> tuple[str, str]:
    """Decode text bytes as UTF-8 (with or without BOM) or GB18030, refusing anything else.

    Returns ``(text, encoding)``.

    >>> decode_text("职业教育".encode("gbk"))
    ('职业教育', 'gb18030')
    >>> decode_text(b"\\xef\\xbb\\xbfok")
    ('ok', 'utf-8-sig')
    >>> decode_text("\\ufeff通知".encode("utf-16-le"))
    ('通知', 'utf-16')
    """
    path = Path(path)
    for bom, codec in ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
                       (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(codec)
            except UnicodeDecodeError as e:
                raise _fail(path, f"it starts with a {codec[:6].upper()} byte-order mark but is not valid "
                            f"{codec.upper()} at byte {e.start + len(bom)}", "Re-save it as UTF-8.") from None
            if "\x00" in text:
                raise _fail(path, "it is a binary file (contains NUL characters), not text",
                            "Pass a .txt, .md, .html, .docx or .pdf file.")
            return text, codec[:6]
    if b"\x00" in data[:65536]:
        raise _fail(path, "it is a binary file (contains NUL bytes), not text", "Pass a .txt, .md, .html, .docx or .pdf file.")
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as e:
            raise _fail(path, f"it starts with a UTF-8 BOM but is not valid UTF-8 at byte {e.start + 3}", "Re-save it as UTF-8.") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        non_ascii = len(_NON_ASCII_RE.findall(text))
        if non_ascii == 0 or len(_CJK_RE.findall(text)) / non_ascii >= _MIN_CJK_SHARE:
            return text, "gb18030"
    raise _fail(
        path,
        "its encoding is neither UTF-8 nor GB18030/GBK (undecodable bytes)",
        "Convert it to UTF-8, e.g. iconv -f <encoding> -t UTF-8.",
    )


class _HTMLText(HTMLParser):
    """Collect the text of an HTML page, with a line break at every block element."""

    _BLOCK = frozenset(
        "p div br li ul ol tr table h1 h2 h3 h4 h5 h6 section article header footer nav title "
        "blockquote pre dd dt dl hr form tbody thead".split()
    )
    _SKIP = frozenset(("script", "style", "noscript", "template"))

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in self._SKIP:
            self._skip += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append("\t")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(re.sub(r"[ \t\r\n]+", " ", data))

    def text(self) -> str:
        lines = (line.strip() for line in "".join(self.parts).split("\n"))
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_to_text(html: str) -> str:
    """Strip tags, keeping block elements as line breaks.

    >>> html_to_text("<h1>标题</h1><p>第一段。</p><script>x()</script><p>第二段</p>")
    '标题\\n\\n第一段。\\n\\n第二段'
    """
    parser = _HTMLText()
    parser.feed(html)
    parser.close()
    return parser.text()


def check_zip(path: Path | str) -> None:
    """Refuse a zip-based file (.docx, .xlsx) that would unpack too large, from its directory alone.

    Raises :class:`BadInputError` naming the file when the members' total unpacked size passes
    ``MAX_UNZIPPED_BYTES`` or one member over 1 MB unpacks more than ``MAX_ZIP_RATIO`` times its
    packed size (a "zip bomb"); nothing is unpacked to find out.
    """
    import zipfile

    p = Path(path)
    try:
        with zipfile.ZipFile(p) as zf:
            members = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip: the format's reader says what is wrong
    total = sum(m.file_size for m in members)
    if total > MAX_UNZIPPED_BYTES:
        raise _fail(p, f"it unpacks to {total / 1048576:.0f} MB, over the {MAX_UNZIPPED_BYTES // 1048576} MB limit "
                    f"for a {p.suffix or 'zip'} file", "Split it, or save the tables as .csv.")
    for m in members:
        if m.file_size > 1 << 20 and m.file_size > MAX_ZIP_RATIO * max(1, m.compress_size):
            raise _fail(p, f"its part {m.filename} unpacks {m.file_size // max(1, m.compress_size)} times its size "
                        f"(limit {MAX_ZIP_RATIO}), which only a damaged or hostile file does",
                        "Open and re-save it in Word, Excel or LibreOffice.")


_REPEAT_RUN = re.compile(r"(\S)\1{%d,}" % MAX_REPEAT_RUN)
_PLAIN_RUN = re.compile(r"[^\s\u3000-\u303f\uff00-\uff0f\uff1a-\uff20!-/:-@\[-`{-~]+")  # whole runs: linear


def bound_runs(text: str) -> str:
    """Cut runs of one repeated character (over ``MAX_REPEAT_RUN``) and runs without any space or
    punctuation (over ``MAX_PLAIN_RUN``) with line breaks, so every later step is linear.

    >>> len(bound_runs("一" * 200).split("\\n"))
    4
    >>> bound_runs("支持河北软件职业技术学院建设。") == "支持河北软件职业技术学院建设。"
    True
    """
    def cut(n: int):
        def one(m: re.Match) -> str:
            run = m.group()
            return run if len(run) <= n else "\n".join(run[i:i + n] for i in range(0, len(run), n))
        return one

    text = _REPEAT_RUN.sub(cut(MAX_REPEAT_RUN), text)
    return _PLAIN_RUN.sub(cut(MAX_PLAIN_RUN), text)


def _read_docx(path: Path) -> str:
    check_zip(path)
    try:
        import docx  # python-docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError:  # pragma: no cover - declared dependency
        from core.errors import MissingDependencyError

        raise MissingDependencyError("Reading .docx needs python-docx. Install it with pip install python-docx.") from None
    try:
        document = docx.Document(str(path))
    except Exception as e:  # python-docx raises several unrelated types for a broken file
        raise _fail(path, f"it is not a valid .docx file ({type(e).__name__})", "Open and re-save it in Word or LibreOffice.") from None
    blocks: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            blocks.append(Paragraph(child, document).text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                blocks.append("\t".join(cell.text.strip() for cell in row.cells))
    return "\n\n".join(b for b in blocks if b.strip())


def _read_pdf(path: Path) -> str:
    try:
        import pdfplumber
    except ImportError:  # pragma: no cover - declared dependency
        from core.errors import MissingDependencyError

        raise MissingDependencyError("Reading .pdf needs pdfplumber. Install it with pip install pdfplumber.") from None
    try:
        with pdfplumber.open(str(path)) as pdf:
            pages = [page.extract_text() or "" for page in pdf.pages]
    except Exception as e:  # pdfminer raises many types for a broken file
        raise _fail(path, f"it is not a readable PDF ({type(e).__name__})", "Check the file, or export it again as PDF.") from None
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text:
        raise _fail(path, "the PDF has no text layer (a scanned image?)", "Run OCR on it first, or pass the text version.")
    return text


def read_plain(path: Path, data: bytes) -> tuple[str, str]:
    """Text and encoding of a plain-text or Markdown file's bytes (a document reader, ``ingest.formats``)."""
    return decode_text(data, path)


def read_html(path: Path, data: bytes) -> tuple[str, str]:
    """The visible text of an HTML page's bytes, and their encoding."""
    text, encoding = decode_text(data, path)
    return html_to_text(text), encoding


def read_docx(path: Path, data: bytes) -> tuple[str, str]:
    """Paragraphs and table rows (cells tab-separated) of a .docx file."""
    return _read_docx(path), "docx"


def read_pdf(path: Path, data: bytes) -> tuple[str, str]:
    """The text layer of a PDF."""
    return _read_pdf(path), "pdf"


def _check_path(p: Path) -> None:
    if not p.exists():
        raise NotFoundError(f"No such file: {p}. Check the path.")
    if p.is_dir():
        raise _fail(p, "it is a directory, not a file", "Pass the files inside it, or use iter_files to expand it.")


def _read_checked(p: Path) -> bytes:
    """The file's bytes, refusing files over the size limit and empty ones."""
    size = p.stat().st_size
    if size > MAX_FILE_BYTES:
        raise _fail(
            p,
            f"it is {size / 1048576:.1f} MB, over the {MAX_FILE_BYTES // 1048576} MB limit for one document",
            "Split it into separate documents.",
        )
    try:
        data = p.read_bytes()
    except OSError as e:
        raise _fail(p, f"it cannot be read ({e.strerror})", "Check the file's permissions.") from e
    if not data.strip():
        raise _fail(p, "the file is empty", "Pass a file with text in it.")
    return data


def read_text(path: str | Path) -> tuple[str, str]:
    """Decoded text and encoding of a plain-text file (any extension), with read_file's checks."""
    p = Path(path)
    _check_path(p)
    return decode_text(_read_checked(p), p)


def read_file(path: str | Path) -> RawText:
    """Read one file into text, detecting its format from the extension and its encoding from the bytes.

    Raises:
        NotFoundError: the path does not exist.
        BadInputError: a directory, an unsupported extension, an empty, binary, undecodable or too large file.
    """
    p = Path(path)
    _check_path(p)
    ext = p.suffix.lower()
    fmt = format_of(ext)
    if fmt is None or fmt.document is None:
        raise _fail(p, f"unsupported file type '{ext or '(none)'}'", f"Supported: {', '.join(SUPPORTED_EXTENSIONS)}.")
    data = _read_checked(p)
    sha1 = hashlib.sha1(data).hexdigest()
    text, encoding = load_reader(fmt.document)(p, data)
    if not text.strip():
        raise _fail(p, "it contains no text", "Pass a file with text in it.")
    if len(text) > MAX_DOCUMENT_CHARS:
        raise _fail(p, f"it has {len(text):,} characters of text, over the {MAX_DOCUMENT_CHARS:,} limit for one "
                    "document", "Split it into separate documents (e.g. one per chapter).")
    text = bound_runs(text)
    return RawText(text=text, encoding=encoding, sha1=sha1, format=fmt.name, path=display_path(path))


def iter_files(paths: Iterable[str | Path], *, tables: bool = False) -> list[Path]:
    """Expand files and directories (recursively) into a sorted list of supported files.

    Inside a directory: policy documents (``ingest.formats``), and with ``tables`` every format
    any reader takes (task-list spreadsheets too: what an ingest reads). Hidden files and folders
    (starting with ``.``) inside a directory are skipped; a file named explicitly is kept even if
    its extension is unsupported, so that the reader reports it.

    Raises:
        NotFoundError: a path does not exist.
    """
    found: set[Path] = set()
    for path in paths:
        p = Path(path)
        if not p.exists():
            raise NotFoundError(f"No such file or directory: {p}. Check the path.")
        if p.is_dir():
            for f in p.rglob("*"):
                rel = f.relative_to(p).parts
                wanted = ingestible(f.suffix) if tables else f.suffix.lower() in SUPPORTED_EXTENSIONS
                if f.is_file() and wanted and not any(x.startswith(".") for x in rel):
                    found.add(f)
        else:
            found.add(p)
    return sorted(found, key=lambda f: str(f))

"""Read policy files into text: plain text in UTF-8 or GB18030/GBK, HTML, DOCX and PDF.

Encodings are detected, never guessed silently: text that decodes cleanly in none of the
supported encodings raises :class:`~policykg.errors.BadInputError` naming the file.

>>> SUPPORTED_EXTENSIONS
('.txt', '.md', '.html', '.htm', '.docx', '.pdf')
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterable

from policykg.errors import BadInputError, NotFoundError

#: File extensions :func:`read_file` understands (lower case).
SUPPORTED_EXTENSIONS: tuple[str, ...] = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")

#: Largest file :func:`read_file` accepts, in bytes (a policy document is far smaller).
MAX_FILE_BYTES = 50 * 1024 * 1024

_TEXT_FORMATS = {".txt": "text", ".md": "markdown", ".html": "html", ".htm": "html"}

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
    encoding: str  # "utf-8", "utf-8-sig", "gb18030", or "docx" / "pdf" for binary formats
    sha1: str  # hex digest of the raw file bytes
    format: str  # "text" | "markdown" | "html" | "docx" | "pdf"
    path: str  # the path as given


def _fail(path: Path, problem: str, fix: str) -> BadInputError:
    return BadInputError(f"Cannot read {path}: {problem}. {fix}")


def decode_text(data: bytes, path: Path | str = "<bytes>") -> tuple[str, str]:
    """Decode text bytes as UTF-8 (with or without BOM) or GB18030, refusing anything else.

    Returns ``(text, encoding)``.

    >>> decode_text("职业教育".encode("gbk"))
    ('职业教育', 'gb18030')
    >>> decode_text(b"\\xef\\xbb\\xbfok")
    ('ok', 'utf-8-sig')
    """
    path = Path(path)
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


def _read_docx(path: Path) -> str:
    try:
        import docx  # python-docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError:  # pragma: no cover - declared dependency
        from policykg.errors import MissingDependencyError

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
        from policykg.errors import MissingDependencyError

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
    if ext not in SUPPORTED_EXTENSIONS:
        raise _fail(p, f"unsupported file type '{ext or '(none)'}'", f"Supported: {', '.join(SUPPORTED_EXTENSIONS)}.")
    data = _read_checked(p)
    sha1 = hashlib.sha1(data).hexdigest()
    if ext == ".docx":
        text, encoding, fmt = _read_docx(p), "docx", "docx"
    elif ext == ".pdf":
        text, encoding, fmt = _read_pdf(p), "pdf", "pdf"
    else:
        text, encoding = decode_text(data, p)
        fmt = _TEXT_FORMATS[ext]
        if fmt == "html":
            text = html_to_text(text)
    if not text.strip():
        raise _fail(p, "it contains no text", "Pass a file with text in it.")
    return RawText(text=text, encoding=encoding, sha1=sha1, format=fmt, path=str(path))


def iter_files(paths: Iterable[str | Path]) -> list[Path]:
    """Expand files and directories (recursively) into a sorted list of supported files.

    Hidden files and folders (starting with ``.``) inside a directory are skipped; a file
    named explicitly is kept even if its extension is unsupported, so that
    :func:`read_file` reports it.

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
                if f.is_file() and f.suffix.lower() in SUPPORTED_EXTENSIONS and not any(x.startswith(".") for x in rel):
                    found.add(f)
        else:
            found.add(p)
    return sorted(found, key=lambda f: str(f))

"""Read the task table of a .pdf attachment (pdfplumber ``extract_tables``).

Tables continuing over several pages are concatenated (a header repeated on each page is
dropped later). Cells pdfplumber reports as ``None`` are covered by a merge and are filled
down. Text above the first table gives the title.
"""

from __future__ import annotations

from pathlib import Path

from ingest.attachments.table import RawTable
from core.errors import BadInputError


def read_pdf_table(path: str | Path) -> RawTable:
    """Rows of every table in the PDF, in page order."""
    import pdfplumber

    try:
        pdf = pdfplumber.open(str(path))
    except Exception as e:  # pdfminer PDFSyntaxError and friends
        raise BadInputError(f"Cannot read {path}: corrupt pdf ({type(e).__name__}: {e}). Export the PDF again.") from e
    rows: list[list[str | None]] = []
    lines: list[str] = []
    with pdf:
        try:
            for page in pdf.pages:
                found = page.find_tables()
                if found and not rows:
                    top = min(t.bbox[1] for t in found)
                    if top > 1:
                        above = page.crop((0, 0, page.width, top)).extract_text() or ""
                        lines = [ln.strip() for ln in above.splitlines() if ln.strip()]
                for table in found:
                    rows.extend(table.extract())
            pages = len(pdf.pages)
        except Exception as e:
            raise BadInputError(f"Cannot read {path}: corrupt pdf ({type(e).__name__}: {e}). Export the PDF again.") from e
    if not rows:
        raise BadInputError(
            f"Cannot read {path}: no table in PDF ({pages} page{'s' if pages != 1 else ''} of text without ruled "
            "table lines). Export the attachment with its table borders, or as .docx/.xlsx."
        )
    return RawTable(rows=rows, lines=lines, names=[Path(path).stem], format="pdf")

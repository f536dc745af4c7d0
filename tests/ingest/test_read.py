"""Reading files: encodings, formats and bad input (one clear line naming the file)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from ingest.read import MAX_FILE_BYTES, SUPPORTED_EXTENSIONS, decode_text, iter_files, read_file
from core.errors import BadInputError, NotFoundError

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / ".." / "shared" / "corpus"
SEED = CORPUS / "seed" / "baoding-vocational-2021.txt"
BAD = ROOT / "tests" / "data" / "bad"


def test_seed_reads_as_utf8_with_sha1_of_raw_bytes():
    raw = read_file(SEED)
    assert raw.encoding == "utf-8", raw.encoding
    assert raw.format == "text"
    assert raw.sha1 == hashlib.sha1(SEED.read_bytes()).hexdigest()
    assert "冀政字〔2021〕61号" in raw.text


def test_gbk_file_reads_equal_to_utf8_version():
    raw = read_file(BAD / "gbk.txt")
    seed = SEED.read_text("utf-8")
    assert raw.encoding == "gb18030", f"expected gb18030, got {raw.encoding}"
    assert seed.startswith(raw.text), "GBK text differs from the UTF-8 seed"
    assert "1. 提升职业教育整体办学水平" in raw.text


def test_utf8_bom_is_detected(tmp_path):
    f = tmp_path / "bom.txt"
    f.write_bytes(b"\xef\xbb\xbf" + "一、总则".encode())
    raw = read_file(f)
    assert (raw.encoding, raw.text) == ("utf-8-sig", "一、总则")


@pytest.mark.parametrize(
    "name, words",
    [
        ("empty.txt", "empty"),
        ("binary.txt", "binary"),
        ("latin1.txt", "neither UTF-8 nor GB18030"),
    ],
)
def test_bad_files_give_one_line_naming_the_file(name, words):
    with pytest.raises(BadInputError) as e:
        read_file(BAD / name)
    msg = str(e.value)
    assert name in msg and words in msg, f"message {msg!r} should name {name} and say {words!r}"
    assert "\n" not in msg


def test_missing_path_is_not_found():
    with pytest.raises(NotFoundError, match="no-such-file.txt"):
        read_file(BAD / "no-such-file.txt")


def test_directory_and_unsupported_extension(tmp_path):
    with pytest.raises(BadInputError, match="is a directory"):
        read_file(tmp_path)
    f = tmp_path / "table.xyz"
    f.write_text("x")
    with pytest.raises(BadInputError) as e:
        read_file(f)
    assert "'.xyz'" in str(e.value) and all(ext in str(e.value) for ext in SUPPORTED_EXTENSIONS)


def test_too_large_file(tmp_path):
    f = tmp_path / "big.txt"
    with open(f, "wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)  # sparse: no disk used
    with pytest.raises(BadInputError, match="50 MB limit"):
        read_file(f)


def test_decode_refuses_gb18030_that_decodes_to_rare_characters():
    data = "职业".encode("gb18030") + "\U00020000\U00020001\U00020002".encode("gb18030")
    with pytest.raises(BadInputError, match="neither UTF-8 nor GB18030"):
        decode_text(data, "x.txt")


def test_html_keeps_block_breaks(tmp_path):
    f = tmp_path / "page.html"
    f.write_text("<html><head><style>p{}</style></head><body><h1>通知</h1><p>第一段。</p><div>1. 第二段</div></body></html>", "utf-8")
    raw = read_file(f)
    assert raw.format == "html"
    assert raw.text == "通知\n\n第一段。\n\n1. 第二段", repr(raw.text)


def test_docx_paragraphs_and_tables(tmp_path):
    import docx  # python-docx is a dependency of the project, never optional

    d = docx.Document()
    d.add_paragraph("一、总体要求")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "任务", "牵头单位"
    table.cell(1, 0).text, table.cell(1, 1).text = "建设园区", "市教育局"
    d.add_paragraph("1. 加强领导。")
    f = tmp_path / "policy.docx"
    d.save(f)
    raw = read_file(f)
    assert raw.format == "docx"
    assert raw.text == "一、总体要求\n\n任务\t牵头单位\n\n建设园区\t市教育局\n\n1. 加强领导。", repr(raw.text)


def _minimal_pdf(text: str) -> bytes:
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 100] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        None,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    stream = f"BT /F1 12 Tf 10 50 Td ({text}) Tj ET".encode()
    objs[3] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def test_pdf_text_and_broken_pdf(tmp_path):
    f = tmp_path / "a.pdf"
    f.write_bytes(_minimal_pdf("Policy text"))
    raw = read_file(f)
    assert (raw.format, raw.text) == ("pdf", "Policy text")
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf at all")
    with pytest.raises(BadInputError, match="bad.pdf"):
        read_file(bad)


def test_iter_files_expands_sorted_and_rejects_missing(tmp_path):
    (tmp_path / "b").mkdir()
    for name in ["b/z.txt", "a.md", "b/c.docx", "skip.toml", ".hidden.txt"]:
        (tmp_path / name).write_text("x")
    got = [p.relative_to(tmp_path).as_posix() for p in iter_files([tmp_path])]
    assert got == ["a.md", "b/c.docx", "b/z.txt"], got
    assert iter_files([tmp_path / "a.md", tmp_path]) == iter_files([tmp_path])
    with pytest.raises(NotFoundError, match="missing"):
        iter_files([tmp_path / "missing"])

"""The growth benchmark's copies get distinct keys, its fractions spread over the folders, its exponent fits."""

from __future__ import annotations

import argparse
import math

import pytest

from bench.bench_growth import exponent, files_under, parse_sizes, pick_fraction, write_copy
from tests.conftest import CORPUS


def test_copy_k_renumbers_every_document_number_and_says_which_copy_it_is(tmp_path):
    src = tmp_path / "src" / "gov"
    src.mkdir(parents=True)
    (src / "a.txt").write_text("国发〔2019〕4号\n关于印发国家职业教育改革实施方案的通知\n", encoding="utf-8")
    (src / "t.xlsx").write_bytes(b"PK\x03\x04 not text")
    files = files_under([src])
    one, n1 = write_copy(files, 1, tmp_path / "out")
    two, n2 = write_copy(files, 2, tmp_path / "out")
    assert (one / "gov" / "a.txt").read_text(encoding="utf-8") == (src / "a.txt").read_text(encoding="utf-8")
    text = (two / "gov" / "a.txt").read_text(encoding="utf-8")
    assert "国发〔2019〕24号" in text and "第2份副本" in text and "〔2019〕4号" not in text
    assert (two / "gov" / "t.xlsx").read_bytes() == b"PK\x03\x04 not text"  # binary: copied as it is
    assert n2 > n1 > 0


def test_a_fraction_takes_every_nth_file_across_the_folders():
    files = files_under([CORPUS / "laws"])
    part = pick_fraction(files, 0.1)
    assert len(part) == math.ceil(len(files) / 10)
    assert len({rel.parts[1] for _, rel in part}) > 3  # several of the law folders, not the first one only
    assert pick_fraction(files, 1.0) == files


def test_the_fitted_exponent_of_a_linear_a_flat_and_a_quadratic_curve():
    sizes = [1, 2, 4]
    assert exponent(sizes, [3, 6, 12]) == pytest.approx(1.0)
    assert exponent(sizes, [5, 5, 5]) == pytest.approx(0.0)
    assert exponent(sizes, [1, 4, 16]) == pytest.approx(2.0)
    assert exponent(sizes, [None, 4, 8]) == pytest.approx(1.0)  # a size without a value is left out
    assert math.isnan(exponent(sizes, [None, None, 8]))


def test_sizes_are_whole_numbers_separated_by_commas():
    assert parse_sizes("1,2, 4") == [1, 2, 4]
    for bad in ("1,x", "0,2", ""):
        with pytest.raises(argparse.ArgumentTypeError):
            parse_sizes(bad)

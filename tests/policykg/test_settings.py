"""Every setting is documented (in the model and the README) and unknown ones are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import BadInputError
from policykg.settings import ENV_PREFIX, Settings, check_environment, get_settings

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.mark.parametrize("name", list(Settings.model_fields))
def test_setting_is_documented(name):
    field = Settings.model_fields[name]
    assert field.description and len(field.description) > 15, f"{name} has no description"
    env = ENV_PREFIX + name.upper()
    assert env in README.read_text("utf-8"), f"{env} is missing from the README's settings table"


def test_environment_sets_values(monkeypatch, tmp_path):
    monkeypatch.setenv("POLICYKG_DATA", str(tmp_path))
    monkeypatch.setenv("POLICYKG_ENDPOINT_TIMEOUT", "2.5")
    s = get_settings()
    assert s.data == tmp_path and s.endpoint_timeout == 2.5


def test_unknown_setting_is_refused_with_a_hint():
    with pytest.raises(BadInputError, match="Did you mean POLICYKG_ENCODER"):
        check_environment({"POLICYKG_ENCODR": "none"})


def test_bad_value_names_the_setting(monkeypatch):
    monkeypatch.setenv("POLICYKG_STORE", "mysql")
    with pytest.raises(BadInputError, match="POLICYKG_STORE.*'oxigraph' or 'sparql'"):
        get_settings()

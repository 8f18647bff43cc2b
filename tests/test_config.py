"""Settings: kept across saves, unknown keys kept, changed safely from two windows at once."""

from __future__ import annotations

import os
from datetime import time
from pathlib import Path

import pytest

from reflectkit.config import editing, load_config, parse_time, parse_weekday, save_config
from reflectkit.errors import BadDataError, UsageError
from tests.conftest import run_in_processes


def _add_names(path: str, tag: str, count: int) -> None:
    for n in range(count):
        with editing(Path(path)) as config:
            config.names.append(f"{tag}{n}")


def test_two_processes_adding_names_lose_none(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    run_in_processes(_add_names, (str(path), "a", 40), (str(path), "b", 40))
    assert len(load_config(path).names) == 80


def test_settings_round_trip_and_keep_unknown_keys(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('schema_version = 1\nnames = ["Amira"]\nfuture_setting = "kept"\n')
    with editing(path) as config:
        config.weekday = parse_weekday("Fri")
        config.at = parse_time("8:30")
    again = load_config(path)
    assert again.names == ["Amira"] and again.weekday == 4 and again.at == time(8, 30)
    assert again.extra == {"future_setting": "kept"}


def test_a_newer_settings_file_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("schema_version = 9\n")
    with pytest.raises(BadDataError), editing(path):
        pass
    assert path.read_text() == "schema_version = 9\n"


@pytest.mark.parametrize("bad", ["someday", "8", "mo"])
def test_bad_weekdays_are_explained(bad: str) -> None:
    with pytest.raises(UsageError, match="day of the week"):
        parse_weekday(bad)


def test_bad_time_is_explained() -> None:
    with pytest.raises(UsageError, match="time of day"):
        parse_time("half past")


def test_save_writes_a_private_file(tmp_path: Path) -> None:
    from reflectkit.config import Config

    path = tmp_path / "sub" / "config.toml"
    save_config(path, Config(names=["x"]))
    assert (path.stat().st_mode & 0o777) == 0o600


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_save_leaves_an_existing_folder_as_it_is(tmp_path: Path) -> None:
    from reflectkit.config import Config

    tmp_path.chmod(0o755)
    save_config(tmp_path / "config.toml", Config(names=["x"]))
    assert (tmp_path.stat().st_mode & 0o777) == 0o755
    assert ((tmp_path / "config.toml").stat().st_mode & 0o777) == 0o600


def test_a_folder_where_the_settings_should_be_is_reported_and_left(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.mkdir()
    with pytest.raises(BadDataError, match=r"config\.toml"):
        load_config(path)
    with pytest.raises(BadDataError, match=r"config\.toml"), editing(path):
        pass
    assert path.is_dir()

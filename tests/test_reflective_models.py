"""Reflective models as content: the built-in ones load, local ones join them, broken ones are skipped."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from reflectkit.content.reflective import (
    NMC_PARTS,
    ReflectiveModel,
    load_builtin_models,
    load_model_file,
    load_models,
    model_schema,
    models_root,
)
from reflectkit.errors import ContentError

DATA = Path(__file__).resolve().parents[1] / "data"
MODEL_FILES = sorted((DATA / "models").glob("*.toml"))
BUILTIN_IDS = {"gibbs", "driscoll", "kolb", "schon", "johns", "nmc"}


def _minimal(**changes: Any) -> dict[str, Any]:
    """A small valid model, as a local user might write it."""
    data: dict[str, Any] = {
        "schema_version": 1,
        "id": "team-huddle",
        "name": "Our team huddle",
        "summary": "Two questions we ask after a hard visit.",
        "best_for": "A five-minute check-in with a colleague.",
        "sources": [
            {
                "title": "Notes from our team meeting",
                "organisation": "Our practice",
                "url": "https://example.org/our-notes",
                "citation": "Our practice (2026) Notes from our team meeting.",
            }
        ],
        "stages": [
            {"id": "what", "title": "What happened", "prompt": "What happened?", "help": "Say it plainly."},
            {"id": "next", "title": "Next", "prompt": "What next?", "help": "One step.", "nmc": "change"},
        ],
    }
    data.update(changes)
    return data


def _write(folder: Path, name: str, content: str | dict[str, Any]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(content if isinstance(content, str) else tomli_w.dumps(content), encoding="utf-8")
    return path


# -- The built-in models -----------------------------------------------------------------
@pytest.mark.parametrize("path", MODEL_FILES, ids=[p.name for p in MODEL_FILES])
def test_every_builtin_model_loads_and_keeps_the_rules(path: Path) -> None:
    model = load_model_file(path)
    assert path.name == f"{model.id}.toml", "the file is named after the id notes store"
    assert len(model.stages) >= 2
    assert model.sources and all(s.citation.strip() for s in model.sources)
    assert not model.local
    for stage in model.stages:
        # "What to write here" is one to three short sentences.
        sentences = re.findall(r"[.?!](?:\s|$)", stage.help)
        assert 1 <= len(sentences) <= 3, (stage.id, stage.help)


def test_the_builtin_models_are_all_there_with_unique_ids() -> None:
    assert {p.stem for p in MODEL_FILES} == BUILTIN_IDS
    models = load_models(None).models
    ids = [m.id for m in models]
    assert sorted(ids) == sorted(BUILTIN_IDS) and len(ids) == len(set(ids))
    assert [m.name.casefold() for m in models] == sorted(m.name.casefold() for m in models)


def test_the_nmc_model_maps_all_four_parts_of_the_account() -> None:
    nmc = load_models(None).get("nmc")
    assert nmc is not None
    assert [s.nmc for s in nmc.stages] == list(NMC_PARTS)
    (source,) = nmc.sources
    assert source.url.startswith("https://www.nmc.org.uk/") and source.time_sensitive and source.checked
    code = nmc.stages[-1].help
    for theme in ("Prioritise people", "Practise effectively", "Preserve safety", "Promote professionalism"):
        assert theme in code


def test_gibbs_has_its_six_stages_mapped_to_the_nmc_account() -> None:
    gibbs = load_models(None).get("gibbs")
    assert gibbs is not None
    assert [s.id for s in gibbs.stages] == [
        "description", "feelings", "evaluation", "analysis", "conclusion", "action-plan",
    ]  # fmt: skip
    mapped = {s.id: s.nmc for s in gibbs.stages}
    assert mapped["description"] == "nature" and mapped["action-plan"] == "change"
    assert mapped["analysis"] == mapped["conclusion"] == "learning"
    assert [s.id for s in gibbs.for_nmc("learning")] == ["analysis", "conclusion"]


def test_driscoll_credits_borton_and_rolfe_et_al() -> None:
    driscoll = load_models(None).get("driscoll")
    assert driscoll is not None
    citations = " ".join(s.citation for s in driscoll.sources)
    for who in ("Borton, T. (1970)", "Rolfe, G., Freshwater, D. and Jasper, M. (2001)", "Driscoll, J."):
        assert who in citations
    assert [s.id for s in driscoll.stages] == ["what", "so-what", "now-what"]


def test_every_model_other_than_the_nmc_one_feeds_the_account_somewhere() -> None:
    for model in load_models(None).models:
        assert {"nature", "learning", "change"} & {s.nmc for s in model.stages}, model.id


def _isbn_ok(isbn: str) -> bool:
    digits = isbn.replace("-", "").upper()
    if len(digits) == 10:
        values = [10 if c == "X" else int(c) for c in digits]
        return sum(v * w for v, w in zip(values, range(10, 0, -1), strict=True)) % 11 == 0
    return len(digits) == 13 and sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(digits)) % 10 == 0


def test_every_isbn_in_a_citation_has_a_valid_check_digit() -> None:
    found = [
        isbn
        for path in MODEL_FILES
        for source in load_model_file(path).sources
        for isbn in re.findall(r"ISBN ([0-9X-]+[0-9X])", source.citation)
    ]
    assert found, "the check must see some ISBNs"
    assert not [i for i in found if not _isbn_ok(i)]
    assert not _isbn_ok("1-85338-071-6"), "the check itself must catch a wrong digit"


def test_no_copied_sentences_in_the_content() -> None:
    tool = DATA.parents[1] / "shared" / "tools" / "check_verbatim.py"
    if not tool.exists():
        pytest.skip("the shared checker is not beside this checkout")
    result = subprocess.run([sys.executable, str(tool), str(DATA)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
    assert " 0 copied runs" in result.stdout


def test_models_root_is_the_data_folder() -> None:
    assert (models_root() / "gibbs.toml").is_file()


# -- Local models -------------------------------------------------------------------------
def test_a_local_model_loads_beside_the_builtin_ones(tmp_path: Path) -> None:
    local = tmp_path / "models"
    _write(local, "team-huddle.toml", _minimal())
    _write(local, "another.toml", _minimal(id="another", name="Another way"))
    report = load_models(local)
    assert not report.skipped
    ids = [m.id for m in report.models]
    assert set(ids[:6]) == BUILTIN_IDS, "built-in models come first"
    assert ids[6:] == ["another", "team-huddle"], "then local ones, by name"
    mine = report.get("team-huddle")
    assert mine is not None and mine.local
    assert mine.stages[1].nmc == "change"


def test_a_missing_local_folder_gives_the_builtin_models(tmp_path: Path) -> None:
    report = load_models(tmp_path / "no-such-folder")
    assert {m.id for m in report.models} == BUILTIN_IDS and not report.skipped


def _broken() -> dict[str, tuple[str, str | dict[str, Any], str]]:
    """name -> (file name, content, words the report must contain besides the file name)."""
    two_line = _minimal(summary="First line.\nSecond line.")
    no_name = {k: v for k, v in _minimal().items() if k != "name"}
    dup = _minimal()
    dup["stages"][1]["id"] = "what"
    no_citation = _minimal()
    del no_citation["sources"][0]["citation"]
    bad_part = _minimal()
    bad_part["stages"][0]["nmc"] = "reflection"
    escape = _minimal()
    escape["stages"][0]["prompt"] = "What \x1b[2J happened?"
    return {
        "bad-toml": ("bad.toml", 'name = "unclosed\n', "line 1, column"),
        "missing-field": ("no-name.toml", no_name, "no-name.toml: name: Field required"),
        "duplicate-stage-id": ("dup.toml", dup, "dup.toml: stages: stage id 'what' is used twice"),
        "clashing-id": ("mine.toml", _minimal(id="gibbs"), "mine.toml: id: 'gibbs' is already used"),
        "one-stage": ("one.toml", _minimal(stages=_minimal()["stages"][:1]), "one.toml: stages:"),
        "no-citation": ("cite.toml", no_citation, "cite.toml: sources.0.citation: Field required"),
        "unknown-nmc-part": ("part.toml", bad_part, "part.toml: stages.0.nmc:"),
        "control-character": ("esc.toml", escape, "U+001B"),
        "long-summary": ("long.toml", _minimal(summary="x" * 101), "long.toml: summary:"),
        "two-line-summary": ("lines.toml", two_line, "lines.toml: summary: must be a single line"),
        "newer-version": ("new.toml", _minimal(schema_version=2), "new.toml: schema_version: "),
        "unknown-field": ("extra.toml", _minimal(colour="blue"), "extra.toml: colour: Extra inputs"),
        "bad-file-name": ("My Model.toml", _minimal(), "file name"),
        "oversized": ("big.toml", "# " + "x" * 600_000, "larger than"),
    }


@pytest.mark.parametrize("kind", list(_broken()))
def test_a_broken_local_model_is_reported_with_file_and_field_and_skipped(tmp_path: Path, kind: str) -> None:
    name, content, expected = _broken()[kind]
    local = tmp_path / "models"
    _write(local, name, content)
    _write(local, "team-huddle.toml", _minimal())
    report = load_models(local)
    assert {m.id for m in report.models} == BUILTIN_IDS | {"team-huddle"}, "the others still load"
    (problem,) = report.skipped
    text = str(problem)
    assert name in text and expected in text, text


def test_a_newer_schema_version_says_to_update(tmp_path: Path) -> None:
    path = _write(tmp_path, "new.toml", _minimal(schema_version=3))
    with pytest.raises(ContentError) as caught:
        load_model_file(path)
    assert "newer version of reflectkit" in str(caught.value)


def test_two_local_models_with_one_id_keep_the_first(tmp_path: Path) -> None:
    local = tmp_path / "models"
    _write(local, "a.toml", _minimal(name="First"))
    _write(local, "b.toml", _minimal(name="Second"))
    report = load_models(local)
    mine = report.get("team-huddle")
    assert mine is not None and mine.name == "First"
    (problem,) = report.skipped
    assert "b.toml: id: 'team-huddle' is already used by the local model 'First'" in str(problem)


def test_hidden_files_in_the_local_folder_are_left_alone(tmp_path: Path) -> None:
    local = tmp_path / "models"
    _write(local, ".tmp-half-written.toml", "name = ")
    assert not load_models(local).skipped


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_pipe_in_the_local_folder_is_skipped_without_blocking(tmp_path: Path) -> None:
    local = tmp_path / "models"
    local.mkdir()
    os.mkfifo(local / "pipe.toml")
    (problem,) = load_models(local).skipped
    assert "pipe.toml" in str(problem) and "not a regular file" in str(problem)


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges on Windows")
def test_a_symlink_in_the_local_folder_is_not_followed(tmp_path: Path) -> None:
    outside = _write(tmp_path / "elsewhere", "team-huddle.toml", _minimal())
    local = tmp_path / "models"
    local.mkdir()
    (local / "team-huddle.toml").symlink_to(outside)
    report = load_models(local)
    assert report.get("team-huddle") is None
    (problem,) = report.skipped
    assert "symbolic link" in str(problem)


def test_load_model_file_names_the_file_and_every_field(tmp_path: Path) -> None:
    data = _minimal(summary="")
    data["stages"][0]["prompt"] = ""
    path = _write(tmp_path, "two-problems.toml", data)
    with pytest.raises(ContentError) as caught:
        load_model_file(path)
    err = caught.value
    assert str(path) in err.message
    assert any(p.startswith("two-problems.toml: summary: ") for p in err.problems), err.problems
    assert any(p.startswith("two-problems.toml: stages.0.prompt: ") for p in err.problems), err.problems


def test_a_broken_builtin_model_fails_loudly(tmp_path: Path) -> None:
    root = tmp_path / "data"
    shutil.copytree(DATA / "models", root / "models")
    (root / "models" / "kolb.toml").write_text("stages = 'none'", encoding="utf-8")
    with pytest.raises(ContentError, match="built-in reflective models") as caught:
        load_builtin_models(root)
    assert any(p.startswith("kolb.toml: ") for p in caught.value.problems)


def test_a_local_file_cannot_mark_itself_builtin_or_local(tmp_path: Path) -> None:
    path = _write(tmp_path / "models", "team-huddle.toml", _minimal(local=False))
    with pytest.raises(ContentError, match="local"):
        load_model_file(path, local=True)


# -- The schema ---------------------------------------------------------------------------
def _refs(node: object) -> list[str]:
    if isinstance(node, dict):
        return [v for k, v in node.items() if k == "$ref"] + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def test_model_schema_is_json_schema_that_names_stages() -> None:
    schema = json.loads(json.dumps(model_schema()))
    assert schema["type"] == "object"
    assert {"id", "name", "summary", "best_for", "sources", "stages"} <= set(schema["required"])
    assert schema["properties"]["stages"]["minItems"] == 2
    assert "local" not in schema["properties"], "set by reflectkit, never written in a file"
    for ref in _refs(schema):
        assert ref.startswith("#/$defs/") and ref.removeprefix("#/$defs/") in schema["$defs"], ref
    stage = schema["$defs"]["ModelStage"]
    assert {"id", "title", "prompt", "help"} <= set(stage["required"])
    assert set(json.dumps(stage["properties"]["nmc"]).split('"')) >= set(NMC_PARTS)


def test_every_builtin_file_is_described_by_the_schema() -> None:
    props = set(model_schema()["properties"])
    for path in MODEL_FILES:
        assert set(tomllib.loads(path.read_text(encoding="utf-8"))) <= props, path.name


def test_a_model_is_frozen() -> None:
    model = ReflectiveModel.model_validate(_minimal())
    with pytest.raises(ValueError):
        model.id = "other"  # type: ignore[misc]

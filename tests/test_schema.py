"""The ``--json`` documents match their published pydantic models, every command has
one, and the models' JSON Schema files in docs/schema/ are current. (The demo's document is
checked against its model in test_cli, where it is compared with the library's.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from books import clean_book, write

from xl_nhandao.cli import main
from xl_nhandao.schema import SCHEMAS, ConsolidateDocument, NewWorkbookDocument
from xl_nhandao.workbook.indicators import INDICATORS

ROOT = Path(__file__).resolve().parent.parent


def test_consolidate_json_matches_its_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = tmp_path / "nop"
    d.mkdir()
    write(clean_book("22333"), d / "22333.xlsx")
    write(clean_book("22366"), d / "22366.xlsx")
    assert main(["consolidate", str(d), "-o", str(tmp_path / "th.xlsx"), "--json"]) == 0
    doc = ConsolidateDocument.model_validate_json(capsys.readouterr().out)
    assert list(doc.totals) == [i.code for i in INDICATORS]
    assert set(doc.units) == {"22333", "22366"}
    assert doc.rows.read == doc.rows.counted + doc.rows.excluded


def test_new_workbook_json_matches_its_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new-workbook", "--unit", "568", "--scheme", "2004", "-o", str(tmp_path / "h.xlsx"), "--json"]) == 0
    doc = NewWorkbookDocument.model_validate_json(capsys.readouterr().out)
    assert doc.unit is not None and (doc.unit.code, doc.unit.level, doc.unit.scheme) == ("568", "Huyện", "2004")
    assert doc.period is not None and doc.period_defaulted
    assert main(["new-workbook", "-o", str(tmp_path / "trang.xlsx"), "--json"]) == 0
    doc = NewWorkbookDocument.model_validate_json(capsys.readouterr().out)
    assert doc.unit is None and doc.period is None


def test_every_command_has_a_published_document() -> None:
    from xl_nhandao.cli import app

    commands = [c.name for c in app.registered_commands]
    commands += [f"{g.name} {c.name}" for g in app.registered_groups for c in g.typer_instance.registered_commands]
    assert sorted(SCHEMAS) == sorted(commands)
    for name in SCHEMAS:
        assert (ROOT / "docs" / "schema" / f"{name.replace(' ', '-')}.json").is_file()


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_schema_files_are_current(name: str) -> None:
    path = ROOT / "docs" / "schema" / f"{name.replace(' ', '-')}.json"
    expected = json.dumps(SCHEMAS[name].model_json_schema(), ensure_ascii=False, indent=2) + "\n"
    assert path.read_text(encoding="utf-8") == expected, "run: python scripts/regenerate.py"

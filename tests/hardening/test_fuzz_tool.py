"""tools/fuzz.py runs every parser for its budget and catches an error that is not ours."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools import fuzz


def test_a_short_run_over_every_parser_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert fuzz.main(["--engine", "hypothesis", "--seconds", "2.5"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == [f"fuzz {name}" for name in fuzz.TARGETS]
    assert all(line.endswith("(hypothesis): ok") for line in lines)


def test_an_error_that_is_not_ours_is_a_crash_with_its_input_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def fragile(data: bytes) -> None:
        fuzz.target_arxiv(data)
        if b"entry" in data:
            raise KeyError("entry")  # the kind of bug the fuzz run is there to find

    monkeypatch.setitem(fuzz.TARGETS, "arxiv", fragile)
    monkeypatch.setattr(fuzz, "CRASHES", tmp_path / "crashes")
    assert fuzz.main(["--engine", "hypothesis", "--seconds", "5", "arxiv"]) == 1
    assert "fuzz arxiv:" in capsys.readouterr().out
    (saved,) = (tmp_path / "crashes").iterdir()
    assert b"entry" in saved.read_bytes()


@pytest.mark.skipif(not fuzz.atheris_available(), reason="atheris is not installed")
def test_atheris_runs_a_target_in_a_process_of_its_own(capsys: pytest.CaptureFixture[str]) -> None:
    assert fuzz.main(["--engine", "atheris", "--seconds", "1", "store"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    runs = int(line.split(": ")[1].split()[0])
    assert runs > 100 and line.endswith("(atheris): ok")

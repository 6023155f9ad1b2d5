"""The generator and the committed drawings never drift apart; its checks pass on them."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinic_app.bodymap_builder import BODYMAP_DIR, cli
from clinic_app.bodymap_builder.checks import check
from clinic_app.bodymap_builder.svg import BUILDERS, build

VIEWS = ("anterior", "posterior", "lateral")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bodymap")
    assert sorted(p.name for p in build(out)) == sorted(f"{v}.svg" for v in VIEWS)
    return out


@pytest.mark.parametrize("view", VIEWS)
def test_the_generator_rebuilds_the_committed_drawing_byte_for_byte(built: Path, view: str) -> None:
    committed = (BODYMAP_DIR / f"{view}.svg").read_bytes()
    assert (built / f"{view}.svg").read_bytes() == committed, (
        f"{view}.svg differs from what clinic_app.bodymap_builder generates: run `make bodymap` "
        "after editing the geometry, and commit both"
    )


def test_every_view_has_a_builder() -> None:
    assert set(BUILDERS) == set(VIEWS)


def test_the_built_drawings_pass_every_check(
    built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert check(built)
    out = capsys.readouterr().out
    assert "expected (muscle, side, view) triples: 70, found: 70" in out
    assert "OK: ids unique" in out


@pytest.mark.parametrize(("passes", "code"), [(True, 0), (False, 1)])
def test_the_command_line_writes_then_checks(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    passes: bool,
    code: int,
) -> None:
    calls: list[tuple[str, Path]] = []

    def fake_build(out: Path) -> list[Path]:
        calls.append(("build", out))
        return [out / "anterior.svg"]

    def fake_check(out: Path) -> bool:
        calls.append(("check", out))
        return passes

    monkeypatch.setattr(cli, "build", fake_build)
    monkeypatch.setattr(cli, "check", fake_check)
    assert cli.main(["--out", str(tmp_path)]) == code
    assert calls == [("build", tmp_path), ("check", tmp_path)]
    assert f"wrote {tmp_path / 'anterior.svg'}" in capsys.readouterr().out
    calls.clear()
    assert cli.main(["--check", "--out", str(tmp_path)]) == code
    assert calls == [("check", tmp_path)]
    calls.clear()
    cli.main(["--check"])
    assert calls == [("check", BODYMAP_DIR)]


#: (view, text in the drawing, what it becomes, the problem the check reports)
BREAKS = [
    ("anterior", 'id="deltoid-right"', 'id="deltoid-rite"', "do not agree"),
    ("anterior", 'viewBox="0 0 500 1000"', 'viewBox="0 0 500 900"', "viewBox is"),
    ("posterior", 'data-muscle="rhomboids"', 'data-muscle="nosuch"', "unknown muscle"),
    ("posterior", 'd="M ', 'd="m ', "not allowed"),
    ("lateral", '<g id="details">', '<g id="detail">', "top-level groups"),
]


def test_a_broken_drawing_fails_the_check(
    built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for source in built.iterdir():
        text = source.read_text(encoding="utf-8")
        for view, old, new, _ in BREAKS:
            if source.name == f"{view}.svg":
                assert old in text
                text = text.replace(old, new, 1)
        (tmp_path / source.name).write_text(text, encoding="utf-8")
    assert not check(tmp_path)
    out = capsys.readouterr().out
    assert "FAILED" in out
    for view, _, _, problem in BREAKS:
        assert any(
            line.startswith(f"   - {view}") and problem in line for line in out.splitlines()
        ), (
            view,
            problem,
        )

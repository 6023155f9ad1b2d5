"""The outcome measures' data files and their checks (clinic_app.domain.measure_files)."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinic_app.domain.datafile import DataFileError
from clinic_app.domain.enums import Language
from clinic_app.domain.measure_files import (
    MeasureFileError,
    default_measures,
    load_measure,
    load_measures,
    measure,
    measures_folder,
)
from clinic_app.domain.measures import BandScale


def test_the_shipped_measures_are_the_ndi_and_the_odi_with_their_sources() -> None:
    measures = default_measures()
    assert list(measures) == ["ndi", "odi"]
    ndi, odi = measures["ndi"], measures["odi"]
    assert "Vernon" in ndi.source
    assert "14(7):409-415" in ndi.source
    assert "Fairbank" in odi.source
    assert "25(22):2940-2952" in odi.source
    assert odi.version == "2.1a"
    assert "paraphrase" in odi.licence
    assert "Mapi" in odi.licence
    assert "paraphrase" in ndi.licence
    assert (ndi.max_missing, odi.max_missing) == (1, 2)
    assert ndi.max_missing_source
    assert odi.max_missing_source
    assert (ndi.band_scale, odi.band_scale) == (BandScale.POINTS, BandScale.PERCENT)
    for m in (ndi, odi):
        assert len(m.sections) == 10
        assert m.band_source
        for section in m.sections:
            assert len(section.options) == 6
            for text in (section.title, *section.options):
                assert set(text) == set(Language)
    assert measure("ndi") is ndi
    assert measure("promis") is None
    assert measures_folder().name == "measures"


SECTION = """
[[sections]]
code = "{code}"
title = {{ en = "Title", es = "Título" }}
options = [
{options}
]
"""
OPTION = '  { en = "Answer", es = "Respuesta" },'


def write(
    folder: Path,
    name: str = "one.toml",
    *,
    code: str = "one",
    sections: int = 2,
    options: int = 6,
    max_missing: int = 1,
    scale: str = "percent",
    bands: tuple[float, ...] = (0, 50),
    extra: str = "",
) -> Path:
    body = f"""
code = "{code}"
name = "One measure"
short_name = "ONE"
version = "1"
source = "A paper"
licence = "Free"
scoring = "Sum"
max_missing = {max_missing}
max_missing_source = "The paper"
band_scale = "{scale}"
band_source = "The paper"
{extra}
"""
    for lower in bands:
        body += f'[[bands]]\nfrom = {lower}\nlabel = "From {lower}"\n'
    for number in range(sections):
        body += SECTION.format(code=f"s{number}", options="\n".join([OPTION] * options))
    path = folder / name
    path.write_text(body, encoding="utf-8")
    return path


def test_a_good_file_is_read(tmp_path: Path) -> None:
    m = load_measure(write(tmp_path, scale="points", bands=(0, 2.5, 10)))
    assert m.code == "one"
    assert [b.lower for b in m.bands] == [0, 2.5, 10]
    assert m.sections[1].options[5][Language.SPANISH] == "Respuesta"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"options": 5}, "entry 's0': options must list 6 answers (scored 0 to 5), not 5"),
        ({"max_missing": 2}, "max_missing must be at least 0 and at most 1, not 2"),
        ({"bands": (1, 50)}, "entry 'band #1': from must be 0 for the first band, not 1"),
        ({"bands": (0, 50, 50)}, "entry 'band #3': from must be above the band before (50)"),
        ({"bands": (0, 101)}, "bands the last band starts above the highest score (100)"),
        (
            {"scale": "points", "bands": (0, 11)},
            "the last band starts above the highest score (10)",
        ),
        ({"scale": "stars"}, "band_scale 'stars' is not one of points, percent"),
        ({"extra": 'colour = "red"'}, "unknown top-level key 'colour'"),
        ({"sections": 0}, "one.toml: sections is missing"),
    ],
)
def test_a_broken_file_is_refused_with_one_sentence(
    tmp_path: Path, kwargs: dict[str, object], message: str
) -> None:
    path = write(tmp_path, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(MeasureFileError) as caught:
        load_measure(path)
    assert message in str(caught.value)
    assert str(caught.value).startswith("one.toml")
    assert isinstance(caught.value, DataFileError)


def test_an_answer_without_its_spanish_text_is_named(tmp_path: Path) -> None:
    path = write(tmp_path)
    path.write_text(
        path.read_text(encoding="utf-8").replace(OPTION, '  { en = "Answer" },', 1),
        encoding="utf-8",
    )
    with pytest.raises(MeasureFileError, match=r"entry 's0': options\[1\]\.es is missing"):
        load_measure(path)


def test_a_missing_field_is_named(tmp_path: Path) -> None:
    path = write(tmp_path)
    path.write_text(
        path.read_text(encoding="utf-8").replace('source = "A paper"\n', ""), encoding="utf-8"
    )
    with pytest.raises(MeasureFileError, match=r"one\.toml: source is missing"):
        load_measure(path)


def test_a_folder_reads_every_toml_file_by_code(tmp_path: Path) -> None:
    write(tmp_path, "b.toml", code="bee")
    write(tmp_path, "a.toml", code="ant")
    (tmp_path / "README.md").write_text("not a measure", encoding="utf-8")
    assert list(load_measures(tmp_path)) == ["ant", "bee"]


def test_two_files_with_one_code_are_refused(tmp_path: Path) -> None:
    write(tmp_path, "a.toml", code="same")
    write(tmp_path, "b.toml", code="same")
    with pytest.raises(MeasureFileError, match=r"b\.toml, entry 'same': another measure file"):
        load_measures(tmp_path)


def test_an_empty_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(MeasureFileError, match="no measure files"):
        load_measures(tmp_path)

"""Reading wide CSV files and locating bad cells (file, row, unit, column; zh and en)."""

from __future__ import annotations

import pytest

from czt.methods.inputs import MethodInputError, numeric_columns, numeric_matrix, read_wide_csv


def test_unit_ids_stay_text_and_numbers_parse(write_csv) -> None:
    path = write_csv('code,gdp,name\n430100,"14,331.98",长沙\n0731,2.5,湘潭\n')
    frame = read_wide_csv(path)
    assert list(frame.index) == ["430100", "0731"]
    assert frame.index.name == "code"
    assert frame["gdp"].to_list() == [14331.98, 2.5]
    assert numeric_columns(frame) == ["gdp"]
    assert frame.attrs["czt_source"] == str(path)
    assert frame.attrs["czt_lines"] == {"430100": 2, "0731": 3}


def test_gb18030_file(write_csv) -> None:
    path = write_csv("单位,地区生产总值\n长沙市,14331.98\n株洲市,3616.8\n", encoding="gb18030")
    frame = read_wide_csv(path)
    assert list(frame.index) == ["长沙市", "株洲市"]
    assert frame["地区生产总值"].to_list() == [14331.98, 3616.8]


def test_non_numeric_cell_reported_when_used_with_file_row_column(write_csv) -> None:
    # the blank line 3 is skipped but still counted: the bad cell is on line 5
    path = write_csv("code,x,y\na,1,2\n\nb,2,3\nc,abc,4\n")
    frame = read_wide_csv(path)
    assert numeric_matrix(frame, ["y"], method="t").ravel().tolist() == [2.0, 3.0, 4.0]
    with pytest.raises(MethodInputError) as info:
        numeric_matrix(frame, ["x"], method="t")
    err = info.value
    assert str(err) == f"{path}，第 5 行，单位 c，列 x：值 'abc' 不是有限数值"
    assert err.message("en") == (
        f"{path}, row 5, unit c, column x: value 'abc' is not a finite number"
    )
    assert err.to_dict("en") | {"message": None} == {
        "error": "non_numeric", "message": None, "file": str(path), "row": 5, "unit": "c",
        "column": "x",
    }


def test_missing_value_is_reported(write_csv) -> None:
    path = write_csv("code,x\na,1\nb,\n")
    with pytest.raises(MethodInputError) as info:
        numeric_matrix(read_wide_csv(path), ["x"], method="t")
    assert (info.value.key, info.value.row, info.value.column) == ("missing_value", 3, "x")
    assert "缺少数值" in str(info.value)


def test_missing_unit_id(write_csv) -> None:
    path = write_csv("code,x\na,1\n,2\n")
    with pytest.raises(MethodInputError) as info:
        read_wide_csv(path)
    assert str(info.value) == f"{path}，第 3 行，列 code：缺少单位代码（第一列为空）"
    assert info.value.message("en") == (
        f"{path}, row 3, column code: missing unit id (the first column is empty)"
    )


@pytest.mark.parametrize(
    ("text", "key", "row"),
    [
        ("code,x\na,1\na,2\n", "duplicate_unit_id", 3),
        ("code,x\na,1,5\n", "ragged_row", 2),
        ("code,x,x\na,1,2\n", "duplicate_header", 1),
        ("code,x\n", "empty_file", None),
    ],
)
def test_malformed_files(write_csv, text: str, key: str, row: int | None) -> None:
    with pytest.raises(MethodInputError) as info:
        read_wide_csv(write_csv(text))
    assert (info.value.key, info.value.row) == (key, row)


def test_missing_file_and_missing_column(tmp_path, write_csv) -> None:
    with pytest.raises(MethodInputError) as info:
        read_wide_csv(tmp_path / "nope.csv")
    assert info.value.message("en").endswith("input file not found")
    frame = read_wide_csv(write_csv("code,x\na,1\n"))
    with pytest.raises(MethodInputError) as info:
        numeric_matrix(frame, ["gdp"], method="t")
    assert info.value.message("en").endswith("column gdp: no such column; columns are: x")
    with pytest.raises(MethodInputError):
        read_wide_csv(write_csv("code,x\na,1\n"), text_columns=["city"])

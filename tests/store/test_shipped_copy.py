"""The package ships the data set's CSV files unchanged (when the data set is beside us)."""

from pathlib import Path

import pytest

from czt.commands.data import default_data_files

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"


@pytest.mark.skipif(not SHARED.is_dir(), reason="the shared data set is not beside the repo")
def test_package_data_equals_the_data_set():
    for path in default_data_files():
        assert path.read_bytes() == (SHARED / path.name).read_bytes(), path.name

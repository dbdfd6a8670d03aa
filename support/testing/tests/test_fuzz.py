"""The fuzz targets (support/fuzz/, libFuzzer with ASan and UBSan): the
Kconfig parser with value calculation and every writer, the .config reader,
.hash files, device and users tables, and extraction (its tree rule as the
oracle). Every kept regression input runs, then each target fuzzes for a
bounded 30 s: at most RUNS inputs from a fixed seed, so that the suite
finds nothing new by chance (`make fuzz` runs them for 10 minutes each,
unseeded, to find what is new)."""
import re
import subprocess

import pytest

from conftest import TEST_DIR, TOP

pytestmark = pytest.mark.slow
TARGETS = ["kconfig", "config", "hashfile", "tables", "extract"]
RUNS = "20000"


def test_fuzz_targets_find_nothing():
    r = subprocess.run([str(TOP / "support/fuzz/run-fuzzers"), str(TEST_DIR / "fuzz"), "30", RUNS],
                       capture_output=True, text=True, timeout=30 * len(TARGETS) + 900)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-4000:]
    for target in TARGETS:
        m = re.search(rf"^fuzz_{target}: 30s, (\d+) runs, cov: (\d+), .* no crash$", r.stdout, re.M)
        assert m, r.stdout
        # it ran, and reached code beyond reading its input
        assert 50 < int(m.group(1)) <= int(RUNS) and int(m.group(2)) > 20, m.group(0)

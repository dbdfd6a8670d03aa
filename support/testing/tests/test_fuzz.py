"""The fuzz targets (support/fuzz/, libFuzzer with ASan and UBSan): the
Kconfig parser with value calculation and every writer, the .config reader,
.hash files, device and users tables, extraction (its tree rule as the
oracle) and disk layouts. Every kept regression input runs, then each target fuzzes for a
bounded 10 s: at most RUNS inputs from a fixed seed, so that the suite
finds nothing new by chance (`make fuzz` runs them for 10 minutes each,
unseeded, to find what is new)."""
import re
import subprocess

import pytest

from conftest import TEST_DIR, TOP

pytestmark = pytest.mark.slow
TARGETS = ["kconfig", "config", "hashfile", "tables", "extract", "layout"]
RUNS = "20000"
SECONDS = 10


def test_fuzz_targets_find_nothing():
    r = subprocess.run([str(TOP / "support/fuzz/run-fuzzers"), str(TEST_DIR / "fuzz"), str(SECONDS), RUNS],
                       capture_output=True, text=True, timeout=SECONDS * len(TARGETS) + 900)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-4000:]
    for target in TARGETS:
        m = re.search(rf"^fuzz_{target}: {SECONDS}s, (\d+) runs, cov: (\d+), .* no crash$", r.stdout, re.M)
        assert m, r.stdout
        # it ran, and reached code beyond reading its input
        assert 50 < int(m.group(1)) <= int(RUNS) and int(m.group(2)) > 20, m.group(0)


def test_table_seeds_are_valid_tables(tools, tmp_path):
    """The tables target starts from its seeds: each must be accepted as
    the table it is (the one seed used to be neither a users table nor a
    device table, so fuzzing began from error paths only), and there is a
    users table and a device table among them. The users seed's accounts
    are read back from the image with cpio."""
    import os
    from conftest import no_sanitizer_report
    seeds = sorted((TOP / "support/fuzz/seeds/tables").iterdir())
    kinds = {}
    for seed in seeds:
        root = tmp_path / seed.name / "root"
        (root / "etc").mkdir(parents=True)
        (root / "etc/passwd").write_text("root:x:0:0:root:/root:/bin/sh\n")
        (tmp_path / "id").write_text("TR_X=y\n")
        out = tmp_path / seed.name / "o.cpio"
        ok = []
        for kind in ("users", "device"):
            r = no_sanitizer_report(subprocess.run(
                [str(tools["helper"]), "pack", "cpio", "--root", str(root), f"--{kind}-table",
                 str(seed), "--salt-key", str(tmp_path / "id"), "--out", str(out)],
                capture_output=True, text=True, timeout=60,
                env=dict(os.environ, SOURCE_DATE_EPOCH="0")))
            if r.returncode == 0:
                ok.append(kind)
                if kind == "users":
                    passwd = subprocess.run(["cpio", "-i", "--to-stdout", "etc/passwd"],
                                            input=out.read_bytes(), capture_output=True,
                                            timeout=30).stdout.decode()
                    names = {l.split(":")[0] for l in passwd.splitlines()}
                    assert len(names) > 2, passwd
        assert len(ok) == 1, (seed.name, ok)
        kinds[ok[0]] = seed.name
    assert set(kinds) == {"users", "device"}, kinds

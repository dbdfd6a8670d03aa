"""The C unit tests (cmocka) of libkconfig and tr-helper, built with ASan
and UBSan."""
import subprocess

import pytest

from conftest import SANITIZE, TEST_DIR, TOP


@pytest.mark.parametrize("sub", ["kconfig", "helper"])
def test_cmocka_suite(sub):
    out = TEST_DIR / "unit" / sub
    r = subprocess.run(["make", "-s", "-C", TOP / "support" / sub, f"O={out}",
                        f"CFLAGS={SANITIZE}", "LDFLAGS=-fsanitize=address,undefined", "check"],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    out = r.stdout + r.stderr  # cmocka writes its summary to stderr
    assert "[  PASSED  ]" in out and "[  FAILED  ]" not in out

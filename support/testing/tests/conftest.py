"""Shared fixtures: host tools, a local HTTP mirror, per-board builds."""
import contextlib
import functools
import http.server
import os
import pathlib
import subprocess
import threading

import pytest

TOP = pathlib.Path(__file__).resolve().parents[3]
TEST_DIR = pathlib.Path(os.environ.get("TR_TEST_DIR", TOP / "output-tests"))
MIRROR = TEST_DIR / "mirror"


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: builds images (minutes)")


SANITIZE = "-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"


@pytest.fixture(scope="session")
def tools():
    """kconfig and tr-helper built once, with ASan and UBSan: every test that
    runs them also checks them for memory errors, leaks and undefined
    behaviour (a report makes the tool exit non-zero)."""
    out = TEST_DIR / "tools"
    os.environ.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0")
    os.environ.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
    for sub in ("kconfig", "helper"):
        subprocess.run(["make", "-s", "-C", TOP / "support" / sub, f"O={out / sub}",
                        f"CFLAGS={SANITIZE}", "LDFLAGS=-fsanitize=address,undefined"],
                       check=True)
    subprocess.run(["make", "-s", "-C", TOP / "support/kconfig", f"O={out / 'kconfig'}",
                    f"CFLAGS={SANITIZE}", "LDFLAGS=-fsanitize=address,undefined", "menuconfig"],
                   check=True)
    return {"kconfig": out / "kconfig" / "kconfig", "helper": out / "helper" / "tr-helper",
            "menuconfig": out / "kconfig" / "menuconfig" / "menuconfig"}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(directory, handler=QuietHandler):
    """Serve `directory` on 127.0.0.1 (a free port) for the block's duration."""
    h = functools.partial(handler, directory=str(directory))
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), h)
    srv.timeout = 5
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}"
    finally:
        srv.shutdown()
        srv.server_close()


@pytest.fixture(scope="session")
def mirror_url():
    with serve(MIRROR) as url:
        yield url

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


@pytest.fixture(scope="session")
def tools():
    """Build kconfig and tr-helper once into the test folder."""
    out = TEST_DIR / "tools"
    for sub in ("kconfig", "helper"):
        subprocess.run(["make", "-s", "-C", TOP / "support" / sub, f"O={out / sub}"],
                       check=True)
    return {"kconfig": out / "kconfig" / "kconfig", "helper": out / "helper" / "tr-helper"}


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

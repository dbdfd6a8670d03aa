"""The insight targets on a configured output folder (no build needed):
show-info, graph-depends, <pkg>-show-depends/-rdepends, printvars, help.
legal-info and graph-build need a build: test_build.py checks them."""
import json
import os
import subprocess
import xml.etree.ElementTree as ET

import pytest

from conftest import TOP

# the board profiles and their variants (board/<board>/<variant>_defconfig)
BOARDS = sorted([p.parent.name for p in (TOP / "board").glob("*/defconfig")] +
                [f"{p.parent.name}_{p.name[:-len('_defconfig')]}"
                 for p in (TOP / "board").glob("*/*_defconfig")])


def make(out, *args):
    r = subprocess.run(["make", "-s", f"O={out}", *args], cwd=TOP, capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    return r.stdout


@pytest.fixture(scope="module")
def configured(tmp_path_factory):
    out = tmp_path_factory.mktemp("insight") / "o"
    make(out, "qemu_x86_64_defconfig")
    return out


def set_config(out, *assignments):
    r = subprocess.run([str(out / "host/bin/kconfig"), "set", "Config.in", *assignments],
                       cwd=TOP, env=dict(os.environ, KCONFIG_CONFIG=str(out / ".config"),
                                         TR_EXTERNAL_KCONFIG=str(out / ".tr-external.d"),
                                         CONFIG_=""), capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_show_info_is_stable_json_of_the_enabled_packages(configured):
    text = make(configured, "show-info")
    info = json.loads(text)
    # folder order; libcxx: the C++ runtime (the defconfig has C++ support)
    assert list(info) == ["busybox", "libcxx", "linux-headers", "linux", "musl"]
    bb = info["busybox"]
    assert list(bb) == ["name", "version", "kind", "license", "license_files", "sources",
                        "dependencies", "install"]
    assert bb["version"] == "1.35.0" and bb["license"] == "GPL-2.0-only"
    assert bb["sources"][0]["file"] == "busybox-1.35.0.tar.bz2"
    assert bb["sources"][0]["hashes"]["sha256"] == \
        "faeeb244c35a348a334f4a59e44626ee870fb07b6884d68c10ae8bc19f83a694"
    assert bb["dependencies"] == ["linux-headers", "musl"]
    assert "target" in bb["install"]
    assert info["musl"]["kind"] == "toolchain" and info["linux"]["kind"] == "kernel"
    assert make(configured, "show-info") == text
    # the configuration decides what is listed
    set_config(configured, "TR_PACKAGE_BUSYBOX=n")
    try:
        assert "busybox" not in json.loads(make(configured, "show-info"))
    finally:
        set_config(configured, "TR_PACKAGE_BUSYBOX=y")


def test_graph_depends_names_every_package(configured):
    make(configured, "graph-depends")
    graphs = configured / "graphs"
    svg = ET.parse(graphs / "graph-depends.svg").getroot()
    texts = {t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")}
    for pkg in ("linux-headers", "musl", "busybox", "linux"):
        assert pkg in texts, texts
    assert (graphs / "graph-depends.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    dot = (graphs / "graph-depends.dot").read_text()
    assert '"busybox" -> "musl";' in dot


def test_show_depends_and_rdepends(configured):
    assert make(configured, "busybox-show-depends").split() == ["linux-headers", "musl"]
    assert make(configured, "musl-show-rdepends").split() == ["busybox", "libcxx"]
    assert make(configured, "libcxx-show-depends").split() == ["linux-headers", "musl"]
    r = subprocess.run(["make", "-s", f"O={configured}", "nosuchpkg-show-depends"], cwd=TOP,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode != 0 and "nosuchpkg is not a package" in r.stderr


def test_printvars(configured):
    out = make(configured, "printvars", "VARS=BUSYBOX_VERSION MUSL_LICENSE")
    assert out.splitlines() == ["BUSYBOX_VERSION=1.35.0", "MUSL_LICENSE=MIT"]


def test_help_lists_every_defconfig_and_group():
    out = subprocess.run(["make", "help"], cwd=TOP, capture_output=True, text=True,
                         timeout=60).stdout
    for group in ("Cleaning:", "Build:", "Configuration:", "Package-specific:",
                  "Documentation:", "Miscellaneous:"):
        assert group in out
    for board in BOARDS:
        assert f"{board}_defconfig" in out

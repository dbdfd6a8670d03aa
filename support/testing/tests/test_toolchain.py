"""The toolchain: a missing cross compiler is named before anything is
downloaded; the compiler wrapper (toolchain/wrapper/wrapper.c) on its own,
built with ASan and UBSan into a scratch host/ folder laid out as
toolchain.mk lays it, drives the compiler compiled into it, finds the
sysroot from its own location, and refuses the build machine's header and
library folders."""
import os
import subprocess

import pytest

from conftest import SANITIZE, TEST_DIR, TOP

TUPLE = "x86_64-tinyroot-linux-musl"


@pytest.fixture
def wrapper(tmp_path):
    host = tmp_path / "host"
    (host / "bin").mkdir(parents=True)
    (host / TUPLE / "sysroot/usr/include").mkdir(parents=True)
    (host / TUPLE / "sysroot/usr/include/tr-marker.h").write_text("#define TR_MARKER 42\n")
    exe = host / "bin/tinyroot-wrapper"
    subprocess.run(["gcc", "-std=c11", *SANITIZE.split(), "-Wall", "-Wextra", "-Werror",
                    "-Wno-format-truncation", "-D_GNU_SOURCE", '-DTR_TOOLCHAIN_CC="gcc"',
                    '-DTR_ARCH_CFLAGS="-DTR_ARCH_FLAG=7 -O1"', "-fsanitize=address,undefined",
                    "-o", str(exe), str(TOP / "toolchain/wrapper/wrapper.c")], check=True)
    (host / "bin" / f"{TUPLE}-gcc").symlink_to("tinyroot-wrapper")
    return host / "bin" / f"{TUPLE}-gcc"


def run(wrapper, *args, cwd):
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=0")
    return subprocess.run([str(wrapper), *args], cwd=cwd, capture_output=True, text=True,
                          timeout=60, env=env)


def test_compiles_against_its_sysroot_with_the_arch_flags(wrapper, tmp_path):
    (tmp_path / "t.c").write_text(
        "#include <tr-marker.h>\n"
        "_Static_assert(TR_MARKER == 42, \"sysroot header\");\n"
        "_Static_assert(TR_ARCH_FLAG == 7, \"arch flags\");\n"
        "int f(void) { return TR_MARKER; }\n")
    r = run(wrapper, "-c", "t.c", "-o", "t.o", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "t.o").stat().st_size > 0
    # the compiler named at build time is the one run (TR_WRAPPER_DEBUG shows it)
    r = subprocess.run([str(wrapper), "-c", "t.c", "-o", "t.o"], cwd=tmp_path, capture_output=True,
                       text=True, timeout=60,
                       env=dict(os.environ, TR_WRAPPER_DEBUG="1", ASAN_OPTIONS="detect_leaks=0"))
    assert r.stderr.startswith("gcc -DTR_ARCH_FLAG=7 -O1 -nostdinc -isystem "), r.stderr


@pytest.mark.parametrize("args", [["-I/usr/include"], ["-I", "/usr/include/x"],
                                  ["-L/usr/lib"], ["-L", "/lib/x86_64-linux-gnu"],
                                  ["-isystem", "/usr/local/include"],
                                  ["-Wl,-rpath-link,/usr/lib"]])
def test_host_folders_are_refused(wrapper, tmp_path, args):
    (tmp_path / "t.c").write_text("int f(void) { return 0; }\n")
    r = run(wrapper, *args, "-c", "t.c", "-o", "t.o", cwd=tmp_path)
    assert r.returncode == 1
    assert "unsafe header or library path used in cross-compilation" in r.stderr, r.stderr
    assert not (tmp_path / "t.o").exists()


def test_folders_that_only_look_alike_are_fine(wrapper, tmp_path):
    (tmp_path / "t.c").write_text("int f(void) { return 0; }\n")
    r = run(wrapper, "-I/usr/libfoo-not-there", f"-I{tmp_path}/usr/include", "-c", "t.c",
            "-o", "t.o", cwd=tmp_path)
    assert r.returncode == 0, r.stderr


def test_missing_cross_toolchain_is_named_before_any_download(tmp_path):
    """A PATH without Debian's aarch64 cross tools: `make` for
    qemu_aarch64_virt stops at once, naming the packages to install."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for d in ("/usr/local/bin", "/usr/bin", "/bin"):
        for name in os.listdir(d):
            if not name.startswith("aarch64-linux-gnu-") and not (bin_dir / name).exists():
                (bin_dir / name).symlink_to(os.path.join(d, name))
    out = tmp_path / "o"
    env = dict(os.environ, PATH=str(bin_dir), TR_DL_DIR=str(TEST_DIR / "dl"))
    r = subprocess.run(["make", f"O={out}", "qemu_aarch64_virt_defconfig"], cwd=TOP, env=env,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    r = subprocess.run(["make", f"O={out}"], cwd=TOP, env=env, capture_output=True, text=True,
                       timeout=300)
    assert r.returncode != 0
    assert "the toolchain for aarch64 (aarch64-linux-gnu-gcc) is missing" in r.stderr, r.stderr
    assert "apt-get install gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu" in r.stderr
    assert not list((out / "build").glob("*/.stamp_downloaded"))

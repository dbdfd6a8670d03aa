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


def build_wrapper(host, *defines):
    (host / "bin").mkdir(parents=True)
    (host / TUPLE / "sysroot/usr/include").mkdir(parents=True)
    (host / TUPLE / "sysroot/usr/include/tr-marker.h").write_text("#define TR_MARKER 42\n")
    exe = host / "bin/tinyroot-wrapper"
    subprocess.run(["gcc", "-std=c11", *SANITIZE.split(), "-Wall", "-Wextra", "-Werror",
                    "-Wno-format-truncation", "-D_GNU_SOURCE", '-DTR_TOOLCHAIN_CC="gcc"',
                    '-DTR_ARCH_CFLAGS="-DTR_ARCH_FLAG=7 -O1"', *defines,
                    "-fsanitize=address,undefined",
                    "-o", str(exe), str(TOP / "toolchain/wrapper/wrapper.c")], check=True)
    (host / "bin" / f"{TUPLE}-gcc").symlink_to("tinyroot-wrapper")
    return host / "bin" / f"{TUPLE}-gcc"


@pytest.fixture
def wrapper(tmp_path):
    return build_wrapper(tmp_path / "host")


def link_line(wrapper, *args, cwd):
    """The compiler command the wrapper runs for `args` (TR_WRAPPER_DEBUG),
    with a stand-in compiler that names gcc's files <cwd>/gcc/<file> (where
    a libgcc_eh.a exists, as in Debian's gcc) and links nothing."""
    (cwd / "gcc").mkdir(exist_ok=True)
    (cwd / "gcc/libgcc_eh.a").write_bytes(b"")
    cc = cwd / "fake-cc"
    cc.write_text(f'#!/bin/sh\nfor a; do case "$a" in\n'
                  f'-print-file-name=*) echo "{cwd}/gcc/${{a#-print-file-name=}}"; exit 0 ;;\n'
                  f'-print-libgcc-file-name) echo {cwd}/gcc/libgcc.a; exit 0 ;;\nesac; done\n')
    cc.chmod(0o755)
    r = subprocess.run([str(wrapper), *args], cwd=cwd, capture_output=True, text=True, timeout=60,
                       env=dict(os.environ, TR_WRAPPER_DEBUG="1", ASAN_OPTIONS="detect_leaks=0",
                                TR_WRAPPER_CC=str(cc)))
    assert r.returncode == 0, r.stderr
    return r.stderr.split()


def test_links_static_or_dynamic_as_the_libraries_choice_says(wrapper, tmp_path):
    """Static only: every program is linked -static with crtbeginT.o. With
    shared libraries compiled in (TR_DYNAMIC_LOADER): a program gets musl's
    loader as its interpreter, crt1.o/crtbegin.o and no -static (not PIE);
    -static still gives a static one; -shared a shared object, without
    crt1.o, with crtbeginS.o/crtendS.o; -pie the PIE start files."""
    words = link_line(wrapper, "t.o", "-o", "t", cwd=tmp_path)
    assert "-static" in words and any(w.endswith("crtbeginT.o") for w in words), words
    assert any(w.endswith("/libgcc_eh.a") for w in words), words
    assert not any("dynamic-linker" in w for w in words)
    dyn = build_wrapper(tmp_path / "dyn", '-DTR_DYNAMIC_LOADER="/lib/ld-musl-x86_64.so.1"')
    words = link_line(dyn, "t.o", "-o", "t", cwd=tmp_path)
    assert "-static" not in words and "-no-pie" in words, words
    assert "-Wl,-dynamic-linker,/lib/ld-musl-x86_64.so.1" in words
    assert any(w.endswith("/crt1.o") for w in words) and any(w.endswith("/crtbegin.o") for w in words)
    words = link_line(dyn, "-static", "t.o", "-o", "t", cwd=tmp_path)
    assert any(w.endswith("crtbeginT.o") for w in words) and not any("dynamic-linker" in w for w in words)
    words = link_line(dyn, "-shared", "t.o", "-o", "libt.so", cwd=tmp_path)
    assert not any(w.endswith("crt1.o") for w in words) and "-static" not in words, words
    assert any(w.endswith("crtbeginS.o") for w in words) and any(w.endswith("crtendS.o") for w in words)
    assert not any("dynamic-linker" in w or w.endswith("libgcc_eh.a") for w in words)
    words = link_line(dyn, "-pie", "t.o", "-o", "t", cwd=tmp_path)
    assert any(w.endswith("/Scrt1.o") for w in words) and "-no-pie" not in words, words


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


def test_launcher_runs_the_compiler_through_ccache(wrapper, tmp_path):
    """TR_WRAPPER_LAUNCHER=ccache (what TR_CCACHE sets): the same compilation
    twice is a miss, then a hit, with the same object; unset, no ccache runs."""
    (tmp_path / "t.c").write_text("#include <tr-marker.h>\nint f(void) { return TR_MARKER; }\n")
    cache = tmp_path / "ccache"
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=0", TR_WRAPPER_LAUNCHER="ccache",
               CCACHE_DIR=str(cache))

    def compile_and_count(out):
        r = subprocess.run([str(wrapper), "-c", "t.c", "-o", out], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stderr
        stats = subprocess.run(["ccache", "--print-stats"], env=env, capture_output=True,
                               text=True, timeout=60, check=True).stdout
        counts = dict(l.split("\t") for l in stats.splitlines())
        return int(counts["cache_miss"]), int(counts["direct_cache_hit"]) + \
            int(counts["preprocessed_cache_hit"])

    assert compile_and_count("a.o") == (1, 0)
    assert compile_and_count("b.o") == (1, 1)
    assert (tmp_path / "a.o").read_bytes() == (tmp_path / "b.o").read_bytes()
    del env["TR_WRAPPER_LAUNCHER"]
    assert compile_and_count("c.o") == (1, 1)


def test_toolchain_gcc_name_adds_nothing_but_the_launcher(wrapper, tmp_path):
    """Called as tinyroot-toolchain-gcc (the kernel's and musl's CC) the
    wrapper runs the toolchain's gcc with the arguments as given: no
    sysroot, no arch flags; the launcher comes first when set."""
    bare = wrapper.parent / "tinyroot-toolchain-gcc"
    bare.symlink_to("tinyroot-wrapper")
    launcher = tmp_path / "launcher"
    launcher.write_text('#!/bin/sh\necho "$@" > "$(dirname "$0")/launched"\nexec "$@"\n')
    launcher.chmod(0o755)
    (tmp_path / "t.c").write_text("#ifdef TR_ARCH_FLAG\n#error arch flags added\n#endif\n"
                                  "#include <stdio.h>\nint f(void) { return EOF; }\n")
    r = run(bare, "-c", "t.c", "-o", "t.o", cwd=tmp_path)
    assert r.returncode == 0, r.stderr  # the host's <stdio.h>: no -nostdinc
    r = subprocess.run([str(bare), "-c", "t.c", "-o", "u.o"], cwd=tmp_path, capture_output=True,
                       text=True, timeout=60, env=dict(os.environ, ASAN_OPTIONS="detect_leaks=0",
                                                       TR_WRAPPER_LAUNCHER=str(launcher)))
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "launched").read_text() == "gcc -c t.c -o u.o\n"


def path_without(tmp_path, *prefixes):
    """A folder of links to every program on the usual PATH but those whose
    names start with one of `prefixes`."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for d in ("/usr/local/bin", "/usr/bin", "/bin"):
        for name in os.listdir(d):
            if not name.startswith(prefixes) and not (bin_dir / name).exists():
                (bin_dir / name).symlink_to(os.path.join(d, name))
    return bin_dir


def test_missing_launcher_is_named_before_anything_is_built(tmp_path):
    """TR_CCACHE or TR_DISTCC_HOSTS on a machine without ccache or distcc:
    `make` stops at once, naming the package to install."""
    env = dict(os.environ, PATH=str(path_without(tmp_path, "ccache", "distcc")),
               TR_DL_DIR=str(TEST_DIR / "dl"))
    for line, tool in (("TR_CCACHE=y", "ccache"), ('TR_DISTCC_HOSTS="127.0.0.1/2"', "distcc")):
        out = tmp_path / tool
        r = subprocess.run(["make", f"O={out}", "qemu_x86_64_defconfig"], cwd=TOP, env=env,
                           capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr
        with open(out / ".config", "a") as f:
            f.write(line + "\n")
        r = subprocess.run(["make", f"O={out}"], cwd=TOP, env=env, capture_output=True,
                           text=True, timeout=300)
        assert r.returncode != 0
        assert f"{tool} is not installed" in r.stderr, r.stderr
        assert f"sudo apt-get install {tool}" in r.stderr
        assert not (out / "build").exists() or not list((out / "build").glob("*/.stamp_*"))


def test_missing_cross_toolchain_is_named_before_any_download(tmp_path):
    """A PATH without Debian's aarch64 cross tools: `make` for
    qemu_aarch64_virt stops at once, naming the packages to install."""
    bin_dir = path_without(tmp_path, "aarch64-linux-gnu-")
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

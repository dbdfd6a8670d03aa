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


def fake_cc(cwd):
    """A stand-in compiler that names gcc's files <cwd>/gcc/<file> (where a
    libgcc_eh.a exists, as in Debian's gcc) and links nothing."""
    (cwd / "gcc").mkdir(exist_ok=True)
    (cwd / "gcc/libgcc_eh.a").write_bytes(b"")
    cc = cwd / "fake-cc"
    cc.write_text(f'#!/bin/sh\nfor a; do case "$a" in\n'
                  f'-print-file-name=*) echo "{cwd}/gcc/${{a#-print-file-name=}}"; exit 0 ;;\n'
                  f'-print-libgcc-file-name) echo {cwd}/gcc/libgcc.a; exit 0 ;;\nesac; done\n')
    cc.chmod(0o755)
    return cc


def link_line(wrapper, *args, cwd):
    """The compiler command the wrapper runs for `args` (TR_WRAPPER_DEBUG),
    with the stand-in compiler of fake_cc (for C and C++)."""
    cc = fake_cc(cwd)
    r = subprocess.run([str(wrapper), *args], cwd=cwd, capture_output=True, text=True, timeout=60,
                       env=dict(os.environ, TR_WRAPPER_DEBUG="1", ASAN_OPTIONS="detect_leaks=0",
                                TR_WRAPPER_CC=str(cc), TR_WRAPPER_CXX=str(cc)))
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


def test_cxx_names_link_libcxx_and_take_its_headers_first(wrapper, tmp_path):
    """Called as <tuple>-g++ (or -c++) the wrapper runs the C++ compiler
    with libc++'s headers before musl's and links libc++, libc++abi and
    libunwind inside the group with -lc, with --eh-frame-hdr (LLVM's
    unwinder needs it in a static program); -nostdlib++ leaves the three
    out; -nostdinc++ leaves the headers out; neither is passed on (gcc 12
    does not know the first and warns of the second in C, which build
    systems' flag checks take for a refusal). The C names get none of it."""
    gxx = wrapper.parent / f"{TUPLE}-g++"
    gxx.symlink_to("tinyroot-wrapper")
    sysroot = wrapper.parent.parent / TUPLE / "sysroot"
    words = link_line(gxx, "t.o", "-o", "t", cwd=tmp_path)
    assert words[0].endswith("fake-cc")
    v1 = str(sysroot.resolve() / "usr/include/c++/v1")
    assert words.index(v1) < words.index(str(sysroot.resolve() / "usr/include")), words
    group = words[words.index("-Wl,--start-group"):words.index("-Wl,--end-group")]
    assert group[1:5] == ["-lc++", "-lc++abi", "-lunwind", "-lc"], group
    assert "-Wl,--eh-frame-hdr" in words
    words = link_line(gxx, "-nostdlib++", "-nostdinc++", "t.o", "-o", "t", cwd=tmp_path)
    assert "-nostdlib++" not in words and "-nostdinc++" not in words and "-lc" in words, words
    assert not {"-lc++", "-lc++abi", "-lunwind", "-Wl,--eh-frame-hdr", v1} & set(words), words
    words = link_line(wrapper, "t.o", "-o", "t", cwd=tmp_path)
    assert not {"-lc++", "-Wl,--eh-frame-hdr", v1} & set(words), words


@pytest.mark.parametrize("lang", [["-x", "c"], ["-xc"]])
def test_files_added_after_a_language_are_read_as_files(wrapper, tmp_path, lang):
    """gcc -x c - -o out (a link from standard input, as toolchain checks
    do): the libraries and end files the wrapper adds after the command
    line follow -x none, or gcc would read them as C."""
    words = link_line(wrapper, *lang, "-", "-o", "t", cwd=tmp_path)
    none = [i for i in range(len(words) - 1) if words[i:i + 2] == ["-x", "none"]]
    assert none and none[0] > words.index("-") and none[0] < words.index("-lc"), words
    # a command line that ends its language itself gets no second -x none
    words = link_line(wrapper, "-x", "c", "a.c", "-x", "none", "b.o", "-o", "t", cwd=tmp_path)
    assert [words[i + 1] for i in range(len(words) - 1) if words[i] == "-x"] == ["c", "none"], words


def test_toolchain_questions_are_answered_for_the_sysroot(wrapper, tmp_path):
    """What other build systems' external-toolchain checks ask
    (Buildroot's: -print-sysroot, -print-file-name=libc.a to tell the C
    library): the sysroot; its file; gcc's own runtime files from gcc;
    any other library the bare name (never the build machine's); the tuple
    for -dumpmachine."""
    sysroot = (wrapper.parent.parent / TUPLE / "sysroot").resolve()
    (sysroot / "usr/lib").mkdir(parents=True)
    (sysroot / "usr/lib/libc.a").write_bytes(b"!<arch>\n")
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=0", TR_WRAPPER_CC=str(fake_cc(tmp_path)))

    def ask(*args):
        r = subprocess.run([str(wrapper), *args], cwd=tmp_path, capture_output=True, text=True,
                           timeout=60, env=env)
        assert r.returncode == 0, r.stderr
        return r.stdout.strip()
    assert ask("-print-sysroot") == str(sysroot)
    assert ask("-print-file-name=libc.a") == str(sysroot / "usr/lib/libc.a")
    assert ask("-print-file-name=libgcc.a") == f"{tmp_path}/gcc/libgcc.a"
    assert ask("-print-file-name=crtbeginT.o") == f"{tmp_path}/gcc/crtbeginT.o"
    for lib in ("libstdc++.a", "libgcc_s.so", "libm.so.6"):
        assert ask(f"-print-file-name={lib}") == lib
    # gcc's long spellings; the name as the next word
    assert ask("--print-file-name=libc.a") == ask("--print-file-name", "libc.a") == \
        str(sysroot / "usr/lib/libc.a")
    # glibc's start files are not gcc's own; a name that is no plain file
    # name, a link out of the sysroot, are answered with the name alone
    assert ask("-print-file-name=crt1.o") == "crt1.o"
    (sysroot / "usr/lib/libz.so").symlink_to("/usr/lib/x86_64-linux-gnu/libz.so.1")
    for name in ("..", "../../../etc/passwd", "crt$(touch pwned).o", "libz.so"):
        assert ask(f"-print-file-name={name}") == name
    assert not (tmp_path / "pwned").exists()
    assert ask("-dumpmachine") == TUPLE
    assert ask("-print-multiarch") == ""
    # the command line is checked first
    r = subprocess.run([str(wrapper), "-L/usr/lib", "-print-file-name=libc.a"], cwd=tmp_path,
                       capture_output=True, text=True, timeout=60, env=env)
    assert r.returncode == 1 and "unsafe header or library path" in r.stderr, r.stderr


def test_a_verbose_link_is_a_link(wrapper, tmp_path):
    """gcc -v t.o -o t links (verbosely: CMake and libtool read a compiler's
    link line so): the wrapper's start files and -nostdlib as for any link;
    -v alone, or --version, is a question."""
    words = link_line(wrapper, "-v", "t.o", "-o", "t", cwd=tmp_path)
    assert "-nostdlib" in words and any(w.endswith("/crt1.o") for w in words), words
    words = link_line(wrapper, "-v", "-o", "t", "-x", "c", "-", cwd=tmp_path)
    assert "-nostdlib" in words, words
    for question in (["-v"], ["--version"], ["-print-libgcc-file-name"], ["-v", "-o", "x"]):
        words = link_line(wrapper, *question, cwd=tmp_path)
        assert "-nostdlib" not in words and not any(w.endswith("crt1.o") for w in words), words


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
    qemu_aarch64_virt stops at once, naming the packages to install (its
    g++'s too: the board has C++ support)."""
    bin_dir = path_without(tmp_path, "aarch64-linux-gnu-")
    out = tmp_path / "o"
    env = dict(os.environ, PATH=str(bin_dir), TR_DL_DIR=str(TEST_DIR / "dl"))
    r = subprocess.run(["make", f"O={out}", "qemu_aarch64_virt_defconfig"], cwd=TOP, env=env,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    r = subprocess.run(["make", f"O={out}"], cwd=TOP, env=env, capture_output=True, text=True,
                       timeout=300)
    assert r.returncode != 0
    # (the board has C++ support on: its g++ is named too)
    assert "the toolchain for aarch64 (aarch64-linux-gnu-gcc and g++) is missing" in r.stderr, r.stderr
    assert "apt-get install gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu g++-aarch64-linux-gnu" \
        in r.stderr
    assert not list((out / "build").glob("*/.stamp_downloaded"))


# The build machine's zlib, which a target link must never see (Debian's
# zlib1g-dev; the host-deps script installs it).
HOST_LIBZ = "/usr/lib/x86_64-linux-gnu/libz.a"
HOST_ZLIB_H = "/usr/include/zlib.h"
needs_host_zlib = pytest.mark.skipif(not (os.path.exists(HOST_LIBZ) and os.path.exists(HOST_ZLIB_H)),
                                     reason="the build machine has no zlib to leak")

# Each way round a literal-prefix check: ({up} is ../ enough times to
# climb from the working folder to /, {link} a link there to /usr/include,
# {rsp} a response file holding -I/usr/include), and what the refusal names.
BYPASSES = [
    (["-I//usr/include"], "/usr/include"),
    (["-I/usr/./include"], "/usr/include"),
    (["-I{up}usr/include"], "/usr/include"),
    (["-I", "{link}"], "/usr/include"),
    (["-isystem", "/usr//include"], "/usr/include"),
    (["-idirafter", "//usr/include"], "/usr/include"),
    (["-iquote", "/usr/lib/../include"], "/usr/include"),
    (["-iprefix", "/usr/", "-iwithprefix", "include"], "/usr/include"),
    (["-iprefix", "/usr/", "-iwithprefixbefore", "include"], "/usr/include"),
    # gcc's own prefix is /usr/lib/gcc/<triplet>/<version>/
    (["-iwithprefixbefore", "../../../../include"], "/usr/include"),
    (["-I=/../../../../../../../../../../../../../usr/include"], "/usr/include"),
    (["--include-directory=/usr/include"], "/usr/include"),
    (["-include", "/usr/include/zlib.h"], "/usr/include/zlib.h"),
    (["-Wp,-I,/usr/include"], "/usr/include"),
    (["-Xpreprocessor", "-I", "-Xpreprocessor", "/usr/include"], "/usr/include"),
    (["@{rsp}"], "/usr/include"),
    (["--sysroot=/"], "a sysroot other than"),
    (["--sysroot", "/usr"], "a sysroot other than"),
    (["-isysroot", "/"], "a sysroot other than"),
    (["-Wl,--sysroot=/"], "a sysroot other than"),
    (["-B/usr/lib/x86_64-linux-gnu/"], "/usr/lib/x86_64-linux-gnu"),
    (["-L//usr/lib/x86_64-linux-gnu", "-lz"], "/usr/lib/x86_64-linux-gnu"),
    (["-L{up}lib/x86_64-linux-gnu", "-lz"], "/lib/x86_64-linux-gnu"),
    (["-Wl,-L/usr/lib/x86_64-linux-gnu", "-lz"], "/usr/lib/x86_64-linux-gnu"),
    (["-Wl,-L,/usr/lib/x86_64-linux-gnu", "-lz"], "/usr/lib/x86_64-linux-gnu"),
    (["-Wl,--library-path=/usr/local/lib", "-lz"], "/usr/local/lib"),
    (["-Xlinker", "-L", "-Xlinker", "/usr/lib", "-lz"], "/usr/lib"),
    (["-Wl,-rpath-link,//usr/lib"], "/usr/lib"),
    (["-Wl,-rpath-link=/usr/lib"], "/usr/lib"),
    (["-Wl,-T,/usr/lib/x86_64-linux-gnu/libc.so"], "/usr/lib/x86_64-linux-gnu/libc.so"),
    (["/usr/lib/x86_64-linux-gnu/libz.a"], "/usr/lib/x86_64-linux-gnu/libz.a"),
    (["//usr/lib/x86_64-linux-gnu/libz.so"], "/usr/lib/x86_64-linux-gnu/libz.so"),
    (["{up}usr/lib/x86_64-linux-gnu/crt1.o"], "/usr/lib/x86_64-linux-gnu/crt1.o"),
    (["-Wl,/usr/lib/x86_64-linux-gnu/libz.a"], "/usr/lib/x86_64-linux-gnu/libz.a"),
]


@needs_host_zlib
@pytest.mark.parametrize("args,named", BYPASSES, ids=[" ".join(a) for a, _ in BYPASSES])
def test_host_paths_are_refused_in_every_spelling(wrapper, tmp_path, args, named):
    """Every path argument is normalised (slashes, ".", "..", links, the
    working folder, -iprefix + -iwithprefix, "=" for the sysroot, -Wl,
    -Xlinker, -Wp, response files) before the check: each spelling of the
    build machine's folders is refused, naming what it resolved to, and
    nothing is compiled."""
    work = tmp_path / "build/pkg"
    work.mkdir(parents=True)
    (work / "inc").symlink_to("/usr/include")
    (work / "args.rsp").write_text("-DX=1 '-I/usr/include'\n")
    up = "../" * len(work.parts[1:])
    args = [a.format(up=up, link="inc", rsp="args.rsp") for a in args]
    (work / "z.c").write_text("#include <zlib.h>\nint main(void) { return zlibVersion()[0]; }\n")
    r = run(wrapper, *args, "z.c", "-o", "z", cwd=work)
    assert r.returncode == 1, r.stderr
    assert "unsafe header or library path used in cross-compilation" in r.stderr, r.stderr
    assert named in r.stderr, r.stderr
    assert not (work / "z").exists()


def test_sysroot_and_build_tree_paths_stay_allowed(wrapper, tmp_path):
    """What is not the build machine's passes: "=" and --sysroot naming the
    sysroot (also through a link, as $(O)/staging is), the build tree,
    and the target's runtime paths given to ld (-rpath, the loader)."""
    sysroot = wrapper.parent.parent / TUPLE / "sysroot"
    (tmp_path / "staging").symlink_to(sysroot)
    (tmp_path / "t.c").write_text("#include <tr-marker.h>\nint f(void) { return TR_MARKER; }\n")
    r = run(wrapper, "-I=/usr/include", f"--sysroot={tmp_path}/staging",
            "-isystem", "staging/usr/include", "-I../" + tmp_path.name, "-Wl,-rpath,/usr/lib",
            "-Wl,-dynamic-linker,/lib/ld-musl-x86_64.so.1", "-c", "t.c", "-o", "t.o", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "t.o").stat().st_size > 0


@needs_host_zlib
def test_compiler_search_variables_are_cleared(wrapper, tmp_path):
    """CPATH and C_INCLUDE_PATH would add /usr/include behind -nostdinc's
    back: the wrapper clears them, so the build machine's <zlib.h> is not
    found (gcc -H would list it)."""
    (tmp_path / "z.c").write_text("#include <zlib.h>\nint f(void) { return 0; }\n")
    for var in ("CPATH", "C_INCLUDE_PATH"):
        r = subprocess.run([str(wrapper), "-H", "-c", "z.c", "-o", "z.o"], cwd=tmp_path,
                           capture_output=True, text=True, timeout=60,
                           env=dict(os.environ, ASAN_OPTIONS="detect_leaks=0",
                                    **{var: "/usr/include"}))
        assert r.returncode != 0
        assert "zlib.h: No such file or directory" in r.stderr, r.stderr
        assert HOST_ZLIB_H not in r.stderr
        assert not (tmp_path / "z.o").exists()


def stub_sysroot(host):
    """A sysroot a static link can succeed against, built with the host's gcc
    from nothing: crt1.o, crti.o, crtn.o and a libc.a with no functions
    (the program below calls none); no zlib."""
    lib = host / TUPLE / "sysroot/usr/lib"
    lib.mkdir(parents=True, exist_ok=True)
    src = host / "stub-src"
    src.mkdir()
    sources = {"crt1": "int main(void);\nvoid _start(void) { main(); for (;;) ; }\n",
               "crti": "", "crtn": "", "libc": "int tr_stub_libc;\n"}
    for name, text in sources.items():
        (src / f"{name}.c").write_text(text)
        subprocess.run(["gcc", "-ffreestanding", "-fno-stack-protector", "-c", str(src / f"{name}.c"),
                        "-o", str(lib / f"{name}.o")], check=True, timeout=60)
    subprocess.run(["ar", "rcs", str(lib / "libc.a"), str(lib / "libc.o")], check=True, timeout=60)
    (lib / "libc.o").unlink()
    return lib


def stub_zlib(folder, marker):
    """A libz.a whose zlibVersion() returns marker."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "zlib-stub.c").write_text(f'const char *zlibVersion(void) {{ return "{marker}"; }}\n')
    subprocess.run(["gcc", "-c", str(folder / "zlib-stub.c"), "-o", str(folder / "zlib-stub.o")],
                   check=True, timeout=60)
    subprocess.run(["ar", "rcs", str(folder / "libz.a"), str(folder / "zlib-stub.o")], check=True,
                   timeout=60)


@needs_host_zlib
def test_plain_lz_finds_only_the_sysroot_zlib(wrapper, tmp_path):
    """gcc's own library folders (/usr/lib/<triplet>, /usr/lib, LIBRARY_PATH)
    survive -nostdlib and ld's script searches /usr/lib: a plain -lz linked
    the build machine's libz.a. Now -lz links the sysroot's libz.a (its
    marker is in the program, read back with readelf); without one, the
    link fails to find -lz, even with LIBRARY_PATH naming a folder with a
    libz.a, and ld's trace opened no libz at all."""
    lib = stub_sysroot(wrapper.parent.parent)
    (tmp_path / "z.c").write_text("const char *zlibVersion(void);\n"
                                  "int main(void) { return zlibVersion()[0]; }\n")
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=0")

    def link(**extra):
        return subprocess.run([str(wrapper), "z.c", "-o", "z", "-lz", "-Wl,--trace"], cwd=tmp_path,
                              capture_output=True, text=True, timeout=60, env=dict(env, **extra))

    stub_zlib(lib, "tinyroot-target-zlib")
    r = link()
    assert r.returncode == 0, r.stderr
    rodata = subprocess.run(["readelf", "-p", ".rodata", str(tmp_path / "z")], capture_output=True,
                            text=True, timeout=60, check=True).stdout
    assert "tinyroot-target-zlib" in rodata
    (tmp_path / "z").unlink()

    (lib / "libz.a").unlink()
    stub_zlib(tmp_path / "elsewhere", "elsewhere-zlib")
    for extra in ({}, {"LIBRARY_PATH": str(tmp_path / "elsewhere")}):
        r = link(**extra)
        assert r.returncode != 0
        assert "cannot find -lz" in r.stderr, r.stderr
        assert "libz" not in r.stdout + r.stderr.replace("cannot find -lz", ""), r.stdout + r.stderr
        assert not (tmp_path / "z").exists()

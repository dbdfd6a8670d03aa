"""libkconfig against Linux 6.1's own conf, built at test time from Debian's
linux-source-6.1 package: the same Kconfig file, mode and environment must
give byte-identical .config and savedefconfig output."""
import json
import os
import pathlib
import shutil
import subprocess

import pytest

from conftest import TEST_DIR, TOP, no_sanitizer_report

CORPUS_DIR = TOP / "support/kconfig/tests/corpus"
CORPUS = sorted(CORPUS_DIR.glob("*.Kconfig"))
MODES = ["alldefconfig", "allnoconfig", "allyesconfig", "allmodconfig"]
# four seeds per corpus file (280 randconfig runs against conf's); the
# libFuzzer target (test_fuzz.py, `make fuzz`) explores beyond them
SEEDS = [f"0x{n:x}" for n in range(1, 5)]
LINUX_ENV = {"SRCARCH": "x86", "srctree": ".", "CC": "gcc", "LD": "ld",
             "KERNELVERSION": "6.1"}


@pytest.fixture(scope="session")
def refconf():
    """Linux 6.1 scripts/kconfig/conf, built from /usr/src/linux-source-6.1."""
    out = TEST_DIR / "refconf"
    conf = out / "conf"
    if conf.exists():
        return conf
    src = pathlib.Path("/usr/src/linux-source-6.1.tar.xz")
    if not src.exists():
        pytest.fail("linux-source-6.1 is not installed (support/scripts/install-host-deps.sh)")
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(["tar", "-xf", src, "-C", out, "--strip-components=3", "--wildcards",
                    "--exclude=*/scripts/kconfig/*/*", "*/scripts/kconfig/*"],
                   check=True, timeout=600)
    subprocess.run(["flex", "-o", "lexer.lex.c", "lexer.l"], cwd=out, check=True)
    subprocess.run(["bison", "-t", "-d", "-o", "parser.tab.c", "parser.y"], cwd=out, check=True)
    subprocess.run(["gcc", "-O2", "-I.", "-o", "conf", "conf.c", "confdata.c", "expr.c",
                    "lexer.lex.c", "menu.c", "parser.tab.c", "preprocess.c", "symbol.c",
                    "util.c"], cwd=out, check=True)
    return conf


def run(tool, args, cwd, env_extra=None):
    env = dict(os.environ, KCONFIG_CONFIG=".config")
    env.pop("KCONFIG_SEED", None)
    env.update(env_extra or {})
    return no_sanitizer_report(subprocess.run([str(tool)] + args, cwd=cwd, env=env,
                                              capture_output=True, stdin=subprocess.DEVNULL,
                                              text=True, timeout=90))


@pytest.mark.parametrize("kconfig", CORPUS, ids=[p.stem for p in CORPUS])
@pytest.mark.parametrize("mode", MODES)
def test_corpus_matches_linux_conf(tools, refconf, tmp_path, kconfig, mode):
    results = {}
    for name, tool in (("ref", refconf), ("ours", tools["kconfig"])):
        d = tmp_path / name
        d.mkdir()
        shutil.copy(kconfig, d / "Kconfig")
        r = run(tool, [f"--{mode}", "Kconfig"], d)
        assert r.returncode == 0, r.stderr
        warnings = r.stderr
        r = run(tool, ["--savedefconfig=defconfig", "Kconfig"], d)
        assert r.returncode == 0, r.stderr
        results[name] = ((d / ".config").read_bytes(), (d / "defconfig").read_bytes(),
                         warnings + r.stderr)
    assert results["ours"][0] == results["ref"][0]
    assert results["ours"][1] == results["ref"][1]
    assert results["ours"][2] == results["ref"][2]


def both(tools, refconf, workdir, args, env=None, kconfig="Kconfig", files=(".config",)):
    """Run conf and our kconfig with the same arguments in `workdir`, writing
    to separate files; return {name: [file contents...]}."""
    got = {}
    for name, tool in (("ref", refconf), ("ours", tools["kconfig"])):
        cfg = workdir / f"{name}.config"
        e = dict(env or {}, KCONFIG_CONFIG=str(cfg),
                 KCONFIG_AUTOCONFIG=str(workdir / f"{name}.auto.conf"),
                 KCONFIG_AUTOHEADER=str(workdir / f"{name}.autoconf.h"))
        for a in args:
            a = [x.replace("@NAME@", name) for x in a]
            r = run(tool, a + [kconfig], workdir, e)
            assert r.returncode == 0, f"{name} {a}: {r.stderr[-2000:]}"
        got[name] = [(workdir / f.replace("@NAME@", name)).read_bytes() for f in files]
    return got


@pytest.mark.parametrize("kconfig", CORPUS, ids=[p.stem for p in CORPUS])
def test_corpus_randconfig_seeds(tools, refconf, tmp_path, kconfig):
    shutil.copy(kconfig, tmp_path / "Kconfig")
    for seed in SEEDS:
        got = both(tools, refconf, tmp_path, [["--randconfig"], ["--savedefconfig=@NAME@.def"]],
                   env={"KCONFIG_SEED": seed}, files=("@NAME@.config", "@NAME@.def"))
        assert got["ours"] == got["ref"], seed


# Linux 6.1 conf --syncconfig asks again and again, with stdin closed, for
# an int that has neither a value nor a default (int_default's M): there is
# no output of conf to compare with, so the case is left out of the
# comparison and test_syncconfig_with_stdin_closed_ends checks that ours ends.
CONF_ASKS_FOREVER = {"int_default"}
SYNC_CORPUS = [p for p in CORPUS if p.stem not in CONF_ASKS_FOREVER]


@pytest.mark.parametrize("kconfig", SYNC_CORPUS, ids=[p.stem for p in SYNC_CORPUS])
def test_corpus_syncconfig_outputs(tools, refconf, tmp_path, kconfig):
    """auto.conf and autoconf.h, compared as sorted lines (conf writes them
    in hash-table order). A time-out of either tool is a failure."""
    shutil.copy(kconfig, tmp_path / "Kconfig")
    got = both(tools, refconf, tmp_path, [["--allyesconfig"], ["--syncconfig"]],
               files=("@NAME@.config", "@NAME@.auto.conf", "@NAME@.autoconf.h"))
    assert got["ours"][0] == got["ref"][0]
    for i in (1, 2):
        assert sorted(got["ours"][i].splitlines()) == sorted(got["ref"][i].splitlines())


@pytest.mark.parametrize("stem", sorted(CONF_ASKS_FOREVER))
def test_syncconfig_with_stdin_closed_ends(tools, tmp_path, stem):
    """The corpus cases conf answers with an endless prompt: ours ends with
    stdin closed, and leaves the valueless int empty in auto.conf."""
    shutil.copy(CORPUS_DIR / f"{stem}.Kconfig", tmp_path / "Kconfig")
    env = {"KCONFIG_AUTOCONFIG": "auto.conf", "KCONFIG_AUTOHEADER": "autoconf.h"}
    for args in (["--allyesconfig"], ["--syncconfig"]):
        r = run(tools["kconfig"], args + ["Kconfig"], tmp_path, env)
        assert r.returncode == 0, r.stderr
    assert "CONFIG_M=\n" in (tmp_path / "auto.conf").read_text()


@pytest.fixture(scope="session")
def linux_tree():
    """The parts of the Linux 6.1 tree (Debian's linux-source-6.1) that
    Kconfig reads, extracted once: every Kconfig file, the defconfigs and
    fragments, and the scripts its $(shell,...) and $(success,...) calls
    run. About 26 MB rather than the whole tree's 1.4 GB, on a disk the
    board builds share."""
    tree = TEST_DIR / "linux-6.1"
    if not (tree / "Kconfig").exists():
        tmp = TEST_DIR / "linux-6.1.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        subprocess.run(["tar", "-xf", "/usr/src/linux-source-6.1.tar.xz", "-C", tmp,
                        "--strip-components=1", "--wildcards", "*Kconfig*", "*/scripts/*",
                        "*/configs/*", "*/arch/*/tools/*"], check=True, timeout=900)
        shutil.rmtree(tree, ignore_errors=True)
        tmp.rename(tree)
    return tree


# x86_64 with the mode that sets the most symbols, the one that takes every
# default, and its defconfig; i386 (the same tree, other arch symbols) with
# its defconfig (the corpus tests above take every mode)
LINUX_CASES = [(arch, mode) for arch, modes in (("x86_64", ["alldefconfig", "allyesconfig"]),
                                                ("i386", []))
               for mode in modes + [f"defconfig=arch/x86/configs/{arch}_defconfig"]]


@pytest.mark.parametrize("arch,mode", LINUX_CASES, ids=[f"{a}-{m.split('/')[-1]}" for a, m in LINUX_CASES])
def test_linux_tree_matches_conf(tools, refconf, linux_tree, tmp_path, arch, mode):
    """As Kbuild runs conf for `make O=...`: from the output folder, with
    srctree naming the source tree, and -s (make -s); the Kconfig file and
    the defconfig are found under srctree (6.1 zconf_fopen). Bytes and
    warnings compared."""
    outs = {}
    for name, tool in (("ref", refconf), ("ours", tools["kconfig"])):
        objtree = tmp_path / name
        objtree.mkdir()
        env = dict(LINUX_ENV, ARCH=arch, srctree=str(linux_tree), KCONFIG_CONFIG=".config")
        r = run(tool, ["-s", f"--{mode}", "Kconfig"], objtree, env)
        assert r.returncode == 0, r.stderr[-2000:]
        warnings = r.stderr
        r = run(tool, ["--savedefconfig=defconfig", "Kconfig"], objtree, env)
        assert r.returncode == 0, r.stderr[-2000:]
        outs[name] = ((objtree / ".config").read_bytes(), (objtree / "defconfig").read_bytes(),
                      warnings)
    assert outs["ours"][0] == outs["ref"][0]
    assert outs["ours"][1] == outs["ref"][1]
    assert outs["ours"][2] == outs["ref"][2]


@pytest.mark.parametrize("seed", ["0x1", "0x2a", "0xdead"])
def test_linux_tree_randconfig_matches_conf(tools, refconf, linux_tree, tmp_path, seed):
    outs = {}
    for name, tool in (("ref", refconf), ("ours", tools["kconfig"])):
        env = dict(LINUX_ENV, ARCH="x86_64", KCONFIG_SEED=seed,
                   KCONFIG_CONFIG=str(tmp_path / f"{name}.config"))
        r = run(tool, ["--randconfig", "Kconfig"], linux_tree, env)
        assert r.returncode == 0, r.stderr[-2000:]
        outs[name] = (tmp_path / f"{name}.config").read_text()
    assert outs["ours"] == outs["ref"]


def inline_glob(text, pattern):
    """`text` with its `osource "<pattern>"` line replaced by the matching
    files' contents (sorted, as our tool reads them)."""
    line = f'osource "{pattern}"'
    assert line in text
    return text.replace(line, "\n".join(f.read_text() for f in sorted(TOP.glob(pattern))))


@pytest.mark.parametrize("board", sorted(d.parent.name for d in TOP.glob("board/*/defconfig")))
def test_project_defconfigs_match_linux_conf(tools, refconf, tmp_path, board):
    """Our own Config.in through both tools. conf reads neither glob sources
    nor `source` inside a choice, so it gets a copy with the board entries,
    the architecture descriptions and the image formats inlined (same order: sorted), which
    has the same meaning."""
    text = inline_glob((TOP / "Config.in").read_text(), "board/*/Config.in")
    toolchain = inline_glob((TOP / "toolchain/Config.in").read_text(), "toolchain/arch/*.in")
    assert 'source "toolchain/Config.in"' in text
    text = text.replace('source "toolchain/Config.in"', toolchain)
    fs = inline_glob((TOP / "fs/Config.in").read_text(), "fs/*/Config.in")
    assert 'source "fs/Config.in"' in text
    text = text.replace('source "fs/Config.in"', fs)
    expanded = TEST_DIR / "Config.in.expanded"
    # the Target packages menu make generates from the recipes, inlined
    generated = TEST_DIR / "kconfig-project"
    subprocess.run(["make", "-s", f"O={generated}", "list-defconfigs"], cwd=TOP, check=True,
                   capture_output=True, timeout=120)
    packages_in = 'source "$(TR_EXTERNAL_KCONFIG)/packages.in"'
    assert packages_in in text
    text = text.replace(packages_in, (generated / ".tr-external.d/packages.in").read_text())
    # external trees' hooks: optional sources conf cannot read; none here
    text = "\n".join(l for l in text.splitlines()
                     if not l.startswith('osource "$(TR_EXTERNAL_KCONFIG)'))
    expanded.write_text(text + "\n")
    outs = {}
    for name, tool, kconfig in (("ref", refconf, expanded), ("ours", tools["kconfig"], "Config.in")):
        cfg = tmp_path / f"{name}.config"
        env = {"KCONFIG_CONFIG": str(cfg), "CONFIG_": "",
               "TR_EXTERNAL_KCONFIG": str(generated / ".tr-external.d")}
        r = run(tool, [f"--defconfig=board/{board}/defconfig", str(kconfig)], TOP, env)
        assert r.returncode == 0, r.stderr
        r = run(tool, [f"--savedefconfig={tmp_path}/{name}.def", str(kconfig)], TOP, env)
        assert r.returncode == 0, r.stderr
        outs[name] = (cfg.read_text(), (tmp_path / f"{name}.def").read_text())
    assert outs["ours"] == outs["ref"]


def test_syntax_error_names_file_and_line(tools, tmp_path):
    (tmp_path / "Kconfig").write_text('config A\n\tbool "a"\nendmenu\n')
    r = run(tools["kconfig"], ["--alldefconfig", "Kconfig"], tmp_path)
    assert r.returncode == 1
    assert "Kconfig:3:" in r.stderr
    assert not (tmp_path / ".config").exists()


def test_nul_byte_is_an_error_naming_file_and_line(tools, tmp_path):
    """Lines were read as C strings: everything after a NUL byte (here the
    rest of the file, with config B) vanished without a word."""
    (tmp_path / "sub").mkdir()
    body = b'config A\n\tbool "a"\n\tdefault y\x00\nconfig B\n\tbool "b"\n\tdefault y\n'
    for top, sub, where in ((body, b"", "Kconfig:3:"),
                            (b'source "sub/Kconfig"\n', b"\n" + body, "sub/Kconfig:4:")):
        (tmp_path / "Kconfig").write_bytes(top)
        (tmp_path / "sub/Kconfig").write_bytes(sub)
        r = run(tools["kconfig"], ["--alldefconfig", "Kconfig"], tmp_path)
        assert r.returncode == 1 and f"{where} NUL byte in a Kconfig file" in r.stderr, r.stderr
        assert not (tmp_path / ".config").exists()


def test_long_continued_line_is_joined_as_conf_joins_it(tools, refconf, tmp_path):
    """Each backslash-newline copied the whole line so far again: 50,000
    pieces took 37 s (unsanitized) and ran into run()'s time-out. They are
    now joined within it, and the result is conf's, byte for byte."""
    pieces = 50000
    # conf joins lines between words (not inside a string)
    text = ('config S\n\tstring "s"\n\tdefault \\\n' + "\t \\\n" * pieces + '"end" if \\\n T\n'
            'config T\n\tbool "t" \\\n\t\\\n\n\tdefault y\n')
    (tmp_path / "Kconfig").write_text(text)
    got = both(tools, refconf, tmp_path, [["--alldefconfig"]], files=("@NAME@.config",))
    assert got["ours"] == got["ref"]
    assert b'CONFIG_S="end"\nCONFIG_T=y\n' in got["ours"][0]


def test_source_loop_by_another_name_is_an_error(tools, tmp_path):
    """A loop is caught on the file itself (realpath), whatever name or
    link the `source` line uses: an error naming file and line, not a
    recursion until memory runs out."""
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub/link").symlink_to("../Kconfig")
    for top, sub, message in (
            ('source "sub/Kconfig"\n', 'source "./Kconfig"\n', 'sub/Kconfig:1: recursive inclusion of "./Kconfig"'),
            ('source "sub/link"\n', "", 'Kconfig:1: recursive inclusion of "sub/link"')):
        (tmp_path / "Kconfig").write_text(top + 'config A\n\tbool "a"\n')
        (tmp_path / "sub/Kconfig").write_text(sub)
        r = run(tools["kconfig"], ["--alldefconfig", "Kconfig"], tmp_path)
        assert r.returncode == 1 and message in r.stderr, r.stderr


def test_macro_that_grows_itself_stops_with_an_error(tools, tmp_path):
    """X := $(X)$(X) thirty times would be 2 GiB: the expansion stops at
    1 MiB with an error naming the line."""
    lines = ["X := ab"] + ["X := $(X)$(X)"] * 30 + ["Y := $(X)", 'config A', '\tbool "a"']
    (tmp_path / "Kconfig").write_text("\n".join(lines) + "\n")
    r = run(tools["kconfig"], ["--alldefconfig", "Kconfig"], tmp_path)
    assert r.returncode == 1 and "Kconfig:21: expansion longer than 1 MiB" in r.stderr, r.stderr
    # += grows a simple variable the same way
    lines = ["X := ab"] + ["X += $(X)"] * 30 + ['config A', '\tbool "a"']
    (tmp_path / "Kconfig").write_text("\n".join(lines) + "\n")
    r = run(tools["kconfig"], ["--alldefconfig", "Kconfig"], tmp_path)
    assert r.returncode == 1 and "longer than 1 MiB" in r.stderr, r.stderr


def test_recursive_variable_is_an_error_at_once(tools, refconf, tmp_path):
    """Found by fuzz_kconfig: X = $(X)$(X) doubled the work at each of 64
    levels. A variable met again while it expands is an error, as in conf
    (kept as support/fuzz/regressions/kconfig/recursive-variable-timeout)."""
    (tmp_path / "Kconfig").write_text('X = $(X)$(X)\nconfig A\n\tbool "$(X)"\n')
    for tool in (refconf, tools["kconfig"]):
        r = run(tool, ["--alldefconfig", "Kconfig"], tmp_path)
        assert r.returncode != 0
        assert "Recursive variable 'X' references itself (eventually)" in r.stderr, r.stderr


def test_unknown_symbol_in_defconfig_is_warned(tools, tmp_path):
    (tmp_path / "Kconfig").write_text('config A\n\tbool "a"\n')
    (tmp_path / "def").write_text("CONFIG_A=y\nCONFIG_NOPE=y\n")
    r = run(tools["kconfig"], ["--defconfig=def", "Kconfig"], tmp_path)
    assert r.returncode == 0
    assert "def:2:warning: unknown symbol: NOPE" in r.stderr
    assert "CONFIG_A=y" in (tmp_path / ".config").read_text()


def test_set_and_why_explain_unmet_dependency(tools, tmp_path):
    (tmp_path / "Kconfig").write_text(
        'config NET\n\tbool "net"\nconfig WIFI\n\tbool "wifi"\n\tdepends on NET\n')
    r = run(tools["kconfig"], ["set", "Kconfig", "WIFI=y"], tmp_path)
    assert r.returncode == 1
    assert "CONFIG_NET is n: you can enable it" in r.stderr
    r = run(tools["kconfig"], ["set", "Kconfig", "NET=y", "WIFI=y"], tmp_path)
    assert r.returncode == 0, r.stderr
    assert "CONFIG_WIFI=y" in (tmp_path / ".config").read_text()
    r = run(tools["kconfig"], ["why", "Kconfig", "WIFI"], tmp_path)
    assert "user value: y" in r.stdout


def test_config_old_kept_and_unchanged_not_rewritten(tools, tmp_path):
    (tmp_path / "Kconfig").write_text('config A\n\tbool "a"\n')
    run(tools["kconfig"], ["--alldefconfig", "Kconfig"], tmp_path)
    first = (tmp_path / ".config").stat().st_mtime_ns
    run(tools["kconfig"], ["--olddefconfig", "Kconfig"], tmp_path)
    assert (tmp_path / ".config").stat().st_mtime_ns == first
    run(tools["kconfig"], ["--allyesconfig", "Kconfig"], tmp_path)
    assert (tmp_path / ".config.old").read_text().count("# CONFIG_A is not set") == 1


def test_oldconfig_asks_only_new_symbols(tools, tmp_path):
    (tmp_path / "Kconfig").write_text('config OLD\n\tbool "old"\n')
    assert run(tools["kconfig"], ["--alldefconfig", "Kconfig"], tmp_path).returncode == 0
    (tmp_path / "Kconfig").write_text(
        'config OLD\n\tbool "old"\nconfig NEW\n\tbool "new one"\n\tdefault y\n\thelp\n\t  Helps.\n'
        'config NUM\n\tint "number"\n\trange 1 10\n\tdefault 3\n'
        'choice\n\tprompt "pick"\nconfig P1\n\tbool "p1"\nconfig P2\n\tbool "p2"\nendchoice\n')
    env = dict(os.environ, KCONFIG_CONFIG=".config")
    r = subprocess.run([str(tools["kconfig"]), "--oldconfig", "Kconfig"], cwd=tmp_path, env=env,
                       input="?\nn\n99\n8\n2\n", capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "old (OLD)" not in r.stdout
    assert "new one (NEW) [n/Y/?] (NEW)" in r.stdout and "Helps." in r.stdout
    assert "Value out of range or invalid." in r.stdout
    assert "choice[1-2?]:" in r.stdout
    cfg = (tmp_path / ".config").read_text()
    assert "# CONFIG_NEW is not set" in cfg and "CONFIG_NUM=8" in cfg and "CONFIG_P2=y" in cfg
    # nothing new any more: no question, and end of input is fine
    r = subprocess.run([str(tools["kconfig"]), "--oldconfig", "Kconfig"], cwd=tmp_path, env=env,
                       input="", capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and "(NEW)" not in r.stdout


def test_recursive_dependency_prints_the_cycle(tools, tmp_path):
    (tmp_path / "Kconfig").write_text(
        'config A\n\tbool "a"\n\tselect B\nconfig B\n\tbool "b"\n\tdepends on A\n\tselect A\n')
    r = run(tools["kconfig"], ["--alldefconfig", "Kconfig"], tmp_path)
    assert r.returncode == 1
    assert "recursive dependency detected" in r.stderr
    assert "Kconfig:1:\tsymbol A" in r.stderr and "Kconfig:4:\tsymbol B" in r.stderr
    assert not (tmp_path / ".config").exists()


def test_kconfiglib_extensions_rsource_glob_and_legacy_options(tools, tmp_path):
    """rsource/osource/orsource and globs (Kconfiglib), legacy `option`
    forms (older trees such as BusyBox's): ours only, conf has none."""
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub/a.in").write_text('config FROM_A\n\tbool "a"\n\tdefault y\n')
    (tmp_path / "sub/b.in").write_text('config FROM_B\n\tbool "b"\n\tdefault y\n')
    (tmp_path / "sub/Kconfig").write_text('rsource "*.in"\n')
    (tmp_path / "Kconfig").write_text(
        'source "sub/Kconfig"\nosource "missing/*.in"\norsource "nothing.in"\n'
        'config HOMEVAL\n\tstring\n\toption env="TR_TEST_ENV"\n'
        'config AY\n\tbool "ay"\n\toption allnoconfig_y\n')
    env = {"TR_TEST_ENV": "from-env"}
    r = run(tools["kconfig"], ["--allnoconfig", "Kconfig"], tmp_path, env)
    assert r.returncode == 0, r.stderr
    cfg = (tmp_path / ".config").read_text()
    assert "CONFIG_FROM_A=y" not in cfg  # allnoconfig: visible bools are n
    assert "# CONFIG_FROM_A is not set" in cfg and "# CONFIG_FROM_B is not set" in cfg
    assert 'CONFIG_HOMEVAL="from-env"' in cfg and "CONFIG_AY=y" in cfg


def test_legacy_defconfig_list_gives_the_starting_configuration(tools, tmp_path):
    """Older trees (Linux 5.x, BusyBox) mark a symbol `option defconfig_list`:
    without a .config, olddefconfig starts from the first of its defaults
    whose condition holds and whose file exists; a .config wins over it."""
    (tmp_path / "Kconfig").write_text(
        'config DEFCONFIG_LIST\n\tstring\n\toption defconfig_list\n'
        '\tdefault "/nonexistent/.config"\n\tdefault "skipped.config" if ARCHY\n'
        '\tdefault "first.config"\n'
        'config ARCHY\n\tdef_bool n\nconfig A\n\tbool "a"\nconfig N\n\tint "n"\n\tdefault 3\n')
    (tmp_path / "skipped.config").write_text("CONFIG_N=9\n")
    (tmp_path / "first.config").write_text("CONFIG_A=y\nCONFIG_N=7\n")
    r = run(tools["kconfig"], ["--olddefconfig", "Kconfig"], tmp_path)
    assert r.returncode == 0, r.stderr
    assert "using defaults found in first.config" in r.stdout
    config = (tmp_path / ".config").read_text().splitlines()
    assert "CONFIG_A=y" in config and "CONFIG_N=7" in config
    (tmp_path / ".config").write_text("CONFIG_N=5\n")
    r = run(tools["kconfig"], ["--olddefconfig", "Kconfig"], tmp_path)
    assert "using defaults" not in r.stdout
    config = (tmp_path / ".config").read_text().splitlines()
    assert "CONFIG_N=5" in config and "# CONFIG_A is not set" in config


def test_oldaskconfig_asks_everything_and_old_style_env_in_source(tools, tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub/K").write_text('config FROM_SUB\n\tbool "from sub"\n\tdefault y\n')
    (tmp_path / "Kconfig").write_text('source "$SUBDIR/K"\nconfig OLD\n\tbool "old"\n')
    env = {"SUBDIR": "sub"}
    assert run(tools["kconfig"], ["--alldefconfig", "Kconfig"], tmp_path, env).returncode == 0
    full_env = dict(os.environ, KCONFIG_CONFIG=".config", SUBDIR="sub")
    r = subprocess.run([str(tools["kconfig"]), "--oldaskconfig", "Kconfig"], cwd=tmp_path,
                       env=full_env, input="n\ny\n", capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "from sub (FROM_SUB) [n/Y] " in r.stdout and "old (OLD) [N/y] " in r.stdout
    assert "(NEW)" not in r.stdout
    cfg = (tmp_path / ".config").read_text()
    assert "# CONFIG_FROM_SUB is not set" in cfg and "CONFIG_OLD=y" in cfg
    # syncconfig records the variable, so make re-runs it when SUBDIR changes
    r = run(tools["kconfig"], ["--syncconfig", "Kconfig"], tmp_path, env)
    assert r.returncode == 0, r.stderr
    cmd = (tmp_path / "include/config/auto.conf.cmd").read_text()
    assert 'ifneq "$(SUBDIR)" "sub"' in cmd and "sub/K" in cmd


# Kconfig features that reach conf only through its environment and flags,
# compared with Linux 6.1 conf on corpus files that exercise them.
ENV_CORPUS = ["basic", "choice_tristate", "deps", "imply_tristate", "hex_range", "int_default"]


@pytest.mark.parametrize("stem", ENV_CORPUS)
def test_allconfig_probability_and_listnewconfig_match_conf(tools, refconf, tmp_path, stem):
    """KCONFIG_ALLCONFIG (a named file, and `1` = all.config), randconfig
    under KCONFIG_PROBABILITY's three forms, and --listnewconfig's list."""
    shutil.copy(CORPUS_DIR / f"{stem}.Kconfig", tmp_path / "Kconfig")
    # a seed configuration: the first symbol of the file forced to its opposite
    first = next(l.split()[1] for l in (tmp_path / "Kconfig").read_text().splitlines()
                 if l.startswith("config "))
    (tmp_path / "seed.config").write_text(f"# CONFIG_{first} is not set\n")
    (tmp_path / "all.config").write_text(f"CONFIG_{first}=y\n")
    for mode in ("allnoconfig", "allyesconfig", "alldefconfig"):
        for allconfig in ("seed.config", "1"):
            got = both(tools, refconf, tmp_path, [[f"--{mode}"]],
                       env={"KCONFIG_ALLCONFIG": allconfig}, files=("@NAME@.config",))
            assert got["ours"] == got["ref"], (mode, allconfig)
    for probability in ("10", "80:20", "30:40:20"):
        got = both(tools, refconf, tmp_path, [["--randconfig"]],
                   env={"KCONFIG_SEED": "0x7", "KCONFIG_PROBABILITY": probability},
                   files=("@NAME@.config",))
        assert got["ours"] == got["ref"], probability
    # --listnewconfig against a configuration that knows one symbol only
    outs = {}
    for name, tool in (("ref", refconf), ("ours", tools["kconfig"])):
        cfg = tmp_path / f"{name}.partial"
        cfg.write_text(f"# CONFIG_{first} is not set\n")
        r = run(tool, ["--listnewconfig", "Kconfig"], tmp_path, {"KCONFIG_CONFIG": str(cfg)})
        assert r.returncode == 0, r.stderr
        outs[name] = (r.stdout, cfg.read_bytes())
    assert outs["ours"] == outs["ref"]


def test_merge_reports_what_was_asked_for_but_not_got(tools, tmp_path):
    """kconfig merge: fragments over a base, then the values settled; an
    assignment that did not survive (unmet dependency, out of range) is
    reported with its file and line, as merge_config.sh reports it."""
    (tmp_path / "Kconfig").write_text(
        'config NET\n\tbool "net"\n\tdefault y\nconfig WIFI\n\tbool "wifi"\n\tdepends on NET\n'
        'config MTU\n\tint "mtu"\n\trange 68 9000\n\tdefault 1500\n')
    (tmp_path / "base").write_text("CONFIG_NET=n\n")
    (tmp_path / "frag").write_text("CONFIG_WIFI=y\nCONFIG_MTU=100000\n")
    (tmp_path / "frag2").write_text("CONFIG_MTU=9000\n")
    r = run(tools["kconfig"], ["merge", "Kconfig", "base", "frag"], tmp_path)
    assert r.returncode == 0, r.stderr
    assert "frag:1: warning: CONFIG_WIFI=y requested, got n" in r.stderr
    assert "frag:2: warning: CONFIG_MTU=100000 requested, got 1500" in r.stderr
    config = (tmp_path / ".config").read_text()
    assert "# CONFIG_NET is not set\n" in config and "CONFIG_MTU=1500\n" in config
    # a later fragment wins, and a value that survives is not reported
    r = run(tools["kconfig"], ["merge", "Kconfig", "base", "frag", "frag2"], tmp_path)
    assert "CONFIG_MTU=9000\n" in (tmp_path / ".config").read_text()
    assert "MTU" not in r.stderr.replace("frag:2: warning: CONFIG_MTU=100000", "")


def test_json_describes_every_symbol(tools, tmp_path):
    (tmp_path / "Kconfig").write_text(
        'config NET\n\tbool "net"\n\tdefault y\nconfig WIFI\n\tbool "wifi"\n\tdepends on NET\n')
    r = run(tools["kconfig"], ["--alldefconfig", "Kconfig"], tmp_path)
    assert r.returncode == 0, r.stderr
    r = run(tools["kconfig"], ["json", "Kconfig", "out.json"], tmp_path)
    assert r.returncode == 0, r.stderr
    syms = {s["name"]: s for s in json.loads((tmp_path / "out.json").read_text())["symbols"]}
    assert syms["NET"]["value"] == "y" and syms["NET"]["type"] == "bool"
    assert syms["WIFI"]["value"] == "n" and syms["WIFI"]["visibility"] == "y"
    assert syms["WIFI"]["defined_at"] == ["Kconfig:4"]


@pytest.mark.parametrize("kconfig", SYNC_CORPUS, ids=[p.stem for p in SYNC_CORPUS])
def test_listnewconfig_of_an_empty_configuration_matches_conf(tools, refconf, tmp_path, kconfig):
    """Every symbol is new to an empty .config: the whole list, in conf's
    menu order and format."""
    shutil.copy(kconfig, tmp_path / "Kconfig")
    outs = {}
    for name, tool in (("ref", refconf), ("ours", tools["kconfig"])):
        cfg = tmp_path / f"{name}.config"
        cfg.write_text("")
        r = run(tool, ["--listnewconfig", "Kconfig"], tmp_path, {"KCONFIG_CONFIG": str(cfg)})
        assert r.returncode == 0, r.stderr
        outs[name] = r.stdout
    assert outs["ours"] == outs["ref"]

"""Packages as data: recipes register themselves (a folder is all a package
needs), dependencies are stated once in the recipe, and the autotools and
host-package infrastructures build real autotools projects. The small
packages live in an external tree the tests write; autoreconf, configure and
make run for real. The slow test builds the real dropbear into the
qemu_x86_64 image and logs in over SSH through a QEMU port forward."""
import contextlib
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import textwrap
import threading
import time

import pexpect
import pytest

from conftest import (TEST_DIR, TOP, build_cxx_app, configure_offline, cxx_app_lines,
                      extract_sdk, free_port, make, run_make, validate_cyclonedx,
                      validate_licenses, validate_spdx, validate_spdx3)
# checks, not tests: the SBOM read back against the image, and the TR's fields
from test_sbom import check_sbom_facts
from test_spdx3 import check_tr_fields


def config_in(pkg, text):
    """A package's Config.in: its symbol, a prompt, a help line."""
    return f'config TR_PACKAGE_{pkg.upper()}\n\tbool "{pkg}"\n\thelp\n\t  {text}\n'


def cxx_config_in(pkg, text):
    """The Config.in of a package in C++: it depends on the toolchain's C++
    support (make check-package asks it to)."""
    return (f'config TR_PACKAGE_{pkg.upper()}\n\tbool "{pkg}"\n\tdepends on TR_TOOLCHAIN_CXX\n'
            f'\thelp\n\t  {text}\n')


def local_recipe(pkg, *lines):
    """A recipe whose sources are the package's src/ folder in the test
    tree, version 1.0, MIT, with `lines` after that data."""
    head = [f"{pkg.upper()}_VERSION = 1.0",
            f"{pkg.upper()}_SITE = $(TR_EXTERNAL_PKGTEST_PATH)/package/{pkg}/src",
            f"{pkg.upper()}_SITE_METHOD = local", f"{pkg.upper()}_LICENSE = MIT"]
    return "\n".join(head + list(lines)) + "\n"


# ---- a small external tree of autotools, CMake, Meson and host packages --------
# (the programs in C++: libfoo's C header, an exception thrown and caught, a
# stream)
CXX_MAIN = """\
    #include <iostream>
    #include <stdexcept>
    extern "C" {
    #include <foo.h>
    }
    int main()
    {
    	try {
    		throw std::runtime_error("answer");
    	} catch (const std::exception &e) {
    		std::cout << GREETING << " c++: " << e.what() << " " << foo_answer() << std::endl;
    	}
    }
    """

# libfoo: a static library with a header and a pkg-config file (libtool:
# its .la must not reach the sysroot). footool: a host-only tool that writes
# a header. fooapp: links libfoo found through pkg-config and runs footool
# at build time. cmakeapp and mesonapp link libfoo too, through CMake and Meson.
# fooxx and mesonxx are programs in C++ (they depend on the C++ runtime,
# libcxx) linking libfoo, built with autotools and Meson.
FILES = {
    "external.desc": "name: PKGTEST\ndesc: package infrastructure tests\n",
    "package/libfoo/Config.in": config_in("libfoo", "A test library."),
    "package/libfoo/libfoo.mk": local_recipe(
        "libfoo",
        "LIBFOO_CATEGORY = Libraries",
        "LIBFOO_INFRA = autotools",
        "LIBFOO_AUTORECONF = YES",
        "LIBFOO_INSTALL_STAGING = YES",
        "LIBFOO_DEPENDENCIES = musl"),
    "package/libfoo/src/configure.ac": """\
        AC_INIT([libfoo], [1.0])
        AM_INIT_AUTOMAKE([foreign])
        AC_PROG_CC
        AM_PROG_AR
        LT_INIT
        AC_CONFIG_FILES([Makefile foo.pc])
        AC_OUTPUT
        """,
    "package/libfoo/src/Makefile.am": """\
        lib_LTLIBRARIES = libfoo.la
        libfoo_la_SOURCES = foo.c
        include_HEADERS = foo.h
        pkgconfigdir = $(libdir)/pkgconfig
        pkgconfig_DATA = foo.pc
        """,
    "package/libfoo/src/foo.pc.in": """\
        prefix=@prefix@
        libdir=${prefix}/lib
        includedir=${prefix}/include
        Name: foo
        Description: test library
        Version: @VERSION@
        Cflags: -I${includedir}/foo-api
        Libs: -L${libdir} -lfoo
        """,
    "package/libfoo/src/foo.h": "int foo_answer(void);\n",
    "package/libfoo/src/foo.c": '#include "foo.h"\nint foo_answer(void) { return 42; }\n',
    "package/footool/footool.mk": local_recipe(
        "footool",
        "HOST_FOOTOOL_INFRA = autotools",
        "HOST_FOOTOOL_AUTORECONF = YES"),
    "package/footool/src/configure.ac": """\
        AC_INIT([footool], [1.0])
        AM_INIT_AUTOMAKE([foreign])
        AC_PROG_CC
        AC_CONFIG_FILES([Makefile])
        AC_OUTPUT
        """,
    "package/footool/src/Makefile.am": "bin_PROGRAMS = footool\nfootool_SOURCES = footool.c\n",
    "package/footool/src/footool.c": """\
        #include <stdio.h>
        int main(void) { puts("#define FOO_GREETING \\"made by footool\\""); return 0; }
        """,
    "package/cmakeapp/Config.in": config_in("cmakeapp", "A test program built with CMake."),
    "package/cmakeapp/cmakeapp.mk": local_recipe(
        "cmakeapp",
        "CMAKEAPP_CATEGORY = Miscellaneous",
        "CMAKEAPP_INFRA = cmake",
        "CMAKEAPP_DEPENDENCIES = musl libfoo",
        "CMAKEAPP_CONF_OPTS = -DGREETING=cmake"),
    "package/cmakeapp/src/CMakeLists.txt": """\
        cmake_minimum_required(VERSION 3.13)
        project(cmakeapp C)
        find_package(PkgConfig REQUIRED)
        pkg_check_modules(FOO REQUIRED foo)
        add_executable(cmakeapp cmakeapp.c)
        target_compile_definitions(cmakeapp PRIVATE GREETING="${GREETING}")
        target_include_directories(cmakeapp PRIVATE ${FOO_INCLUDE_DIRS})
        target_link_libraries(cmakeapp ${FOO_LDFLAGS})
        install(TARGETS cmakeapp DESTINATION bin)
        """,
    "package/cmakeapp/src/cmakeapp.c": """\
        #include <stdio.h>
        #include <foo.h>
        int main(void) { printf("%s: answer %d\\n", GREETING, foo_answer()); return 0; }
        """,
    "package/mesonapp/Config.in": config_in("mesonapp", "A test program built with Meson."),
    "package/mesonapp/mesonapp.mk": local_recipe(
        "mesonapp",
        "MESONAPP_CATEGORY = Miscellaneous",
        "MESONAPP_INFRA = meson",
        "MESONAPP_DEPENDENCIES = musl libfoo",
        "MESONAPP_CONF_OPTS = -Dgreeting=meson"),
    "package/mesonapp/src/meson.build": """\
        project('mesonapp', 'c')
        foo = dependency('foo')
        executable('mesonapp', 'mesonapp.c', dependencies: foo, install: true,
          c_args: '-DGREETING="' + get_option('greeting') + '"')
        """,
    "package/mesonapp/src/meson_options.txt": "option('greeting', type: 'string', value: 'none')\n",
    "package/mesonapp/src/mesonapp.c": """\
        #include <stdio.h>
        #include <foo.h>
        int main(void) { printf("%s: answer %d\\n", GREETING, foo_answer()); return 0; }
        """,
    "package/fooxx/Config.in": cxx_config_in("fooxx", "A test program in C++ (autotools)."),
    "package/fooxx/fooxx.mk": local_recipe(
        "fooxx",
        "FOOXX_CATEGORY = Miscellaneous",
        "FOOXX_INFRA = autotools",
        "FOOXX_AUTORECONF = YES",
        "FOOXX_DEPENDENCIES = musl libfoo libcxx"),
    "package/fooxx/src/configure.ac": """\
        AC_INIT([fooxx], [1.0])
        AM_INIT_AUTOMAKE([foreign])
        AC_PROG_CXX
        PKG_CHECK_MODULES([FOO], [foo])
        AC_CONFIG_FILES([Makefile])
        AC_OUTPUT
        """,
    "package/fooxx/src/Makefile.am": """\
        bin_PROGRAMS = fooxx
        fooxx_SOURCES = fooxx.cpp
        fooxx_CXXFLAGS = $(FOO_CFLAGS)
        fooxx_LDADD = $(FOO_LIBS)
        """,
    "package/fooxx/src/fooxx.cpp": CXX_MAIN.replace("GREETING", '"autotools"'),
    "package/mesonxx/Config.in": cxx_config_in("mesonxx", "A test program in C++ (Meson)."),
    "package/mesonxx/mesonxx.mk": local_recipe(
        "mesonxx",
        "MESONXX_CATEGORY = Miscellaneous",
        "MESONXX_INFRA = meson",
        "MESONXX_DEPENDENCIES = musl libfoo libcxx"),
    "package/mesonxx/src/meson.build": """\
        project('mesonxx', 'cpp')
        executable('mesonxx', 'mesonxx.cpp', dependencies: dependency('foo'), install: true)
        """,
    "package/mesonxx/src/mesonxx.cpp": CXX_MAIN.replace("GREETING", '"meson"'),
    "package/fooapp/Config.in": config_in("fooapp", "A test program."),
    "package/fooapp/fooapp.mk": local_recipe(
        "fooapp",
        "FOOAPP_CATEGORY = Miscellaneous",
        "FOOAPP_INFRA = autotools",
        "FOOAPP_AUTORECONF = YES",
        "FOOAPP_DEPENDENCIES = musl libfoo host-footool",
        "FOOAPP_CONF_OPTS = --enable-answer"),
    "package/fooapp/src/configure.ac": """\
        AC_INIT([fooapp], [1.0])
        AM_INIT_AUTOMAKE([foreign])
        AC_PROG_CC
        PKG_CHECK_MODULES([FOO], [foo])
        AC_PATH_PROG([FOOTOOL], [footool])
        test -n "$FOOTOOL" || AC_MSG_ERROR([footool not found])
        AC_ARG_ENABLE([answer], [AS_HELP_STRING([--enable-answer], [print the answer])])
        AS_IF([test "x$enable_answer" = xyes], [AC_DEFINE([WITH_ANSWER], [1], [answer])])
        AC_CONFIG_HEADERS([config.h])
        AC_CONFIG_FILES([Makefile])
        AC_OUTPUT
        """,
    "package/fooapp/src/Makefile.am": """\
        bin_PROGRAMS = fooapp
        fooapp_SOURCES = fooapp.c
        nodist_fooapp_SOURCES = greeting.h
        BUILT_SOURCES = greeting.h
        greeting.h:
        	$(FOOTOOL) > $@
        fooapp_CFLAGS = $(FOO_CFLAGS)
        fooapp_LDADD = $(FOO_LIBS)
        """,
    "package/fooapp/src/fooapp.c": """\
        #include "config.h"
        #include <stdio.h>
        #include <foo.h>
        #include "greeting.h"
        int main(void)
        {
        #ifdef WITH_ANSWER
        	printf("%s, answer %d\\n", FOO_GREETING, foo_answer());
        #endif
        	return 0;
        }
        """,
}


def write_tree(root, files):
    for name, text in files.items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(textwrap.dedent(text))
    return root


def set_options(out, tree, *lines):
    """Appends `lines` to .config and runs olddefconfig (as a user editing
    the configuration by hand)."""
    with open(out / ".config", "a") as f:
        f.write("".join(l + "\n" for l in lines))
    r = run_make(out, f"TR_EXTERNAL={tree}", "olddefconfig", timeout=120)
    assert r.returncode == 0, r.stderr


def config_value(out, name):
    m = re.search(rf"^{name}=(.*)$", (out / ".config").read_text(), re.M)
    return m.group(1) if m else None


@pytest.fixture(scope="module")
def pkgtree(tmp_path_factory):
    # the package folders in the source tree: the pkg test tree's own
    # `header.h` is in `foo-api`, found only through foo.pc's Cflags
    root = write_tree(tmp_path_factory.mktemp("pkgtree"), FILES)
    api = root / "package/libfoo/src"
    (api / "Makefile.am").write_text((api / "Makefile.am").read_text().replace(
        "include_HEADERS = foo.h", "fooapidir = $(includedir)/foo-api\nfooapi_HEADERS = foo.h"))
    return root


@pytest.fixture(scope="module")
def pkg_build(pkgtree, mirror_url):
    """qemu_x86_64 without the kernel and BusyBox, with fooapp selected
    (libfoo follows from its recipe), built with `make`."""
    out = TEST_DIR / "build-packages"
    shutil.rmtree(out, ignore_errors=True)
    configure_offline(out, mirror_url, f"TR_EXTERNAL={pkgtree}", "qemu_x86_64_defconfig")
    # (no C++: its runtime needs the kernel's headers, which come from the
    # kernel's source; cxx_pkg_build has both)
    set_options(out, pkgtree, "# TR_LINUX_KERNEL is not set", "# TR_PACKAGE_BUSYBOX is not set",
                "# TR_TOOLCHAIN_CXX is not set",
                "TR_PACKAGE_FOOAPP=y", "TR_PACKAGE_CMAKEAPP=y", "TR_PACKAGE_MESONAPP=y")
    r = run_make(out, timeout=900)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def cxx_pkg_build(pkgtree, mirror_url):
    """qemu_x86_64 (C++ support on, as its defconfig has it) with shared
    libraries and the two programs in C++ selected; only they are made
    (`make fooxx mesonxx`), with what they depend on: musl, the kernel's
    headers, the C++ runtime (shared) and libfoo. (The x86 packages build
    below takes the same musl and runtime from the package cache.)"""
    out = TEST_DIR / "build-packages-cxx"
    shutil.rmtree(out, ignore_errors=True)
    configure_offline(out, mirror_url, f"TR_EXTERNAL={pkgtree}", "qemu_x86_64_defconfig")
    set_options(out, pkgtree, "TR_SHARED_LIBS=y", "TR_PACKAGE_FOOXX=y", "TR_PACKAGE_MESONXX=y")
    r = run_make(out, "fooxx", "mesonxx", timeout=900)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    return out


def run_with_musl(sysroot, prog):
    """Runs a dynamically linked x86_64 musl program on this machine: musl's
    libc.so of the sysroot is its own dynamic loader."""
    env = dict(os.environ, LD_LIBRARY_PATH=str(sysroot / "usr/lib"))
    return subprocess.run([str(sysroot / "usr/lib/libc.so"), str(prog)], capture_output=True,
                          text=True, timeout=60, env=env)


def test_cxx_packages_get_the_cxx_compiler(cxx_pkg_build):
    """A package in C++ (it depends on libcxx) is given the C++ compiler by
    its infrastructure: autotools' CXX, Meson's cpp from the cross file;
    each program, linked against libc++'s shared objects, throws, catches
    and prints here (this x86_64 machine runs it through musl's loader)."""
    out = cxx_pkg_build
    for pkg, greeting in (("fooxx", "autotools"), ("mesonxx", "meson")):
        app = out / "build" / pkg / "target/usr/bin" / pkg
        r = run_with_musl(out / "staging", app)
        assert r.stdout == f"{greeting} c++: answer 42\n", r.stdout + r.stderr
        needed = subprocess.run(["readelf", "-d", str(app)], capture_output=True, text=True,
                                timeout=30).stdout
        assert "Shared library: [libc++.so.1]" in needed and "Shared library: [libunwind.so.1]" in needed
    gxx = f"{out}/host/bin/x86_64-tinyroot-linux-musl-g++"
    assert f"CXX='{gxx}'" in (out / "build/fooxx/src/config.log").read_text().splitlines()
    assert f"C++ compiler for the host machine: {gxx}" in \
        (out / "build/mesonxx/obj/meson-logs/meson-log.txt").read_text()


def test_recipes_list_themselves_by_category(pkgtree, tmp_path):
    """The Target packages menu comes from the recipes: each package's
    Config.in in the menu its _CATEGORY names, an external tree's too,
    with no list edited anywhere."""
    out = tmp_path / "out"
    r = run_make(out, f"TR_EXTERNAL={pkgtree}", "qemu_x86_64_defconfig", timeout=120)
    assert r.returncode == 0, r.stderr
    menu = (out / ".tr-external.d/packages.in").read_text()
    lib = menu.index('menu "Libraries"')
    assert menu.index(f'source "{pkgtree}/package/libfoo/Config.in"') > lib
    assert menu.index('menu "Miscellaneous"') < menu.index(f'source "{pkgtree}/package/fooapp/Config.in"')
    assert menu.index('source "package/dropbear/Config.in"') > menu.index('menu "Networking applications"')
    assert 'source "package/busybox/Config.in"' in menu
    # a host-only recipe has no Config.in and is not listed
    assert "footool" not in menu
    r = run_make(out, "printvars", "VARS=PACKAGES")
    assert "fooapp" not in r.stdout and "libfoo" not in r.stdout


def test_a_dependency_is_stated_once(pkgtree, tmp_path):
    """Selecting fooapp alone enables libfoo (the recipe's _DEPENDENCIES
    became a Kconfig select), and the host package it needs is built with
    it without a symbol of its own."""
    out = tmp_path / "out"
    assert run_make(out, f"TR_EXTERNAL={pkgtree}", "qemu_x86_64_defconfig", timeout=120).returncode == 0
    set_options(out, pkgtree, "TR_PACKAGE_FOOAPP=y")
    assert config_value(out, "TR_PACKAGE_LIBFOO") == "y"
    r = run_make(out, "printvars", "VARS=PACKAGES")
    assert set(r.stdout.split("=", 1)[1].split()) >= {"fooapp", "libfoo", "host-footool", "musl"}
    r = run_make(out, "fooapp-show-depends")
    assert r.returncode == 0 and set(r.stdout.split()) >= {"libfoo", "host-footool", "musl"}, r.stdout


def test_a_dependency_without_recipe_or_symbol_stops_make(pkgtree, tmp_path):
    """A recipe naming a package that has no recipe, and one whose
    dependency Kconfig left off (added under a condition, not selected),
    stop make before anything is built, naming the recipe."""
    tree = tmp_path / "tree"
    shutil.copytree(pkgtree, tree)
    mk = tree / "package/fooapp/fooapp.mk"
    mk.write_text(mk.read_text().replace("libfoo host-footool", "libfoo host-footool libbar"))
    out = tmp_path / "out"
    assert run_make(out, f"TR_EXTERNAL={tree}", "qemu_x86_64_defconfig", timeout=120).returncode == 0
    set_options(out, tree, "TR_PACKAGE_FOOAPP=y")
    r = run_make(out, "source")
    assert r.returncode != 0
    assert f"{tree}/package/fooapp/fooapp.mk" in r.stderr and "'libbar', which has no recipe" in r.stderr
    assert not (out / "build/fooapp").exists()

    mk.write_text(mk.read_text().replace(" libbar", "").replace(
        "FOOAPP_DEPENDENCIES = musl libfoo host-footool",
        "FOOAPP_DEPENDENCIES = musl host-footool\nFOOAPP_DEPENDENCIES += $(if $(TR_PACKAGE_FOOAPP),libfoo)"))
    set_options(out, tree, "# TR_PACKAGE_LIBFOO is not set")
    assert config_value(out, "TR_PACKAGE_LIBFOO") is None
    r = run_make(out, "source")
    assert r.returncode != 0
    assert "fooapp depends on libfoo" in r.stderr and "TR_PACKAGE_LIBFOO is not set" in r.stderr, r.stderr


def test_check_package_passes_on_every_recipe():
    """`make check-package` lints every recipe of the tree (and of the
    example external tree) and finds nothing."""
    r = run_make(TEST_DIR / "lint", f"TR_EXTERNAL={TOP}/docs/examples/external", "check-package",
                 timeout=120)
    assert r.returncode == 0, r.stderr
    # a recipe is package/<name>/<name>.mk (a folder may hold other make
    # files its recipe reads)
    n = len([d for d in (TOP / "package").iterdir() if (d / f"{d.name}.mk").is_file()]) + 1
    assert f"check-package: {n} packages, 0 findings" in r.stdout


def test_check_package_names_file_and_line(tmp_path):
    """Variables out of order, a digest without a comment saying where it
    came from, an unhashed license file, another package's variable, a
    symbol without help, no supplier or CPE, a vulnerability its patch does
    not name, a host package installing into $(HOST_DIR) itself: each
    reported as FILE:LINE, exit 1."""
    d = tmp_path / "package/baz"
    d.mkdir(parents=True)
    (d / "baz.mk").write_text(textwrap.dedent("""\
        BAZ_SOURCE = baz-$(BAZ_VERSION).tar.gz
        BAZ_VERSION = 1.0
        BAZ_SITE = https://example.org
        BAZ_LICENSE = MIT
        BAZ_LICENSE_FILES = COPYING NOTICE
        FOO_VERSION = 2
        # 0001-fix.patch
        BAZ_IGNORE_CVES += CVE-2020-0001
        define HOST_BAZ_INSTALL_CMDS
        	install -D baz $(HOST_DIR)/bin/baz
        	install -D baz.1 $(PKG_HOST_DESTDIR)$(HOST_DIR)/share/man/man1/baz.1
        endef
        """))
    (d / "0001-fix.patch").write_text("fix something else\n\n--- a/x\n+++ b/x\n")
    (d / "baz.hash").write_text(
        "sha256  " + "0" * 64 + "  baz-1.0.tar.gz\n# locally computed\nsha256  " + "1" * 64 + "  COPYING\n")
    (d / "Config.in").write_text("config TR_PACKAGE_BAZ\n\tbool \"baz\"\n")
    r = subprocess.run([str(TOP / "support/scripts/check-package"), str(d)], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 1
    err = r.stderr
    assert f"{d}/baz.mk:2: BAZ_VERSION comes before BAZ_SOURCE" in err
    assert f"{d}/baz.mk:6: sets FOO_VERSION" in err
    assert f"{d}/baz.hash:1: no comment above the digest of baz-1.0.tar.gz" in err
    assert f"{d}/baz.hash:0: license file NOTICE has no digest" in err
    assert f"{d}/Config.in:1: TR_PACKAGE_BAZ has no help text" in err
    # the SBOM's data: who publishes it, its CPE (or that it has none), the
    # patch that fixes each vulnerability it says it fixes
    assert f"{d}/baz.mk:0: BAZ_SUPPLIER is not set" in err
    assert f"{d}/baz.mk:0: BAZ_CPE_ID_VENDOR is not set" in err
    assert f"{d}/baz.mk:8: BAZ_IGNORE_CVES: CVE-2020-0001 is not named in 0001-fix.patch's description" in err
    # a host package installs where the package cache takes its output from
    assert f"{d}/baz.mk:10: installs into $(HOST_DIR) itself" in err
    assert f"{d}/baz.mk:11:" not in err
    assert "9 findings" in err


@pytest.mark.parametrize("deps,depends,finding", [
    ("libcxx", "", "Config.in:1: cxxpkg builds on the C++ runtime (libcxx in _DEPENDENCIES): "
                   "its entry needs 'depends on TR_TOOLCHAIN_CXX'"),
    ("", "\tdepends on TR_TOOLCHAIN_CXX\n",
     "cxxpkg.mk:0: cxxpkg depends on TR_TOOLCHAIN_CXX"),
    ("libcxx", "\tdepends on TR_TOOLCHAIN_CXX\n", None),
], ids=["runtime-without-support", "support-without-runtime", "both"])
def test_check_package_knows_a_cxx_package_needs(tmp_path, deps, depends, finding):
    """A package in C++ names the C++ runtime in its dependencies (make
    then gives its build the C++ compiler) and depends on the toolchain's
    C++ support in its Config.in; one without the other is a finding."""
    d = tmp_path / "package/cxxpkg"
    d.mkdir(parents=True)
    (d / "cxxpkg.mk").write_text(textwrap.dedent(f"""\
        CXXPKG_VERSION = 1.0
        CXXPKG_SOURCE = cxxpkg-$(CXXPKG_VERSION).tar.gz
        CXXPKG_SITE = https://example.org
        CXXPKG_LICENSE = MIT
        CXXPKG_SUPPLIER = Example
        CXXPKG_CPE_ID_VALID = NO
        CXXPKG_INFRA = cmake
        CXXPKG_DEPENDENCIES = musl {deps}
        """).replace(" \n", "\n"))
    (d / "cxxpkg.hash").write_text("# upstream's\nsha256  " + "0" * 64 + "  cxxpkg-1.0.tar.gz\n")
    (d / "Config.in").write_text(f"config TR_PACKAGE_CXXPKG\n\tbool \"cxxpkg\"\n{depends}"
                                 "\thelp\n\t  A package.\n")
    r = subprocess.run([str(TOP / "support/scripts/check-package"), str(d)], capture_output=True,
                       text=True, timeout=60)
    if finding is None:
        assert r.returncode == 0 and "0 findings" in r.stdout, r.stderr
    else:
        assert r.returncode == 1 and f"{d}/{finding}" in r.stderr and "1 findings" in r.stderr, \
            r.stderr


def test_autotools_packages_cross_compile_through_pkg_config(pkg_build):
    """libfoo went to staging (header, archive, .pc, no .la), footool to
    host/bin, and fooapp is a static binary for the board that runs (this
    x86_64 machine runs it) with the generated header and libfoo's answer;
    the target tree has no headers, archives or .pc files."""
    out = pkg_build
    staging = out / "staging"
    assert (staging / "usr/include/foo-api/foo.h").is_file()
    assert (staging / "usr/lib/libfoo.a").is_file()
    assert (staging / "usr/lib/pkgconfig/foo.pc").is_file()
    assert not list(staging.rglob("*.la"))
    assert (out / "host/bin/footool").is_file()
    app = out / "target/usr/bin/fooapp"
    head = app.read_bytes()[:20]
    assert head[:4] == b"\x7fELF" and head[18] == 62  # EM_X86_64
    r = subprocess.run([str(app)], capture_output=True, text=True, timeout=30)
    assert r.stdout == "made by footool, answer 42\n"
    log = (out / "build/fooapp/logs/configured.log").read_text()
    assert "--host=x86_64-tinyroot-linux-musl" in log and "--enable-answer" in log
    target = out / "target"
    leftovers = [p for p in target.rglob("*") if p.suffix in (".a", ".la", ".h", ".pc")]
    assert not leftovers and not (target / "usr/include").exists(), leftovers
    r = subprocess.run(["file", str(app)], capture_output=True, text=True, timeout=30)
    assert "statically linked" in r.stdout and "not stripped" not in r.stdout, r.stdout


def test_cmake_package_uses_the_toolchain_file(pkg_build):
    """cmakeapp (CMake, Unix Makefiles) is configured with the toolchain
    file, finds libfoo through pkg-config in the sysroot, takes its
    _CONF_OPTS, and runs."""
    out = pkg_build
    app = out / "target/usr/bin/cmakeapp"
    r = subprocess.run([str(app)], capture_output=True, text=True, timeout=30)
    assert r.stdout == "cmake: answer 42\n"
    log = (out / "build/cmakeapp/logs/configured.log").read_text()
    assert f"-DCMAKE_TOOLCHAIN_FILE={out}/host/share/tinyroot/toolchainfile.cmake" in log
    compiler = next((out / "build/cmakeapp/obj/CMakeFiles").glob("*/CMakeCCompiler.cmake")).read_text()
    assert f'set(CMAKE_C_COMPILER "{out}/host/bin/x86_64-tinyroot-linux-musl-gcc")' in compiler


def test_meson_package_uses_the_cross_file_and_the_jobserver(pkg_build):
    """mesonapp (Meson, Ninja) is set up with the cross file, finds libfoo
    through <tuple>-pkg-config, takes its _CONF_OPTS, runs; Ninja got its
    job count from tinyroot's jobserver, never more than its slots."""
    out = pkg_build
    r = subprocess.run([str(out / "target/usr/bin/mesonapp")], capture_output=True, text=True,
                       timeout=30)
    assert r.stdout == "meson: answer 42\n"
    assert f"--cross-file {out}/host/share/tinyroot/cross.meson" in \
        (out / "build/mesonapp/logs/configured.log").read_text()
    jobs = re.findall(r"jobserver-run: (\d+) jobs", (out / "build/mesonapp/logs/built.log").read_text())
    assert len(jobs) == 1 and 1 <= int(jobs[0]) <= os.cpu_count() + 1, jobs


def test_jobserver_run_takes_only_free_slots(tmp_path):
    """Two recipes under `make -j4` run jobserver-run at once: each gets at
    least its own slot, together no more than make's 4, and every slot is
    given back (a third recipe after them gets all 4)."""
    run = TOP / "support/scripts/jobserver-run"
    (tmp_path / "Makefile").write_text(textwrap.dedent(f"""\
        all: c
        a b:
        	+{run} 8 sh -c 'echo "$@ $$0" >> jobs; sleep 2'
        c: a b
        	+{run} 8 sh -c 'echo "$@ $$0" >> jobs'
        """))
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    r = subprocess.run(["make", "-s", "-j4"], cwd=tmp_path, capture_output=True, text=True,
                       timeout=60, env=env)
    assert r.returncode == 0, r.stderr
    got = dict(l.split() for l in (tmp_path / "jobs").read_text().splitlines())
    a, b = int(got["a"][2:]), int(got["b"][2:])
    assert a >= 1 and b >= 1 and a + b <= 4, got
    assert got["c"] == "-j4", got
    r = subprocess.run([str(run), "5", "sh", "-c", 'echo "$0"'], capture_output=True, text=True,
                       timeout=30, env=env)
    assert r.stdout == "-j1\n"


def test_pkg_config_sees_only_the_staging_sysroot(pkg_build, pkgtree, tmp_path):
    """A package that asks pkg-config for a library this machine has but
    the sysroot does not (zlib) fails at configure time, naming it."""
    tree = tmp_path / "tree"
    shutil.copytree(pkgtree, tree)
    ac = tree / "package/fooapp/src/configure.ac"
    ac.write_text(ac.read_text().replace("PKG_CHECK_MODULES([FOO], [foo])",
                                         "PKG_CHECK_MODULES([FOO], [foo])\nPKG_CHECK_MODULES([Z], [zlib])"))
    assert subprocess.run(["pkg-config", "--exists", "zlib"]).returncode == 0, "the host has zlib.pc"
    out = pkg_build
    try:
        r = run_make(out, f"TR_EXTERNAL={tree}", "fooapp")
        assert r.returncode != 0
        log = (out / "build/fooapp/logs/configured.log").read_text()
        assert "checking for zlib... no" in log and "Package 'zlib'" in log, log[-2000:]
    finally:
        assert run_make(out, f"TR_EXTERNAL={pkgtree}").returncode == 0


def test_removing_a_package_removes_its_files(pkg_build, pkgtree):
    """fooapp off (and libfoo with it): the next target tree and image have
    none of their files; on again, they are back."""
    out = pkg_build
    set_options(out, pkgtree, "# TR_PACKAGE_FOOAPP is not set", "# TR_PACKAGE_LIBFOO is not set")
    r = run_make(out)
    assert r.returncode == 0, r.stderr
    assert not (out / "target/usr/bin/fooapp").exists()
    listing = subprocess.run(f"gzip -dc {out}/images/rootfs.cpio.gz | cpio -it", shell=True,
                             capture_output=True, text=True, timeout=60).stdout
    assert "usr/bin/fooapp" not in listing and "etc/inittab" in listing
    set_options(out, pkgtree, "TR_PACKAGE_FOOAPP=y")
    assert run_make(out).returncode == 0
    assert (out / "target/usr/bin/fooapp").is_file()


def test_a_changed_key_builds_from_clean_objects(pkg_build, pkgtree):
    """autotools' makefiles (no dependency tracking) do not see a changed
    flag: when fooapp's recipe turns --enable-answer into --disable-answer
    (a new key), its build cleans the objects the last build left first
    (.build-stale), and the program prints no answer; the recipe back, its
    answer is back. Both built from the sources, not the package cache."""
    out = pkg_build
    mk = pkgtree / "package/fooapp/fooapp.mk"
    recipe = mk.read_text()
    app = out / "target/usr/bin/fooapp"
    try:
        mk.write_text(recipe.replace("--enable-answer", "--disable-answer"))
        r = run_make(out, "TR_PKG_CACHE_SKIP=fooapp")
        assert r.returncode == 0, r.stderr
        assert "--disable-answer" in (out / "build/fooapp/logs/configured.log").read_text()
        r = subprocess.run([str(app)], capture_output=True, text=True, timeout=30)
        assert r.returncode == 0 and r.stdout == "", r.stdout
        assert "rm -f fooapp" in (out / "build/fooapp/logs/built.log").read_text()
    finally:
        mk.write_text(recipe)
        r = run_make(out, "TR_PKG_CACHE_SKIP=fooapp")
    assert r.returncode == 0, r.stderr
    r = subprocess.run([str(app)], capture_output=True, text=True, timeout=30)
    assert r.stdout == "made by footool, answer 42\n"
    assert "rm -f fooapp" in (out / "build/fooapp/logs/built.log").read_text()


# ---- real packages in the images of an x86 and a cross board ----------------------------
# dropbear (autotools), lz4 (CMake), fribidi (Meson), cross-compiled into the
# board's test build with shared libraries (musl's loader, BusyBox and every
# program linked dynamically, the C++ runtime's shared objects), booted, each
# program run in the guest over SSH, with the SDK's C++ project throwing
# across its shared library. `make check` takes the boards in
# TR_TEST_PACKAGE_BOARDS (default qemu_x86_64 alone, whose musl and C++
# runtime come from the package cache, built by cxx_pkg_build; the aarch64
# board's switch to shared libraries rebuilds all of it, about 15 minutes of
# the suite on a slow day); TR_TEST_PACKAGE_BOARDS="qemu_x86_64
# qemu_aarch64_virt" adds the cross board.
ALL_PACKAGE_BOARDS = {"qemu_x86_64": "x86_64", "qemu_aarch64_virt": "aarch64"}
PACKAGE_BOARDS = {b: ALL_PACKAGE_BOARDS.get(b)
                  for b in os.environ.get("TR_TEST_PACKAGE_BOARDS", "qemu_x86_64").split()}
if None in PACKAGE_BOARDS.values():
    pytest.exit(f"TR_TEST_PACKAGE_BOARDS: each one of {' '.join(ALL_PACKAGE_BOARDS)}", returncode=4)
# the shared objects the SDK's C++ project needs, from the image's /usr/lib
CXX_APP_LIBS = ("libshapes.so", "libpugixml.so.1", "libc++.so.1", "libc++abi.so.1",
                "libunwind.so.1")
REAL_PACKAGES = ("TR_PACKAGE_DROPBEAR=y", "TR_PACKAGE_LZ4=y", "TR_PACKAGE_FRIBIDI=y",
                 "TR_PACKAGE_TCPDUMP=y", "TR_PACKAGE_PUGIXML=y")
# root has a password as well as the authorized key: dropbear must refuse it
# (-g); and dropbear listens on IPv4's every address only (its -p)
ROOT_PASSWORD = "tinyroot-root-pw"
DROPBEAR_LISTEN = "0.0.0.0:22"


def ssh(port, key, command, timeout=120, stdin=None):
    """Runs `command` in the guest as root with `key`; `stdin`, an open
    file, is its standard input."""
    return subprocess.run(
        ["ssh", "-i", str(key), "-p", str(port), "-o", "BatchMode=yes",
         "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
         "-o", "IdentitiesOnly=yes", "-o", "ConnectTimeout=60", "root@127.0.0.1", command],
        stdin=stdin, capture_output=True, text=True, timeout=timeout)


def ssh_password(port, password, command, timeout=120):
    """ssh as root offering only a password (no key, one prompt), answered
    through pexpect: (whole output, exit status)."""
    child = pexpect.spawn("ssh", ["-p", str(port), "-o", "StrictHostKeyChecking=no",
                                  "-o", "UserKnownHostsFile=/dev/null",
                                  "-o", "PreferredAuthentications=password",
                                  "-o", "PubkeyAuthentication=no", "-o", "IdentitiesOnly=yes",
                                  "-o", "NumberOfPasswordPrompts=1", "-o", "ConnectTimeout=60",
                                  "root@127.0.0.1", command],
                          encoding="utf-8", timeout=timeout, codec_errors="replace")
    try:
        seen = ""
        if child.expect([r"[Pp]assword: *", pexpect.EOF]) == 0:
            seen += child.before + child.after
            child.sendline(password)
        child.expect(pexpect.EOF)
        seen += child.before
    finally:
        child.close(force=True)
    return seen, child.exitstatus


def dns_name(name):
    return b"".join(bytes([len(l)]) + l for l in name.split(b".")) + b"\0"


# What the tiny DNS server answers to any question: a TXT record and a
# CNAME whose bytes hold terminal escape sequences (ESC [ 31 m: red; ESC [ 2 J:
# clear the screen; BEL), as a hostile server could send them.
HOSTILE_TXT = b"x\x1b[31mred\x07"
HOSTILE_CNAME = b"\x1b[2Jx.test"


def hostile_answer(query):
    """The reply to a DNS query (RFC 1035 4.1): its id and question, two
    answers for the question's name (a pointer to offset 12)."""
    qid = query[:2]
    end = 12
    while query[end]:
        end += 1 + query[end]
    question = query[12:end + 5]
    txt = bytes([len(HOSTILE_TXT)]) + HOSTILE_TXT
    cname = dns_name(HOSTILE_CNAME)
    answers = (struct.pack("!HHHIH", 0xC00C, 16, 1, 60, len(txt)) + txt +
               struct.pack("!HHHIH", 0xC00C, 5, 1, 60, len(cname)) + cname)
    return qid + struct.pack("!HHHHH", 0x8580, 1, 2, 0, 0) + question + answers


@contextlib.contextmanager
def hostile_dns_server(seconds=300):
    """A DNS server on 127.0.0.1 (UDP, a free port; the guest reaches it as
    10.0.2.2 through QEMU's user network) answering every query with
    hostile_answer(), for at most `seconds`: yields (port, queries seen)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(0.5)
    stop = threading.Event()
    seen = []

    def serve():
        deadline = time.monotonic() + seconds
        while not stop.is_set() and time.monotonic() < deadline:
            try:
                query, peer = sock.recvfrom(512)
            except socket.timeout:
                continue
            if len(query) > 17:
                seen.append(query)
                sock.sendto(hostile_answer(query), peer)

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    try:
        yield sock.getsockname()[1], seen
    finally:
        stop.set()
        t.join(timeout=5)
        sock.close()


@pytest.fixture(scope="module", params=list(PACKAGE_BOARDS))
def packages_build(request, board_builds, mirror_url, tmp_path_factory):
    """The board's test build with shared libraries, the real packages and a
    test key as root's authorized key; on the x86 board, its kernel
    compressed by host-lz4. The folder keeps that configuration: these
    tests are the board's last (conftest.pytest_collection_modifyitems)."""
    board = request.param
    out, _, _ = board_builds(board)
    keys = tmp_path_factory.mktemp("keys")
    for name in ("good", "wrong"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name,
                        "-f", str(keys / name)], check=True, timeout=60)
    configure_offline(out, mirror_url, f"{board}_defconfig")
    with open(out / ".config", "a") as f:
        f.write("".join(l + "\n" for l in REAL_PACKAGES))
        f.write("TR_SHARED_LIBS=y\n")
        if PACKAGE_BOARDS[board] == "x86_64":  # a bzImage decompresses itself
            f.write("TR_LINUX_KERNEL_LZ4=y\n")
        f.write(f'TR_TARGET_GENERIC_ROOT_AUTHORIZED_KEYS="{keys}/good.pub"\n')
        # the SBOM's creator with a contact, as BSI TR-03183-2 asks
        f.write('TR_SBOM_SUPPLIER="tinyroot tests <tests@tinyroot.invalid>"\n')
        f.write(f'TR_TARGET_GENERIC_ROOT_PASSWD="{ROOT_PASSWORD}"\n')
        f.write(f'TR_PACKAGE_DROPBEAR_LISTEN="{DROPBEAR_LISTEN}"\n')
    make(out, "olddefconfig", timeout=300)
    make(out)
    return board, out, keys


@pytest.fixture(scope="module")
def shared_cxx_app(packages_build, tmp_path_factory):
    """The SDK of the packages build (make sdk), used from another folder
    for the tests' C++ project, its library a shared object: the project's
    install tree, as a tar archive for the guest."""
    board, out, _ = packages_build
    tmp_path = tmp_path_factory.mktemp(f"cxx-{board}")
    make(out, "sdk", timeout=600)
    tuple_ = f"{PACKAGE_BOARDS[board]}-tinyroot-linux-musl"
    sdk = extract_sdk(out / "images" / f"{tuple_}_sdk-tinyroot.tar.gz", tmp_path / "opt")
    root = tmp_path / "root"
    build_cxx_app(sdk, tmp_path / "cxx-app", root)
    prog = root / "usr/bin/hello-cxx"
    needed = readelf("-d", prog)
    for lib in CXX_APP_LIBS:
        assert f"Shared library: [{lib}]" in needed, needed
    archive = tmp_path / "cxx-app.tar"
    subprocess.run(["tar", "-cf", str(archive), "--owner=0", "--group=0", "--numeric-owner",
                    "-C", str(root), "usr"], check=True, timeout=60)
    return archive


@pytest.mark.slow
def test_real_packages_run_in_the_guest_reached_by_ssh(packages_build, shared_cxx_app):
    """The image starts dropbear at boot; through QEMU's forward of a port
    on 127.0.0.1 to the guest's 22, this machine's ssh logs in as root
    with the authorized key and runs lz4 and fribidi there; a wrong key is
    refused. The SDK's C++ project, copied in over SSH, runs: musl's loader
    loads its shared library and the image's C++ runtime (libc++, libc++abi,
    libunwind, pugixml), and an exception thrown in libshapes.so is caught
    in the program."""
    board, out, keys = packages_build
    assert (out / "target/root/.ssh/authorized_keys").read_text() == (keys / "good.pub").read_text()
    port = free_port()
    child = pexpect.spawn(str(out / "images/start-qemu.sh"), ["--forward", f"{port}:22"],
                          encoding="utf-8", timeout=120, codec_errors="replace")
    child.logfile_read = open(out / "boot-packages.log", "w")
    try:
        # the kernel's messages may come between the init script's
        # "Starting dropbear: " and its "OK" (seen in a run)
        child.expect("Starting dropbear: ", timeout=300)
        child.expect(r"(OK|FAIL)\r*\n", timeout=120)
        assert child.match.group(1) == "OK", child.before
        child.expect(r"Boot took ([0-9.]+) seconds", timeout=60)
        good = ssh(port, keys / "good", "uname -m; id -u; ls /etc/dropbear")
        assert good.returncode == 0, good.stderr
        lines = good.stdout.split()
        assert lines[:2] == [PACKAGE_BOARDS[board], "0"], lines
        assert any(l.startswith("dropbear_") for l in lines[2:]), lines  # made on first use
        r = ssh(port, keys / "good",
                "seq 1 2000 > /tmp/n && lz4 -q /tmp/n /tmp/n.lz4 && lz4 -dc /tmp/n.lz4 | cmp - /tmp/n"
                " && echo lz4 ok; echo 'fribidi works' | fribidi --nopad")
        assert r.returncode == 0 and r.stdout.split("\n")[:2] == ["lz4 ok", "fribidi works"], \
            r.stdout + r.stderr
        with open(shared_cxx_app, "rb") as f:
            r = ssh(port, keys / "good", "tar -xf - -C /", stdin=f)
        assert r.returncode == 0, r.stderr
        loader = f"/lib/ld-musl-{PACKAGE_BOARDS[board]}.so.1"
        r = ssh(port, keys / "good", f"hello-cxx; echo cxx-exit=$?; {loader} --list /usr/bin/hello-cxx")
        lines = r.stdout.splitlines()
        n = len(cxx_app_lines(pugixml=True))
        assert lines[:n + 1] == [*cxx_app_lines(pugixml=True), "cxx-exit=0"], r.stdout + r.stderr
        # what the guest's loader mapped: each library from the image's /usr/lib
        mapped = {l.split()[0]: l.split()[2] for l in lines[n + 1:] if " => " in l}
        for lib in CXX_APP_LIBS:
            assert mapped.get(lib) == f"/usr/lib/{lib}", r.stdout
        # tcpdump with the libpcap it was linked with, capturing on the
        # loopback interface (libpcap asked the kernel for packet sockets)
        r = ssh(port, keys / "good",
                "tcpdump --version; (tcpdump -i lo -n -c 2 icmp > /tmp/cap 2>/dev/null &);"
                " sleep 2; ping -c 2 127.0.0.1 > /dev/null; sleep 2; cat /tmp/cap")
        assert r.returncode == 0, r.stderr
        assert "tcpdump version 4.99.3" in r.stdout and "libpcap version 1.10.3" in r.stdout, r.stdout
        assert r.stdout.count("127.0.0.1 > 127.0.0.1: ICMP echo request") >= 1, r.stdout
        bad = ssh(port, keys / "wrong", "true")
        assert bad.returncode == 255 and "Permission denied" in bad.stderr, bad.stderr
        # root has a password (the configuration's), but with authorized
        # keys it does not let anyone in (dropbear -g): ssh is not even
        # offered the password method
        seen, status = ssh_password(port, ROOT_PASSWORD, "echo in-by-password")
        assert status == 255 and "Permission denied" in seen, seen
        assert "in-by-password" not in seen, seen
        # the listening address option reached dropbear's command line, and
        # took effect: an IPv4 socket on every address, no IPv6 one
        r = ssh(port, keys / "good", "tr '\\0' ' ' < /proc/$(cat /var/run/dropbear.pid)/cmdline;"
                " echo; netstat -tln")
        assert r.returncode == 0, r.stderr
        args = r.stdout.splitlines()[0].split()
        assert "-g" in args and args[args.index("-p") + 1] == DROPBEAR_LISTEN, args
        listening = [l.split()[3] for l in r.stdout.splitlines()[1:] if l.startswith("tcp")]
        assert [a for a in listening if a.endswith(":22")] == [DROPBEAR_LISTEN], r.stdout
        # nslookup (BusyBox's own resolver, FEATURE_NSLOOKUP_BIG) against a
        # DNS server that answers with terminal escape sequences prints
        # them as '?' (CVE-2022-28391, package/busybox/0002-*.patch)
        with hostile_dns_server() as (dns_port, queries):
            r = ssh(port, keys / "good", f"nslookup -type=txt -port={dns_port} -timeout=5"
                    " -retry=1 evil.test 10.0.2.2")
        assert queries, "the guest's nslookup never reached the server"
        assert "\x1b" not in r.stdout and "\x07" not in r.stdout, repr(r.stdout)
        assert 'evil.test\ttext = "x?[31mred?"' in r.stdout, repr(r.stdout)
        assert "evil.test\tcanonical name = ?[2Jx.test" in r.stdout, repr(r.stdout)
        child.sendline("")
        child.sendline("poweroff")
        child.expect(pexpect.EOF, timeout=60)
    finally:
        child.close(force=True)


@pytest.mark.slow
def test_host_package_compresses_the_kernel(packages_build):
    """On the x86 board the kernel is LZ4-compressed by host-lz4, built
    from the lz4 recipe for this machine (statically against its own
    liblz4), not by the host's lz4; the image boots (test above)."""
    board, out, _ = packages_build
    if PACKAGE_BOARDS[board] != "x86_64":
        pytest.skip("only a bzImage decompresses itself")
    lz4 = out / "host/bin/lz4"
    needed = subprocess.run(["readelf", "-d", str(lz4)], capture_output=True, text=True,
                            timeout=30).stdout
    assert "liblz4" not in needed, needed
    assert "host-lz4" in make(out, "-s", "linux-show-depends", timeout=120).stdout.split()
    obj = out / "build/linux/src/obj"
    assert "CONFIG_KERNEL_LZ4=y" in (obj / ".config").read_text().splitlines()
    cmd = (obj / "arch/x86/boot/compressed/.vmlinux.bin.lz4.cmd").read_text()
    assert f"{lz4} -l" in cmd, cmd


@pytest.mark.slow
def test_real_packages_are_stripped_programs_of_the_board(packages_build):
    """Each program in the target tree is an ELF of the board's machine,
    stripped, linked against musl's loader, which is in the image with
    libc.so, the packages' libraries and the C++ runtime's. Headers,
    archives, pkg-config and CMake files are in staging only."""
    board, out, _ = packages_build
    machine = {"x86_64": "x86-64", "aarch64": "ARM aarch64"}[PACKAGE_BOARDS[board]]
    loader = f"/lib/ld-musl-{PACKAGE_BOARDS[board]}.so.1"
    link = f"dynamically linked, interpreter {loader}"
    sbin = out / "target/usr/sbin/dropbear"
    assert sbin.is_symlink() and os.path.basename(os.readlink(sbin)) == "dropbearmulti"
    for prog in ("bin/busybox", "usr/bin/dropbearmulti", "usr/bin/lz4", "usr/bin/fribidi",
                 "usr/bin/tcpdump"):
        info = subprocess.run(["file", str(out / "target" / prog)], capture_output=True,
                              text=True, timeout=30).stdout
        assert machine in info and link in info and ", stripped" in info, info
    target = out / "target"
    assert os.readlink(target / loader.lstrip("/")) == "/usr/lib/libc.so"
    # (and the C++ runtime's: the board has C++ support, and a program an
    # app team builds with the SDK needs them)
    for lib in ("usr/lib/libc.so", "usr/lib/liblz4.so.1", "usr/lib/libfribidi.so.0",
                "usr/lib/libpcap.so.1", "usr/lib/libpugixml.so.1", "usr/lib/libc++.so.1",
                "usr/lib/libc++abi.so.1", "usr/lib/libunwind.so.1"):
        assert (target / lib).exists(), lib
    # tcpdump links the shared libpcap, found through pkg-config
    needed = subprocess.run(["readelf", "-d", str(target / "usr/bin/tcpdump")],
                            capture_output=True, text=True, timeout=30).stdout
    assert "Shared library: [libpcap.so.1]" in needed, needed
    # shared only (the package's own staging tree: the merged one may keep
    # what an earlier static build in this folder put there)
    assert (out / "build/lz4/staging/usr/lib/liblz4.so").exists()
    assert not (out / "build/lz4/staging/usr/lib/liblz4.a").exists()
    assert not (target / "usr/include").exists() and not (target / "usr/lib/cmake").exists()
    assert not list(target.rglob("*.a")) and not list(target.rglob("*.pc"))
    # the link line pkg-config gave tcpdump's configure: -lpcap from the sysroot
    makefile = (out / "build/tcpdump/src/Makefile").read_text()
    assert re.search(r"^LIBS = -L\S*/sysroot/usr/lib -lpcap", makefile, re.M), makefile[:3000]


def readelf(*args):
    return subprocess.run(["readelf", "-W", *map(str, args)], capture_output=True, text=True,
                          timeout=60, check=True).stdout


@pytest.mark.slow
def test_dropbear_is_built_hardened(packages_build):
    """dropbear's configure kept its hardening: the program calls the stack
    protector's __stack_chk_fail (the compiler's -fstack-protector-strong),
    and is a PIE (ELF type DYN, musl's loader as interpreter) with read-only
    relocations (GNU_RELRO) bound at start (BIND_NOW)."""
    board, out, _ = packages_build
    shipped = out / "target/usr/bin/dropbearmulti"
    assert "Type:                              DYN" in readelf("-h", shipped)
    segments = readelf("-l", shipped)
    assert "GNU_RELRO" in segments and "INTERP" in segments, segments
    dynamic = readelf("-d", shipped)
    assert re.search(r"\(FLAGS\)\s.*BIND_NOW|\(FLAGS_1\)\s.*NOW", dynamic), dynamic
    assert re.search(r"\(FLAGS_1\)\s.*PIE", dynamic), dynamic
    assert re.search(r"\sUND\s+__stack_chk_fail\b", readelf("--dyn-syms", shipped))


OSV_DIR = TOP / "support/testing/data/osv"


def recipe_value(pkg, var):
    """A plain `<PKG>_<VAR> = value` of the package's recipe, or None."""
    m = re.search(rf"^{pkg.upper().replace('-', '_')}_{var}\s*=\s*(\S+)\s*$",
                  (TOP / f"package/{pkg}/{pkg}.mk").read_text(), re.M)
    return m.group(1) if m else None


def numeric_version(v):
    return tuple(int(x) for x in re.findall(r"\d+", v))


def osv_affects(record, version):
    """Whether an OSV record's affected entries (versions, or ECOSYSTEM
    ranges of introduced/fixed/last_affected, in order) cover `version`;
    release numbers compared as numbers."""
    v = numeric_version(version)
    for aff in record["affected"]:
        if version in aff.get("versions", []):
            return True
        for rng in aff.get("ranges", []):
            inside = False
            for ev in rng["events"]:
                (kind, at), = ev.items()
                if kind == "introduced" and (at == "0" or v >= numeric_version(at)):
                    inside = True
                elif kind == "fixed" and v >= numeric_version(at):
                    inside = False
                elif kind == "last_affected" and v > numeric_version(at):
                    inside = False
            if inside:
                return True
    return False


def test_each_cve_a_patch_fixes_is_a_real_advisory_of_its_version():
    """Every `CVE:` line of a package's patches names an advisory kept as an
    OSV record (support/testing/data/osv/<package>/<id>.json, facts from
    NVD / the CVE record / Debian's tracker) that affects the version the
    recipe builds, for that package's CPE (or, for a library the package
    bundles, the library's version there): no fix is claimed for a version the
    advisory does not touch. And the vulnerabilities the nslookup patch and
    the Debian patches fix are all claimed."""
    claimed = {}
    for patch in sorted(TOP.glob("package/*/*.patch")):
        pkg = patch.parent.name
        head = patch.read_text(errors="replace").split("\n--- ", 1)[0]
        for cve in re.findall(r"^CVE: (CVE-\d{4}-\d+)\s*$", head, re.M):
            claimed.setdefault(pkg, set()).add(cve)
    assert {"CVE-2022-28391", "CVE-2022-48174", "CVE-2023-42363", "CVE-2023-42364",
            "CVE-2023-42365", "CVE-2022-30065"} <= claimed["busybox"]
    assert {"CVE-2023-48795", "CVE-2025-47203", "CVE-2023-36328"} <= claimed["dropbear"]
    nslookup = next(TOP.glob("package/busybox/*nslookup*.patch")).read_text()
    assert "CVE: CVE-2022-28391" in nslookup and "+++ b/networking/nslookup.c" in nslookup
    for pkg, cves in claimed.items():
        version = recipe_value(pkg, "VERSION")
        vendor = recipe_value(pkg, "CPE_ID_VENDOR")
        product = recipe_value(pkg, "CPE_ID_PRODUCT") or pkg
        for cve in sorted(cves):
            path = OSV_DIR / pkg / f"{cve}.json"
            assert path.is_file(), f"{pkg}: {cve} has no advisory in {OSV_DIR}"
            record = json.loads(path.read_text())
            assert record["id"] == cve and record["schema_version"].startswith("1.")
            cpes = [a["database_specific"]["cpe"].split(":")[3:5] for a in record["affected"]]
            bundled = record.get("database_specific", {}).get("bundled_in")
            if bundled:  # a library in the package's source: its own version
                assert bundled["package"] == pkg and bundled["version"] == version, bundled
                assert osv_affects(record, bundled["library_version"]), cve
            else:
                assert [vendor, product] in cpes, (cve, cpes)
                assert osv_affects(record, version), f"{cve} does not affect {pkg} {version}"


def test_dropbear_listen_option_refuses_shell_words(tmp_path):
    """TR_PACKAGE_DROPBEAR_LISTEN goes into the init script: a value that is
    not one [address:]port word (a space, ';', a quote) stops make, naming
    the option; an IPv6 address in brackets is accepted."""
    out = tmp_path / "out"
    assert run_make(out, "qemu_x86_64_defconfig", timeout=120).returncode == 0
    for value in ("22; reboot", "0.0.0.0:22 -R", "1'22"):
        r = run_make(out, "TR_PACKAGE_DROPBEAR=y", f"TR_PACKAGE_DROPBEAR_LISTEN=\"{value}\"",
                     "printvars", "VARS=DROPBEAR_LISTEN")
        assert r.returncode != 0, r.stdout
        assert "dropbear.mk" in r.stderr and f'TR_PACKAGE_DROPBEAR_LISTEN="{value}"' in r.stderr, r.stderr
    r = run_make(out, "TR_PACKAGE_DROPBEAR=y", 'TR_PACKAGE_DROPBEAR_LISTEN="[::1]:2222"',
                 "printvars", "VARS=DROPBEAR_LISTEN")
    assert r.returncode == 0 and "DROPBEAR_LISTEN=[::1]:2222" in r.stdout, r.stderr


def sbom_components(out):
    """{name: component} of the image's CycloneDX SBOM, packages only."""
    doc = json.loads((out / "images/sbom.cdx.json").read_text())
    return {c["name"]: c for c in doc["components"] if c["type"] != "file"}


@pytest.mark.slow
def test_sbom_of_the_real_packages_image(packages_build):
    """make sbom: the three documents validate (CycloneDX's own library, the
    SPDX 2.3 and 3.0.1 schemas, license expressions with an SPDX parser);
    every package the build made is there, autotools, CMake, Meson, kconfig
    and host packages alike, with its version, the sha256 its .hash gives,
    its license, CPE and PURL; what the image holds, read back (cpio,
    readelf, DL_DIR), is what the documents say (check_sbom_facts); every
    component and file has every field BSI TR-03183-2 asks for
    (check_tr_fields)."""
    board, out, _ = packages_build
    make(out, "sbom", timeout=600)
    validate_cyclonedx(out / "images/sbom.cdx.json")
    validate_spdx(out / "images/sbom.spdx.json")
    validate_spdx3(out / "images/sbom.spdx3.json")
    # what the recipes say, as make sees them
    info = json.loads(make(out, "-s", "show-info", timeout=120).stdout)
    comps = sbom_components(out)
    assert set(comps) == set(info), (sorted(comps), sorted(info))
    for pkg, want in info.items():
        c = comps[pkg]
        if want["version"] == "custom":  # the kernel from a tarball: its own version
            assert re.match(r"\d+\.\d+\.\d+$", c["version"]), c["version"]
        else:
            assert c["version"] == want["version"], pkg
        assert {"alg": "SHA-256", "content": want["sources"][0]["hashes"]["sha256"]} in c["hashes"]
        assert want["license"] in json.dumps(c["licenses"]), pkg
        assert c["supplier"]["name"] and c["purl"].startswith("pkg:"), pkg
    assert {"dropbear", "lz4", "fribidi", "busybox", "musl", "linux"} <= set(info)
    assert comps["dropbear"]["cpe"].startswith("cpe:2.3:a:dropbear_ssh_project:dropbear_ssh:2022.83:")
    assert comps["linux"]["cpe"].startswith("cpe:2.3:o:linux:linux_kernel:")
    assert comps["lz4"]["purl"] == "pkg:github/lz4/lz4@v1.9.4"
    # the C++ runtime (the boards have C++ support) like any package: its
    # source, Debian's archive of the LLVM tree, by the digest of its .dsc
    assert comps["libcxx"]["purl"] == "pkg:github/llvm/llvm-project@llvmorg-14.0.6"
    assert {"alg": "SHA-256", "content": "d9bce5f42381d781e273c724db1ab0acd66259bf2782b79891664dbf1953d22c"} \
        in comps["libcxx"]["hashes"]
    validate_licenses(sorted({info[p]["license"] for p in info}))
    expected = check_sbom_facts(out)
    assert {"dropbear", "lz4", "fribidi", "tcpdump", "busybox", "musl", "linux"} <= expected
    missing = check_tr_fields(out / "images/sbom.cdx.json", out / "images/sbom.spdx3.json")
    assert missing == [], "\n".join(missing[:40])


@pytest.mark.slow
def test_removed_packages_leave_nothing_in_the_image(packages_build, mirror_url):
    """Without the packages in the configuration the next image has none
    of their files, and its SBOM does not name them."""
    board, out, _ = packages_build
    configure_offline(out, mirror_url, f"{board}_defconfig")
    make(out)
    make(out, "sbom", timeout=600)
    assert not {"dropbear", "lz4", "fribidi", "tcpdump", "libpcap", "pugixml"} & set(sbom_components(out))
    assert "busybox" in sbom_components(out)
    listing = subprocess.run(f"gzip -dc {out}/images/rootfs.cpio.gz | cpio -it", shell=True,
                             capture_output=True, text=True, timeout=60).stdout.split()
    assert "bin/busybox" in listing
    gone = ("dropbear", "lz4", "fribidi", "tcpdump", "libpcap", "pugixml", "authorized_keys")
    assert not [f for f in listing if any(g in f for g in gone)]

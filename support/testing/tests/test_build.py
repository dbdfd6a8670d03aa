"""End to end: `make <board>_defconfig && make` from a clean output folder,
sources through the real download path from a local mirror on 127.0.0.1,
then the image booted in QEMU (TCG) and checked from its serial console."""
import contextlib
import csv
import hashlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import xml.etree.ElementTree as ET

import pexpect
import pytest

from conftest import (MIRROR, TOP, board_facts, build_cxx_app, cxx_app_lines, extract_sdk,
                      image_digests, make, serve)

pytestmark = pytest.mark.slow


# what each board's image must show (board/<board>/facts)
BOARDS = board_facts()


@pytest.fixture(scope="module", params=list(BOARDS))
def board_build(request, board_builds):
    """Each board built once per test run, from a clean output folder."""
    out, seconds, _ = board_builds(request.param)
    return request.param, out, seconds


def test_killed_build_resumes(board_builds):
    """The qemu_x86_64 build was killed (SIGKILL, whole process group) while
    the kernel compiled beside musl and BusyBox, and finished by `make`: the
    images are there, and every other test of the board runs on them."""
    out, _, killed_early = board_builds("qemu_x86_64")
    if killed_early is None:
        pytest.skip("TR_TEST_REUSE_BUILDS: an existing build was reused, not killed")
    assert killed_early, "the build ended before it was killed"
    assert (out / "images/bzImage").is_file() and (out / "images/rootfs.cpio.gz").is_file()


def boot(out):
    # --snapshot: a board booting its disk image (test_disk.py) leaves it
    # as the build wrote it, for the tests that compare it
    child = pexpect.spawn(str(out / "images/start-qemu.sh"), ["--snapshot"], encoding="utf-8",
                          timeout=120, codec_errors="replace")
    child.logfile_read = open(out / "boot.log", "w")
    return child


@contextlib.contextmanager
def booted(out, poweroff="poweroff"):
    """The image booted to its shell for the block, then powered off with
    `poweroff` (QEMU must exit), bounded in time."""
    child = boot(out)
    try:
        child.expect(r"Boot took ([0-9.]+) seconds", timeout=180)
        child.sendline("")
        yield child
        child.sendline(poweroff)
        child.expect(pexpect.EOF, timeout=60)
    finally:
        child.close(force=True)


def sh(child, cmd, expect, timeout=30):
    child.sendline(cmd)
    child.expect(expect, timeout=timeout)


def test_images_exist(board_build):
    board, out, _ = board_build
    for f in (BOARDS[board]["kernel"], "rootfs.cpio.gz", "start-qemu.sh", ".config"):
        assert (out / "images" / f).is_file(), f


def test_programs_are_built_for_the_board(board_build):
    """BusyBox in the target tree is a static ELF of the board's machine,
    and the kernel was built for it too (its ARCH in the kernel's .config)."""
    board, out, _ = board_build
    desc = subprocess.run(["file", "-L", str(out / "target/bin/busybox")], capture_output=True,
                          text=True, check=True).stdout
    assert BOARDS[board]["file-elf"] in desc and "statically linked" in desc, desc
    kconfig = (out / "build/linux/src/obj/.config").read_text()
    assert BOARDS[board]["kernel-config"] in kconfig.splitlines()


def test_boot_network_and_poweroff(board_build, sdk_apps, tmp_path):
    """One boot per board for every guest check: the image with the SDK's
    programs added through an overlay (only the image is re-made)."""
    board, out, _ = board_build
    (tmp_path / "hello.txt").write_text("hello from the host\n")
    set_config(out, f"TR_ROOTFS_OVERLAY={sdk_apps}")
    with contextlib.ExitStack() as stack:
        stack.callback(lambda: (set_config(out, "TR_ROOTFS_OVERLAY="), make(out)))
        ran = steps(make(out).stdout)
        assert not any(l.startswith((">>> linux", ">>> busybox", ">>> musl")) for l in ran), ran
        url = stack.enter_context(serve(tmp_path))
        port = url.rsplit(":", 1)[1]
        child = boot(out)
        try:
            child.expect(r"Boot took ([0-9.]+) seconds", timeout=180)
            child.sendline("")
            child.expect("# ", timeout=30)
            # a whole line (the serial console ends lines with \r\r\n)
            sh(child, "uname -m", f"\n{BOARDS[board]['uname-m']}\r")
            sh(child, "uname -r", "6.1.")
            sh(child, "grep -c -E ' /proc | /sys | /dev ' /proc/mounts", "\r\n3\r")
            sh(child, "ifconfig eth0", "inet addr:10.0.2.15")
            sh(child, "ifconfig lo", "inet addr:127.0.0.1")
            sh(child, "route -n | grep '^0.0.0.0'", "10.0.2.2")
            # the network link comes up a moment after boot: retry, bounded
            sh(child, f"for i in 1 2 3 4 5 6 7 8 9 10; do wget -q -O - "
                      f"http://10.0.2.2:{port}/hello.txt && break; sleep 1; done",
               "hello from the host", timeout=60)
            # names resolve through musl's getpwuid, and init sleeps in
            # sigtimedwait rather than spinning (i386 needs the 32-bit-time calls)
            sh(child, "id", r"uid=0\(root\) gid=0\(root\)")
            sh(child, "grep State /proc/1/status", r"State:\s+S")
            # the SDK's programs (test_sdk_builds_static_programs_for_the_board)
            for prog in SDK_APPS:
                sh(child, prog, "\r\nHello from the app team")
            # the C++ project's program, in the lines it prints
            child.sendline("hello-cxx; echo cxx-exit=$?")
            for line in cxx_app_lines(pugixml=True):
                child.expect(f"\n{line}\r", timeout=60)
            child.expect("\ncxx-exit=0\r", timeout=30)
            # through BusyBox init: its shutdown actions, then ACPI power off
            child.sendline("poweroff")
            child.expect(pexpect.EOF, timeout=60)
        finally:
            child.close(force=True)


def test_noop_make_reruns_nothing(board_build):
    _, out, _ = board_build
    before = (out / "images/rootfs.cpio.gz").stat().st_mtime_ns
    r = make(out)
    assert ">>>" not in r.stdout, r.stdout
    assert (out / "images/rootfs.cpio.gz").stat().st_mtime_ns == before


def boot_images(out):
    """{name: sha256} of the images (not the configuration they came from,
    the SBOM or the SDK)."""
    return {name: digest for name, digest in image_digests(out).items()
            if not name.startswith(("sbom", ".")) and not name.endswith(".tar.gz")}


def test_cxx_support_off_changes_no_package_in_c(pc_build):
    """Turning the toolchain's C++ support off (the boards' defconfigs have
    it on) rebuilds nothing: no package in C has it in its slice, so each
    one's package-cache key (make <pkg>-show-key) is the same, which makes
    its build that of a toolchain without C++; the C++ compiler leaves
    host/bin, and the image made again from the target tree is
    byte-identical (a static board: the runtime is linked into programs,
    not installed). On again, nothing is rebuilt either: the runtime's own
    build is still in the folder (the sysroot keeps what a package removed
    from the configuration installed, as for any package)."""
    out = pc_build
    tuple_ = "x86_64-tinyroot-linux-musl"
    c_packages = ("musl", "busybox", "linux")

    def keys():
        return {p: make(out, "-s", f"{p}-show-key").stdout.splitlines()[-1] for p in c_packages}
    # without the C++ package the SDK test adds (sdk_apps): C++ off takes it
    # away, and its target tree leaves /usr/lib in the image
    set_config(out, "TR_PACKAGE_PUGIXML=n")
    make(out)
    keys_on, before = keys(), boot_images(out)
    assert (out / f"host/bin/{tuple_}-g++").exists()
    assert (out / "staging/usr/include/c++/v1/vector").exists()
    try:
        set_config(out, "TR_TOOLCHAIN_CXX=n")
        (out / "images/rootfs.cpio.gz").unlink()
        ran = steps(make(out).stdout)
        packages = json.loads(make(out, "-s", "show-info").stdout)
        assert "libcxx" not in packages and "busybox" in packages
        assert not [l for l in ran if l.split()[1] in packages], ran
        assert keys() == keys_on
        for p in c_packages:
            key = (out / "build" / p / ".key-inputs").read_text()
            assert not re.search(r"^config (# )?TR_TOOLCHAIN_CXX[= ]", key, re.M), key
        assert not (out / f"host/bin/{tuple_}-g++").exists()
        assert not (out / f"host/bin/{tuple_}-c++").exists()
        assert boot_images(out) == before
    finally:
        set_config(out, "TR_TOOLCHAIN_CXX=y")
        ran = steps(make(out).stdout)
    packages = json.loads(make(out, "-s", "show-info").stdout)
    assert "libcxx" in packages and not [l for l in ran if l.split()[1] in packages], ran
    assert (out / f"host/bin/{tuple_}-g++").exists() and keys() == keys_on
    assert boot_images(out) == before


def test_unknown_defconfig_lists_known_ones(tmp_path):
    r = make(tmp_path / "o", "nosuchboard_defconfig", check=False, timeout=120)
    assert r.returncode != 0
    assert "qemu_x86_64_defconfig" in r.stderr and "qemu_i386_defconfig" in r.stderr


def steps(stdout):
    """The '>>> pkg version Step' lines make printed."""
    return [l for l in stdout.splitlines() if l.startswith(">>> ")]


def set_config(out, *assignments):
    r = subprocess.run([str(out / "host/bin/kconfig"), "set", "Config.in", *assignments],
                       cwd=TOP, env=dict(os.environ, KCONFIG_CONFIG=str(out / ".config"),
                                         TR_EXTERNAL_KCONFIG=str(out / ".tr-external.d"),
                                         CONFIG_=""), capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_corrupted_tarball_fails_and_leaves_nothing(tmp_path):
    bad = tmp_path / "mirror"
    bad.mkdir()
    data = bytearray((MIRROR / "busybox-1.35.0.tar.bz2").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (bad / "busybox-1.35.0.tar.bz2").write_bytes(bytes(data))
    out = tmp_path / "o"
    dl = tmp_path / "dl"
    with serve(bad) as url:
        make(out, "qemu_x86_64_defconfig", timeout=300)
        set_config(out, f"TR_PRIMARY_SITE={url}", "TR_PRIMARY_SITE_ONLY=y")
        env = dict(os.environ, TR_DL_DIR=str(dl))
        r = subprocess.run(["make", f"O={out}", "busybox-source"], cwd=TOP, env=env,
                           capture_output=True, text=True, timeout=300)
    assert r.returncode != 0
    assert "busybox-1.35.0.tar.bz2 has wrong sha256 hash" in r.stderr
    assert "faeeb244c35a348a334f4a59e44626ee870fb07b6884d68c10ae8bc19f83a694" in r.stderr
    left = [p.name for p in (dl / "busybox").iterdir() if not p.name.endswith(".lock")]
    assert left == []


def test_system_options_overlay_and_scripts(pc_build, tmp_path):
    """Hostname, DHCP, a plain /init, an overlay, post-build and post-image
    scripts: only the target tree and image are rebuilt, and the guest shows
    each of them."""
    out = pc_build
    overlay = tmp_path / "overlay"
    (overlay / "etc").mkdir(parents=True)
    (overlay / "etc/motd").write_text("overlay was here\n")
    post_build = tmp_path / "post-build.sh"
    post_build.write_text('#!/bin/sh\necho "post-build saw $1" > "$1/etc/post-build-marker"\n')
    post_build.chmod(0o755)
    post_image = tmp_path / "post-image.sh"
    post_image.write_text('#!/bin/sh\ntouch "$1/post-image-marker"\n')
    post_image.chmod(0o755)
    set_config(out, "TR_TARGET_GENERIC_HOSTNAME=custombox", "TR_SYSTEM_NET_DHCP=y",
               "TR_INIT_SCRIPT=y", f"TR_ROOTFS_OVERLAY={overlay}",
               "TR_TARGET_GENERIC_ROOT_PASSWD=s3cret",
               f"TR_ROOTFS_POST_BUILD_SCRIPT={post_build}",
               f"TR_ROOTFS_POST_IMAGE_SCRIPT={post_image}")
    try:
        r = make(out)
        assert not any(l.startswith((">>> linux", ">>> busybox", ">>> musl"))
                       for l in steps(r.stdout)), r.stdout
        assert (out / "images/post-image-marker").exists()
        # the plain /init has no BusyBox init to signal: poweroff -f
        with booted(out, poweroff="poweroff -f") as child:
            sh(child, "hostname", "custombox")
            sh(child, "cat /etc/motd", "overlay was here")
            sh(child, "cat /etc/post-build-marker", "post-build saw ")
            sh(child, "cat /proc/1/cmdline; echo", "/bin/sh")
            # the password's SHA-512 crypt (salt from the image's identity,
            # support/scripts/root-passwd-hash), checked by BusyBox's own crypt
            sh(child, "grep -c '^root:\\$6\\$[0-9a-f]\\{16\\}\\$' /etc/shadow", "\r\n1\r")
            sh(child, "h=$(grep ^root: /etc/shadow | cut -d: -f2); "
                      "echo s3cret | cryptpw -m sha512 -S \"$(echo \"$h\" | cut -d'$' -f3)\" -P 0 | "
                      "grep -qxF \"$h\" && echo PW OK | tr ' ' _", "PW_OK")
            # QEMU's user-net DHCP server hands out 10.0.2.15 as well
            sh(child, "for i in 1 2 3 4 5 6 7 8 9 10; do ifconfig eth0 | grep -q 'inet addr' "
                      "&& break; sleep 1; done; ifconfig eth0", "inet addr:10.0.2.15", timeout=60)
        assert "s3cret" not in (out / "images/.config").read_text()
        # an overlay's /etc/shadow of another mode is made root's alone
        (overlay / "etc/shadow").write_text("root::19723:0:99999:7:::\n")
        (overlay / "etc/shadow").chmod(0o644)
        make(out)
        assert (out / "target/etc/shadow").stat().st_mode & 0o777 == 0o600
    finally:
        set_config(out, "TR_TARGET_GENERIC_HOSTNAME=tinyroot", "TR_SYSTEM_NET_STATIC=y",
                   "TR_TARGET_GENERIC_ROOT_PASSWD=",
                   "TR_INIT_BUSYBOX=y", "TR_ROOTFS_OVERLAY=", "TR_ROOTFS_POST_BUILD_SCRIPT=",
                   "TR_ROOTFS_POST_IMAGE_SCRIPT=")
        make(out)


def test_console_login_and_the_open_console_warning(pc_build):
    """With TR_TARGET_GENERIC_GETTY and a root password the console asks for
    both (BusyBox getty and login; a wrong password is refused) and make
    says nothing; the default image (no password, a shell on the console)
    is built with a warning, once."""
    out = pc_build
    set_config(out, "TR_TARGET_GENERIC_GETTY=y", "TR_TARGET_GENERIC_ROOT_PASSWD=s3cret")
    try:
        r = make(out)
        assert "WARNING: root has no password" not in r.stderr, r.stderr
        child = boot(out)
        try:
            child.expect(r"Boot took ([0-9.]+) seconds", timeout=180)
            child.expect("login: ", timeout=60)
            child.sendline("root")
            child.expect("Password: ", timeout=30)
            child.sendline("wrong")
            child.expect("Login incorrect", timeout=30)
            child.expect("login: ", timeout=60)
            child.sendline("root")
            child.expect("Password: ", timeout=30)
            child.sendline("s3cret")
            child.expect("# ", timeout=30)
            sh(child, "id -u", "\r\n0\r")
            child.sendline("poweroff")
            child.expect(pexpect.EOF, timeout=60)
        finally:
            child.close(force=True)
    finally:
        set_config(out, "TR_TARGET_GENERIC_GETTY=n", "TR_TARGET_GENERIC_ROOT_PASSWD=")
        r = make(out)
    assert "WARNING: root has no password and the console gives a shell without login" in r.stderr
    assert "WARNING" not in make(out).stderr  # once per image


def test_kernel_and_busybox_configuration_targets(pc_build, tmp_path):
    """linux-savedefconfig writes the kernel's minimal defconfig;
    linux-update-config and busybox-update-config save the full
    configurations over the files the configuration names (copies here),
    and refuse without one; linux-update-defconfig saves the minimal one
    (package/pkg-kconfig.mk, shared by both); no package is rebuilt for it."""
    out = pc_build
    make(out, "linux-savedefconfig")
    defconfig = (out / "build/linux/src/obj/defconfig").read_text().splitlines()
    assert "CONFIG_E1000=y" in defconfig and "CONFIG_64BIT=y" not in defconfig
    r = make(out, "linux-update-config", check=False)
    assert r.returncode != 0 and "set TR_LINUX_KERNEL_USE_CUSTOM_CONFIG and its file first" in r.stderr
    kernel_config = (out / "build/linux/src/obj/.config").read_text()
    kcopy, bcopy = tmp_path / "linux.config", tmp_path / "busybox.config"
    kcopy.write_text("# an old kernel configuration\n" + kernel_config)
    bcopy.write_text((TOP / "package/busybox/busybox.config").read_text())
    set_config(out, "TR_LINUX_KERNEL_USE_CUSTOM_CONFIG=y",
               f"TR_LINUX_KERNEL_CUSTOM_CONFIG_FILE={kcopy}", f"TR_PACKAGE_BUSYBOX_CONFIG={bcopy}")
    try:
        make(out, "linux-update-config")
        assert kcopy.read_text() == (out / "build/linux/src/obj/.config").read_text()
        assert kcopy.read_text().startswith("#\n# Automatically generated file")
        make(out, "busybox-update-config")
        assert bcopy.read_text() == (out / "build/busybox/src/.config").read_text()
        assert "CONFIG_GETTY=y" in bcopy.read_text().splitlines()
        # the minimal form over the file; BusyBox's Kconfig has no savedefconfig
        make(out, "linux-update-defconfig")
        assert kcopy.read_text() == (out / "build/linux/src/obj/defconfig").read_text()
        r = make(out, "busybox-savedefconfig", check=False)
        assert r.returncode != 0 and "its Kconfig has no savedefconfig" in r.stderr
    finally:
        set_config(out, "TR_LINUX_KERNEL_USE_TINYCONFIG=y", "TR_PACKAGE_BUSYBOX_CONFIG=package/busybox/busybox.config")
        make(out)


def test_initramfs_linked_into_kernel(pc_build):
    """TR_TARGET_ROOTFS_INITRAMFS: the kernel is relinked with the root
    filesystem (no package rebuilt) and bzImage alone boots to the shell."""
    out = pc_build
    script_before = (out / "images/start-qemu.sh").read_text()
    set_config(out, "TR_TARGET_ROOTFS_INITRAMFS=y")
    try:
        r = make(out)
        done = steps(r.stdout)
        assert any("Linking the initramfs" in l for l in done), done
        assert not any(l.startswith((">>> busybox", ">>> musl")) for l in done), done
        script = (out / "images/start-qemu.sh").read_text()
        assert "-initrd" not in script
        assert (out / "images/rootfs.cpio.gz").exists()
        # a second make relinks nothing
        assert steps(make(out).stdout) == []
        with booted(out) as child:
            sh(child, "cat /proc/cmdline", "console=ttyS0")
            sh(child, "ls /bin/busybox && echo BB OK | tr ' ' _", "BB_OK")
    finally:
        set_config(out, "TR_TARGET_ROOTFS_INITRAMFS=n")
        make(out)
    # the board's own boot again (-initrd, or its disk variant's firmware)
    assert (out / "images/start-qemu.sh").read_text() == script_before


@pytest.fixture(scope="module")
def sdk_apps(board_build, tmp_path_factory):
    """make sdk (twice: the tarball must be reproducible), with the C++
    package pugixml added to the board's build for it; the tarball
    extracted elsewhere by another path, relocated, and used by an app team
    with $CC, the CMake toolchain file and the Meson cross file, and for a
    C++ project (support/testing/data/cxx-app) with the CMake toolchain
    file. Returns the folder of the programs (and the C++ project's
    library), which the boot test runs in the image; pugixml leaves the
    build at the module's end."""
    board, out, _ = board_build
    tmp_path = tmp_path_factory.mktemp(f"sdk-{board}")
    tuple_ = f"{BOARDS[board]['uname-m']}-tinyroot-linux-musl"
    name = f"{tuple_}_sdk-tinyroot"
    tarball = out / "images" / f"{name}.tar.gz"
    set_config(out, "TR_PACKAGE_PUGIXML=y")
    make(out, "sdk")
    first = tarball.read_bytes()
    tarball.unlink()
    make(out, "sdk")
    assert tarball.read_bytes() == first, "the SDK tarball is not reproducible"
    # no path of the build machine remains, in text or binary files
    sdk = extract_sdk(tarball, tmp_path / "app team" / "opt", leaks_of=(TOP, out))
    app = tmp_path / "app"
    app.mkdir()
    (app / "hello.c").write_text('#include <stdio.h>\n'
                                 'int main(void) { puts("Hello from the app team"); return 0; }\n')
    (app / "CMakeLists.txt").write_text("cmake_minimum_required(VERSION 3.13)\n"
                                        "project(hello C)\nadd_executable(hello-cmake hello.c)\n")
    (app / "meson.build").write_text("project('hello', 'c')\nexecutable('hello-meson', 'hello.c')\n")
    script = (f'set -e; . "{sdk}/environment-setup"; cd "{app}"; '
              '$CC $CFLAGS $LDFLAGS -o hello-cc hello.c; '
              'cmake -S . -B build -DCMAKE_TOOLCHAIN_FILE="$CMAKE_TOOLCHAIN_FILE" >/dev/null; '
              'cmake --build build >/dev/null; cp build/hello-cmake .; '
              'meson setup --cross-file "$MESON_CROSS_FILE" build-meson >/dev/null; '
              'ninja -C build-meson >/dev/null; cp build-meson/hello-meson .')
    r = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    overlay = tmp_path / "overlay"
    (overlay / "usr/bin").mkdir(parents=True)
    for prog in SDK_APPS:
        shutil.copy(app / prog, overlay / "usr/bin" / prog)
    # the C++ project: its library static, as the boards' libraries are
    # (the packages build of test_packages.py has shared libraries, and
    # runs the project's shared library in its guest)
    cache = build_cxx_app(sdk, tmp_path / "cxx-app", overlay)
    assert "pugixml" in cache.split("pugixml_DIR:")[1][:300]
    yield overlay
    set_config(out, "TR_PACKAGE_PUGIXML=n")
    make(out)


SDK_APPS = ("hello-cc", "hello-cmake", "hello-meson")


def test_sdk_builds_static_programs_for_the_board(board_build, sdk_apps):
    """The SDK's $CC, CMake and Meson give static musl programs of the
    board's machine (they run in the image: test_boot_network_and_poweroff),
    and so does its C++ compiler, with libc++ (its std::__1 names, not
    libstdc++'s) linked in."""
    board, _, _ = board_build
    for prog in (*SDK_APPS, "hello-cxx"):
        path = sdk_apps / "usr/bin" / prog
        desc = subprocess.run(["file", str(path)], capture_output=True, text=True).stdout
        assert "statically linked" in desc and BOARDS[board]["file-elf"] in desc, desc
        assert b"GLIBC" not in path.read_bytes()
    symbols = subprocess.run(["nm", "-C", str(sdk_apps / "usr/bin/hello-cxx")], capture_output=True,
                             text=True, timeout=60).stdout
    assert "std::__1::" in symbols and "__cxa_throw" in symbols and "_Unwind_RaiseException" in symbols
    assert "std::__cxx11::" not in symbols


def sdk_tool(sdk_apps, board, tool):
    tuple_ = f"{BOARDS[board]['uname-m']}-tinyroot-linux-musl"
    return sdk_apps.parent / "app team/opt" / f"{tuple_}_sdk-tinyroot/bin/{tuple_}-{tool}", tuple_


def test_sdk_answers_what_external_toolchain_checks_ask(board_build, sdk_apps, tmp_path):
    """Another build system taking the SDK as its external toolchain
    (Buildroot's checks) asks its compilers for the sysroot, the C
    library's archive (Buildroot looks for musl's MUSL_LOCPATH in it), the
    C++ library, the tuple and the version, and links a program read from
    standard input; gcc-ar, -nm and -ranlib are there."""
    board, _, _ = board_build
    gcc, tuple_ = sdk_tool(sdk_apps, board, "gcc")
    sysroot = (gcc.parent.parent / tuple_ / "sysroot").resolve()

    def ask(tool, *args, stdin=None):
        r = subprocess.run([str(sdk_tool(sdk_apps, board, tool)[0]), *args], input=stdin,
                           capture_output=True, text=True, timeout=120, cwd=tmp_path)
        assert r.returncode == 0, r.stderr
        return r
    for tool in ("gcc", "g++"):
        assert ask(tool, "-print-sysroot").stdout.strip() == str(sysroot)
        libc = ask(tool, "-print-file-name=libc.a").stdout.strip()
        assert libc == str(sysroot / "usr/lib/libc.a")
        assert b"MUSL_LOCPATH" in Path(libc).read_bytes()
        assert ask(tool, "-print-file-name=libstdc++.a").stdout.strip() == "libstdc++.a"
        assert ask(tool, "-print-file-name=libc++.a").stdout.strip() == str(sysroot / "usr/lib/libc++.a")
        assert ask(tool, "-dumpmachine").stdout.strip() == tuple_
        assert "gcc version 12" in ask(tool, "-v").stderr
    ask("gcc", "-x", "c", "-", "-o", "from-stdin", stdin="int main(void) { return 0; }\n")
    ask("g++", "-x", "c++", "-", "-o", "from-stdin-cxx",
        stdin="#include <string>\nint main() { return std::string(\"ok\").size() - 2; }\n")
    for prog in ("from-stdin", "from-stdin-cxx"):
        desc = subprocess.run(["file", str(tmp_path / prog)], capture_output=True, text=True).stdout
        assert BOARDS[board]["file-elf"] in desc, desc
    for tool in ("gcc-ar", "gcc-nm", "gcc-ranlib"):
        assert "GNU" in ask(tool, "--version").stdout


def test_legal_info_and_graph_build(pc_build):
    """legal-info: a manifest row per enabled package, each license text
    copied and matching its .hash entry, the source tarballs; graph-build:
    charts naming every package, from build-time.log."""
    out = pc_build
    make(out, "legal-info")
    legal = out / "legal-info"
    info = json.loads(make(out, "-s", "show-info").stdout)
    with open(legal / "manifest.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["PACKAGE"] for r in rows] == list(info)
    for row in rows:
        pkg = row["PACKAGE"]
        assert row["VERSION"] == info[pkg]["version"] and row["LICENSE"] == info[pkg]["license"]
        # a host package (host-<name>) is its target package's recipe
        base = pkg.removeprefix("host-")
        hash_files = [TOP / "package" / base / f"{base}.hash", out / "patches" / base / f"{base}.hash"]
        known = {}
        for hf in hash_files:
            if hf.exists():
                for line in hf.read_text().splitlines():
                    parts = line.split()
                    if len(parts) == 3 and parts[0] == "sha256":
                        known[parts[2]] = parts[1]
        for lf in row["LICENSE FILES"].split():
            text = legal / "licenses" / f"{pkg}-{row['VERSION']}" / lf
            assert hashlib.sha256(text.read_bytes()).hexdigest() == known[lf], (pkg, lf)
        assert (legal / "sources" / f"{pkg}-{row['VERSION']}" / row["SOURCE ARCHIVE"]).exists()
    assert "gcc" in (legal / "host-manifest.csv").read_text()
    r = make(out, "-s", "graph-build")
    graphs = out / "graphs"
    svg = (graphs / "graph-build.svg").read_text()
    ET.fromstring(svg)
    assert (graphs / "graph-build.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    summary = (graphs / "graph-build.txt").read_text()
    for pkg in info:
        assert pkg in svg and pkg in summary
    assert "wall time from first to last step" in r.stdout


def test_busybox_fragment_rebuilds_only_busybox_and_image(pc_build):
    """A BusyBox fragment rebuilds BusyBox and the image, not the kernel or
    musl; an assignment BusyBox's Kconfig does not take is reported with
    the fragment's line; editing the fragment reconfigures BusyBox (its
    configure step alone is run for that: a build costs minutes here)."""
    out = pc_build
    frag = out / "busybox-extra.fragment"
    frag.write_text("CONFIG_FEATURE_EDITING_HISTORY=64\nCONFIG_NO_SUCH_APPLET=y\n")
    set_config(out, f"TR_PACKAGE_BUSYBOX_CONFIG_FRAGMENT_FILES={frag}")
    kernel_before = (out / "images/bzImage").stat().st_mtime_ns
    r = make(out)
    ran = steps(r.stdout)
    assert any(l.startswith(">>> busybox") for l in ran), ran
    assert not any(l.startswith((">>> linux", ">>> musl")) for l in ran), ran
    assert any("rootfs.cpio" in l for l in ran), ran
    assert (out / "images/bzImage").stat().st_mtime_ns == kernel_before
    assert "CONFIG_FEATURE_EDITING_HISTORY=64" in (out / "build/busybox/src/.config").read_text()
    log = (out / "build/busybox/logs/configured.log").read_text()
    assert f"{frag}:2: warning: asked for 'CONFIG_NO_SUCH_APPLET=y', got " \
        "'CONFIG_NO_SUCH_APPLET is not set'" in log, log[-2000:]
    # editing the fragment itself reconfigures BusyBox
    frag.write_text("CONFIG_FEATURE_EDITING_HISTORY=32\n")
    ran = steps(make(out, "busybox-configure").stdout)
    assert any(l.startswith(">>> busybox 1.35.0 Configuring") for l in ran), ran
    assert "CONFIG_FEATURE_EDITING_HISTORY=32" in (out / "build/busybox/src/.config").read_text()
    # back to the board's configuration, so later tests see the plain image
    set_config(out, "TR_PACKAGE_BUSYBOX_CONFIG_FRAGMENT_FILES=")
    make(out)

"""External trees (TR_EXTERNAL): the example tree in docs/examples/external
adds a board, a package, an overlay, a post-build script with arguments, a
device table and a users table; its image is built through the local mirror
and booted. Bad trees fail early with a clear message."""
import gzip
import os
import re
import shutil
import subprocess

import pytest

from conftest import (BUILD_TIMEOUT, TOP, config_value, configure_offline, make, run_make,
                      suite_defconfig)
from test_build import booted, sh, steps

EXAMPLE = TOP / "docs/examples/external"


def kconfig_set(out, *assignments):
    """`kconfig set` with the environment make gives Kconfig for external trees."""
    env = dict(os.environ, KCONFIG_CONFIG=str(out / ".config"), CONFIG_="",
               TR_EXTERNAL_KCONFIG=str(out / ".tr-external.d"),
               TR_EXTERNAL_EXAMPLE_PATH=str(EXAMPLE))
    r = subprocess.run([str(out / "host/bin/kconfig"), "set", "Config.in", *assignments],
                       cwd=TOP, env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr


@pytest.fixture(scope="module")
def example_build(mirror_url, board_builds):
    """The example tree's board, built in the qemu_x86_64 test build's
    folder: its kernel configuration and base packages are that board's, so
    only the hello package and the images are new (a full build of its own
    would cost the suite another ten minutes). The folder is put back to
    the suite's qemu_x86_64 configuration afterwards, without the tree."""
    out, _, _ = board_builds("qemu_x86_64")
    # the kernel fragments of the folder's own configuration (a disk
    # variant's add disk boot): the same kernel, not two kernel builds to
    # switch there and back
    fragments = config_value(out, "TR_LINUX_KERNEL_CONFIG_FRAGMENT_FILES")
    configure_offline(out, mirror_url, f"TR_EXTERNAL={EXAMPLE}", "example_x86_64_defconfig")
    kconfig_set(out, f"TR_LINUX_KERNEL_CONFIG_FRAGMENT_FILES={fragments}")
    # TR_EXTERNAL is remembered: no need to give it again
    r = make(out)
    yield out, r
    # back to the suite's configuration (its disk variant when
    # TR_TEST_DISK_BOARDS names the board)
    configure_offline(out, mirror_url, "TR_EXTERNAL=", suite_defconfig("qemu_x86_64"))
    make(out)


@pytest.mark.slow
def test_example_board_reuses_the_kernel_and_packages(example_build):
    """Switching the folder to another board of the same kernel
    configuration rebuilds no kernel object and no base package: the
    kernel is reconfigured to the same .config and relinked at most."""
    _, r = example_build
    ran = steps(r.stdout)
    assert any(l.startswith(">>> hello 1.0 Building") for l in ran), ran
    assert not any(l.startswith((">>> busybox", ">>> musl", ">>> linux-headers")) for l in ran), ran


@pytest.mark.slow
def test_example_tree_image_boots_with_its_package(example_build):
    out, _ = example_build
    r = run_make(out, "list-defconfigs")
    assert "example_x86_64_defconfig" in r.stdout and "qemu_x86_64_defconfig" in r.stdout
    assert 'TR_BOARD_EXAMPLE_X86_64=y' in (out / ".config").read_text()
    # the device table's node is in the image (at boot, devtmpfs is mounted
    # over /dev and shows the kernel's own nodes instead)
    listing = subprocess.run(["cpio", "-itv", "--numeric-uid-gid"],
                             input=gzip.decompress((out / "images/rootfs.cpio.gz").read_bytes()),
                             capture_output=True, timeout=60).stdout.decode()
    assert re.search(r"crw-r-----\s+1 0\s+0\s+240,\s+7 .* dev/example", listing), listing
    with booted(out) as child:
        sh(child, "hello", "Hello from the example external tree")
        sh(child, "cat /etc/example-motd", "comes from the example external tree")
        sh(child, "cat /etc/example-post-build",
           f"post-build ran with from-defconfig in {EXAMPLE}")
        # users table: the account resolves, its home is its own
        sh(child, "id app", r"uid=1000\(app\) gid=1000\(app\)")
        sh(child, "stat -c %U /home/app", "\r\napp")


@pytest.mark.slow
def test_failing_post_build_script_stops_the_build(example_build, tmp_path):
    out, _ = example_build
    bad = tmp_path / "bad.sh"
    bad.write_text("#!/bin/sh\nexit 3\n")
    bad.chmod(0o755)
    kconfig_set(out, f"TR_ROOTFS_POST_BUILD_SCRIPT={bad}")
    try:
        r = run_make(out, timeout=BUILD_TIMEOUT)
        assert r.returncode != 0
        assert f"post-build script {bad} failed (exit 3)" in r.stderr
    finally:
        kconfig_set(out, "TR_ROOTFS_POST_BUILD_SCRIPT="
                    "$(TR_EXTERNAL_EXAMPLE_PATH)/board/example_x86_64/post-build.sh")
    r = run_make(out, timeout=BUILD_TIMEOUT)
    assert r.returncode == 0, r.stderr
    assert not any(l.startswith((">>> linux", ">>> busybox")) for l in steps(r.stdout))


def test_missing_overlay_is_an_error(tmp_path):
    out = tmp_path / "o"
    r = run_make(out, "qemu_x86_64_defconfig")
    assert r.returncode == 0, r.stderr
    env = dict(os.environ, KCONFIG_CONFIG=str(out / ".config"), CONFIG_="",
               TR_EXTERNAL_KCONFIG=str(out / ".tr-external.d"))
    r = subprocess.run([str(out / "host/bin/kconfig"), "set", "Config.in",
                        f"TR_ROOTFS_OVERLAY={tmp_path}/nowhere"], cwd=TOP, env=env,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    r = run_make(out)
    assert r.returncode != 0
    assert f"TR_ROOTFS_OVERLAY: {tmp_path}/nowhere: no such folder" in r.stderr


def test_switching_from_an_external_board_to_an_in_tree_one(tmp_path):
    """An output folder configured for the example tree's board, then for an
    in-tree board without the tree: the old auto.conf (whose overlay path
    named the tree) must not stop the next make before it is regenerated."""
    out = tmp_path / "o"
    r = run_make(out, f"TR_EXTERNAL={EXAMPLE}", "example_x86_64_defconfig")
    assert r.returncode == 0, r.stderr
    r = run_make(out, "-s", "printvars", "VARS=BOARD ROOTFS_OVERLAYS")
    assert r.returncode == 0, r.stderr
    assert f"ROOTFS_OVERLAYS={EXAMPLE}/board/example_x86_64/overlay" in r.stdout
    r = run_make(out, "TR_EXTERNAL=", "qemu_x86_64_defconfig")
    assert r.returncode == 0, r.stderr
    r = run_make(out, "-s", "printvars", "VARS=BOARD ROOTFS_OVERLAYS")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["BOARD=qemu_x86_64", "ROOTFS_OVERLAYS="], r.stdout


def make_tree(path, desc):
    path.mkdir(parents=True)
    if desc is not None:
        (path / "external.desc").write_text(desc)
    return path


@pytest.mark.parametrize("case", ["no-desc", "no-name", "bad-name", "same-name", "no-tree"])
def test_bad_external_trees_are_refused(tmp_path, case):
    out = tmp_path / "o"
    a = make_tree(tmp_path / "a", "name: A\n")
    b = tmp_path / "b"
    tree, message = {
        "no-desc": (lambda: make_tree(b, None), "external.desc: missing"),
        "no-name": (lambda: make_tree(b, "desc: x\n"), "no 'name:' line"),
        "bad-name": (lambda: make_tree(b, "name: a-b\n"), "may hold only letters"),
        "same-name": (lambda: make_tree(b, "name: A\n"), "two external trees are named A"),
        "no-tree": (lambda: tmp_path / "missing", "no such folder"),
    }[case]
    tree = tree()
    r = run_make(out, f"TR_EXTERNAL={a}:{tree}", "qemu_x86_64_defconfig")
    assert r.returncode != 0
    assert message in r.stderr, r.stderr
    assert not (out / ".config").exists()
    # a rejected tree is not remembered: the next make goes on without it
    r = run_make(out, "qemu_x86_64_defconfig")
    assert r.returncode == 0, r.stderr


def test_external_package_needs_override_to_replace_an_in_tree_one(tmp_path):
    tree = make_tree(tmp_path / "t", "name: T\n")
    (tree / "package/busybox").mkdir(parents=True)
    (tree / "package/busybox/busybox.mk").write_text("BUSYBOX_VERSION = mine\n")
    out = tmp_path / "o"
    r = run_make(out, f"TR_EXTERNAL={tree}", "qemu_x86_64_defconfig")
    assert r.returncode != 0
    assert "package busybox exists in tinyroot and in an external tree" in r.stderr
    (tree / "external.desc").write_text("name: T\noverride: busybox\n")
    r = run_make(out, "qemu_x86_64_defconfig")
    assert r.returncode == 0, r.stderr
    r = run_make(out, "printvars", "VARS=BUSYBOX_VERSION BUSYBOX_PKGDIR")
    assert "BUSYBOX_VERSION=mine" in r.stdout, r.stdout + r.stderr
    assert f"BUSYBOX_PKGDIR={tree}/package/busybox" in r.stdout


@pytest.mark.slow
def test_local_mk_builds_a_package_from_a_working_copy(example_build, tmp_path):
    """<PKG>_OVERRIDE_SRCDIR in $(O)/local.mk: the package is built from that
    folder, and a change of a file there rebuilds it (and only it)."""
    out, _ = example_build
    work = tmp_path / "hello-wip"
    shutil.copytree(EXAMPLE / "package/hello/src", work)
    (work / "hello.c").write_text((work / "hello.c").read_text().replace(
        "Hello from the example external tree", "Hello from a working copy"))
    (out / "local.mk").write_text(f"HELLO_OVERRIDE_SRCDIR = {work}\n")
    binary = out / "target/usr/bin/hello"
    try:
        ran = steps(make(out).stdout)
        assert any(l.startswith(f">>> hello 1.0 Using {work}") for l in ran), ran
        assert not any(l.startswith((">>> linux", ">>> busybox", ">>> musl")) for l in ran), ran
        assert b"Hello from a working copy" in binary.read_bytes()
        (work / "hello.c").write_text((work / "hello.c").read_text().replace(
            "a working copy", "an edited working copy"))
        ran = steps(make(out).stdout)
        assert any(l.startswith(">>> hello 1.0 Syncing") for l in ran), ran
        assert b"Hello from an edited working copy" in binary.read_bytes()
        assert steps(make(out).stdout) == []
    finally:
        (out / "local.mk").unlink()
        make(out)
    assert b"Hello from the example external tree" in binary.read_bytes()


def test_board_of_a_known_architecture_is_only_its_folder(tmp_path):
    """A vendor's aarch64 board written as one folder in a scratch external
    tree: its defconfig selects the architecture, whose description gives the
    toolchain, the kernel image and QEMU; its own qemu.args is the launch
    command. Nothing outside the folder is touched (no image is built)."""
    tree = make_tree(tmp_path / "vendor", "name: VENDOR\n")
    board = tree / "board/vendor_a72"
    board.mkdir(parents=True)
    (board / "Config.in").write_text(
        "config TR_BOARD_VENDOR_A72\n"
        '\tbool "vendor_a72: QEMU virt machine, Cortex-A72, 512 MB"\n'
        "\tselect TR_aarch64\n")
    (board / "defconfig").write_text(
        "TR_BOARD_VENDOR_A72=y\n"
        'TR_LINUX_KERNEL_CONFIG_FRAGMENT_FILES="board/qemu_aarch64_virt/linux.fragment '
        '$(TR_EXTERNAL_VENDOR_PATH)/board/vendor_a72/linux.fragment"\n')
    (board / "linux.fragment").write_text("CONFIG_PRINTK_TIME=y\n")
    (board / "qemu.args").write_text(
        "# the virt machine with a Cortex-A72 and more memory\n"
        "-M virt -cpu cortex-a72 -m 512M\n"
        '-append "console=ttyAMA0 @CMDLINE@"\n'
        "-netdev user,id=net0 -device virtio-net-device,netdev=net0\n")
    before = subprocess.run(["git", "status", "--porcelain"], cwd=TOP, capture_output=True,
                            text=True, check=True).stdout
    out = tmp_path / "o"
    r = run_make(out, f"TR_EXTERNAL={tree}", "vendor_a72_defconfig")
    assert r.returncode == 0, r.stderr
    config = (out / ".config").read_text().splitlines()
    for line in ("TR_BOARD_VENDOR_A72=y", "TR_aarch64=y", 'TR_ARCH="aarch64"',
                 'TR_ARCH_KERNEL="arm64"', "TR_TOOLCHAIN_DEBIAN_CROSS=y",
                 'TR_TOOLCHAIN_PREFIX="aarch64-linux-gnu"'):
        assert line in config, line
    r = run_make(out, "-s", "printvars",
                 "VARS=BOARD KERNEL_IMAGE TOOLCHAIN_PREFIX TR_TUPLE LINUX_FRAGMENTS")
    assert r.returncode == 0, r.stderr
    values = dict(l.split("=", 1) for l in r.stdout.splitlines())
    assert values["BOARD"] == "vendor_a72"
    assert values["KERNEL_IMAGE"] == "Image"
    assert values["TOOLCHAIN_PREFIX"] == "aarch64-linux-gnu-"
    assert values["TR_TUPLE"] == "aarch64-tinyroot-linux-musl"
    assert values["LINUX_FRAGMENTS"].split() == [
        "package/linux/tinyroot.fragment", "board/qemu_aarch64_virt/linux.fragment",
        f"{tree}/board/vendor_a72/linux.fragment", f"{out}/build/linux/packages.fragment"]
    # the launch script: the architecture's QEMU with the board's own lines
    r = run_make(out, f"{out}/images/start-qemu.sh")
    assert r.returncode == 0, r.stderr
    script = (out / "images/start-qemu.sh").read_text()
    assert "exec qemu-system-aarch64 " in script
    assert '-kernel "$here/Image" -initrd "$here/rootfs.cpio.gz"' in script
    assert "\t-M virt -cpu cortex-a72 -m 512M \\\n" in script
    assert '\t-append "console=ttyAMA0 " \\\n' in script
    # --gdb: the stub listens on the loopback address only (QEMU stands in
    # for itself here: a script first on PATH that prints its arguments)
    fake = tmp_path / "fakebin"
    fake.mkdir()
    (fake / "qemu-system-aarch64").write_text('#!/bin/sh\necho "$@"\n')
    (fake / "qemu-system-aarch64").chmod(0o755)
    r = subprocess.run([str(out / "images/start-qemu.sh"), "--gdb"], capture_output=True, text=True,
                       timeout=60, env=dict(os.environ, PATH=f"{fake}:{os.environ['PATH']}"))
    assert r.returncode == 0, r.stderr
    assert " -gdb tcp:127.0.0.1:1234 -S" in r.stdout and "0.0.0.0" not in r.stdout, r.stdout
    assert subprocess.run(["git", "status", "--porcelain"], cwd=TOP, capture_output=True,
                          text=True, check=True).stdout == before


def test_patches_added_edited_and_removed_start_from_a_clean_source(tmp_path):
    """The patch step's inputs are the list of patches and their contents:
    when either changes, the source is extracted again and patched from
    clean (no `patch -N` on a patched tree, no removed patch left in)."""
    tree = tmp_path / "tree"
    shutil.copytree(EXAMPLE, tree)
    out = tmp_path / "o"
    r = run_make(out, f"TR_EXTERNAL={tree}", "example_x86_64_defconfig")
    assert r.returncode == 0, r.stderr
    pkg = tree / "package/hello"
    src = out / "build/hello/src/hello.c"

    def patch(name, old, new):
        (pkg / name).write_text(
            "--- a/hello.c\n+++ b/hello.c\n@@ -3,5 +3,5 @@\n int main(void)\n {\n"
            f'-\tprintf("{old}\\n");\n+\tprintf("{new}\\n");\n \treturn 0;\n }}\n')

    def patched():
        r = run_make(out, "hello-patch")
        assert r.returncode == 0, r.stdout + r.stderr
        return steps(r.stdout), src.read_text()

    ran, text = patched()
    assert "Hello from the example external tree" in text
    patch("0001-greeting.patch", "Hello from the example external tree", "Hello, patched")
    ran, text = patched()
    assert any("Syncing" in l for l in ran) and 'printf("Hello, patched\\n")' in text, ran
    # edited: applied to a fresh copy, so it applies at all
    patch("0001-greeting.patch", "Hello from the example external tree", "Hello, edited")
    ran, text = patched()
    assert any("Syncing" in l for l in ran) and 'printf("Hello, edited\\n")' in text, ran
    # added after it: both, in order
    patch("0002-more.patch", "Hello, edited", "Hello, twice")
    ran, text = patched()
    assert 'printf("Hello, twice\\n")' in text, ran
    # removed: the source is back to what the first patch alone makes
    (pkg / "0002-more.patch").unlink()
    ran, text = patched()
    assert any("Syncing" in l for l in ran) and 'printf("Hello, edited\\n")' in text, ran
    # unchanged: nothing runs again
    assert patched()[0] == []

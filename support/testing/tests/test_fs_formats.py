"""Root filesystem formats (fs/<format>/): every format the tree has is
written by make from one target tree with a device table, a users table, a
hard link and a symbolic link, then read back with that format's own tools
from Debian (e2fsck and debugfs, unsquashfs, fsck.erofs, tar, cpio), not
with tinyroot's: owners, modes, device nodes and links are what the tables
and the tree say. Two output folders give byte-identical images, and an
image too small for the tree is an error naming both sizes."""
import os
import re
import shutil
import stat
import subprocess

import pytest

from conftest import TEST_DIR, TOP, configure_offline, make, run_make

FORMATS = sorted(d.name for d in (TOP / "fs").iterdir() if (d / f"{d.name}.mk").is_file())

# format -> a shell command that unpacks IMAGE into the folder DEST with the
# format's own tool; run under fakeroot, which keeps the owners and device
# nodes the tool sets for the lister that runs next in the same session
UNPACK = {
    "cpio": 'mkdir DEST && cd DEST && gzip -dc IMAGE | cpio -idm --quiet --no-absolute-filenames',
    "ext4": 'mkdir DEST && debugfs -R "rdump / DEST" IMAGE 2>/dev/null',
    "squashfs": 'unsquashfs -q -n -d DEST IMAGE',
    "erofs": 'fsck.erofs --extract=DEST --preserve IMAGE',
    "tar": 'mkdir DEST && tar -xpf IMAGE --numeric-owner -C DEST',
}
# format -> the format's own consistency check of the image
CHECK = {
    "ext4": ["e2fsck", "-fn"],
    "erofs": ["fsck.erofs"],
    "squashfs": ["unsquashfs", "-s"],
}

# printed for every path of a tree, under fakeroot: type, mode, owner, device,
# link target, link count and inode (for hard links)
LISTER = r"""
import os, stat, sys
root = sys.argv[1]
for d, dirs, files in os.walk(root):
    for n in dirs + files:
        p = os.path.join(d, n)
        st = os.lstat(p)
        rdev = f"{os.major(st.st_rdev)},{os.minor(st.st_rdev)}" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else "-"
        link = os.readlink(p) if stat.S_ISLNK(st.st_mode) else "-"
        print("/" + os.path.relpath(p, root), oct(st.st_mode), st.st_uid, st.st_gid, rdev, link, st.st_nlink, st.st_ino, sep="\t")
"""

USERS_TABLE = "tester 1001 tester 1001 =secret /home/tester /bin/sh - Test user\n"
DEVICE_TABLE = ("/dev/trdev c 640 0 1001 10 200 - - -\n"
                "/etc/tr-owned f 640 1001 1001 - - - - -\n"
                "/srv/spool d 750 1001 0 - - - - -\n")


def listing(image, fmt, work):
    """{path: (mode, uid, gid, rdev, link, nlink, ino)} of the image as its
    format's own tool unpacks it."""
    dest, state = work / f"unpacked-{fmt}", work / f"fakeroot-{fmt}"
    shutil.rmtree(dest, ignore_errors=True)
    cmd = UNPACK[fmt].replace("DEST", str(dest)).replace("IMAGE", str(image))
    r = subprocess.run(["fakeroot", "-s", str(state), "--", "sh", "-c", cmd],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, f"{fmt}: {cmd}: {r.stderr}"
    r = subprocess.run(["fakeroot", "-i", str(state), "--", "python3", "-c", LISTER, str(dest)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    out = {}
    for line in r.stdout.splitlines():
        path, mode, uid, gid, rdev, link, nlink, ino = line.split("\t")
        out[path] = (int(mode, 8), int(uid), int(gid), rdev, link, int(nlink), int(ino))
    return out, dest


def inode_in_image(image, fmt, path, tree):
    """(inode, link count) of path: read in the image where the format's
    unpacker writes a copy per name (debugfs rdump, fsck.erofs --extract)."""
    if fmt == "ext4":
        r = subprocess.run(["debugfs", "-R", f"stat {path}", str(image)], capture_output=True,
                           text=True, timeout=60)
        m = re.search(r"^Inode: (\d+) .*\n(?:.*\n)*?Links: (\d+)", r.stdout, re.M)
    elif fmt == "erofs":
        r = subprocess.run(["dump.erofs", f"--path={path}", str(image)], capture_output=True,
                           text=True, timeout=60)
        m = re.search(r"NID: (\d+)\s+Links: (\d+)", r.stdout)
    else:
        return tree[path][6], tree[path][5]
    assert m, r.stdout + r.stderr
    return int(m.group(1)), int(m.group(2))


def debugfs_node(image, path):
    """A device node of an ext4 image as debugfs stat shows it, in the
    listing's shape."""
    r = subprocess.run(["debugfs", "-R", f"stat {path}", str(image)], capture_output=True,
                       text=True, timeout=60)
    kind = re.search(r"Type: (\w+) special\s+Mode:\s+(\d+)", r.stdout)
    owner = re.search(r"User:\s+(\d+)\s+Group:\s+(\d+)", r.stdout)
    dev = re.search(r"Device major/minor number: (\d+):(\d+)", r.stdout)
    links = re.search(r"Links: (\d+)", r.stdout)
    assert kind and owner and dev and links, r.stdout + r.stderr
    ifmt = {"character": stat.S_IFCHR, "block": stat.S_IFBLK}[kind.group(1)]
    return (ifmt | int(kind.group(2), 8), int(owner.group(1)), int(owner.group(2)),
            f"{int(dev.group(1))},{int(dev.group(2))}", "-", int(links.group(1)), 0)


@pytest.fixture(scope="module")
def fs_build(mirror_url, pc_build):
    """qemu_x86_64's configuration with every format, the tables and an
    overlay (a hard link, a symbolic link), built after the suite's
    qemu_x86_64 build: the toolchain pieces and BusyBox come from the
    package cache, the image tools are built here. Only the root
    filesystem images are made (rootfs-<format>), not the kernel."""
    work = TEST_DIR / "fs-formats"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    overlay = work / "overlay"
    (overlay / "usr/share/trtest").mkdir(parents=True)
    (overlay / "etc").mkdir()
    (overlay / "etc/tr-owned").write_text("the device table gives it an owner\n")
    (overlay / "usr/share/trtest/one").write_text("one file, two names\n")
    os.link(overlay / "usr/share/trtest/one", overlay / "usr/share/trtest/two")
    # absolute: it dangles on the build machine, as an overlay's often do
    os.symlink("/usr/share/trtest/one", overlay / "usr/share/trtest/link")
    (work / "users.txt").write_text(USERS_TABLE)
    (work / "devices.txt").write_text(DEVICE_TABLE)
    lines = [f'TR_ROOTFS_OVERLAY="{overlay}"',
             f'TR_ROOTFS_USERS_TABLES="{work / "users.txt"}"',
             f'TR_ROOTFS_DEVICE_TABLE="fs/device_table.txt {work / "devices.txt"}"',
             *(f"TR_TARGET_ROOTFS_{f.upper()}=y" for f in FORMATS)]
    outs = []
    for name in ("out", "out2"):
        out = work / name
        configure_offline(out, mirror_url, "qemu_x86_64_defconfig")
        with open(out / ".config", "a") as f:
            f.write("\n".join(lines) + "\n")
        make(out, "olddefconfig", timeout=300)
        make(out, *(f"rootfs-{f}" for f in FORMATS))
        outs.append(out)
    return work, outs


def image_of(out, fmt):
    """The image file of a format, by the name its fs/<format>/<format>.mk gives."""
    var = f"ROOTFS_{fmt.upper()}_IMAGE"
    r = make(out, "-s", "printvars", f"VARS={var}", timeout=120)
    return out / "images" / r.stdout.strip().split("=", 1)[1]


@pytest.mark.slow
@pytest.mark.parametrize("fmt", FORMATS)
def test_format_read_back_with_its_own_tools(fs_build, fmt):
    assert fmt in UNPACK, f"fs/{fmt}: a new format needs its reader in this test"
    work, (out, _) = fs_build
    image = image_of(out, fmt)
    if fmt in CHECK:
        r = subprocess.run([*CHECK[fmt], str(image)], capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stdout + r.stderr
    tree, dest = listing(image, fmt, work)
    if fmt == "ext4":
        # debugfs rdump writes no device nodes: read those in the image
        for dev in ("/dev/trdev", "/dev/console"):
            tree[dev] = debugfs_node(image, dev)
    target = out / "target"

    def kind(path):
        return stat.S_IFMT(tree[path][0])

    # the tree's own files and links
    assert kind("/bin/busybox") == stat.S_IFREG and tree["/bin/busybox"][0] & 0o111
    assert kind("/bin/sh") == stat.S_IFLNK and tree["/bin/sh"][4] == os.readlink(target / "bin/sh")
    assert tree["/usr/share/trtest/link"][4] == "/usr/share/trtest/one"
    assert (dest / "usr/share/trtest/one").read_text() == "one file, two names\n"
    # a hard link stays one file (cpio keeps a copy per name: fs/cpio)
    if fmt != "cpio":
        one, two = (inode_in_image(image, fmt, f"/usr/share/trtest/{n}", tree) for n in ("one", "two"))
        assert one == two and one[1] == 2, (one, two)
    # everything the tables do not name belongs to root
    assert tree["/bin/busybox"][1:3] == (0, 0) and tree["/etc"][1:3] == (0, 0)
    # the device table: a device node, a file and a folder with their owners
    assert kind("/dev/trdev") == stat.S_IFCHR and tree["/dev/trdev"][3] == "10,200"
    assert stat.S_IMODE(tree["/dev/trdev"][0]) == 0o640 and tree["/dev/trdev"][1:3] == (0, 1001)
    assert kind("/dev/console") == stat.S_IFCHR and tree["/dev/console"][3] == "5,1"
    assert stat.S_IMODE(tree["/etc/tr-owned"][0]) == 0o640 and tree["/etc/tr-owned"][1:3] == (1001, 1001)
    assert kind("/srv/spool") == stat.S_IFDIR and stat.S_IMODE(tree["/srv/spool"][0]) == 0o750
    assert tree["/srv/spool"][1:3] == (1001, 0)
    # the users table: the account and its home, the password file root's alone
    assert "tester:x:1001:1001:Test user:/home/tester:/bin/sh" in (dest / "etc/passwd").read_text()
    assert tree["/home/tester"][1:3] == (1001, 1001)
    assert stat.S_IMODE(tree["/etc/shadow"][0]) == 0o600 and tree["/etc/shadow"][1:3] == (0, 0)
    # every path of the target tree is in the image
    missing = [p for p in ("/" + str(q.relative_to(target)) for q in target.rglob("*")) if p not in tree]
    assert not missing, missing[:10]


@pytest.mark.slow
def test_images_are_identical_in_two_output_folders(fs_build):
    _, (out, out2) = fs_build
    for fmt in FORMATS:
        a, b = image_of(out, fmt), image_of(out2, fmt)
        assert a.read_bytes() == b.read_bytes(), f"{a.name} differs between {out} and {out2}"
    # the ext4 file system's UUID comes from the configuration, not chance
    r = subprocess.run(["dumpe2fs", "-h", str(image_of(out, "ext4"))], capture_output=True,
                       text=True, timeout=60)
    uuid = re.search(r"^Filesystem UUID:\s+(\S+)", r.stdout, re.M).group(1)
    assert uuid != "00000000-0000-0000-0000-000000000000"


@pytest.mark.slow
def test_an_image_too_small_is_an_error_naming_both_sizes(fs_build):
    _, (_, out2) = fs_build
    with open(out2 / ".config", "a") as f:
        f.write('TR_TARGET_ROOTFS_EXT4_SIZE="1M"\n')
    make(out2, "olddefconfig", timeout=300)
    r = run_make(out2, "rootfs-ext4")
    assert r.returncode != 0
    assert re.search(r"rootfs\.ext4: the root filesystem \(\d+ KiB of files\) does not fit "
                     r"TR_TARGET_ROOTFS_EXT4_SIZE=1M", r.stderr), r.stderr[-2000:]
    assert "Could not allocate block" in r.stderr  # mke2fs's own reason, shown too
    assert not (out2 / "images/rootfs.ext4.tmp").exists()
    assert not (out2 / "images/rootfs.ext4.err").exists()


def test_derived_uuid_holds_no_secret(tmp_path):
    """The ext4 UUID is readable by anyone with the image: the root password
    and URL credentials of the slice it is derived from do not change it,
    the rest of the configuration and the label do."""
    uuids = {}
    for name, text in (("a", 'TR_X=1\nTR_TARGET_GENERIC_ROOT_PASSWD="hunter2"\nTR_S="http://u:pw@h/"\n'),
                       ("b", 'TR_X=1\nTR_TARGET_GENERIC_ROOT_PASSWD="hunter3"\nTR_S="http://v:pv@h/"\n'),
                       ("c", 'TR_X=2\nTR_TARGET_GENERIC_ROOT_PASSWD="hunter2"\nTR_S="http://u:pw@h/"\n')):
        (tmp_path / name).write_text(text)
        for label in ("ext4", "ext4-hash-seed"):
            r = subprocess.run([str(TOP / "support/scripts/derive-uuid"), str(tmp_path / name), label],
                               capture_output=True, text=True, timeout=60)
            assert r.returncode == 0, r.stderr
            assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\n",
                                r.stdout), r.stdout
            uuids[name, label] = r.stdout
    assert uuids["a", "ext4"] == uuids["b", "ext4"] != uuids["c", "ext4"]
    assert uuids["a", "ext4"] != uuids["a", "ext4-hash-seed"]

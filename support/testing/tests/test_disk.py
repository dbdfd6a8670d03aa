"""Disk images (fs/disk.mk): a board with a disk variant
(board/<board>/disk_defconfig, which the suite builds for the boards
TR_TEST_DISK_BOARDS names: see conftest.py) boots
images/disk.img as a device boots from its disk: QEMU runs the board's
firmware and bootloader, which load the kernel from the boot partition; the
kernel mounts the root partition by its PARTUUID and the init scripts mount
/data, which keeps what is written to it. The image is read back with
Debian's own tools (sfdisk, fsck.fat, mtools, e2fsck, debugfs), and a second
output folder gives the same bytes."""
import hashlib
import json
import os
import re
import shutil
import subprocess

import pexpect
import pytest

from conftest import BUILD_TIMEOUT, DISK_TEST_BOARDS, DL_DIR, TEST_DIR, TOP, board_facts, configure_offline, recorded_images

pytestmark = pytest.mark.slow

# the root file system types that are read-only, and each format's own
# check of an image (Debian's tools)
READ_ONLY = ("squashfs", "erofs")
# (squashfs: every block unpacked, under fakeroot for the device nodes, to
# a scratch folder, the argument after)
CHECK = {"ext4": ["e2fsck", "-fn"], "squashfs": ["fakeroot", "unsquashfs", "-q", "-n", "-d"], "erofs": ["fsck.erofs"]}
# the boards TR_TEST_DISK_BOARDS names (conftest.py), built as their disk
# variant by the suite
DISK_BOARDS = [b for b in board_facts() if b in DISK_TEST_BOARDS]
FACTS = board_facts()


@pytest.fixture(scope="module", params=DISK_BOARDS)
def disk_build(request, board_builds):
    """The board's suite build (its disk variant): board name and output folder."""
    out, _, _ = board_builds(request.param)
    return request.param, out


def layout_partitions(board):
    """[(name, partition-uuid or None, image, bootable)] in the order of the
    board's layout file (genimage's format), read with a regular expression
    rather than tinyroot's reader."""
    text = (TOP / "board" / board / "genimage.cfg").read_text()
    parts = []
    for name, body in re.findall(r"partition\s+(\w+)\s*\{([^}]*)\}", text):
        uuid = re.search(r'partition-uuid\s*=\s*"([^"]+)"', body)
        image = re.search(r'image\s*=\s*"([^"]+)"', body)
        bootable = re.search(r'bootable\s*=\s*"?(true|yes)"?', body) is not None
        parts.append((name, uuid and uuid.group(1).lower(), image and image.group(1), bootable))
    return parts


def partition_table(image):
    """sfdisk's reading of the image's partition table (util-linux)."""
    r = subprocess.run(["sfdisk", "--json", str(image)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)["partitiontable"]


def partition_bytes(image, part, dest, length=None):
    """Copies a partition of the image (sfdisk's start and size, in sectors)
    to the file dest; only its first `length` bytes when given."""
    size = part["size"] * 512 if length is None else length
    with open(image, "rb") as src, open(dest, "wb") as out:
        src.seek(part["start"] * 512)
        while size:
            chunk = src.read(min(size, 1 << 20))
            assert chunk, "the partition runs past the image's end"
            out.write(chunk)
            size -= len(chunk)
    return dest


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def test_disk_image_read_back_with_debian_tools(disk_build, tmp_path):
    """The GPT holds the layout's partitions, in order, with their names,
    the root's fixed PARTUUID and the boot partition's bootable attribute;
    each partition holds its image's bytes; the FAT and ext4 file systems are
    clean and the boot partition has the kernel image and the bootloader's
    configuration naming that PARTUUID."""
    board, out = disk_build
    images = out / "images"
    table = partition_table(images / "disk.img")
    assert table["label"] == "gpt"
    parts = table["partitions"]
    layout = layout_partitions(board)
    assert [p["name"] for p in parts] == [name for name, _, _, _ in layout]
    for part, (name, uuid, image, bootable) in zip(parts, layout):
        # the legacy BIOS bootable attribute where the layout sets it (U-Boot's
        # distro boot looks for it; UEFI firmware goes by the ESP's type)
        assert ("LegacyBIOSBootable" in part.get("attrs", "")) == bootable, part
        if uuid:
            assert part["uuid"].lower() == uuid, name
        if image:
            size = (images / image).stat().st_size
            assert part["size"] * 512 >= size, name
            copy = partition_bytes(images / "disk.img", part, tmp_path / name, size)
            assert sha256(copy) == sha256(images / image), f"partition {name} is not {image}"
    root_uuid = next(uuid for name, uuid, _, _ in layout if name == "rootfs")

    vfat = images / "boot.vfat"
    r = subprocess.run(["fsck.fat", "-n", str(vfat)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    env = {"PATH": "/usr/bin:/bin", "MTOOLS_SKIP_CHECK": "1", "MTOOLSRC": "/dev/null"}
    kernel = FACTS[board]["kernel"]
    subprocess.run(["mcopy", "-n", "-i", str(vfat), f"::/{kernel}", str(tmp_path / kernel)],
                   check=True, env=env, timeout=60)
    assert sha256(tmp_path / kernel) == sha256(images / kernel)
    listing = subprocess.run(["mdir", "-/", "-b", "-i", str(vfat), "::/"], capture_output=True,
                             text=True, check=True, env=env, timeout=60).stdout
    configs = [l for l in listing.split() if l.endswith((".conf", ".cfg"))]
    assert configs, listing
    text = "".join(subprocess.run(["mtype", "-i", str(vfat), c], capture_output=True, text=True,
                                  check=True, env=env, timeout=60).stdout for c in configs)
    assert f"root=partuuid={root_uuid}" in text.lower(), text
    for fs in ("data.ext4", f"rootfs.{FACTS[board]['root-fstype']}"):
        fmt = fs.rsplit(".", 1)[1]
        scratch = [str(tmp_path / f"unpacked-{fmt}")] if fmt == "squashfs" else []
        r = subprocess.run(CHECK[fmt] + scratch + [str(images / fs)], capture_output=True,
                           text=True, timeout=120)
        assert r.returncode == 0, r.stdout + r.stderr


def boot(images, log, *args):
    child = pexpect.spawn(str(images / "start-qemu.sh"), list(args), encoding="utf-8",
                          timeout=120, codec_errors="replace")
    child.logfile_read = log
    return child


def sh(child, cmd, expect, timeout=30):
    child.sendline(cmd)
    child.expect(expect, timeout=timeout)
    return child.match


def data_file(images, tmp_path, name):
    """debugfs's `cat` of /name in the disk image's data partition, or None
    when the file is not there."""
    part = next(p for p in partition_table(images / "disk.img")["partitions"] if p["name"] == "data")
    copy = partition_bytes(images / "disk.img", part, tmp_path / "data.part")
    r = subprocess.run(["debugfs", "-R", f"stat /{name}", str(copy)], capture_output=True,
                       text=True, timeout=60)
    if "File not found" in r.stdout + r.stderr:
        return None
    return subprocess.run(["debugfs", "-R", f"cat /{name}", str(copy)], capture_output=True,
                          text=True, check=True, timeout=60).stdout


def test_disk_boots_through_firmware_and_bootloader_and_keeps_data(disk_build, tmp_path):
    """start-qemu.sh boots a copy of the images: the bootloader's banner,
    then the kernel's; / is the disk's root partition with the board's file
    system; a file written to /data is in the disk image after poweroff and
    there at the next boot. With --snapshot, what that boot writes is not."""
    board, out = disk_build
    images = tmp_path / "images"
    subprocess.run(["cp", "-a", "--sparse=always", str(out / "images"), str(images)], check=True,
                   timeout=300)
    fstype = FACTS[board]["root-fstype"]
    log = open(tmp_path / "boot.log", "w")
    child = boot(images, log)
    try:
        child.expect_exact(FACTS[board]["bootloader-banner"], timeout=120)
        child.expect_exact("Linux version", timeout=180)
        child.expect(r"Boot took ([0-9.]+) seconds", timeout=180)
        child.sendline("")
        child.expect("# ", timeout=30)
        # / is mounted from a block device (major:minor) whose partition
        # is the layout's rootfs, with the board's file system
        mode = sh(child, "awk '$2 == \"/\" {print \"root:\", $3, substr($4, 1, 2)}' /proc/mounts",
                  rf"root: {fstype} (r[ow])\r").group(1)
        # a read-only root has /var in memory; a writable one keeps its own
        assert mode == ("ro" if fstype in READ_ONLY else "rw")
        var = "tmpfs" if fstype in READ_ONLY else "none"
        sh(child, "awk 'BEGIN {t = \"none\"} $2 == \"/var\" {t = $3} END {print \"var:\", t}' /proc/mounts",
           rf"var: {var}\r")
        sh(child, "for b in /sys/class/block/*; do [ \"$(cat $b/dev)\" = \"$(mountpoint -d /)\" ] && "
                  "grep PARTNAME $b/uevent; done", r"\nPARTNAME=rootfs\r")
        sh(child, "awk '$2 == \"/data\" {print \"data:\", $3, $4}' /proc/mounts", r"data: ext4 rw")
        sh(child, "echo kept-across-boots > /data/marker && sync && echo written", "\nwritten")
        child.sendline("poweroff")
        child.expect(pexpect.EOF, timeout=60)
    finally:
        child.close(force=True)
    assert data_file(images, tmp_path, "marker") == "kept-across-boots\n"

    child = boot(images, log, "--snapshot")
    try:
        child.expect(r"Boot took ([0-9.]+) seconds", timeout=300)
        child.sendline("")
        sh(child, "cat /data/marker", "\nkept-across-boots")
        sh(child, "echo dropped > /data/snapshot && sync && echo written", "\nwritten")
        child.sendline("poweroff")
        child.expect(pexpect.EOF, timeout=60)
    finally:
        child.close(force=True)
        log.close()
    assert data_file(images, tmp_path, "snapshot") is None
    assert data_file(images, tmp_path, "marker") == "kept-across-boots\n"


def test_initramfs_of_the_same_build_boots_directly(disk_build, tmp_path):
    """start-qemu.sh --initramfs boots the build's kernel image and
    rootfs.cpio.gz with the board's qemu.args, as the board's defconfig
    boots (the suite builds the disk variant in its place): no
    bootloader's banner before the kernel's, / is the initramfs, the
    board's machine."""
    board, out = disk_build
    with open(tmp_path / "boot.log", "w") as log:
        child = boot(out / "images", log, "--initramfs")
        try:
            child.expect_exact("Linux version", timeout=180)
            assert FACTS[board]["bootloader-banner"] not in child.before
            child.expect(r"Boot took ([0-9.]+) seconds", timeout=180)
            child.sendline("")
            sh(child, "awk '$2 == \"/\" {print \"root:\", $3}' /proc/mounts", r"root: rootfs\r")
            sh(child, "uname -m", rf"\n{re.escape(FACTS[board]['uname-m'])}\r")
            child.sendline("poweroff")
            child.expect(pexpect.EOF, timeout=60)
        finally:
            child.close(force=True)


def test_two_output_folders_give_identical_disk_images(disk_build, mirror_url):
    """A second output folder configured the same way (its packages from the
    suite's package cache) writes the same disk image and partition images
    as the suite's build did."""
    board, out = disk_build
    again = TEST_DIR / f"disk-again-{board}"
    shutil.rmtree(again, ignore_errors=True)
    try:
        configure_offline(again, mirror_url, f"{board}_disk_defconfig")
        # another time zone and locale than the suite's build
        r = subprocess.run(["make", f"O={again}"], cwd=TOP,
                           env=dict(os.environ, TR_DL_DIR=str(DL_DIR), TZ="Pacific/Kiritimati",
                                    LC_ALL="C.UTF-8"),
                           capture_output=True, text=True, timeout=BUILD_TIMEOUT)
        assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
        want = recorded_images(out)
        for name in ("disk.img", "boot.vfat", "data.ext4", f"rootfs.{FACTS[board]['root-fstype']}"):
            assert sha256(again / "images" / name) == want[name], name
    finally:
        shutil.rmtree(again, ignore_errors=True)


def test_sbom_lists_the_bootloader_and_the_disk_image(disk_build):
    """The suite build's SBOM (make sbom, run when the build ended) has the
    bootloader's package with its source's digest and the disk image with
    the digest of the bytes the build wrote."""
    board, out = disk_build
    sbom = json.loads((out / "images/sbom.cdx.json").read_text())
    by_name = {c["name"]: c for c in sbom["components"]}
    digests = {h["alg"]: h["content"] for h in by_name["images/disk.img"]["hashes"]}
    assert digests["SHA-256"] == recorded_images(out)["disk.img"]
    # each bootloader's source digest is its recipe's (package/<name>/<name>.hash)
    for name in FACTS[board]["bootloaders"].split():
        recipe = (TOP / "package" / name / f"{name}.hash").read_text()
        source = [h["content"] for h in by_name[name]["hashes"] if h["alg"] == "SHA-256"]
        assert source and f"sha256  {source[0]}  " in recipe, (name, by_name[name]["hashes"])

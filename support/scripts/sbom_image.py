"""Reading the firmware back for the SBOM (support/scripts/sbom): the root
filesystem's files as the cpio image holds them, and the few facts of a file
the SBOM states (executable, archive, a statically linked ELF program).

The image is the truth: the target/ folder may have changed since it was
packed, and the packer (tr-helper pack) sets modes and owners of its own
(device and users tables). Only the formats tinyroot writes are read: cpio
"newc" (070701; 070702, the same with checksums), uncompressed or compressed
with gzip, xz or zstd (zstd through the zstd program: Python has no zstd
module before 3.14)."""
import gzip
import hashlib
import io
import lzma
import os
import stat
import struct
import subprocess

# A file's first bytes that name an archive or compressed format
ARCHIVE_MAGIC = (b"\x1f\x8b", b"\xfd7zXZ\x00", b"\x28\xb5\x2f\xfd", b"BZh", b"PK\x03\x04",
                 b"!<arch>\n", b"070701", b"070702", b"070707", b"\x04\x22\x4d\x18",
                 b"\x89LZO", b"7z\xbc\xaf\x27\x1c")
# the biggest file of an image read into memory (ELF parsing reads it whole)
MAX_FILE = 1 << 30


class ImageError(Exception):
    """A file the reader cannot take: its message names the file."""


def is_archive(head, name=""):
    """True when `head` (a file's first 512 bytes or more) starts with the
    magic of a compressed or archive format, or is a POSIX tar header."""
    return head.startswith(ARCHIVE_MAGIC) or head[257:262] == b"ustar"


def _open_decompressed(path):
    """A binary stream of `path`'s bytes, decompressed by its magic."""
    with open(path, "rb") as f:
        magic = f.read(6)
    if magic.startswith(b"\x1f\x8b"):
        return gzip.open(path, "rb")
    if magic.startswith(b"\xfd7zXZ\x00"):
        return lzma.open(path, "rb")
    if magic.startswith(b"\x28\xb5\x2f\xfd"):
        try:
            r = subprocess.run(["zstd", "-dc", path], capture_output=True, timeout=600)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise ImageError(f"{path}: cannot run zstd to read it ({e})") from e
        if r.returncode:
            raise ImageError(f"{path}: zstd -dc failed: {r.stderr.decode(errors='replace').strip()}")
        return io.BytesIO(r.stdout)
    return open(path, "rb")


def _read_exact(f, n, path, what):
    data = f.read(n)
    if len(data) != n:
        raise ImageError(f"{path}: truncated cpio archive ({what})")
    return data


def cpio_entries(path):
    """Yields (name, mode, uid, gid, data) for each entry of the newc cpio
    archive `path` (compressed or not), name as "/usr/bin/x"; data is the
    bytes of a regular file or a link's target, b"" otherwise. Hard links
    (nlink > 1: the data is on the last of them) get the shared data."""
    try:
        f = _open_decompressed(path)
    except OSError as e:
        raise ImageError(f"{path}: {e.strerror}") from e
    pending = {}  # (dev, ino) -> entries waiting for the data of their link group
    try:
        with f:
            while True:
                head = _read_exact(f, 110, path, "header")
                if head[:6] not in (b"070701", b"070702"):
                    raise ImageError(f"{path}: not a cpio newc archive (magic {head[:6]!r})")
                try:
                    fields = [int(head[6 + 8 * i:14 + 8 * i], 16) for i in range(13)]
                except ValueError as e:
                    raise ImageError(f"{path}: a cpio header has a field that is not hex") from e
                ino, mode, uid, gid, nlink, _mtime, size, dmaj, dmin, _rmaj, _rmin, namesize, _ = fields
                raw = _read_exact(f, namesize, path, "name")
                f.read((4 - (110 + namesize) % 4) % 4)
                name = raw.rstrip(b"\0").decode("utf-8", errors="surrogateescape")
                if name == "TRAILER!!!":
                    break
                if size > MAX_FILE:
                    raise ImageError(f"{path}: {name} is {size} bytes, over the reader's limit")
                data = _read_exact(f, size, path, name)
                f.read((4 - size % 4) % 4)
                while name.startswith("./"):
                    name = name[2:]
                name = "/" + name.lstrip("/")
                if name in ("/", "/."):
                    continue
                if stat.S_ISREG(mode) and nlink > 1:
                    group = pending.setdefault((dmaj, dmin, ino), [])
                    group.append((name, mode, uid, gid))
                    if size:  # the last link carries the data
                        for entry in group:
                            yield (*entry, data)
                        del pending[(dmaj, dmin, ino)]
                    continue
                yield name, mode, uid, gid, data
    except (OSError, EOFError, lzma.LZMAError) as e:
        raise ImageError(f"{path}: cannot read it: {e}") from e
    for group in pending.values():  # links whose data never came: empty files
        for entry in group:
            yield (*entry, b"")


def elf_static(data):
    """None when `data` is not an ELF file; else True when it is a program
    that needs no dynamic loader (no PT_INTERP: statically linked, the C
    library and every library it names are inside it), False otherwise (a
    dynamically linked program, a shared library, an object file).

    ELF header and program headers as the System V ABI gives them (e_type
    ET_EXEC 2 / ET_DYN 3; PT_INTERP 3, PT_DYNAMIC 2); a static PIE is an
    ET_DYN without PT_INTERP whose dynamic section has DF_1_PIE in
    DT_FLAGS_1 and no DT_NEEDED (a shared library has no DF_1_PIE)."""
    if len(data) < 52 or data[:4] != b"\x7fELF":
        return None
    cls, order = data[4], data[5]
    if cls not in (1, 2) or order not in (1, 2):
        return None
    e = "<" if order == 1 else ">"
    try:
        e_type = struct.unpack_from(e + "H", data, 16)[0]
        if cls == 2:
            phoff, phentsize, phnum = (struct.unpack_from(e + "Q", data, 32)[0],
                                       *struct.unpack_from(e + "HH", data, 54))
        else:
            phoff, phentsize, phnum = (struct.unpack_from(e + "I", data, 28)[0],
                                       *struct.unpack_from(e + "HH", data, 42))
        if e_type not in (2, 3):
            return False
        segments = []
        for i in range(phnum):
            at = phoff + i * phentsize
            if cls == 2:
                p_type, _flags, p_offset, _va, _pa, p_filesz = struct.unpack_from(e + "IIQQQQ", data, at)
            else:
                p_type, p_offset, _va, _pa, p_filesz = struct.unpack_from(e + "IIIII", data, at)
            segments.append((p_type, p_offset, p_filesz))
        if any(t == 3 for t, _, _ in segments):
            return False
        if e_type == 2:
            return True
        dynamic = [(o, s) for t, o, s in segments if t == 2]
        if not dynamic:
            return True  # ET_DYN with nothing to load: self-contained
        off, size = dynamic[0]
        word = "Q" if cls == 2 else "I"
        step = 16 if cls == 2 else 8
        pie, needed = False, False
        for at in range(off, min(off + size, len(data)) - step + 1, step):
            tag, val = struct.unpack_from(e + word + word, data, at)
            if tag == 0:
                break
            if tag == 1:  # DT_NEEDED
                needed = True
            if tag == 0x6ffffffb and val & 0x08000000:  # DT_FLAGS_1 & DF_1_PIE
                pie = True
        return pie and not needed
    except struct.error:
        return False  # headers past the end: not a program that can run


def file_facts(data, mode):
    """The SBOM's facts about one file's bytes: sha1, sha256, sha512, size,
    executable (an x bit or an ELF program/library), archive (by magic),
    static (elf_static)."""
    static = elf_static(data)
    return {"sha1": hashlib.sha1(data).hexdigest(), "sha256": hashlib.sha256(data).hexdigest(),
            "sha512": hashlib.sha512(data).hexdigest(),
            "size": len(data), "executable": bool(mode & 0o111) or static is not None,
            "archive": is_archive(data[:512]), "static": bool(static)}


def path_facts(path):
    """file_facts() of a file on disk (an image file): read whole, as the
    images are read once for their digests anyway."""
    st = os.stat(path)
    if st.st_size > MAX_FILE:
        raise ImageError(f"{path}: {st.st_size} bytes, over the reader's limit")
    with open(path, "rb") as f:
        return file_facts(f.read(), st.st_mode)

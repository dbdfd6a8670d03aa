"""Reading the facts make writes about the packages (package/pkg-info.mk) and
the recipes' .hash files; shared by pkg-info, sbom and cve-check."""
import hashlib
import os
import re
import stat
import sys
import tempfile


def die(msg):
    """Prints `<program>: msg` and exits 1."""
    print(f"{os.path.basename(sys.argv[0])}: {msg}", file=sys.stderr)
    sys.exit(1)


def read_info(path):
    """{pkg: {field: value}} in the order make listed the packages."""
    pkgs = {}
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip():
                continue
            parts = line.split("\t")
            if len(parts) != 3:
                die(f"{path}:{n}: expected 'package<TAB>field<TAB>value'")
            pkg, field, value = parts
            pkg = pkg.strip()
            pkgs.setdefault(pkg, {})[field] = value.strip()
    return pkgs


def read_hashes(files):
    """{file name: [(algo, hex)]} from Buildroot-style .hash files."""
    out = {}
    for path in files:
        if not os.path.exists(path):
            continue
        with open(path) as f:
            for n, line in enumerate(f, 1):
                line = line.strip()
                if not line or line.startswith("#"):
                    continue
                parts = line.split()
                if len(parts) != 3:
                    die(f"{path}:{n}: expected '<algo>  <hex>  <file>'")
                out.setdefault(parts[2], []).append((parts[0], parts[1]))
    return out


def write_atomic(path, data, mode="w"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".tmp-")
    with os.fdopen(fd, mode) as f:
        f.write(data)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def file_digest(path, algo="sha256"):
    """The hex digest of a file's bytes (hashlib's algorithm names)."""
    h = hashlib.new(algo)
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def license_file(name, raw, lf, hashes):
    """(path, sha256) of license file `lf` of package `name` in its extracted
    source, after checking it against the digest its .hash file gives."""
    src = os.path.join(raw["src_dir"], lf)
    if not os.path.exists(src):
        die(f"{name}: license file {lf} not found in {raw['src_dir']}")
    want = [h for a, h in hashes.get(lf, []) if a == "sha256"]
    if not want:
        die(f"{name}: no sha256 for license file {lf} in {' '.join(raw['hash_files'].split())}")
    got = file_digest(src)
    if got not in want:
        die(f"{name}: license file {lf} has sha256 {got}, expected {want[0]}")
    return src, got


def read_regular(path, limit):
    """The bytes of the regular file `path`, at most `limit` of them; stops
    naming the file when it is a symbolic link, a FIFO, a device or a folder
    (opened without following a link and without blocking, then checked by
    fstat), or longer than `limit`: an input that could hang the reader or
    fill its memory is refused, not read."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as e:
        if os.path.islink(path):
            die(f"{path}: a symbolic link (refused: give the file itself)")
        die(f"{path}: {e.strerror}")
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            die(f"{path}: not a regular file")
        if st.st_size > limit:
            die(f"{path}: {st.st_size} bytes, more than the {limit} this reader accepts")
        data = f.read(limit + 1)
    if len(data) > limit:
        die(f"{path}: more than the {limit} bytes this reader accepts")
    return data


def strip_userinfo(url):
    """`url` without credentials (RFC 3986 userinfo: "user:token@"), which
    must not reach a log, a report or an SBOM."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    end = len(rest)
    for c in "/?#":
        i = rest.find(c)
        if i != -1:
            end = min(end, i)
    authority = rest[:end]
    if "@" not in authority:
        return url
    return f"{scheme}://{authority.rpartition('@')[2]}{rest[end:]}"


def warn(msg):
    """Prints `<program>: warning: msg`."""
    print(f"{os.path.basename(sys.argv[0])}: warning: {msg}", file=sys.stderr)


# A download's .origin file: one URL line, at most this many bytes
ORIGIN_MAX = 4096


def read_origin(path):
    """The URL a download came from, as DL_DIR/<subdir>/.<file>.origin says,
    with its userinfo stripped; "" when there is none. The file may be
    planted in a shared DL_DIR: it is opened without following a link, must
    be a regular file of at most ORIGIN_MAX bytes holding one URL line
    (scheme://...); anything else is ignored with a warning."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        return ""
    except OSError as e:
        warn(f"{path}: ignored: {e.strerror}")
        return ""
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            warn(f"{path}: ignored: not a regular file")
            return ""
        data = f.read(ORIGIN_MAX + 1)
    if len(data) > ORIGIN_MAX:
        warn(f"{path}: ignored: over {ORIGIN_MAX} bytes")
        return ""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        warn(f"{path}: ignored: not UTF-8 text")
        return ""
    line = text[:-1] if text.endswith("\n") else text
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*://[\x21-\x7e]+", line):
        warn(f"{path}: ignored: not a single URL line")
        return ""
    return strip_userinfo(line)

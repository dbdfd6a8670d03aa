"""Reading the facts make writes about the packages (package/pkg-info.mk) and
the recipes' .hash files; shared by pkg-info, sbom and cve-check."""
import hashlib
import os
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

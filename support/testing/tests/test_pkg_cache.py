"""The package cache (package/pkg-cache.mk, support/helper/pkgcache.c):
artifacts written and read by the helper (checked with Python's tarfile and
hashlib), refused when tampered with or signed by an unknown key; a team
server played by Debian's nginx with its WebDAV module on 127.0.0.1; and
make's side with small packages of an external tree: a fresh output
folder takes them from the local and the remote cache, a dependency rebuilt
with the same output leaves its dependents in the cache (hash
equivalence), a refused artifact or a server that is down costs a build,
two builds filling one cache at once agree. The board's images from the
caches are checked in test_pkg_cache_board.py."""
import contextlib
import hashlib
import http.server
import io
import os
import re
import shutil
import socket
import subprocess
import tarfile
import time

import pytest

from conftest import (BUILD_TIMEOUT, DL_DIR, PKG_CACHE_DIR, PKG_CACHE_KEY, TEST_DIR, TOP,
                      configure_offline, free_port, no_sanitizer_report, recorded_images, serve,
                      suite_defconfig)

EPOCH = 1704067200
PARTS = "staging target images host meta"


def helper(tools, *args, env=None, check=True):
    r = subprocess.run([str(tools["helper"]), "pkgcache", *map(str, args)], capture_output=True,
                       text=True, timeout=120, env=dict(os.environ, SOURCE_DATE_EPOCH=str(EPOCH),
                                                        **(env or {})))
    no_sanitizer_report(r)
    if check:
        assert r.returncode == 0, r.stderr
    return r


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def keys(tools, tmp_path):
    """Two signing keys (ours and a stranger's) and our public key."""
    k = {"ours": tmp_path / "ours.pem", "other": tmp_path / "other.pem",
         "pub": tmp_path / "ours.pub"}
    helper(tools, "keygen", "--key", k["ours"])
    helper(tools, "keygen", "--key", k["other"])
    helper(tools, "pubkey", "--key", k["ours"], "--out", k["pub"])
    assert oct(k["ours"].stat().st_mode & 0o777) == "0o600"
    assert "BEGIN PUBLIC KEY" in k["pub"].read_text()
    return k


def package_folder(out, name="p"):
    """An output folder with one package's installed trees: a text file
    naming the output folder, a hard link, a symbolic link, a binary file."""
    d = out / "build" / name
    (d / "staging/usr/lib/pkgconfig").mkdir(parents=True)
    (d / "target/usr/bin").mkdir(parents=True)
    (d / "host/bin").mkdir(parents=True)
    (d / "staging/usr/lib/pkgconfig/p.pc").write_text(f"prefix=/usr\nhost={out}/host/bin\n")
    (d / "target/usr/bin/tool").write_bytes(b"\x7fELF\x00binary")
    os.link(d / "target/usr/bin/tool", d / "target/usr/bin/tool2")
    (d / "target/usr/bin/sh").symlink_to("/bin/busybox")
    (d / "host/bin/script").write_text(f"#!/bin/sh\nexec {out}/host/bin/real \"$@\"\n")
    (d / "host/bin/script").chmod(0o755)
    (d / "host/bin/alias").symlink_to(out / "host/bin/script")
    (d / ".key-inputs").write_text(f"package {name}\nversion 1\n")
    return d


def pack_and_store(tools, d, out, key, cache, env=None, url_env=None):
    helper(tools, "pack", "--package", d.name, "--pkg-dir", d, "--parts", PARTS, "--o-dir", out,
           "--out", d / "artifact.tar", "--output-hash", d / ".output-hash")
    helper(tools, "store", "--package", d.name, "--key-inputs", d / ".key-inputs", "--archive",
           d / "artifact.tar", "--signing-key", key, "--dir", cache,
           *(["--url-env", url_env] if url_env else []), env=env)


def fetch(tools, d, out, cache, *trust, env=None, url_env=None):
    return helper(tools, "fetch", "--package", d.name, "--key-inputs", d / ".key-inputs",
                  "--dir", cache, *trust, *(["--url-env", url_env] if url_env else []),
                  "--pkg-dir", d, "--parts", PARTS, "--o-dir", out,
                  "--output-hash", d / ".output-hash", env=env, check=False)


def artifact_path(cache, d):
    key = hashlib.sha256((d / ".key-inputs").read_bytes()).hexdigest()
    return cache / key[:2] / f"{key}.trpkg"


def test_artifact_is_reproducible_relocatable_and_unpacks_in_another_folder(tools, keys, tmp_path):
    """The tar is sorted, owned by 0:0, its times clamped; the output folder's
    path in text files is a marker in the archive and the new folder's path
    once unpacked; links are kept; the output hash is the tar's SHA-256; the
    key is the SHA-256 of the key inputs."""
    a, b, cache = tmp_path / "a", tmp_path / "b", tmp_path / "cache"
    d = package_folder(a)
    pack_and_store(tools, d, a, keys["ours"], cache)
    tar = d / "artifact.tar"
    assert (d / ".output-hash").read_text().strip() == sha256(tar)
    with tarfile.open(tar) as t:
        members = t.getmembers()
        names = [m.name for m in members]
        # the parts in the order given, each walked in sorted order, a
        # folder before its contents
        order = PARTS.split()
        assert names == sorted(names, key=lambda n: (order.index(n.split("/")[0]),
                                                     [c.encode() for c in n.split("/")]))
        assert all(m.uid == 0 and m.gid == 0 and m.mtime <= EPOCH for m in members)
        pc = t.extractfile("staging/usr/lib/pkgconfig/p.pc").read().decode()
        assert str(a) not in pc and "@TINYROOT_OUTPUT_DIR@/host/bin" in pc
        assert t.getmember("target/usr/bin/tool2").islnk()
        assert t.getmember("target/usr/bin/sh").linkname == "/bin/busybox"
    # a second pack of the same trees in another folder: the same bytes
    d2 = package_folder(tmp_path / "a2")
    helper(tools, "pack", "--pkg-dir", d2, "--parts", PARTS, "--o-dir", tmp_path / "a2", "--out",
           d2 / "artifact.tar", "--output-hash", d2 / ".output-hash")
    assert sha256(d2 / "artifact.tar") == sha256(tar)

    assert artifact_path(cache, d).is_file()
    k = helper(tools, "key", "--key-inputs", d / ".key-inputs").stdout.strip()
    assert k == hashlib.sha256((d / ".key-inputs").read_bytes()).hexdigest()

    e = b / "build/p"
    e.mkdir(parents=True)
    shutil.copy(d / ".key-inputs", e)
    r = fetch(tools, e, b, cache, "--trusted-key", keys["pub"])
    assert r.returncode == 0 and r.stdout.strip() == "local", r.stderr
    assert (e / "staging/usr/lib/pkgconfig/p.pc").read_text() == f"prefix=/usr\nhost={b}/host/bin\n"
    assert (e / "host/bin/script").stat().st_mode & 0o777 == 0o755
    assert (e / "target/usr/bin/tool").stat().st_ino == (e / "target/usr/bin/tool2").stat().st_ino
    assert os.readlink(e / "target/usr/bin/sh") == "/bin/busybox"
    assert os.readlink(e / "host/bin/alias") == str(b / "host/bin/script")
    assert (e / ".output-hash").read_text() == (d / ".output-hash").read_text()


def test_binary_naming_the_output_folder_is_not_cached(tools, keys, tmp_path):
    """A file with a NUL byte holding the output folder's path cannot be
    relocated: pack names it and store writes nothing."""
    a, cache = tmp_path / "a", tmp_path / "cache"
    d = package_folder(a)
    (d / "target/usr/bin/tool").write_bytes(b"\x7fELF\x00" + str(a).encode())
    r = helper(tools, "pack", "--package", "p", "--pkg-dir", d, "--parts", PARTS, "--o-dir", a,
               "--out", d / "artifact.tar", "--output-hash", d / ".output-hash")
    assert "target/usr/bin/tool holds the output folder's path" in r.stderr
    helper(tools, "store", "--package", "p", "--key-inputs", d / ".key-inputs", "--archive",
           d / "artifact.tar", "--signing-key", keys["ours"], "--dir", cache)
    assert not cache.exists() or not any(cache.rglob("*.trpkg"))


def refused(tools, tmp_path, cache, d, *trust):
    """fetch into a fresh folder: its stderr after checking that it failed
    and left nothing behind."""
    b = tmp_path / f"b{time.monotonic_ns()}"
    e = b / "build" / d.name
    e.mkdir(parents=True)
    shutil.copy(d / ".key-inputs", e)
    r = fetch(tools, e, b, cache, *trust)
    assert r.returncode != 0 and "refused" in r.stderr, r.stderr
    assert sorted(p.name for p in e.iterdir()) == [".key-inputs"]
    return r.stderr


def signed_tar(tools, keys, tmp_path, members):
    """A cache holding an artifact for package p whose tar has `members`
    ((TarInfo, bytes or None)), properly signed by our key: what a
    compromised writer could send."""
    d = package_folder(tmp_path / f"w{time.monotonic_ns()}")
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        for info, data in members:
            t.addfile(info, io.BytesIO(data) if data is not None else None)
    (d / "artifact.tar").write_bytes(buf.getvalue())
    cache = tmp_path / f"cache{time.monotonic_ns()}"
    helper(tools, "store", "--package", "p", "--key-inputs", d / ".key-inputs", "--archive",
           d / "artifact.tar", "--signing-key", keys["ours"], "--dir", cache)
    return cache, d


def test_tampered_and_foreign_artifacts_are_refused(tools, keys, tmp_path):
    a, cache = tmp_path / "a", tmp_path / "cache"
    d = package_folder(a)
    pack_and_store(tools, d, a, keys["ours"], cache)
    art = artifact_path(cache, d)
    good = art.read_bytes()
    trust = ("--trusted-key", keys["pub"])

    # signed by a key nobody trusts
    assert "signed by an unknown key" in refused(tools, tmp_path, cache, d, "--signing-key",
                                                 keys["other"])
    # one byte of the archive changed
    art.write_bytes(good[:-600] + bytes([good[-600] ^ 1]) + good[-599:])
    assert "the archive's hash is not the manifest's" in refused(tools, tmp_path, cache, d, *trust)
    # the manifest edited (its archive hash replaced by the tampered one's)
    text = good.split(b"signature ed25519", 1)[0]
    fake = hashlib.sha256(b"x").hexdigest().encode()
    art.write_bytes(re.sub(rb"archive-sha256 [0-9a-f]+", b"archive-sha256 " + fake, text)
                    + good[len(text):])
    assert "the signature does not verify" in refused(tools, tmp_path, cache, d, *trust)
    # a good artifact of another key put in this key's place
    art.write_bytes(good)
    other = package_folder(tmp_path / "o")
    (other / ".key-inputs").write_text("package p\nversion 2\n")
    (artifact_path(cache, other)).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(art, artifact_path(cache, other))
    assert "for another package or key" in refused(tools, tmp_path, cache, other, *trust)
    # truncated
    art.write_bytes(good[:-1000])
    assert "size is not the manifest's" in refused(tools, tmp_path, cache, d, *trust)

    # signed, but its tar leaves the package's folders
    def info(name, type_=tarfile.REGTYPE, size=0, link=""):
        i = tarfile.TarInfo(name)
        i.type, i.size, i.linkname = type_, size, link
        return i
    for members, why in [
            ([(info("../evil", size=1), b"x")], "outside the package's folders"),
            ([(info("etc/passwd", size=1), b"x")], "outside the package's folders"),
            ([(info("target/x", tarfile.LNKTYPE, link="../../x"), None)],
             "outside the package's folders"),
            ([(info("target/fifo", tarfile.FIFOTYPE), None)], "special file"),
            ([(info("target/dev", tarfile.CHRTYPE), None)], "special file"),
            ([(info("target", tarfile.SYMTYPE, link="/tmp"), None)], "not what an artifact holds"),
            ([(info("target/a", size=1), b"x"),
              (info("target/h", tarfile.LNKTYPE, size=1, link="target/a"), b"y")],
             "does not unpack"),
            ([(info("target/l", tarfile.SYMTYPE, link="/etc"), None),
              (info("target/l/passwd", size=1), b"x")], "does not unpack")]:
        c, w = signed_tar(tools, keys, tmp_path, members)
        b = tmp_path / f"u{time.monotonic_ns()}"
        e = b / "build/p"
        e.mkdir(parents=True)
        shutil.copy(w / ".key-inputs", e)
        r = fetch(tools, e, b, c, *trust)
        assert r.returncode != 0 and why in r.stderr, r.stderr
        assert sorted(p.name for p in e.iterdir()) == [".key-inputs"]


def test_concurrent_stores_of_one_key_leave_a_whole_artifact(tools, keys, tmp_path):
    a, cache = tmp_path / "a", tmp_path / "cache"
    d = package_folder(a)
    helper(tools, "pack", "--pkg-dir", d, "--parts", PARTS, "--o-dir", a, "--out",
           d / "artifact.tar", "--output-hash", d / ".output-hash")
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(EPOCH))
    procs = [subprocess.Popen([str(tools["helper"]), "pkgcache", "store", "--package", "p",
                               "--key-inputs", str(d / ".key-inputs"), "--archive",
                               str(d / "artifact.tar"), "--signing-key", str(keys["ours"]),
                               "--dir", str(cache)], env=env, stderr=subprocess.PIPE, text=True)
             for _ in range(8)]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    files = list(cache.rglob("*"))
    assert [f.name for f in files if f.is_file()] == [artifact_path(cache, d).name]
    b = tmp_path / "b"
    e = b / "build/p"
    e.mkdir(parents=True)
    shutil.copy(d / ".key-inputs", e)
    assert fetch(tools, e, b, cache, "--trusted-key", keys["pub"]).returncode == 0


NGINX_CONF = """\
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
daemon off;
events {{ worker_connections 64; }}
http {{
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    client_max_body_size 1g;
    server {{
        listen 127.0.0.1:{port};
        root {tmp}/root;
        location / {{
            dav_methods PUT;
            create_full_put_path on;
            dav_access user:rw group:r all:r;
        }}
    }}
}}
"""


@contextlib.contextmanager
def nginx_dav(tmp):
    """Debian's nginx on 127.0.0.1 with its WebDAV module taking PUT: a
    team's cache server. Yields (URL, its root folder)."""
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / "root").mkdir(exist_ok=True)
    port = free_port()
    conf = NGINX_CONF.format(tmp=tmp, port=port)
    if os.geteuid() == 0:
        # nginx started as root serves as www-data: the folder it writes is theirs
        conf = "user www-data;\n" + conf
        shutil.chown(tmp / "root", "www-data", "www-data")
    (tmp / "nginx.conf").write_text(conf)
    p = subprocess.Popen(["timeout", "1800", "nginx", "-c", str(tmp / "nginx.conf"), "-e",
                          str(tmp / "error.log")], stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            assert p.poll() is None, f"nginx exited: {p.stderr.read()}"
            with contextlib.suppress(OSError):
                socket.create_connection(("127.0.0.1", port), 1).close()
                break
            assert time.monotonic() < deadline, "nginx did not listen in 30 s"
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}", tmp / "root"
    finally:
        p.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            p.wait(timeout=10)
        if p.poll() is None:
            p.kill()


@pytest.fixture
def dav_dir():
    """A folder nginx's workers (www-data) can reach: pytest's temporary
    folders are private to their owner."""
    d = TEST_DIR / "pkg-cache-dav"
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir(parents=True)
    for p in (d, *[q for q in d.parents if str(q).startswith(str(TEST_DIR))]):
        p.chmod(0o755)
    return d


def test_remote_store_with_nginx_dav(tools, keys, tmp_path, dav_dir):
    """A writer PUTs its artifact to the team's server; a reader with an
    empty local cache GETs it, checks it and keeps it; credentials in the
    URL are never printed."""
    a = tmp_path / "a"
    d = package_folder(a)
    with nginx_dav(dav_dir) as (url, root):
        authed = url.replace("http://", "http://builder:s3cr3t-token@")
        env = {"TR_PKG_CACHE_URL_VALUE": authed}
        pack_and_store(tools, d, a, keys["ours"], tmp_path / "ci-cache", env=env,
                       url_env="TR_PKG_CACHE_URL_VALUE")
        served = artifact_path(root, d)
        assert served.read_bytes() == artifact_path(tmp_path / "ci-cache", d).read_bytes()

        b, cache = tmp_path / "b", tmp_path / "dev-cache"
        e = b / "build/p"
        e.mkdir(parents=True)
        shutil.copy(d / ".key-inputs", e)
        r = fetch(tools, e, b, cache, "--trusted-key", keys["pub"], env=env,
                  url_env="TR_PKG_CACHE_URL_VALUE")
        assert r.returncode == 0 and r.stdout.strip() == "remote", r.stderr
        assert artifact_path(cache, d).read_bytes() == served.read_bytes()
        assert (e / "staging/usr/lib/pkgconfig/p.pc").read_text().endswith(f"host={b}/host/bin\n")
        assert "s3cr3t" not in r.stderr + r.stdout

        # a tampered copy on the server is refused and not kept locally
        data = served.read_bytes()
        served.write_bytes(data[:-700] + bytes([data[-700] ^ 1]) + data[-699:])
        c = tmp_path / "b2"
        e2 = c / "build/p"
        e2.mkdir(parents=True)
        shutil.copy(d / ".key-inputs", e2)
        r = fetch(tools, e2, c, tmp_path / "dev-cache2", "--trusted-key", keys["pub"], env=env,
                  url_env="TR_PKG_CACHE_URL_VALUE")
        assert r.returncode != 0 and "hash is not the manifest's" in r.stderr
        assert "s3cr3t" not in r.stderr and "http://127.0.0.1" in r.stderr
        assert not (tmp_path / "dev-cache2").exists() or not any((tmp_path / "dev-cache2").rglob("*.trpkg"))


class Answer500(http.server.SimpleHTTPRequestHandler):
    def do_GET(self):
        self.send_response(500)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_a_server_down_or_failing_costs_only_the_lookup(tools, keys, tmp_path):
    a = tmp_path / "a"
    d = package_folder(a)
    with serve(tmp_path, Answer500) as url:
        start = time.monotonic()
        r = fetch(tools, d, a, tmp_path / "c", "--trusted-key", keys["pub"],
                  env={"U": url}, url_env="U")
        assert r.returncode == 1 and "HTTP status 500: building instead" in r.stderr, r.stderr
    down = f"http://127.0.0.1:{free_port()}"
    r = fetch(tools, d, a, tmp_path / "c", env={"U": down}, url_env="U")
    assert r.returncode == 1 and "did not answer: building instead" in r.stderr, r.stderr
    assert time.monotonic() - start < 60


# ---- make's side, with three small packages of an external tree ----------
# pc-base installs a text file into staging and target; host-pc-base a
# script naming $(HOST_DIR) (relocated when unpacked elsewhere); pc-user
# runs that script on pc-base's file from the staging sysroot. No compiler:
# what is checked is the machinery around the builds.
PC_BASE_MK = """\
PC_BASE_VERSION = 1
PC_BASE_SITE = $(TR_EXTERNAL_PCT_PATH)/src
PC_BASE_SITE_METHOD = local
PC_BASE_LICENSE = MIT
PC_BASE_GREETING = hello
HOST_PC_BASE_INFRA = generic
define PC_BASE_BUILD_CMDS
\tprintf '%s %s\\n' '$(PC_BASE_GREETING)' "$$(cat $(@D)/src/word)" > $(@D)/out.txt
endef
define PC_BASE_INSTALL_STAGING_CMDS
\tinstall -D -m 644 $(@D)/out.txt $(PKG_STAGING_DIR)/usr/share/pc/base.txt
endef
define PC_BASE_INSTALL_TARGET_CMDS
\tinstall -D -m 644 $(@D)/out.txt $(PKG_TARGET_DIR)/usr/share/pc/base.txt
endef
define HOST_PC_BASE_BUILD_CMDS
\tprintf '#!/bin/sh\\n# from %s\\nsed s/^/tool:/ "$$@"\\n' '$(HOST_DIR)' > $(@D)/pc-tool
endef
define HOST_PC_BASE_INSTALL_CMDS
\tinstall -D -m 755 $(@D)/pc-tool $(PKG_HOST_DESTDIR)$(HOST_DIR)/bin/pc-tool
endef
"""
PC_USER_MK = """\
PC_USER_VERSION = 1
PC_USER_SITE = $(TR_EXTERNAL_PCT_PATH)/src
PC_USER_SITE_METHOD = local
PC_USER_LICENSE = MIT
PC_USER_DEPENDENCIES = pc-base host-pc-base
define PC_USER_BUILD_CMDS
\tpc-tool $(STAGING_DIR)/usr/share/pc/base.txt > $(@D)/user.txt
endef
define PC_USER_INSTALL_TARGET_CMDS
\tinstall -D -m 644 $(@D)/user.txt $(PKG_TARGET_DIR)/usr/share/pc/user.txt
endef
"""


@pytest.fixture(scope="module")
def pc_tree(tmp_path_factory):
    tree = tmp_path_factory.mktemp("pc-tree")
    (tree / "external.desc").write_text("name: PCT\n")
    (tree / "src").mkdir()
    (tree / "src/word").write_text("world\n")
    source = []
    for name, mk in (("pc-base", PC_BASE_MK), ("pc-user", PC_USER_MK)):
        d = tree / "package" / name
        d.mkdir(parents=True)
        up = name.upper().replace("-", "_")
        (d / "Config.in").write_text(f'config TR_PACKAGE_{up}\n\tbool "{name}"\n\tdefault y\n')
        (d / f"{name}.mk").write_text(mk)
        source.append(f'source "$(TR_EXTERNAL_PCT_PATH)/package/{name}/Config.in"\n')
    (tree / "Config.in").write_text("".join(source))
    return tree


class PcMake:
    """Output folders of the tree above with one signing key and, unless
    given, one local cache."""

    def __init__(self, tree, tmp, key):
        self.tree, self.tmp, self.key = tree, tmp, key
        self.caches = {}

    def folder(self, name, cache="cache", config=""):
        out = self.tmp / name
        env = self.env(cache)
        r = subprocess.run(["make", f"O={out}", f"TR_EXTERNAL={self.tree}", "qemu_x86_64_defconfig"],
                           cwd=TOP, capture_output=True, text=True, timeout=300, env=env)
        assert r.returncode == 0, r.stderr
        if config:
            with open(out / ".config", "a") as f:
                f.write(config)
            r = subprocess.run(["make", f"O={out}", "olddefconfig"], cwd=TOP, capture_output=True,
                               text=True, timeout=300, env=env)
            assert r.returncode == 0, r.stderr
        self.caches[out] = cache
        return out

    def env(self, cache):
        e = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
        return dict(e, TR_PKG_CACHE_DIR=str(self.tmp / cache), TR_PKG_CACHE_SIGNING_KEY=str(self.key))

    def make(self, out, *args, check=True):
        r = subprocess.run(["make", "-j2", f"O={out}", *args], cwd=TOP, capture_output=True,
                           text=True, timeout=600, env=self.env(self.caches[out]))
        if check:
            assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
        return r


def came_from(stdout):
    """{package: 'built' | 'local' | 'remote'} from make's step lines."""
    got = {}
    for m in re.finditer(r"^>>> (\S+) \S+ (Building|From the (local|remote) package cache)$",
                         stdout, re.M):
        got[m.group(1)] = m.group(3) or "built"
    return got


@pytest.fixture(scope="module")
def pcm(pc_tree, tmp_path_factory, tools):
    tmp = tmp_path_factory.mktemp("pc")
    key = tmp / "key.pem"
    helper(tools, "keygen", "--key", key)
    return PcMake(pc_tree, tmp, key)


def test_make_takes_packages_from_the_cache_and_rebuilds_only_what_changed(pcm, tools):
    a = pcm.folder("a")
    r = pcm.make(a, "pc-user")
    assert came_from(r.stdout) == {"pc-base": "built", "host-pc-base": "built", "pc-user": "built"}
    assert (a / "build/pc-user/target/usr/share/pc/user.txt").read_text() == "tool:hello world\n"
    # a no-op: no step, no file rewritten
    mark = a / "mark"
    mark.write_text("")
    r = pcm.make(a, "pc-user")
    assert r.stdout == "", r.stdout
    # (files: a folder's time changes with a temporary file made and removed)
    assert subprocess.run(["find", str(a / "build"), str(a / "host"), "-newer", str(mark), "-type", "f"],
                          capture_output=True, text=True).stdout == ""

    # a fresh output folder: everything from the local cache, the host
    # tool relocated to it, no step of a build run
    b = pcm.folder("b")
    r = pcm.make(b, "pc-user")
    assert came_from(r.stdout) == {"pc-base": "local", "host-pc-base": "local", "pc-user": "local"}
    assert not list(b.glob("build/*/logs/built.log"))
    assert f"# from {b}/host" in (b / "host/bin/pc-tool").read_text()
    for f in ("target-files.txt", "staging-files.txt", ".output-hash"):
        for p in ("pc-base", "pc-user"):
            assert (b / "build" / p / f).read_text() == (a / "build" / p / f).read_text()

    def show_key(out, pkg):
        r = pcm.make(out, "-s", f"{pkg}-show-key")
        lines = r.stdout.splitlines()
        assert lines[-1].startswith("key ") and len(lines[-1]) == 68
        # the key is the SHA-256 of the inputs, as printed
        inputs = (out / "build" / pkg / ".key-inputs").read_bytes()
        assert lines[-1] == "key " + hashlib.sha256(inputs).hexdigest()
        assert "\n".join(lines[:-1]) + "\n" == inputs.decode()
        return lines

    # hash equivalence: a comment in pc-base's build command changes its
    # key, not its output; pc-user's key stays, so it comes from the cache
    c = pcm.folder("c")
    (c / "local.mk").write_text("PC_BASE_BUILD_CMDS += \\# a comment\n")
    r = pcm.make(c, "pc-user")
    assert came_from(r.stdout) == {"pc-base": "built", "host-pc-base": "local", "pc-user": "local"}
    ka, kc = show_key(a, "pc-base"), show_key(c, "pc-base")
    assert [l.split()[0] for l in ka if l not in kc] == ["commands", "key"]
    assert show_key(a, "pc-user") == show_key(c, "pc-user")

    # a changed output: pc-user's dependency line changes, it is built
    (c / "local.mk").write_text("PC_BASE_GREETING = bonjour\n")
    r = pcm.make(c, "pc-user")
    assert came_from(r.stdout) == {"pc-base": "built", "pc-user": "built"}
    assert (c / "build/pc-user/target/usr/share/pc/user.txt").read_text() == "tool:bonjour world\n"
    diff = [l.split()[:2] for l in show_key(c, "pc-user") if l not in show_key(a, "pc-user")]
    assert diff == [["dep", "pc-base"], ["key", diff[-1][1]]]

    # the source folder's content is an input: a changed file misses
    (pcm.tree / "src/word").write_text("there\n")
    try:
        r = pcm.make(c, "pc-user")
    finally:
        (pcm.tree / "src/word").write_text("world\n")
    assert came_from(r.stdout) == {"pc-base": "built", "host-pc-base": "built", "pc-user": "built"}

    # make <pkg>-rebuild builds from the sources whatever the cache holds
    r = pcm.make(b, "pc-user-rebuild")
    assert came_from(r.stdout) == {"pc-user": "built"}


def dirclean(pcm, out):
    """The three packages' build folders removed, as `make <pkg>-dirclean`."""
    pcm.make(out, "pc-base-dirclean", "host-pc-base-dirclean", "pc-user-dirclean")


def test_make_refuses_a_tampered_artifact_and_builds(pcm, tools):
    """(After the test above: its cache holds the three packages.)"""
    a = pcm.tmp / "a"
    inputs = (a / "build/pc-user/.key-inputs").read_bytes()
    k = hashlib.sha256(inputs).hexdigest()
    art = pcm.tmp / "cache" / k[:2] / f"{k}.trpkg"
    data = art.read_bytes()
    bad = data[:-800] + bytes([data[-800] ^ 1]) + data[-799:]
    art.write_bytes(bad)
    t = pcm.folder("t")
    r = pcm.make(t, "pc-user")
    assert came_from(r.stdout) == {"pc-base": "local", "host-pc-base": "local", "pc-user": "built"}
    assert "pc-user: " + str(art) + ": refused: the archive's hash is not the manifest's" in r.stderr
    # the rebuilt package replaced the bad artifact
    assert art.read_bytes() != bad
    # a cache written with another key (a stranger's machine) is refused whole
    dirclean(pcm, t)
    other = pcm.tmp / "other-key.pem"
    helper(tools, "keygen", "--key", other)
    ours, pcm.key = pcm.key, other
    try:
        r = pcm.make(t, "pc-user")
    finally:
        pcm.key = ours
    assert set(came_from(r.stdout).values()) == {"built"}
    assert r.stderr.count("refused: signed by an unknown key") == 3


def test_make_with_a_team_server_and_concurrent_builds(pcm, tools, dav_dir):
    """CI pushes to nginx (PUT); a developer's empty local cache fills from
    it (GET); a server that is down costs a build; two builds filling one
    cache at once agree."""
    pub = pcm.tmp / "key.pub"
    helper(tools, "pubkey", "--key", pcm.key, "--out", pub)
    with nginx_dav(dav_dir) as (url, root):
        ci = pcm.folder("ci", cache="ci-cache",
                        config=f'TR_PKG_CACHE_URL="{url}"\nTR_PKG_CACHE_PUSH=y\n')
        r = pcm.make(ci, "pc-user")
        assert set(came_from(r.stdout).values()) == {"built"}
        assert len(list(root.rglob("*.trpkg"))) == 3
        dev = pcm.folder("dev", cache="dev-cache",
                         config=f'TR_PKG_CACHE_URL="{url}"\nTR_PKG_CACHE_TRUSTED_KEYS="{pub}"\n')
        r = pcm.make(dev, "pc-user")
        assert came_from(r.stdout) == {"pc-base": "remote", "host-pc-base": "remote",
                                       "pc-user": "remote"}
        assert len(list((pcm.tmp / "dev-cache").rglob("*.trpkg"))) == 3
        for p in ("pc-base", "host-pc-base", "pc-user"):
            assert (dev / "build" / p / ".output-hash").read_text() == \
                (ci / "build" / p / ".output-hash").read_text()
    # the developer's machine again, its local cache emptied, the server down
    shutil.rmtree(pcm.tmp / "dev-cache")
    dirclean(pcm, dev)
    with open(dev / ".config", "a") as f:
        f.write(f'TR_PKG_CACHE_URL="http://127.0.0.1:{free_port()}"\n')
    pcm.make(dev, "olddefconfig")
    r = pcm.make(dev, "pc-user")
    assert set(came_from(r.stdout).values()) == {"built"}
    assert r.stderr.count("the remote package cache did not answer: building instead") == 3

    one, two = pcm.folder("one", cache="shared"), pcm.folder("two", cache="shared")
    procs = [subprocess.Popen(["make", "-j2", f"O={o}", "pc-user"], cwd=TOP, env=pcm.env("shared"),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for o in (one, two)]
    for p in procs:
        out, err = p.communicate(timeout=600)
        assert p.returncode == 0, out[-2000:] + err[-2000:]
    for p in ("pc-base", "host-pc-base", "pc-user"):
        assert (one / "build" / p / ".output-hash").read_text() == \
            (two / "build" / p / ".output-hash").read_text()
    assert len(list((pcm.tmp / "shared").rglob("*.trpkg"))) == 3
    assert not [f for f in (pcm.tmp / "shared").rglob("*") if f.name.endswith(".tmp")]


# ---- the board: qemu_x86_64 from the suite's package cache ---------------
def board_make(out, *args, cache=None, key=None, trace=None):
    """make -j2 in out; `trace`: under strace, every program run logged there."""
    env = dict(os.environ, TR_DL_DIR=str(DL_DIR))
    if cache:
        env["TR_PKG_CACHE_DIR"], env["TR_PKG_CACHE_SIGNING_KEY"] = str(cache), str(key)
    strace = ["strace", "-f", "-qq", "-e", "trace=execve", "-e", "signal=none", "-o",
              str(trace)] if trace else []
    r = subprocess.run([*strace, "make", "-j2", f"O={out}", *args], cwd=TOP, env=env,
                       capture_output=True, text=True, timeout=BUILD_TIMEOUT)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    return r


# what runs only when C is compiled or assembled
COMPILER_PARTS = {"cc1", "cc1plus", "as", "collect2"}


def compiler_runs(trace):
    """The compiler's own programs that ran, from strace's execve log."""
    return [p for p in re.findall(r'execve\("([^"]+)"', trace.read_text())
            if os.path.basename(p) in COMPILER_PARTS]


def enabled_packages(out):
    r = subprocess.run(["make", "-s", f"O={out}", "printvars", "VARS=PACKAGES"], cwd=TOP,
                       capture_output=True, text=True, timeout=300)
    return r.stdout.strip().split("=", 1)[1].split()


def same_images_as_the_board(out, board_out):
    ref = recorded_images(board_out)
    # (images/.config is the configuration: the remote test's names its server)
    got = {f.name: sha256(f) for f in (out / "images").iterdir() if f.is_file() and f.name != ".config"}
    assert {"bzImage", "rootfs.cpio.gz"} <= set(got)
    for name, digest in got.items():
        assert ref.get(name) == digest, name


@pytest.mark.slow
def test_fresh_output_folder_unpacks_the_board_from_the_local_cache(pc_build, mirror_url, tmp_path):
    """The suite's qemu_x86_64 build filled the package cache: a fresh
    output folder with the same configuration runs no compiler (strace
    sees no cc1, as or collect2 run once its own host tools and compiler
    wrapper are built), says so at the end, and makes the same kernel and
    root filesystem bytes. A second make is a no-op: no step, no
    syncconfig, no file rewritten."""
    out = TEST_DIR / "pkg-cache-fresh"
    shutil.rmtree(out, ignore_errors=True)
    # the configuration of the suite's build (pc_build), its disk variant
    # when TR_TEST_DISK_BOARDS names the board
    configure_offline(out, mirror_url, suite_defconfig("qemu_x86_64"))
    board_make(out, "host-tools", "toolchain")
    trace = tmp_path / "execve.log"
    r = board_make(out, trace=trace)
    n = len(enabled_packages(out))
    assert f"Packages: {n} from the local cache, 0 from the remote cache, 0 built" in r.stdout
    assert "tr-helper" in trace.read_text()
    assert compiler_runs(trace) == []
    same_images_as_the_board(out, pc_build)

    mark = tmp_path / "mark"
    mark.write_text("")
    time.sleep(1)
    r = board_make(out)
    assert ">>>" not in r.stdout and "Packages:" not in r.stdout, r.stdout
    newer = subprocess.run(["find", str(out), "-newer", str(mark), "-type", "f"], capture_output=True,
                           text=True).stdout
    assert newer == "", newer


@pytest.mark.slow
def test_fresh_output_folder_unpacks_the_board_from_the_team_server(pc_build, mirror_url, tmp_path,
                                                                    dav_dir, tools):
    """Another developer: an empty local cache, a key of their own, the CI's
    public key trusted and nginx serving what the CI's cache holds (the
    suite's, copied into its root as a CI's PUTs would have left it; PUT
    itself: test_make_with_a_team_server_and_concurrent_builds). Every package
    comes from the server and the images are the board's bytes."""
    pub = tmp_path / "ci.pub"
    helper(tools, "pubkey", "--key", PKG_CACHE_KEY, "--out", pub)
    dev_key = tmp_path / "dev.pem"
    helper(tools, "keygen", "--key", dev_key)
    with nginx_dav(dav_dir) as (url, root):
        shutil.copytree(PKG_CACHE_DIR, root, dirs_exist_ok=True)
        out = TEST_DIR / "pkg-cache-remote"
        shutil.rmtree(out, ignore_errors=True)
        # the configuration of the suite's build (pc_build), its disk variant
        # when TR_TEST_DISK_BOARDS names the board
        configure_offline(out, mirror_url, suite_defconfig("qemu_x86_64"))
        with open(out / ".config", "a") as f:
            f.write(f'TR_PKG_CACHE_URL="{url}"\nTR_PKG_CACHE_TRUSTED_KEYS="{pub}"\n')
        subprocess.run(["make", f"O={out}", "olddefconfig"], cwd=TOP, check=True,
                       capture_output=True, timeout=300)
        board_make(out, "host-tools", "toolchain")
        trace = tmp_path / "execve.log"
        r = board_make(out, cache=tmp_path / "dev-cache", key=dev_key, trace=trace)
    n = len(enabled_packages(out))
    assert f"Packages: 0 from the local cache, {n} from the remote cache, 0 built" in r.stdout
    assert compiler_runs(trace) == []
    same_images_as_the_board(out, pc_build)

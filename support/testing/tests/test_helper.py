"""tr-helper: real downloads over HTTP from a local server, verification,
safe extraction and reproducible cpio images."""
import gzip
import hashlib
import io
import os
import subprocess
import shutil
import tarfile

from conftest import no_sanitizer_report, serve


def helper(tools, *args, timeout=120, **kw):
    return no_sanitizer_report(subprocess.run([str(tools["helper"]), *map(str, args)],
                                              capture_output=True, text=True, timeout=timeout, **kw))


def make_site(tmp_path, name="pkg-1.0.tar.gz", data=b"payload" * 1000):
    site = tmp_path / "site"
    site.mkdir()
    (site / name).write_bytes(data)
    digest = hashlib.sha256(data).hexdigest()
    hashf = tmp_path / "pkg.hash"
    hashf.write_text(f"# test\nsha256  {digest}  {name}\n")
    return site, hashf, name, data


def test_download_falls_back_to_the_next_site(tools, tmp_path):
    site, hashf, name, data = make_site(tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    dl = tmp_path / "dl"
    with serve(empty) as bad, serve(site) as good:
        r = helper(tools, "download", "--dl-dir", dl, "--file", name, "--hash-file", hashf,
                   "--site", bad, "--site", good)
    assert r.returncode == 0, r.stderr
    assert "HTTP status 404" in r.stderr and "trying the next site" in r.stderr
    assert (dl / name).read_bytes() == data
    assert sorted(p.name for p in dl.iterdir() if not p.name.endswith(".lock")) == [
        f".{name}.origin", name]
    # the URL the file came from, for the SBOM
    assert (dl / f".{name}.origin").read_text() == f"{good}/{name}\n"


def test_wrong_hash_deletes_file_and_fails(tools, tmp_path):
    site, hashf, name, _ = make_site(tmp_path)
    (site / name).write_bytes(b"corrupted")
    dl = tmp_path / "dl"
    with serve(site) as url:
        r = helper(tools, "download", "--dl-dir", dl, "--file", name, "--hash-file", hashf,
                   "--site", url)
    assert r.returncode != 0
    assert "wrong sha256 hash" in r.stderr and "expected" in r.stderr
    assert [p.name for p in dl.iterdir() if not p.name.endswith(".lock")] == []
    # a cached file that fails verification goes with its origin record
    dl.mkdir(exist_ok=True)
    (dl / name).write_bytes(b"corrupted")
    (dl / f".{name}.origin").write_text("http://example.invalid/x\n")
    with serve(site) as url:
        helper(tools, "download", "--dl-dir", dl, "--file", name, "--hash-file", hashf,
               "--site", url)
    assert [p.name for p in dl.iterdir() if not p.name.endswith(".lock")] == []


def test_file_url_and_cache_hit(tools, tmp_path):
    site, hashf, name, data = make_site(tmp_path)
    dl = tmp_path / "dl"
    r = helper(tools, "download", "--dl-dir", dl, "--file", name, "--hash-file", hashf,
               "--url", f"file://{site / name}")
    assert r.returncode == 0, r.stderr
    # a verified cached file is not fetched again (the site is gone now)
    r = helper(tools, "download", "--dl-dir", dl, "--file", name, "--hash-file", hashf,
               "--url", "http://127.0.0.1:9/none")
    assert r.returncode == 0, r.stderr


def test_missing_hash_entry_is_an_error(tools, tmp_path):
    site, hashf, name, _ = make_site(tmp_path)
    hashf.write_text("sha256  " + "0" * 64 + "  other.tar.gz\n")
    with serve(site) as url:
        r = helper(tools, "download", "--dl-dir", tmp_path / "dl", "--file", name,
                   "--hash-file", hashf, "--site", url)
    assert r.returncode != 0 and "no hash found" in r.stderr


def test_malformed_hash_file_names_line(tools, tmp_path):
    hashf = tmp_path / "bad.hash"
    hashf.write_text("# ok\nsha256 nothex file\n")
    r = helper(tools, "verify", "--hash-file", hashf, hashf)
    assert r.returncode == 2 and f"{hashf}:2:" in r.stderr


def tar_with(tmp_path, entries):
    path = tmp_path / "a.tar.gz"
    with tarfile.open(path, "w:gz") as t:
        for name, kind, extra in entries:
            info = tarfile.TarInfo(name)
            if kind == "file":
                info.size = len(extra)
                t.addfile(info, io.BytesIO(extra))
            elif kind == "symlink":
                info.type = tarfile.SYMTYPE
                info.linkname = extra
                t.addfile(info)
            elif kind == "chr":
                info.type = tarfile.CHRTYPE
                t.addfile(info)
            elif kind == "dir":
                info.type = tarfile.DIRTYPE
                info.mode = extra
                t.addfile(info)
            elif kind == "mode":  # a file with the given mode
                info.mode = extra
                info.size = 2
                t.addfile(info, io.BytesIO(b"hi"))
            elif kind == "hardlink":
                info.type = tarfile.LNKTYPE
                info.linkname = extra
                t.addfile(info)
    return path


def refused(tools, d, entries, message):
    """The archive of `entries` (after a good one) is refused with
    `message`, exit 1, nothing left beside it."""
    a = tar_with(d, [("top/ok", "file", b"ok")] + entries)
    r = helper(tools, "extract", "--strip-components", "1", a, d / "out")
    assert r.returncode == 1, (entries, r.returncode, r.stderr)
    assert message in r.stderr and str(a) in r.stderr, r.stderr
    assert [p.name for p in d.iterdir()] == ["a.tar.gz"]
    return r


def test_extract_round_trip_with_strip(tools, tmp_path):
    a = tar_with(tmp_path, [("top/dir/f.txt", "file", b"hi"), ("top/l", "symlink", "dir/f.txt")])
    r = helper(tools, "extract", "--strip-components", "1", a, tmp_path / "out")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "out/dir/f.txt").read_bytes() == b"hi"
    assert os.readlink(tmp_path / "out/l") == "dir/f.txt"


def test_extract_refuses_escapes(tools, tmp_path):
    cases = [[("top/../../evil", "file", b"x")],
             [("top/l", "symlink", "../../etc/passwd")],
             [("top/abs", "symlink", "/etc/passwd")],
             [("top/dev", "chr", None)]]
    for i, entries in enumerate(cases):
        d = tmp_path / f"c{i}"
        d.mkdir()
        a = tar_with(d, [("top/ok", "file", b"ok")] + entries)
        r = helper(tools, "extract", "--strip-components", "1", a, d / "out")
        assert r.returncode != 0, entries
        assert "refusing" in r.stderr
        assert not (d / "out").exists()
        assert [p.name for p in d.iterdir()] == ["a.tar.gz"]


def test_pack_cpio_device_table_and_reproducible(tools, tmp_path):
    root = tmp_path / "root"
    (root / "bin").mkdir(parents=True)
    (root / "bin/app").write_text("#!/bin/sh\n")
    (root / "bin/app").chmod(0o700)
    (root / "etc").mkdir()
    (root / "etc/passwd").write_text("root::0:0:root:/root:/bin/sh\n")
    table = tmp_path / "devices"
    table.write_text("/dev d 755 0 0 - - - - -\n/dev/console c 600 0 0 5 1 - - -\n"
                     "/bin/app f 755 10 20 - - - - -\n")
    users = tmp_path / "users"
    users.write_text("app 1000 app 1000 - /home/app /bin/sh - App user\n")
    outs = []
    for n in range(2):
        out = tmp_path / f"r{n}.cpio.gz"
        os.utime(root / "bin/app", (2000000000 + n, 2000000000 + n))
        r = helper(tools, "pack", "cpio", "--format", "newc", "--compress", "gzip", "--root",
                   root, "--device-table", table, "--users-table", users, "--out", out,
                   env=dict(os.environ, SOURCE_DATE_EPOCH="1700000000"))
        assert r.returncode == 0, r.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    listing = subprocess.run(["cpio", "-itv", "--numeric-uid-gid"], input=gzip.decompress(outs[0]),
                             capture_output=True, timeout=30).stdout.decode()
    assert "crw-------   1 0        0          5,   1" in listing
    assert "-rwxr-xr-x   1 10       20" in listing and "bin/app" in listing
    body = subprocess.run(["cpio", "-i", "--to-stdout", "etc/passwd"],
                          input=gzip.decompress(outs[0]), capture_output=True).stdout.decode()
    assert "app:x:1000:1000:App user:/home/app:/bin/sh" in body
    shadow = subprocess.run(["cpio", "-i", "--to-stdout", "etc/shadow"],
                            input=gzip.decompress(outs[0]), capture_output=True).stdout.decode()
    assert shadow == "app::::::::\n"
    assert "-rw-------   1 0        0" in listing and "etc/shadow" in listing


def test_pack_bad_table_line_names_file_and_line(tools, tmp_path):
    (tmp_path / "root").mkdir()
    table = tmp_path / "t"
    table.write_text("# c\n/dev/x q 600\n")
    r = helper(tools, "pack", "cpio", "--root", tmp_path / "root", "--device-table", table,
               "--out", tmp_path / "o.cpio")
    assert r.returncode == 2 and f"{table}:2:" in r.stderr
    assert not (tmp_path / "o.cpio").exists()


import http.server
import time


class FaultyHandler(http.server.SimpleHTTPRequestHandler):
    """Serves one payload with scripted faults, per request number:
    'error' (HTTP 500), 'cut' (half the body, then close), 'stall' (headers,
    then silence), 'ok' (honours Range)."""
    payload = b""
    script = []
    seen = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        cls = type(self)
        fault = cls.script[len(cls.seen)] if len(cls.seen) < len(cls.script) else "ok"
        cls.seen.append((fault, self.headers.get("Range")))
        data = cls.payload
        if fault == "error":
            self.send_error(500, "scripted failure")
            return
        start = 0
        rng = self.headers.get("Range")
        if fault == "ok" and rng and rng.startswith("bytes="):
            start = int(rng[6:].split("-")[0])
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        else:
            self.send_response(200)
        self.send_header("Content-Length", str(len(data) - start))
        self.end_headers()
        if fault == "cut":
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        if fault == "stall":
            time.sleep(6)
            return
        self.wfile.write(data[start:])


def faulty(script, data):
    handler = type("H", (FaultyHandler,), {"payload": data, "script": script, "seen": []})
    return handler


def test_transient_error_is_retried(tools, tmp_path):
    site, hashf, name, data = make_site(tmp_path)
    h = faulty(["error"], data)
    dl = tmp_path / "dl"
    with serve(site, handler=h) as url:
        r = helper(tools, "download", "--dl-dir", dl, "--file", name, "--hash-file", hashf,
                   "--site", url)
    assert r.returncode == 0, r.stderr
    assert "HTTP status 500" in r.stderr and "retrying" in r.stderr
    assert (dl / name).read_bytes() == data


def test_body_cut_midway_is_resumed_with_a_range(tools, tmp_path):
    data = bytes(range(256)) * 4096
    site, hashf, name, _ = make_site(tmp_path, data=data)
    h = faulty(["cut"], data)
    dl = tmp_path / "dl"
    with serve(site, handler=h) as url:
        r = helper(tools, "download", "--dl-dir", dl, "--file", name, "--hash-file", hashf,
                   "--site", url)
    assert r.returncode == 0, r.stderr
    assert (dl / name).read_bytes() == data
    assert h.seen[0] == ("cut", None)
    assert h.seen[1][1] == f"bytes={len(data) // 2}-"


def test_stalled_server_times_out_and_next_site_is_used(tools, tmp_path):
    site, hashf, name, data = make_site(tmp_path)
    h = faulty(["stall", "stall", "stall"], data)
    dl = tmp_path / "dl"
    env = dict(os.environ, TR_DL_LOW_SPEED_TIME="1")
    start = time.monotonic()
    with serve(site, handler=h) as slow, serve(site) as good:
        r = helper(tools, "download", "--dl-dir", dl, "--file", name, "--hash-file", hashf,
                   "--site", slow, "--site", good, env=env)
    assert r.returncode == 0, r.stderr
    assert "trying the next site" in r.stderr
    assert time.monotonic() - start < 60
    assert (dl / name).read_bytes() == data


def test_pack_tar_reproducible_and_readable(tools, tmp_path):
    root = tmp_path / "root"
    (root / "usr/lib").mkdir(parents=True)
    (root / "usr/lib/libx.a").write_bytes(b"!<arch>\n")
    (root / "usr/lib/link").symlink_to("libx.a")
    outs = []
    for n in range(2):
        out = tmp_path / f"sdk{n}.tar.gz"
        r = helper(tools, "pack", "tar", "--compress", "gzip", "--root", root, "--out", out,
                   env=dict(os.environ, SOURCE_DATE_EPOCH="1700000000"))
        assert r.returncode == 0, r.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    with tarfile.open(tmp_path / "sdk0.tar.gz") as t:
        names = {m.name: m for m in t.getmembers()}
    assert names["usr/lib/link"].issym() and names["usr/lib/link"].linkname == "libx.a"
    assert names["usr/lib/libx.a"].uid == 0 and names["usr/lib/libx.a"].mtime == 1700000000


def test_pack_keeps_hard_links_unless_a_table_splits_them(tools, tmp_path):
    """tar and dir write a file with several names once and link the others
    (read back with Python's tarfile, and lstat under fakeroot); a name the
    device table gives another mode stays a copy; cpio keeps copies; a
    table's "../" does not leave the folder pack dir writes."""
    root = tmp_path / "root"
    (root / "bin").mkdir(parents=True)
    (root / "bin/a").write_text("same\n")
    os.link(root / "bin/a", root / "bin/b")
    os.link(root / "bin/a", root / "bin/c")
    table = tmp_path / "dev.txt"
    table.write_text("/bin/c f 700 0 0 - - - - -\n")
    r = helper(tools, "pack", "tar", "--root", root, "--device-table", table, "--out", tmp_path / "t.tar")
    assert r.returncode == 0, r.stderr
    with tarfile.open(tmp_path / "t.tar") as t:
        m = {x.name: x for x in t.getmembers()}
    assert m["bin/a"].isfile() and m["bin/b"].islnk() and m["bin/b"].linkname == "bin/a"
    assert m["bin/c"].isfile() and m["bin/c"].mode == 0o700
    r = helper(tools, "pack", "cpio", "--root", root, "--out", tmp_path / "r.cpio")
    assert r.returncode == 0, r.stderr
    listed = subprocess.run(["cpio", "-itv"], stdin=open(tmp_path / "r.cpio", "rb"),
                            capture_output=True, text=True, timeout=60).stdout
    assert [line.split()[1] for line in listed.splitlines() if line.endswith(("bin/a", "bin/b"))] == ["1", "1"]
    state, out = tmp_path / "fakeroot.state", tmp_path / "staged"
    # fakeroot preloads its library before the sanitizers' runtime
    env = dict(os.environ, ASAN_OPTIONS="verify_asan_link_order=0")
    r = no_sanitizer_report(subprocess.run(
        ["fakeroot", "-s", state, "--", tools["helper"], "pack", "dir", "--root", root,
         "--device-table", table, "--out", out], capture_output=True, text=True, timeout=60, env=env))
    assert r.returncode == 0, r.stderr
    a, b, c = (os.lstat(out / "bin" / n) for n in "abc")
    assert a.st_ino == b.st_ino and a.st_nlink == 2 and c.st_ino != a.st_ino
    evil = tmp_path / "evil.txt"
    evil.write_text("/bin/../../escaped d 755 0 0 - - - - -\n")
    r = no_sanitizer_report(subprocess.run(
        ["fakeroot", "--", tools["helper"], "pack", "dir", "--root", root, "--device-table", evil,
         "--out", tmp_path / "staged2"], capture_output=True, text=True, timeout=60, env=env))
    assert r.returncode != 0 and "contains '..'" in r.stderr and not (tmp_path / "escaped").exists()


def test_extract_detects_format_by_content(tools, tmp_path):
    """An xz tar and a zip, both named .bin: libarchive reads the content."""
    src = tmp_path / "src"
    (src / "top").mkdir(parents=True)
    (src / "top/a.txt").write_text("A")
    subprocess.run(["tar", "-cJf", tmp_path / "x.bin", "-C", src, "top"], check=True)
    import zipfile
    with zipfile.ZipFile(tmp_path / "z.bin", "w") as z:
        z.write(src / "top/a.txt", "top/a.txt")
    for name in ("x.bin", "z.bin"):
        out = tmp_path / f"out-{name}"
        r = helper(tools, "extract", "--strip-components", "1", tmp_path / name, out)
        assert r.returncode == 0, r.stderr
        assert (out / "a.txt").read_text() == "A"


def test_extract_refuses_links_that_escape_together(tools, tmp_path):
    """Each link stays inside by itself; the chain leaves the tree: the
    rule is checked on the final tree, each link resolved against it."""
    chain = [("top/d", "symlink", "."), ("top/u0", "symlink", "d/.."),
             ("top/u1", "symlink", "u0/.."), ("top/esc", "symlink", "u1/tmp")]
    r = refused(tools, tmp_path, chain, "resolves outside the destination")
    assert "u0" in r.stderr
    # a loop of links is refused as well
    d = tmp_path / "loop"
    d.mkdir()
    refused(tools, d, [("top/a", "symlink", "b"), ("top/b", "symlink", "a/x")],
            "resolves outside the destination")


def test_extract_keeps_links_that_stay_inside(tools, tmp_path):
    a = tar_with(tmp_path, [("top/c/f", "file", b"data"), ("top/a/b/l", "symlink", "../../c/f"),
                            ("top/dl", "symlink", "a"), ("top/x", "symlink", "dl/b/l"),
                            ("top/dangling", "symlink", "nowhere/../c"),
                            ("top/c/g", "hardlink", "top/c/f")])
    r = helper(tools, "extract", "--strip-components", "1", a, tmp_path / "out")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "out/x").read_bytes() == b"data"
    assert os.stat(tmp_path / "out/c/g").st_ino == os.stat(tmp_path / "out/c/f").st_ino


def test_extract_refuses_an_empty_symlink_target(tools, tmp_path):
    refused(tools, tmp_path, [("top/empty", "symlink", "")], "empty target")


def test_extract_drops_privileged_mode_bits_and_the_root_entry_mode(tools, tmp_path):
    plain = tar_with(tmp_path, [("f", "file", b"x")])
    r = helper(tools, "extract", plain, tmp_path / "plain")
    assert r.returncode == 0, r.stderr
    d = tmp_path / "t"
    d.mkdir()
    a = tar_with(d, [("./", "dir", 0o777), ("./suid", "mode", 0o4755), ("./sgid", "mode", 0o2755),
                     ("./sticky", "dir", 0o1777), ("./pkg/.", "dir", 0o777)])
    r = helper(tools, "extract", a, tmp_path / "out")
    assert r.returncode == 0, r.stderr
    out = tmp_path / "out"
    assert os.stat(out / "suid").st_mode & 0o7777 == 0o755
    assert os.stat(out / "sgid").st_mode & 0o7777 == 0o755
    assert os.stat(out / "sticky").st_mode & 0o7777 == 0o777
    # the archive's root entry does not change the destination's mode
    assert os.stat(out).st_mode & 0o7777 == os.stat(tmp_path / "plain").st_mode & 0o7777


def test_long_comment_tail_is_not_an_entry(tools, tmp_path):
    """A `#` comment is read whole: the tail of a long one is not parsed as
    a hash line that would "verify" the file; an over-long line is an
    error naming file:line."""
    f = tmp_path / "f.tar.gz"
    f.write_bytes(b"data")
    digest = hashlib.sha256(b"data").hexdigest()
    hashf = tmp_path / "f.hash"
    hashf.write_text("# " + "x" * 1021 + f"sha256  {digest}  f.tar.gz\n")
    r = helper(tools, "verify", "--hash-file", hashf, f)
    assert r.returncode != 0 and "no hash found" in r.stderr, r.stderr
    hashf.write_text(f"sha256  {digest}  f.tar.gz\n# " + "y" * 5000 + "\n")
    r = helper(tools, "verify", "--hash-file", hashf, f)
    assert r.returncode == 2 and f"{hashf}:2: line longer than 4096" in r.stderr, r.stderr


def test_planted_symlinks_in_dl_dir_are_not_followed(tools, tmp_path):
    """A link planted at the .part name is replaced, one at the .lock name
    refused: neither makes the helper write to another file."""
    site, hashf, name, data = make_site(tmp_path)
    victim = tmp_path / "victim"
    victim.write_bytes(b"victim")
    dl = tmp_path / "dl"
    dl.mkdir()
    (dl / f".{name}.part").symlink_to(victim)
    with serve(site) as url:
        r = helper(tools, "download", "--dl-dir", dl, "--file", name, "--hash-file", hashf,
                   "--site", url)
        assert r.returncode == 0, r.stderr
        assert (dl / name).read_bytes() == data and victim.read_bytes() == b"victim"
        (dl / name).unlink()
        (dl / f".{name}.lock").unlink()
        (dl / f".{name}.lock").symlink_to(victim)
        r = helper(tools, "download", "--dl-dir", dl, "--file", name, "--hash-file", hashf,
                   "--site", url)
    assert r.returncode == 2 and "cannot lock" in r.stderr, r.stderr
    assert victim.read_bytes() == b"victim" and not (dl / name).exists()


class RedirectHandler(http.server.SimpleHTTPRequestHandler):
    target = ""

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.send_response(302)
        self.send_header("Location", type(self).target)
        self.end_headers()


def test_redirect_to_a_file_url_is_refused(tools, tmp_path):
    """Even to a file whose bytes would verify: file:// is allowed only
    when the configuration names it."""
    site, hashf, name, data = make_site(tmp_path)
    h = type("R", (RedirectHandler,), {"target": f"file://{site / name}"})
    dl = tmp_path / "dl"
    with serve(site, handler=h) as url:
        r = helper(tools, "download", "--dl-dir", dl, "--file", name, "--hash-file", hashf,
                   "--site", url)
    assert r.returncode != 0 and "could not be downloaded" in r.stderr, r.stderr
    assert "Protocol \"file\" not supported" in r.stderr or "curl error 1)" in r.stderr, r.stderr
    assert not (dl / name).exists()


class EndlessHandler(http.server.SimpleHTTPRequestHandler):
    """A body with no length (HTTP/1.0, ends when the connection closes),
    `rate` bytes a second or as fast as it goes, for at most 5 s."""
    rate = 0
    announce = None

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.send_response(200)
        if type(self).announce is not None:
            self.send_header("Content-Length", str(type(self).announce))
        self.end_headers()
        end = time.monotonic() + 5
        try:
            while time.monotonic() < end:
                self.wfile.write(b"x" * (type(self).rate or 65536))
                self.wfile.flush()
                if type(self).rate:
                    time.sleep(1)
        except OSError:
            pass


def test_hostile_transfers_are_ended(tools, tmp_path):
    """Past --max-size, with or without an announced length, and below
    --min-rate for the low-speed window: ended, nothing left behind."""
    site, hashf, name, _ = make_site(tmp_path)
    cases = [({}, ["--max-size", "64K"], "larger than the maximum size"),
             ({"announce": 10 << 20}, ["--max-size", "64K"], "larger than the maximum size"),
             ({"rate": 10}, ["--min-rate", "1000"], "trying the next site")]
    for attrs, opts, message in cases:
        dl = tmp_path / "dl"
        h = type("E", (EndlessHandler,), attrs)
        start = time.monotonic()
        with serve(site, handler=h) as url, serve(site) as good:
            r = helper(tools, "download", "--dl-dir", dl, "--file", name, "--hash-file", hashf,
                       "--retries", "1", *opts, "--site", url, "--site", good,
                       env=dict(os.environ, TR_DL_LOW_SPEED_TIME="2"))
        assert r.returncode == 0 and message in r.stderr, (attrs, r.stderr)
        assert time.monotonic() - start < 30
        assert sorted(p.name for p in dl.iterdir() if not p.name.endswith(".lock")) == [
            f".{name}.origin", name]
        shutil.rmtree(dl)


def test_bad_leftover_part_restarts_from_zero_in_the_same_run(tools, tmp_path):
    data = bytes(range(256)) * 64
    site, hashf, name, _ = make_site(tmp_path, data=data)
    dl = tmp_path / "dl"
    dl.mkdir()
    (dl / f".{name}.part").write_bytes(b"not the start of this file" * 4)
    h = faulty([], data)
    with serve(site, handler=h) as url:
        r = helper(tools, "download", "--dl-dir", dl, "--file", name, "--hash-file", hashf,
                   "--site", url)
    assert r.returncode == 0, r.stderr
    assert "downloading it again from the start" in r.stderr
    assert (dl / name).read_bytes() == data
    assert [rng for _, rng in h.seen] == ["bytes=104-", None]


def test_retries_come_from_the_option(tools, tmp_path):
    site, hashf, name, data = make_site(tmp_path)
    for retries, expect_ok in (("1", False), ("2", True)):
        h = faulty(["error"], data)
        dl = tmp_path / f"dl{retries}"
        with serve(site, handler=h) as url:
            r = helper(tools, "download", "--dl-dir", dl, "--file", name, "--hash-file", hashf,
                       "--retries", retries, "--site", url)
        assert (r.returncode == 0) == expect_ok, r.stderr
        assert len(h.seen) == int(retries)
    r = helper(tools, "download", "--dl-dir", tmp_path / "x", "--file", name, "--retries", "0",
               "--site", "http://127.0.0.1:9")
    assert r.returncode == 2 and "not a valid number" in r.stderr


def test_wrong_hash_on_the_first_site_then_the_next(tools, tmp_path):
    site, hashf, name, data = make_site(tmp_path)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / name).write_bytes(b"not it")
    dl = tmp_path / "dl"
    with serve(bad) as first, serve(site) as second:
        r = helper(tools, "download", "--dl-dir", dl, "--file", name, "--hash-file", hashf,
                   "--site", first, "--site", second)
    assert r.returncode == 0, r.stderr
    assert "wrong sha256 hash" in r.stderr and "trying the next site" in r.stderr
    assert (dl / name).read_bytes() == data


def test_corrupt_cached_file_is_replaced(tools, tmp_path):
    site, hashf, name, data = make_site(tmp_path)
    dl = tmp_path / "dl"
    dl.mkdir()
    (dl / name).write_bytes(b"bit rot")
    with serve(site) as url:
        r = helper(tools, "download", "--dl-dir", dl, "--file", name, "--hash-file", hashf,
                   "--site", url)
    assert r.returncode == 0, r.stderr
    assert "cached file fails verification, removing it" in r.stderr
    assert (dl / name).read_bytes() == data


def test_server_that_ignores_range_gets_a_fresh_download(tools, tmp_path):
    """A leftover .part and a server answering 200 with the whole file to
    a Range request (Python's plain file server does): started over."""
    data = bytes(range(256)) * 256
    site, hashf, name, _ = make_site(tmp_path, data=data)
    dl = tmp_path / "dl"
    dl.mkdir()
    (dl / f".{name}.part").write_bytes(data[:1000])
    with serve(site) as url:
        r = helper(tools, "download", "--dl-dir", dl, "--file", name, "--hash-file", hashf,
                   "--site", url)
    assert r.returncode == 0, r.stderr
    assert (dl / name).read_bytes() == data


def test_http_redirect_is_followed(tools, tmp_path):
    site, hashf, name, data = make_site(tmp_path)
    dl = tmp_path / "dl"
    with serve(site) as good:
        h = type("R", (RedirectHandler,), {"target": f"{good}/{name}"})
        with serve(site, handler=h) as url:
            r = helper(tools, "download", "--dl-dir", dl, "--file", name, "--hash-file", hashf,
                       "--site", url)
    assert r.returncode == 0, r.stderr
    assert (dl / name).read_bytes() == data


class SlowHandler(http.server.SimpleHTTPRequestHandler):
    """The payload in ten pieces over about a second; counts requests."""
    payload = b""
    seen = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        type(self).seen.append(self.path)
        data = type(self).payload
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        step = len(data) // 10 + 1
        for i in range(0, len(data), step):
            self.wfile.write(data[i:i + step])
            self.wfile.flush()
            time.sleep(0.1)


def test_two_downloads_of_one_file_at_once(tools, tmp_path):
    """Two builds sharing a DL_DIR: the lock makes the second wait, then
    find the verified file; one transfer in all."""
    site, hashf, name, data = make_site(tmp_path, data=bytes(range(256)) * 400)
    h = type("S", (SlowHandler,), {"payload": (site / name).read_bytes(), "seen": []})
    dl = tmp_path / "dl"
    with serve(site, handler=h) as url:
        args = [str(tools["helper"]), "download", "--dl-dir", str(dl), "--file", name,
                "--hash-file", str(hashf), "--site", url]
        procs = [subprocess.Popen(args, stderr=subprocess.PIPE, text=True) for _ in range(2)]
        results = [(p.wait(timeout=60), p.stderr.read()) for p in procs]
    for rc, err in results:
        assert rc == 0, err
    assert len(h.seen) == 1
    assert (dl / name).read_bytes() == (site / name).read_bytes()


def test_no_hash_option_downloads_without_a_hash_file(tools, tmp_path):
    site, _, name, data = make_site(tmp_path)
    dl = tmp_path / "dl"
    with serve(site) as url:
        r = helper(tools, "download", "--dl-dir", dl, "--file", name, "--site", url)
        assert r.returncode != 0 and "no hash found" in r.stderr, r.stderr
        assert not (dl / name).exists()
        r = helper(tools, "download", "--dl-dir", dl, "--file", name, "--no-hash",
                   "--site", url)
    assert r.returncode == 0, r.stderr
    assert (dl / name).read_bytes() == data


def packed_etc(tools, tmp_path, table, salt_key=None, extra_root=None):
    """pack cpio with a users table; returns (rc, stderr, {etc file: text})."""
    root = tmp_path / "root"
    (root / "etc").mkdir(parents=True, exist_ok=True)
    (root / "etc/passwd").write_text("root:x:0:0:root:/root:/bin/sh\n")
    (root / "etc/group").write_text("root:x:0:\nusers:x:100:\n")
    users = tmp_path / "users.table"
    users.write_text(table)
    out = tmp_path / "o.cpio"
    args = ["pack", "cpio", "--root", root, "--users-table", users, "--out", out]
    if salt_key:
        args += ["--salt-key", salt_key]
    r = helper(tools, *args, env=dict(os.environ, SOURCE_DATE_EPOCH="1700000000"))
    files = {}
    if r.returncode == 0:
        for name in ("etc/passwd", "etc/group", "etc/shadow"):
            files[name] = subprocess.run(["cpio", "-i", "--to-stdout", name],
                                         input=out.read_bytes(), capture_output=True).stdout.decode()
    return r.returncode, r.stderr, files


def test_users_table_in_mkusers_format(tools, tmp_path):
    """Automatic ids from 1000 (explicit ones kept, stable), the password
    forms, supplementary groups; cleartext never reaches the image."""
    import crypt
    key = tmp_path / "identity"
    key.write_text('TR_TARGET_GENERIC_HOSTNAME="box"\n')
    table = ("alice -1 alice -1 =s3cr$t /home/alice /bin/sh users,wheel Alice A.\n"
             "bob 1000 bob -1 !=hidden /home/bob /bin/sh - -\n"
             "carol -1 alice -1 - - /bin/false - Carol\n"
             "dave -1 dave 1500 * - - - -\n"
             "erin -1 erin -1 $6$given$hash - - - -\n")
    rc, err, etc = packed_etc(tools, tmp_path, table, salt_key=key)
    assert rc == 0, err
    pw = {l.split(":")[0]: l.split(":") for l in etc["etc/passwd"].splitlines()}
    # automatic ids in table order, the first free from 1000 (bob's explicit
    # uid taken first); alice's group keeps its gid for carol
    assert pw["alice"][2:4] == ["1001", "1000"]
    assert pw["bob"][2:4] == ["1000", "1001"]
    assert pw["carol"][2:4] == ["1002", "1000"]
    assert pw["dave"][2:4] == ["1003", "1500"]
    assert pw["alice"][4] == "Alice A." and pw["carol"][5:] == ["/", "/bin/false"]
    sh = {l.split(":")[0]: l.split(":")[1] for l in etc["etc/shadow"].splitlines()}
    assert crypt.crypt("s3cr$t", sh["alice"]) == sh["alice"] and sh["alice"].startswith("$6$")
    assert sh["bob"].startswith("!$6$") and crypt.crypt("hidden", sh["bob"][1:]) == sh["bob"][1:]
    assert sh["carol"] == "" and sh["dave"] == "*" and sh["erin"] == "$6$given$hash"
    assert sh["alice"].split("$")[2] != sh["bob"].split("$")[2]   # one salt per user
    assert "s3cr$t" not in "".join(etc.values()) and "hidden" not in "".join(etc.values())
    groups = {l.split(":")[0]: l.split(":") for l in etc["etc/group"].splitlines()}
    assert groups["users"][3] == "alice" and groups["wheel"][3] == "alice"
    # the same table and identity give the same bytes; another identity, another salt
    again = packed_etc(tools, tmp_path / "again", table, salt_key=key)[2]
    assert again == etc
    key.write_text('TR_TARGET_GENERIC_HOSTNAME="other"\n')
    other = packed_etc(tools, tmp_path / "other", table, salt_key=key)[2]
    assert other["etc/shadow"] != etc["etc/shadow"]


def test_users_table_errors_name_file_and_line(tools, tmp_path):
    for i, (table, message) in enumerate((
            ("app 0 app 0 - - - - -\n", "uid 0 is root's alone"),
            ("app 1000 app 1000 - - - - -\napp 1001 app 1001 - - - - -\n",
             "user app is already defined at"),
            ("app x app 1000 - - - - -\n", "with uid and gid numbers or -1"),
            ("app 1000 app\n", "expected 'username uid group gid"))):
        d = tmp_path / f"c{i}"
        rc, err, _ = packed_etc(tools, d, table)
        assert rc == 2 and message in err and f"{d}/users.table:" in err, err
        assert not (d / "o.cpio").exists()


def test_device_table_numbers_and_counts_are_checked(tools, tmp_path):
    """Found by fuzz_tables: a count of billions made pack run for ever
    (kept as support/fuzz/regressions/tables/device-count-timeout)."""
    (tmp_path / "root").mkdir()
    for i, (line, message) in enumerate((
            ("/dev/tty c 600 0 0 4 0 0 1 4000000000\n", "count 4000000000 is more than 1024"),
            ("/dev/x c 6o0 0 0 4 1 - - -\n", "'6o0' is not a number"),
            ("/dev/x c 600 0 0 -4 1 - - -\n", "'-4' is not a number"))):
        table = tmp_path / f"t{i}"
        table.write_text(line)
        r = helper(tools, "pack", "cpio", "--root", tmp_path / "root", "--device-table", table,
                   "--out", tmp_path / "o.cpio")
        assert r.returncode == 2 and f"{table}:1: {message}" in r.stderr, r.stderr
        assert not (tmp_path / "o.cpio").exists()


def test_users_table_fields_cannot_forge_etc_lines(tools, tmp_path):
    """A field holding a separator of /etc/passwd or /etc/group (':' ','
    newline) would add an account, e.g. a uid-0 line: refused with the
    table's file and line, and no image."""
    cases = (
        ("evil:x:0:0::/root:/bin/sh 1000 evil 1000 - - - - -", "user name 'evil:x:0:0::/root:/bin/sh'"),
        ("app 1000 evil:x:0: 1000 - - - - -", "group name 'evil:x:0:'"),
        ("app 1000 app 1000 - - - root:x:0:app -", "supplementary groups 'root:x:0:app'"),
        ("app 1000 app 1000 - - - a,,b -", "supplementary groups 'a,,b'"),
        ("app 1000 app 1000 - /home/app:0:0 /bin/sh - -", "home '/home/app:0:0'"),
        ("app 1000 app 1000 - /home/../etc /bin/sh - -", "home '/home/../etc'"),
        ("app 1000 app 1000 - home /bin/sh - -", "home 'home'"),
        ("app 1000 app 1000 - - /bin/sh:x - -", "shell '/bin/sh:x'"),
        ("app 1000 app 1000 - - - - A:x:0:0::/:/bin/sh", "comment 'A:x:0:0::/:/bin/sh'"),
        ("app 1000 app 1000 - - - - A\rb", "comment 'A?b'"),
        ("app 1000 app 1000 $6$a:b - - - -", "password hash '$6$a:b'"),
        ("-app 1000 app 1000 - - - - -", "user name '-app'"),
        ("1234 1000 app 1000 - - - - -", "user name '1234'"),
        ("a" * 33 + " 1000 app 1000 - - - - -", "user name '" + "a" * 33 + "'"),
        ("caf\u00e9 1000 app 1000 - - - - -", "user name 'caf\u00e9'"))
    for i, (line, message) in enumerate(cases):
        d = tmp_path / f"c{i}"
        rc, err, _ = packed_etc(tools, d, "# users\n" + line + "\n")
        assert rc == 2 and f"{d}/users.table:2: {message}" in err, (line, err)
        assert not (d / "o.cpio").exists()
    # the portable set itself, and a comment with ',' and tabs, pass
    rc, err, etc = packed_etc(tools, tmp_path / "ok",
                              "A.b_c-9 -1 g.1 -1 - /home/x /bin/sh wheel Name,room 1\tx\n")
    assert rc == 0, err
    assert "A.b_c-9:x:1000:1000:Name,room 1\tx:/home/x:/bin/sh" in etc["etc/passwd"]


def test_users_table_of_4000_users_gets_distinct_ids_and_its_groups(tools, tmp_path):
    """Automatic ids were picked by rescanning every id taken so far (4000
    users took 21-32 s, then crashed on the moved /etc entries). 4000 users
    with homes and supplementary groups pack within the helper's usual
    time-out; the ids are all different, and every user is in its groups."""
    table = "".join(f"user{i} -1 grp{i} -1 - /home/user{i} /bin/sh users,extra{i % 50} U {i}\n"
                    for i in range(4000))
    rc, err, etc = packed_etc(tools, tmp_path, table)
    assert rc == 0, err
    pw = [l.split(":") for l in etc["etc/passwd"].splitlines()]
    assert len(pw) == 4001 and len({p[2] for p in pw}) == 4001
    assert [p[2:4] for p in pw[1:3]] == [["1000", "1000"], ["1001", "1001"]]
    groups = {l.split(":")[0]: l.split(":") for l in etc["etc/group"].splitlines()}
    gids = [g[2] for g in groups.values()]
    assert len(gids) == len(set(gids)) == 2 + 4000 + 50
    assert groups["users"][3].split(",") == [f"user{i}" for i in range(4000)]
    assert groups["extra7"][3].split(",") == [f"user{i}" for i in range(7, 4000, 50)]
    # the supplementary groups come after every user's own group
    assert sorted(int(groups[f"extra{i}"][2]) for i in range(50)) == list(range(5000, 5050))


def test_supplementary_group_does_not_take_a_later_users_gid(tools, tmp_path):
    """A new supplementary group took the first gid not yet in the group
    file, which a later user's own group had been given: two groups shared
    a gid."""
    rc, err, etc = packed_etc(tools, tmp_path, "a -1 a -1 - - - extra -\nb -1 b -1 - - - - -\n")
    assert rc == 0, err
    groups = {l.split(":")[0]: l.split(":")[2] for l in etc["etc/group"].splitlines()}
    assert groups == {"root": "0", "users": "100", "a": "1000", "b": "1001", "extra": "1002"}


def cpio_listing(data):
    return subprocess.run(["cpio", "-itv", "--numeric-uid-gid"], input=data,
                          capture_output=True, timeout=30).stdout.decode()


def test_pack_forces_shadow_to_0600(tools, tmp_path):
    """A post-build script that rewrote /etc/shadow 0644 (or a device table
    that said so) made the password hashes world-readable in the image."""
    root = tmp_path / "root"
    (root / "etc").mkdir(parents=True)
    (root / "etc/shadow").write_text("root:$6$x$y:::::::\n")
    (root / "etc/shadow").chmod(0o644)
    (root / "etc/gshadow").write_text("root:::\n")
    (root / "etc/gshadow").chmod(0o664)
    table = tmp_path / "devices"
    table.write_text("/etc/shadow f 644 0 0 - - - - -\n")
    for extra in ([], ["--device-table", table]):
        out = tmp_path / "o.cpio"
        r = helper(tools, "pack", "cpio", "--root", root, *extra, "--out", out)
        assert r.returncode == 0, r.stderr
        modes = {l.split()[-1]: l.split()[0] for l in cpio_listing(out.read_bytes()).splitlines()}
        assert modes["etc/shadow"] == "-rw-------" and modes["etc/gshadow"] == "-rw-------", modes


def deep_tree(top, length):
    """Folders below `top` whose relative path is `length` bytes or more
    (made through folder descriptors: the full path is over PATH_MAX)."""
    fd = os.open(top, os.O_RDONLY)
    made = 0
    try:
        while made < length:
            name = "d" * 200
            os.mkdir(name, dir_fd=fd)
            nfd = os.open(name, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = nfd
            made += len(name) + 1
        with open(os.open("f", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd), "w") as f:
            f.write("x")
    finally:
        os.close(fd)


def test_pack_refuses_paths_over_path_max(tools, tmp_path):
    """An entry at or over PATH_MAX was cut short: another path (or the
    folder above) went into the image. Now an error, and no image."""
    root = tmp_path / "root"
    root.mkdir()
    (root / "ok").write_text("ok")
    deep_tree(root, 4200)
    out = tmp_path / "o.cpio"
    r = helper(tools, "pack", "cpio", "--root", root, "--out", out)
    assert r.returncode == 2 and "at or over PATH_MAX" in r.stderr, r.stderr[-2000:]
    assert not out.exists()
    shutil.rmtree(root)


def test_extract_refuses_paths_over_path_max(tools, tmp_path):
    """A tar entry name of 4200 bytes (pax) was cut to 4095 bytes and
    written as another file."""
    long = "/".join(["d" * 200] * 21) + "/f"
    a = tar_with(tmp_path, [("top/" + long, "file", b"x")])
    r = helper(tools, "extract", "--strip-components", "1", a, tmp_path / "out")
    assert r.returncode != 0 and "PATH_MAX" in r.stderr, r.stderr[-2000:]
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["a.tar.gz"]


def start_qemu_script(tmp_path):
    """fs/start-qemu.sh.in made as fs/rootfs.mk makes it, with a stand-in
    for QEMU that prints its arguments one a line."""
    from conftest import TOP
    fake = tmp_path / "fake-qemu"
    fake.write_text('#!/bin/sh\nfor a in "$@"; do echo "$a"; done\n')
    fake.chmod(0o755)
    text = (TOP / "fs/start-qemu.sh.in").read_text()
    for key, value in (("@BOARD@", "b"), ("@QEMU@", str(fake)), ("@QEMU_PACKAGE@", "q"),
                       ("@KERNEL@", "bzImage"), ("@INITRD@", "")):
        text = text.replace(key, value)
    for key in ("@BOARD_ARGS@", "@INITRAMFS_ARGS@"):
        text = text.replace(key, "\t-netdev user,id=n0$fwd \\\n\t-device e1000,netdev=n0 \\")
    script = tmp_path / "start-qemu.sh"
    script.write_text(text)
    script.chmod(0o755)
    return script


def test_start_qemu_forward_accepts_only_two_ports(tmp_path):
    """--forward checked only that the value began with digit:digit, so
    '2222:22,hostfwd=tcp::2323-:23' opened a second forward on every
    address of the host."""
    script = start_qemu_script(tmp_path)
    for bad in ("2222:22,hostfwd=tcp::2323-:23", "2222:22 x", "1:2:3", "0:22", "2222:0",
                "65536:22", "2222:99999", "022:22", "+22:22", "2222", ":22", "2222:", "a:b", ""):
        r = subprocess.run([str(script), "--forward", bad, "-snapshot"], capture_output=True,
                           text=True, timeout=30)
        assert r.returncode == 1 and "--forward needs HOSTPORT:GUESTPORT" in r.stderr, (bad, r)
        assert r.stdout == "", (bad, r.stdout)
    r = subprocess.run([str(script), "--forward", "2222:22", "--forward", "65535:1", "-snapshot"],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    args = r.stdout.splitlines()
    assert "user,id=n0,hostfwd=tcp:127.0.0.1:2222-:22,hostfwd=tcp:127.0.0.1:65535-:1" in args
    assert args[-1] == "-snapshot"


def test_users_home_never_hands_over_a_system_file_or_folder(tools, tmp_path):
    """pack gives a user its home folder: a home that is a file of the tree
    (/etc/shadow), a top-level folder of the system (/etc), or /etc spelt
    "/etc/" or "//etc" would give an unprivileged user root's files; each
    is an error naming the table and line, and no image is written."""
    cases = (("app 1000 app 1000 - /etc/shadow /bin/sh - -", "home /etc/shadow is not a folder"),
             ("app 1000 app 1000 - /etc /bin/sh - -", "home /etc is a top-level folder"),
             ("app 1000 app 1000 - /etc/ /bin/sh - -", "home '/etc/'"),
             ("app 1000 app 1000 - //etc /bin/sh - -", "home '//etc'"),
             ("app 1000 app 1000 - /home//app /bin/sh - -", "home '/home//app'"))
    for i, (line, message) in enumerate(cases):
        d = tmp_path / f"c{i}"
        (d / "root/etc").mkdir(parents=True)
        (d / "root/etc/shadow").write_text("root:*:::::::\n")
        rc, err, _ = packed_etc(tools, d, "# users\n" + line + "\n")
        assert rc == 2 and f"{d}/users.table:2: " in err and message in err, (line, err)
        assert not (d / "o.cpio").exists()
    # root may have a top-level home, and a user a folder of its own
    d = tmp_path / "ok"
    (d / "root/etc").mkdir(parents=True)
    rc, err, etc = packed_etc(tools, d, "root 0 root 0 - /root /bin/sh - -\n"
                                        "app 1000 app 1000 - /home/app /bin/sh - -\n"
                                        "svc 1001 svc 1001 - /srv /bin/false - -\n")
    assert rc == 0, err
    listing = subprocess.run(["cpio", "-itv", "--numeric-uid-gid"], input=(d / "o.cpio").read_bytes(),
                             capture_output=True, timeout=30).stdout.decode()
    owners = {l.split()[-1]: (l.split()[2], l.split()[3]) for l in listing.splitlines()}
    assert owners["home/app"] == ("1000", "1000") and owners["etc"] == ("0", "0"), listing
    assert owners["srv"] == ("1001", "1001"), listing


def test_disk_writes_a_gpt_image_from_a_genimage_layout(tools, tmp_path):
    """`disk`: the layout's partitions at their places, read back with
    util-linux's sfdisk and gdisk's verifier (CRCs, backup table), each
    image's bytes at its partition's offset, fixed and derived GUIDs, the
    same bytes twice; bad layouts name the file and line."""
    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    out.mkdir()
    boot = os.urandom(3000000)
    root = os.urandom(5 * 1024 * 1024)
    (inp / "boot.vfat").write_bytes(boot)
    (inp / "rootfs.ext4").write_bytes(root)
    layout = tmp_path / "genimage.cfg"
    layout.write_text("""# a board's disk
image disk.img {
\thdimage { partition-table-type = "gpt" }
\tpartition boot {
\t\tpartition-type-uuid = "U"
\t\timage = "boot.vfat"
\t\tsize = 8M
\t\tbootable = true
\t}
\tpartition rootfs {
\t\tpartition-type-uuid = L  /* unquoted, as libconfuse allows */
\t\tpartition-uuid = "6c0b1ed6-2d3e-4c2b-9a55-0d7c8a6f1e01"
\t\timage = "rootfs.ext4"
\t}
\tpartition data { size = 16M }
}
""")
    args = ["disk", "--layout", layout, "--inputpath", inp, "--outputpath", out, "--seed", "cfg-1"]
    r = helper(tools, *args)
    assert r.returncode == 0, r.stderr
    disk = out / "disk.img"
    first = disk.read_bytes()
    import json
    t = json.loads(subprocess.run(["sfdisk", "--json", disk], capture_output=True, text=True,
                                  check=True, timeout=60).stdout)["partitiontable"]
    assert t["label"] == "gpt" and t["sectorsize"] == 512
    parts = {p["name"]: p for p in t["partitions"]}
    assert list(parts) == ["boot", "rootfs", "data"]
    assert parts["boot"]["type"] == "C12A7328-F81F-11D2-BA4B-00A0C93EC93B"
    assert parts["boot"]["attrs"] == "LegacyBIOSBootable"
    assert parts["rootfs"]["type"] == "0FC63DAF-8483-4772-8E79-3D69D8477DE4"
    assert parts["rootfs"]["uuid"] == "6C0B1ED6-2D3E-4C2B-9A55-0D7C8A6F1E01"
    assert parts["boot"]["start"] == 2048 and parts["boot"]["size"] == 8 * 2048
    assert parts["rootfs"]["size"] * 512 == len(root) and parts["data"]["size"] == 16 * 2048
    for name, data in (("boot", boot), ("rootfs", root)):
        start = parts[name]["start"] * 512
        assert first[start:start + len(data)] == data, name
    v = subprocess.run(["sgdisk", "-v", disk], capture_output=True, text=True, timeout=60)
    assert v.returncode == 0 and "No problems found" in v.stdout, v.stdout
    # the same inputs, the same bytes; another seed, other derived GUIDs only
    assert helper(tools, *args).returncode == 0 and disk.read_bytes() == first
    assert helper(tools, *args[:-1], "cfg-2").returncode == 0
    t2 = json.loads(subprocess.run(["sfdisk", "--json", disk], capture_output=True, text=True,
                                   check=True, timeout=60).stdout)["partitiontable"]
    assert t2["id"] != t["id"] and t2["partitions"][0]["uuid"] != parts["boot"]["uuid"]
    assert t2["partitions"][1]["uuid"] == parts["rootfs"]["uuid"]
    for text, message in (
            ('image d { partition a { image = "../x" } }', ":1: image: '../x' is not a file name"),
            ('image d {\n hdimage { partition-table-type = "mbr" }\n}', ":2: partition-table-type 'mbr'"),
            ('image d {\n partition a {\n  size = 1M\n  colour = red\n }\n}', ":4: unknown partition option"),
            ('image d {\n partition a { image = "boot.vfat" size = 1M }\n}',
             "(3000000 bytes) does not fit its size (1048576 bytes)"),
            ('image d { partition a { size = 1M }', ":1: image: the file ends before its '}'"),
            ('image d { partition a { size = 1M } }\nimage e { }', ":2: a second image"),
            ('image d { partition a { partition-uuid = "nope" size = 1M } }', "is not a GUID")):
        layout.write_text(text)
        r = helper(tools, *args)
        assert r.returncode == 2 and message in r.stderr, (text, r.stderr)
        assert str(layout) in r.stderr
    assert sorted(p.name for p in out.iterdir()) == ["disk.img"]

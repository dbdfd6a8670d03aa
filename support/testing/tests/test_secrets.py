"""Secrets and files planted in a shared download folder: a site's
credentials (http://user:token@host/) are used for the transfer but never
printed, logged or recorded; images/.config leaves every URL's credentials
out while .config, auto.conf and autoconf.h, which keep them, are the
owner's alone; the download helper never writes through a link planted in
DL_DIR and keeps DIR/.NAME.origin to one checked URL line."""
import base64
import http.server
import os
import stat
import subprocess
import time
import urllib.parse

import pytest

from conftest import MIRROR, TOP, configure_offline, make, no_sanitizer_report, serve
from test_helper import helper, make_site

USER, TOKEN = "builder", "tok3n-s3cret"


def auth_handler(user, password):
    """A file server that answers 401 unless the request carries these Basic
    credentials: a download that succeeds proves they were sent."""
    expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            if self.headers.get("Authorization") != expected:
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="t"')
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            super().do_GET()
    return Handler


def with_userinfo(url, user=USER, password=TOKEN):
    parts = urllib.parse.urlsplit(url)
    return parts._replace(netloc=f"{user}:{password}@{parts.netloc}").geturl()


def without_userinfo(url):
    """The URL without its userinfo, computed by Python's own URL parser."""
    parts = urllib.parse.urlsplit(url)
    return parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()


def test_site_credentials_are_used_but_not_printed_or_recorded(tools, tmp_path):
    site, hashf, name, data = make_site(tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    dl = tmp_path / "dl"
    handler = auth_handler(USER, TOKEN)
    with serve(empty, handler=handler) as bad, serve(site, handler=handler) as good:
        # the first site's 404 and the retry messages name it too
        r = helper(tools, "download", "--dl-dir", dl, "--file", name, "--hash-file", hashf,
                   "--retries", "1", "--site", with_userinfo(bad), "--site", with_userinfo(good))
    assert r.returncode == 0, r.stderr
    assert (dl / name).read_bytes() == data  # the server saw the credentials
    assert f"{without_userinfo(bad)}/{name}: " in r.stderr, r.stderr
    assert TOKEN not in r.stderr + r.stdout and f"{USER}:" not in r.stderr, r.stderr
    assert (dl / f".{name}.origin").read_text() == f"{without_userinfo(good)}/{name}\n"


def config_lines(path):
    return path.read_text().splitlines()


def test_make_download_logs_no_credentials(tools, mirror_url, tmp_path):
    """The real download step, V=1: the sites reach the helper through its
    environment, so neither the step's log nor make's output holds them."""
    out = tmp_path / "o"
    dl = tmp_path / "dl"
    with serve(MIRROR, handler=auth_handler(USER, TOKEN)) as locked:
        configure_offline(out, mirror_url, "qemu_x86_64_defconfig")
        with open(out / ".config", "a") as f:
            f.write(f'TR_PRIMARY_SITE="{with_userinfo(locked)}"\nTR_BACKUP_SITE="{with_userinfo(locked)}/b"\n')
        make(out, "olddefconfig", timeout=300)
        r = subprocess.run(["make", f"O={out}", "V=1", "musl-source"], cwd=TOP,
                           env=dict(os.environ, TR_DL_DIR=str(dl)), capture_output=True,
                           text=True, timeout=600)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    origins = list((dl / "musl").glob(".*.origin"))
    assert len(origins) == 1 and origins[0].read_text().startswith(without_userinfo(locked) + "/")
    log = (out / "build/musl/logs/downloaded.log").read_text()
    assert f"Downloading {without_userinfo(locked)}/" in log, log
    for text in (r.stdout, r.stderr, log, origins[0].read_text()):
        assert TOKEN not in text and f"{USER}:" not in text, text[-2000:]


def test_images_config_leaves_secrets_out_and_values_stay_private(tmp_path):
    out = tmp_path / "o"
    r = subprocess.run(["make", f"O={out}", "qemu_x86_64_defconfig"], cwd=TOP,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    redis = "redis://:s3cret@127.0.0.1:6379"
    site = "http://u:tok@127.0.0.1:1/"
    with open(out / ".config", "a") as f:
        f.write(f'TR_CCACHE=y\nTR_CCACHE_REMOTE_STORAGE="{redis}"\nTR_PRIMARY_SITE="{site}"\n')
    for goal in ("olddefconfig", f"{out}/images/.config"):
        r = subprocess.run(["make", f"O={out}", goal], cwd=TOP, capture_output=True,
                           text=True, timeout=300)
        assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    copy = (out / "images/.config").read_text()
    assert "s3cret" not in copy and "tok" not in copy, copy
    # the same lines, those two without their userinfo
    expected = {"TR_CCACHE_REMOTE_STORAGE": f'"{without_userinfo(redis)}"',
                "TR_PRIMARY_SITE": f'"{without_userinfo(site)}"'}
    want = []
    for line in config_lines(out / ".config"):
        key = line.split("=", 1)[0]
        want.append(f"{key}={expected[key]}" if key in expected else line)
    assert config_lines(out / "images/.config") == want
    assert 'TR_CCACHE_REMOTE_STORAGE="redis://127.0.0.1:6379"' in want
    # the files that keep them are the owner's alone
    auto = out / "build/tinyroot-config"
    assert "s3cret" in (auto / "auto.conf").read_text()
    for f in (out / ".config", auto / "auto.conf", auto / "autoconf.h"):
        assert stat.S_IMODE(f.stat().st_mode) == 0o600, f


def test_strip_secrets_rule(tmp_path):
    """The rule on values a .config may hold, checked against Python's URL
    parser; ccache's credential attributes go whole."""
    urls = ["http://u:tok@127.0.0.1:1/", "https://a%40b:p@example.com:8443/x?y=z@w",
            "redis://user:pw@cache:6379/2", "ftp://anon@ftp.example/pub/",
            "http://example.com/path@with-at", "file:///srv/mirror@2"]
    lines = [f'TR_X{i}="{u}"' for i, u in enumerate(urls)]
    lines.append('TR_CCACHE_REMOTE_STORAGE="http://cache:8080/c|layout=flat|bearer-token=abc|keep-alive=true"')
    lines.append("# TR_Y is not set")
    r = subprocess.run([str(TOP / "support/scripts/strip-secrets")], input="\n".join(lines) + "\n",
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    got = r.stdout.splitlines()
    assert got[:len(urls)] == [f'TR_X{i}="{without_userinfo(u)}"' for i, u in enumerate(urls)]
    assert got[len(urls):] == ['TR_CCACHE_REMOTE_STORAGE="http://cache:8080/c|layout=flat|keep-alive=true"',
                               "# TR_Y is not set"]


def cached(tools, tmp_path):
    """A DL_DIR holding a verified file (a first download), then the
    arguments of a second run that finds it in the cache (its site is gone)."""
    site, hashf, name, data = make_site(tmp_path)
    dl = tmp_path / "dl"
    with serve(site) as url:
        r = helper(tools, "download", "--dl-dir", dl, "--file", name, "--hash-file", hashf,
                   "--site", url)
    assert r.returncode == 0, r.stderr
    again = ["download", "--dl-dir", dl, "--file", name, "--hash-file", hashf,
             "--site", "http://127.0.0.1:9/"]
    return dl, name, url, again


def test_planted_origin_link_is_neither_followed_nor_read(tools, tmp_path):
    dl, name, _, again = cached(tools, tmp_path)
    origin = dl / f".{name}.origin"
    target = tmp_path / "private.key"
    target.write_text("http://secret.example/x\n")
    before = target.stat()
    origin.unlink()
    origin.symlink_to(target)
    r = helper(tools, *again)
    assert r.returncode == 0, r.stderr
    assert not os.path.lexists(origin) and "symbolic link" in r.stderr, r.stderr
    after = target.stat()
    assert target.read_text() == "http://secret.example/x\n"
    assert (after.st_mtime_ns, after.st_ino) == (before.st_mtime_ns, before.st_ino)
    # a link to a FIFO: reading it would block until the timeout
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    origin.symlink_to(fifo)
    r = helper(tools, *again, timeout=30)
    assert r.returncode == 0 and not os.path.lexists(origin), r.stderr
    # a FIFO itself at the name is not opened for a read that waits either
    os.mkfifo(origin)
    r = helper(tools, *again, timeout=30)
    assert r.returncode == 0 and not os.path.lexists(origin), r.stderr


def test_planted_origin_link_is_replaced_by_a_fresh_download(tools, tmp_path):
    site, hashf, name, data = make_site(tmp_path)
    dl = tmp_path / "dl"
    dl.mkdir()
    target = tmp_path / "victim"
    target.write_text("victim\n")
    (dl / f".{name}.origin").symlink_to(target)
    with serve(site) as url:
        r = helper(tools, "download", "--dl-dir", dl, "--file", name, "--hash-file", hashf,
                   "--site", url)
    assert r.returncode == 0, r.stderr
    assert target.read_text() == "victim\n"
    origin = dl / f".{name}.origin"
    assert not origin.is_symlink() and origin.read_text() == f"{url}/{name}\n"


def planted_link(tmp_path, dl, link):
    victim = tmp_path / "victim"
    victim.write_bytes(b"do not touch\n")
    dl.mkdir(exist_ok=True)
    os.link(victim, dl / link)
    return victim


@pytest.mark.parametrize("planted, made", [(".{}.part", "{}"), (".{}.origin.tmp", ".{}.origin")],
                         ids=["part", "origin-tmp"])
def test_hardlinked_temporary_is_refused(tools, tmp_path, planted, made):
    """A temporary the helper writes (the download's .part, the .origin's
    .tmp) planted as a hard link to another file is refused, the file left
    as it was, and the final file is not made."""
    site, hashf, name, data = make_site(tmp_path)
    dl = tmp_path / "dl"
    victim = planted_link(tmp_path, dl, planted.format(name))
    with serve(site) as url:
        r = helper(tools, "download", "--dl-dir", dl, "--file", name, "--hash-file", hashf,
                   "--site", url, "--site", url)
    assert r.returncode != 0
    assert f"{dl}/{planted.format(name)}: has 2 hard links" in r.stderr, r.stderr
    assert victim.read_bytes() == b"do not touch\n" and victim.stat().st_nlink == 2
    assert not (dl / made.format(name)).exists()


def test_part_of_another_user_is_refused(tools, tmp_path):
    site, hashf, name, data = make_site(tmp_path)
    dl = tmp_path / "dl"
    dl.mkdir()
    part = dl / f".{name}.part"
    part.write_bytes(b"theirs")
    if os.geteuid() != 0:
        pytest.skip("needs root to give a file to another user")
    os.chown(part, 65534, 65534)
    with serve(site) as url:
        r = helper(tools, "download", "--dl-dir", dl, "--file", name, "--hash-file", hashf,
                   "--site", url)
    assert r.returncode != 0 and f"{part}: belongs to user 65534" in r.stderr, r.stderr
    assert part.read_bytes() == b"theirs"


def test_stale_origin_is_refreshed_on_a_cache_hit(tools, tmp_path):
    dl, name, url, again = cached(tools, tmp_path)
    origin = dl / f".{name}.origin"
    good = f"{url}/{name}\n"
    assert origin.read_text() == good
    # a record written before credentials were stripped: the same URL without them
    origin.write_text(with_userinfo(f"{url}/{name}") + "\n")
    r = helper(tools, *again)
    assert r.returncode == 0, r.stderr
    assert origin.read_text() == good and TOKEN not in r.stderr
    # a file replaced by hand after its record was written: the record goes
    os.utime(origin, ns=(time.time_ns() - 10**10,) * 2)
    r = helper(tools, *again)
    assert r.returncode == 0 and not origin.exists(), r.stderr
    # a record that is not one URL line goes; a good one stays as it is
    for bad in (good + "http://other.example/x\n", "not a url\n", good.rstrip("\n"),
                "http://h/" + "x" * 5000 + "\n", "http://h/\x00x\n"):
        origin.write_text(bad)
        r = helper(tools, *again)
        assert r.returncode == 0 and not origin.exists(), (bad[:40], r.stderr)
    origin.write_text(good)
    mtime = origin.stat().st_mtime_ns
    r = helper(tools, *again)
    assert r.returncode == 0 and r.stderr == "", r.stderr
    assert origin.read_text() == good and origin.stat().st_mtime_ns == mtime


def test_strip_secrets_passwords_with_bars_and_ccache_lists():
    """A download site goes to curl whole, so a '|' in its password is part
    of it; in TR_CCACHE_REMOTE_STORAGE, blanks separate URLs and '|' starts
    an attribute. Scheme names are case-insensitive (RFC 3986 3.1)."""
    cases = {
        'TR_PRIMARY_SITE="http://u:p|w@127.0.0.1/"': 'TR_PRIMARY_SITE="http://127.0.0.1/"',
        'TR_BACKUP_SITE="HTTPS://U:P@W@127.0.0.1/x"': 'TR_BACKUP_SITE="HTTPS://127.0.0.1/x"',
        'TR_X="http://u:p\\"q@h/"': 'TR_X="http://h/"',
        'TR_CCACHE_REMOTE_STORAGE="redis://a:p1@h1 redis://b:p@2@h2|connect-timeout=50"':
            'TR_CCACHE_REMOTE_STORAGE="redis://h1 redis://h2|connect-timeout=50"',
    }
    r = subprocess.run([str(TOP / "support/scripts/strip-secrets")], input="\n".join(cases) + "\n",
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == list(cases.values())
    # the site's value agrees with Python's URL parser
    assert without_userinfo("http://u:p|w@127.0.0.1/") == "http://127.0.0.1/"


def test_sites_from_the_environment_stay_out_of_the_command_line(tools, tmp_path):
    """A command line is readable by every user of the machine
    (/proc/PID/cmdline); --site-env takes the site from the helper's
    environment instead. The server reads the helper's command line while
    the helper waits for its answer."""
    site, hashf, name, data = make_site(tmp_path)
    dl = tmp_path / "dl"
    seen = {}
    base = auth_handler(USER, TOKEN)

    class Handler(base):
        def do_GET(self):
            seen["cmdline"] = open(f"/proc/{seen['pid']}/cmdline", "rb").read()
            super().do_GET()

    with serve(site, handler=Handler) as url:
        env = dict(os.environ, TR_DL_PRIMARY_SITE=with_userinfo(url))
        p = subprocess.Popen([str(tools["helper"]), "download", "--dl-dir", str(dl), "--file", name,
                              "--hash-file", str(hashf), "--retries", "1",
                              "--site-env", "TR_DL_PRIMARY_SITE"],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        seen["pid"] = p.pid
        out, err = p.communicate(timeout=120)
    r = no_sanitizer_report(subprocess.CompletedProcess(p.args, p.returncode, out, err))
    assert r.returncode == 0, r.stderr
    assert (dl / name).read_bytes() == data  # the server saw the credentials
    assert b"--site-env" in seen["cmdline"] and TOKEN.encode() not in seen["cmdline"]
    assert TOKEN not in r.stderr
    # an unset variable is an error naming it
    r = helper(tools, "download", "--dl-dir", dl, "--file", "x", "--url-env", "TR_NO_SUCH_VAR")
    assert r.returncode == 2 and "TR_NO_SUCH_VAR" in r.stderr, r.stderr


def test_a_site_without_a_scheme_is_refused_unprinted(tools, tmp_path):
    """curl guesses http:// for "user:pw@host/": the helper refuses it
    rather than print or use it."""
    site, hashf, name, data = make_site(tmp_path)
    dl = tmp_path / "dl"
    with serve(site, handler=auth_handler(USER, TOKEN)) as url:
        bare = f"{USER}:{TOKEN}@{url.split('://', 1)[1]}"
        r = helper(tools, "download", "--dl-dir", dl, "--file", name, "--hash-file", hashf,
                   "--retries", "1", "--site", bare, "--site", with_userinfo(url))
    assert r.returncode == 0, r.stderr
    assert "site 1 of " in r.stderr and "not a URL" in r.stderr, r.stderr
    assert TOKEN not in r.stderr + r.stdout, r.stderr
    assert (dl / f".{name}.origin").read_text() == f"{without_userinfo(url)}/{name}\n"

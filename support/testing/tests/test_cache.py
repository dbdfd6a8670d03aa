"""Compiler cache and distributed compilation, with real servers started
here on 127.0.0.1: Debian's redis-server as ccache's shared remote storage
and two distccd daemons. qemu_x86_64's root filesystem (musl, BusyBox:
more than a thousand compilations) built with ccache (cold), its misses
compiled by the distcc servers, fills the remote cache; a build in a fresh
output folder with an empty local cache (another developer's machine) then
gets most compilations from the remote one. Both give the same root
filesystem bytes as the suite's build without either. The kernel is left
out of these two builds: it goes through the same wrapper and launcher,
and its two compilations would be the suite's most expensive step."""
import contextlib
import hashlib
import os
import re
import shutil
import socket
import subprocess
import time

import pytest

from conftest import (BUILD_TIMEOUT, DL_DIR, NO_PKG_CACHE, TEST_DIR, TOP, config_value, configure_offline,
                      free_port, recorded_images)

# Two builds of musl and BusyBox (about 12 minutes of the suite on a slow
# day): run when TR_TEST_COMPILER_CACHE=y, left out of `make check`
# otherwise until the package cache makes them cheap.
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(os.environ.get("TR_TEST_COMPILER_CACHE") != "y",
                                 reason="ccache/distcc builds: TR_TEST_COMPILER_CACHE=y")]

IMAGE = "rootfs.cpio.gz"


def wait_for_port(port, proc, what, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"{what} exited ({proc.returncode})"
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return
        time.sleep(0.2)
    raise AssertionError(f"{what} did not listen on 127.0.0.1:{port} in {seconds} s")


@pytest.fixture(scope="module")
def servers():
    """A Redis server and two distccd daemons on 127.0.0.1, each bounded by
    `timeout` and stopped at the module's end; distccd logs each job."""
    # distccd started as root runs as its own user: its log must be in a
    # folder that user can reach (pytest's temporary folders are private)
    tmp = TEST_DIR / "cache-servers"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    tmp.chmod(0o755)
    procs = []
    redis_port = free_port()
    redis = subprocess.Popen(
        ["timeout", str(2 * BUILD_TIMEOUT), "redis-server", "--port", str(redis_port),
         "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(tmp)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    procs.append(redis)
    distcc = []
    for i in range(2):
        port = free_port()
        log = tmp / f"distccd-{i}.log"
        log.touch()
        log.chmod(0o666)  # distccd run as root drops to its own user
        p = subprocess.Popen(
            ["timeout", str(2 * BUILD_TIMEOUT), "distccd", "--daemon", "--no-detach",
             "--listen", "127.0.0.1", "--port", str(port), "--allow", "127.0.0.1",
             "--jobs", "2", "--log-level", "info", "--log-file", str(log)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        procs.append(p)
        distcc.append((port, log))
    try:
        wait_for_port(redis_port, redis, "redis-server")
        for (port, _), p in zip(distcc, procs[1:]):
            wait_for_port(port, p, "distccd")
        yield {"redis": f"redis://127.0.0.1:{redis_port}", "distcc": distcc}
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            with contextlib.suppress(subprocess.TimeoutExpired):
                p.wait(timeout=30)


def plain_make(out, env=None):
    """`make` as the README has it (no -j) from the top of the tree, for the
    root filesystem image (the kernel left out), then the ccache statistics
    line that `make` prints at its end (the same script, on the same
    snapshot)."""
    env = dict(os.environ, TR_DL_DIR=str(DL_DIR), **(env or {}))
    r = subprocess.run(["nice", "-n", "5", "make", f"O={out}", str(out / "images" / IMAGE)],
                       cwd=TOP, capture_output=True, text=True, timeout=BUILD_TIMEOUT, env=env)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    if "TR_CCACHE=y" in (out / ".config").read_text().splitlines():
        cache = env.get("TR_CCACHE_DIR") or config_value(out, "TR_CCACHE_DIR")
        stats = subprocess.run([str(TOP / "support/scripts/ccache-stats"), str(out / ".ccache-stats")],
                               capture_output=True, text=True, timeout=60,
                               env=dict(env, CCACHE_DIR=cache))
        r.stdout += stats.stdout
    return r


def ccache_line(stdout):
    """(compilations, hits, remote hits, misses) from the statistics line
    `make` prints at its end."""
    m = re.search(r"^ccache: (\d+) compilations: (\d+) hits \((\d+) from remote storage\), "
                  r"(\d+) misses", stdout, re.M)
    assert m, "no ccache statistics at the end of make:\n" + stdout[-2000:]
    return tuple(int(g) for g in m.groups())


def same_images(out, reference):
    """The root filesystem is the bytes the suite's build without ccache
    and distcc made (as recorded when it ended: other tests rebuild that
    tree with their own options meanwhile)."""
    want = recorded_images(reference)
    got = hashlib.sha256((out / "images" / IMAGE).read_bytes()).hexdigest()
    assert got == want[IMAGE], f"{IMAGE} differs from the build without ccache and distcc"


@pytest.fixture(scope="module")
def cold_build(servers, pc_build, mirror_url):
    out = TEST_DIR / "cache-cold"
    shutil.rmtree(out, ignore_errors=True)
    cache = TEST_DIR / "ccache-cold"
    shutil.rmtree(cache, ignore_errors=True)
    hosts = " ".join(f"127.0.0.1:{port}/2" for port, _ in servers["distcc"])
    configure_offline(out, mirror_url, "qemu_x86_64_defconfig")
    with open(out / ".config", "a") as f:
        # compiled here, not unpacked from the suite's package cache
        f.write(NO_PKG_CACHE + f'TR_CCACHE=y\nTR_CCACHE_DIR="{cache}"\n'
                f'TR_CCACHE_REMOTE_STORAGE="{servers["redis"]}"\nTR_DISTCC_HOSTS="{hosts}"\n')
    r = plain_make(out)
    return out, r.stdout


def test_cold_cache_build_compiles_on_the_distcc_servers(cold_build, servers, pc_build):
    out, stdout = cold_build
    compilations, hits, _, misses = ccache_line(stdout)
    assert compilations > 1000 and misses > 0.9 * compilations, stdout[-500:]
    for port, log in servers["distcc"]:
        jobs = log.read_text().count("COMPILE_OK")
        assert jobs > 50, f"distccd on port {port} compiled {jobs} files:\n" + log.read_text()[-2000:]
    # the job count follows the hosts' capacity (2 + 2)
    r = subprocess.run(["make", "-s", f"O={out}", "printvars", "VARS=PARALLEL_JOBS"], cwd=TOP,
                       capture_output=True, text=True, timeout=60)
    assert r.stdout.strip() == "PARALLEL_JOBS=4", r.stdout + r.stderr
    same_images(out, pc_build)


def test_empty_local_cache_takes_its_objects_from_the_remote_one(cold_build, servers, pc_build,
                                                                 mirror_url):
    out = TEST_DIR / "cache-remote"
    shutil.rmtree(out, ignore_errors=True)
    cache = TEST_DIR / "ccache-remote"
    shutil.rmtree(cache, ignore_errors=True)
    configure_offline(out, mirror_url, "qemu_x86_64_defconfig")
    with open(out / ".config", "a") as f:
        # compiled here, not unpacked from the suite's package cache
        f.write(NO_PKG_CACHE + f'TR_CCACHE=y\nTR_CCACHE_REMOTE_STORAGE="{servers["redis"]}"\n')
    # the cache location from the environment, as a developer sets it once
    r = plain_make(out, env={"TR_CCACHE_DIR": str(cache)})
    compilations, hits, remote, misses = ccache_line(r.stdout)
    # (a file compiled twice in one build hits the local copy the second time)
    assert compilations > 1000 and hits > 0.95 * compilations and remote > 0.8 * compilations, \
        r.stdout[-500:]
    assert (cache / "ccache.conf").exists() or any(cache.iterdir()), "the local cache was not used"
    same_images(out, pc_build)
    # turning the cache off rebuilds nothing: the objects are the same
    with open(out / ".config", "a") as f:
        f.write("TR_CCACHE=n\n")
    r = plain_make(out)
    assert not [l for l in r.stdout.splitlines() if l.startswith(">>>")], r.stdout

"""Shared fixtures: host tools, a local HTTP mirror, per-board builds."""
import contextlib
import functools
import hashlib
import http.server
import json
import os
import pathlib
import shutil
import socket
import subprocess
import threading
import time

import pytest

TOP = pathlib.Path(__file__).resolve().parents[3]
TEST_DIR = pathlib.Path(os.environ.get("TR_TEST_DIR", TOP / "output-tests"))
MIRROR = TEST_DIR / "mirror"
DL_DIR = TEST_DIR / "dl"
BUILD_TIMEOUT = 40 * 60
# a background board build (board_builds) yields the processors to the
# tests in front, which build too: its bound is the suite's
BACKGROUND_TIMEOUT = 3 * BUILD_TIMEOUT
NODE_DIR = TOP / "support/testing/node"
# The suite's package cache (package/pkg-cache.mk): emptied as each run
# starts (a warm one would skip the builds the tests exist to check) and
# shared by every build of the run, so that a package built once (a host
# package, a board's package after a test puts its configuration back) is
# unpacked instead of built again. Tests that check building itself turn
# it off in their configuration (NO_PKG_CACHE).
PKG_CACHE_DIR = TEST_DIR / "pkg-cache"
PKG_CACHE_KEY = TEST_DIR / "pkg-cache-signing-key.pem"
os.environ["TR_PKG_CACHE_DIR"] = str(PKG_CACHE_DIR)
os.environ["TR_PKG_CACHE_SIGNING_KEY"] = str(PKG_CACHE_KEY)
NO_PKG_CACHE = "# TR_PKG_CACHE is not set\n"
# The SPDX project's SPDX 2.3 JSON schema, kept beside the project's checkout
# (../shared/schemas/), or in a folder above a clone made elsewhere
SPDX_SCHEMA = next((d / "shared/schemas/spdx-2.3.schema.json" for d in TOP.parents
                    if (d / "shared/schemas/spdx-2.3.schema.json").exists()),
                   TOP.parent / "shared/schemas/spdx-2.3.schema.json")
# The SPDX project's SPDX 3.0.1 JSON schema (generated from the model by
# shacl2code), found the same way
SPDX3_SCHEMA = SPDX_SCHEMA.with_name("spdx-3.0.1.schema.json")


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: builds images (minutes)")


def pytest_terminal_summary(terminalreporter):
    """The room left where the builds ran: tests that all fail in their
    tmp_path or a build's extraction usually mean a full disk."""
    for where in (TEST_DIR, pathlib.Path(os.environ.get("TMPDIR", "/tmp"))):
        if where.exists():
            free = shutil.disk_usage(where).free / 2**30
            terminalreporter.write_line(f"free space at the end: {free:.1f} GiB on {where}")


SANITIZER_EXIT = 86
SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:")


def no_sanitizer_report(r):
    """Fails the test when a sanitized tool's run reported a memory error,
    a leak or undefined behaviour, whatever its other exit code meant."""
    assert r.returncode != SANITIZER_EXIT and not any(
        m in (r.stderr or "") for m in SANITIZER_MARKS), r.stderr[-4000:]
    return r


SANITIZE = "-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"


@pytest.fixture(scope="session")
def tools():
    """kconfig and tr-helper built once, with ASan and UBSan: every test that
    runs them also checks them for memory errors, leaks and undefined
    behaviour (a report makes the tool exit non-zero)."""
    out = TEST_DIR / "tools"
    # a sanitizer report exits with its own code, so that an expected error
    # exit of the tool cannot hide a leak or undefined behaviour
    # (checked_run / no_sanitizer_report)
    os.environ["ASAN_OPTIONS"] = f"detect_leaks=1:abort_on_error=0:exitcode={SANITIZER_EXIT}"
    os.environ["UBSAN_OPTIONS"] = f"print_stacktrace=1:halt_on_error=1:exitcode={SANITIZER_EXIT}"
    for sub in ("kconfig", "helper"):
        subprocess.run(["make", "-s", "-C", TOP / "support" / sub, f"O={out / sub}",
                        f"CFLAGS={SANITIZE}", "LDFLAGS=-fsanitize=address,undefined"],
                       check=True)
    subprocess.run(["make", "-s", "-C", TOP / "support/kconfig", f"O={out / 'kconfig'}",
                    f"CFLAGS={SANITIZE}", "LDFLAGS=-fsanitize=address,undefined", "menuconfig"],
                   check=True)
    return {"kconfig": out / "kconfig" / "kconfig", "helper": out / "helper" / "tr-helper",
            "menuconfig": out / "kconfig" / "menuconfig" / "menuconfig"}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(directory, handler=QuietHandler):
    """Serve `directory` on 127.0.0.1 (a free port) for the block's duration."""
    h = functools.partial(handler, directory=str(directory))
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), h)
    srv.timeout = 5
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}"
    finally:
        srv.shutdown()
        srv.server_close()


@pytest.fixture(scope="session")
def mirror_url():
    with serve(MIRROR) as url:
        yield url


def make(out, *args, timeout=BUILD_TIMEOUT, check=True, nice=False):
    """`make -j2 O=out args` from the top of the tree with the shared download
    cache; raises with the output's tail when it fails and `check` is set.
    `nice`: at a lower priority (background builds)."""
    env = dict(os.environ, TR_DL_DIR=str(DL_DIR))
    # -j2: the kernel builds beside musl and BusyBox, as a user on 2 cores would run it
    r = subprocess.run([*(["nice", "-n", "10"] if nice else []), "make", "-j2", f"O={out}", *args],
                       cwd=TOP, env=env, capture_output=True, text=True, timeout=timeout)
    if check and r.returncode:
        raise AssertionError(f"make {' '.join(args)} failed:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}")
    return r


def run_make(out, *args, timeout=300):
    """`make O=out args` as a user runs it (no -j), with the shared download
    cache; the result whatever its exit code."""
    return subprocess.run(["make", f"O={out}", *args], cwd=TOP, capture_output=True, text=True,
                          timeout=timeout, env=dict(os.environ, TR_DL_DIR=str(DL_DIR)))


def free_port():
    """A TCP port free on 127.0.0.1 now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def configure_offline(out, mirror_url, *defconfig_args):
    """The manual's offline procedure: a defconfig, the mirror's
    offline.config fragment appended, olddefconfig; with the primary site
    moved to the mirror served over HTTP, so that the real download path runs."""
    make(out, *defconfig_args, timeout=300)
    with open(out / ".config", "a") as f:
        f.write((MIRROR / "offline.config").read_text())
        f.write(f'TR_PRIMARY_SITE="{mirror_url}"\nTR_PRIMARY_SITE_ONLY=y\n')
    make(out, "olddefconfig", timeout=300)


def board_facts():
    """{board: {key: value}}: what the tests expect of each board of
    board/*/, from its folder's `facts` file (`key = value` lines, #
    comments), so that a new board folder is a new board of the suite."""
    facts = {}
    for d in sorted(p.parent for p in (TOP / "board").glob("*/defconfig")):
        if not (d / "facts").is_file():
            raise AssertionError(f"{d}: no facts file (what the tests expect of the board)")
        lines = [l for l in (d / "facts").read_text().splitlines()
                 if l.strip() and not l.lstrip().startswith("#")]
        facts[d.name] = dict((k.strip(), v.strip()) for k, v in (l.split("=", 1) for l in lines))
    return facts


# The boards whose disk variant (board/<board>/disk_defconfig) the suite
# builds instead of their defconfig: TR_TEST_DISK_BOARDS, board names or
# `all` (every board that has one); default none, for the suite's time (a
# variant adds its bootloaders and the image tools to the board's build).
# TR_TEST_DISK_BOARDS=qemu_aarch64_virt make check boots that board from
# its disk (test_disk.py) and runs every guest check of the board there.
DISK_TEST_BOARDS = os.environ.get("TR_TEST_DISK_BOARDS", "").split()
if DISK_TEST_BOARDS == ["all"]:
    DISK_TEST_BOARDS = sorted(p.parent.name for p in (TOP / "board").glob("*/disk_defconfig"))
for _b in DISK_TEST_BOARDS:
    if not (TOP / "board" / _b / "disk_defconfig").is_file():
        raise SystemExit(f"TR_TEST_DISK_BOARDS: {_b} has no board/{_b}/disk_defconfig")


def config_value(out, name):
    """A string option's value in out/.config."""
    for line in (out / ".config").read_text().splitlines():
        if line.startswith(f"{name}="):
            return line.split("=", 1)[1].strip('"')
    raise AssertionError(f"{name} is not in {out}/.config")


def cxx_app_lines(pugixml):
    """What the tests' C++ project prints (support/testing/data/cxx-app:
    its expected-output), without the pugixml line when it was built
    without the package."""
    lines = (TOP / "support/testing/data/cxx-app/expected-output").read_text().splitlines()
    return [l for l in lines if pugixml or not l.startswith("pugixml:")]


def extract_sdk(tarball, where, leaks_of=()):
    """An app team's steps with an SDK tarball (make sdk): extracted under
    `where`, its relocate-sdk.sh run there. Before the relocation, no file
    of it (text or binary) may name a path of `leaks_of` (the build
    machine's folders). Returns the SDK's folder."""
    where.mkdir(parents=True, exist_ok=True)
    subprocess.run(["tar", "-xzf", str(tarball), "-C", str(where)], check=True, timeout=120)
    sdk = where / tarball.name.removesuffix(".tar.gz")
    if leaks_of:
        grep = ["grep", "-rl", "-a", *(a for p in leaks_of for a in ("-e", str(p))), str(sdk)]
        leaks = subprocess.run(grep, capture_output=True, text=True, timeout=120).stdout
        assert leaks == "", leaks
    r = subprocess.run([str(sdk / "relocate-sdk.sh")], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and "SDK ready" in r.stdout, r.stdout + r.stderr
    return sdk


def build_cxx_app(sdk, work, root):
    """Builds the tests' C++ project (support/testing/data/cxx-app, copied
    to `work`) with the SDK's environment-setup and CMake toolchain file,
    from another folder as an app team would, and installs it under `root`
    (usr/bin/hello-cxx; usr/lib/libshapes.so where the SDK has shared
    libraries, which is when its sysroot has musl's libc.so). Returns the
    project's CMake cache (text)."""
    tuple_ = sdk.name.split("_sdk-", 1)[0]
    shared = "ON" if (sdk / tuple_ / "sysroot/usr/lib/libc.so").exists() else "OFF"
    shutil.copytree(TOP / "support/testing/data/cxx-app", work)
    script = (f'set -e; . "{sdk}/environment-setup"; cd "{work}"; '
              f'cmake -S . -B build -DCMAKE_TOOLCHAIN_FILE="$CMAKE_TOOLCHAIN_FILE" '
              f'-DBUILD_SHARED_LIBS={shared} -DCMAKE_BUILD_TYPE=Release; '
              'cmake --build build; cmake --install build --prefix "$1"')
    r = subprocess.run(["bash", "-c", script, "cxx", str(root)], capture_output=True,
                       text=True, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    return (work / "build/CMakeCache.txt").read_text()


def suite_defconfig(board):
    """The configuration the suite builds for a board: its disk variant when
    TR_TEST_DISK_BOARDS names it (that build also gives the board's
    initramfs images), else its defconfig."""
    if board in DISK_TEST_BOARDS:
        return f"{board}_disk_defconfig"
    return f"{board}_defconfig"


# The board whose build is killed half-way and resumed, so that every test
# of that board also checks a resumed build.
KILLED_BOARD = "qemu_x86_64"


def board_of(item):
    """The board whose build a test uses, or None: the `board_build` or
    `packages_build` or `disk_build` parameter, or qemu_x86_64 for pc_build, example_build, board_builds
    itself and the manual's test-build blocks."""
    names = set(getattr(item, "fixturenames", ()))
    params = getattr(getattr(item, "callspec", None), "params", {})
    for fixture in ("board_build", "packages_build", "disk_build"):
        if fixture in names:
            return params[fixture]
    if {"pc_build", "example_build", "board_builds"} & names or \
            ("block_env" in names and params.get("kind") == "test-build"):
        return "qemu_x86_64"
    return None


def boards_wanted(session):
    """The boards the selected tests build, in the order they run."""
    wanted = []
    for item in session.items:
        board = board_of(item)
        if board and board not in wanted:
            wanted.append(board)
    return wanted


def pytest_collection_modifyitems(session, config, items):
    """Tests that need no board build first, then each board's tests in the
    order its build ends (the order of first use, qemu_x86_64 first): the
    background builds (board_builds) then overlap the tests that need
    none, which leave a core idle most of the time (one-threaded tools,
    menuconfig in tmux, QEMU boots)."""
    order = ["qemu_x86_64"]
    for item in items:
        board = board_of(item)
        if board and board not in order:
            order.append(board)
    rank = {None: 0, **{b: i + 1 for i, b in enumerate(order)}}
    # within a board, the tests of its packages build (test_packages.py)
    # last: that build changes the folder's configuration for good, so no
    # test after it needs the board's own image back (a rebuild)
    last = {it: "packages_build" in getattr(it, "fixturenames", ()) for it in items}
    items[:] = [it for *_, it in sorted((rank[board_of(it)], last[it], i, it)
                                        for i, it in enumerate(items))]


def git_status():
    r = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=TOP,
                       capture_output=True, text=True, timeout=60)
    return r.stdout if r.returncode == 0 else None


@pytest.fixture(scope="session", autouse=True)
def source_tree_stays_clean():
    """The suite leaves the source tree as it found it: every build
    leftover goes to an output folder or is ignored (an error at the
    session's end names what appeared)."""
    before = git_status()
    yield
    after = git_status()
    if before is not None and after is not None:
        new = sorted(set(after.splitlines()) - set(before.splitlines()))
        assert not new, "the tests left files in the source tree:\n" + "\n".join(new)


@pytest.fixture(scope="session", autouse=True)
def empty_pkg_cache():
    """The package cache starts each run empty (TR_TEST_REUSE_BUILDS=1, a
    developer's inner loop, keeps it)."""
    if not os.environ.get("TR_TEST_REUSE_BUILDS"):
        shutil.rmtree(PKG_CACHE_DIR, ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
def start_board_builds(request, empty_pkg_cache):
    """Starts the board builds as the session starts, when any selected
    test needs one."""
    if boards_wanted(request.session):
        request.getfixturevalue("board_builds").start()


@pytest.fixture(scope="session")
def board_builds(request, mirror_url):
    """build(board) -> (out, seconds, killed_early): the board built from a
    clean output folder once per test run; test_build.py, test_external.py
    and test_manual.py share it. At the session's start (start_board_builds)
    a background thread builds every board the selected tests need, one
    after another in test order, at a lower priority (nice), while the tests
    that need no build run, and then the tests of the boards already built.
    KILLED_BOARD's
    build is killed half-way and resumed. TR_TEST_REUSE_BUILDS=1 (a
    developer's inner loop) keeps an existing output folder: reconfigured,
    then an incremental make."""
    results = {}
    events = {}
    lock = threading.Lock()

    def build_one(board):
        out = TEST_DIR / f"build-{board}"
        try:
            if not os.environ.get("TR_TEST_REUSE_BUILDS"):
                shutil.rmtree(out, ignore_errors=True)
            configure_offline(out, mirror_url, suite_defconfig(board))
            start = time.monotonic()
            killed = None
            if board == KILLED_BOARD and not os.environ.get("TR_TEST_REUSE_BUILDS"):
                killed = make_killed_then_resumed(out, nice=True)
            else:
                # at a lower priority, a build waits while the tests in
                # front build: it is bounded by the wait for it (build())
                make(out, nice=True, timeout=BACKGROUND_TIMEOUT)
            results[board] = (out, time.monotonic() - start, killed)
            # the SBOM is recorded with the images: test_cache compares both
            make(out, "sbom", timeout=300)
            record_images(out)
        except BaseException as e:  # re-raised in the test that waits for it
            results[board] = e
        events[board].set()

    def builder(boards):
        for b in boards:
            build_one(b)

    def start():
        with lock:
            if events:
                return
            queue = boards_wanted(request.session)
            for b in queue:
                events[b] = threading.Event()
            threading.Thread(target=builder, args=(queue,), daemon=True).start()

    def build(board):
        start()
        with lock:
            if board not in events:
                events[board] = threading.Event()
                threading.Thread(target=builder, args=([board],), daemon=True).start()
        if not events[board].wait(timeout=len(events) * BACKGROUND_TIMEOUT):
            raise AssertionError(f"the build of {board} did not end in time")
        r = results[board]
        if isinstance(r, BaseException):
            raise r
        return r
    build.start = start
    return build


@pytest.fixture(scope="module")
def pc_build(board_builds):
    """The suite's qemu_x86_64 build (no ccache or distcc), for what is
    checked on one board only to bound the suite's time: its output folder."""
    return board_builds("qemu_x86_64")[0]


def image_digests(out):
    """{file name: sha256} of each file in out/images now."""
    return {f.name: hashlib.sha256(f.read_bytes()).hexdigest()
            for f in sorted((out / "images").iterdir()) if f.is_file()}


def record_images(out):
    """The sha256 of each file in out/images as the build left it, kept
    beside the output folder (TEST_DIR/<folder>.images.sha256): tests that
    compare other builds with it need it before other tests rebuild the
    tree with their own options."""
    lines = [f"{digest}  {name}\n" for name, digest in image_digests(out).items()]
    (out.parent / f"{out.name}.images.sha256").write_text("".join(lines))


def recorded_images(out):
    """{file name: sha256} of out/images when its board build ended."""
    text = (out.parent / f"{out.name}.images.sha256").read_text()
    return {name: digest for digest, name in (l.split("  ", 1) for l in text.splitlines())}


def make_killed_then_resumed(out, nice=False):
    """`make -j2` in `out`, killed (SIGKILL, the whole process group) while
    the kernel compiles beside musl and BusyBox, then finished by a plain
    `make`, as a user whose build was interrupted would. Returns whether the
    kill came before the kernel image existed (it must, to mean anything)."""
    env = dict(os.environ, TR_DL_DIR=str(DL_DIR))
    p = subprocess.Popen([*(["nice", "-n", "10"] if nice else []), "make", "-j2", f"O={out}"],
                         cwd=TOP, env=env, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    # wait for the kernel build to start, bounded
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and p.poll() is None:
        if (out / "build/linux/.stamp_configured").exists():
            time.sleep(20)
            break
        time.sleep(1)
    os.killpg(p.pid, 9)
    p.wait(timeout=60)
    killed_early = not list((out / "images").glob("*Image"))
    make(out, nice=nice, timeout=BACKGROUND_TIMEOUT if nice else BUILD_TIMEOUT)
    return killed_early



def validate_cyclonedx(path):
    """Asserts that `path` is valid CycloneDX 1.6 JSON for the CycloneDX
    project's own library (@cyclonedx/cyclonedx-library, strict schema)."""
    r = subprocess.run(["node", str(NODE_DIR / "validate.mjs"), "cyclonedx", str(path)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stdout.strip() == "ok", r.stdout + r.stderr


def validate_spdx(path):
    """Asserts that `path` is valid SPDX 2.3 JSON for the SPDX project's
    schema (Debian's python3-jsonschema, with format checks)."""
    import jsonschema
    schema = json.loads(SPDX_SCHEMA.read_text())
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(json.loads(path.read_text()))]
    assert not errors, errors[:10]


def validate_spdx3(path):
    """Asserts that `path` is valid SPDX 3.0.1 JSON-LD for the SPDX project's
    schema (draft 2020-12, with format checks), with Ajv from npm (Debian's
    python3-jsonschema took minutes on an image's document)."""
    r = subprocess.run(["node", str(NODE_DIR / "validate.mjs"), "jsonschema",
                        str(SPDX3_SCHEMA), str(path)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr


def validate_licenses(expressions):
    """Asserts that each string is an SPDX license expression
    (spdx-expression-parse from npm)."""
    r = subprocess.run(["node", str(NODE_DIR / "validate.mjs"), "license", *expressions],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr

"""Plain `make` is parallel through one jobserver: packages build side by
side and their own makes take jobs from tinyroot's, so the machine runs
TR_JLEVEL jobs in all (or the command line's -jN), never more. Two small
packages of an external tree whose builds are makes of four one-second jobs
record when each job ran."""
import os
import re
import subprocess

import pytest

from conftest import NO_PKG_CACHE, TEST_DIR, TOP

# Each package's first job waits (at most PARA_WAIT seconds) for the other
# package's first job to start before its own second of work, and the
# other jobs wait for the first: while it waits, the package's make holds
# only the slot it was started with, so the other slot stays free for the
# other package (had its make taken both slots, whether the other package
# could start would be a race between the makes for the jobserver's token).
# With make running them side by side the two always overlap, one after the
# other they never do, however loaded the machine is.
JOB_MAKEFILE = """\
PARA_WAIT ?= 3
all: job1 job2 job3 job4
job2 job3 job4: job1
job%:
\t@echo "start $$(date +%s.%N) $(NAME)$* $$MAKEFLAGS" >> $(LOG)
\t@if [ $* = 1 ]; then for i in $$(seq $$(( $(PARA_WAIT) * 10 ))); do \\
\t\tgrep -q "^start .* $(OTHER)[0-9]" $(LOG) && break; sleep 0.1; done; fi
\t@sleep 1
\t@echo "end $$(date +%s.%N) $(NAME)$*" >> $(LOG)
"""


def package(tree, name, other):
    up = name.upper().replace("-", "_")
    d = tree / "package" / name
    d.mkdir(parents=True)
    (d / "Config.in").write_text(f'config TR_PACKAGE_{up}\n\tbool "{name}"\n\tdefault y\n')
    (d / f"{name}.mk").write_text(
        f"{up}_VERSION = 1\n{up}_SITE = $(TR_EXTERNAL_PARA_PATH)/src\n"
        f"{up}_SITE_METHOD = local\n{up}_LICENSE = MIT\n"
        f"define {up}_BUILD_CMDS\n\t$(MAKE) -C $(@D)/src NAME={name} OTHER={other} "
        f"LOG=$(O)/jobs.log\nendef\n")


@pytest.fixture(scope="module")
def para(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("para")
    tree = tmp / "tree"
    (tree / "src").mkdir(parents=True)
    (tree / "src/Makefile").write_text(JOB_MAKEFILE)
    (tree / "external.desc").write_text("name: PARA\n")
    package(tree, "para-a", "para-b")
    package(tree, "para-b", "para-a")
    (tree / "Config.in").write_text(
        'source "$(TR_EXTERNAL_PARA_PATH)/package/para-a/Config.in"\n'
        'source "$(TR_EXTERNAL_PARA_PATH)/package/para-b/Config.in"\n')
    out = tmp / "o"
    r = run(out, f"TR_EXTERNAL={tree}", "qemu_x86_64_defconfig")
    assert r.returncode == 0, r.stderr
    with open(out / ".config", "a") as f:
        # the packages are built from clean each time: not from the cache
        f.write("TR_JLEVEL=2\n" + NO_PKG_CACHE)
    r = run(out, "olddefconfig")
    assert r.returncode == 0, r.stderr
    return out


def run(out, *args, wait=3):
    """make O=out args; `wait`: the seconds a package's first job waits for
    the other package's (PARA_WAIT)."""
    # no MAKEFLAGS from a calling make (pytest may run under `make check -jN`)
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    return subprocess.run(["make", f"O={out}", *args], cwd=TOP, capture_output=True, text=True,
                          timeout=300, env=dict(env, TR_DL_DIR=str(TEST_DIR / "dl"),
                                                PARA_WAIT=str(wait)))


def jobs_run(out, *make_args):
    """Builds both packages from clean; returns (the most jobs that ran at
    once, the jobs' MAKEFLAGS, the packages whose jobs overlapped)."""
    log = out / "jobs.log"
    log.unlink(missing_ok=True)
    for p in ("para-a", "para-b"):
        assert run(out, f"{p}-dirclean").returncode == 0
    # long enough for a loaded machine to start the other package; with
    # -j1 it cannot start, and waiting long would only slow the test
    r = run(out, *make_args, "para-a", "para-b", wait=1 if "-j1" in make_args else 30)
    assert r.returncode == 0, r.stdout + r.stderr
    events, flags, spans = [], [], {}
    for line in log.read_text().splitlines():
        kind, t, job, *rest = line.split(" ")
        events.append((float(t), 1 if kind == "start" else -1))
        if kind == "start":
            flags.append(" ".join(rest))
        spans.setdefault(job[:-1], []).append(float(t))
    assert len(events) == 16, log.read_text()
    most = running = 0
    for _, step in sorted(events, key=lambda e: (e[0], e[1])):
        running += step
        most = max(most, running)
    a, b = spans["para-a"], spans["para-b"]
    overlapped = min(max(a), max(b)) > max(min(a), min(b))
    return most, flags, overlapped


def test_plain_make_runs_tr_jlevel_jobs_in_all(para):
    most, flags, overlapped = jobs_run(para)
    assert overlapped, "the two packages were built one after the other"
    assert most == 2, f"{most} jobs at once with TR_JLEVEL=2"
    # each package's make works from tinyroot's jobserver, with no -jN of its own
    for f in flags:
        assert "--jobserver-auth=" in f, f
        assert re.findall(r"(?:^| )-j(\d*)", f) == ["2"], f


def test_command_line_jobs_mean_the_same_total(para):
    most, flags, _ = jobs_run(para, "-j3")
    assert most == 3, f"{most} jobs at once with make -j3"
    most, _, overlapped = jobs_run(para, "-j1")
    assert most == 1 and not overlapped

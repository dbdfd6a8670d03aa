"""The manual's runnable examples: every fenced block of docs/*.md whose info
string is `<language> test...` runs, bounded in time, from the top of the
tree with these variables set:

  OUT     the output folder: a fresh one, or for `-build` blocks the
          x86_64 test build (built once per run, shared with test_build.py)
  WORK    a fresh scratch folder
  MIRROR  the local source mirror (support/scripts/make-source-mirror.sh)
  TR_DL_DIR  the shared download cache

Kinds:
  sh test          bash -euo pipefail, fresh $OUT, must exit 0
  sh test-slow     the same, for a block that builds packages (minutes)
  sh test-build    the same on the built x86_64 tree (made first, so that
                   it is up to date); its .config is put back afterwards and
                   the tree made again. qemu_x86_64_defconfig there stands
                   for the suite's configuration of the board (its disk
                   variant when TR_TEST_DISK_BOARDS names it)
  console test, console test-build
                   a transcript: `$ cmd` runs cmd on the host, `name# cmd`
                   waits for that prompt and types cmd into the running
                   program (the guest's shell), any other line is output
                   that must follow, in order, with `...` matching anything
                   within the line (a line of just `...` is skipped). Each
                   `$` command must exit 0: one meant to fail is written
                   `$ cmd; echo "exit $?"` with its `exit N` line.
"""
import io
import os
import re
import shutil
import subprocess

import pexpect
import pytest

from conftest import BUILD_TIMEOUT, DL_DIR, MIRROR, TOP, make, suite_defconfig

FENCE = re.compile(r"^```(sh|console) (test(?:-slow|-build)?)\n(.*?)^```$", re.S | re.M)
PROMPT_LINE = re.compile(r"^(\S+# )(.*)$")
SH_TIMEOUT = 900
EXPECT_TIMEOUT = 240


def blocks():
    for doc in sorted((TOP / "docs").glob("*.md")):
        text = doc.read_text()
        for m in FENCE.finditer(text):
            lang, kind, body = m.groups()
            line = text.count("\n", 0, m.start()) + 1
            marks = [pytest.mark.slow] if kind != "test" else []
            yield pytest.param(lang, kind, body, id=f"{doc.name}:{line}-{lang}-{kind}", marks=marks)


def test_there_are_runnable_blocks_of_every_kind():
    kinds = {(p.values[0], p.values[1]) for p in blocks()}
    assert {("sh", "test"), ("sh", "test-slow"), ("sh", "test-build"),
            ("console", "test"), ("console", "test-build")} <= kinds


@pytest.fixture
def block_env(request, tmp_path):
    """The variables of the module docstring; for `-build` blocks, OUT is the
    x86_64 test build and its .config is restored afterwards."""
    kind = request.node.callspec.params["kind"]
    work = tmp_path / "work"
    work.mkdir()
    env = dict(os.environ, WORK=str(work), MIRROR=str(MIRROR), TR_DL_DIR=str(DL_DIR))
    if kind != "test-build":
        env["OUT"] = str(tmp_path / "out")
        yield env
        return
    out, _, _ = request.getfixturevalue("board_builds")("qemu_x86_64")
    # a built tree, whatever earlier tests left pending
    make(out, timeout=BUILD_TIMEOUT)
    saved = tmp_path / "saved.config"
    shutil.copy(out / ".config", saved)
    env["OUT"] = str(out)
    try:
        yield env
    finally:
        if saved.read_bytes() != (out / ".config").read_bytes():
            # a new time stamp, so that make takes the configuration up again
            shutil.copy(saved, out / ".config")
            make(out, timeout=BUILD_TIMEOUT)


def expected(line):
    """An output line as a pattern: literal text, `...` matching anything."""
    return ".*?".join(re.escape(part) for part in line.split("..."))


def run_transcript(body, env):
    log = io.StringIO()
    child = None
    command = None

    def finish():
        # every `$` command must succeed: one that is meant to fail shows
        # its status itself (`cmd; echo "exit $?"`, then an `exit N` line)
        child.expect(pexpect.EOF, timeout=EXPECT_TIMEOUT)
        child.close()
        if child.exitstatus != 0:
            raise AssertionError(f"`{command}` exited with status {child.exitstatus} "
                                 f"(signal {child.signalstatus})\n--- seen\n{log.getvalue()[-3000:]}")

    try:
        for line in body.splitlines():
            if line.startswith("$ "):
                if child:
                    finish()
                command = line[2:]
                log.write(f"\n[host] {line}\n")
                child = pexpect.spawn("bash", ["-c", line[2:]], cwd=str(TOP), env=env,
                                      encoding="utf-8", codec_errors="replace",
                                      timeout=EXPECT_TIMEOUT, dimensions=(24, 200))
                child.logfile_read = log
            elif line.strip() == "..." or not line.strip():
                continue
            elif PROMPT_LINE.match(line):
                prompt, cmd = PROMPT_LINE.match(line).groups()
                child.expect(re.escape(prompt))
                child.sendline(cmd)
                if cmd:
                    child.expect(re.escape(cmd))  # the echo, so output is matched after it
            else:
                child.expect(expected(line))
        if child:
            finish()
    except (pexpect.TIMEOUT, pexpect.EOF) as e:
        raise AssertionError(f"transcript stopped at: {line!r}\n--- seen\n{log.getvalue()[-3000:]}") from e
    finally:
        if child:
            child.close(force=True)


@pytest.mark.parametrize("lang,kind,body", blocks())
def test_manual_block(lang, kind, body, block_env):
    if kind == "test-build":
        # the x86_64 test build is the suite's configuration of the board
        # (its disk variant when TR_TEST_DISK_BOARDS names it): the board's
        # defconfig a block names is that one, not a switch of the shared
        # folder to another kernel configuration and back (two kernel builds)
        body = body.replace("qemu_x86_64_defconfig", suite_defconfig("qemu_x86_64"))
    if lang == "console":
        run_transcript(body, block_env)
        return
    # under bash -e, `! cmd` fails the block only as its last command: an
    # explicit check (if cmd; then false; fi) is needed anywhere else
    lines = [l for l in body.splitlines() if l.strip() and not l.lstrip().startswith("#")]
    negated = [l for l in lines[:-1] if re.match(r"\s*!\s", l)]
    assert not negated, f"`! cmd` before the block's last line checks nothing: {negated}"
    # -x: the trace on stderr names the command that failed, with its output
    r = subprocess.run(["bash", "-x", "-euo", "pipefail", "-c", body], cwd=TOP, env=block_env,
                       capture_output=True, text=True, timeout=SH_TIMEOUT)
    assert r.returncode == 0, f"{body}\n--- stdout\n{r.stdout[-3000:]}\n--- stderr\n{r.stderr[-3000:]}"

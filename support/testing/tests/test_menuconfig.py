"""menuconfig driven in a real terminal: tmux runs it, send-keys types,
capture-pane reads the screen. After each session the saved .config is
compared byte for byte with what `kconfig set` writes for the same
assignments."""
import os
import shutil
import subprocess
import time

import pytest

from conftest import TOP

TREE = """\
mainmenu "Test tree"

config FOO
	bool "Enable foo"

menu "Sub"

config COUNT
	int "Count"
	range 1 10
	default 3

config BAR
	bool "Bar"

config OTHER
	bool "Other"

config NEEDS_BAR
	bool "Needs bar"
	depends on BAR
	help
	  Only with bar.

endmenu

choice
	prompt "Flavour"
	default VANILLA

config VANILLA
	bool "vanilla"

config CHOCOLATE
	bool "chocolate"

endchoice

config HIDDEN_GEM
	bool "Hidden gem"
	depends on NEVER_SET

config NEVER_SET
	bool
"""


class Term:
    """A tmux server of its own (-L), one window running `cmd`."""

    def __init__(self, tmp, cmd, cwd, env, width=100, height=30):
        self.sock = f"tr-mc-{os.getpid()}-{time.monotonic_ns()}"
        self.rc = tmp / "rc"
        self.err = tmp / "stderr"
        full = f"{cmd} 2>{self.err}; echo $? > {self.rc}; sleep 600"
        envs = [f"{k}={v}" for k, v in env.items()]
        subprocess.run(["tmux", "-L", self.sock, "-f", "/dev/null", "new-session", "-d",
                        "-x", str(width), "-y", str(height), "-c", str(cwd),
                        "env", *envs, "sh", "-c", full], check=True, timeout=10)

    def keys(self, *keys):
        for k in keys:
            subprocess.run(["tmux", "-L", self.sock, "send-keys", k], check=True, timeout=10)
            time.sleep(0.05)

    def text(self, s):
        subprocess.run(["tmux", "-L", self.sock, "send-keys", "-l", s], check=True, timeout=10)

    def screen(self):
        return subprocess.run(["tmux", "-L", self.sock, "capture-pane", "-p"], check=True,
                              capture_output=True, text=True, timeout=10).stdout

    def wait(self, needle, timeout=10, gone=False):
        """Poll the screen until `needle` shows (or is gone), bounded."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            s = self.screen()
            if (needle in s) != gone:
                return s
            time.sleep(0.1)
        raise AssertionError(f"{'still' if gone else 'never'} saw {needle!r} on:\n{self.screen()}")

    def resize(self, width, height):
        subprocess.run(["tmux", "-L", self.sock, "resize-window", "-x", str(width), "-y",
                        str(height)], check=True, timeout=10)

    def finished(self, timeout=10):
        """Wait for the program to exit; its exit status and stderr."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not (self.rc.exists() and self.rc.read_text()):
            time.sleep(0.1)
        assert self.rc.exists(), f"menuconfig did not exit:\n{self.screen()}"
        return int(self.rc.read_text()), self.err.read_text()

    def close(self):
        subprocess.run(["tmux", "-L", self.sock, "kill-server"], capture_output=True, timeout=10)


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "Kconfig").write_text(TREE)
    return tmp_path


@pytest.fixture
def term(tools, tree):
    """Start menuconfig on the test tree; yields a function that opens it."""
    opened = []

    def start(width=100, height=30, **extra):
        env = {"KCONFIG_CONFIG": str(tree / ".config"), "CONFIG_": "CONFIG_",
               "ASAN_OPTIONS": os.environ.get("ASAN_OPTIONS", ""), **extra}
        t = Term(tree, f"{tools['menuconfig']} Kconfig", tree, env, width, height)
        opened.append(t)
        t.wait("Main menu")
        return t
    yield start
    for t in opened:
        t.close()


def expected(tools, tree, *assignments):
    """What `kconfig set` writes for the assignments, from no .config."""
    out = tree / "expected.config"
    out.unlink(missing_ok=True)
    r = subprocess.run([str(tools["kconfig"]), "set", "Kconfig", *assignments], cwd=tree,
                       env=dict(os.environ, KCONFIG_CONFIG=str(out)), capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return out.read_text()


def quit_saving(t):
    t.keys("q")
    t.wait("Save the configuration")
    t.keys("y")
    rc, err = t.finished()
    assert rc == 0, err


def test_navigation_toggle_choice_and_save(term, tools, tree):
    t = term()
    s = t.screen()
    assert "Sub  --->" in s and "Flavour (vanilla)  --->" in s
    assert "Hidden gem" not in s
    # into the submenu and back, with Esc Esc and with Left
    t.keys("Down", "Enter")
    t.wait("Main menu > Sub")
    assert "(3) Count" in t.screen()
    t.keys("Escape", "Escape")
    t.wait("Main menu > Sub", gone=True)
    t.keys("Enter")
    t.wait("Main menu > Sub")
    t.keys("Left")
    t.wait("Main menu > Sub", gone=True)
    # toggle a bool
    t.keys("Home", "Space")
    t.wait("[*] Enable foo")
    # pick a choice member: the radio list, then back
    t.keys("End", "Enter")
    t.wait("(X) vanilla")
    t.keys("Down", "Enter")
    t.wait("Flavour (chocolate)  --->")
    # save under the default name, then quit without a question
    t.keys("s")
    t.wait("Save configuration")
    t.keys("Enter")
    t.wait("Configuration written to")
    t.keys("q")
    rc, err = t.finished()
    assert rc == 0, err
    assert (tree / ".config").read_text() == expected(tools, tree, "FOO=y", "CHOCOLATE=y")


def test_int_out_of_range_is_refused(term, tools, tree):
    t = term()
    t.keys("Down", "Enter")
    t.wait("Main menu > Sub")
    t.keys("Enter")
    t.wait("int, range 1 to 10")
    t.keys("C-u")
    t.text("42")
    t.keys("Enter")
    t.wait("Out of range: allowed 1 to 10")
    t.keys("C-u")
    t.text("abc")
    t.keys("Enter")
    t.wait("Not a decimal number")
    t.keys("C-u")
    t.text("7")
    t.keys("Enter")
    t.wait("(7) Count")
    quit_saving(t)
    assert (tree / ".config").read_text() == expected(tools, tree, "COUNT=7")


def test_search_jump_help_unmet_dependency_and_show_all(term, tools, tree):
    t = term()
    # show-all reveals the invisible entry, and hides it again
    t.keys("z")
    t.wait("Hidden gem")
    t.keys("z")
    t.wait("Hidden gem", gone=True)
    # search for an entry that sits in a submenu and is not visible yet
    t.keys("/")
    t.wait("Search")
    t.text("needs_b")
    t.keys("Enter")
    s = t.wait("Search results")
    assert "NEEDS_BAR: Needs bar" in s and "Main menu > Sub" in s
    t.keys("Enter")
    s = t.wait("Main menu > Sub")
    assert "show-all is on" in s and "Needs bar" in s
    # its help names the unmet dependency, which is a jump target
    t.keys("?")
    s = t.wait("Why it cannot be enabled now")
    assert "BAR is n: you can enable it" in s
    assert "Depends on: CONFIG_BAR [=n]" in s
    assert "(1) CONFIG_BAR: Bar" in s
    t.keys("1")
    t.wait("CONFIG_BAR (bool) = n")
    t.keys("y")
    t.wait("[*] Bar")
    # a regular expression finds it too
    t.keys("/")
    t.wait("Search")
    t.keys("C-u")
    t.text("^oth.r$")
    t.keys("Enter")
    t.wait("OTHER: Other")
    t.keys("Escape", "Escape")
    quit_saving(t)
    assert (tree / ".config").read_text() == expected(tools, tree, "BAR=y")


def test_quit_with_unsaved_changes_asks(term, tools, tree):
    t = term(MENUCONFIG_COLOR="mono", TERM="vt100")
    t.keys("Space")
    t.wait("[*] Enable foo")
    # Ctrl-C asks too; cancel keeps the edit
    t.keys("C-c")
    t.wait("Save the configuration")
    t.keys("c")
    t.wait("Save the configuration", gone=True)
    assert "[*] Enable foo" in t.screen()
    t.keys("q")
    t.wait("Save the configuration")
    t.keys("n")
    rc, err = t.finished()
    assert rc == 0, err
    assert not (tree / ".config").exists()


def test_resize_keeps_edits(term, tools, tree):
    t = term(width=120, height=40)
    t.keys("Space")
    t.wait("[*] Enable foo")
    t.resize(80, 24)
    time.sleep(0.3)
    s = t.wait("[*] Enable foo")
    assert max(len(l) for l in s.splitlines()) <= 80
    t.resize(60, 10)
    t.wait("Terminal too small")
    t.resize(100, 30)
    t.wait("[*] Enable foo")
    quit_saving(t)
    assert (tree / ".config").read_text() == expected(tools, tree, "FOO=y")


def test_save_to_another_file_and_open_it(term, tools, tree):
    t = term()
    t.keys("Space", "s")
    t.wait("Save configuration")
    t.keys("C-u")
    t.text(str(tree / "other.config"))
    t.keys("Enter")
    t.wait("Configuration written to")
    # undo in the menu, then load the saved file back
    t.keys("Space")
    t.wait("[ ] Enable foo")
    t.keys("o")
    t.wait("Load configuration")
    t.keys("C-u")
    t.text(str(tree / "other.config"))
    t.keys("Enter")
    t.wait("[*] Enable foo")
    quit_saving(t)
    want = expected(tools, tree, "FOO=y")
    assert (tree / "other.config").read_text() == want
    assert (tree / ".config").read_text() == want


def test_make_menuconfig_on_the_project_tree(tmp_path):
    out = tmp_path / "o"
    subprocess.run(["make", f"O={out}", "qemu_x86_64_defconfig"], cwd=TOP, check=True,
                   capture_output=True, timeout=300)
    shutil.copy(out / ".config", tmp_path / "start.config")
    t = Term(tmp_path, f"make -s O={out} menuconfig", TOP, {}, 100, 30)
    try:
        t.wait("Main menu", timeout=120)
        t.keys("/")
        t.wait("Search")
        t.text("TR_TARGET_GENERIC_HOSTNAME")
        t.keys("Enter")
        t.wait("Search results")
        t.keys("Enter")
        t.wait("Search results", gone=True)
        assert "Main menu > System configuration" in t.screen()
        t.keys("Enter")
        t.wait("Enter accepts, Esc cancels")
        t.keys("C-u")
        t.text("mybox")
        t.keys("Enter")
        t.wait("(mybox) System hostname")
        quit_saving(t)
    finally:
        t.close()
    want = tmp_path / "want.config"
    shutil.copy(tmp_path / "start.config", want)
    r = subprocess.run([str(out / "host/bin/kconfig"), "set", "Config.in",
                        "TR_TARGET_GENERIC_HOSTNAME=mybox"], cwd=TOP,
                       env=dict(os.environ, KCONFIG_CONFIG=str(want), CONFIG_="",
                                TR_EXTERNAL_KCONFIG=str(out / ".tr-external.d")),
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert (out / ".config").read_text() == want.read_text()

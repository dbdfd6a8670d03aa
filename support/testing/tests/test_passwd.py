"""The root password: read from .config by support/scripts/root-passwd-hash
(never through make or a command line), hashed with SHA-512 crypt and a
salt derived from the image's identity; images/.config carries the hash."""
import crypt
import os
import subprocess

from conftest import TOP

SCRIPT = TOP / "support/scripts/root-passwd-hash"
SYMBOL = "TR_TARGET_GENERIC_ROOT_PASSWD"
# as Kconfig writes it: between double quotes, `"` and `\` escaped
TRICKY = "s3$(shell false)'\"\\x $HOME"


def kconfig_string(value):
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def hash_of(tmp_path, value, identity="TR_TARGET_GENERIC_HOSTNAME=\"a\"\n", user="root"):
    config = tmp_path / "config"
    config.write_text(f"TR_X=y\n{SYMBOL}={kconfig_string(value)}\n")
    ident = tmp_path / "identity"
    ident.write_text(f"{SYMBOL}={kconfig_string(value)}\n{identity}")
    r = subprocess.run([str(SCRIPT), str(config), SYMBOL, user, str(ident)],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    return r.stdout.strip()


def test_password_reaches_the_hash_as_typed(tmp_path):
    h = hash_of(tmp_path, TRICKY)
    assert h.startswith("$6$") and crypt.crypt(TRICKY, h) == h
    assert crypt.crypt(TRICKY[:-1], h) != h


def test_salt_follows_the_image_identity_and_the_user(tmp_path):
    a = hash_of(tmp_path, "pw")
    assert hash_of(tmp_path, "pw") == a  # reproducible
    assert hash_of(tmp_path, "pw", identity="TR_TARGET_GENERIC_HOSTNAME=\"b\"\n") != a
    assert hash_of(tmp_path, "pw", user="admin") != a
    assert a.split("$")[2] != "tinyroot"


def test_hashed_and_empty_values(tmp_path):
    given = "$6$abc$" + "x" * 86
    assert hash_of(tmp_path, given) == given
    for prefix in ("$1$", "$5$", "$y$"):
        assert hash_of(tmp_path, prefix + "salt$hash") == prefix + "salt$hash"
    assert hash_of(tmp_path, "") == ""
    config = tmp_path / "unset"
    config.write_text(f"# {SYMBOL} is not set\n")
    r = subprocess.run([str(SCRIPT), str(config), SYMBOL, "root", str(config)],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 0 and r.stdout == ""


def test_images_config_carries_the_hash_not_the_password(tmp_path):
    out = tmp_path / "o"
    env = dict(os.environ, KCONFIG_CONFIG=str(out / ".config"), CONFIG_="",
               TR_EXTERNAL_KCONFIG=str(out / ".tr-external.d"))
    r = subprocess.run(["make", f"O={out}", "qemu_x86_64_defconfig"], cwd=TOP,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    r = subprocess.run([str(out / "host/bin/kconfig"), "set", "Config.in",
                        f"{SYMBOL}={TRICKY}"], cwd=TOP, env=env, capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    r = subprocess.run(["make", f"O={out}", f"{out}/images/.config"], cwd=TOP,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    copy = (out / "images/.config").read_text()
    assert "s3$(shell" not in copy
    line = [l for l in copy.splitlines() if l.startswith(SYMBOL + "=")][0]
    h = line.split("=", 1)[1].strip('"')
    assert crypt.crypt(TRICKY, h) == h
    # the rest of the configuration is the same
    original = (out / ".config").read_text().splitlines()
    assert [l for l in copy.splitlines() if not l.startswith(SYMBOL)] == \
        [l for l in original if not l.startswith(SYMBOL)]
    # the copy, used as a configuration, gives the same hash
    (out / ".config").write_text(copy)
    r = subprocess.run(["make", f"O={out}", f"{out}/images/.config"], cwd=TOP,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert (out / "images/.config").read_text() == copy

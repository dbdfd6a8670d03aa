"""SBOM and vulnerability check: support/scripts/sbom on recipe facts written
here (fast), support/scripts/cve-check on its output and on a feed of real
advisories written as OSV records, and `make sbom` / `make cve-check` on the
suite's qemu_x86_64 build (slow). The SBOMs of the real packages' images are
checked in test_packages.py; that two builds give the same SBOM bytes in
test_cache.py."""
import gzip
import hashlib
import json
import lzma
import os
import pathlib
import re
import shutil
import subprocess
import tempfile
import textwrap

import pytest

from conftest import (DL_DIR, TOP, make, validate_cyclonedx, validate_licenses,
                      validate_spdx)

SBOM = TOP / "support/scripts/sbom"
CVE_CHECK = TOP / "support/scripts/cve-check"

# Real advisories for the BusyBox and musl releases tinyroot builds, with
# NVD's CVSS v3.1 vectors and the affected versions NVD gives, as OSV records.
FEED = {
    "busybox/CVE-2022-28391.json": {  # fixed in tinyroot by a patch
        "id": "CVE-2022-28391",
        "summary": "BusyBox netstat and nslookup print a DNS PTR record's escape sequences",
        "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
        "affected": [{"package": {"name": "busybox", "purl": "pkg:generic/busybox"},
                      "ranges": [{"type": "ECOSYSTEM",
                                  "events": [{"introduced": "0"}, {"last_affected": "1.35.0"}]}]}]},
    "busybox/CVE-2022-30065.json": {  # affects 1.35.0 only, not fixed
        "id": "CVE-2022-30065",
        "summary": "BusyBox awk: use after free in copyvar",
        "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H"}],
        "affected": [{"package": {"name": "busybox", "purl": "pkg:generic/busybox"},
                      "versions": ["1.35.0"]}]},
    "busybox/CVE-2021-42386.json": {  # fixed upstream before 1.35.0: not reported
        "id": "CVE-2021-42386",
        "summary": "BusyBox awk: use after free in nvalloc",
        "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H"}],
        "affected": [{"package": {"name": "busybox", "purl": "pkg:generic/busybox"},
                      "ranges": [{"type": "SEMVER",
                                  "events": [{"introduced": "1.16.0"}, {"fixed": "1.34.0"}]}]}]},
    "musl/CVE-2025-26519.json": {  # matched by CPE, affects 0.9.13 to 1.2.5
        "id": "CVE-2025-26519",
        "summary": "musl iconv: out-of-bounds write converting EUC-KR to UTF-8",
        "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
        "affected": [{"package": {"name": "musl"},
                      "database_specific": {"cpe": "cpe:2.3:a:musl-libc:musl:*:*:*:*:*:*:*:*"},
                      "ranges": [{"type": "ECOSYSTEM",
                                  "events": [{"introduced": "0.9.13"}, {"last_affected": "1.2.5"}]}]}]},
    "musl/CVE-2020-28928.json": {  # fixed in 1.2.2: not reported
        "id": "CVE-2020-28928",
        "summary": "musl wcsnrtombs: buffer overflow",
        "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:H"}],
        "affected": [{"package": {"name": "musl"},
                      "database_specific": {"cpe": "cpe:2.3:a:musl-libc:musl:*:*:*:*:*:*:*:*"},
                      "ranges": [{"type": "ECOSYSTEM",
                                  "events": [{"introduced": "0"}, {"fixed": "1.2.2"}]}]}]},
}
# what cve-check reports for BusyBox 1.35.0 (with the CVE-2022-28391 patch)
# and musl 1.2.3: id, package, version, status, severity (NVD's scores:
# 9.8, 7.8, 8.1)
EXPECTED = [
    ["CVE-2022-28391", "busybox", "1.35.0", "fixed", "critical"],
    ["CVE-2022-30065", "busybox", "1.35.0", "affected", "high"],
    ["CVE-2025-26519", "musl", "1.2.3", "affected", "high"],
]


def write_feed(d, records):
    """The OSV records {path: record} as files of a feed folder `d`."""
    for name, record in records.items():
        (d / name).parent.mkdir(parents=True, exist_ok=True)
        (d / name).write_text(json.dumps({"schema_version": "1.6.0",
                                          "modified": "2025-03-01T00:00:00Z", **record}))
    return d


@pytest.fixture(scope="module")
def feed(tmp_path_factory):
    return write_feed(tmp_path_factory.mktemp("feed"), FEED)


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def sha512(data):
    return hashlib.sha512(data).hexdigest()


@pytest.fixture(scope="session")
def static_program(tmp_path_factory):
    """A statically linked x86-64 program (the host's gcc -static) and a
    dynamically linked one: real ELF files for the image."""
    d = tmp_path_factory.mktemp("elf")
    (d / "main.c").write_text("int main(void) { return 0; }\n")
    for name, flags in (("static", ["-static"]), ("dynamic", [])):
        subprocess.run(["gcc", *flags, "-o", str(d / name), str(d / "main.c")], check=True, timeout=120)
    return d


def pack_cpio(tree, image):
    """rootfs.cpio.gz of `tree` by GNU cpio (newc, owner root), as the image
    tests read back."""
    names = subprocess.run(["find", ".", "-mindepth", "1"], cwd=tree, capture_output=True,
                           check=True, timeout=60).stdout
    data = subprocess.run(["cpio", "-o", "-H", "newc", "--quiet", "-R", "0:0"], cwd=tree,
                          input=b"\n".join(sorted(names.split())) + b"\n", capture_output=True,
                          check=True, timeout=60).stdout
    image.write_bytes(gzip.compress(data, mtime=0))


# The fake packages: name, version, what the install step put in its target
# and staging trees, dependencies. busybox's program is linked statically:
# the image holds musl (libc.a) and nothing of it is installed. fooapp's
# program is static too and holds libfoo (its .a). docs-only installs only
# what target-finalize removes, notarget nothing (_INSTALL_TARGET = NO),
# headers only headers: none of those three is in the image.
FAKE = {
    "busybox": ("1.35.0", {"/bin/busybox": "static", "/bin/sh": "->busybox"}, {}, "musl"),
    "musl": ("1.2.3", {}, {"/usr/lib/libc.a": "!<arch>\n", "/usr/include/stdio.h": "int;\n"}, ""),
}
FAKE_EXTRA = {
    "libfoo": ("1.0", {}, {"/usr/lib/libfoo.a": "!<arch>\n", "/usr/include/foo.h": "int;\n"}, "musl"),
    "fooapp": ("2.0", {"/usr/bin/fooapp": "static", "/etc/fooapp.conf": "x=1\n"}, {}, "libfoo"),
    "docs-only": ("3.0", {"/usr/share/doc/docs-only/README": "read me\n"}, {}, "musl"),
    "notarget": ("4.0", {}, {}, "musl"),
    "headers": ("6.1", {}, {"/usr/include/linux/types.h": "int;\n"}, ""),
    "dynapp": ("5.0", {"/usr/bin/dynapp": "dynamic"}, {}, "musl"),
}


def fake_packages(root, ignore="CVE-2022-28391", cpe_busybox=True, extra=False, elf=None,
                  patch_text=None):
    """Recipe facts as package/pkg-info.mk writes them, and what a build
    leaves: sources, hash files, a patch, each package's installed files and
    their lists (package/pkg-generic.mk), the image: rootfs.cpio.gz packed
    by GNU cpio from the packages' target trees and a skeleton, bzImage and
    an SDK tarball."""
    out = root / "out"
    lines = []
    rootfs = root / "rootfs"
    (rootfs / "etc").mkdir(parents=True, exist_ok=True)
    (rootfs / "etc/passwd").write_text("root:x:0:0:root:/root:/bin/sh\n")
    (rootfs / "etc/shadow").write_text("root:*:19723:0:99999:7:::\n")
    (rootfs / "etc/shadow").chmod(0o600)
    packages = {**FAKE, **(FAKE_EXTRA if extra else {})}
    for name, (version, target, staging, deps) in packages.items():
        build = out / "build" / name
        src = build / "src"
        src.mkdir(parents=True, exist_ok=True)
        (src / "COPYING").write_text(f"{name} license text\n")
        for tree, files in (("target", target), ("staging", staging)):
            for path, content in files.items():
                f = build / tree / path.lstrip("/")
                f.parent.mkdir(parents=True, exist_ok=True)
                if content.startswith("->"):
                    f.symlink_to(content[2:])
                elif content in ("static", "dynamic"):
                    f.write_bytes((elf / content).read_bytes())
                    f.chmod(0o755)
                else:
                    f.write_text(content)
            (build / f"{tree}-files.txt").write_text("".join(f"{p}\n" for p in sorted(files)))
        dl = root / "dl" / name
        dl.mkdir(parents=True, exist_ok=True)
        tarball = f"{name}-{version}.tar.gz"
        (dl / tarball).write_bytes(f"{name} source".encode())
        (dl / f".{tarball}.origin").write_text(f"http://127.0.0.1:8000/{tarball}\n")
        pkgdir = root / "package" / name
        pkgdir.mkdir(parents=True, exist_ok=True)
        (pkgdir / f"{name}.hash").write_text(
            f"# computed here\nsha256  {sha256((dl / tarball).read_bytes())}  {tarball}\n"
            f"sha256  {sha256((src / 'COPYING').read_bytes())}  COPYING\n")
        patches = ""
        if name == "busybox":
            patch = pkgdir / "0001-libbb-printable-host-names.patch"
            patch.write_text(patch_text or (
                "libbb: print only printable host names\n\n"
                "Not the fix of CVE-2099-0002, which this text only mentions.\n\n"
                "CVE: CVE-2022-28391\n\n--- a/libbb/xconnect.c\n+++ b/libbb/xconnect.c\n"))
            patches = str(patch)
        facts = {"version": version, "sbom_version": version, "kind": "target",
                 "license": "GPL-2.0-only" if name == "busybox" else "MIT",
                 "license_files": "COPYING", "source": tarball,
                 "url": f"https://example.org/{tarball}", "dl_dir": str(dl), "src_dir": str(src),
                 "hash_files": str(pkgdir / f"{name}.hash"), "dependencies": deps,
                 "category": "Target packages", "supplier": f"{name} project",
                 "cpe": "" if name == "busybox" and not cpe_busybox else
                 f"cpe:2.3:a:{'musl-libc' if name == 'musl' else name}:{name}:{version}:*:*:*:*:*:*:*",
                 "purl": "", "patches": patches,
                 "ignore_cves": ignore if name == "busybox" else "",
                 "source_package": "", "install": "staging target",
                 "license_concluded": "MIT" if name == "musl" else "",
                 "target_files": str(build / "target-files.txt"),
                 "staging_files": str(build / "staging-files.txt"), "kconfig": ""}
        lines += [f"{name}\t{k}\t{v}" for k, v in facts.items()]
        if (build / "target").is_dir():
            subprocess.run(["cp", "-a", f"{build / 'target'}/.", f"{rootfs}/"], check=True, timeout=60)
    # target-finalize: documentation does not go into the image
    subprocess.run(["rm", "-rf", str(rootfs / "usr/share/doc")], check=True, timeout=60)
    info = out / "build/pkg-info.tsv"
    info.write_text("\n".join(lines) + "\n")
    images = out / "images"
    images.mkdir(parents=True, exist_ok=True)
    (images / "bzImage").write_bytes(b"kernel")
    pack_cpio(rootfs, images / "rootfs.cpio.gz")
    (images / SDK).write_bytes(gzip.compress(b"the sdk", mtime=0))
    return info


SDK = "x86_64-tinyroot-linux-musl_sdk-tinyroot.tar.gz"


def run_sbom(root, env=None, *extra):
    out = root / "out"
    return subprocess.run(
        [str(SBOM), "--info", str(out / "build/pkg-info.tsv"), "--images", str(out / "images"),
         "--name", "testboard", "--arch", "x86_64", "--tool", "make", "--tool", "gcc",
         "--rootfs", str(out / "images/rootfs.cpio.gz"), "--sdk", SDK,
         "--top", str(root), "--spdx", str(out / "images/sbom.spdx.json"),
         "--cyclonedx", str(out / "images/sbom.cdx.json"), *extra],
        capture_output=True, text=True, timeout=120,
        env={"PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": "1704067200", **(env or {})})


def test_sbom_documents_validate_and_say_what_the_recipes_say(tmp_path, static_program):
    fake_packages(tmp_path, elf=static_program)
    r = run_sbom(tmp_path)
    assert r.returncode == 0, r.stderr
    spdx_path, cdx_path = tmp_path / "out/images/sbom.spdx.json", tmp_path / "out/images/sbom.cdx.json"
    validate_spdx(spdx_path)
    validate_cyclonedx(cdx_path)
    cdx = json.loads(cdx_path.read_text())
    assert cdx["metadata"]["timestamp"] == "2024-01-01T00:00:00Z"
    comps = {c["name"]: c for c in cdx["components"]}
    bb = comps["busybox"]
    assert bb["version"] == "1.35.0" and "GPL-2.0-only" in json.dumps(bb["licenses"])
    assert {"alg": "SHA-256", "content": sha256(b"busybox source")} in bb["hashes"]
    assert bb["cpe"].startswith("cpe:2.3:a:busybox:busybox:1.35.0")
    assert bb["purl"] == ("pkg:generic/busybox@1.35.0?download_url="
                          "https://example.org/busybox-1.35.0.tar.gz")
    assert {e["type"]: e["url"] for e in bb["externalReferences"]} == {
        "source-distribution": "https://example.org/busybox-1.35.0.tar.gz",
        "distribution-intake": "http://127.0.0.1:8000/busybox-1.35.0.tar.gz"}
    patch = bb["pedigree"]["patches"][0]
    assert [x["id"] for x in patch["resolves"]] == ["CVE-2022-28391"]
    assert patch["diff"]["url"] == "./package/busybox/0001-libbb-printable-host-names.patch"
    assert {"alg": "SHA-256", "content": sha256(b"kernel")} in comps["images/bzImage"]["hashes"]
    assert "pkg:musl" in [d for d in cdx["dependencies"] if d["ref"] == "pkg:busybox"][0]["dependsOn"]
    tools = {t["name"]: t for t in cdx["formulation"][0]["components"]}
    assert "make" in tools and tools["make"]["purl"].startswith("pkg:deb/debian/make@")
    spdx = json.loads(spdx_path.read_text())
    pkgs = {p["name"]: p for p in spdx["packages"]}
    assert pkgs["musl"]["checksums"] == [{"algorithm": "SHA256", "checksumValue": sha256(b"musl source")},
                                         {"algorithm": "SHA512", "checksumValue": sha512(b"musl source")}]
    assert pkgs["musl"]["licenseDeclared"] == "MIT" and pkgs["musl"]["licenseConcluded"] == "MIT"
    # no _LICENSE_CONCLUDED: its _LICENSE, concluded from the license file
    # the .hash file pins
    assert pkgs["busybox"]["licenseConcluded"] == "GPL-2.0-only"
    assert pkgs["busybox"]["supplier"] == "Organization: busybox project"
    rels = {(r["spdxElementId"], r["relationshipType"], r["relatedSpdxElement"])
            for r in spdx["relationships"]}
    assert ("SPDXRef-Image-testboard", "CONTAINS", "SPDXRef-Package-busybox") in rels
    assert ("SPDXRef-Package-busybox", "DEPENDS_ON", "SPDXRef-Package-musl") in rels
    assert ("SPDXRef-File-busybox-patch-0001-libbb-printable-host-names.patch", "PATCH_APPLIED",
            "SPDXRef-Package-busybox") in rels
    lic = [f for f in spdx["files"] if f["fileName"] == "./musl/COPYING"][0]
    assert {"algorithm": "SHA256", "checksumValue": sha256(b"musl license text\n")} in lic["checksums"]
    validate_licenses([p["licenseDeclared"] for p in spdx["packages"]
                       if p["licenseDeclared"] != "NOASSERTION"])
    # the same facts give the same bytes
    before = spdx_path.read_bytes(), cdx_path.read_bytes()
    assert run_sbom(tmp_path).returncode == 0
    assert (spdx_path.read_bytes(), cdx_path.read_bytes()) == before


@pytest.mark.parametrize("case, message", [
    ("ignore", "busybox: CVE-2099-0001 is in its _IGNORE_CVES but no patch it applies names it "
               "on a 'CVE: CVE-2099-0001' line and BUSYBOX_IGNORE_CVES_REASON_CVE-2099-0001 gives "
               "no reason"),
    ("prose", "busybox: CVE-2099-0002 is in its _IGNORE_CVES but no patch"),
    ("cveline", "0001-libbb-printable-host-names.patch:3: a 'CVE:' line holds CVE ids only"),
    ("cpe", "busybox: its recipe gives no CPE"),
    ("license", "busybox: license file COPYING has sha256"),
])
def test_sbom_errors_name_the_package_and_write_nothing(tmp_path, static_program, case, message):
    """An id the recipe ignores needs a reason: a patch's "CVE:" line (an id
    only mentioned in the patch's prose is no claim) or the recipe's
    _IGNORE_CVES_REASON_<id>; a malformed "CVE:" line is an error."""
    fake_packages(tmp_path, elf=static_program,
                  ignore={"ignore": "CVE-2099-0001", "prose": "CVE-2099-0002"}.get(case, "CVE-2022-28391"),
                  cpe_busybox=case != "cpe",
                  patch_text="fix\n\nCVE: see CVE-2022-28391 upstream\n\n--- a/x\n+++ b/x\n"
                  if case == "cveline" else None)
    if case == "license":
        (tmp_path / "out/build/busybox/src/COPYING").write_text("changed\n")
    r = run_sbom(tmp_path)
    assert r.returncode == 1 and message in r.stderr, r.stderr
    assert "Traceback" not in r.stderr
    assert not list((tmp_path / "out/images").glob("sbom*")) and not list(
        (tmp_path / "out/images").glob(".tmp-*"))


@pytest.mark.parametrize("damage", ["truncated", "not-cpio"])
def test_sbom_names_a_damaged_root_filesystem_image(tmp_path, static_program, damage):
    """A root filesystem image cut short or not cpio at all: an error naming
    it, exit 1, no traceback and no documents."""
    fake_packages(tmp_path, elf=static_program)
    image = tmp_path / "out/images/rootfs.cpio.gz"
    raw = gzip.decompress(image.read_bytes())
    image.write_bytes(gzip.compress(raw[:300] if damage == "truncated" else b"x" * 300, mtime=0))
    r = run_sbom(tmp_path)
    assert r.returncode == 1 and f"{image}: " in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert not list((tmp_path / "out/images").glob("sbom*"))


def test_patch_fixes_only_its_cve_lines_and_ignored_ids_carry_their_reason(tmp_path, static_program):
    """Only the patch's "CVE:" line counts as a fix (several ids on one line
    too); an id no patch fixes is ignored with the recipe's reason."""
    fake_packages(tmp_path, elf=static_program, ignore="CVE-2022-28391 CVE-2099-0003",
                  patch_text="fix\n\nAlso about CVE-2099-0002 (not fixed here).\n"
                             "CVE: CVE-2022-28391, CVE-2099-0004\n\n--- a/x\n+++ b/x\n")
    info = tmp_path / "out/build/pkg-info.tsv"
    info.write_text(info.read_text() + "busybox\tignore_cve_reason:CVE-2099-0003\t"
                    "awk is not built (CONFIG_AWK is not set)\n")
    r = run_sbom(tmp_path)
    assert r.returncode == 0, r.stderr
    cdx = json.loads((tmp_path / "out/images/sbom.cdx.json").read_text())
    bb = [c for c in cdx["components"] if c["name"] == "busybox"][0]
    assert sorted(x["id"] for x in bb["pedigree"]["patches"][0]["resolves"]) == \
        ["CVE-2022-28391", "CVE-2099-0004"]
    spdx = json.loads((tmp_path / "out/images/sbom.spdx.json").read_text())
    patch = [f for f in spdx["files"] if f["fileName"].endswith(".patch")][0]
    assert patch["comment"] == "fixes CVE-2022-28391, CVE-2099-0004"
    bb = [p for p in spdx["packages"] if p["name"] == "busybox"][0]
    assert "CVE-2099-0003 (awk is not built (CONFIG_AWK is not set))" in bb["sourceInfo"]
    assert "CVE-2022-28391 (0001-libbb-printable-host-names.patch)" in bb["sourceInfo"]
    assert "CVE-2099-0002" not in json.dumps(spdx) + json.dumps(cdx)


@pytest.mark.parametrize("status,kind", [("Backport [https://example.org/commit/1]", "backport"),
                                          ("Pending", "unofficial"), (None, "backport")])
def test_patch_type_follows_its_upstream_status(tmp_path, static_program, status, kind):
    """CycloneDX's patch type comes from the patch's Upstream-Status line:
    upstream's change (Backport) is a backport, a fix of our own (Pending)
    unofficial; without the line a CVE fix counts as upstream's. Either
    way the patch resolves the CVE on its "CVE:" line."""
    line = f"Upstream-Status: {status}\n" if status else ""
    fake_packages(tmp_path, elf=static_program,
                  patch_text=f"fix\n\nCVE: CVE-2022-28391\n{line}\n--- a/x\n+++ b/x\n")
    r = run_sbom(tmp_path)
    assert r.returncode == 0, r.stderr
    cdx = json.loads((tmp_path / "out/images/sbom.cdx.json").read_text())
    patch = [c for c in cdx["components"] if c["name"] == "busybox"][0]["pedigree"]["patches"][0]
    assert patch["type"] == kind
    assert [x["id"] for x in patch["resolves"]] == ["CVE-2022-28391"]


def test_ignored_cve_is_not_affected_with_the_recipes_reason(tmp_path, static_program):
    """An id the recipe ignores with a reason (no patch) is not_affected,
    with the reason as the report's detail and the VEX documents' impact
    statement, and no justification code or flag; it does not fail
    --fail-on. From either SBOM (the reason holds parentheses and a comma)."""
    from test_cve import rows, validate_csaf
    reason = "awk is not built (CONFIG_AWK is not set), nor its tests"
    fake_packages(tmp_path, elf=static_program, ignore="CVE-2099-0003")
    info = tmp_path / "out/build/pkg-info.tsv"
    info.write_text(info.read_text() + f"busybox\tignore_cve_reason:CVE-2099-0003\t{reason}\n")
    assert run_sbom(tmp_path).returncode == 0
    feed = write_feed(tmp_path / "feed", {"busybox/CVE-2099-0003.json": {
        "id": "CVE-2099-0003", "summary": "BusyBox awk: a made-up flaw",
        "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H"}],
        "affected": [{"package": {"name": "busybox", "purl": "pkg:generic/busybox"},
                      "versions": ["1.35.0"]}]}})
    out = tmp_path / "check"
    out.mkdir()
    for name in ("sbom.spdx.json", "sbom.cdx.json"):  # the VEX documents from CycloneDX's
        vex = ["--vex", str(out / "v.json"), "--csaf", str(out / "c.json")] if "cdx" in name else []
        r = run_check(tmp_path / "out/images" / name, feed, "--report", str(out / "r.txt"),
                      "--fail-on", "low", *vex)
        assert r.returncode == 0, r.stderr
        assert rows(out / "r.txt") == [["CVE-2099-0003", "busybox", "1.35.0", "not_affected", "high",
                                        f"the recipe ignores it: {reason}"]], name
    validate_cyclonedx(out / "v.json")
    validate_csaf(out / "c.json")
    analysis = json.loads((out / "v.json").read_text())["vulnerabilities"][0]["analysis"]
    assert analysis["state"] == "not_affected" and "justification" not in analysis
    assert analysis["detail"].endswith(reason)
    vuln = json.loads((out / "c.json").read_text())["vulnerabilities"][0]
    assert list(vuln["product_status"]) == ["known_not_affected"] and "flags" not in vuln
    assert vuln["threats"][0]["category"] == "impact" and reason in vuln["threats"][0]["details"]


def test_check_package_wants_a_reason_for_each_ignored_cve(tmp_path):
    """check-package: an _IGNORE_CVES id is fixed by a patch's "CVE:" line
    of the package's folder or has <PKG>_IGNORE_CVES_REASON_<id>; an id the
    patch only mentions in its prose is not fixed by it."""
    d = tmp_path / "package/baz"
    d.mkdir(parents=True)
    (d / "baz.mk").write_text(textwrap.dedent("""\
        BAZ_VERSION = 1.0
        BAZ_SOURCE = baz-$(BAZ_VERSION).tar.gz
        BAZ_SITE = https://example.org
        BAZ_LICENSE = MIT
        BAZ_LICENSE_FILES = COPYING
        BAZ_SUPPLIER = baz project
        BAZ_CPE_ID_VENDOR = baz
        BAZ_IGNORE_CVES += CVE-2020-0001 CVE-2020-0002
        BAZ_IGNORE_CVES += CVE-2020-0003 CVE-2020-0004
        BAZ_IGNORE_CVES_REASON_CVE-2020-0003 = the vulnerable code is not built
        """))
    (d / "0001-fix.patch").write_text("fix\n\nThis is not CVE-2020-0002.\nCVE: CVE-2020-0001\n\n"
                                      "--- a/x\n+++ b/x\n")
    (d / "baz.hash").write_text("# locally computed\nsha256  " + "0" * 64 + "  baz-1.0.tar.gz\n"
                                "sha256  " + "1" * 64 + "  COPYING\n")
    r = subprocess.run([str(TOP / "support/scripts/check-package"), str(d)], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 1, r.stderr
    err = r.stderr
    assert f"{d}/baz.mk:8: BAZ_IGNORE_CVES: CVE-2020-0002 has no reason" in err
    assert f"{d}/baz.mk:9: BAZ_IGNORE_CVES: CVE-2020-0004 has no reason" in err
    assert "CVE-2020-0001" not in err and "CVE-2020-0003" not in err
    assert "2 findings" in err


def read_image_back(image, into):
    """{path: (type, mode, uid, gid)} of the cpio image `image` as GNU cpio
    lists it, its files extracted under `into`: the image read back without
    tinyroot's code."""
    raw = image.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    elif raw[:6] == b"\xfd7zXZ\x00":
        raw = lzma.decompress(raw)
    listing = subprocess.run(["cpio", "-itv", "--quiet", "--numeric-uid-gid"], input=raw,
                             capture_output=True, check=True, timeout=120).stdout.decode()
    into.mkdir(parents=True, exist_ok=True)
    subprocess.run(["cpio", "-idm", "--quiet", "--no-absolute-filenames"], input=raw, cwd=into,
                   capture_output=True, check=True, timeout=120)
    entries = {}
    for line in listing.splitlines():
        perms, _links, uid, gid, _size, _mon, _day, _year, name = line.split(None, 8)
        name = name.split(" -> ")[0]
        mode = 0
        for i, c in enumerate(perms[1:10]):
            if c not in "-ST":
                mode |= 1 << (8 - i)
        for i, (c, bit) in enumerate(((perms[3], 0o4000), (perms[6], 0o2000), (perms[9], 0o1000))):
            if c in "sStT":
                mode |= bit
        path = "/" + name.removeprefix("./").lstrip("/")
        entries[path] = (perms[0], mode, int(uid), int(gid))
    return entries


def readelf_static(path):
    """True when readelf says `path` is a program that needs no program
    interpreter (statically linked: EXEC, or a static PIE: DYN with PIE in
    FLAGS_1 and no NEEDED library), else False; None when it is not ELF."""
    r = subprocess.run(["readelf", "-hlW", str(path)], capture_output=True, text=True, timeout=60)
    if r.returncode != 0 or "ELF Header" not in r.stdout:
        return None
    kind = re.search(r"Type:\s+(\w+)", r.stdout).group(1)
    if "INTERP" in r.stdout or kind not in ("EXEC", "DYN"):
        return False
    if kind == "EXEC":
        return True
    dyn = subprocess.run(["readelf", "-dW", str(path)], capture_output=True, text=True,
                         timeout=60).stdout
    return "(NEEDED)" not in dyn and re.search(r"\(FLAGS_1\).*\bPIE\b", dyn) is not None


def sha_of(path, algo="sha512"):
    return hashlib.new(algo, pathlib.Path(path).read_bytes()).hexdigest()


def all_hashes(doc, alg):
    """Every digest of algorithm `alg` anywhere in a CycloneDX document."""
    found = set()

    def walk(x):
        if isinstance(x, dict):
            if x.get("alg") == alg and "content" in x:
                found.add(x["content"])
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
    walk(doc)
    return found


def check_sbom_facts(out, files=True):
    """Compares images/sbom.spdx.json and sbom.cdx.json of the output folder
    `out` with the build read back independently: the root filesystem image
    listed and extracted by GNU cpio (paths, modes, owners, SHA-512 of each
    regular file), readelf for the statically linked programs, each
    package's own target and staging trees (build/<pkg>/target, staging)
    for what it installed, the .hash files and the downloads in DL_DIR for
    the source's SHA-512, the kconfig packages' .config files. A package is
    in the image when a file of its target tree is in the image, when its
    static library (a .a in its staging tree; libc.a for every static
    program) is in a static program there, or when it is the kernel."""
    images = out / "images"
    spdx_path, cdx_path = images / "sbom.spdx.json", images / "sbom.cdx.json"
    validate_spdx(spdx_path)
    validate_cyclonedx(cdx_path)
    spdx = json.loads(spdx_path.read_text())
    cdx = json.loads(cdx_path.read_text())
    info = {}
    for line in (out / "build/pkg-info.tsv").read_text().splitlines():
        if line.strip():
            pkg, field, value = line.split("\t")
            info.setdefault(pkg.strip(), {})[field] = value.strip()
    rootfs = [p for p in images.glob("rootfs.cpio*")][0]
    with tempfile.TemporaryDirectory() as tmp:
        extracted = pathlib.Path(tmp)
        listing = read_image_back(rootfs, extracted)
        regular = {p: e for p, e in listing.items() if e[0] == "-"}
        digests = {p: sha_of(extracted / p.lstrip("/")) for p in regular}
        static = {p for p in regular if readelf_static(extracted / p.lstrip("/"))}
        elf = {p for p in regular if (extracted / p.lstrip("/")).read_bytes()[:4] == b"\x7fELF"}
    by_id = {f["SPDXID"]: f for f in spdx["files"]}
    rels = {(r["spdxElementId"], r["relationshipType"], r["relatedSpdxElement"])
            for r in spdx["relationships"]}
    rootfs_id = [f["SPDXID"] for f in spdx["files"] if f["fileName"] == f"./images/{rootfs.name}"][0]
    in_rootfs = {by_id[b]["fileName"][1:]: by_id[b] for a, t, b in rels
                 if a == rootfs_id and t == "CONTAINS"}
    # 1. every regular file of the image, with its SHA-512, mode and owner
    if files:
        assert set(in_rootfs) == set(regular), set(in_rootfs) ^ set(regular)
        for p, f in in_rootfs.items():
            assert {"algorithm": "SHA512", "checksumValue": digests[p]} in f["checksums"], p
            _, mode, uid, gid = regular[p]
            assert f"mode {mode:04o}, owner {uid}:{gid}," in f["comment"], (p, f["comment"])
            assert ("APPLICATION" in f.get("fileTypes", [])) == (bool(mode & 0o111) or p in elf), p
    else:
        assert not in_rootfs
    # 2. the image files, with their SHA-512; the SDK is not firmware
    listed = {f["fileName"][len("./images/"):]: f for f in spdx["files"]
              if f["fileName"].startswith("./images/")}
    for f in images.iterdir():
        if f.name.startswith(".") or re.match(r"(sbom|cve-|vex)", f.name) or not f.is_file():
            continue
        if "_sdk-" in f.name:
            assert f.name not in listed
            continue
        assert {"algorithm": "SHA512", "checksumValue": sha_of(f)} in listed[f.name]["checksums"]
    # 3. which package is in the image
    owner = {}
    has_archive, libc = set(), set()
    for name, raw in info.items():
        if raw.get("kind") == "host":
            continue
        tree = out / "build" / name / "target"
        for f in (tree.rglob("*") if tree.is_dir() else []):
            if not f.is_dir() and "/" + str(f.relative_to(tree)) in listing:
                owner["/" + str(f.relative_to(tree))] = name
        staging = out / "build" / name / "staging"
        if staging.is_dir() and any(staging.rglob("*.a")):
            has_archive.add(name)
        if (staging / "usr/lib/libc.a").is_file():
            libc.add(name)
    expected = {n for n in owner.values()} | {n for n, r in info.items() if r.get("kind") == "kernel"}
    for p in static:
        expected |= libc
        todo = list(info.get(owner.get(p, ""), {}).get("dependencies", "").split())
        while todo:
            d = todo.pop()
            if d in has_archive and d not in expected:
                expected.add(d)
                todo += info[d].get("dependencies", "").split()
    if static:
        assert libc <= expected and libc, "a static program holds the C library"
    img = spdx["documentDescribes"][0]
    scope = {c["name"]: c.get("scope", "required") for c in cdx["components"]
             if c.get("bom-ref", "").startswith("pkg:")}
    for name in info:
        pid = "SPDXRef-Package-" + re.sub(r"[^A-Za-z0-9.]+", "-", name)
        if name in expected:
            assert (img, "CONTAINS", pid) in rels, f"{name} is in the image"
            assert scope[name] != "excluded", name
        else:
            assert (pid, "BUILD_DEPENDENCY_OF", img) in rels and (img, "CONTAINS", pid) not in rels, \
                f"{name} is not in the image"
            assert scope[name] == "excluded", name
    # 4. the source's SHA-512, from the download its .hash file verifies
    spdx_pkgs = {p["name"]: p for p in spdx["packages"]}
    for name, raw in info.items():
        source = pathlib.Path(raw.get("dl_dir", "")) / raw.get("source", "")
        want = set()
        for h in raw.get("hash_files", "").split():
            if pathlib.Path(h).is_file():
                want |= {l.split()[1] for l in pathlib.Path(h).read_text().splitlines()
                         if l.split()[:1] == ["sha256"] and l.split()[2:] == [raw["source"]]}
        sums = {c["algorithm"]: c["checksumValue"] for c in spdx_pkgs[name].get("checksums", [])}
        if raw.get("source") and source.is_file() and sha_of(source, "sha256") in want:
            assert sums.get("SHA512") == sha_of(source), name
            assert sha_of(source) in all_hashes(cdx, "SHA-512"), f"CycloneDX: {name}'s source"
        else:
            assert "SHA512" not in sums, name
    # 5. the kconfig packages' .config as their build's configuration
    for name, raw in info.items():
        if raw.get("kconfig"):
            f = [f for f in spdx["files"] if {"algorithm": "SHA512",
                                                "checksumValue": sha_of(raw["kconfig"])} in f["checksums"]]
            assert f, f"{name}'s .config"
            assert (f[0]["SPDXID"], "METAFILE_OF", "SPDXRef-Package-" + name) in rels
    # 6. the CycloneDX document carries the same SHA-512s
    found = all_hashes(cdx, "SHA-512")
    if files:
        missing = [p for p in regular if digests[p] not in found]
        assert not missing, f"CycloneDX: no SHA-512 for {missing[:5]}"
    return expected


def test_in_image_is_what_the_image_holds(tmp_path, static_program):
    """In the image: a package whose installed file the root filesystem
    image holds, musl (libc.a) in the static programs, libfoo (its .a) in
    fooapp's static program; not: a package that installed only what
    target-finalize removes, one that installs no target files, a headers
    package. The SDK tarball in images/ is not firmware. Every regular file
    of the image is listed with its SHA-512, mode and owner, and the
    package that installed it."""
    fake_packages(tmp_path, elf=static_program, extra=True)
    r = run_sbom(tmp_path)
    assert r.returncode == 0, r.stderr
    out = tmp_path / "out"
    expected = check_sbom_facts(out)
    assert expected == {"busybox", "musl", "libfoo", "fooapp", "dynapp"}
    spdx = json.loads((out / "images/sbom.spdx.json").read_text())
    rels = {(r["spdxElementId"], r["relationshipType"], r["relatedSpdxElement"]): r
            for r in spdx["relationships"]}
    img = "SPDXRef-Image-testboard"
    assert "linked into programs" in rels[(img, "CONTAINS", "SPDXRef-Package-musl")]["comment"]
    assert "installed" in rels[(img, "CONTAINS", "SPDXRef-Package-busybox")]["comment"]
    assert ("SPDXRef-Package-fooapp", "STATIC_LINK", "SPDXRef-Package-libfoo") in rels
    assert ("SPDXRef-Package-fooapp", "STATIC_LINK", "SPDXRef-Package-musl") in rels
    assert ("SPDXRef-Package-dynapp", "STATIC_LINK", "SPDXRef-Package-musl") not in rels
    files = {f["fileName"]: f for f in spdx["files"]}
    assert files["./bin/busybox"]["fileTypes"] == ["APPLICATION"]
    assert "mode 0600, owner 0:0" in files["./etc/shadow"]["comment"]
    assert "not installed by a package" in files["./etc/shadow"]["comment"]
    assert ("SPDXRef-Package-fooapp", "CONTAINS",
            [f["SPDXID"] for f in spdx["files"] if f["fileName"] == "./usr/bin/fooapp"][0]) in rels
    assert "ARCHIVE" in files["./images/rootfs.cpio.gz"]["fileTypes"]
    assert not [f for f in files if SDK in f]
    # without file entries (TR_SBOM_FILES=n) the packages are decided the same way
    r = run_sbom(tmp_path, None, "--no-files")
    assert r.returncode == 0, r.stderr
    assert check_sbom_facts(out, files=False) == expected


def test_source_sha512_only_from_a_verified_download(tmp_path, static_program):
    """The source's SHA-512 is computed from the file in DL_DIR when its
    sha256 is the .hash file's; a download that changed since is not
    vouched for (no SHA-512, a warning)."""
    fake_packages(tmp_path, elf=static_program)
    (tmp_path / "dl/musl/musl-1.2.3.tar.gz").write_bytes(b"changed since")
    r = run_sbom(tmp_path)
    assert r.returncode == 0, r.stderr
    assert "musl: " in r.stderr and "does not have the sha256 of its .hash file" in r.stderr
    check_sbom_facts(tmp_path / "out")
    spdx = json.loads((tmp_path / "out/images/sbom.spdx.json").read_text())
    musl = [p for p in spdx["packages"] if p["name"] == "musl"][0]
    assert [c["algorithm"] for c in musl["checksums"]] == ["SHA256"]


def test_origin_file_is_read_with_care(tmp_path, static_program):
    """A .origin planted in a shared DL_DIR: a link to a secret, a FIFO, an
    oversized file, two lines are ignored with a warning (no hang, nothing
    of them in the documents); credentials in the URL are stripped."""
    fake_packages(tmp_path, elf=static_program)
    secret = tmp_path / "secret.txt"
    secret.write_text("http://secret.example/TOPSECRET\n")
    bb = tmp_path / "dl/busybox/.busybox-1.35.0.tar.gz.origin"
    musl = tmp_path / "dl/musl/.musl-1.2.3.tar.gz.origin"
    docs = (tmp_path / "out/images/sbom.spdx.json", tmp_path / "out/images/sbom.cdx.json")
    cases = [
        (lambda: bb.symlink_to(secret), "TOPSECRET", "ignored"),
        (lambda: os.mkfifo(bb), "", "not a regular file"),
        # The leak marker is not hex: a document's hashes may hold "aaaa" by chance.
        (lambda: bb.write_text("http://127.0.0.1/LONG" + "q" * 5000 + "\n"), "LONGqqqq",
         "over 4096 bytes"),
        (lambda: bb.write_text("http://127.0.0.1/a\nhttp://127.0.0.1/TWO\n"), "TWO",
         "not a single URL line"),
    ]
    for plant, leak, warning in cases:
        bb.unlink()
        plant()
        r = run_sbom(tmp_path)
        assert r.returncode == 0, r.stderr
        assert f"{bb}: ignored" in r.stderr and warning in r.stderr, r.stderr
        if leak:
            assert all(leak not in d.read_text() for d in docs)
    bb.unlink()
    bb.write_text("http://127.0.0.1:8000/busybox-1.35.0.tar.gz\n")
    musl.write_text("https://user:t0ken@127.0.0.1:8443/musl-1.2.3.tar.gz\n")
    r = run_sbom(tmp_path)
    assert r.returncode == 0 and "warning" not in r.stderr, r.stderr
    cdx = json.loads(docs[1].read_text())
    comp = [c for c in cdx["components"] if c["name"] == "musl"][0]
    assert "https://127.0.0.1:8443/musl-1.2.3.tar.gz" in [e["url"] for e in comp["externalReferences"]]
    assert all("t0ken" not in d.read_text() and "user:" not in d.read_text() for d in docs)


@pytest.mark.slow
def test_sbom_facts_of_the_board_build(pc_build):
    """make sbom on the suite's qemu_x86_64 build: both documents say what
    the image read back says (check_sbom_facts): statically linked BusyBox
    holds musl, linux-headers is only a build dependency, the kernel's and
    BusyBox's .config are there."""
    make(pc_build, "sbom", timeout=600)
    expected = check_sbom_facts(pc_build)
    assert {"busybox", "musl", "linux"} <= expected and "linux-headers" not in expected


def run_check(sbom, feed, *args):
    return subprocess.run([str(CVE_CHECK), str(sbom), str(feed), *args], capture_output=True,
                          text=True, timeout=120)


def findings(report):
    return [l.split("\t")[:5] for l in report.read_text().splitlines() if not l.startswith("#")]


def test_cve_check_reports_affected_fixed_and_skips_out_of_range(tmp_path, feed, static_program):
    fake_packages(tmp_path, elf=static_program)
    assert run_sbom(tmp_path).returncode == 0
    for sbom in ("sbom.cdx.json", "sbom.spdx.json"):  # either SBOM alone will do
        report = tmp_path / f"report-{sbom}.txt"
        r = run_check(tmp_path / "out/images" / sbom, feed, "--report", report)
        assert r.returncode == 0, r.stderr
        assert findings(report) == EXPECTED
        assert "0001-libbb-printable-host-names.patch" in report.read_text()
    vex = tmp_path / "vex.json"
    r = run_check(tmp_path / "out/images/sbom.cdx.json", feed, "--report", tmp_path / "r.txt",
                  "--vex", vex)
    assert r.returncode == 0, r.stderr
    validate_cyclonedx(vex)
    doc = json.loads(vex.read_text())
    serial = json.loads((tmp_path / "out/images/sbom.cdx.json").read_text())["serialNumber"]
    states = {v["id"]: v["analysis"]["state"] for v in doc["vulnerabilities"]}
    assert states == {"CVE-2022-28391": "resolved_with_pedigree", "CVE-2022-30065": "in_triage",
                      "CVE-2025-26519": "in_triage"}
    scores = {v["id"]: v["ratings"][0]["score"] for v in doc["vulnerabilities"]}
    assert scores == {"CVE-2022-28391": 9.8, "CVE-2022-30065": 7.8, "CVE-2025-26519": 8.1}
    ref = doc["vulnerabilities"][0]["affects"][0]["ref"]
    assert ref == f"urn:cdx:{serial[len('urn:uuid:'):]}/1#pkg%3Abusybox"


def test_cve_check_fails_at_the_chosen_severity(tmp_path, feed, static_program):
    fake_packages(tmp_path, elf=static_program)
    assert run_sbom(tmp_path).returncode == 0
    sbom = tmp_path / "out/images/sbom.cdx.json"
    r = run_check(sbom, feed, "--fail-on", "high")
    assert r.returncode == 1, r.stdout
    assert "CVE-2022-30065 (busybox 1.35.0, high)" in r.stderr
    assert "CVE-2025-26519 (musl 1.2.3, high)" in r.stderr
    assert "CVE-2022-28391" not in r.stderr  # fixed by the patch
    assert run_check(sbom, feed, "--fail-on", "critical").returncode == 0
    r = run_check(sbom, feed, "--fail-on", "severe")
    assert r.returncode == 1 and "one of none, low, medium, high, critical" in r.stderr


def test_cve_check_names_a_bad_feed_file_and_line(tmp_path, feed, static_program):
    fake_packages(tmp_path, elf=static_program)
    assert run_sbom(tmp_path).returncode == 0
    bad = tmp_path / "feed"
    bad.mkdir()
    (bad / "broken.json").write_text('{"id": "X",\n "affected": [}\n')
    r = run_check(tmp_path / "out/images/sbom.cdx.json", bad, "--report", tmp_path / "r.txt")
    assert r.returncode == 1 and f"{bad}/broken.json:2: not JSON" in r.stderr, r.stderr
    assert not (tmp_path / "r.txt").exists()
    r = run_check(tmp_path / "out/images/sbom.cdx.json", tmp_path / "none")
    assert r.returncode == 1 and "no such folder" in r.stderr


@pytest.mark.slow
def test_make_cve_check_on_the_board_build(pc_build, feed, monkeypatch, tmp_path):
    """make cve-check on the suite's qemu_x86_64 image (BusyBox 1.35.0 and
    musl 1.2.3 with their recipes' CVE patches): the feed from the
    environment, the report and VEX in images/; each finding is fixed
    exactly when a patch of the package names it on a `CVE:` line;
    TR_CVE_CHECK_FAIL_ON=high passes on fixed findings and fails on a real
    unpatched one (BusyBox's CVE-2023-39810, NVD 7.8)."""
    out = pc_build
    monkeypatch.setenv("TR_CVE_FEED", str(feed))
    make(out, "cve-check", timeout=600)
    patched = {pkg: {l.split(":", 1)[1].strip()
                     for p in (TOP / "package" / pkg).glob("*.patch")
                     for l in p.read_text(errors="replace").splitlines() if l.startswith("CVE:")}
               for pkg in ("busybox", "musl")}
    got = findings(out / "images/cve-report.txt")
    assert [row[:3] for row in got] == [row[:3] for row in EXPECTED]
    for cve, pkg, _, status, severity in got:
        assert status == ("fixed" if cve in patched[pkg] else "affected"), (cve, status)
        assert severity == {r[0]: r[4] for r in EXPECTED}[cve]
    validate_cyclonedx(out / "images/cve-vex.cdx.json")
    env = {**os.environ, "TR_DL_DIR": str(DL_DIR)}
    r = subprocess.run(["make", f"O={out}", "cve-check", "TR_CVE_CHECK_FAIL_ON=high"], cwd=TOP,
                       capture_output=True, text=True, timeout=600, env=env)
    assert r.returncode == 0, r.stderr[-2000:]
    more = shutil.copytree(feed, tmp_path / "feed")
    shutil.copy(TOP / "support/testing/data/osv/busybox/CVE-2023-39810.json", more / "busybox")
    r = subprocess.run(["make", f"O={out}", "cve-check", "TR_CVE_CHECK_FAIL_ON=high"], cwd=TOP,
                       capture_output=True, text=True, timeout=600,
                       env={**env, "TR_CVE_FEED": str(more)})
    assert r.returncode != 0
    assert "CVE-2023-39810" in r.stderr, r.stderr[-2000:]
    assert "CVE-2022-30065" not in r.stderr and "CVE-2025-26519" not in r.stderr

"""SBOM and vulnerability check: support/scripts/sbom on recipe facts written
here (fast), support/scripts/cve-check on its output and on a feed of real
advisories written as OSV records, and `make sbom` / `make cve-check` on the
suite's qemu_x86_64 build (slow). The SBOMs of the real packages' images are
checked in test_packages.py; that two builds give the same SBOM bytes in
test_cache.py."""
import hashlib
import json
import os
import subprocess

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


@pytest.fixture(scope="module")
def feed(tmp_path_factory):
    d = tmp_path_factory.mktemp("feed")
    for name, record in FEED.items():
        (d / name).parent.mkdir(exist_ok=True)
        (d / name).write_text(json.dumps({"schema_version": "1.6.0", "modified": "2025-03-01T00:00:00Z",
                                          **record}, indent=1))
    return d


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def fake_packages(root, ignore="CVE-2022-28391", cpe_busybox=True):
    """Recipe facts as package/pkg-info.mk writes them, for a busybox and a
    musl whose sources, hash files, patch and images are files under root."""
    lines = []
    for name, version, cpe in (("busybox", "1.35.0", "cpe:2.3:a:busybox:busybox:1.35.0:*:*:*:*:*:*:*"
                                if cpe_busybox else ""),
                               ("musl", "1.2.3", "cpe:2.3:a:musl-libc:musl:1.2.3:*:*:*:*:*:*:*")):
        src = root / "build" / name / "src"
        src.mkdir(parents=True, exist_ok=True)
        (src / "COPYING").write_text(f"{name} license text\n")
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
            patch.write_text("libbb: print only printable host names\n\nFixes: CVE-2022-28391\n\n"
                             "--- a/libbb/xconnect.c\n+++ b/libbb/xconnect.c\n")
            patches = str(patch)
        facts = {"version": version, "sbom_version": version, "kind": "target",
                 "license": "GPL-2.0-only" if name == "busybox" else "MIT",
                 "license_files": "COPYING", "source": tarball,
                 "url": f"https://example.org/{tarball}", "dl_dir": str(dl), "src_dir": str(src),
                 "hash_files": str(pkgdir / f"{name}.hash"),
                 "dependencies": "musl" if name == "busybox" else "",
                 "category": "Target packages", "supplier": f"{name} project", "cpe": cpe,
                 "purl": "", "patches": patches,
                 "ignore_cves": ignore if name == "busybox" else "",
                 "source_package": "", "install": "staging target"}
        lines += [f"{name}\t{k}\t{v}" for k, v in facts.items()]
    (root / "pkg-info.tsv").write_text("\n".join(lines) + "\n")
    images = root / "out/images"
    images.mkdir(parents=True, exist_ok=True)
    (images / "bzImage").write_bytes(b"kernel")
    (images / "rootfs.cpio.gz").write_bytes(b"rootfs")
    return root / "pkg-info.tsv"


def run_sbom(root, env=None):
    return subprocess.run(
        [str(SBOM), "--info", str(root / "pkg-info.tsv"), "--images", str(root / "out/images"),
         "--name", "testboard", "--arch", "x86_64", "--tool", "make", "--tool", "gcc",
         "--top", str(root), "--spdx", str(root / "out/images/sbom.spdx.json"),
         "--cyclonedx", str(root / "out/images/sbom.cdx.json")],
        capture_output=True, text=True, timeout=120,
        env={"PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": "1704067200", **(env or {})})


def test_sbom_documents_validate_and_say_what_the_recipes_say(tmp_path):
    fake_packages(tmp_path)
    r = run_sbom(tmp_path)
    assert r.returncode == 0, r.stderr
    spdx_path, cdx_path = tmp_path / "out/images/sbom.spdx.json", tmp_path / "out/images/sbom.cdx.json"
    validate_spdx(spdx_path)
    validate_cyclonedx(cdx_path)
    cdx = json.loads(cdx_path.read_text())
    assert cdx["metadata"]["timestamp"] == "2024-01-01T00:00:00Z"
    comps = {c["name"]: c for c in cdx["components"]}
    bb = comps["busybox"]
    assert bb["version"] == "1.35.0" and bb["licenses"] == [{"expression": "GPL-2.0-only"}]
    assert bb["hashes"] == [{"alg": "SHA-256", "content": sha256(b"busybox source")}]
    assert bb["cpe"].startswith("cpe:2.3:a:busybox:busybox:1.35.0")
    assert bb["purl"] == ("pkg:generic/busybox@1.35.0?download_url="
                          "https://example.org/busybox-1.35.0.tar.gz")
    assert {e["type"]: e["url"] for e in bb["externalReferences"]} == {
        "source-distribution": "https://example.org/busybox-1.35.0.tar.gz",
        "distribution-intake": "http://127.0.0.1:8000/busybox-1.35.0.tar.gz"}
    patch = bb["pedigree"]["patches"][0]
    assert patch["resolves"][0]["id"] == "CVE-2022-28391"
    assert patch["diff"]["url"] == "./package/busybox/0001-libbb-printable-host-names.patch"
    assert comps["images/bzImage"]["hashes"][1] == {"alg": "SHA-256", "content": sha256(b"kernel")}
    assert {"ref": "pkg:busybox", "dependsOn": ["pkg:musl"]} in cdx["dependencies"]
    tools = {t["name"]: t for t in cdx["formulation"][0]["components"]}
    assert "make" in tools and tools["make"]["purl"].startswith("pkg:deb/debian/make@")
    spdx = json.loads(spdx_path.read_text())
    pkgs = {p["name"]: p for p in spdx["packages"]}
    assert pkgs["musl"]["checksums"] == [{"algorithm": "SHA256",
                                          "checksumValue": sha256(b"musl source")}]
    assert pkgs["musl"]["licenseDeclared"] == "MIT"
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
    ("ignore", "busybox: CVE-2099-0001 is in its _IGNORE_CVES but no patch it applies names it"),
    ("cpe", "busybox: its recipe gives no CPE"),
    ("license", "busybox: license file COPYING has sha256"),
])
def test_sbom_errors_name_the_package_and_write_nothing(tmp_path, case, message):
    fake_packages(tmp_path, ignore="CVE-2099-0001" if case == "ignore" else "CVE-2022-28391",
                  cpe_busybox=case != "cpe")
    if case == "license":
        (tmp_path / "build/busybox/src/COPYING").write_text("changed\n")
    r = run_sbom(tmp_path)
    assert r.returncode == 1 and message in r.stderr, r.stderr
    assert not list((tmp_path / "out/images").glob("sbom*")) and not list(
        (tmp_path / "out/images").glob(".tmp-*"))


def run_check(sbom, feed, *args):
    return subprocess.run([str(CVE_CHECK), str(sbom), str(feed), *args], capture_output=True,
                          text=True, timeout=120)


def findings(report):
    return [l.split("\t")[:5] for l in report.read_text().splitlines() if not l.startswith("#")]


def test_cve_check_reports_affected_fixed_and_skips_out_of_range(tmp_path, feed):
    fake_packages(tmp_path)
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


def test_cve_check_fails_at_the_chosen_severity(tmp_path, feed):
    fake_packages(tmp_path)
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


def test_cve_check_names_a_bad_feed_file_and_line(tmp_path, feed):
    fake_packages(tmp_path)
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
def test_make_cve_check_on_the_board_build(pc_build, feed, monkeypatch):
    """make cve-check on the suite's qemu_x86_64 image (BusyBox 1.35.0 with
    the CVE-2022-28391 patch, musl 1.2.3): the feed from the environment,
    the report and VEX in images/, TR_CVE_CHECK_FAIL_ON=high fails make."""
    out = pc_build
    monkeypatch.setenv("TR_CVE_FEED", str(feed))
    make(out, "cve-check", timeout=600)
    assert findings(out / "images/cve-report.txt") == EXPECTED
    validate_cyclonedx(out / "images/cve-vex.cdx.json")
    r = subprocess.run(["make", f"O={out}", "cve-check", "TR_CVE_CHECK_FAIL_ON=high"], cwd=TOP,
                       capture_output=True, text=True, timeout=600,
                       env={**os.environ, "TR_DL_DIR": str(DL_DIR)})
    assert r.returncode != 0
    assert "CVE-2022-30065" in r.stderr and "CVE-2025-26519" in r.stderr, r.stderr[-2000:]

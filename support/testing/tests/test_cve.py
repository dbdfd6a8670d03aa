"""support/scripts/cve-check: the --fail-on rule for unknown severities, one
finding per product and version (linux and linux-headers), the kernel CNA's
CVE JSON 5 records triaged by the files a kernel build compiled (real records
in support/testing/data/cvelistV5), the CSAF 2.0 VEX validated with the
BSI's validator, and the readers of the SBOM and the feeds against malformed,
hostile and randomly mutated input. The SBOMs here are written by hand in
the shape support/scripts/sbom gives (CycloneDX 1.6), so that these tests do
not depend on a build."""
import copy
import importlib.machinery
import importlib.util
import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout

import pytest

from conftest import TOP, make, validate_cyclonedx
from test_sbom import FEED as SBOM_FEED, write_feed

CVE_CHECK = TOP / "support/scripts/cve-check"
CVE_KERNEL = TOP / "support/scripts/cve_kernel.py"
CVELIST = TOP / "support/testing/data/cvelistV5"
NODE_DIR = TOP / "support/testing/node"
SERIAL = "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79"
KERNEL_CPE = "cpe:2.3:o:linux:linux_kernel:{}:*:*:*:*:*:*:*"


def component(name, version, cpe="", purl="", patches=()):
    c = {"type": "library", "bom-ref": f"pkg:{name}", "name": name, "version": version}
    if cpe:
        c["cpe"] = cpe
    if purl:
        c["purl"] = purl
    if patches:
        c["pedigree"] = {"patches": [{"type": "backport", "diff": {"url": f"package/{name}/{p}"},
                                      "resolves": [{"type": "security", "id": i}]}
                                     for p, i in patches]}
    return c


def sbom(kernel="6.1.150"):
    """A CycloneDX 1.6 SBOM of busybox 1.35.0 (a patch fixes CVE-2022-28391),
    musl 1.2.3, and the kernel as linux and linux-headers (one CPE)."""
    return {
        "bomFormat": "CycloneDX", "specVersion": "1.6", "serialNumber": SERIAL, "version": 1,
        "metadata": {"timestamp": "2024-01-01T00:00:00Z",
                     "component": {"type": "firmware", "bom-ref": "image", "name": "testboard"}},
        "components": [
            component("busybox", "1.35.0", "cpe:2.3:a:busybox:busybox:1.35.0:*:*:*:*:*:*:*",
                      "pkg:generic/busybox@1.35.0",
                      [("0001-libbb-printable-host-names.patch", "CVE-2022-28391")]),
            component("musl", "1.2.3", "cpe:2.3:a:musl-libc:musl:1.2.3:*:*:*:*:*:*:*"),
            component("linux", kernel, KERNEL_CPE.format(kernel)),
            component("linux-headers", kernel, KERNEL_CPE.format(kernel)),
            {"type": "file", "bom-ref": "file:images/bzImage", "name": "bzImage"},
        ]}


# Real advisories as OSV records (NVD's CVSS v3.1 vectors and ranges): the
# SBOM tests' BusyBox and musl records, and one of the kernel.
FEED = {
    **{name: SBOM_FEED[name] for name in ("busybox/CVE-2022-28391.json",
                                          "busybox/CVE-2022-30065.json",
                                          "musl/CVE-2025-26519.json")},
    # the kernel by NVD's CPE (CVE-2024-26581's range for 6.1: before 6.1.78)
    "linux/CVE-2024-26581.json": {
        "id": "CVE-2024-26581",
        "summary": "netfilter: nft_set_rbtree: skip end interval element from gc",
        "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:H"}],
        "affected": [{"package": {"name": "linux"},
                      "database_specific": {"cpe": "cpe:2.3:o:linux:linux_kernel:*:*:*:*:*:*:*:*"},
                      "ranges": [{"type": "ECOSYSTEM",
                                  "events": [{"introduced": "6.1"}, {"fixed": "6.1.78"}]}]}]},
}


@pytest.fixture
def case(tmp_path):
    (tmp_path / "sbom.cdx.json").write_text(json.dumps(sbom()))
    write_feed(tmp_path / "feed", FEED)
    return tmp_path


def run_check(sbom_path, feed, *args, timeout=60):
    return subprocess.run([str(CVE_CHECK), str(sbom_path), str(feed), *map(str, args)],
                          capture_output=True, text=True, timeout=timeout)


def rows(report):
    return [l.split("\t") for l in report.read_text().splitlines() if not l.startswith("#")]


def validate_csaf(path):
    """Asserts that `path` passes the BSI's CSAF validator
    (@secvisogram/csaf-validator-lib): the strict CSAF 2.0 schema and every
    mandatory test."""
    r = subprocess.run(["node", str(NODE_DIR / "validate.mjs"), "csaf", str(path)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stdout.startswith("ok"), r.stdout[-4000:] + r.stderr


# ---- --fail-on and unknown severities ------------------------------------------

UNKNOWN = {"busybox/GHSA-test-0001.json": {
    "id": "OSV-2024-0001", "summary": "a record with no severity and no CVSS vector",
    "affected": [{"package": {"name": "busybox", "purl": "pkg:generic/busybox"},
                  "versions": ["1.35.0"]}]}}


def test_unknown_severity_fails_every_threshold_unless_told(tmp_path):
    (tmp_path / "sbom.json").write_text(json.dumps(sbom()))
    feed = write_feed(tmp_path / "feed", UNKNOWN)
    for level in ("low", "medium", "high", "critical"):
        r = run_check(tmp_path / "sbom.json", feed, "--fail-on", level)
        assert r.returncode == 1, (level, r.stdout, r.stderr)
        assert "OSV-2024-0001 (busybox 1.35.0, unknown)" in r.stderr
        assert "or of unknown severity" in r.stderr
        r = run_check(tmp_path / "sbom.json", feed, "--fail-on", level, "--unknown-passes")
        assert r.returncode == 0, (level, r.stderr)
    # none: the report only, whatever the findings
    r = run_check(tmp_path / "sbom.json", feed, "--fail-on", "none")
    assert r.returncode == 0 and "OSV-2024-0001\tbusybox\t1.35.0\taffected\tunknown" in r.stdout


def test_fail_on_counts_known_severities_and_skips_fixed(case):
    r = run_check(case / "sbom.cdx.json", case / "feed", "--fail-on", "high")
    assert r.returncode == 1
    assert "CVE-2022-30065 (busybox 1.35.0, high)" in r.stderr
    assert "CVE-2022-28391" not in r.stderr  # fixed by the patch
    assert "CVE-2024-26581" not in r.stderr  # 6.1.150 is past the fix
    assert run_check(case / "sbom.cdx.json", case / "feed", "--fail-on", "critical").returncode == 0


# ---- one finding per product and version ---------------------------------------

def test_linux_and_linux_headers_are_one_product(tmp_path):
    (tmp_path / "sbom.json").write_text(json.dumps(sbom(kernel="6.1.50")))
    feed = write_feed(tmp_path / "feed", FEED)
    r = run_check(tmp_path / "sbom.json", feed, "--report", tmp_path / "r.txt",
                  "--vex", tmp_path / "vex.json")
    assert r.returncode == 0, r.stderr
    kernel = [row for row in rows(tmp_path / "r.txt") if row[0] == "CVE-2024-26581"]
    assert kernel == [["CVE-2024-26581", "linux,linux-headers", "6.1.50", "affected", "medium", "-"]]
    doc = json.loads((tmp_path / "vex.json").read_text())
    v = [v for v in doc["vulnerabilities"] if v["id"] == "CVE-2024-26581"]
    assert len(v) == 1
    assert sorted(a["ref"].rsplit("#", 1)[1] for a in v[0]["affects"]) == \
        ["pkg%3Alinux", "pkg%3Alinux-headers"]
    validate_cyclonedx(tmp_path / "vex.json")


# ---- the kernel CNA's records, triaged by the files compiled ------------------

# The records in support/testing/data/cvelistV5 (their own ranges): which
# affect 6.1.150, and the files each fix touches.
AFFECT_6_1_150 = {"CVE-2025-71064", "CVE-2025-71066", "CVE-2025-71068", "CVE-2025-71074",
                  "CVE-2025-71085", "CVE-2025-71116", "CVE-2025-71120", "CVE-2026-23000",
                  "CVE-2026-23001", "CVE-2026-23003", "CVE-2026-23004", "CVE-2026-23005",
                  "CVE-2026-23006", "CVE-2026-23010", "CVE-2026-23011", "CVE-2026-23031",
                  "CVE-2026-23066", "CVE-2026-23074", "CVE-2026-43037", "CVE-2026-43071",
                  "CVE-2026-53006", "CVE-2026-53059", "CVE-2026-53194", "CVE-2026-64000",
                  "CVE-2026-64002", "CVE-2026-64004", "CVE-2026-64005", "CVE-2026-64007",
                  "CVE-2026-64009", "CVE-2026-64010", "CVE-2026-64011"}
# not: 71070 is in 6.15 and later, 71072 in 6.6 and later, 23025 in 6.2 and
# later, 23014 in 6.18 and later, 23002 and 53193 in 6.12 and later, 23007 in
# 6.11 and later, 23012 in 6.17 and later, 23013 in 6.9 and later, 64003 in
# 6.5 and later, 64008 in 6.18 and later (by their release-number ranges)
# Of those, still affecting 6.1.176 (no 6.1 fix at all): 71068, 71074, 23000,
# 23001, 23004, 23006, 23031, 23066; the others' 6.1 fixes are in 6.1.160 to
# 6.1.176 (53194 and the 64xxx ones in 6.1.176 itself).
AFFECT_6_1_176 = {"CVE-2025-71068", "CVE-2025-71074", "CVE-2026-23000", "CVE-2026-23001",
                  "CVE-2026-23004", "CVE-2026-23006", "CVE-2026-23031", "CVE-2026-23066"}


def test_kernel_records_triaged_by_the_files_compiled(case):
    compiled = case / "compiled-sources.txt"
    # a build that compiled the ETS scheduler, the x86 FPU code, the dcache,
    # the IPv4 sysctls and core files, none of the others' files (buildid.c
    # and DAMON are compiled, but their records are not about 6.1)
    compiled.write_text("kernel/fork.c\nmm/shmem.c\nmm/page_alloc.c\nnet/sched/sch_ets.c\n"
                        "include/linux/fs.h\narch/x86/kernel/fpu/core.c\nfs/dcache.c\n"
                        "net/ipv4/sysctl_net_ipv4.c\nlib/buildid.c\nmm/damon/core.c\n")
    r = run_check(case / "sbom.cdx.json", case / "feed", "--cvelist", CVELIST,
                  "--kernel-compiled", compiled, "--report", case / "r.txt",
                  "--vex", case / "vex.json", "--csaf", case / "vex.csaf.json")
    assert r.returncode == 0, r.stderr
    kernel = {row[0]: row for row in rows(case / "r.txt") if row[1] == "linux,linux-headers"}
    assert set(kernel) == AFFECT_6_1_150
    assert kernel["CVE-2025-71066"][3] == "affected"
    assert kernel["CVE-2026-23005"][3] == "affected"  # one of its two files compiled
    assert kernel["CVE-2026-43071"][3] == "affected"  # fs/dcache.c
    assert kernel["CVE-2026-64002"][3] == "affected"  # net/ipv4/sysctl_net_ipv4.c
    triaged = {i for i, row in kernel.items() if row[3] == "not_affected"}
    assert triaged == AFFECT_6_1_150 - {"CVE-2025-71066", "CVE-2026-23005", "CVE-2026-43071",
                                        "CVE-2026-64002"}
    assert kernel["CVE-2025-71068"][5].startswith("code_not_present: none of the files")
    assert "net/sunrpc/xprtrdma/svc_rdma_rw.c" in kernel["CVE-2025-71068"][5]
    # the CycloneDX VEX says why, with the files
    vex = json.loads((case / "vex.json").read_text())
    a = {v["id"]: v["analysis"] for v in vex["vulnerabilities"]}
    assert a["CVE-2025-71068"]["state"] == "not_affected"
    assert a["CVE-2025-71068"]["justification"] == "code_not_present"
    assert "net/sunrpc/xprtrdma/svc_rdma_rw.c" in a["CVE-2025-71068"]["detail"]
    assert a["CVE-2025-71066"]["state"] == "in_triage"
    assert "net/sched/sch_ets.c" in a["CVE-2025-71066"]["detail"]
    validate_cyclonedx(case / "vex.json")
    # the CSAF VEX: valid for the BSI's validator, and saying the same
    validate_csaf(case / "vex.csaf.json")
    csaf = json.loads((case / "vex.csaf.json").read_text())
    assert csaf["document"]["category"] == "csaf_vex"
    by = {v["cve"]: v for v in csaf["vulnerabilities"]}
    assert by["CVE-2025-71068"]["product_status"] == {"known_not_affected": ["pkg:linux", "pkg:linux-headers"]}
    assert by["CVE-2025-71068"]["flags"] == [{"label": "vulnerable_code_not_present",
                                              "product_ids": ["pkg:linux", "pkg:linux-headers"]}]
    assert "net/sunrpc/xprtrdma/svc_rdma_rw.c" in by["CVE-2025-71068"]["threats"][0]["details"]
    assert by["CVE-2025-71066"]["product_status"] == {"known_affected": ["pkg:linux", "pkg:linux-headers"]}
    assert by["CVE-2022-28391"]["product_status"] == {"fixed": ["pkg:busybox"]}
    assert by["CVE-2022-30065"]["product_status"] == {"known_affected": ["pkg:busybox"]}
    # the products are the SBOM's components
    names = {p["product_id"]: p["name"] for p in csaf["product_tree"]["full_product_names"]}
    assert names["pkg:linux"] == "linux 6.1.150" and names["pkg:busybox"] == "busybox 1.35.0"
    # without the list of compiled files, nothing is triaged away
    r = run_check(case / "sbom.cdx.json", case / "feed", "--cvelist", CVELIST,
                  "--report", case / "r2.txt")
    assert r.returncode == 0, r.stderr
    assert {row[3] for row in rows(case / "r2.txt") if row[1] == "linux,linux-headers"} == {"affected"}


def test_kernel_record_version_ranges():
    """The kernel CNA's ranges: a release past the 6.1 fix, before the
    version that introduced the bug, in a branch the fix never reached."""
    sys.path.insert(0, str(TOP / "support/scripts"))
    import cve_kernel
    recs = {r["id"]: r for r in cve_kernel.read_records(str(CVELIST))}
    st = cve_kernel.kernel_status
    assert st(recs["CVE-2025-71064"], "6.1.159") == "affected"
    assert st(recs["CVE-2025-71064"], "6.1.160") == "unaffected"  # 6.1.160 <= v <= 6.1.*
    assert st(recs["CVE-2025-71064"], "4.15") == "unaffected"     # before 4.16
    assert st(recs["CVE-2025-71068"], "6.1.176") == "affected"    # no 6.1 fix
    assert st(recs["CVE-2025-71068"], "6.19-rc3") == "unaffected"
    assert st(recs["CVE-2025-71068"], "6.19-rc2") == "affected"
    assert st(recs["CVE-2025-71072"], "6.1.176") == "unaffected"  # from 6.6 on
    assert st(recs["CVE-2025-71072"], "6.6.1") == "affected"
    # a bug that stable 6.1 took in 6.1.77 (before 6.8 introduced it) and fixed in 6.1.162
    assert st(recs["CVE-2026-23003"], "6.1.76") == "unaffected"
    assert st(recs["CVE-2026-23003"], "6.1.77") == "affected"
    assert st(recs["CVE-2026-23003"], "6.1.161") == "affected"
    assert st(recs["CVE-2026-23003"], "6.1.162") == "unaffected"
    assert st(recs["CVE-2026-23010"], "6.1.119") == "unaffected"
    assert st(recs["CVE-2026-23010"], "6.1.120") == "affected"
    # fixed in 6.1.176 itself, in 6.1.175, or not in 6.1 at all
    assert st(recs["CVE-2026-64002"], "6.1.175") == "affected"
    assert st(recs["CVE-2026-64002"], "6.1.176") == "unaffected"
    assert st(recs["CVE-2026-43071"], "6.1.174") == "affected"
    assert st(recs["CVE-2026-43071"], "6.1.175") == "unaffected"
    assert st(recs["CVE-2026-43071"], "3.16.2") == "unaffected"   # before 3.17 and its backports
    assert st(recs["CVE-2026-43071"], "3.16.3") == "affected"     # the 3.16 backport of the bug
    assert st(recs["CVE-2026-23000"], "6.1.176") == "affected"    # from 5.12, no 6.1 fix
    assert st(recs["CVE-2026-23000"], "5.11") == "unaffected"
    assert st(recs["CVE-2026-23006"], "6.1") == "affected"        # from 6.1 itself
    assert st(recs["CVE-2026-23006"], "6.0.19") == "unaffected"
    assert st(recs["CVE-2026-23012"], "6.1.176") == "unaffected"  # from 6.17 on
    assert st(recs["CVE-2026-53194"], "6.1.176") == "unaffected"
    assert st(recs["CVE-2026-53194"], "6.6.142") == "affected"    # 6.6's fix is 6.6.143
    assert {i for i, r in recs.items() if st(r, "6.1.176") == "affected"} == AFFECT_6_1_176
    assert {i for i, r in recs.items() if st(r, "6.1.150") == "affected"} == AFFECT_6_1_150


def test_compiled_sources_from_kbuild_cmd_files(tmp_path):
    """cve_kernel.py compiled-sources reads Kbuild's .o.cmd files: each
    object's source and the headers it included, relative to the source
    tree; generated headers in the object tree are left out."""
    src = tmp_path / "src"
    obj = src / "obj"
    (obj / "kernel").mkdir(parents=True)
    (obj / "kernel/.fork.o.cmd").write_text(
        "savedcmd_kernel/fork.o := gcc -c -o kernel/fork.o ../kernel/fork.c\n\n"
        "source_kernel/fork.o := ../kernel/fork.c\n\n"
        "deps_kernel/fork.o := \\\n  ../include/linux/compiler-version.h \\\n"
        "    $(wildcard include/config/FOO) \\\n  include/generated/autoconf.h \\\n"
        "  ../include/linux/fs.h \\\n\nkernel/fork.o: $(deps_kernel/fork.o)\n\n"
        "$(deps_kernel/fork.o):\n")
    # a host program Kbuild builds for itself: not in the image
    (obj / "scripts/kconfig").mkdir(parents=True)
    (obj / "scripts/kconfig/.conf.o.cmd").write_text(
        "source_scripts/kconfig/conf.o := ../scripts/kconfig/conf.c\n\n"
        "deps_scripts/kconfig/conf.o := \\\n  ../scripts/kconfig/lkc.h \\\n\n")
    out = tmp_path / "compiled.txt"
    r = subprocess.run([str(CVE_KERNEL), "compiled-sources", str(obj), str(src), str(out)],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    listed = [l for l in out.read_text().splitlines() if not l.startswith("#")]
    assert listed == ["include/linux/compiler-version.h", "include/linux/fs.h", "kernel/fork.c"]
    r = subprocess.run([str(CVE_KERNEL), "compiled-sources", str(tmp_path / "none"), str(src),
                        str(tmp_path / "x.txt")], capture_output=True, text=True, timeout=60)
    assert r.returncode == 1 and "no Kbuild .o.cmd files" in r.stderr
    assert not (tmp_path / "x.txt").exists()


@pytest.mark.slow
def test_make_cve_check_triages_the_board_kernel(pc_build, tmp_path, monkeypatch):
    """make cve-check on the suite's qemu_x86_64 build, with the records above
    in the feed's cvelistV5/ subfolder: the kernel build recorded the files it
    compiled; a record is triaged away exactly when no object file was built
    from any of its C files (checked in the kernel's object tree, not in the
    list); the CSAF VEX passes the BSI's validator."""
    out = pc_build
    feed = write_feed(tmp_path / "feed", FEED)
    shutil.copytree(CVELIST, feed / "cvelistV5")
    monkeypatch.setenv("TR_CVE_FEED", str(feed))
    make(out, "cve-check", timeout=900)
    assert (out / "build/linux/meta/compiled-sources.txt").is_file()
    obj = out / "build/linux/src/obj"
    kernel = [row for row in rows(out / "images/cve-report.txt") if row[1] == "linux,linux-headers"]
    assert kernel, "no kernel findings"
    sys.path.insert(0, str(TOP / "support/scripts"))
    import cve_kernel
    files = {r["id"]: r["program_files"] for r in cve_kernel.read_records(str(CVELIST))}
    for rid, _, version, status, *_ in kernel:
        c_files = [f for f in files[rid] if f.endswith(".c")]
        built = [f for f in c_files if (obj / (f[:-2] + ".o")).exists()]
        if status == "not_affected":
            assert not built, (rid, built)
        elif c_files == files[rid]:  # only C files: affected means one was built
            assert built, (rid, c_files)
    validate_csaf(out / "images/vex.csaf.json")
    validate_cyclonedx(out / "images/cve-vex.cdx.json")
    print("kernel records:", len(files), "findings:", len(kernel),
          "triaged away:", sum(r[3] == "not_affected" for r in kernel),
          "remain:", sum(r[3] == "affected" for r in kernel))


# ---- hostile and malformed input -----------------------------------------------

def no_traceback(r):
    assert "Traceback" not in r.stderr and "Error:" not in r.stderr.split(":", 1)[0], r.stderr


@pytest.mark.parametrize("record, message", [
    ({"id": 7, "affected": []}, "id is not a string"),
    ({"id": "X", "affected": {"a": 1}}, "affected is not a list"),
    ({"id": "X", "affected": ["busybox"]}, "affected[0] is not an object"),
    ({"id": "X", "affected": [{"ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": 0}]}]}]},
     "exactly one of introduced"),
    ({"id": "X", "affected": [{"package": {"purl": ["pkg:generic/busybox"]}}]},
     "package.purl is not a string"),
    ({"id": "X", "affected": [{"versions": "1.35.0"}]}, "versions is not a list"),
    ({"id": "X", "aliases": [1], "affected": []}, "aliases[0] is not a string"),
    ({"id": "X", "severity": "high", "affected": []}, "severity is not a list"),
    ({"id": "X", "affected": [{"database_specific": {"cpe": 5}}]}, "cpe is not a string or a list"),
])
def test_malformed_feed_records_are_named_not_tracebacks(case, record, message):
    bad = case / "bad"
    bad.mkdir()
    (bad / "r.json").write_text(json.dumps(record))
    r = run_check(case / "sbom.cdx.json", bad, "--report", case / "r.txt")
    assert r.returncode == 1 and f"{bad}/r.json: not an OSV record: " in r.stderr, r.stderr
    assert message in r.stderr, r.stderr
    no_traceback(r)
    assert not (case / "r.txt").exists()


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d.update(components="busybox"), "components is not a list"),
    (lambda d: d["components"][0].update(name=["busybox"]), "components[0].name is not a string"),
    (lambda d: d["components"][0].update(pedigree=[]),
     "components[0].pedigree is not an object"),
    (lambda d: d["components"][0]["pedigree"]["patches"][0].update(resolves={}),
     "components[0].pedigree.patches[0].resolves is not a list"),
])
def test_malformed_sbom_is_named_not_a_traceback(case, mutate, message):
    doc = sbom()
    mutate(doc)
    (case / "bad.json").write_text(json.dumps(doc))
    r = run_check(case / "bad.json", case / "feed")
    assert r.returncode == 1 and f"{case}/bad.json: not a usable SBOM: {message}" in r.stderr, r.stderr
    no_traceback(r)


def test_links_fifos_and_devices_are_refused_not_read(case):
    # /dev/zero through a symlink: read until memory runs out, before
    (case / "feed/zero.json").symlink_to("/dev/zero")
    r = run_check(case / "sbom.cdx.json", case / "feed", timeout=30)
    assert r.returncode == 1 and "zero.json: a symbolic link (refused" in r.stderr, r.stderr
    (case / "feed/zero.json").unlink()
    # a FIFO nobody writes to: a hang, before
    os.mkfifo(case / "feed/fifo.json")
    r = run_check(case / "sbom.cdx.json", case / "feed", timeout=30)
    assert r.returncode == 1 and "fifo.json: not a regular file" in r.stderr, r.stderr
    os.unlink(case / "feed/fifo.json")
    # the SBOM itself
    r = run_check("/dev/zero", case / "feed", timeout=30)
    assert r.returncode == 1 and "/dev/zero: not a regular file" in r.stderr, r.stderr
    # a record over the size cap
    with open(case / "feed/big.json", "w") as f:
        f.write('{"id": "X", "affected": [], "pad": "' + "x" * (5 << 20) + '"}')
    r = run_check(case / "sbom.cdx.json", case / "feed", timeout=30)
    assert r.returncode == 1 and "big.json:" in r.stderr and "more than the" in r.stderr, r.stderr


def test_a_record_id_cannot_forge_a_report_line(case):
    forged = {"id": "X\nCVE-2099-0001\tbusybox\t1.35.0\tfixed\tnone\tforged",
              "affected": [{"package": {"purl": "pkg:generic/busybox"}, "versions": ["1.35.0"]}]}
    (case / "feed/forged.json").write_text(json.dumps(forged))
    r = run_check(case / "sbom.cdx.json", case / "feed", "--report", case / "r.txt",
                  "--vex", case / "vex.json")
    assert r.returncode == 0, r.stderr
    text = (case / "r.txt").read_text()
    assert not any(l.startswith("CVE-2099-0001") for l in text.splitlines())
    line = next(l for l in text.splitlines() if l.startswith("X"))
    assert line.split("\t")[0] == "X\\x0aCVE-2099-0001\\x09busybox\\x091.35.0\\x09fixed\\x09none\\x09forged"
    # the VEX keeps the id as it is (JSON escapes it)
    ids = [v["id"] for v in json.loads((case / "vex.json").read_text())["vulnerabilities"]]
    assert forged["id"] in ids


# ---- fuzzing the readers ----------------------------------------------------------

def load_cve_check():
    sys.path.insert(0, str(TOP / "support/scripts"))
    loader = importlib.machinery.SourceFileLoader("cve_check_fuzzed", str(CVE_CHECK))
    spec = importlib.util.spec_from_loader("cve_check_fuzzed", loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


ODD = [None, 0, -1, 2 ** 70, 1e308, True, "", "\n\t\\", "x" * 300, [], {}, [[[]]], {"": None},
       "0", "*", "6.1.*", "-rc", "CVE-", "pkg:", "cpe:2.3:o", "\u2028", "1e999"]


def mutate(rng, value, depth=0):
    """`value` with one random change somewhere inside: a value replaced by
    an odd one, a key dropped, a list item duplicated or dropped."""
    if isinstance(value, dict) and value and rng.random() < 0.8:
        key = rng.choice(sorted(value))
        out = dict(value)
        r = rng.random()
        if r < 0.15:
            del out[key]
        elif r < 0.45 or depth > 8:
            out[key] = copy.deepcopy(rng.choice(ODD))
        else:
            out[key] = mutate(rng, value[key], depth + 1)
        return out
    if isinstance(value, list) and value and rng.random() < 0.8:
        out = list(value)
        i = rng.randrange(len(out))
        r = rng.random()
        if r < 0.15:
            del out[i]
        elif r < 0.3:
            out.insert(i, copy.deepcopy(out[i]))
        elif r < 0.5 or depth > 8:
            out[i] = copy.deepcopy(rng.choice(ODD))
        else:
            out[i] = mutate(rng, out[i], depth + 1)
        return out
    return copy.deepcopy(rng.choice(ODD))


def test_fuzz_the_feed_and_sbom_readers(tmp_path):
    """3000 seeded random mutations of real records (the OSV records above,
    the kernel CNA's records, the SBOM), 1 in 5 as damaged bytes: each run
    ends with exit 0 or with exit 1 and a message naming the file, never
    with an exception (a traceback), and within 10 s."""
    mod = load_cve_check()
    rng = random.Random(21)
    kernel_files = sorted(CVELIST.rglob("*.json"))
    kernel = [json.loads(p.read_text()) for p in kernel_files]
    osv = list(FEED.values())
    (tmp_path / "compiled.txt").write_text("kernel/fork.c\nnet/sched/sch_ets.c\n")

    def alarm(signum, frame):
        raise TimeoutError("a run took more than 10 s")
    old = signal.signal(signal.SIGALRM, alarm)
    try:
        for n in range(3000):
            case = tmp_path / f"c{n % 4}"
            for sub in ("feed", "cvelist/cves/2025/71xxx"):
                (case / sub).mkdir(parents=True, exist_ok=True)
            which = rng.choice(["osv", "kernel", "sbom"])
            docs = {"osv": osv[n % len(osv)], "kernel": kernel[n % len(kernel)], "sbom": sbom()}
            docs[which] = mutate(rng, docs[which])
            texts = {k: json.dumps(v) for k, v in docs.items()}
            if rng.random() < 0.2:  # damaged bytes
                b = bytearray(texts[which].encode())
                for _ in range(rng.randint(1, 4)):
                    b[rng.randrange(len(b))] = rng.randrange(256)
                texts[which] = bytes(b).decode("latin-1")
            (case / "feed/r.json").write_text(texts["osv"], encoding="latin-1"
                                              if which == "osv" else "utf-8", errors="replace")
            (case / "cvelist/cves/2025/71xxx/r.json").write_text(texts["kernel"], errors="replace")
            (case / "sbom.json").write_text(texts["sbom"], errors="replace")
            argv = [str(CVE_CHECK), str(case / "sbom.json"), str(case / "feed"),
                    "--cvelist", str(case / "cvelist"), "--kernel-compiled",
                    str(tmp_path / "compiled.txt"), "--report", str(case / "r.txt"),
                    "--vex", str(case / "v.json"), "--csaf", str(case / "c.json"),
                    "--fail-on", "high"]
            out, err = io.StringIO(), io.StringIO()
            sys.argv = argv
            signal.alarm(10)
            try:
                with redirect_stdout(out), redirect_stderr(err):
                    try:
                        code = mod.main()
                    except SystemExit as e:
                        code = e.code
            except Exception as e:  # what the oracle forbids
                signal.alarm(0)
                raise AssertionError(f"run {n} ({which}): {type(e).__name__}: {e}\n"
                                     f"{texts[which][:2000]}") from e
            signal.alarm(0)
            assert code in (0, 1), (n, code)
            if code == 1 and "unfixed vulnerabilities" not in err.getvalue():
                assert str(case) in err.getvalue(), (n, err.getvalue())
    finally:
        signal.signal(signal.SIGALRM, old)

"""The SBOM in the formats BSI TR-03183-2 v2.1 accepts (CycloneDX 1.6 and SPDX
3.0.1) and the fields it requires, checked field by field for every component.

The TR's list, from: BSI TR-03183-2 v2.0.0 sections 3.2.1, 5.2-5.4 and
8.1.3-8.1.9 (the BSI's PDF, as converted to text in
github.com/xoryouyou/bsi-technical-guidelines-markdown); v2.1.0's changes to
it as the BSI's own CycloneDX taxonomy for v2.1.0 states them
(github.com/BSI-Bund/tr-03183-cyclonedx-property-taxonomy, v0.1.2) and as
v2.1.0 section 3.2.8 is quoted in github.com/spdx/spdx-3-model issue 1255;
v2.1.0's formats (CycloneDX >= 1.6, SPDX >= 3.0.1) and its promotion of the
v2.0 "additional" fields to required, from the BSI's v2.1.0 summary as
published by sbomqs (docs/reference/compliance-standards.md).

For the SBOM itself (5.2.1):
  S1 creator of the SBOM: an email address, else a URL
  S2 timestamp of the SBOM's compilation
  S3 SBOM-URI: a URI for this SBOM
For each component (5.2.2; a component is each executable or archive file,
any other file may be one, and the primary component is one, 3.2.1):
  C1 component creator: an email address, else a URL (the project's web page)
  C2 component name
  C3 component version; if none, the file's creation date (RFC 3339 full-date)
  C4 filename of the component (not its path)
  C5 dependencies on other components: those it directly depends on or
     contains (3.2.4), with whether the list is complete
  C6 distribution licences ("associated licences" in v2.0): SPDX expression
  C7 hash value of the deployable component: SHA-512
  C8 executable property: "executable" | "non-executable"
  C9 archive property: "archive" | "no archive"
  C10 structured property: "structured" | "unstructured"
  required in v2.1 when it exists (the v2.0 "additional" fields):
  C11 source code URI
  C12 URI of the deployable form (none exists for files built into a
      firmware image; not checked)
  C13 other unique identifiers (CPE, purl)
  C14 original licences (the creator's declared licences)
  and, 3.1: the SBOM MUST NOT contain vulnerability information.
3.2.1 lets information that the way a component is assembled makes
unavailable be left out (e.g. the hash or filename): the primary component,
a firmware of several image files, has neither (C4, C7 not required for it),
and its own licence is the vendor's to state (C6, C14 not required for it,
nor for the other components the vendor's build makes: image files and
skeleton files, until the vendor states a licence for them).
A file's licences (C6, C14) are those of the package it belongs to.

CycloneDX names (BSI taxonomy): bsi:component:filename, :executable,
:archive, :structured properties; creator = manufacturer.url /
manufacturer.contact[].email; licences = licenses[] with acknowledgement
"declared" (C14) and "concluded" (C6); completeness = compositions.
SPDX 3.0.1: CreationInfo.createdBy / created; originatedBy; name;
software_packageVersion (a file: its package's, else builtTime);
hasDeclaredLicense / hasConcludedLicense; verifiedUsing sha512; dependsOn
with completeness, or contains; externalRef sourceArtifact;
externalIdentifier cpe23 / packageUrl; the bsi:component:* properties as an
extension_CdxPropertiesExtension (SPDX has no field for them)."""
import copy
import hashlib
import json
import re
import sys

import pytest

from conftest import TOP, validate_cyclonedx, validate_spdx3

sys.path.insert(0, str(TOP / "support/scripts"))
from sbom_cyclonedx import cyclonedx  # noqa: E402
from sbom_spdx3 import spdx3  # noqa: E402

EPOCH = 1704067200
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
URL = re.compile(r"^(https?|ftp)://[^\s]+$")
DATE_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$")
SHA512 = re.compile(r"^[0-9a-f]{128}$")
VALUES = {"bsi:component:executable": {"executable", "non-executable"},
          "bsi:component:archive": {"archive", "no archive"},
          "bsi:component:structured": {"structured", "unstructured"}}


def reachable(contact):
    return any(EMAIL.match(c) or URL.match(c) for c in contact)


def check_tr_fields(cdx_path, spdx3_path):
    """Returns the TR-03183-2 fields missing from either document, one line a
    (document, component, field); [] when every component has every field."""
    return check_cyclonedx(json.loads(open(cdx_path).read())) + \
        check_spdx3(json.loads(open(spdx3_path).read()))


def check_cyclonedx(doc):
    miss = []
    md = doc.get("metadata", {})
    man = md.get("manufacturer", {})
    if not reachable(man.get("url", []) + [c.get("email", "") for c in man.get("contact", [])]):
        miss.append("cdx: S1 creator of the SBOM")
    if not DATE_TIME.match(md.get("timestamp", "")):
        miss.append("cdx: S2 timestamp")
    if not re.match(r"^urn:uuid:[0-9a-f-]{36}$", doc.get("serialNumber", "")):
        miss.append("cdx: S3 SBOM-URI")
    if "vulnerabilities" in doc:
        miss.append("cdx: 3.1 vulnerability information in the SBOM")
    primary = md.get("component", {})
    comps = [primary] + doc.get("components", [])
    refs = {c.get("bom-ref") for c in comps}
    deps = {d["ref"]: d.get("dependsOn", []) for d in doc.get("dependencies", [])}
    stated = {r for comp in doc.get("compositions", []) if comp.get("aggregate")
              for r in comp.get("dependencies", [])}
    parent = {t: r for r, ts in deps.items() for t in ts}
    by_ref = {c.get("bom-ref"): c for c in comps}
    def vendors(c):
        """Made by the SBOM's creator (image files, skeleton files): their
        licence is the vendor's to state, like the primary component's."""
        return c.get("manufacturer") == man

    for c in comps:
        ref, is_primary, is_file = c.get("bom-ref"), c is primary, c.get("type") == "file"

        def need(ok, field, ref=ref):
            if not ok:
                miss.append(f"cdx {ref}: {field}")
        m = c.get("manufacturer", {})
        need(reachable(m.get("url", []) + [x.get("email", "") for x in m.get("contact", [])]),
             "C1 creator")
        need(c.get("name"), "C2 name")
        need(c.get("version"), "C3 version")
        props = {}
        for p in c.get("properties", []):
            props.setdefault(p["name"], []).append(p.get("value", ""))
        if not is_primary:
            fn = props.get("bsi:component:filename", [])
            need(len(fn) == 1 and fn[0] and "/" not in fn[0], "C4 filename")
        need(ref in deps and all(t in refs for t in deps[ref]) and ref in stated,
             "C5 dependencies (with completeness)")
        if not is_primary:
            owner = by_ref.get(parent.get(ref)) if is_file else c
            lic = (owner or {}).get("licenses", [])
            acks = {(x.get("license") or x).get("acknowledgement") for x in lic}
            # CycloneDX 1.6 holds one expression per component: a lone
            # expression acknowledged "concluded" stands for both
            lone = len(lic) == 1 and "expression" in lic[0]
            if not vendors(c):
                need("concluded" in acks, "C6 distribution (concluded) licences")
                need("declared" in acks or (lone and "concluded" in acks),
                     "C14 original (declared) licences")
            need(any(h.get("alg") == "SHA-512" and SHA512.match(h.get("content", ""))
                     for h in c.get("hashes", [])), "C7 SHA-512")
        for name, allowed in VALUES.items():
            v = props.get(name, [])
            need(len(v) == 1 and v[0] in allowed, f"C8-C10 {name}")
        if not is_primary and not is_file:
            need(any(e.get("type") == "source-distribution" and URL.match(e.get("url", ""))
                     for e in c.get("externalReferences", [])), "C11 source code URI")
            need(c.get("cpe") or c.get("purl") or c.get("swid"), "C13 other unique identifiers")
    return miss


def check_spdx3(doc):
    miss = []
    graph = doc.get("@graph", [])
    by_id = {e.get("spdxId") or e.get("@id"): e for e in graph}
    info = next((e for e in graph if e.get("type") == "CreationInfo"), {})

    def agent_reachable(aid):
        a = by_id.get(aid, {})
        return reachable([i.get("identifier", "") for i in a.get("externalIdentifier", [])
                          if i.get("externalIdentifierType") == "email"] +
                         [loc for r in a.get("externalRef", []) for loc in r.get("locator", [])])
    if not any(agent_reachable(a) for a in info.get("createdBy", [])):
        miss.append("spdx3: S1 creator of the SBOM")
    if not DATE_TIME.match(info.get("created", "")):
        miss.append("spdx3: S2 timestamp")
    sboms = [e for e in graph if e.get("type") in ("software_Sbom", "SpdxDocument")]
    if not sboms or not all(URL.match(e["spdxId"]) for e in sboms):
        miss.append("spdx3: S3 SBOM-URI")
    if any(e.get("type", "").startswith("security_") for e in graph):
        miss.append("spdx3: 3.1 vulnerability information in the SBOM")
    rels = [e for e in graph if e.get("type") in ("Relationship", "LifecycleScopedRelationship")]

    def related(frm, rtype):
        return [r for r in rels if r["from"] == frm and r["relationshipType"] == rtype]
    container = {t: r["from"] for r in rels if r["relationshipType"] == "contains" for t in r["to"]}
    roots = {r for e in graph if e.get("type") == "software_Sbom" for r in e.get("rootElement", [])}
    comps = [e for e in graph if e.get("type") == "software_Package" or
             (e.get("type") == "software_File" and
              e.get("software_primaryPurpose") not in ("patch", "configuration"))]
    for c in comps:
        sid, is_primary, is_file = c["spdxId"], c["spdxId"] in roots, c["type"] == "software_File"

        def need(ok, field, sid=sid):
            if not ok:
                miss.append(f"spdx3 {sid}: {field}")
        need(any(agent_reachable(a) for a in c.get("originatedBy", [])), "C1 creator")
        need(c.get("name"), "C2 name")
        owner = by_id.get(container.get(sid), {}) if is_file else c
        need(owner.get("software_packageVersion") or c.get("builtTime"), "C3 version")
        props = {}
        for x in c.get("extension", []):
            for p in x.get("extension_cdxProperty", []):
                props.setdefault(p["extension_cdxPropName"], []).append(p.get("extension_cdxPropValue"))
        if not is_primary:
            fn = props.get("bsi:component:filename", [])
            need(len(fn) == 1 and fn[0] and "/" not in fn[0], "C4 filename")
        deps = related(sid, "dependsOn")
        need((deps and all(r.get("completeness") for r in deps)) or sid in container,
             "C5 dependencies (with completeness)")
        if not is_primary and c.get("originatedBy") != info.get("createdBy"):
            if is_file and owner.get("type") == "software_Package" and owner["spdxId"] not in roots:
                lic_of = owner["spdxId"]
            else:
                lic_of = sid
            for rtype, field in (("hasConcludedLicense", "C6 distribution (concluded) licences"),
                                 ("hasDeclaredLicense", "C14 original (declared) licences")):
                need(any(by_id.get(t, {}).get("type") == "simplelicensing_LicenseExpression"
                         for r in related(lic_of, rtype) for t in r["to"]), field)
        if not is_primary:
            need(any(h.get("algorithm") == "sha512" and SHA512.match(h.get("hashValue", ""))
                     for h in c.get("verifiedUsing", [])), "C7 SHA-512")
        for name, allowed in VALUES.items():
            v = props.get(name, [])
            need(len(v) == 1 and v[0] in allowed, f"C8-C10 {name}")
        if not is_primary and not is_file:
            need(any(r.get("externalRefType") == "sourceArtifact" and
                     all(URL.match(u) for u in r.get("locator", [""]))
                     for r in c.get("externalRef", [])), "C11 source code URI")
            need(any(i.get("externalIdentifierType") in ("cpe23", "cpe22", "packageUrl", "swid")
                     for i in c.get("externalIdentifier", [])), "C13 other unique identifiers")
    return miss


def h(text, algo):
    return hashlib.new(algo, text.encode()).hexdigest()


def synthetic():
    """The data support/scripts/sbom's collect() returns (its contract,
    docs of h4's collect: sbom-data.md), made up: three target packages, a
    host package, patches, a root filesystem with an executable, a library,
    an archive and skeleton files, a kernel and a cpio image, two .config."""
    def files(pkg, paths):
        return [{"path": p, "sha256": h(p, "sha256"), "sha512": h(p, "sha512"), "size": 10,
                 "mode": 0o755 if ex else 0o644, "executable": ex, "archive": ar, "package": pkg}
                for p, ex, ar in paths]
    rootfs = files("busybox", [("/bin/busybox", True, False)]) + \
        files("musl", [("/lib/libc.so", True, False)]) + \
        files("", [("/etc/passwd", False, False), ("/usr/share/data.tar.gz", False, True)])

    def pkg(name, version, kind, deps, lic, concluded, owned, in_image=True):
        src = f"{name}-{version}.tar.gz"
        return {"name": name, "version": version, "kind": kind, "category": "Target packages",
                "supplier": f"{name} project <dev@{name}.example>" if name == "busybox"
                else "NOASSERTION",
                "license": lic, "license_concluded": concluded,
                "license_files": [{"file": "COPYING", "sha256": h(name, "sha256"),
                                   "sha1": h(name, "sha1")}],
                "source": src, "url": f"https://example.org/{name}/{src}",
                "downloaded_from": f"http://127.0.0.1:8000/{src}",
                "sha256": h(src, "sha256"), "sha512": h(src, "sha512"),
                "patches": [], "ignore_cves": {},
                "cpe": f"cpe:2.3:a:{name}:{name}:{version}:*:*:*:*:*:*:*",
                "purl": f"pkg:generic/{name}@{version}", "dependencies": deps,
                "in_image": in_image, "in_image_reason": "installed" if in_image else "",
                "files": sorted(owned)}
    packages = [
        pkg("busybox", "1.35.0", "target", ["musl"], "GPL-2.0-only", "GPL-2.0-only",
            ["/bin/busybox"]),
        pkg("linux", "6.1.100", "kernel", [], "GPL-2.0-only WITH Linux-syscall-note",
            "GPL-2.0-only WITH Linux-syscall-note", []),
        pkg("musl", "1.2.4", "toolchain", [], "MIT", "MIT", ["/lib/libc.so"]),
        pkg("host-lz4", "1.9.4", "host", [], "BSD-2-Clause AND GPL-2.0-or-later",
            "BSD-2-Clause AND GPL-2.0-or-later", [], in_image=False),
    ]
    packages[0]["patches"] = [{"file": "./package/busybox/0001-x.patch", "name": "0001-x.patch",
                               "sha256": h("p", "sha256"), "sha1": h("p", "sha1"),
                               "fixes": ["CVE-2022-28391"]}]
    packages[0]["ignore_cves"] = {"CVE-2022-28391": "0001-x.patch"}
    return {
        "name": "testboard", "arch": "x86_64", "kernel_image": "bzImage",
        "creator": {"tool": "tinyroot-sbom", "organization": "ACME GmbH <psirt@acme.example>"},
        "packages": sorted(packages, key=lambda p: p["name"]),
        "images": [{"name": "bzImage", "sha1": h("k", "sha1"), "sha256": h("k", "sha256"),
                    "sha512": h("k", "sha512"), "executable": True, "archive": False},
                   {"name": "rootfs.cpio.gz", "sha1": h("r", "sha1"), "sha256": h("r", "sha256"),
                    "sha512": h("r", "sha512"), "executable": False, "archive": True}],
        "rootfs_files": sorted(rootfs, key=lambda f: f["path"]),
        "build_configs": [{"package": p, "name": f"{p}.config", "sha256": h(p, "sha256"),
                           "sha512": h(p, "sha512"), "path": f"$(O)/build/{p}/.config"}
                          for p in ("busybox", "linux")],
        "tools": [{"package": "make", "version": "4.3-4.1", "arch": "amd64",
                   "programs": ["make"]}],
    }


def write(tmp_path, data, tag=""):
    cdx, s3 = tmp_path / f"sbom{tag}.cdx.json", tmp_path / f"sbom{tag}.spdx3.json"
    cdx.write_text(json.dumps(cyclonedx(data, EPOCH), indent=2) + "\n")
    s3.write_text(json.dumps(spdx3(data, EPOCH), indent=2) + "\n")
    return cdx, s3


def test_spdx3_validates_against_the_spdx_schema_and_is_deterministic(tmp_path):
    cdx, s3 = write(tmp_path, synthetic())
    validate_spdx3(s3)
    validate_cyclonedx(cdx)
    # the same data, the same bytes; other data, another document
    _, again = write(tmp_path, synthetic(), "-again")
    assert again.read_bytes() == s3.read_bytes()
    other = synthetic()
    other["rootfs_files"][0]["sha512"] = h("changed", "sha512")
    _, changed = write(tmp_path, other, "-changed")
    assert changed.read_bytes() != s3.read_bytes()
    # the validator is not blind: a relationship type the model does not have
    doc = json.loads(s3.read_text())
    next(e for e in doc["@graph"] if e["type"] == "Relationship")["relationshipType"] = "includes"
    bad = tmp_path / "bad.spdx3.json"
    bad.write_text(json.dumps(doc))
    with pytest.raises(AssertionError):
        validate_spdx3(bad)


def test_spdx3_says_what_the_data_says(tmp_path):
    """Read back as a graph: the image contains its packages, each package
    contains the files it installed, dependencies, licences, the kernel
    image generated from linux, the .config files as build inputs."""
    data = synthetic()
    doc = spdx3(data, EPOCH)
    graph = {e.get("spdxId") or e["@id"]: e for e in doc["@graph"]}
    named = {(e["type"], e.get("name")): e["spdxId"] for e in doc["@graph"] if "spdxId" in e}
    rels = {(e["from"], e["relationshipType"], t) for e in doc["@graph"]
            if e["type"].endswith("Relationship") for t in e["to"]}
    image = named[("software_Package", "testboard")]
    pkg = {n: named[("software_Package", n)] for n in ("busybox", "musl", "linux", "host-lz4")}
    assert {(image, "contains", pkg[n]) for n in ("busybox", "musl", "linux")} <= rels
    assert not any(r[0] == image and r[2] == pkg["host-lz4"] for r in rels)
    assert (pkg["busybox"], "contains", named[("software_File", "/bin/busybox")]) in rels
    assert (pkg["busybox"], "dependsOn", pkg["musl"]) in rels
    assert (pkg["linux"], "generates", named[("software_File", "images/bzImage")]) in rels
    declared = [graph[t]["simplelicensing_licenseExpression"] for f, r, t in rels
                if f == pkg["linux"] and r == "hasDeclaredLicense"]
    assert declared == ["GPL-2.0-only WITH Linux-syscall-note"]
    build = next(e for e in doc["@graph"] if e["type"] == "build_Build")
    inputs = {graph[t]["name"] for f, r, t in rels if f == build["spdxId"] and r == "hasInput"}
    assert inputs == {"$(O)/build/busybox/.config", "$(O)/build/linux/.config"}
    assert {d["hashValue"] for d in build["build_configSourceDigest"]} >= \
        {h("linux", "sha512"), h("busybox", "sha512")}
    sha512 = {x["hashValue"] for x in graph[named[("software_File", "/lib/libc.so")]]["verifiedUsing"]
              if x["algorithm"] == "sha512"}
    assert sha512 == {hashlib.sha512(b"/lib/libc.so").hexdigest()}
    # no vulnerability status in the SBOM (TR-03183-2 3.1)
    assert "CVE-2022-28391" not in json.dumps(doc)


def test_every_component_has_every_tr_field(tmp_path):
    cdx, s3 = write(tmp_path, synthetic())
    assert check_tr_fields(cdx, s3) == []


@pytest.mark.parametrize("breakage, field", [
    (lambda d: d["rootfs_files"][1].update(sha512=""), "C7 SHA-512"),
    (lambda d: d["packages"][0].update(license_concluded="NOASSERTION"), "C6 distribution"),
    (lambda d: d["packages"][0].update(url="", downloaded_from=""), "C11 source code URI"),
    (lambda d: d["creator"].update(organization="ACME GmbH"), "S1 creator of the SBOM"),
])
def test_the_tr_check_sees_a_missing_field(tmp_path, breakage, field):
    """The check finds what is missing, in both documents."""
    data = copy.deepcopy(synthetic())
    breakage(data)
    cdx, s3 = write(tmp_path, data)
    missing = check_tr_fields(cdx, s3)
    assert any(m.startswith("cdx") and field in m for m in missing), missing
    assert any(m.startswith("spdx3") and field in m for m in missing), missing

"""The CSAF 2.0 VEX document cve-check writes (OASIS CSAF 2.0, profile 5
"VEX", document category csaf_vex), next to the CycloneDX VEX:

  - product_tree: one full_product_name per component of the SBOM (its
    bom-ref is the product_id; its CPE and PURL identify it);
  - vulnerabilities: one per vulnerability id (section 6.1.23: a CVE once),
    with product_status known_affected / known_not_affected / fixed, and
    what the profile requires of each (section 6.1.27.9 and 6.1.27.10): a
    known_not_affected product has an impact threat that states the
    evidence, and the flag vulnerable_code_not_present when the build did
    not compile the code (a recipe's reason for ignoring an id has no
    flag); a known_affected product a remediation (none_available: no patch of the image fixes it); a fixed
    product names the patch as a vendor_fix.

The document has no vulnerability status of its own: it is rebuilt from the
findings, and its dates are the SBOM's (SOURCE_DATE_EPOCH), so one build
gives the same bytes. Its id is a digest of its content."""
import hashlib
import json
import re

from cve_osv import LEVELS

# the CPE 2.3 formatted string, as the CSAF 2.0 schema's pattern accepts it
# (a simplification: no escaped characters)
CPE_RE = re.compile(r"cpe:2\.3:[aho\*\-](:[A-Za-z0-9._\-~%*]+){10}")
PURL_RE = re.compile(r"pkg:[A-Za-z.\-+][A-Za-z0-9.\-+]*/.+")


def product(c):
    helper = {}
    if CPE_RE.fullmatch(c["cpe"]):
        helper["cpe"] = c["cpe"]
    if PURL_RE.fullmatch(c["purl"]):
        helper["purl"] = c["purl"]
    p = {"name": f"{c['name']} {c['version']}".strip() or c["ref"], "product_id": c["ref"]}
    if helper:
        p["product_identification_helper"] = helper
    return p


def vulnerability(vid, group):
    """One CSAF vulnerability: the findings `group` share the id `vid`."""
    v = {}
    if re.fullmatch(r"CVE-\d{4}-\d{4,}", vid):
        v["cve"] = vid
    else:
        v["ids"] = [{"system_name": group[0]["source"], "text": vid}]
    aliases = sorted({a for f in group for a in f["aliases"]} - {vid})
    cves = [a for a in aliases if re.fullmatch(r"CVE-\d{4}-\d{4,}", a)]
    if "cve" not in v and len(cves) == 1:
        v["cve"] = cves[0]
    others = [a for a in aliases if a != v.get("cve")]
    if others:
        v.setdefault("ids", []).extend({"system_name": "alias", "text": a} for a in others)
    summary = next((f["summary"] for f in group if f["summary"]), "")
    if summary:
        v["notes"] = [{"category": "summary", "text": summary}]
    status, flags, threats, remediations, scores = {}, [], [], [], []
    for f in group:
        ids = [c["ref"] for c in f["components"]]
        what = f"{f['names']} {f['version']}"
        if f["status"] == "affected":
            status.setdefault("known_affected", []).extend(ids)
            remediations.append({"category": "none_available", "product_ids": ids,
                                 "details": f"{what} is in an affected range and no patch of the "
                                            "image fixes it"
                                            + (f"; {f['detail']}" if f["detail"] else "")})
        elif f["status"] == "fixed":
            status.setdefault("fixed", []).extend(ids)
            remediations.append({"category": "vendor_fix", "product_ids": ids,
                                 "details": f"fixed by {f['fixed_by']}, applied to {what}"})
        else:
            status.setdefault("known_not_affected", []).extend(ids)
            # the flag for code the build did not compile; a recipe's
            # reason is stated by the impact statement alone
            if f["justification"] == "code_not_present":
                flags.append({"label": "vulnerable_code_not_present", "product_ids": ids})
            threats.append({"category": "impact", "product_ids": ids,
                            "details": f"{what}: {f['detail']}"})
        if f["score"] is not None and f["vector"].startswith("CVSS:3."):
            scores.append({"products": ids, "cvss_v3": {
                "version": f["vector"][5:8], "vectorString": f["vector"],
                "baseScore": f["score"], "baseSeverity": f["severity"].upper()
                if f["severity"] in LEVELS else "NONE"}})
    v["product_status"] = {k: sorted(set(x)) for k, x in sorted(status.items())}
    for key, value in (("flags", flags), ("threats", threats), ("remediations", remediations),
                       ("scores", scores)):
        if value:
            v[key] = value
    return v


def document(sbom, components, findings, publisher="tinyroot",
             namespace="https://tinyroot.invalid"):
    """A CSAF 2.0 csaf_vex document of `findings` about the SBOM's
    `components`; None when there are no findings (the profile requires at
    least one vulnerability, section 6.1.27.11)."""
    if not findings:
        return None
    meta = sbom.get("metadata") if isinstance(sbom.get("metadata"), dict) else {}
    when = meta.get("timestamp") if isinstance(meta.get("timestamp"), str) else "1970-01-01T00:00:00Z"
    image = meta.get("component") if isinstance(meta.get("component"), dict) else {}
    name = image.get("name") if isinstance(image.get("name"), str) else "image"
    used = {c["ref"] for f in findings for c in f["components"]}
    tree = [product(c) for c in sorted(components, key=lambda c: c["ref"]) if c["ref"] in used]
    by_id = {}
    for f in findings:
        by_id.setdefault(f["id"], []).append(f)
    vulns = [vulnerability(vid, group) for vid, group in sorted(by_id.items())]
    body = {"product_tree": {"full_product_names": tree}, "vulnerabilities": vulns}
    serial = sbom.get("serialNumber") if isinstance(sbom.get("serialNumber"), str) else ""
    digest = hashlib.sha256((serial + json.dumps(body, sort_keys=True)).encode()).hexdigest()
    return {
        "document": {
            "category": "csaf_vex",
            "csaf_version": "2.0",
            "lang": "en",
            "title": f"Vulnerability status of the tinyroot image {name}",
            "publisher": {"category": "vendor", "name": publisher, "namespace": namespace},
            "notes": [{"category": "summary", "title": "How this document was made",
                       "text": "Written by tinyroot's cve-check from the image's SBOM "
                               f"({serial or 'no serial number'}) and a vulnerability feed on "
                               "disk; a product is a component of that SBOM."}],
            "tracking": {
                "id": f"tinyroot-vex-{digest[:16]}",
                "status": "final",
                "version": "1",
                "initial_release_date": when,
                "current_release_date": when,
                "revision_history": [{"date": when, "number": "1", "summary": "Initial version."}],
                "generator": {"engine": {"name": "tinyroot cve-check"}, "date": when},
            },
        },
        **body,
    }

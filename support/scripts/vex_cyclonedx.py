"""The CycloneDX 1.6 VEX document cve-check writes: one vulnerability per
finding, its affects[] naming the SBOM's components by BOM-Link
(urn:cdx:SERIAL/VERSION#REF), its analysis the finding's status: fixed by a
patch (resolved_with_pedigree), triaged away (not_affected with its
justification and evidence) or ignored by the recipe (not_affected with its
reason), or affected (in_triage)."""
import json
import urllib.parse
import uuid

from cve_osv import LEVELS


def document(doc, findings):
    """A CycloneDX 1.6 VEX document about the components of SBOM `doc`."""
    serial = doc.get("serialNumber", "") if isinstance(doc.get("serialNumber"), str) else ""
    meta = doc.get("metadata") if isinstance(doc.get("metadata"), dict) else {}
    version = doc.get("version") if isinstance(doc.get("version"), int) else 1

    def link(ref):
        if serial.startswith("urn:uuid:"):
            return f"urn:cdx:{serial[len('urn:uuid:'):]}/{version}#{urllib.parse.quote(ref, safe='')}"
        return ref
    vulns = []
    for f in findings:
        names = f["names"]
        v = {"bom-ref": f"vuln:{f['id']}:{names}:{f['status']}", "id": f["id"],
             "source": {"name": f["source"]}}
        if f["aliases"]:
            v["references"] = [{"id": a, "source": {"name": "alias"}} for a in f["aliases"]]
        if f["severity"] in LEVELS[1:]:
            r = {"severity": f["severity"]}
            if f["score"] is not None:
                r.update(score=f["score"], method="CVSSv31" if "CVSS:3.1" in f["vector"] else "CVSSv3",
                         vector=f["vector"])
            v["ratings"] = [r]
        if f["summary"]:
            v["description"] = f["summary"]
        what = f"{names} {f['version']}"
        if f["status"] == "fixed":
            v["analysis"] = {"state": "resolved_with_pedigree",
                             "detail": f"fixed by {f['fixed_by']}, applied to {what}"}
        elif f["status"] == "not_affected":
            # a recipe's reason has no justification code (CycloneDX's is optional)
            v["analysis"] = {"state": "not_affected", "detail": f"{what}: {f['detail']}",
                             **({"justification": f["justification"]} if f["justification"] else {})}
        else:
            v["analysis"] = {"state": "in_triage",
                             "detail": f"{what} is in an affected range and no patch fixes it"
                                       + (f"; {f['detail']}" if f["detail"] else "")}
        state = "affected" if f["status"] == "affected" else "unaffected"
        v["affects"] = [{"ref": link(c["ref"]), "versions": [{"version": f["version"], "status": state}]}
                        for c in f["components"]]
        vulns.append(v)
    body = {"metadata": {k: meta[k] for k in ("timestamp", "component") if k in meta},
            "vulnerabilities": vulns}
    ident = uuid.uuid5(uuid.NAMESPACE_URL, "tinyroot-vex:" + serial + json.dumps(body, sort_keys=True))
    return {"bomFormat": "CycloneDX", "specVersion": "1.6", "serialNumber": f"urn:uuid:{ident}",
            "version": 1, **body}

"""SPDX 2.3 JSON (spdx.github.io/spdx-spec/v2.3) from the data that
support/scripts/sbom collects."""
import re

from sbom_common import created, deb_purl, identity


def spdx_id(*parts):
    """An SPDX identifier: letters, digits, '.' and '-' only (SPDX 2.3 3.2)."""
    return "SPDXRef-" + "-".join(re.sub(r"[^A-Za-z0-9.]+", "-", p) for p in parts)


def spdx(data, epoch):
    """SPDX 2.3: the image is a package that CONTAINS the packages installed in
    it and its files; packages DEPEND_ON packages; the tools are BUILD_TOOL_OF
    every package; patches are PATCH_APPLIED to theirs."""
    ident = identity(data)
    image_id = spdx_id("Image", data["name"])
    doc = {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": f"{data['name']} image",
        "documentNamespace": f"https://spdx.org/spdxdocs/tinyroot-{data['name']}-{ident}",
        "creationInfo": {"created": created(epoch),
                         "creators": ["Tool: tinyroot-sbom"],
                         "comment": f"tinyroot image for {data['name']} ({data['arch']})"},
        "documentDescribes": [image_id],
        "packages": [],
        "files": [],
        "relationships": [{"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES",
                           "relatedSpdxElement": image_id}],
    }
    rel = doc["relationships"]
    doc["packages"].append({
        "SPDXID": image_id, "name": data["name"], "downloadLocation": "NOASSERTION",
        "filesAnalyzed": False, "primaryPackagePurpose": "FIRMWARE",
        "licenseConcluded": "NOASSERTION", "licenseDeclared": "NOASSERTION",
        "copyrightText": "NOASSERTION", "builtDate": created(epoch),
        "comment": f"the images of tinyroot's {data['name']} board ({data['arch']})"})
    for f in data["images"]:
        fid = spdx_id("File", "images", f["name"])
        doc["files"].append({"SPDXID": fid, "fileName": f"./images/{f['name']}",
                             "checksums": [{"algorithm": "SHA1", "checksumValue": f["sha1"]},
                                           {"algorithm": "SHA256", "checksumValue": f["sha256"]}],
                             "licenseConcluded": "NOASSERTION", "copyrightText": "NOASSERTION"})
        rel.append({"spdxElementId": image_id, "relationshipType": "CONTAINS",
                    "relatedSpdxElement": fid})
    tool_ids = []
    for t in data["tools"]:
        tid = spdx_id("Tool", t["package"])
        tool_ids.append(tid)
        doc["packages"].append({
            "SPDXID": tid, "name": t["package"], "versionInfo": t["version"],
            "supplier": "Organization: Debian", "downloadLocation": "NOASSERTION",
            "filesAnalyzed": False, "primaryPackagePurpose": "APPLICATION",
            "licenseConcluded": "NOASSERTION", "licenseDeclared": "NOASSERTION",
            "copyrightText": "NOASSERTION",
            "comment": "build tool: " + ", ".join(t["programs"]),
            "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                              "referenceLocator": deb_purl(t)}]})
    for p in data["packages"]:
        pid = spdx_id("Package", p["name"])
        refs = [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                 "referenceLocator": p["purl"]}]
        if p["cpe"]:
            refs.insert(0, {"referenceCategory": "SECURITY", "referenceType": "cpe23Type",
                            "referenceLocator": p["cpe"]})
        entry = {
            "SPDXID": pid, "name": p["name"], "versionInfo": p["version"],
            "downloadLocation": p["url"] if p["url"].startswith(("http", "ftp")) else "NOASSERTION",
            "filesAnalyzed": False,
            "primaryPackagePurpose": {"kernel": "OPERATING_SYSTEM", "toolchain": "LIBRARY",
                                      "host": "APPLICATION"}.get(
                                          p["kind"], "LIBRARY" if p["category"] == "Libraries"
                                          else "APPLICATION"),
            "licenseConcluded": "NOASSERTION", "licenseDeclared": p["license"],
            "copyrightText": "NOASSERTION", "externalRefs": refs,
        }
        if p["supplier"] != "NOASSERTION":
            entry["supplier"] = entry["originator"] = f"Organization: {p['supplier']}"
        if p["source"]:
            entry["packageFileName"] = p["source"]
        if p["sha256"]:
            entry["checksums"] = [{"algorithm": "SHA256", "checksumValue": p["sha256"]}]
        info = [f"downloaded from {p['downloaded_from'] or 'NOASSERTION'}"]
        if p["patches"]:
            info.append("patched with " + ", ".join(x["name"] for x in p["patches"]))
        if p["ignore_cves"]:
            info.append("fixes " + ", ".join(f"{c} ({x})" for c, x in p["ignore_cves"].items()))
        entry["sourceInfo"] = "; ".join(info)
        doc["packages"].append(entry)
        if p["in_image"]:
            rel.append({"spdxElementId": image_id, "relationshipType": "CONTAINS",
                        "relatedSpdxElement": pid})
        else:
            rel.append({"spdxElementId": pid, "relationshipType": "BUILD_DEPENDENCY_OF",
                        "relatedSpdxElement": image_id})
        for d in p["dependencies"]:
            rel.append({"spdxElementId": pid, "relationshipType": "DEPENDS_ON",
                        "relatedSpdxElement": spdx_id("Package", d)})
        for tid in tool_ids:
            rel.append({"spdxElementId": tid, "relationshipType": "BUILD_TOOL_OF",
                        "relatedSpdxElement": pid})
        for x in p["patches"]:
            fid = spdx_id("File", p["name"], "patch", x["name"])
            doc["files"].append({"SPDXID": fid, "fileName": x["file"],
                                 "checksums": [{"algorithm": "SHA1", "checksumValue": x["sha1"]},
                                               {"algorithm": "SHA256", "checksumValue": x["sha256"]}],
                                 "licenseConcluded": "NOASSERTION",
                                 "copyrightText": "NOASSERTION",
                                 **({"comment": "fixes " + ", ".join(x["fixes"])} if x["fixes"] else {})})
            rel.append({"spdxElementId": fid, "relationshipType": "PATCH_APPLIED",
                        "relatedSpdxElement": pid})
        for lf in p["license_files"]:
            fid = spdx_id("File", p["name"], "license", lf["file"])
            doc["files"].append({"SPDXID": fid, "fileName": f"./{p['name']}/{lf['file']}",
                                 "checksums": [{"algorithm": "SHA1", "checksumValue": lf["sha1"]},
                                               {"algorithm": "SHA256", "checksumValue": lf["sha256"]}],
                                 "licenseConcluded": "NOASSERTION",
                                 "copyrightText": "NOASSERTION",
                                 "comment": f"license file of {p['name']} (its source tree)"})
            rel.append({"spdxElementId": pid, "relationshipType": "CONTAINS",
                        "relatedSpdxElement": fid})
        if p["kind"] == "kernel" and data["kernel_image"] in {f["name"] for f in data["images"]}:
            rel.append({"spdxElementId": spdx_id("File", "images", data["kernel_image"]),
                        "relationshipType": "GENERATED_FROM", "relatedSpdxElement": pid})
    return doc

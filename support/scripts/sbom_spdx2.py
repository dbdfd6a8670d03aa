"""SPDX 2.3 JSON (spdx.github.io/spdx-spec/v2.3) from the data that
support/scripts/sbom collects."""
import re

from sbom_common import created, deb_purl, identity


def spdx_id(*parts):
    """An SPDX identifier: letters, digits, '.' and '-' only (SPDX 2.3 3.2)."""
    return "SPDXRef-" + "-".join(re.sub(r"[^A-Za-z0-9.]+", "-", p) for p in parts)


def spdx(data, epoch):
    """SPDX 2.3: the image is a package that CONTAINS its files (SHA-1,
    SHA-256, SHA-512) and the packages in it (a file of theirs in the root
    filesystem, a static library linked into a program there, or an image
    file they made: the relationship's comment says which); the others are a
    BUILD_DEPENDENCY_OF it. The root filesystem image CONTAINS each of its
    regular files, and the package that installed one CONTAINS it too.
    Packages DEPEND_ON their dependencies, and a package whose programs are
    linked statically has a STATIC_LINK to each library in them. The tools
    are BUILD_TOOL_OF every package; patches are PATCH_APPLIED to theirs; a
    kconfig package's .config is a METAFILE_OF it (the build's configuration,
    as a pom.xml is a package's)."""
    ident = identity(data)
    used_ids = set()

    def file_id(*parts):
        """spdx_id() of a file, made unique: "a-b" and "a_b" both give
        "a-b", so a later one gets a number."""
        base = spdx_id("File", *parts)
        fid, n = base, 1
        while fid in used_ids:
            n += 1
            fid = f"{base}-{n}"
        used_ids.add(fid)
        return fid

    def checksums(x):
        return [{"algorithm": a.upper(), "checksumValue": x[a]}
                for a in ("sha1", "sha256", "sha512") if x.get(a)]

    def file_types(x):
        types = (["APPLICATION"] if x["executable"] else []) + (["ARCHIVE"] if x["archive"] else [])
        return {"fileTypes": types} if types else {}

    creators = ["Tool: " + data["creator"]["tool"]]
    if data["creator"]["organization"]:
        creators.append("Organization: " + data["creator"]["organization"])
    image_id = spdx_id("Image", data["name"])
    doc = {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": f"{data['name']} image",
        "documentNamespace": f"https://spdx.org/spdxdocs/tinyroot-{data['name']}-{ident}",
        "creationInfo": {"created": created(epoch),
                         "creators": creators,
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
    image_ids = {}
    for f in data["images"]:
        fid = image_ids[f["name"]] = file_id("images", f["name"])
        doc["files"].append({"SPDXID": fid, "fileName": f"./images/{f['name']}",
                             "checksums": checksums(f), **file_types(f),
                             "licenseConcluded": "NOASSERTION", "copyrightText": "NOASSERTION"})
        rel.append({"spdxElementId": image_id, "relationshipType": "CONTAINS",
                    "relatedSpdxElement": fid})
    # the root filesystem image: the images/ file whose name starts rootfs.
    rootfs_id = next((i for n, i in sorted(image_ids.items()) if n.startswith("rootfs.")), image_id)
    owned = {}
    for f in data["rootfs_files"]:
        fid = file_id("rootfs", f["path"])
        doc["files"].append({
            "SPDXID": fid, "fileName": "." + f["path"], "checksums": checksums(f), **file_types(f),
            "licenseConcluded": "NOASSERTION", "copyrightText": "NOASSERTION",
            "comment": f"in the root filesystem: mode {f['mode']:04o}, owner {f['uid']}:{f['gid']}, "
                       f"{f['size']} bytes" + (f", installed by {f['package']}" if f["package"] else
                                               ", not installed by a package")})
        rel.append({"spdxElementId": rootfs_id, "relationshipType": "CONTAINS",
                    "relatedSpdxElement": fid})
        if f["package"]:
            owned.setdefault(f["package"], []).append(fid)
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
            "licenseConcluded": p["license_concluded"], "licenseDeclared": p["license"],
            "copyrightText": "NOASSERTION", "externalRefs": refs,
        }
        if p["supplier"] != "NOASSERTION":
            entry["supplier"] = entry["originator"] = f"Organization: {p['supplier']}"
        if p["source"]:
            entry["packageFileName"] = p["source"]
        if p["sha256"] or p["sha512"]:
            entry["checksums"] = checksums(p)
        info = [f"downloaded from {p['downloaded_from'] or 'NOASSERTION'}"]
        if p["patches"]:
            info.append("patched with " + ", ".join(x["name"] for x in p["patches"]))
        if p["ignore_cves"]:
            info.append("fixes " + ", ".join(f"{c} ({x})" for c, x in p["ignore_cves"].items()))
        entry["sourceInfo"] = "; ".join(info)
        doc["packages"].append(entry)
        if p["in_image"]:
            rel.append({"spdxElementId": image_id, "relationshipType": "CONTAINS",
                        "relatedSpdxElement": pid, "comment": {
                            "installed": "files it installed are in the root filesystem",
                            "linked-statically": "its static library is linked into programs "
                                                 "of the root filesystem",
                            "image-file": "it made an image file"}[p["in_image_reason"]]})
        else:
            rel.append({"spdxElementId": pid, "relationshipType": "BUILD_DEPENDENCY_OF",
                        "relatedSpdxElement": image_id})
        for d in p["dependencies"]:
            rel.append({"spdxElementId": pid, "relationshipType": "DEPENDS_ON",
                        "relatedSpdxElement": spdx_id("Package", d)})
        for d in p["static_links"]:
            rel.append({"spdxElementId": pid, "relationshipType": "STATIC_LINK",
                        "relatedSpdxElement": spdx_id("Package", d)})
        for fid in owned.get(p["name"], []):
            rel.append({"spdxElementId": pid, "relationshipType": "CONTAINS",
                        "relatedSpdxElement": fid})
        for tid in tool_ids:
            rel.append({"spdxElementId": tid, "relationshipType": "BUILD_TOOL_OF",
                        "relatedSpdxElement": pid})
        for x in p["patches"]:
            fid = file_id(p["name"], "patch", x["name"])
            doc["files"].append({"SPDXID": fid, "fileName": x["file"],
                                 "checksums": [{"algorithm": "SHA1", "checksumValue": x["sha1"]},
                                               {"algorithm": "SHA256", "checksumValue": x["sha256"]}],
                                 "licenseConcluded": "NOASSERTION",
                                 "copyrightText": "NOASSERTION",
                                 **({"comment": "fixes " + ", ".join(x["fixes"])} if x["fixes"] else {})})
            rel.append({"spdxElementId": fid, "relationshipType": "PATCH_APPLIED",
                        "relatedSpdxElement": pid})
        for lf in p["license_files"]:
            fid = file_id(p["name"], "license", lf["file"])
            doc["files"].append({"SPDXID": fid, "fileName": f"./{p['name']}/{lf['file']}",
                                 "checksums": [{"algorithm": "SHA1", "checksumValue": lf["sha1"]},
                                               {"algorithm": "SHA256", "checksumValue": lf["sha256"]}],
                                 "licenseConcluded": "NOASSERTION",
                                 "copyrightText": "NOASSERTION",
                                 "comment": f"license file of {p['name']} (its source tree)"})
            rel.append({"spdxElementId": pid, "relationshipType": "CONTAINS",
                        "relatedSpdxElement": fid})
        if p["kind"] == "kernel" and data["kernel_image"] in image_ids:
            rel.append({"spdxElementId": image_ids[data["kernel_image"]],
                        "relationshipType": "GENERATED_FROM", "relatedSpdxElement": pid})
    for c in data["build_configs"]:
        fid = file_id(c["package"], "config")
        doc["files"].append({"SPDXID": fid, "fileName": c["path"], "checksums": checksums(c),
                             "fileTypes": ["TEXT"], "licenseConcluded": "NOASSERTION",
                             "copyrightText": "NOASSERTION",
                             "comment": f"the configuration {c['package']} was built with "
                                        f"({c['name']})"})
        rel.append({"spdxElementId": fid, "relationshipType": "METAFILE_OF",
                    "relatedSpdxElement": spdx_id("Package", c["package"])})
    return doc

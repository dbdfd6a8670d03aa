"""SPDX 3.0.1 JSON-LD (spdx.github.io/spdx-spec/v3.0.1) from the data that
support/scripts/sbom collects: the format BSI TR-03183-2 v2.1 accepts besides
CycloneDX 1.6 (it no longer accepts SPDX 2).

One @graph: the CreationInfo (SBOM creator, timestamp), the SpdxDocument and
its software_Sbom (type "build"), a software_Package for the image (the
primary component) and for each package, a software_File for each image file,
each file of the root filesystem, each patch and each kconfig package's
.config, a build_Build for the build, and the Relationships between them:
contains, dependsOn (with its completeness), hasDeclaredLicense and
hasConcludedLicense, patchedBy, generates, hasDistributionArtifact, hasInput,
hasOutput, usesTool, configures. The TR's own component properties
(executable, archive, structured, filename), which SPDX has no field for, are
carried with their CycloneDX names (the BSI's taxonomy, bsi:component:*) in
an extension_CdxPropertiesExtension, the extension profile's way of carrying
CycloneDX properties; executable and archive are also said as
software_additionalPurpose. No vulnerability status: the TR keeps that in
the VEX.

Deterministic: every spdxId is derived from the content (the document's
namespace is a digest of the data, element names follow the package, file or
relationship they name), and the graph is sorted by spdxId."""
import hashlib
import re

from sbom_common import contact, created, date, deb_purl, identity, project_page, source_uri

CONTEXT = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
PROFILES = ["build", "core", "extension", "simpleLicensing", "software"]
NOASSERTION_LICENSE = "spdx:ExpandedLicensing/NoAssertionLicense"
NONE_ELEMENT = "spdx:Core/NoneElement"
CREATION = "_:creationinfo"


def slug(text):
    """A readable, IRI-safe fragment of a name or path."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "x"


def hashes(item, algorithms=("sha256", "sha512")):
    return [{"type": "Hash", "algorithm": a, "hashValue": item[a]}
            for a in algorithms if item.get(a)]


def bsi_properties(filename, executable, archive, structured):
    """BSI TR-03183-2 v2.1's component properties, with the values its
    CycloneDX taxonomy (github.com/BSI-Bund/tr-03183-cyclonedx-property-taxonomy)
    gives them."""
    entries = []
    if filename:
        entries.append(("bsi:component:filename", filename))
    entries += [("bsi:component:executable", "executable" if executable else "non-executable"),
                ("bsi:component:archive", "archive" if archive else "no archive"),
                ("bsi:component:structured", "structured" if structured else "unstructured")]
    return [{"type": "extension_CdxPropertiesExtension",
             "extension_cdxProperty": [{"type": "extension_CdxPropertyEntry",
                                        "extension_cdxPropName": k, "extension_cdxPropValue": v}
                                       for k, v in entries]}]


def purposes(executable, archive):
    return [p for p, on in (("executable", executable), ("archive", archive)) if on]


def spdx3(data, epoch):
    """The SPDX 3.0.1 document as a dict (json.dumps it)."""
    base = f"https://spdx.org/spdxdocs/tinyroot-{slug(data['name'])}-{identity(data)}"
    graph = {}

    def add(kind, name, element):
        """Adds `element` (with its type) as <base>/<kind>/<name>; returns the id."""
        sid = f"{base}/{kind}/{slug(name)}"
        if sid in graph:
            raise ValueError(f"two SPDX elements named {sid}")
        graph[sid] = {"spdxId": sid, "creationInfo": CREATION, **element}
        return sid

    def relate(frm, rtype, to, **extra):
        key = hashlib.sha256("\0".join([frm, rtype, *to]).encode()).hexdigest()[:16]
        add("Relationship", f"{rtype}-{key}",
            {"type": extra.pop("kind", "Relationship"), "from": frm,
             "relationshipType": rtype, "to": sorted(to), **extra})

    licenses = {}

    def license_expression(expr):
        if expr in ("", "NOASSERTION"):
            return NOASSERTION_LICENSE
        if expr not in licenses:
            licenses[expr] = add("License", expr, {"type": "simplelicensing_LicenseExpression",
                                                    "simplelicensing_licenseExpression": expr})
        return licenses[expr]

    agents = {}

    def organization(text, page=""):
        """An Organization for a creator or supplier (its email address as an
        external identifier, its web page as an external reference)."""
        name, emails, urls = contact(text)
        urls = urls or ([page] if page else [])
        key = (name, tuple(emails), tuple(urls))
        if key not in agents:
            org = {"type": "Organization", "name": name}
            if emails:
                org["externalIdentifier"] = [{"type": "ExternalIdentifier",
                                              "externalIdentifierType": "email", "identifier": e}
                                             for e in emails]
            if urls:
                org["externalRef"] = [{"type": "ExternalRef", "externalRefType": "altWebPage",
                                       "locator": urls}]
            agents[key] = add("Organization", "-".join([name, *emails, *urls]), org)
        return agents[key]

    creator = data.get("creator") or {}
    organization_text = creator.get("organization") or ""
    creator_id = organization(organization_text or "NOASSERTION (TR_SBOM_SUPPLIER is not set)")
    tool_id = add("Tool", creator.get("tool") or "tinyroot-sbom",
                  {"type": "Tool", "name": creator.get("tool") or "tinyroot-sbom"})
    when = created(epoch)
    data_license = license_expression("CC0-1.0")

    # the primary component: the image as a whole
    images = data["images"]
    image_id = add("Package", f"image-{data['name']}", {
        "type": "software_Package", "name": data["name"],
        "software_packageVersion": date(epoch), "builtTime": when,
        "description": f"tinyroot image for {data['name']} ({data['arch']})",
        "originatedBy": [creator_id], "suppliedBy": creator_id,
        "software_primaryPurpose": "firmware",
        "software_additionalPurpose": ["archive", "executable"],
        "extension": bsi_properties("", True, True,
                                    any(f.get("archive") for f in images))})

    pkg_ids = {}
    for p in data["packages"]:
        page = p.get("homepage") or project_page(p["url"])
        maker = organization(p["supplier"] if p["supplier"] != "NOASSERTION" else p["name"], page)
        files = p.get("files", [])
        by_path = {f["path"]: f for f in data.get("rootfs_files", [])}
        executable = any(by_path.get(f, {}).get("executable") for f in files)
        element = {
            "type": "software_Package", "name": p["name"],
            "software_packageVersion": p["version"], "originatedBy": [maker],
            "software_primaryPurpose": {"kernel": "operatingSystem", "toolchain": "library"}.get(
                p["kind"], "library" if p["category"] == "Libraries" else "application"),
            "software_packageUrl": p["purl"],
            "externalIdentifier": ([{"type": "ExternalIdentifier", "externalIdentifierType": "cpe23",
                                     "identifier": p["cpe"]}] if p["cpe"] else []) +
                                  [{"type": "ExternalIdentifier", "externalIdentifierType": "packageUrl",
                                    "identifier": p["purl"]}],
            # a package is a structured archive of its files (TR 8.1.5: "packages")
            "software_additionalPurpose": purposes(executable, True),
            "extension": bsi_properties(p["source"], executable, True, True),
        }
        if p["supplier"] != "NOASSERTION":
            element["suppliedBy"] = maker
        if source_uri(p):
            element["software_downloadLocation"] = source_uri(p)
            element["externalRef"] = [{"type": "ExternalRef", "externalRefType": "sourceArtifact",
                                       "locator": [source_uri(p)]}]
        if p["downloaded_from"].startswith(("http", "ftp", "file")):
            element.setdefault("externalRef", []).append(
                {"type": "ExternalRef", "externalRefType": "altDownloadLocation",
                 "locator": [p["downloaded_from"]], "comment": "this build downloaded it from"})
        if p["source"] and (p.get("sha256") or p.get("sha512")):
            # the verified download the package was built from
            element["verifiedUsing"] = hashes(p)
            element["software_sourceInfo"] = f"built from {p['source']} (verifiedUsing: its digests)"
        if not element["externalIdentifier"]:
            del element["externalIdentifier"]
        pkg_ids[p["name"]] = add("Package", p["name"], element)

    for p in data["packages"]:
        pid = pkg_ids[p["name"]]
        relate(pid, "hasDeclaredLicense", [license_expression(p["license"])])
        relate(pid, "hasConcludedLicense",
               [license_expression(p.get("license_concluded", "NOASSERTION"))])
        deps = [pkg_ids[d] for d in p["dependencies"] if d in pkg_ids]
        # the recipes state every dependency: the list is complete, even empty
        relate(pid, "dependsOn", deps or [NONE_ELEMENT], completeness="complete")
        for x in p["patches"]:
            fid = add("File", f"{p['name']}-patch-{x['name']}", {
                "type": "software_File", "name": x["file"], "software_fileKind": "file",
                "software_primaryPurpose": "patch", "verifiedUsing": hashes(x, ("sha1", "sha256"))})
            relate(pid, "patchedBy", [fid])

    for p in data["packages"]:
        if p["in_image"]:
            relate(image_id, "contains", [pkg_ids[p["name"]]], completeness="complete")

    # the files of the root filesystem, each in the package that installed it
    pkg_by_name = {p["name"]: p for p in data["packages"]}
    contained = {}
    for f in data.get("rootfs_files", []):
        owner = pkg_by_name.get(f.get("package", ""))
        name = f["path"].rsplit("/", 1)[-1]
        element = {"type": "software_File", "name": f["path"], "software_fileKind": "file",
                   "verifiedUsing": hashes(f),
                   "software_primaryPurpose": "executable" if f["executable"] else
                                              "archive" if f["archive"] else "file",
                   "extension": bsi_properties(name, f["executable"], f["archive"], f["archive"])}
        if f["executable"] or f["archive"]:
            element["software_additionalPurpose"] = purposes(f["executable"], f["archive"])
        if owner:
            page = owner.get("homepage") or project_page(owner["url"])
            element["originatedBy"] = [organization(
                owner["supplier"] if owner["supplier"] != "NOASSERTION" else owner["name"], page)]
            if owner["url"].startswith(("http", "ftp")):
                element["externalRef"] = [{"type": "ExternalRef", "externalRefType": "sourceArtifact",
                                           "locator": [owner["url"]]}]
        else:
            # skeleton and generated files: made by this build
            element["originatedBy"] = [creator_id]
            element["builtTime"] = when
        fid = add("File", f"rootfs{f['path']}", element)
        contained.setdefault(pkg_ids[owner["name"]] if owner else image_id, []).append(fid)
        # a file's own dependencies are not analysed (no ELF DT_NEEDED reading)
        relate(fid, "dependsOn", [NONE_ELEMENT], completeness="noAssertion")
    for parent, files in sorted(contained.items()):
        relate(parent, "contains", files, completeness="complete")

    # the image files: the firmware's deployable form
    image_files = []
    kernel = next((p for p in data["packages"] if p["kind"] == "kernel"), None)
    for f in images:
        is_kernel = f["name"] == data["kernel_image"] and kernel is not None
        executable, archive = f.get("executable", False), f.get("archive", False)
        fid = add("File", f"images-{f['name']}", {
            "type": "software_File", "name": f"images/{f['name']}", "software_fileKind": "file",
            "verifiedUsing": hashes(f, ("sha1", "sha256", "sha512")), "builtTime": when,
            "originatedBy": [creator_id],
            "software_primaryPurpose": "operatingSystem" if is_kernel else
                                       "filesystemImage" if archive else "firmware",
            **({"software_additionalPurpose": purposes(executable, archive)}
               if executable or archive else {}),
            "extension": bsi_properties(f["name"], executable, archive, archive)})
        image_files.append(fid)
        relate(fid, "dependsOn", [NONE_ELEMENT], completeness="noAssertion")
        if is_kernel:
            relate(pkg_ids[kernel["name"]], "generates", [fid])
    if image_files:
        relate(image_id, "hasDistributionArtifact", image_files)
    relate(image_id, "dependsOn", [NONE_ELEMENT], completeness="complete")

    # the build: its tools, the .config of each kconfig package, its outputs
    tool_ids = []
    for t in data["tools"]:
        tool_ids.append(add("Tool", f"deb-{t['package']}", {
            "type": "Tool", "name": t["package"],
            "comment": f"Debian {t['package']} {t['version']} ({t['arch']}): " + ", ".join(t["programs"]),
            "externalIdentifier": [{"type": "ExternalIdentifier",
                                    "externalIdentifierType": "packageUrl",
                                    "identifier": deb_purl(t)}]}))
    configs = data.get("build_configs", [])
    build = {"type": "build_Build", "name": f"make ({data['name']})",
             "build_buildType": "https://spdx.org/spdxdocs/tinyroot/buildType/make",
             "build_buildEndTime": when,
             "build_parameter": [{"type": "DictionaryEntry", "key": "SOURCE_DATE_EPOCH",
                                  "value": str(epoch)}]}
    if configs:
        build["build_configSourceDigest"] = [h for c in configs for h in hashes(c)]
    build_id = add("Build", data["name"], build)
    if tool_ids:
        relate(build_id, "usesTool", tool_ids)
    for c in configs:
        cid = add("File", f"config-{c['package']}-{c['name']}", {
            "type": "software_File", "name": c["path"], "software_fileKind": "file",
            "software_primaryPurpose": "configuration", "verifiedUsing": hashes(c),
            "comment": f"the .config {c['package']} was built with"})
        relate(build_id, "hasInput", [cid])
        if c["package"] in pkg_ids:
            relate(cid, "configures", [pkg_ids[c["package"]]], kind="LifecycleScopedRelationship",
                   scope="build")
    relate(build_id, "hasOutput", image_files or [image_id])

    sbom_id = f"{base}/Sbom"
    doc_id = f"{base}/SpdxDocument"
    ids = sorted(graph)
    sbom = {"type": "software_Sbom", "spdxId": sbom_id, "creationInfo": CREATION,
            "name": f"{data['name']} image", "software_sbomType": ["build"],
            "profileConformance": PROFILES, "rootElement": [image_id], "element": ids}
    document = {"type": "SpdxDocument", "spdxId": doc_id, "creationInfo": CREATION,
                "name": f"{data['name']} image", "dataLicense": data_license,
                "profileConformance": PROFILES, "rootElement": [sbom_id],
                "element": ids + [sbom_id]}
    creation = {"type": "CreationInfo", "@id": CREATION, "created": when, "specVersion": "3.0.1",
                "createdBy": [creator_id], "createdUsing": [tool_id]}
    return {"@context": CONTEXT,
            "@graph": [creation, document, sbom] + [graph[i] for i in sorted(graph)]}

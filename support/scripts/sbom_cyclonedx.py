"""CycloneDX 1.6 JSON (cyclonedx.org/docs/1.6/json) from the data that
support/scripts/sbom collects, with the fields BSI TR-03183-2 v2.1 requires
of every component: its creator (manufacturer, by email address or URL), its
SHA-512, its filename, executable, archive and structured properties (the
BSI's taxonomy, github.com/BSI-Bund/tr-03183-cyclonedx-property-taxonomy),
its declared and concluded licences (1.6's license acknowledgement), and its
dependencies with their completeness (compositions)."""
import re

from sbom_common import contact, created, date, deb_purl, identity, project_page, source_uri

# an SPDX license id alone (no operator), which the list form can carry
LICENSE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+-]*$")


def manufacturer(text, page=""):
    """An organizational entity: name, email contact, URL (the TR's creator)."""
    name, emails, urls = contact(text)
    urls = urls or ([page] if page else [])
    entity = {"name": name}
    if urls:
        entity["url"] = urls
    if emails:
        entity["contact"] = [{"email": e} for e in emails]
    return entity


def bsi(filename, executable, archive, structured):
    """BSI TR-03183-2 v2.1's component properties, named and valued as the
    BSI's CycloneDX taxonomy says."""
    props = [{"name": "bsi:component:filename", "value": filename}] if filename else []
    return props + [
        {"name": "bsi:component:executable", "value": "executable" if executable else "non-executable"},
        {"name": "bsi:component:archive", "value": "archive" if archive else "no archive"},
        {"name": "bsi:component:structured", "value": "structured" if structured else "unstructured"}]


def licenses(declared, concluded):
    """The declared (the TR's original) and the concluded (the TR's
    distribution) licences. CycloneDX 1.6 holds either a list of single
    licences, each with its acknowledgement, or exactly one expression: two
    plain ids take the list, an expression stands alone (the concluded one
    when the recipe states it, the declared one otherwise)."""
    if declared == "NOASSERTION":
        return []
    if concluded == "NOASSERTION":
        return [{"expression": declared, "acknowledgement": "declared"}]
    if LICENSE_ID.match(declared) and LICENSE_ID.match(concluded):
        return [{"license": {"id": declared, "acknowledgement": "declared"}},
                {"license": {"id": concluded, "acknowledgement": "concluded"}}]
    return [{"expression": concluded, "acknowledgement": "concluded"}]


def hashes(item, algorithms):
    names = {"sha1": "SHA-1", "sha256": "SHA-256", "sha512": "SHA-512"}
    return [{"alg": names[a], "content": item[a]} for a in algorithms if item.get(a)]


def patch_type(patch):
    """CycloneDX's patch type: "backport" for a patch its Upstream-Status
    says is upstream's own change, "unofficial" for one it says is not
    (Pending, Submitted, Inappropriate, ...); without that line, "backport"
    when the patch fixes a CVE (a fix taken from upstream), else
    "unofficial"."""
    status = patch.get("upstream_status", "").lower()
    if status:
        return "backport" if status == "backport" else "unofficial"
    return "backport" if patch["fixes"] else "unofficial"


def cyclonedx(data, epoch):
    """CycloneDX 1.6: the image is the metadata's component; each package a
    component with its hashes, licenses, CPE, PURL and pedigree (patches and
    what they resolve); each image file and each file of the root filesystem
    a file component; the build tools and the kconfig packages' .config are
    the formulation's components, out of the image's scope, that every
    package's build depends on."""
    ident = identity(data)
    image_ref = f"image:{data['name']}"
    creator = data.get("creator") or {}
    sbom_creator = manufacturer(creator.get("organization") or
                                "NOASSERTION (TR_SBOM_SUPPLIER is not set)")
    day = date(epoch)
    rootfs = data.get("rootfs_files", [])
    by_path = {f["path"]: f for f in rootfs}
    components = []
    deps = []
    for p in data["packages"]:
        ref = f"pkg:{p['name']}"
        page = p.get("homepage") or project_page(p["url"])
        maker = manufacturer(p["supplier"] if p["supplier"] != "NOASSERTION" else p["name"], page)
        files = p.get("files", [])
        c = {"type": {"kernel": "operating-system", "toolchain": "library"}.get(
                 p["kind"], "library" if p["category"] == "Libraries" else "application"),
             "bom-ref": ref, "manufacturer": maker, "name": p["name"], "version": p["version"]}
        if p["supplier"] != "NOASSERTION":
            c["supplier"] = {"name": p["supplier"]}
        if p.get("sha256") or p.get("sha512"):
            c["hashes"] = hashes(p, ("sha256", "sha512"))
        lic = licenses(p["license"], p.get("license_concluded", "NOASSERTION"))
        if lic:
            c["licenses"] = lic
        if p["cpe"]:
            c["cpe"] = p["cpe"]
        c["purl"] = p["purl"]
        if not p["in_image"]:
            c["scope"] = "excluded"
        ext = []
        if source_uri(p):
            e = {"type": "source-distribution", "url": source_uri(p),
                 "comment": "published at" if source_uri(p) == p["url"] else "its source, as this build took it"}
            if p.get("sha256") or p.get("sha512"):
                e["hashes"] = hashes(p, ("sha256", "sha512"))
            ext.append(e)
        if p["downloaded_from"].startswith(("http", "ftp", "file")):
            ext.append({"type": "distribution-intake", "url": p["downloaded_from"],
                        "comment": "this build downloaded it from"})
        if ext:
            c["externalReferences"] = ext
        if p["patches"]:
            c["pedigree"] = {"patches": [
                {"type": patch_type(x),
                 "diff": {"url": x["file"]},
                 **({"resolves": [{"type": "security", "id": cve,
                                   "source": {"name": "NVD",
                                              "url": f"https://nvd.nist.gov/vuln/detail/{cve}"}}
                                  for cve in x["fixes"]]} if x["fixes"] else {})}
                for x in p["patches"]]}
        # a package is a structured archive of its files (TR 8.1.5: "packages"),
        # its filename the source archive it is built from
        executable = any(by_path.get(f, {}).get("executable") for f in files)
        props = bsi(p["source"], executable, True, True)
        props.append({"name": "tinyroot:kind", "value": p["kind"]})
        if lic and "expression" in lic[0] and lic[0]["expression"] != p["license"]:
            # the one expression CycloneDX 1.6 holds is the concluded licence
            props.append({"name": "tinyroot:declared-license", "value": p["license"]})
        props += [{"name": f"tinyroot:patch-sha256:{x['name']}", "value": x["sha256"]}
                  for x in p["patches"]]
        props += [{"name": f"tinyroot:license-file-sha256:{lf['file']}", "value": lf["sha256"]}
                  for lf in p["license_files"]]
        props += [{"name": "tinyroot:fixed-by-patch", "value": f"{cve} {x}"}
                  for cve, x in p["ignore_cves"].items()]
        if p["source"]:
            props.append({"name": "tinyroot:source-file", "value": p["source"]})
        c["properties"] = props
        components.append(c)
        # the TR counts what a component contains among its dependencies
        deps.append({"ref": ref, "dependsOn": [f"pkg:{d}" for d in p["dependencies"]] +
                     [f"file:{f}" for f in files if f in by_path]})
    for f in data["images"]:
        executable, archive = f.get("executable", False), f.get("archive", False)
        components.append({"type": "file", "bom-ref": f"file:images/{f['name']}",
                           "manufacturer": sbom_creator, "name": f"images/{f['name']}",
                           "version": day,
                           "hashes": hashes(f, ("sha1", "sha256", "sha512")),
                           "properties": bsi(f["name"], executable, archive, archive)})
        deps.append({"ref": f"file:images/{f['name']}"})
    pkg_by_name = {p["name"]: p for p in data["packages"]}
    for f in rootfs:
        owner = pkg_by_name.get(f.get("package", ""))
        c = {"type": "file", "bom-ref": f"file:{f['path']}",
             "manufacturer": manufacturer(owner["supplier"] if owner["supplier"] != "NOASSERTION"
                                          else owner["name"],
                                          owner.get("homepage") or project_page(owner["url"]))
             if owner else sbom_creator,
             "name": f["path"], "version": owner["version"] if owner else day,
             "hashes": hashes(f, ("sha256", "sha512")),
             "properties": bsi(f["path"].rsplit("/", 1)[-1], f["executable"], f["archive"],
                               f["archive"])}
        if owner and owner["url"].startswith(("http", "ftp")):
            c["externalReferences"] = [{"type": "source-distribution", "url": owner["url"]}]
        components.append(c)
        deps.append({"ref": f"file:{f['path']}"})
    tools = []
    for t in data["tools"]:
        tools.append({"type": "application", "bom-ref": f"tool:{t['package']}",
                      "name": t["package"], "version": t["version"],
                      "supplier": {"name": "Debian"}, "purl": deb_purl(t), "scope": "excluded",
                      "description": "build tool: " + ", ".join(t["programs"])})
    configs = []
    for cfg in data.get("build_configs", []):
        configs.append({"type": "file", "bom-ref": f"config:{cfg['package']}",
                        "name": cfg["path"], "scope": "excluded",
                        "description": f"the .config {cfg['package']} was built with",
                        "hashes": hashes(cfg, ("sha256", "sha512"))})
    deps.insert(0, {"ref": image_ref, "dependsOn": sorted(
        [f"pkg:{p['name']}" for p in data["packages"] if p["in_image"]] +
        [f"file:images/{f['name']}" for f in data["images"]] +
        [f"file:{f['path']}" for f in rootfs if not pkg_by_name.get(f.get("package", ""))])})
    # the recipes state every package's dependencies; a file's own (what it
    # links or runs) are not analysed
    compositions = [{"aggregate": "complete", "dependencies": sorted(
        [image_ref] + [f"pkg:{p['name']}" for p in data["packages"]])}]
    file_refs = [f"file:images/{f['name']}" for f in data["images"]] + \
                [f"file:{f['path']}" for f in rootfs]
    if file_refs:
        compositions.append({"aggregate": "unknown", "dependencies": file_refs})
    return {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": f"urn:uuid:{ident}",
        "version": 1,
        "metadata": {
            "timestamp": created(epoch),
            "lifecycles": [{"phase": "build"}],
            "tools": {"components": [{"type": "application",
                                      "name": creator.get("tool") or "tinyroot-sbom",
                                      "description": "support/scripts/sbom"}]},
            "manufacturer": sbom_creator,
            "component": {"type": "firmware", "bom-ref": image_ref, "manufacturer": sbom_creator,
                          "name": data["name"], "version": day,
                          "description": f"tinyroot image for {data['name']} ({data['arch']})",
                          "properties": bsi("", True, True,
                                            any(f.get("archive") for f in data["images"]))},
        },
        "components": components,
        "dependencies": deps,
        "compositions": compositions,
        "formulation": [{
            "bom-ref": "formulation:build",
            "components": tools + configs,
            "workflows": [{
                "bom-ref": "workflow:make", "uid": "make", "name": "make",
                "taskTypes": ["build"],
                "inputs": [{"resource": {"ref": t["bom-ref"]}} for t in tools + configs] or
                          [{"environmentVars": [{"name": "SOURCE_DATE_EPOCH", "value": str(epoch)}]}],
                "outputs": [{"resource": {"ref": image_ref}}],
            }],
        }],
    }

"""CycloneDX 1.6 JSON (cyclonedx.org/docs/1.6/json) from the data that
support/scripts/sbom collects."""
from sbom_common import created, deb_purl, identity


def cyclonedx(data, epoch):
    """CycloneDX 1.6: the image is the metadata's component; each package a
    component with its hashes, licenses, CPE, PURL and pedigree (patches and
    what they resolve); the build tools are components out of the image's
    scope ("excluded") that every package's build depends on (formulation)."""
    ident = identity(data)
    image_ref = f"image:{data['name']}"
    components = []
    deps = []
    for p in data["packages"]:
        ref = f"pkg:{p['name']}"
        c = {"type": {"kernel": "operating-system", "toolchain": "library"}.get(
                 p["kind"], "library" if p["category"] == "Libraries" else "application"),
             "bom-ref": ref, "name": p["name"], "version": p["version"]}
        if p["supplier"] != "NOASSERTION":
            c["supplier"] = {"name": p["supplier"]}
        if p["sha256"]:
            c["hashes"] = [{"alg": "SHA-256", "content": p["sha256"]}]
        if p["license"] != "NOASSERTION":
            c["licenses"] = [{"expression": p["license"]}]
        if p["cpe"]:
            c["cpe"] = p["cpe"]
        c["purl"] = p["purl"]
        if not p["in_image"]:
            c["scope"] = "excluded"
        ext = []
        if p["url"].startswith(("http", "ftp")):
            e = {"type": "source-distribution", "url": p["url"], "comment": "published at"}
            if p["sha256"]:
                e["hashes"] = [{"alg": "SHA-256", "content": p["sha256"]}]
            ext.append(e)
        if p["downloaded_from"].startswith(("http", "ftp", "file")):
            ext.append({"type": "distribution-intake", "url": p["downloaded_from"],
                        "comment": "this build downloaded it from"})
        if ext:
            c["externalReferences"] = ext
        if p["patches"]:
            c["pedigree"] = {"patches": [
                {"type": "backport" if x["fixes"] else "unofficial",
                 "diff": {"url": x["file"]},
                 **({"resolves": [{"type": "security", "id": cve,
                                   "source": {"name": "NVD",
                                              "url": f"https://nvd.nist.gov/vuln/detail/{cve}"}}
                                  for cve in x["fixes"]]} if x["fixes"] else {})}
                for x in p["patches"]]}
        props = [{"name": "tinyroot:kind", "value": p["kind"]}]
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
        deps.append({"ref": ref, "dependsOn": [f"pkg:{d}" for d in p["dependencies"]]})
    for f in data["images"]:
        components.append({"type": "file", "bom-ref": f"file:images/{f['name']}",
                           "name": f"images/{f['name']}",
                           "hashes": [{"alg": "SHA-1", "content": f["sha1"]},
                                      {"alg": "SHA-256", "content": f["sha256"]}]})
    tools = []
    for t in data["tools"]:
        tools.append({"type": "application", "bom-ref": f"tool:{t['package']}",
                      "name": t["package"], "version": t["version"],
                      "supplier": {"name": "Debian"}, "purl": deb_purl(t), "scope": "excluded",
                      "description": "build tool: " + ", ".join(t["programs"])})
    deps.insert(0, {"ref": image_ref, "dependsOn": sorted(
        [f"pkg:{p['name']}" for p in data["packages"] if p["in_image"]] +
        [f"file:images/{f['name']}" for f in data["images"]])})
    return {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": f"urn:uuid:{ident}",
        "version": 1,
        "metadata": {
            "timestamp": created(epoch),
            "lifecycles": [{"phase": "build"}],
            "tools": {"components": [{"type": "application", "name": "tinyroot-sbom",
                                      "description": "support/scripts/sbom"}]},
            "component": {"type": "firmware", "bom-ref": image_ref, "name": data["name"],
                          "description": f"tinyroot image for {data['name']} ({data['arch']})"},
        },
        "components": components,
        "dependencies": deps,
        "formulation": [{
            "bom-ref": "formulation:build",
            "components": tools,
            "workflows": [{
                "bom-ref": "workflow:make", "uid": "make", "name": "make",
                "taskTypes": ["build"],
                "inputs": [{"resource": {"ref": t["bom-ref"]}} for t in tools] or
                          [{"environmentVars": [{"name": "SOURCE_DATE_EPOCH", "value": str(epoch)}]}],
                "outputs": [{"resource": {"ref": image_ref}}],
            }],
        }],
    }

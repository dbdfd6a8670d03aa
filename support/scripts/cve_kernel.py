#!/usr/bin/python3
"""The kernel's CVEs, triaged by the code a build compiled.

Since 2024 the kernel's CNA publishes its CVEs as CVE JSON 5 records
(github.com/CVEProject/cvelistV5, cves/YEAR/NNxxx/CVE-YEAR-NNNNN.json). Each
affected[] entry names the files the fix touches (programFiles) and the
versions it concerns: entries of versionType "git" name commits and are not
evaluated; the others ("semver", "custom", "original_commit_for_fix", or
none) are release numbers:
  {"version": "6.5", "status": "affected"}                         one version
  {"version": "0", "lessThan": "6.5", "status": "unaffected"}      a range
  {"version": "6.1.78", "lessThanOrEqual": "6.1.*", ...}           6.1.78 to
                                                                   any 6.1.x
  {"version": "6.8", "lessThanOrEqual": "*", ...}                  6.8 and on
A version's status is "unaffected" when an entry that covers it says so (the
kernel CNA lists the releases that carry the fix), else "affected" when one
says so, else the entry's defaultStatus ("unknown" when none is given, which
is reported as affected: a record we cannot place is not a clean bill).

A record that affects the kernel's version is "not_affected" with
justification "code_not_present" when none of its programFiles is among the
files the build compiled (the list written at build time by

  cve_kernel.py compiled-sources OBJDIR SRCDIR OUTPUT

from Kbuild's .cmd files: each object's source and the headers it included,
as paths relative to the source tree, sorted; the host programs Kbuild builds
for itself, under scripts/ and tools/, are left out).
"""
import os
import re
import sys

from cve_input import Malformed, get, items, load_json
from cve_osv import level, severity, cvss3_score
from tinyroot_facts import die, read_regular, write_atomic

# the product the kernel CNA's records name, as NVD's CPE names it
KERNEL_CPE = ("o", "linux", "linux_kernel")
COMPILED_LIMIT = 64 << 20


def version_key(v):
    """A kernel release in order: '6.1.10' after '6.1.9', '6.8-rc4' before
    '6.8'. Returns None for what is not a release number."""
    m = re.fullmatch(r"(\d+(?:\.\d+)*)(?:-rc(\d+))?", v.strip())
    if not m:
        return None
    nums = [int(x) for x in m.group(1).split(".")]
    nums += [0] * (4 - len(nums)) if len(nums) < 4 else []
    return nums + [int(m.group(2)) if m.group(2) else 1 << 30]


def at_most(v, bound):
    """v <= bound, where bound may end in '*' ('6.1.*': any 6.1.x, '*':
    anything). None when either is not a release number."""
    if bound == "*":
        return True
    if bound.endswith(".*"):
        prefix = version_key(bound[:-2])
        kv = version_key(v)
        if prefix is None or kv is None:
            return None
        n = len(bound[:-2].split("."))
        return kv[:n] <= prefix[:n]
    kv, kb = version_key(v), version_key(bound)
    return None if kv is None or kb is None else kv <= kb


def status(entry, version):
    """'affected', 'unaffected' or 'unknown' of `version` in one affected[]
    entry of a CVE JSON 5 record (its non-git versions)."""
    kv = version_key(version)
    said = set()
    for n, v in enumerate(items(entry, "versions", dict, "affected[].")):
        w = f"affected[].versions[{n}]."
        if get(v, "versionType", str, "", w) == "git":
            continue
        start = get(v, "version", str, "", w)
        st = get(v, "status", str, "", w)
        less = get(v, "lessThan", str, None, w)
        less_eq = get(v, "lessThanOrEqual", str, None, w)
        ks = version_key(start) if start != "0" else [0]
        if kv is None or ks is None:
            continue
        if less is None and less_eq is None:
            covered = version_key(start) == kv
        elif kv < ks:
            covered = False
        elif less is not None:
            kl = version_key(less) if less != "*" else None
            covered = less == "*" or (kl is not None and kv < kl)
        else:
            covered = bool(at_most(version, less_eq))
        if covered and st in ("affected", "unaffected"):
            said.add(st)
    if "unaffected" in said:
        return "unaffected"
    if "affected" in said:
        return "affected"
    return get(entry, "defaultStatus", str, "unknown", "affected[].")


def read_records(folder):
    """[record] of the CVE JSON 5 records under `folder` (laid out as
    cvelistV5, any depth) that name the kernel, each normalized: id, title,
    program files, the affected entries, severity."""
    if not os.path.isdir(folder):
        die(f"{folder}: no such folder (the kernel's CVE records, laid out as cvelistV5)")
    out = []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            if not name.endswith(".json"):
                continue
            path = os.path.join(root, name)
            try:
                rec = normalize(load_json(path), path)
            except Malformed as e:
                die(f"{path}: not a CVE JSON 5 record: {e}")
            if rec:
                out.append(rec)
    return out


def normalize(doc, path):
    """The kernel record's fields, or None when it is another CNA's."""
    if get(doc, "dataType", str, "") != "CVE_RECORD":
        raise Malformed("dataType is not CVE_RECORD")
    meta = get(doc, "cveMetadata", dict, {})
    rid = get(meta, "cveId", str, "", "cveMetadata.")
    if not re.fullmatch(r"CVE-\d{4}-\d{4,}", rid):
        raise Malformed("cveMetadata.cveId is not a CVE id")
    if get(meta, "state", str, "", "cveMetadata.") != "PUBLISHED":
        return None  # rejected or reserved: nothing to report
    containers = get(doc, "containers", dict, {})
    cna = get(containers, "cna", dict, {}, "containers.")
    entries = []
    for n, a in enumerate(items(cna, "affected", dict, "containers.cna.")):
        w = f"containers.cna.affected[{n}]."
        vendor, product = get(a, "vendor", str, "", w), get(a, "product", str, "", w)
        if (vendor.lower(), product.lower()) == ("linux", "linux"):
            entries.append(a)
        items(a, "programFiles", str, w)
        items(a, "versions", dict, w)
    if not entries:
        return None
    files = sorted({f for a in entries for f in items(a, "programFiles", str)})
    scores, named = [], []
    for c in [cna] + items(containers, "adp", dict, "containers."):
        for m in items(c, "metrics", dict, "metrics."):
            for key in ("cvssV3_1", "cvssV3_0"):
                vec = get(get(m, key, dict, {}, "metrics[]."), "vectorString", str, "", f"{key}.")
                x = cvss3_score(vec) if vec else None
                if x is not None:
                    scores.append((x, vec))
            named.append(level(get(m, "other", dict, {})))
    descr = [get(d, "value", str, "") for d in items(cna, "descriptions", dict, "containers.cna.")
             if get(d, "lang", str, "").startswith("en")]
    return {"id": rid, "summary": get(cna, "title", str, "") or (descr[0][:200] if descr else ""),
            "entries": entries, "program_files": files, "file": path,
            "severity": severity(None, [x for x in named if x], scores), "source": "kernel CNA"}


def kernel_status(rec, version):
    """'affected' or 'unaffected': the record's status for `version`."""
    sts = [status(e, version) for e in rec["entries"]]
    if "affected" in sts or "unknown" in sts:
        return "affected"
    return "unaffected"


def read_compiled(path):
    """The set of files the kernel build compiled (a list written by
    `cve_kernel.py compiled-sources`), one relative path a line."""
    if not os.path.lexists(path):
        die(f"{path}: no such file: the kernel build writes it (built before tinyroot "
            "recorded it: make linux-rebuild)")
    text = read_regular(path, COMPILED_LIMIT).decode("utf-8", "replace")
    files = {line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")}
    if not files:
        die(f"{path}: no compiled files listed (an empty list would triage every record away)")
    return files


def compiled_sources(objdir, srcdir):
    """The source files Kbuild compiled under `objdir` and the headers they
    included, relative to `srcdir`: from each object's .cmd file
    (source_<obj> := ..., deps_<obj> := \\ then one path a line)."""
    srcdir = os.path.realpath(srcdir)
    objreal = os.path.realpath(objdir)
    found = set()
    for root, dirs, files in os.walk(objdir):
        if root == objdir:  # the build's own host programs are not in the image
            dirs[:] = [d for d in dirs if d not in ("scripts", "tools")]
        dirs.sort()
        for name in files:
            if not (name.startswith(".") and name.endswith(".o.cmd")):
                continue
            with open(os.path.join(root, name), errors="replace") as f:
                lines = f.read().splitlines()
            paths = []
            in_deps = False
            for line in lines:
                if line.startswith("source_"):
                    paths.append(line.split(":=", 1)[1].strip())
                elif line.startswith("deps_"):
                    in_deps = True
                elif in_deps:
                    item = line.strip().rstrip("\\").strip()
                    if not line.endswith("\\"):
                        in_deps = False
                    if item and not item.startswith("$("):
                        paths.append(item)
            for p in paths:
                full = os.path.realpath(os.path.join(objreal, p))
                if full.startswith(objreal + os.sep) or not full.startswith(srcdir + os.sep):
                    continue  # generated in the object tree, or outside the source
                found.add(os.path.relpath(full, srcdir))
    return sorted(found)


def main(argv):
    if len(argv) != 4 or argv[0] != "compiled-sources":
        die("usage: cve_kernel.py compiled-sources OBJDIR SRCDIR OUTPUT")
    objdir, srcdir, output = argv[1:]
    files = compiled_sources(objdir, srcdir)
    if not files:
        die(f"{objdir}: no Kbuild .o.cmd files (is the kernel built?)")
    write_atomic(os.path.abspath(output),
                 "# the kernel's compiled sources and the headers they include\n"
                 "# (from Kbuild's .o.cmd files; support/scripts/cve_kernel.py)\n"
                 + "".join(f + "\n" for f in files))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

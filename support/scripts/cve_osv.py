"""OSV records (https://ossf.github.io/osv-schema/) as cve-check reads them:
every field checked for its type and turned into plain Python values, the
version ranges evaluated, the severity found. A record that is not what the
schema says stops the check with a message naming its file."""
import math
import os
import re
import urllib.parse

import semver

from cve_input import Malformed, get, items, load_json
from tinyroot_facts import die

LEVELS = ["none", "low", "medium", "high", "critical"]
# a subfolder of the feed that holds CVE JSON 5 records (cve_kernel.py), not
# OSV records
CVELIST_FOLDER = "cvelistV5"


def parse_purl(purl):
    """(type, namespace, name, version) of a Package URL, or None."""
    if not isinstance(purl, str) or not purl.startswith("pkg:"):
        return None
    rest = purl[4:].split("#", 1)[0].split("?", 1)[0]
    version = ""
    if "@" in rest:
        rest, version = rest.rsplit("@", 1)
    parts = [urllib.parse.unquote(p) for p in rest.strip("/").split("/")]
    if len(parts) < 2:
        return None
    return parts[0].lower(), "/".join(parts[1:-1]), parts[-1], urllib.parse.unquote(version)


def parse_cpe(cpe):
    """(part, vendor, product, version) of a CPE 2.3 formatted string, or None."""
    f = cpe.split(":") if isinstance(cpe, str) else []
    if len(f) < 6 or f[0] != "cpe" or f[1] != "2.3":
        return None
    return f[2], f[3], f[4], f[5]


def read_feed(folder):
    """[record] of every .json file under `folder` (but its cvelistV5
    subfolder), sorted by path; each record as normalize() gives it."""
    if not os.path.isdir(folder):
        die(f"{folder}: no such folder (the OSV feed)")
    records = []
    for root, dirs, files in os.walk(folder):
        if root == folder and CVELIST_FOLDER in dirs:
            dirs.remove(CVELIST_FOLDER)
        dirs.sort()
        for name in sorted(files):
            if name.endswith(".json"):
                path = os.path.join(root, name)
                try:
                    records.append(normalize(load_json(path), path))
                except Malformed as e:
                    die(f"{path}: not an OSV record: {e}")
    return records


def normalize(rec, path):
    """The fields cve-check uses, type-checked; raises Malformed."""
    rid = get(rec, "id", str)
    if not rid:
        raise Malformed("needs an 'id' (a string) and an 'affected' list")
    affected = []
    for n, a in enumerate(items(rec, "affected", dict)):
        w = f"affected[{n}]."
        pkg = get(a, "package", dict, {}, w)
        purl = get(pkg, "purl", str, "", w + "package.")
        dbs = get(a, "database_specific", dict, {}, w)
        cpes = get(dbs, "cpe", (str, list), [], w + "database_specific.")
        cpes = [cpes] if isinstance(cpes, str) else items(dbs, "cpe", str, w + "database_specific.")
        parsed = []
        for c in cpes:
            p = parse_cpe(c)
            if p is None:
                raise Malformed(f"{w}database_specific.cpe: not a CPE 2.3 string: {c[:100]!r}")
            parsed.append(p)
        ranges = []
        for m, r in enumerate(items(a, "ranges", dict, w)):
            wr = f"{w}ranges[{m}]."
            events = []
            for ev in items(r, "events", dict, wr):
                if len(ev) != 1 or not isinstance(next(iter(ev.values())), str) or \
                        next(iter(ev)) not in ("introduced", "fixed", "last_affected", "limit"):
                    raise Malformed(f"{wr}events: each has exactly one of introduced, fixed, "
                                    "last_affected, limit, a string")
                events.append(next(iter(ev.items())))
            ranges.append({"type": get(r, "type", str, "", wr), "events": events})
        named = [level(get(a, k, dict, {}, w)) for k in ("ecosystem_specific", "database_specific")]
        affected.append({"purl": parse_purl(purl), "cpes": parsed,
                         "versions": items(a, "versions", str, w), "ranges": ranges,
                         "named": [x for x in named if x]})
    scores = []
    for n, s in enumerate(items(rec, "severity", dict)):
        kind = get(s, "type", str, "", f"severity[{n}].")
        vector = get(s, "score", str, "", f"severity[{n}].")
        if kind.startswith("CVSS_V3"):
            x = cvss3_score(vector)
            if x is not None:
                scores.append((x, vector))
    return {"id": rid, "aliases": items(rec, "aliases", str), "summary": get(rec, "summary", str, ""),
            "affected": affected, "severity": severity(level(get(rec, "database_specific", dict, {})),
                                                        [x for a in affected for x in a["named"]],
                                                        scores),
            "file": path, "source": "OSV feed"}


def version_key(v):
    """Upstream release numbers in order: '1.10' after '1.9'; a letter part
    sorts before a number in the same place ('1.0rc1' before '1.0.1')."""
    return [(1, int(t), "") if t.isdigit() else (0, 0, t)
            for t in re.findall(r"\d+|[A-Za-z]+", v)]


def compare(a, b, kind):
    if kind == "SEMVER":
        try:
            return semver.compare(a.lstrip("v"), b.lstrip("v"))
        except ValueError:
            pass  # not semantic: compared as release numbers
    ka, kb = version_key(a), version_key(b)
    return (ka > kb) - (ka < kb)


def in_range(version, rng):
    kind = rng["type"]
    if kind not in ("SEMVER", "ECOSYSTEM"):
        return False  # GIT ranges name commits, not versions
    events = rng["events"]
    if any(v != "*" and compare(version, v, kind) >= 0 for what, v in events if what == "limit"):
        return False

    def at(ev):
        return [(-1, 0, "")] if ev[1] == "0" else version_key(ev[1])
    affected = False
    for what, v in sorted((e for e in events if e[0] != "limit"), key=at):
        if what == "introduced" and (v == "0" or compare(version, v, kind) >= 0):
            affected = True
        elif what == "fixed" and compare(version, v, kind) >= 0:
            affected = False
        elif what == "last_affected" and compare(version, v, kind) > 0:
            affected = False
    return affected


def affects(aff, version):
    return version in aff["versions"] or any(in_range(version, r) for r in aff["ranges"])


# CVSS v3.1 base metrics' weights (FIRST CVSS v3.1 specification, 7.4)
CVSS_W = {"AV": {"N": 0.85, "A": 0.62, "L": 0.55, "P": 0.2}, "AC": {"L": 0.77, "H": 0.44},
          "UI": {"N": 0.85, "R": 0.62}, "CIA": {"H": 0.56, "L": 0.22, "N": 0.0}}


def cvss3_score(vector):
    """The CVSS v3.0/v3.1 base score of a vector string, or None."""
    if not vector.startswith("CVSS:3."):
        return None
    m = dict(p.split(":", 1) for p in vector.split("/")[1:] if ":" in p)
    try:
        changed = m["S"] == "C"
        pr = {"N": 0.85, "L": 0.68 if changed else 0.62, "H": 0.5 if changed else 0.27}[m["PR"]]
        iss = 1 - (1 - CVSS_W["CIA"][m["C"]]) * (1 - CVSS_W["CIA"][m["I"]]) * (1 - CVSS_W["CIA"][m["A"]])
        expl = 8.22 * CVSS_W["AV"][m["AV"]] * CVSS_W["AC"][m["AC"]] * pr * CVSS_W["UI"][m["UI"]]
    except KeyError:
        return None
    impact = 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15 if changed else 6.42 * iss
    if impact <= 0:
        return 0.0
    raw = min((1.08 if changed else 1.0) * (impact + expl), 10)
    n = round(raw * 100000)  # Roundup, specification appendix A
    return n / 100000.0 if n % 10000 == 0 else (math.floor(n / 10000) + 1) / 10.0


def qualitative(score):
    return "none" if score == 0 else "low" if score < 4 else "medium" if score < 7 \
        else "high" if score < 9 else "critical"


def level(where):
    s = where.get("severity") if isinstance(where, dict) else None
    return s.lower() if isinstance(s, str) and s.lower() in LEVELS else None


def severity(named, affected_named, scores):
    """(level, score or None, vector or None): the record's named severity,
    else the highest an affected entry names, else from the highest CVSS v3
    score; "unknown" when none is given."""
    if named is None and affected_named:
        named = max(affected_named, key=LEVELS.index)
    score, vector = max(scores) if scores else (None, None)
    if named:
        return named, score, vector
    if score is not None:
        return qualitative(score), score, vector
    return "unknown", None, None

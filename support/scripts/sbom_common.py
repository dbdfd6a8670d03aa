"""What the SBOM writers share: the document's identity and dates, and the
PURL of a Debian build tool (support/scripts/sbom collects the data;
sbom_spdx2.py, sbom_cyclonedx.py and sbom_spdx3.py each write one format)."""
import hashlib
import json
import re
import time
import urllib.parse
import uuid


def identity(data):
    """A UUID from the content (RFC 4122 version 5): the same build, the same id."""
    text = json.dumps(data, sort_keys=True)
    return uuid.uuid5(uuid.NAMESPACE_URL, "tinyroot-sbom:" + hashlib.sha256(text.encode()).hexdigest())


def created(epoch):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def deb_purl(t):
    return f"pkg:deb/debian/{t['package']}@{urllib.parse.quote(t['version'], safe='')}?arch={t['arch']}"


def contact(text):
    """(name, emails, urls) of a creator written as free text, e.g.
    "ACME GmbH <psirt@acme.example> https://acme.example": BSI TR-03183-2
    names a creator by an email address, or a URL when there is none."""
    emails = re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", text)
    urls = re.findall(r"\b(?:https?|ftp)://[^\s<>\"]+", text)
    name = re.sub(r"<[^>]*>|\b(?:https?|ftp)://[^\s<>\"]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", "", text)
    name = " ".join(name.replace("()", "").split())
    return name or text, emails, urls


def project_page(url):
    """The folder a project publishes its releases in: the URL the recipe
    downloads from, without the file name (userinfo, query and fragment
    dropped), or "" when it is not a published URL. A recipe's _HOMEPAGE,
    when it gives one, comes first (the writers' callers): a tarball from a
    mirror or a custom location does not name its project."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https", "ftp") or not parts.hostname:
        return ""
    host = parts.hostname + (f":{parts.port}" if parts.port else "")
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path.rsplit("/", 1)[0] + "/", "", ""))


def source_uri(p):
    """The URI of a package's source code (BSI TR-03183-2's "source code
    URI"): where its recipe says it is published, else, for a tarball from a
    local path (a custom kernel tarball on a mirror), the http or ftp URL
    this build downloaded it from; "" when neither is one."""
    for url in (p["url"], p["downloaded_from"]):
        if url.startswith(("http://", "https://", "ftp://")):
            return url
    return ""


def date(epoch):
    """The full-date (RFC 3339 5.6) BSI TR-03183-2 puts as a component's
    version when its creator gave it none."""
    return time.strftime("%Y-%m-%d", time.gmtime(epoch))

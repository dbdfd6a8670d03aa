"""What the SBOM writers share: the document's identity and dates, and the
PURL of a Debian build tool (support/scripts/sbom collects the data;
sbom_spdx2.py, sbom_cyclonedx.py and sbom_spdx3.py each write one format)."""
import hashlib
import json
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

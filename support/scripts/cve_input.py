"""Reading untrusted JSON for cve-check (the SBOM, the OSV feed, the kernel
CNA's CVE records): files are read with tinyroot_facts.read_regular (no
links, FIFOs or devices, a size cap), every field is checked for its JSON
type before it is used, and text taken from a record is escaped before it
reaches a line-oriented report. A malformed input stops the check with a
message naming the file, never with a traceback."""
import json

from tinyroot_facts import die, read_regular

# Caps: an OSV or CVE record is a few kilobytes (the largest kernel CVE
# records are under 100 KiB); an SBOM with an entry per file of the root
# filesystem is a few megabytes.
RECORD_LIMIT = 4 << 20
SBOM_LIMIT = 512 << 20


class Malformed(Exception):
    """A field of the wrong JSON type; str() says which."""


def load_json(path, limit=RECORD_LIMIT):
    """A JSON file's object; stops naming the file (and line) otherwise."""
    data = read_regular(path, limit)
    try:
        doc = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as e:
        die(f"{path}: not UTF-8 text (byte {e.start})")
    except json.JSONDecodeError as e:
        die(f"{path}:{e.lineno}: not JSON: {e.msg}")
    except (ValueError, RecursionError) as e:  # huge numbers, deep nesting
        die(f"{path}: not usable JSON: {str(e)[:200] or type(e).__name__}")
    if not isinstance(doc, dict):
        die(f"{path}: not a JSON object")
    return doc


NAMES = {dict: "an object", list: "a list", str: "a string", bool: "true or false",
         int: "a number", float: "a number"}


def get(obj, key, kind, default=None, where=""):
    """obj[key] when it has JSON type `kind` (a type or a tuple), `default`
    when absent or null; raises Malformed otherwise."""
    value = obj.get(key) if isinstance(obj, dict) else None
    if value is None:
        return default
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool) and bool not in kinds:
        value = object()  # JSON true is not a number here
    if not isinstance(value, kinds):
        raise Malformed(f"{where}{key} is not {' or '.join(NAMES[k] for k in kinds)}")
    return value


def items(obj, key, kind, where=""):
    """The list obj[key] (empty when absent), each item of type `kind`."""
    lst = get(obj, key, list, [], where)
    for n, x in enumerate(lst):
        if not isinstance(x, kind) or isinstance(x, bool) and kind is not bool:
            raise Malformed(f"{where}{key}[{n}] is not {NAMES[kind]}")
    return lst


def esc(text):
    """`text` with backslash, tab, newline and every other control character
    written as an escape: a record's id or a package name cannot start a
    new report line or a new column."""
    out = []
    for ch in str(text):
        if ch == "\\":
            out.append("\\\\")
        elif ord(ch) < 0x20 or 0x7f <= ord(ch) < 0xa0 or ch in "\u2028\u2029":
            out.append(f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)

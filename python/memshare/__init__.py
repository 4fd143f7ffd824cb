"""NumPy access to memshare's shared memory: zero-copy arrays over what a JVM (or R) registered.

Standard library + numpy only, no compiled code. Linux (POSIX shared memory in /dev/shm).

    import memshare as ms
    x = ms.attach("ns", "X")                    # read-only, zero-copy, column-major (order='F')
    print(x.shape, x.sum(axis=0), x.columns)    # column sums; column names (None if not stored)
    page = ms.register("ns", "Y", numpy.ones((3, 2)), columns=["a", "b"])  # Java: retrieveMatrix("ns", "Y")
    page.release()                              # or ms.release("ns", "Y"), or at interpreter exit
    ms.list("ns")                               # what `memshare ls --json` shows for that namespace
    ms.gc()                                     # reclaim segments whose owner died, as `memshare gc`

Two byte layouts are understood, chosen with ``layout=``:

* ``"memshare"`` (default): this library's own segment ``memshare.<ns>.<var>``, a 128-byte header
  described in ``docs/FORMAT.md`` and ``org.memshare.format.internal.SegmentLayout``. Read and written here
  exactly as Java does: the same validation, the same publication rule (pending magic first, ready
  magic last), owner pid and start time, mode 0600, space reserved.
* ``"r-memshare"``: R memshare's two objects ``<ns>.<var>`` (doubles) and ``<ns>.md.<var>`` (24-byte
  records), described in ``docs/INTEROP.md`` and ``org.memshare.format.internal.RMemshareLayout``.

Every function takes ``directory`` so tests can use their own directory. The default is chosen as
Java chooses it: ``$MEMSHARE_DIR`` if set, else the store's default directory, the store being
``$MEMSHARE_STORE`` (``posix`` or ``file``), else ``posix`` on Linux (``/dev/shm``) and ``file``
elsewhere (``$TMPDIR/memshare-USER``, or ``/tmp/memshare-USER``, created owner-only; on Windows
``%LOCALAPPDATA%\\memshare``, built for but not tested). Both stores hold the same files, so
``attach`` reads either. Errors are exceptions with ``key=value`` messages; nothing is left half-made.

Every file in the directory is treated as hostile (see ``docs/SECURITY.md``): a segment is opened
without following a symbolic link and without blocking, and used only when it is a regular file owned
by this process's effective user that group and others may not write; anything else raises
``UntrustedSegmentError`` naming the path and the reason. What Python cannot protect against: a
segment truncated by another process of the same user while an array is attached kills the reader
with SIGBUS on the next access to the lost pages (numpy reads the mapping directly, and a signal
handler cannot resume a faulting C loop); ``attach`` checks the size when it maps.
"""

import atexit
import errno
import json
import mmap
import os
import re
import signal
import stat
import struct
import sys
import threading
import time

import numpy

__all__ = [
    "attach", "metadata", "register", "release", "list", "gc", "gc_report", "list_namespace", "Page", "SharedMatrix",
    "MemshareError", "SegmentFormatError", "NotRegisteredError", "AlreadyRegisteredError", "UntrustedSegmentError",
    "segment_name", "MEMSHARE", "R_MEMSHARE",
]

_list = list  # the builtin: this module's own list() below lists segments

MEMSHARE = "memshare"
R_MEMSHARE = "r-memshare"

# ---------------------------------------------------------------- this library's layout
# Mirrors org.memshare.format.internal.SegmentLayout; see the diagram there. Little-endian throughout.
FORMAT_VERSION = 2
MIN_FORMAT_VERSION = 1
ALIGNMENT = 64
MAGIC_READY = b"MEMSHARE"
MAGIC_PENDING = b"MEMSHPND"
MAGIC_OFFSET = 0
VERSION_OFFSET = 8
KIND_OFFSET = 12
ELEMENT_TYPE_OFFSET = 16
DATA_OFFSET_OFFSET = 20
DIM0_OFFSET = 24
DIM1_OFFSET = 32
DATA_BYTES_OFFSET = 40
OWNER_PID_OFFSET = 48
OWNER_START_OFFSET = 56
CREATED_OFFSET = 64
NAMES_OFFSET_OFFSET = 72
NAMES_BYTES_OFFSET = 80
NAMES_COUNT_OFFSET = 88
NAME_LENGTH_BYTES = 4
MAX_COLUMN_NAME_BYTES = 1024
HEADER_BYTES = 128
ENTRY_KIND_OFFSET = 0
ENTRY_ELEMENT_TYPE_OFFSET = 4
ENTRY_DIM0_OFFSET = 8
ENTRY_DIM1_OFFSET = 16
ENTRY_DATA_OFFSET_OFFSET = 24
ENTRY_BYTES_OFFSET = 32
ENTRY_BYTES = 64

KIND_VECTOR, KIND_MATRIX, KIND_LIST, KIND_RAW = 1, 2, 3, 4
KIND_LABELS = {KIND_VECTOR: "vector", KIND_MATRIX: "matrix", KIND_LIST: "list", KIND_RAW: "raw"}
# Element type codes (org.memshare.format.ElementType) and their numpy dtypes.
DTYPES = {1: numpy.dtype("<f8"), 2: numpy.dtype("<f4"), 3: numpy.dtype("<i8"), 4: numpy.dtype("<i4"),
          5: numpy.dtype("i1")}
TYPE_LABELS = {1: "double", 2: "float", 3: "long", 4: "int", 5: "byte"}
# Accepted numpy dtypes by (kind, itemsize), whatever their byte order: stored little-endian.
CODES = {(d.kind, d.itemsize): code for code, d in DTYPES.items()}


def _code(dtype):
    return CODES.get((dtype.kind, dtype.itemsize))

SEGMENT_PREFIX = "memshare."
# Java's SegmentCensus.INCOMPLETE_GRACE: how long a file of this user named like a segment but shorter than
# a header (its registrant was killed between creating it and writing the header) must have stayed
# unchanged before gc reclaims it. The state label is SegmentCensus.State.INCOMPLETE's.
INCOMPLETE_GRACE_SECONDS = 5
INCOMPLETE = "incomplete"
MAX_NAME_LENGTH = 200
MAX_NAMESPACE_LENGTH = 64
MAX_VARIABLE_LENGTH = 120

# ---------------------------------------------------------------- R memshare's layout
# Mirrors org.memshare.format.internal.RMemshareLayout: records of i32 type, 4 bytes padding, two u64.
R_TYPE_MATRIX, R_TYPE_VECTOR, R_TYPE_LIST = 0, 1, 2
R_RECORD = struct.Struct("<i4xQQ")
R_RECORD_BYTES = R_RECORD.size  # 24
R_METADATA_INFIX = ".md."

_U64_LIMIT = 1 << 63


class MemshareError(Exception):
    """Base class of this module's errors."""


class SegmentFormatError(MemshareError):
    """The bytes are not a valid segment: another program's file, truncated, newer, inconsistent."""


class NotRegisteredError(MemshareError, KeyError):
    """No variable of that name exists in that layout."""

    def __str__(self):
        return self.args[0]


class AlreadyRegisteredError(MemshareError, FileExistsError):
    """The name is taken."""


class UntrustedSegmentError(MemshareError):
    """A file under a segment's name that is refused: not a regular file (a symbolic link, FIFO,
    socket, device or directory), owned by another user, or writable by group or others.

    ``path`` is the file, ``reason`` one of ``"not-a-regular-file"``, ``"other-owner"``,
    ``"writable-by-others"`` (as Java's ``UntrustedSegmentException.Reason``), ``detail`` the reason in
    words, ``state`` what ``ls`` calls such an entry: ``"not-a-segment"`` or ``"foreign"``.
    """

    def __init__(self, path, reason, detail):
        super().__init__("refusing to map %s: %s" % (path, detail))
        self.path = path
        self.reason = reason
        self.detail = detail
        self.state = "not-a-segment" if reason == "not-a-regular-file" else "foreign"


POSIX_STORE = "posix"
FILE_STORE = "file"


def store():
    """The store this process uses, as Java's ``StoreKind.configured()``: ``$MEMSHARE_STORE``, else
    ``posix`` on Linux and ``file`` on macOS and Windows."""
    configured = os.environ.get("MEMSHARE_STORE", "").strip().lower()
    if not configured:
        return POSIX_STORE if sys.platform.startswith("linux") else FILE_STORE
    if configured not in (POSIX_STORE, FILE_STORE):
        raise ValueError("unknown segment store: store=%s (expected posix or file; set by MEMSHARE_STORE)"
                         % os.environ.get("MEMSHARE_STORE"))
    return configured


def _default_directory():
    configured = os.environ.get("MEMSHARE_DIR", "")
    if configured.strip():
        return configured
    if store() == POSIX_STORE:
        if not sys.platform.startswith("linux"):
            raise ValueError("store=posix needs Linux's /dev/shm: set MEMSHARE_STORE=file or MEMSHARE_DIR")
        return "/dev/shm"
    return _file_store_directory()


def _file_store_directory():
    """The file store's per-user directory, created owner-only; refused when it is a link, another
    user's, or open to others (the same rule as Java's SegmentFileCheck)."""
    if sys.platform.startswith("win"):
        local = os.environ.get("LOCALAPPDATA") or os.path.join(os.path.expanduser("~"), "AppData", "Local")
        return os.path.join(local, "memshare")
    import getpass
    user = re.sub(r"[^A-Za-z0-9._-]", "_", _user_name(getpass))
    if not user or user.startswith("."):
        user = "user" + user
    directory = os.path.join(os.environ.get("TMPDIR", "").strip() or "/tmp", "memshare-" + user)
    try:
        os.mkdir(directory, 0o700)
    except FileExistsError:
        pass
    st = os.lstat(directory)
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.geteuid() or st.st_mode & 0o077:
        raise MemshareError("default segment directory must be this user's and owner-only: path=%s" % directory)
    return directory


def _user_name(getpass):
    # Java's user.name is the account of the real uid; so is the password entry.
    try:
        import pwd
        return pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError):
        return getpass.getuser()


# ---------------------------------------------------------------- names

def _utf8_length(value):
    """File systems limit names in bytes, so lengths are counted in UTF-8, as in Java."""
    return len(value.encode("utf-8", "surrogatepass"))


def _validate(what, value):
    """The rule of org.memshare.segment.internal.SegmentName: one plain file name, nothing that escapes."""
    if not isinstance(value, str):
        raise TypeError("%s must be a str: type=%s" % (what, type(value).__name__))
    if not value:
        raise ValueError("%s must not be empty" % what)
    if _utf8_length(value) > MAX_NAME_LENGTH:
        raise ValueError("%s is too long: bytes=%d (UTF-8), max=%d, %s=%s"
                         % (what, _utf8_length(value), MAX_NAME_LENGTH, what, value[:40] + ("..." if len(value) > 40 else "")))
    if "/" in value or "\\" in value:
        raise ValueError("%s must not contain a path separator: %s=%r" % (what, what, value))
    if ".." in value or value.startswith("."):
        raise ValueError('%s must not contain ".." or start with ".": %s=%r' % (what, what, value))
    for i, c in enumerate(value):
        if ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F or c in "\u2028\u2029":
            raise ValueError("%s must not contain control characters: %s=%r, index=%d" % (what, what, value, i))
    return value


def _qualify(namespace, name):
    """The rule of org.memshare.registry.QualifiedName."""
    _validate("namespace", namespace)
    if _utf8_length(namespace) > MAX_NAMESPACE_LENGTH:
        raise ValueError("namespace is too long: bytes=%d (UTF-8), max=%d" % (_utf8_length(namespace), MAX_NAMESPACE_LENGTH))
    if "." in namespace:
        raise ValueError("namespace must not contain '.': namespace=%s" % namespace)
    _validate("variable name", name)
    if _utf8_length(name) > MAX_VARIABLE_LENGTH:
        raise ValueError("variable name is too long: bytes=%d (UTF-8), max=%d, namespace=%s"
                         % (_utf8_length(name), MAX_VARIABLE_LENGTH, namespace))
    return "%s.%s" % (namespace, name)


def segment_name(namespace, name):
    """File name of a variable in this library's layout: ``memshare.<ns>.<var>``."""
    _qualify(namespace, name)
    return SEGMENT_PREFIX + namespace + "." + name


def _r_names(namespace, name):
    _qualify(namespace, name)
    return namespace + "." + name, namespace + R_METADATA_INFIX + name


def _check_layout(layout):
    if layout not in (MEMSHARE, R_MEMSHARE):
        raise ValueError("unknown layout: layout=%r (use %r or %r)" % (layout, MEMSHARE, R_MEMSHARE))


# ---------------------------------------------------------------- processes

def _start_ticks(pid):
    """Field 22 of /proc/PID/stat (start time in clock ticks after boot); the command may hold ')'."""
    with open("/proc/%d/stat" % pid) as f:
        stat = f.read()
    fields = stat[stat.rindex(")") + 2:].split()
    return int(fields[22 - 3])


def _alive(pid, start):
    """Same rule as ProcessIdentity.isAlive: pid runs and (where known) started at the same time."""
    if pid <= 0:
        return False
    try:
        now = _start_ticks(pid)
    except (OSError, ValueError, IndexError):
        return False
    return start == 0 or now == start


# ---------------------------------------------------------------- header

def _i32(buf, at):
    return struct.unpack_from("<i", buf, at)[0]


def _i64(buf, at):
    return struct.unpack_from("<q", buf, at)[0]


def _shape(name, where, kind, type_code, dim0, dim1):
    if kind not in KIND_LABELS:
        raise SegmentFormatError("unknown kind code: kind=%d, name=%s, in=%s" % (kind, name, where))
    if type_code not in DTYPES:
        raise SegmentFormatError("unknown element type code: elementType=%d, name=%s, in=%s" % (type_code, name, where))
    if kind == KIND_LIST:
        raise SegmentFormatError("invalid shape in %s: name=%s, a list is not an array shape" % (where, name))
    if dim0 < 0 or dim1 < 0:
        raise SegmentFormatError("invalid shape in %s: name=%s, dimensions must not be negative: rows=%d, cols=%d"
                                 % (where, name, dim0, dim1))
    if kind != KIND_MATRIX and dim1 != 1:
        raise SegmentFormatError("invalid shape in %s: name=%s, a %s has one column: cols=%d"
                                 % (where, name, KIND_LABELS[kind], dim1))
    nbytes = dim0 * dim1 * DTYPES[type_code].itemsize
    if nbytes >= _U64_LIMIT:
        raise SegmentFormatError("invalid shape in %s: name=%s, dimensions overflow: rows=%d, cols=%d"
                                 % (where, name, dim0, dim1))
    return {"kind": KIND_LABELS[kind], "elementType": TYPE_LABELS[type_code], "dtype": DTYPES[type_code],
            "shape": [dim0, dim1] if kind == KIND_MATRIX else [dim0], "rows": dim0, "cols": dim1, "bytes": nbytes}


def read_header(buf, name):
    """Validates and decodes a complete segment exactly as SegmentLayout.read does.

    Returns a dict with every header field and ``arrays``: one placement (dict with kind, dtype,
    shape, offset, bytes) for a vector or matrix, one per element for a list. Raises
    SegmentFormatError before anything out of bounds could be read.
    """
    size = len(buf)
    if size < HEADER_BYTES:
        raise SegmentFormatError("segment too short for a memshare header: name=%s, bytes=%d, headerBytes=%d"
                                 % (name, size, HEADER_BYTES))
    magic = bytes(buf[MAGIC_OFFSET:MAGIC_OFFSET + 8])
    if magic == MAGIC_PENDING:
        raise SegmentFormatError("segment is not complete (registration in progress, or its owner died during"
                                 " registration): name=%s, ownerPid=%d" % (name, _i64(buf, OWNER_PID_OFFSET)))
    if magic != MAGIC_READY:
        raise SegmentFormatError("not a memshare segment (bad magic): name=%s, magic=0x%016x"
                                 % (name, struct.unpack("<Q", magic)[0]))
    version = _i32(buf, VERSION_OFFSET)
    if version > FORMAT_VERSION:
        raise SegmentFormatError("segment has a newer format version: name=%s, version=%d, supported=%d"
                                 % (name, version, FORMAT_VERSION))
    if version < MIN_FORMAT_VERSION:
        raise SegmentFormatError("invalid format version: name=%s, version=%d" % (name, version))
    kind = _i32(buf, KIND_OFFSET)
    if kind not in KIND_LABELS:
        raise SegmentFormatError("unknown kind code: kind=%d, name=%s" % (kind, name))
    data_offset = struct.unpack_from("<I", buf, DATA_OFFSET_OFFSET)[0]
    data_bytes = _i64(buf, DATA_BYTES_OFFSET)
    dim0, dim1 = _i64(buf, DIM0_OFFSET), _i64(buf, DIM1_OFFSET)
    header = {
        "magic": magic.decode("ascii"), "formatVersion": version, "kind": KIND_LABELS[kind],
        "elementTypeCode": _i32(buf, ELEMENT_TYPE_OFFSET), "dataOffset": data_offset, "dim0": dim0, "dim1": dim1,
        "dataBytes": data_bytes, "ownerPid": _i64(buf, OWNER_PID_OFFSET),
        "ownerStartTicks": _i64(buf, OWNER_START_OFFSET), "createdMillis": _i64(buf, CREATED_OFFSET),
        "segmentBytes": size, "layout": MEMSHARE,
    }
    if (data_offset < HEADER_BYTES or data_offset % ALIGNMENT != 0 or data_bytes < 0
            or data_bytes > size - data_offset):
        raise SegmentFormatError("segment sizes do not match its header: name=%s, bytes=%d, dataOffset=%d, dataBytes=%d"
                                 % (name, size, data_offset, data_bytes))
    arrays = []
    if kind == KIND_LIST:
        if dim0 < 0 or dim0 > (data_offset - HEADER_BYTES) // ENTRY_BYTES:
            raise SegmentFormatError("list directory does not fit: name=%s, size=%d, dataOffset=%d"
                                     % (name, dim0, data_offset))
        for i in range(dim0):
            entry = HEADER_BYTES + ENTRY_BYTES * i
            ekind = _i32(buf, entry + ENTRY_KIND_OFFSET)
            shape = _shape(name, "element %d" % i, ekind, _i32(buf, entry + ENTRY_ELEMENT_TYPE_OFFSET),
                           _i64(buf, entry + ENTRY_DIM0_OFFSET), _i64(buf, entry + ENTRY_DIM1_OFFSET))
            offset = _i64(buf, entry + ENTRY_DATA_OFFSET_OFFSET)
            nbytes = _i64(buf, entry + ENTRY_BYTES_OFFSET)
            if (ekind == KIND_RAW or nbytes != shape["bytes"] or offset < data_offset or offset % ALIGNMENT != 0
                    or offset > size or nbytes > size - offset):
                raise SegmentFormatError("list element out of bounds or inconsistent: name=%s, element=%d, offset=%d,"
                                         " bytes=%d, segmentBytes=%d" % (name, i, offset, nbytes, size))
            shape["offset"] = offset
            arrays.append(shape)
    else:
        shape = _shape(name, "header", kind, header["elementTypeCode"], dim0, dim1)
        if shape["bytes"] != data_bytes or data_offset != HEADER_BYTES:
            raise SegmentFormatError("data size does not match the shape: name=%s, dataBytes=%d, expected=%d"
                                     % (name, data_bytes, shape["bytes"]))
        shape["offset"] = data_offset
        arrays.append(shape)
    header["arrays"] = arrays
    header["columns"] = _read_names(buf, size, name, header) if version >= 2 else None
    return header


def _read_names(buf, size, name, header):
    """The column names of a version-2 matrix (SegmentLayout.withNames), validated the same way."""
    offset, nbytes, count = (_i64(buf, NAMES_OFFSET_OFFSET), _i64(buf, NAMES_BYTES_OFFSET),
                             _i64(buf, NAMES_COUNT_OFFSET))
    if offset == 0 and nbytes == 0 and count == 0:
        return None
    if header["kind"] != "matrix":
        raise SegmentFormatError("only a matrix has column names: name=%s, kind=%s, namesOffset=%d, namesBytes=%d,"
                                 " namesCount=%d" % (name, header["kind"], offset, nbytes, count))
    array = header["arrays"][0]
    cols = array["cols"]
    if (count != cols or offset != _align(array["offset"] + array["bytes"]) or nbytes < NAME_LENGTH_BYTES * count
            or nbytes > size - offset):
        raise SegmentFormatError("column names do not match the header: name=%s, namesOffset=%d, namesBytes=%d,"
                                 " namesCount=%d, cols=%d, bytes=%d" % (name, offset, nbytes, count, cols, size))
    end, position, names = offset + nbytes, offset, []
    for j in range(count):
        length = _i32(buf, position) if position + NAME_LENGTH_BYTES <= end else -1
        if length < 1 or length > MAX_COLUMN_NAME_BYTES or length > end - position - NAME_LENGTH_BYTES:
            raise SegmentFormatError("column name out of bounds: name=%s, column=%d, length=%d, at=%d, namesEnd=%d"
                                     % (name, j + 1, length, position, end))
        start = position + NAME_LENGTH_BYTES
        try:
            names.append(bytes(buf[start:start + length]).decode("utf-8", "strict"))
        except UnicodeDecodeError:
            raise SegmentFormatError("column name is not valid UTF-8: name=%s, column=%d" % (name, j + 1)) from None
        position = start + length
    if position != end:
        raise SegmentFormatError("column names do not fill their block: name=%s, namesBytes=%d, used=%d"
                                 % (name, nbytes, position - offset))
    return names


def _names_block(columns, cols):
    """Encodes column names as SegmentLayout.namesBlock does; refuses what Java's plan refuses."""
    columns = [c for c in columns]
    if len(columns) != cols:
        raise ValueError("column names do not match the columns: names=%d, cols=%d" % (len(columns), cols))
    if len(set(columns)) != len(columns):
        raise ValueError("column name given twice: names=%r" % columns)
    block = bytearray()
    for j, column in enumerate(columns):
        if not isinstance(column, str):
            raise TypeError("column name must be a str: column=%d, type=%s" % (j + 1, type(column).__name__))
        try:
            encoded = column.encode("utf-8", "strict")
        except UnicodeEncodeError:
            raise ValueError("column name is not valid Unicode (a lone surrogate): column=%d" % (j + 1)) from None
        if not 1 <= len(encoded) <= MAX_COLUMN_NAME_BYTES:
            raise ValueError("column name must have 1 to %d UTF-8 bytes: column=%d, bytes=%d"
                             % (MAX_COLUMN_NAME_BYTES, j + 1, len(encoded)))
        block += struct.pack("<i", len(encoded)) + encoded
    return bytes(block)


def read_r_metadata(metadata, data_size, data, name):
    """Validates R memshare's metadata records against both objects' real sizes (RMemshareLayout.read).

    ``data`` is the data object's buffer (a list's offset table is read from it). Returns a dict with
    ``kind``, ``shape`` and ``arrays`` (offsets from the start of the data object).
    """
    size = len(metadata)
    if size < R_RECORD_BYTES or size % R_RECORD_BYTES != 0:
        raise SegmentFormatError("R-layout metadata is truncated or not whole records: name=%s, metadataBytes=%d,"
                                 " recordBytes=%d" % (name, size, R_RECORD_BYTES))
    rtype, a, b = R_RECORD.unpack_from(metadata, 0)

    def array(where, t, x, y):
        # Same checks, same order and same messages as RMemshareLayout.arrayShape.
        if t in (R_TYPE_MATRIX, R_TYPE_VECTOR):
            if x >= _U64_LIMIT or (t == R_TYPE_MATRIX and y >= _U64_LIMIT):
                raise SegmentFormatError("R-layout dimension too large: name=%s, in=%s, a=%d, b=%d" % (name, where, x, y))
            cols = y if t == R_TYPE_MATRIX else 1
            if x * cols * 8 >= _U64_LIMIT:
                raise SegmentFormatError("R-layout dimensions overflow: name=%s, in=%s, dimensions overflow: rows=%d,"
                                         " cols=%d, elementType=double" % (name, where, x, cols))
        if t == R_TYPE_MATRIX:
            return {"kind": "matrix", "shape": [x, y], "count": x * y}
        if t == R_TYPE_VECTOR:
            return {"kind": "vector", "shape": [x], "count": x}
        if t == R_TYPE_LIST:
            raise SegmentFormatError("R-layout lists do not nest: name=%s, in=%s" % (name, where))
        raise SegmentFormatError("unknown R-layout type code: name=%s, in=%s, type=%d" % (name, where, t))

    if rtype == R_TYPE_LIST:
        if a != size // R_RECORD_BYTES - 1:
            raise SegmentFormatError("R-layout list size does not match its metadata object: name=%s, elements=%d,"
                                     " records=%d" % (name, a, size // R_RECORD_BYTES))
        table = 8 * a
        if table + 8 * b != data_size:
            raise SegmentFormatError("R-layout data size does not match its metadata: name=%s, dataBytes=%d,"
                                     " elements=%d, totalDoubles=%d, expected=%d"
                                     % (name, data_size, a, b, table + 8 * b))
        arrays, total = [], 0
        for i in range(a):
            element = array("element %d" % i, *R_RECORD.unpack_from(metadata, R_RECORD_BYTES * (i + 1)))
            offset = struct.unpack_from("<Q", data, 8 * i)[0]
            if offset > b or element["count"] > b - offset:
                raise SegmentFormatError("R-layout list element out of bounds: name=%s, element=%d, offsetDoubles=%d,"
                                         " doubles=%d, totalDoubles=%d" % (name, i, offset, element["count"], b))
            element["offset"] = table + 8 * offset
            total += element["count"]
            arrays.append(element)
        if total != b:
            raise SegmentFormatError("R-layout list total does not match its elements: name=%s, totalDoubles=%d,"
                                     " sumOfElements=%d" % (name, b, total))
        return {"kind": "list", "shape": [a], "arrays": arrays, "layout": R_MEMSHARE}
    if size != R_RECORD_BYTES:
        raise SegmentFormatError("R-layout metadata of a vector or matrix is one record: name=%s, metadataBytes=%d,"
                                 " expected=%d" % (name, size, R_RECORD_BYTES))
    element = array("record", rtype, a, b)
    if element["count"] * 8 != data_size:
        raise SegmentFormatError("R-layout data size does not match its metadata: name=%s, dataBytes=%d, expected=%d,"
                                 " kind=%s, dims=%s" % (name, data_size, element["count"] * 8, element["kind"],
                                                         element["shape"]))
    element["offset"] = 0
    return {"kind": element["kind"], "shape": element["shape"], "arrays": [element], "layout": R_MEMSHARE}


# ---------------------------------------------------------------- attaching

_FILE_TYPES = ((stat.S_ISDIR, "directory"), (stat.S_ISLNK, "symbolic link"), (stat.S_ISFIFO, "FIFO (named pipe)"),
               (stat.S_ISSOCK, "socket"), (stat.S_ISCHR, "character device"), (stat.S_ISBLK, "block device"))


def _check(path, st):
    """The trust check of org.memshare.segment.internal.TrustedFile: a regular file of this user, not writable by others."""
    if not stat.S_ISREG(st.st_mode):
        label = next((label for test, label in _FILE_TYPES if test(st.st_mode)), "unknown kind of file")
        raise UntrustedSegmentError(path, "not-a-regular-file", "a %s, not a regular file%s"
                                    % (label, " (links are never followed)" if label == "symbolic link" else ""))
    if st.st_uid != os.geteuid():
        raise UntrustedSegmentError(path, "other-owner", "owned by another user (uid=%d, this process runs as uid=%d)"
                                    % (st.st_uid, os.geteuid()))
    if st.st_mode & 0o022:
        raise UntrustedSegmentError(path, "writable-by-others", "writable by group or others (mode=%04o)"
                                    % stat.S_IMODE(st.st_mode))


def _open_trusted(path, writable, name):
    """Opens without following a link and without blocking (a FIFO is refused, not waited on), then
    checks the opened descriptor itself. Returns (fd, stat); the caller closes fd."""
    flags = (os.O_RDWR if writable else os.O_RDONLY) | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise NotRegisteredError("variable not registered: variable=%s, missing=%s" % (name, path)) from None
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise UntrustedSegmentError(path, "not-a-regular-file",
                                        "a symbolic link, not a regular file (links are never followed)") from None
        if e.errno in (errno.EISDIR, errno.ENXIO, errno.EACCES, errno.EPERM):
            try:
                _check(path, os.lstat(path))
            except FileNotFoundError:
                raise NotRegisteredError("variable not registered: variable=%s, missing=%s" % (name, path)) from None
            except UntrustedSegmentError as refused:
                raise refused from None
        raise MemshareError("cannot open segment: path=%s, errno=%d (%s)" % (path, e.errno, e.strerror)) from None
    try:
        st = os.fstat(fd)
        _check(path, st)
        os.set_blocking(fd, True)
        return fd, st
    except BaseException:
        os.close(fd)
        raise


def _map(path, writable, name):
    fd, st = _open_trusted(path, writable, name)
    try:
        return _map_opened(fd, st, path, writable, name)
    finally:
        os.close(fd)


def _map_opened(fd, st, path, writable, name):
    """Maps a file ``_open_trusted`` opened, whole; the caller closes fd."""
    if st.st_size == 0:
        raise SegmentFormatError("segment is empty: name=%s, path=%s" % (name, path))
    try:
        return mmap.mmap(fd, st.st_size, mmap.MAP_SHARED, mmap.PROT_READ | (mmap.PROT_WRITE if writable else 0))
    except OSError as e:
        raise MemshareError("cannot map segment: path=%s, bytes=%d, errno=%d (%s)"
                            % (path, st.st_size, e.errno, e.strerror)) from None


class SharedMatrix(numpy.ndarray):
    """A matrix attached from shared memory: a numpy array with the column names stored beside it.

    ``columns`` is the list of names (None when the segment stores none); arrays derived from it
    (slices, sums) are plain in meaning and carry ``columns = None``, since their columns may differ.
    """

    def __array_finalize__(self, obj):
        self.columns = None

    def column(self, name):
        """The column of that name, zero-copy."""
        if not self.columns or name not in self.columns:
            raise KeyError("no such column: column=%s, columns=%s" % (name, self.columns))
        return numpy.asarray(self)[:, self.columns.index(name)]


def _array(mm, placement, order="F", columns=None):
    dtype = placement.get("dtype", numpy.dtype("<f8"))
    shape = tuple(placement["shape"])
    # numpy.ndarray over the mapping: no copy; it keeps the mmap alive while the array lives.
    if len(shape) == 2:
        matrix = SharedMatrix(shape, dtype=dtype, buffer=mm, offset=placement["offset"], order=order)
        matrix.columns = columns
        return matrix
    return numpy.ndarray(shape, dtype=dtype, buffer=mm, offset=placement["offset"], order=order)


def _open(namespace, name, directory, writable, layout):
    _check_layout(layout)
    directory = directory or _default_directory()
    qualified = _qualify(namespace, name)
    if layout == MEMSHARE:
        mm = _map(os.path.join(directory, segment_name(namespace, name)), writable, qualified)
        try:
            return mm, read_header(mm, qualified)
        except BaseException:
            mm.close()
            raise
    data_name, metadata_name = _r_names(namespace, name)
    md = _map(os.path.join(directory, metadata_name), False, qualified)
    try:
        mm = _map(os.path.join(directory, data_name), writable, qualified)
        try:
            return mm, read_r_metadata(md, len(mm), mm, qualified)
        except BaseException:
            mm.close()
            raise
    finally:
        md.close()


def attach(namespace, name, writable=False, directory=None, layout=MEMSHARE):
    """Attaches a registered variable without copying.

    Returns a numpy array (a vector has shape ``(n,)``, a matrix ``(nrow, ncol)`` in column-major
    order, ``order='F'``), or for a list a Python list of such arrays. A matrix is a SharedMatrix:
    its ``columns`` are the stored column names, or None. The arrays are read-only unless
    ``writable=True``; a write through a writable array is seen at once by every process. The mapping
    lives as long as the arrays.

    Do not attach through ``multiprocessing.shared_memory.SharedMemory``: its resource tracker
    unlinks the segment when the attaching process exits, deleting another process's variable.

    Raises NotRegisteredError, SegmentFormatError (bad magic, pending, newer version, sizes that do not
    match), ValueError for an invalid name.
    """
    mm, header = _open(namespace, name, directory, writable, layout)
    arrays = [_array(mm, placement, columns=header.get("columns")) for placement in header["arrays"]]
    return arrays if header["kind"] == "list" else arrays[0]


def metadata(namespace, name, directory=None, layout=MEMSHARE):
    """The decoded, validated header (every field) of a variable, without keeping it mapped."""
    mm, header = _open(namespace, name, directory, False, layout)
    mm.close()
    for placement in header["arrays"]:
        placement.pop("dtype", None)
    return header


# ---------------------------------------------------------------- registering

_pages = {}

# Files this process created that no page in _pages holds yet, with their identity once known: a signal
# between a file's creation and its page's registration (past the except clauses that undo a failed
# registration) would leave them behind, so the exit hook removes them too.
_unpublished = {}


def _unlink_own(path, identity):
    """Unlinks ``path`` if it is still the file this process created: ``identity`` (st_dev, st_ino), or
    None for a file created a moment ago whose identity was not read yet."""
    try:
        st = os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        return
    if identity is None or (st.st_dev, st.st_ino) == identity:
        os.unlink(path)


def _unlink_created(path):
    """Undoes a creation that failed: the file goes, and the exit hook forgets it."""
    _unpublished.pop(path, None)
    os.unlink(path)


class Page:
    """A variable this process registered; ``release()`` unlinks exactly the files it created."""

    def __init__(self, qualified, files):
        self.name = qualified
        self._files = files  # [(path, (st_dev, st_ino))], the metadata object first for R's layout
        self.released = False

    def release(self):
        """Removes the name(s); views in every process keep working until they let go. Idempotent."""
        if self.released:
            return
        self.released = True
        _pages.pop(self.name, None)
        for path, identity in self._files:
            # Only the file this process created, never one registered under the same name since.
            _unlink_own(path, identity)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.release()

    def __repr__(self):
        return "Page(%s%s)" % (self.name, ", released" if self.released else "")


def _as_arrays(value, layout):
    """(kind, [column-major arrays]) of a vector, matrix or list of these."""
    if isinstance(value, (_list, tuple)):
        elements = [_as_array(v, layout, "element %d" % i) for i, v in enumerate(value)]
        return "list", elements
    array = _as_array(value, layout, "value")
    return ("matrix" if array.ndim == 2 else "vector"), [array]


def _as_array(value, layout, where):
    if isinstance(value, (_list, tuple)):
        raise ValueError("lists do not nest: %s is a list" % where)
    array = numpy.asarray(value)
    if array.ndim not in (1, 2):
        raise ValueError("only vectors (1-D) and matrices (2-D) can be registered: %s, ndim=%d" % (where, array.ndim))
    if layout == R_MEMSHARE and _code(array.dtype) != 1:
        raise ValueError("R memshare's layout holds doubles only: %s, dtype=%s" % (where, array.dtype))
    if _code(array.dtype) is None:
        raise ValueError("unsupported dtype: %s, dtype=%s (use float64, float32, int64, int32 or int8)"
                         % (where, array.dtype))
    return array


def _create(path, nbytes, qualified, layout, prefix=b""):
    """Exclusive, mode 0600, ``prefix`` written at offset 0 at once, then space reserved: a full
    /dev/shm is an error here, not SIGBUS later."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    except FileExistsError:
        raise AlreadyRegisteredError("variable already registered: variable=%s, layout=%s, path=%s"
                                     % (qualified, layout, path)) from None
    _unpublished[path] = None
    try:
        try:
            if prefix:
                # As Java's stores do: whose file this is, the moment it exists and before the slow reserve, so
                # a registrant killed from here on leaves a pending orphan that gc judges by its owner.
                os.pwrite(fd, prefix, 0)
            _reserve(fd, nbytes)
            mm = mmap.mmap(fd, nbytes, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE)
            st = os.fstat(fd)
        finally:
            os.close(fd)
    except BaseException as e:
        _unlink_created(path)
        if isinstance(e, OSError) and e.errno == 28:
            raise MemshareError("not enough shared memory: requested=%d, path=%s" % (nbytes, path)) from e
        raise
    identity = (st.st_dev, st.st_ino)
    _unpublished[path] = identity
    return mm, identity


def _reserve(fd, nbytes):
    """Allocates every block now, so a full file system fails here and not as SIGBUS later."""
    if hasattr(os, "posix_fallocate"):
        os.posix_fallocate(fd, 0, nbytes)
        return
    # macOS has no posix_fallocate: zeros written once allocate the blocks (as Java's file store does).
    chunk = bytes(min(nbytes, 1 << 20))
    written = 0
    while written < nbytes:
        written += os.pwrite(fd, chunk[:min(len(chunk), nbytes - written)], written)


def _align(value):
    return (value + ALIGNMENT - 1) & -ALIGNMENT


_FILL_CHUNK_BYTES = 32 << 20


def _fill(mm, offset, array):
    # Column-major, little-endian, as Java and R read it; one copy, into shared memory. In chunks:
    # Python runs a signal handler only between two C calls, and on a disk directory (the file store)
    # one copy of a large array can take seconds; SIGTERM must still end the process within 2 s.
    target = numpy.ndarray(array.shape, dtype=DTYPES[_code(array.dtype)], buffer=mm, offset=offset, order="F")
    if array.ndim == 2:
        # Blocks of whole columns: no copy of the source, whatever its order.
        step = max(1, _FILL_CHUNK_BYTES // max(1, array.shape[0] * array.itemsize))
        for j in range(0, array.shape[1], step):
            target[:, j:j + step] = array[:, j:j + step]
    else:
        step = max(1, _FILL_CHUNK_BYTES // max(1, array.itemsize))
        for i in range(0, array.shape[0], step):
            target[i:i + step] = array[i:i + step]


def register(namespace, name, array, columns=None, directory=None, layout=MEMSHARE):
    """Registers a numpy array (1-D vector, 2-D matrix) or a list of them, copying it once.

    In this library's layout the dtypes float64, float32, int64, int32 and int8 are accepted; in R
    memshare's layout (``layout="r-memshare"``) float64 only. ``columns`` names a matrix's columns
    (one distinct, non-empty name per column, at most 1024 UTF-8 bytes each); they are stored in the
    segment, where Java's ``MatrixView.columnNames()``, ``memshare show`` and ``memshare select
    --namespace`` find them (R's layout has no place for names). Returns a Page; the variable is
    released by ``Page.release()``, by ``release()`` or at interpreter exit (as the JVM does at exit).

    Raises AlreadyRegisteredError when the name exists, ValueError for an invalid name or value.
    """
    _check_layout(layout)
    directory = directory or _default_directory()
    qualified = _qualify(namespace, name)
    if qualified in _pages and not _pages[qualified].released:
        raise AlreadyRegisteredError("variable already registered by this process: variable=%s" % qualified)
    kind, arrays = _as_arrays(array, layout)
    names = None
    if columns is not None:
        if kind != "matrix":
            raise ValueError("only a matrix has column names: variable=%s, kind=%s" % (qualified, kind))
        if layout == R_MEMSHARE:
            raise ValueError("R memshare's layout has no column names: variable=%s" % qualified)
        names = _names_block(columns, arrays[0].shape[1])
    _handle_termination()
    if layout == R_MEMSHARE:
        page = _register_r(directory, namespace, name, qualified, kind, arrays)
    else:
        page = _register_memshare(directory, namespace, name, qualified, kind, arrays, names, len(columns or ()))
    _pages[qualified] = page
    for path, _ in page._files:
        _unpublished.pop(path, None)
    return page


def _register_memshare(directory, namespace, name, qualified, kind, arrays, names=None, count=0):
    if kind == "list":
        position = _align(HEADER_BYTES + ENTRY_BYTES * len(arrays))
        data_offset = position
        offsets = []
        for array in arrays:
            offsets.append(position)
            position = _align(position + array.nbytes)
        total = position
    else:
        data_offset = HEADER_BYTES
        offsets = [HEADER_BYTES]
        total = HEADER_BYTES + arrays[0].nbytes
    total = max(total, HEADER_BYTES)
    names_offset = _align(total) if names else 0
    if names:
        total = names_offset + len(names)
    path = os.path.join(directory, segment_name(namespace, name))
    pid = os.getpid()
    start_ticks = _start_ticks(pid)
    pending = bytearray(HEADER_BYTES)
    struct.pack_into("<8si", pending, MAGIC_OFFSET, MAGIC_PENDING, FORMAT_VERSION)
    struct.pack_into("<qq", pending, OWNER_PID_OFFSET, pid, start_ticks)
    mm, identity = _create(path, total, qualified, MEMSHARE, bytes(pending))
    try:
        struct.pack_into("<8sii", mm, MAGIC_OFFSET, MAGIC_PENDING, FORMAT_VERSION,
                         KIND_LIST if kind == "list" else (KIND_MATRIX if kind == "matrix" else KIND_VECTOR))
        if kind == "list":
            struct.pack_into("<iIqq", mm, ELEMENT_TYPE_OFFSET, 0, data_offset, len(arrays), 0)
            for i, (array, offset) in enumerate(zip(arrays, offsets)):
                rows, cols = (array.shape[0], array.shape[1]) if array.ndim == 2 else (array.shape[0], 1)
                struct.pack_into("<iiqqqq", mm, HEADER_BYTES + ENTRY_BYTES * i,
                                 KIND_MATRIX if array.ndim == 2 else KIND_VECTOR, _code(array.dtype), rows, cols,
                                 offset, array.nbytes)
        else:
            array = arrays[0]
            rows, cols = (array.shape[0], array.shape[1]) if array.ndim == 2 else (array.shape[0], 1)
            code = _code(array.dtype)
            struct.pack_into("<iIqq", mm, ELEMENT_TYPE_OFFSET, code, data_offset, rows, cols)
        data_bytes = total - data_offset if kind == "list" else arrays[0].nbytes
        struct.pack_into("<qqqq", mm, DATA_BYTES_OFFSET, data_bytes, pid, start_ticks,
                         int(time.time() * 1000))
        for array, offset in zip(arrays, offsets):
            _fill(mm, offset, array)
        if names:
            struct.pack_into("<qqq", mm, NAMES_OFFSET_OFFSET, names_offset, len(names), count)
            mm[names_offset:names_offset + len(names)] = names
        # Publication rule: the ready magic is the last store. On x86-64 (TSO) stores become visible
        # in program order, so a reader that sees MEMSHARE sees the header and the data.
        mm[MAGIC_OFFSET:MAGIC_OFFSET + 8] = MAGIC_READY
    except BaseException:
        mm.close()
        _unlink_created(path)
        raise
    mm.close()
    return Page(qualified, [(path, identity)])


def _register_r(directory, namespace, name, qualified, kind, arrays):
    data_name, metadata_name = _r_names(namespace, name)
    data_path = os.path.join(directory, data_name)
    metadata_path = os.path.join(directory, metadata_name)
    if os.path.lexists(metadata_path):
        raise AlreadyRegisteredError("variable already registered: variable=%s, layout=%s, path=%s"
                                     % (qualified, R_MEMSHARE, metadata_path))
    table = 8 * len(arrays) if kind == "list" else 0
    counts = [int(array.size) for array in arrays]
    data_bytes = table + 8 * sum(counts)
    if data_bytes == 0:
        raise ValueError("R memshare cannot map an empty object: variable=%s, dataBytes=0" % qualified)
    records = []
    if kind == "list":
        records.append((R_TYPE_LIST, len(arrays), sum(counts)))
    for array in arrays:
        records.append((R_TYPE_MATRIX, array.shape[0], array.shape[1]) if array.ndim == 2
                       else (R_TYPE_VECTOR, array.shape[0], 0))
    # Data first and complete, metadata last: R's reader trusts whatever metadata it finds.
    mm, data_identity = _create(data_path, data_bytes, qualified, R_MEMSHARE)
    try:
        position = 0
        for i, array in enumerate(arrays):
            if kind == "list":
                struct.pack_into("<Q", mm, 8 * i, position)
            _fill(mm, table + 8 * position, array)
            position += counts[i]
        md, metadata_identity = _create(metadata_path, R_RECORD_BYTES * len(records), qualified, R_MEMSHARE)
        try:
            for i, record in enumerate(records):
                R_RECORD.pack_into(md, R_RECORD_BYTES * i, *record)
        except BaseException:
            md.close()
            _unlink_created(metadata_path)
            raise
        md.close()
    except BaseException:
        mm.close()
        _unlink_created(data_path)
        raise
    mm.close()
    return Page(qualified, [(metadata_path, metadata_identity), (data_path, data_identity)])


def release(namespace, name):
    """Releases a variable this process registered (any directory, any layout)."""
    qualified = _qualify(namespace, name)
    page = _pages.get(qualified)
    if page is None:
        raise NotRegisteredError("not a variable registered by this process: variable=%s" % qualified)
    page.release()


def _exit_on_signal(signum, frame):
    # SystemExit unwinds the registration in progress (its except clause unlinks the new file) and
    # then runs the atexit hook below, which releases the pages: a signal leaves nothing behind.
    sys.exit(128 + signum)


def _handle_termination():
    """Installs SIGTERM (and SIGHUP) handlers that exit cleanly, once, when the first page is registered.

    Only where the default action is in force (an application's own handler wins) and only from the
    main thread, where Python allows it. SIGINT already raises KeyboardInterrupt, which unwinds the same way.
    """
    global _signals_installed
    if _signals_installed or threading.current_thread() is not threading.main_thread():
        return
    _signals_installed = True
    for signum in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(signum) == signal.SIG_DFL:
            signal.signal(signum, _exit_on_signal)


_signals_installed = False


@atexit.register
def _release_all_at_exit():
    for page in _list(_pages.values()):
        try:
            page.release()
        except OSError:
            pass  # best effort at exit: `memshare gc` reclaims what is left
    for path, identity in _list(_unpublished.items()):
        try:
            _unlink_own(path, identity)
        except OSError:
            pass


# ---------------------------------------------------------------- listing
# An entry has the fields of `memshare ls --json` (org.memshare.cli.ListCommand), in its order.

def list(namespace=None, directory=None):
    """Every variable in the directory (of one namespace, if given), both layouts, sorted by name.

    Each entry is a dict with exactly the fields of ``memshare ls --json``: namespace, name, kind,
    type, shape, bytes, owner_pid (0 when unknown: R's layout), owner_alive (None when unknown),
    layout, state (ready, pending, invalid, incomplete, foreign, not-a-segment), and for the last three a
    ``reason``. ``incomplete`` is a file of this user named like a segment but shorter than a header:
    its registrant died before writing one (or is writing it now); its owner is unknown. A name that fails the trust check (another user's file, one others may write, a link,
    FIFO, socket, device or directory) is listed as ``foreign`` or ``not-a-segment`` and never read;
    files of other programs are skipped. Every entry ends with ``store`` (``posix`` or ``file``, see
    ``store()``).
    """
    return [_public(entry) for entry in _census(namespace, directory)]


def _public(entry):
    """An entry without the census's own keys (``_stale``): exactly the fields of ``ls --json``."""
    return {key: value for key, value in entry.items() if not key.startswith("_")}


def _census(namespace, directory):
    directory = directory or _default_directory()
    if namespace is not None:
        _qualify(namespace, "x")
    try:
        names = sorted(os.listdir(directory))
    except FileNotFoundError:
        return []
    present = set(names)
    entries = []
    for file_name in names:
        if file_name.startswith(SEGMENT_PREFIX):
            entry = _inspect_memshare(directory, file_name)
        elif R_METADATA_INFIX in file_name:
            entry = _inspect_r(directory, file_name, present)
        else:
            entry = None
        if entry is not None and (namespace is None or entry["namespace"] == namespace):
            entry["store"] = store()
            entries.append(entry)
    for entry in entries:
        if entry["kind"] is None:
            entry["kind"] = entry["state"]  # as `ls` shows an entry whose header cannot be read
    # Sorted by file name (R's layout: the data object's), as Java's census sorts.
    entries.sort(key=lambda e: (SEGMENT_PREFIX if e["layout"] == MEMSHARE else "") + e["namespace"] + "." + e["name"])
    return entries


def list_namespace(namespace=None, directory=None):
    """Same as list(); the name of earlier versions."""
    return list(namespace, directory)


def _entry(namespace, variable, layout, size, pid, alive):
    return {"namespace": namespace, "name": variable, "kind": None, "type": None, "shape": [], "bytes": size,
            "owner_pid": pid, "owner_alive": alive, "layout": layout, "state": "ready"}


def gc(directory=None, dry_run=False):
    """Unlinks segments whose owner process died, by the rules of ``memshare gc``.

    A segment of this library's layout (``memshare.<ns>.<var>``, ready or pending) is an orphan when
    its owner pid is gone or was reused (start time differs); an ``incomplete`` file when it has stayed
    shorter than a header for longer than INCOMPLETE_GRACE_SECONDS. R memshare's segments record no owner
    and are never touched, nor are other programs' or other users' files. Each orphan is looked at
    again right before it is unlinked, so a name re-registered meanwhile survives. Returns the
    reclaimed entries (with ``dry_run=True``: those that would be), as ``list()`` shows them; see
    ``gc_report`` for what was left and why.
    """
    return gc_report(directory, dry_run)[0]


def gc_report(directory=None, dry_run=False):
    """``gc`` with what it left: ``(reclaimed, skipped)``, each skipped entry a tuple
    ``(entry, reason, own_orphan)``; ``own_orphan`` is true for an orphan of this user that could not
    be unlinked (a failure: ``python -m memshare gc`` exits 3, as Java's does)."""
    directory = directory or _default_directory()
    reclaimed, skipped = [], []
    for entry in _census(None, directory):
        if entry["state"] in ("foreign", "not-a-segment") or (entry["state"] == INCOMPLETE and not entry["_stale"]):
            skipped.append((_public(entry), "%s: %s" % (entry["state"], entry.get("reason")), False))
            continue
        if not _is_orphan(entry):
            continue
        if dry_run:
            reclaimed.append(_public(entry))
            continue
        file_name = segment_name(entry["namespace"], entry["name"])
        path = os.path.join(directory, file_name)
        try:
            before = os.stat(path, follow_symlinks=False)
            again = _inspect_memshare(directory, file_name)
            if again is None or again["owner_pid"] != entry["owner_pid"] or (again["state"] == INCOMPLETE) != (
                    entry["state"] == INCOMPLETE) or not _is_orphan(again):
                continue
            now = os.stat(path, follow_symlinks=False)
            if (now.st_dev, now.st_ino, now.st_size) == (before.st_dev, before.st_ino, before.st_size):
                os.unlink(path)
                reclaimed.append(_public(entry))
        except FileNotFoundError:
            continue
        except OSError as e:
            skipped.append((_public(entry), "cannot unlink: %s" % (e.strerror or e), True))
    return reclaimed, skipped


def _is_orphan(entry):
    """Whether gc reclaims the entry: this library's segment whose owner is dead, or a stale incomplete file."""
    return entry["layout"] == MEMSHARE and (entry["owner_alive"] is False or entry.get("_stale", False))


def _split(rest):
    dot = rest.find(".")
    if dot <= 0 or dot == len(rest) - 1:
        return None
    try:
        _qualify(rest[:dot], rest[dot + 1:])
    except ValueError:
        return None
    return rest[:dot], rest[dot + 1:]


def _inspect_memshare(directory, file_name):
    parts = _split(file_name[len(SEGMENT_PREFIX):])
    path = os.path.join(directory, file_name)
    if parts is None:
        return None
    try:
        fd, st = _open_trusted(path, False, file_name)
        try:
            if st.st_size < HEADER_BYTES:
                # Passed the trust check (this user's regular file): a registrant killed before its header.
                return _incomplete(parts[0], parts[1], st)
            mm = _map_opened(fd, st, path, False, file_name)
        finally:
            os.close(fd)
    except UntrustedSegmentError as e:
        return _refused(parts[0], parts[1], MEMSHARE, e)
    except (OSError, MemshareError):
        return None
    try:
        if len(mm) < HEADER_BYTES or bytes(mm[0:8]) not in (MAGIC_READY, MAGIC_PENDING):
            return None
        pid, start = _i64(mm, OWNER_PID_OFFSET), _i64(mm, OWNER_START_OFFSET)
        entry = _entry(parts[0], parts[1], MEMSHARE, len(mm), pid, _alive(pid, start))
        if bytes(mm[0:8]) == MAGIC_PENDING:
            entry["state"] = "pending"
            return entry
        try:
            header = read_header(mm, file_name)
        except SegmentFormatError:
            entry["state"] = "invalid"
            return entry
        entry["kind"] = header["kind"]
        if header["kind"] == "list":
            entry["shape"] = [len(header["arrays"])]
        else:
            entry["shape"] = header["arrays"][0]["shape"]
            entry["type"] = header["arrays"][0]["elementType"]
        return entry
    finally:
        mm.close()


def _incomplete(namespace, variable, st):
    """The entry of a file shorter than a header, by the rule of Java's SegmentCensus.incomplete."""
    fresh = time.time() - st.st_mtime <= INCOMPLETE_GRACE_SECONDS
    entry = _entry(namespace, variable, MEMSHARE, st.st_size, 0, None)
    entry["state"], entry["_stale"] = INCOMPLETE, not fresh
    entry["reason"] = ("no header yet: %d bytes, changed less than %d s ago (its registrant may be writing it)"
                       if fresh else "no header: %d bytes, unchanged for more than %d s (its registrant died before"
                       " writing one)") % (st.st_size, INCOMPLETE_GRACE_SECONDS)
    return entry


def _refused(namespace, variable, layout, error):
    """The entry of a file that failed the trust check: listed with the reason, never read."""
    entry = _entry(namespace, variable, layout, 0, 0, None)
    entry["state"], entry["reason"] = error.state, error.detail
    return entry


def _inspect_r(directory, metadata_name, present):
    at = metadata_name.find(R_METADATA_INFIX)
    namespace, variable = metadata_name[:at], metadata_name[at + len(R_METADATA_INFIX):]
    try:
        _qualify(namespace, variable)
    except ValueError:
        return None
    if namespace + "." + variable not in present:
        return None
    try:
        md = _map(os.path.join(directory, metadata_name), False, metadata_name)
    except UntrustedSegmentError as e:
        return _refused(namespace, variable, R_MEMSHARE, e)
    except (OSError, MemshareError):
        return None
    try:
        if len(md) % R_RECORD_BYTES or struct.unpack_from("<i", md, 0)[0] not in (0, 1, 2):
            return None  # another program's file
        entry = _entry(namespace, variable, R_MEMSHARE, len(md), 0, None)
        try:
            mm = _map(os.path.join(directory, namespace + "." + variable), False, variable)
        except UntrustedSegmentError as e:
            md.close()
            md = None
            return _refused(namespace, variable, R_MEMSHARE, e)
        except (OSError, MemshareError):
            entry["state"] = "invalid"
            return entry
        try:
            entry["bytes"] += len(mm)
            decoded = read_r_metadata(md, len(mm), mm, namespace + "." + variable)
            entry["kind"], entry["shape"] = decoded["kind"], decoded["shape"]
            entry["type"] = None if decoded["kind"] == "list" else "double"
        except SegmentFormatError:
            entry["state"] = "invalid"
        finally:
            mm.close()
        return entry
    finally:
        if md is not None:
            md.close()


# ---------------------------------------------------------------- command line
# Field names, shapes and exit codes are those of the Java command line (`memshare ls|show|gc
# --json`); CliPythonParityTest runs both on the same segments and compares them.

EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_INCOMPLETE = 0, 1, 2, 3


def _show(namespace, name, directory, layout):
    """The fields of `memshare show --json`: kind, type, shape, bytes, (layout), sum, min, max, columns."""
    value = attach(namespace, name, directory=directory, layout=layout)
    info = metadata(namespace, name, directory, layout=layout)
    arrays = value if isinstance(value, _list) else [value]
    if info["kind"] == "list":
        shape, element_type = [len(arrays)], None
    else:
        shape, element_type = info["arrays"][0]["shape"], info["arrays"][0].get("elementType", "double")
    out = {"kind": info["kind"], "type": element_type, "shape": shape,
           "bytes": int(sum(a.nbytes for a in arrays))}
    if layout != MEMSHARE:
        out["layout"] = layout
    flat = [numpy.asarray(a, dtype=numpy.float64).ravel(order="F") for a in arrays]
    present = [f[~numpy.isnan(f)] for f in flat]
    count = sum(p.size for p in present)
    out["sum"] = float(sum(float(p.sum()) for p in present))
    out["min"] = float(min(p.min() for p in present if p.size)) if count else None
    out["max"] = float(max(p.max() for p in present if p.size)) if count else None
    out["store"] = store()
    if info.get("columns"):
        out["columns"] = info["columns"]
    return out


def _json(value):
    """One compact line, as the Java command line writes it: NaN and infinities (not JSON) become null."""
    def finite(v):
        if isinstance(v, float) and not numpy.isfinite(v):
            return None
        if isinstance(v, dict):
            return {k: finite(x) for k, x in v.items()}
        if isinstance(v, _list):
            return [finite(x) for x in v]
        return v
    return json.dumps(finite(value), separators=(",", ":"), allow_nan=False)


def _shape_label(shape):
    return "x".join(str(d) for d in shape) or "-"


def _print_table(entries):
    row = "%-16s %-24s %-7s %-7s %-14s %14s %8s %-6s %s"
    print(row % ("NAMESPACE", "VARIABLE", "KIND", "TYPE", "SHAPE", "BYTES", "OWNER", "ALIVE", "LAYOUT"))
    for e in entries:
        print(row % (e["namespace"], e["name"], e["kind"] or e["state"], e["type"] or "-", _shape_label(e["shape"]),
                     e["bytes"], e["owner_pid"] or "-", "-" if e["owner_alive"] is None else
                     ("yes" if e["owner_alive"] else "no"), e["layout"]))
    for e in entries:
        if e.get("reason") is not None:
            # As Java's ls: the reason a refused or incomplete entry has, one line each after the table.
            name = (SEGMENT_PREFIX if e["layout"] == MEMSHARE else "") + e["namespace"] + "." + e["name"]
            refused = e["state"] in ("foreign", "not-a-segment")
            print("%s: %s, %s%s" % (name, e["state"], "never opened: " if refused else "", e["reason"]))


class _Parser(__import__("argparse").ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        print("memshare: %s" % message, file=sys.stderr)
        sys.exit(EXIT_USAGE)


def main(argv=None):
    """``python3 -m memshare ls|show|gc [--json]``: the Java command line's verbs, fields and exit codes.

    Exit codes as for the Java command line: 0 success, 1 failure (the variable is missing, malformed
    or refused), 2 usage error (including an invalid name). One line on standard error, no traceback
    unless ``--debug``.
    """
    parser = _Parser(prog="memshare", description=main.__doc__.splitlines()[0])
    parser.add_argument("--debug", action="store_true", help="print the traceback of a failure")
    sub = parser.add_subparsers(dest="verb", required=True, parser_class=_Parser)
    ls = sub.add_parser("ls", help="list live segments (both layouts)")
    ls.add_argument("namespace", nargs="?")
    ls.add_argument("--json", action="store_true")
    ls.add_argument("--dir")
    show = sub.add_parser("show", help="metadata and summary of a variable")
    show.add_argument("namespace")
    show.add_argument("name")
    show.add_argument("--r-layout", action="store_true")
    show.add_argument("--json", action="store_true")
    show.add_argument("--dir")
    collect = sub.add_parser("gc", help="reclaim segments whose owner process died")
    collect.add_argument("--dry-run", action="store_true")
    collect.add_argument("--json", action="store_true")
    collect.add_argument("--dir")
    args = parser.parse_args(argv)
    try:
        # Names first: an invalid one is a usage error, not a failure.
        if args.verb == "show":
            _qualify(args.namespace, args.name)
        elif getattr(args, "namespace", None) is not None:
            _qualify(args.namespace, "x")
    except (TypeError, ValueError) as e:
        print("memshare %s: %s" % (args.verb, e), file=sys.stderr)
        return EXIT_USAGE
    try:
        if args.verb == "ls":
            entries = list(args.namespace, args.dir)
            if args.json:
                print(_json(entries))
            else:
                _print_table(entries)
        elif args.verb == "gc":
            reclaimed, skipped = gc_report(args.dir, args.dry_run)
            for entry, reason, own in skipped:
                name = (SEGMENT_PREFIX if entry["layout"] == MEMSHARE else "") + entry["namespace"] + "." + entry["name"]
                print("memshare gc: %s%s: %s" % ("could not reclaim " if own else "left ", name, reason), file=sys.stderr)
            code = EXIT_INCOMPLETE if any(own for _, _, own in skipped) else EXIT_OK
            if args.json:
                print(_json(reclaimed))
                return code
            else:
                verb = "would reclaim " if args.dry_run else "reclaimed "
                for e in reclaimed:
                    why = "no header" if e["state"] == INCOMPLETE else "dead owner pid %d" % e["owner_pid"]
                    print("%s%s.%s (%d bytes, %s)" % (verb, e["namespace"], e["name"], e["bytes"], why))
                print("%s%d orphan segment(s), %d bytes" % (verb, len(reclaimed), sum(e["bytes"] for e in reclaimed)))
            sys.stdout.flush()
            return code
        else:
            layout = R_MEMSHARE if args.r_layout else MEMSHARE
            shown = _show(args.namespace, args.name, args.dir, layout)
            if args.json:
                print(_json(shown))
            else:
                print("%s.%s: %s%s %s, %d bytes" % (args.namespace, args.name, shown["kind"],
                                                    " of " + shown["type"] if shown["type"] else "",
                                                    _shape_label(shown["shape"]), shown["bytes"]))
                if shown.get("columns"):
                    print("  columns %s" % ", ".join(shown["columns"]))
                print("  sum %r, min %r, max %r" % (shown["sum"], shown["min"], shown["max"]))
    except KeyboardInterrupt:
        return 130
    except (MemshareError, ValueError, OSError) as e:
        if args.debug:
            import traceback
            traceback.print_exc()
        message = str(e) if not isinstance(e, OSError) or e.strerror is None else \
            "%s: %s" % (e.strerror, e.filename if e.filename is not None else "")
        print("memshare %s: %s" % (args.verb, message), file=sys.stderr)
        return EXIT_FAILURE
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())

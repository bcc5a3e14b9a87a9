#!/usr/bin/env python3
"""Writes a valid, pure-Python wheel for the benchmark: benchpkg-VERSION-py3-none-any.whl.

The wheel holds benchpkg/__init__.py, a blob of random (incompressible) bytes, and the
dist-info files METADATA, WHEEL and RECORD (with the sha256 of every other entry). Entries are
stored uncompressed (ZIP_STORED) so that writing a large wheel costs little more than reading
/dev/urandom.

usage: make_wheel.py OUT_DIR VERSION BLOB_MIB
"""

import base64
import hashlib
import os
import sys
import zipfile

CHUNK = 1 << 20
DATE = (2024, 1, 1, 0, 0, 0)  # fixed, so that wheels differ only in their random blob


def record_hash(digest):
    """RECORD's hash format: sha256=<urlsafe base64 without padding>."""
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__.strip().splitlines()[-1])
    out_dir, version, blob_mib = sys.argv[1], sys.argv[2], int(sys.argv[3])
    dist_info = f"benchpkg-{version}.dist-info"
    path = os.path.join(out_dir, f"benchpkg-{version}-py3-none-any.whl")
    small_files = {
        "benchpkg/__init__.py": f'__version__ = "{version}"\n',
        f"{dist_info}/METADATA": (
            f"Metadata-Version: 2.1\nName: benchpkg\nVersion: {version}\n"
            "Summary: wheelhouse benchmark package\n"
        ),
        f"{dist_info}/WHEEL": (
            "Wheel-Version: 1.0\nGenerator: wheelhouse-bench\n"
            "Root-Is-Purelib: true\nTag: py3-none-any\n"
        ),
    }
    records = []
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as whl:
        for name, text in small_files.items():
            data = text.encode("utf-8")
            whl.writestr(zipfile.ZipInfo(name, DATE), data)
            records.append(f"{name},{record_hash(hashlib.sha256(data).digest())},{len(data)}")

        # The blob is streamed in chunks: memory stays small whatever its size.
        blob_name, blob_size, sha = "benchpkg/blob.bin", blob_mib * CHUNK, hashlib.sha256()
        with whl.open(zipfile.ZipInfo(blob_name, DATE), "w", force_zip64=True) as blob:
            for _ in range(blob_mib):
                chunk = os.urandom(CHUNK)
                sha.update(chunk)
                blob.write(chunk)
        records.append(f"{blob_name},{record_hash(sha.digest())},{blob_size}")

        records.append(f"{dist_info}/RECORD,,")
        whl.writestr(zipfile.ZipInfo(f"{dist_info}/RECORD", DATE), "\n".join(records) + "\n")
    print(path)


if __name__ == "__main__":
    main()

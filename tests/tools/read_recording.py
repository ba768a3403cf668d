#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A second reader of flight-memory-recording/2, written from docs/recordings.md
("Format 2") alone: Python standard library plus python3-zstandard.

    read_recording.py FILE            per-session figures as JSON on stdout
    read_recording.py FILE --compare REPORT.json
                                      exit 1 unless they equal the sessions of
                                      `flight-inspector report FILE --format json`,
                                      and the footer's summary ("Summary") agrees
                                      with its peak and used bytes
"""
import json
import struct
import sys
import zlib

import zstandard

PREAMBLE = b"FMR2\r\n\x1a\n"
PURPOSES = ["vm-heap", "component-stack", "asset-cache", "jit-code-cache",
            "system-reserved", "wasm-linear", "network-buffers", "temporary"]
MASK64 = (1 << 64) - 1


class Column:
    def __init__(self, data):
        self.data, self.pos = data, 0

    def varint(self):
        value, shift = 0, 0
        while True:
            b = self.data[self.pos]
            self.pos += 1
            value |= (b & 0x7F) << shift
            if not b & 0x80:
                return value
            shift += 7

    def svarint(self):
        u = self.varint()
        return (u >> 1) ^ -(u & 1)

    def take(self, n):
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out


def s64(v):
    v &= MASK64
    return v - (1 << 64) if v >> 63 else v


def decode_block(raw, count):
    """The records of one payload: dicts like the JSON Lines messages (allocation, free),
    or ("text", line) / ("raw", line)."""
    head = Column(raw)
    ncols = head.varint()
    lengths = [head.varint() for _ in range(ncols)]
    cols = []
    for n in lengths:
        cols.append(Column(head.take(n)))
    strings_col, kinds, times, received, seqs, sessions, idtexts, idnumbers, sizes, purposes, freed, texts = cols[:12]
    strings = [strings_col.take(strings_col.varint()).decode("utf-8", "replace")
               for _ in range(strings_col.varint())]
    prev_time, prev_seq, prev_number = 0, MASK64, 0
    records = []
    for _ in range(count):
        k = kinds.take(1)[0]
        kind = k & 0x0F
        if kind in (2, 3):
            line = texts.take(texts.varint())
            records.append(("text" if kind == 2 else "raw", line))
            continue
        if kind not in (0, 1):
            raise ValueError("reserved record kind %d" % kind)
        session = strings[sessions.varint()]
        ident = strings[idtexts.varint()]
        if k & 0x80:
            number = (prev_number + idnumbers.svarint()) & MASK64
            if kind == 0:
                prev_number = number
            ident += str(number)
        prev_time = s64(prev_time + times.svarint())
        msg = {}
        if k & 0x20:
            msg["receivedAt"] = s64(prev_time + received.svarint())
        if k & 0x10:
            prev_seq = (prev_seq + 1 + seqs.svarint()) & MASK64
            msg["seq"] = prev_seq
        if kind == 0:
            code = purposes.varint()
            purpose = PURPOSES[code] if code < len(PURPOSES) else strings[code - len(PURPOSES)]
            a = {"id": ident, "sessionId": session, "bytes": sizes.varint(),
                 "purpose": purpose, "allocatedAt": prev_time}
            if k & 0x40:
                a["freedAt"] = s64(prev_time + freed.svarint())
            msg.update(type="allocation", allocation=a)
        else:
            msg.update(type="free", sessionId=session, allocationId=ident, freedAt=prev_time)
        records.append(msg)
    return records


def read_records(path):
    """Every record of the file in order (damaged blocks skipped, as the spec says)."""
    with open(path, "rb") as f:
        data = f.read()
    if not data.startswith(PREAMBLE):
        raise ValueError("%s is not a format-2 recording" % path)
    dctx = zstandard.ZstdDecompressor()
    pos = len(PREAMBLE)
    while pos < len(data):
        magic = data[pos:pos + 4]
        if magic == b"FMX2":
            entries = struct.unpack_from("<I", data, pos + 4)[0]
            pos += 16 + 36 * entries + 4
            continue
        if magic == b"FMS2":
            pos += 16 + struct.unpack_from("<I", data, pos + 4)[0] + 4
            continue
        if magic == b"FMB2":
            payload_bytes, raw_bytes, count, first, tmin, tmax, crc = struct.unpack_from("<IIIQqqI", data, pos + 4)
            payload = data[pos + 44:pos + 44 + payload_bytes]
            if zlib.crc32(payload, zlib.crc32(data[pos:pos + 40])) != crc:
                raise ValueError("block at byte %d: checksum mismatch" % pos)
            raw = dctx.decompress(payload, max_output_size=raw_bytes)
            yield from decode_block(raw, count)
            pos += 44 + payload_bytes
            continue
        if data[pos + 8:pos + 16] == b"FMR2END\n" and pos + 16 == len(data):
            return
        raise ValueError("nothing readable at byte %d" % pos)


def read_summary(path):
    """The footer's usage summary ("Summary" in the spec), or None when the file has none that checks."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24 or data[-8:] != b"FMR2END\n":
        return None
    end = struct.unpack_from("<Q", data, len(data) - 16)[0]  # the footer checkpoint: the section ends there
    if end < 8 + 20:
        return None
    length = struct.unpack_from("<I", data, end - 4)[0]
    start = end - length
    if length < 20 or start < 8 or data[start:start + 4] != b"FMS2":
        return None
    payload_bytes, raw_bytes, crc = struct.unpack_from("<III", data, start + 4)
    if 16 + payload_bytes + 4 != length:
        return None
    payload = data[start + 16:start + 16 + payload_bytes]
    if zlib.crc32(payload, zlib.crc32(data[start:start + 12])) != crc:
        return None
    raw = zstandard.ZstdDecompressor().decompress(payload, max_output_size=raw_bytes)
    if len(raw) != raw_bytes:
        return None
    c = Column(raw)
    if c.varint() != 1:
        return None
    summary = {"records": c.varint(), "notSummarised": c.varint(), "sessions": []}
    for _ in range(c.varint()):
        s = {"sessionId": c.take(c.varint()).decode(), "platform": c.take(c.varint()).decode(),
             "totalBytes": c.varint(), "changes": c.varint(), "peakBytes": c.varint(), "peakAtMs": c.svarint(),
             "points": []}
        t = 0
        for _ in range(c.varint()):
            t = s64(t + c.svarint())
            used = c.varint()
            s["points"].append((t, used, [c.svarint() for _ in range(8)]))
        summary["sessions"].append(s)
    return summary


def check_summary(summary, report):
    """Problems found comparing the footer's summary with `report --format json` (empty: they agree)."""
    if summary is None:
        return ["the file has no summary that checks"]
    problems = []
    theirs = {s["sessionId"]: s for s in report["sessions"]}
    if sorted(theirs) != sorted(s["sessionId"] for s in summary["sessions"]):
        problems.append("sessions %s, report %s" % ([s["sessionId"] for s in summary["sessions"]], sorted(theirs)))
    for s in summary["sessions"]:
        r = theirs.get(s["sessionId"])
        if r is None:
            continue
        points = s["points"]
        figures = {"peakBytes": s["peakBytes"], "usedBytes": points[-1][1] if points else 0, "platform": s["platform"],
                   "highest point": max((p[1] for p in points), default=0)}
        expected = {"peakBytes": r["peakBytes"], "usedBytes": r["usedBytes"], "platform": r["platform"],
                    "highest point": r["peakBytes"]}
        if figures != expected:
            problems.append("session %s: summary %s, report %s" % (s["sessionId"], figures, expected))
        if len(points) > 2049 or any(a[0] > b[0] for a, b in zip(points, points[1:])):
            problems.append("session %s: %d points, or not in time order" % (s["sessionId"], len(points)))
    return problems


def session_figures(path):
    sessions = {}
    order = []
    last = [None]

    def session(sid):
        sid = sid or last[0] or "default"
        if sid not in sessions:
            sessions[sid] = {"sessionId": sid, "platform": "", "live": {}, "totalAllocations": 0,
                             "freedAllocations": 0, "markers": 0}
            order.append(sid)
        return sessions[sid]

    for r in read_records(path):
        if isinstance(r, tuple):
            try:
                r = json.loads(r[1])
            except ValueError:
                continue  # a malformed frame kept raw
            if not isinstance(r, dict):
                continue
        t = r.get("type")
        if t == "session_started":
            s = session(r.get("sessionId"))
            s["platform"] = r.get("platform", "")
            last[0] = s["sessionId"]
        elif t == "allocation":
            a = r["allocation"]
            s = session(a.get("sessionId") or r.get("sessionId"))
            size = a["size"]["bytes"] if isinstance(a.get("size"), dict) else a["bytes"]
            s["totalAllocations"] += 1
            if "freedAt" in a:
                s["freedAllocations"] += 1
            else:
                s["live"][a["id"]] = size
        elif t == "free":
            s = session(r.get("sessionId"))
            if s["live"].pop(r["allocationId"], None) is not None:
                s["freedAllocations"] += 1
        elif t == "marker":
            session(r.get("sessionId"))["markers"] += 1
    out = []
    for sid in order:
        s = sessions[sid]
        out.append({"sessionId": sid, "platform": s["platform"], "totalAllocations": s["totalAllocations"],
                    "freedAllocations": s["freedAllocations"], "activeAllocations": len(s["live"]),
                    "trackedBytes": sum(s["live"].values()), "markers": s["markers"]})
    return out


def main(argv):
    if len(argv) not in (2, 4) or (len(argv) == 4 and argv[2] != "--compare"):
        print(__doc__, file=sys.stderr)
        return 2
    mine = session_figures(argv[1])
    if len(argv) == 2:
        json.dump({"sessions": mine}, sys.stdout, indent=1)
        print()
        return 0
    with open(argv[3]) as f:
        report = json.load(f)
    theirs = [{k: s[k] for k in mine[0]} for s in report["sessions"]] if mine else report["sessions"]
    if mine != theirs:
        print("read_recording.py and the report disagree:\n mine:   %s\n report: %s" % (mine, theirs), file=sys.stderr)
        return 1
    problems = check_summary(read_summary(argv[1]), report)
    if problems:
        print("the footer's summary and the report disagree:\n " + "\n ".join(problems), file=sys.stderr)
        return 1
    print("%d sessions agree (%s), and the footer's summary agrees on their peak and used bytes"
          % (len(mine), ", ".join(sorted(mine[0])) if mine else "none"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/env python3
"""Raw mconsole protocol checks for tests/t-mconsole.sh.

    mconsole_raw.py proto SOCKET         wire-level checks; PASS/FAIL lines
    mconsole_raw.py fuzz SOCKET SEED N   N hostile datagrams, seeded
    mconsole_raw.py notify PATH OUT      records notify datagrams (hex lines
                                         in OUT) until killed

Replies are read with a timeout, so a server that stays silent makes a
check fail instead of hanging the test.
"""
import os
import random
import socket
import struct
import sys

MAGIC = 0xCAFEBABE


def client():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind("\0mconsole-raw-%d-%d" % (os.getpid(), random.getrandbits(32)))
    s.settimeout(5)
    return s


def request(cmd, version=2, magic=MAGIC, length=None, pad=True):
    if length is None:
        length = len(cmd)
    data = struct.pack("=III", magic, version, length) + cmd
    if pad:
        data += b"\0" * (524 - len(data))
    return data


def replies(s, limit=10000):
    """Every reply packet up to the one with more == 0: [(err, more, text)]."""
    out = []
    while len(out) < limit:
        d = s.recv(1000)
        if len(d) < 12:
            out.append((None, 0, d))
            return out
        err, more, ln = struct.unpack("=III", d[:12])
        if ln != len(d) - 12 or d[-1:] != b"\0":
            out.append((None, 0, d))
            return out
        out.append((err, more, d[12:-1]))
        if not more:
            return out
    return out


def proto(path):
    results = []

    def check(name, ok, why=""):
        results.append("%s mconsole-proto-%s%s" %
                       ("PASS" if ok else "FAIL", name,
                        "" if ok else ": " + why))

    s = client()
    try:
        s.sendto(request(b"version"), path)
        r = replies(s)
        check("version", len(r) == 1 and r[0][0] == 0 and
              r[0][2].startswith(b"Linux "), repr(r))

        # just the header and the command, no padding
        s.sendto(request(b"version", pad=False), path)
        r = replies(s)
        check("unpadded", len(r) == 1 and r[0][0] == 0, repr(r))

        # prefix matching, in table order
        s.sendto(request(b"versionfoo"), path)
        r = replies(s)
        check("prefix", len(r) == 1 and r[0][2].startswith(b"Linux "),
              repr(r))

        s.sendto(request(b"frobnicate"), path)
        r = replies(s)
        check("unknown", r == [(1, 0, b"Unknown command")], repr(r))

        s.sendto(request(b""), path)
        r = replies(s)
        check("empty", r == [(1, 0, b"Unknown command")], repr(r))

        # no magic: a "version 0" client gets raw text
        s.sendto(b"version", path)
        d = s.recv(1000)
        check("version0", d == b"ERR Version 0 mconsole clients are not "
              b"supported by this driver", repr(d))

        s.sendto(request(b"x" * 10, length=512), path)
        r = replies(s)
        check("too-large", r == [(1, 0, b"Request too large")], repr(r))

        s.sendto(request(b"x" * 511), path)
        r = replies(s)
        check("511-accepted", r == [(1, 0, b"Unknown command")], repr(r))

        # another version: an error, and then the command runs anyway
        s.sendto(request(b"version", version=3), path)
        r1 = replies(s)
        r2 = replies(s)
        check("version3", r1 == [(1, 0, b"This driver only supports "
                                  b"version 2 clients")] and
              r2[0][2].startswith(b"Linux "), repr((r1, r2)))

        # help: 722 bytes in two packets, 511 then the rest
        s.sendto(request(b"help"), path)
        r = replies(s)
        check("help-chunks", len(r) == 2 and len(r[0][2]) == 511 and
              r[0][1] == 1 and r[1][1] == 0 and
              r[0][2].startswith(b"Commands: \n") and
              len(r[0][2]) + len(r[1][2]) == 722, repr(r)[:200])

        # proc: "\n" first, then the file, then an empty last packet
        s.sendto(request(b"proc meminfo"), path)
        r = replies(s)
        text = b"".join(p[2] for p in r)
        check("proc", r[0][2] == b"\n" and r[-1] == (0, 0, b"") and
              b"MemTotal:" in text and all(p[1] for p in r[:-1]),
              repr(r)[:200])

        s.sendto(request(b"proc no-such-file"), path)
        r = replies(s)
        check("proc-missing", r == [(1, 0, b"Failed to open file")], repr(r))

        # out of /proc: ".." stops at its root, the guest's files stay out
        s.sendto(request(b"proc ../../init"), path)
        r = replies(s)
        check("proc-confined", r == [(1, 0, b"Failed to open file")],
              repr(r))

        s.sendto(request(b"stack x"), path)
        r = replies(s)
        check("stack-nopid", r == [(1, 0, b"Please specify a pid")], repr(r))
        s.sendto(request(b"stack 0"), path)
        r = replies(s)
        check("stack-pid0", r == [(1, 0, b"Couldn't find that pid")], repr(r))

        s.sendto(request(b"config nosuch"), path)
        r = replies(s)
        check("config-bad", r == [(1, 0, b"Bad configuration option")],
              repr(r))
        s.sendto(request(b"config eth0=daemon"), path)
        r = replies(s)
        check("config-net", len(r) == 1 and r[0][0] == 1 and
              b"not supported" in r[0][2], repr(r))
    except socket.timeout:
        results.append("FAIL mconsole-proto: no reply within 5 s")
    print("\n".join(results))


def fuzz(path, seed, n):
    rnd = random.Random(seed)
    s = client()
    s.settimeout(0)
    harmless = [b"version", b"help", b"proc meminfo", b"proc stat",
                b"config con0", b"config ubd9", b"remove foo", b"stack 1",
                b"sysrq h", b"log fuzz\n", b"go", b"config con=x",
                b"proc self/status", b"proc 1/maps", b"stack 99999"]
    for i in range(n):
        kind = rnd.randrange(6)
        if kind == 0:       # random bytes, random length
            d = bytes(rnd.getrandbits(8) for _ in range(rnd.randrange(0, 700)))
        elif kind == 1:     # a valid request cut short
            d = request(rnd.choice(harmless))[:rnd.randrange(0, 30)]
        elif kind == 2:     # a length beyond the datagram, or huge
            ln = rnd.choice([rnd.randrange(0, 600), 0xffffffff, 0x80000000])
            d = struct.pack("=III", MAGIC, 2, ln) + b"proc meminfo"
        elif kind == 3:     # odd versions
            d = request(rnd.choice(harmless),
                        version=rnd.choice([0, 1, 3, 0xffffffff]))
        elif kind == 4:     # garbage after a good magic
            body = bytes(rnd.getrandbits(8)
                         for _ in range(rnd.randrange(0, 520)))
            d = struct.pack("=III", MAGIC, 2, len(body)) + body
        else:               # harmless commands with garbage appended
            c = rnd.choice(harmless) + bytes(rnd.getrandbits(8)
                                             for _ in range(rnd.randrange(8)))
            d = request(c.replace(b"\0", b" ")[:511])
        try:
            s.sendto(d, path)
        except (BlockingIOError, ConnectionRefusedError, OSError):
            pass
        # drain what came back without waiting for it
        try:
            while True:
                s.recv(2000)
        except (BlockingIOError, OSError):
            pass
    # the server still answers
    s.settimeout(10)
    try:
        while True:
            s.setblocking(False)
            s.recv(2000)
    except (BlockingIOError, OSError):
        pass
    s.settimeout(10)
    for _ in range(3):
        s.sendto(request(b"version"), path)
        try:
            while True:
                r = replies(s)
                if r and r[0][2].startswith(b"Linux "):
                    print("ANSWERED")
                    return
        except socket.timeout:
            continue
    print("SILENT")


def notify(path, out):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    os.chmod(path, 0o777)
    with open(out, "w") as f:
        while True:
            d = s.recv(4096)
            f.write(d.hex() + "\n")
            f.flush()


if __name__ == "__main__":
    if sys.argv[1] == "proto":
        proto(sys.argv[2])
    elif sys.argv[1] == "fuzz":
        fuzz(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif sys.argv[1] == "notify":
        notify(sys.argv[2], sys.argv[3])

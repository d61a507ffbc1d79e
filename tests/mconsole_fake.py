#!/usr/bin/env python3
"""A fake mconsole server for tests/t-mconsole-client.sh.

    mconsole_fake.py SOCKET MODE

Binds the AF_UNIX datagram socket SOCKET and answers every request
according to MODE: the malformed replies a client must refuse, a silence
it must give up on, or a good multi-packet answer. Runs until killed.
"""
import socket
import struct
import sys


def reply(err, more, text):
    data = text + b"\0"
    return struct.pack("=III", err, more, len(data)) + data


MODES = {
    # Malformed: each must be refused with an error, never printed.
    "short": [b"\x00\x00\x00"],
    "empty": [b""],
    "badmore": [struct.pack("=III", 0, 7, 3) + b"hi\0"],
    "badlen": [struct.pack("=III", 0, 0, 400) + b"hi\0"],
    "zerolen": [struct.pack("=III", 0, 0, 0)],
    "nonul": [struct.pack("=III", 0, 0, 3) + b"hi!"],
    "oversize": [struct.pack("=III", 0, 0, 601) + b"x" * 600 + b"\0"],
    "version0": [b"ERR Version 0 mconsole clients are not supported by "
                 b"this driver"],
    "garbage": [bytes(range(256)) * 2],
    # A good start, then garbage: the whole answer is refused.
    "halfgood": [reply(0, 1, b"first part"), b"\xff" * 20],
    # Well-formed: an error spread over three packets, err on the first.
    "multi": [reply(0xffffffed, 1, b"a" * 511), reply(0, 1, b"b" * 100),
              reply(0, 0, b"")],
    # Never answers.
    "silent": [],
}


def main():
    path, mode = sys.argv[1], sys.argv[2]
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    while True:
        req, addr = s.recvfrom(4096)
        for pkt in MODES[mode]:
            s.sendto(pkt, addr)


main()

#!/usr/bin/env python3
"""Logs in on the Debian image's console through a pty, as a person would.

usage: login.py LOGFILE -- COMMAND...

Boots COMMAND (the kernel with a sysvinit Debian image whose root has no
password), waits for getty's login prompt, logs in as root, runs a
command, logs out, sees the login prompt again, logs in and powers off
with poweroff(8). Prints one result line per step (PASS/FAIL name) and
the kernel's exit status last.
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from interactive import Console  # noqa: E402

LOGIN = rb"login: $"
PROMPT = rb"root@[^:]*:[^#]*# $"


def main():
    logpath = sys.argv[1]
    argv = sys.argv[sys.argv.index("--") + 1:]
    con = Console(argv, logpath)

    def ok(name):
        print("PASS debian-login-" + name, flush=True)

    def bad(name, why):
        tail = con.buf[-160:].decode("utf-8", "replace")
        tail = re.sub(r"[\r\n]+", "|", tail)
        print("FAIL debian-login-%s: %s (console ends: %r)" % (name, why, tail),
              flush=True)
        con.kill()
        sys.exit(0)

    if not con.expect(LOGIN, 120):
        bad("prompt", "no login prompt within 120s")
    ok("prompt")
    con.send(b"root\r")
    if not con.expect(PROMPT, 30):
        bad("shell", "no shell prompt after logging in as root")
    con.send(b"echo logged in $((6*7)) on $(tty)\r")
    if not con.expect(rb"logged in 42 on /dev/tty0", 10):
        bad("shell", "the login shell does not answer")
    con.expect(PROMPT, 5)
    ok("shell")
    con.send(b"exit\r")
    if not con.expect(LOGIN, 30):
        bad("logout", "no login prompt again after exit")
    ok("logout")
    con.send(b"root\r")
    if not con.expect(PROMPT, 30):
        bad("poweroff", "no shell prompt on the second login")
    con.send(b"poweroff\r")
    rc = con.wait_exit(120)
    if rc is None:
        bad("poweroff", "the kernel did not exit within 120s of poweroff")
    if rc != 0:
        bad("poweroff", "the kernel exited with status %d" % rc)
    ok("poweroff")


if __name__ == "__main__":
    main()

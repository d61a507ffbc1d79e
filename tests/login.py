#!/usr/bin/env python3
"""Logs in on the Debian image's console through a pty, as a person would.

usage: login.py LOGFILE -- COMMAND...

Boots COMMAND (the kernel with a sysvinit Debian image whose root has no
password), waits for getty's login prompt, logs in as root, runs a
command, uses job control (^Z, jobs, fg, ^C), logs out, sees the login
prompt again, logs in and powers off
with poweroff(8). Prints one result line per step (PASS/FAIL name) and
the kernel's exit status last.
"""
import os
import re
import sys
import time

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
    # bash's job control on the console: ^Z stops a job, jobs lists it,
    # fg resumes it and ^C ends it.
    con.send(b"sleep 100\r")
    con.expect(rb"sleep 100\r?\n", 5)
    time.sleep(0.5)
    con.send(b"\x1a")
    if not con.expect(rb"Stopped +sleep 100", 10):
        bad("jobs", "^Z did not stop 'sleep 100'")
    con.expect(PROMPT, 5)
    con.send(b"jobs\r")
    if not con.expect(rb"\[1\]\+ +Stopped +sleep 100", 10):
        bad("jobs", "'jobs' does not list the stopped job")
    con.expect(PROMPT, 5)
    con.send(b"fg\r")
    if not con.expect(rb"sleep 100\r?\n", 10):
        bad("jobs", "'fg' did not resume the job")
    time.sleep(0.5)
    con.send(b"\x03")
    if not con.expect(PROMPT, 10):
        bad("jobs", "^C did not end the resumed job")
    con.send(b"echo status $?\r")
    if not con.expect(rb"status 130", 10):
        bad("jobs", "the job did not end by SIGINT")
    con.expect(PROMPT, 5)
    ok("jobs")
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

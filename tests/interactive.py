#!/usr/bin/env python3
"""Drives the kernel's console through a pty, as a person at a terminal.

usage: interactive.py LOGFILE -- COMMAND...

Boots COMMAND (the kernel, with the default image) on a fresh pty, waits for
the shell prompt, runs commands, interrupts and suspends jobs with ^C and ^Z,
and powers off. Prints one result line per step (PASS/FAIL name); stops at
the first failure and kills the kernel's process group.
"""
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import fcntl
import time

PROMPT = re.compile(rb"[#$] (?:\x1b\[6n)?$")


class Console:
    def __init__(self, argv, logpath):
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.log = open(logpath, "wb")
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave,
                                     stderr=slave, start_new_session=True,
                                     close_fds=True)
        os.close(slave)
        self.buf = b""     # everything not yet consumed by expect()
        self.all = b""     # the whole transcript

    def send(self, data):
        self.log.write(b"\n<<< " + repr(data).encode() + b"\n")
        os.write(self.master, data)

    def _read(self, timeout):
        r, _, _ = select.select([self.master], [], [], timeout)
        if not r:
            return True
        try:
            data = os.read(self.master, 4096)
        except OSError:     # EIO: every slave fd closed (the kernel exited)
            data = b""
        if not data:
            return False
        self.log.write(data)
        self.log.flush()
        self.buf += data
        self.all += data
        return True

    def expect(self, pattern, timeout):
        """Waits for pattern (bytes regex); consumes through the match."""
        rx = re.compile(pattern) if isinstance(pattern, bytes) else pattern
        end = time.monotonic() + timeout
        while True:
            m = rx.search(self.buf)
            if m:
                self.buf = self.buf[m.end():]
                return m
            left = end - time.monotonic()
            if left <= 0:
                return None
            if not self._read(min(left, 0.2)) and self.proc.poll() is not None:
                m = rx.search(self.buf)
                if m:
                    self.buf = self.buf[m.end():]
                return m

    def wait_exit(self, timeout):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                return self.proc.returncode
            self._read(0.1)
        return None

    def kill(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait()


def main():
    logpath = sys.argv[1]
    argv = sys.argv[sys.argv.index("--") + 1:]
    con = Console(argv, logpath)
    step = ["prompt"]
    counter = [0]

    def ok(name):
        print("PASS interactive-" + name, flush=True)

    def bad(why):
        tail = con.buf[-120:].decode("utf-8", "replace")
        tail = re.sub(r"[\r\n]+", "|", tail)
        if b"job control turned off" in con.all:
            why += "; the shell said: job control turned off"
        print("FAIL interactive-%s: %s (console ends: %r)" % (step[0], why, tail),
              flush=True)
        con.kill()
        sys.exit(0)

    def marker():
        """Runs echo through the shell; its output proves the shell reads
        again. The typed line shows $((...)), the output the sum."""
        counter[0] += 1
        n = counter[0]
        con.send(b"echo mark$((%d+1000))\r" % n)
        return b"mark%d" % (n + 1000)

    # 1. The prompt, then a command and its output.
    if not con.expect(PROMPT, 40):
        if con.proc.poll() is not None:
            bad("the kernel exited with status %d before a prompt"
                % con.proc.returncode)
        bad("no shell prompt within 40s")
    ok("prompt")

    step[0] = "command"
    con.send(b"echo hello $((6*7)) && uname -s\r")
    if not con.expect(rb"hello 42\r?\nLinux", 10):
        bad("no output from echo/uname")
    if not con.expect(PROMPT, 5):
        bad("no prompt after a command")
    ok("command")

    # 2. ^C interrupts a foreground job.
    step[0] = "ctrl-c"
    con.send(b"sleep 100\r")
    con.expect(rb"sleep 100\r?\n", 5)
    time.sleep(0.5)
    t0 = time.monotonic()
    con.send(b"\x03")
    if not con.expect(rb"\^C|" + PROMPT.pattern, 5):
        bad("^C did not stop 'sleep 100' within 5s")
    want = marker()
    if not con.expect(want, 5):
        bad("the shell does not answer after ^C")
    if time.monotonic() - t0 > 5:
        bad("^C took %.1fs" % (time.monotonic() - t0))
    ok("ctrl-c")

    # 3. ^Z suspends it; jobs shows it stopped; fg brings it back, ^C ends it.
    step[0] = "ctrl-z"
    con.expect(PROMPT, 2)
    con.send(b"sleep 100\r")
    con.expect(rb"sleep 100\r?\n", 5)
    time.sleep(0.5)
    con.send(b"\x1a")
    if not con.expect(rb"Stopped", 5):
        bad("^Z did not stop 'sleep 100' (no 'Stopped' within 5s)")
    con.expect(PROMPT, 3)
    con.send(b"jobs\r")
    if not con.expect(rb"\[1\]\+? +Stopped +sleep 100", 5):
        bad("'jobs' does not list the stopped job")
    con.expect(PROMPT, 3)
    ok("ctrl-z")

    step[0] = "fg"
    con.send(b"fg\r")
    if not con.expect(rb"fg\r?\n(.*\r?\n)?sleep 100", 5):
        bad("'fg' did not resume the job")
    time.sleep(0.5)
    con.send(b"\x03")
    want = marker()
    if not con.expect(want, 5):
        bad("^C after fg did not end the job")
    ok("fg")

    # 4. bg continues a stopped job in the background.
    step[0] = "bg"
    con.expect(PROMPT, 2)
    con.send(b"sleep 100\r")
    con.expect(rb"sleep 100\r?\n", 5)
    time.sleep(0.5)
    con.send(b"\x1a")
    if not con.expect(rb"Stopped", 5):
        bad("^Z did not stop the second 'sleep 100'")
    con.expect(PROMPT, 3)
    con.send(b"bg\r")
    if not con.expect(rb"\[1\]\+? +sleep 100", 5):
        bad("'bg' did not report the job")
    con.expect(PROMPT, 3)
    con.send(b"jobs\r")
    if not con.expect(rb"\[1\]\+? +Running +sleep 100", 5):
        bad("'jobs' does not show the job running")
    con.expect(PROMPT, 3)
    con.send(b"kill %1\r")
    con.expect(PROMPT, 3)
    want = marker()
    if not con.expect(want, 5):
        bad("the shell does not answer after kill %1")
    ok("bg")

    # 5. poweroff -f: the kernel exits with status 0.
    step[0] = "poweroff"
    con.expect(PROMPT, 2)
    # (EXIT_CMD only for trying this driver on a host shell.)
    con.send(os.environ.get("EXIT_CMD", "poweroff -f").encode() + b"\r")
    rc = con.wait_exit(15)
    if rc is None:
        bad("the kernel did not exit within 15s of 'poweroff -f'")
    if rc != 0:
        bad("the kernel exited with status %d" % rc)
    ok("poweroff")
    con.kill()


if __name__ == "__main__":
    main()

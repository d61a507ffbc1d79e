#!/usr/bin/env python3
"""ptyrun.py COMMAND...: runs COMMAND on a fresh pty as its controlling
terminal (a new session, in the foreground), copies what it writes to our
stdout, and exits with its status (128+N if killed by signal N). For guest
programs that need a terminal, run natively, and for a kernel whose
console must be a terminal."""
import fcntl
import os
import signal
import sys
import termios


def main():
    master, slave = os.openpty()
    pid = os.fork()
    if pid == 0:
        os.close(master)
        os.setsid()
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
        for fd in (0, 1, 2):
            os.dup2(slave, fd)
        if slave > 2:
            os.close(slave)
        try:
            os.execvp(sys.argv[1], sys.argv[1:])
        finally:
            os._exit(127)
    os.close(slave)

    # The command leads a session and process group of its own, out of
    # reach of a timeout that signals ours: pass a termination on to all of
    # it, and leave nothing of it behind.
    def stop(signo, frame):
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass
        os._exit(128 + signo)

    for signo in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signo, stop)
    out = sys.stdout.buffer
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:         # EIO: the last slave fd is closed
            break
        if not data:
            break
        out.write(data.replace(b"\r\n", b"\n"))
        out.flush()
    _, st = os.waitpid(pid, 0)
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass
    if os.WIFSIGNALED(st):
        sys.exit(128 + os.WTERMSIG(st))
    sys.exit(os.WEXITSTATUS(st))


if __name__ == "__main__":
    main()

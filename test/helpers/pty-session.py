"""Runs a command in a real pseudo-terminal and types answers when the expected text appears.

Usage: python3 pty-session.py CWD '<json argv>' '<json steps>' where each step is {"expect": regex, "send": keys}.
Prints a JSON object {"code": exit code, "transcript": everything the terminal showed, ANSI codes removed}.
"""
import json
import os
import pty
import re
import select
import sys
import time

ANSI = re.compile(rb'\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\x1b[()][A-Z0-9]')


def main():
    cwd, argv, steps = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(cwd)
        env = dict(os.environ, NO_COLOR='1', TERM='xterm', COLUMNS='160', LINES='60')
        os.execvpe(argv[0], argv, env)
    output = b''
    seen = 0

    def read(timeout):
        nonlocal output
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            return None
        if not chunk:
            return None
        output += chunk
        return True

    for step in steps:
        deadline = time.time() + 60
        pattern = re.compile(step['expect'])
        while True:
            text = ANSI.sub(b'', output[seen:]).decode('utf8', 'replace')
            match = pattern.search(text)
            if match:
                seen = len(output)
                break
            if time.time() > deadline or read(0.5) is None:
                print(json.dumps({'code': -1, 'transcript': ANSI.sub(b'', output).decode('utf8', 'replace'), 'error': 'timed out waiting for ' + step['expect']}))
                os.kill(pid, 9)
                return
        time.sleep(0.2)
        os.write(fd, step['send'].encode())
    while read(60) is not None:
        pass
    _, status = os.waitpid(pid, 0)
    print(json.dumps({'code': os.waitstatus_to_exitcode(status), 'transcript': ANSI.sub(b'', output).decode('utf8', 'replace')}))


main()

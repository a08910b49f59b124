#!/usr/bin/env python3
# A local SMTP sink for the mail tests: accepts every message on
# 127.0.0.1:PORT and writes it to DIR as N.eml (the message as received,
# dot-stuffing undone, lines joined with LF) with N.env beside it (the
# envelope: MAIL FROM, then one RCPT TO a line).  Prints its port, then
# serves until killed.  Python 3.11's smtpd (deprecated, still shipped).
# Usage: sink.py DIR [PORT]   (PORT 0 or none: any free port)
import os
import sys
import warnings

warnings.filterwarnings('ignore', category=DeprecationWarning)
import asyncore  # noqa: E402
import smtpd  # noqa: E402


class Sink(smtpd.SMTPServer):
    def process_message(self, peer, mailfrom, rcpttos, data, **kw):
        n = len([f for f in os.listdir(OUT) if f.endswith('.eml')]) + 1
        base = os.path.join(OUT, '%04d' % n)
        with open(base + '.env.tmp', 'w') as f:
            f.write(mailfrom + '\n' + ''.join(r + '\n' for r in rcpttos))
        with open(base + '.eml.tmp', 'wb') as f:
            f.write(data)
        os.rename(base + '.env.tmp', base + '.env')
        os.rename(base + '.eml.tmp', base + '.eml')
        return None


OUT = sys.argv[1]
port = int(sys.argv[2]) if len(sys.argv) > 2 else 0
os.makedirs(OUT, exist_ok=True)
srv = Sink(('127.0.0.1', port), None, decode_data=False)
print(srv.socket.getsockname()[1], flush=True)
asyncore.loop(timeout=0.2)

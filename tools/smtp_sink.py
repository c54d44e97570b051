"""A real SMTP server for the tests: accepts every message on 127.0.0.1 and writes it to a folder.

    /usr/bin/python3 tools/smtp_sink.py PORT DIR

Each message becomes DIR/<n>.json: {"mail_from", "rcpt_tos", "data"}. Stops when its parent dies.
"""
import asyncio, json, os, sys, itertools
from aiosmtpd.controller import Controller

port, folder = int(sys.argv[1]), sys.argv[2]
os.makedirs(folder, exist_ok=True)
counter = itertools.count(1)

class Sink:
    async def handle_DATA(self, server, session, envelope):
        n = next(counter)
        tmp = os.path.join(folder, f".{n}.tmp")
        with open(tmp, "w") as f:
            json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos,
                       "data": envelope.content.decode("utf8", "replace")}, f)
        os.rename(tmp, os.path.join(folder, f"{n}.json"))
        return "250 OK"

controller = Controller(Sink(), hostname="127.0.0.1", port=port)
controller.start()
parent = os.getppid()
async def watch():
    while os.getppid() == parent:
        await asyncio.sleep(1)
asyncio.run(watch())
controller.stop()

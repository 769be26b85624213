#!/usr/bin/env python3
"""A TCP proxy on 127.0.0.1 that counts the bytes clients send upstream (request heads and bodies).

Usage: count-proxy.py UPSTREAM_PORT PORT_FILE COUNT_FILE. Writes its own port to PORT_FILE, then the running total
of client-to-server bytes to COUNT_FILE (replaced atomically, every 0.2 s).
"""
import asyncio
import os
import sys

upstream_port, port_file, count_file = int(sys.argv[1]), sys.argv[2], sys.argv[3]
total = 0


async def pipe(reader, writer, counted):
    global total
    try:
        while data := await reader.read(1 << 16):
            if counted:
                total += len(data)
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        writer.close()


async def handle(client_reader, client_writer):
    try:
        upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", upstream_port)
    except ConnectionError:
        client_writer.close()
        return
    await asyncio.gather(pipe(client_reader, upstream_writer, True), pipe(upstream_reader, client_writer, False))


async def report():
    while True:
        with open(count_file + ".tmp", "w") as f:
            f.write(str(total))
        os.replace(count_file + ".tmp", count_file)
        await asyncio.sleep(0.2)


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    with open(port_file, "w") as f:
        f.write(str(server.sockets[0].getsockname()[1]))
    asyncio.get_running_loop().create_task(report())
    await server.serve_forever()


asyncio.run(main())

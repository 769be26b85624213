#!/usr/bin/env python3
"""A TCP proxy on 127.0.0.1 that delays every chunk by a fixed time in each direction, as a network path would:
one round trip through it takes at least 2 x DELAY. For measuring what parallel requests buy when the server is far
away (the kernel here has no netem). Order within a connection is kept; chunks are not held back behind each other
(each is sent DELAY after it arrived), so the delay is latency, not a bandwidth limit.

Usage: latency-proxy.py UPSTREAM_PORT DELAY_MS PORT_FILE. Writes its own port to PORT_FILE.
"""
import asyncio
import sys

upstream_port, delay, port_file = int(sys.argv[1]), int(sys.argv[2]) / 1000, sys.argv[3]


async def pipe(reader, writer):
    loop = asyncio.get_running_loop()
    queue = asyncio.Queue()

    async def send():
        while (item := await queue.get()) is not None:
            due, data = item
            if (wait := due - loop.time()) > 0:
                await asyncio.sleep(wait)
            writer.write(data)
            await writer.drain()
        writer.close()

    sender = asyncio.create_task(send())
    try:
        while data := await reader.read(1 << 16):
            queue.put_nowait((loop.time() + delay, data))
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        queue.put_nowait(None)
        try:
            await sender
        except ConnectionError:
            pass


async def handle(client_reader, client_writer):
    try:
        server_reader, server_writer = await asyncio.open_connection("127.0.0.1", upstream_port)
    except OSError:
        client_writer.close()
        return
    await asyncio.gather(pipe(client_reader, server_writer), pipe(server_reader, client_writer))


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    with open(port_file, "w") as f:
        f.write(str(server.sockets[0].getsockname()[1]))
    async with server:
        await server.serve_forever()


asyncio.run(main())

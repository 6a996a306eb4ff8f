"""An asyncio service that calls a blocking download function
(reference fix).

A coroutine only lets other tasks run at an await; a blocking call inside it
holds the loop's only thread. asyncio.to_thread runs the call in a worker
thread and gives the loop an awaitable, so other tasks keep running; gather
overlaps the downloads and keeps the order.
"""

import asyncio


async def fetch_previews(urls, fetch):
    """The previews of `urls`, fetched with the blocking function `fetch`."""
    return await asyncio.gather(*(asyncio.to_thread(fetch, url) for url in urls))

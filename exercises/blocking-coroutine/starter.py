"""An asyncio service that calls a blocking download function.

A chat server runs on asyncio. One of its tasks fetches link previews with
`await fetch_previews(urls, fetch)`, where `fetch(url)` comes from an old
library: an ordinary function that blocks on the network (it cannot be
awaited). Meanwhile the loop should keep serving the other tasks: messages,
typing indicators, heartbeats.

What is wrong: every time a message contains links, the whole server stops
answering until the previews are downloaded: no messages, no heartbeats, and
clients time out.

Fixed means: while `fetch` runs, the event loop keeps running other tasks;
`fetch_previews` returns the previews in the order of `urls`; and it returns
only when every preview has been fetched.
"""


async def fetch_previews(urls, fetch):
    """The previews of `urls`, fetched with the blocking function `fetch`."""
    return [fetch(url) for url in urls]

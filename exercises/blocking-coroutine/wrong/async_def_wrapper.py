# Wrong: wrapping the blocking call in a coroutine does not make it asynchronous: the call still runs on the loop's thread and blocks it.
"""Idea: wrap fetch in an async def and gather the wrappers."""

import asyncio


async def fetch_previews(urls, fetch):
    async def one(url):
        return fetch(url)

    return await asyncio.gather(*(one(url) for url in urls))

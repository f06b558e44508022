"""The default ``User-Agent``: typedresp, httpx and Python with their versions, after the
SDK's own name and version when it gives one."""

from __future__ import annotations

import re
import sys

import httpx
import pytest

import typedresp
from typedresp import AsyncClient, Client

from .server import Reply, ServerView

PYTHON = ".".join(map(str, sys.version_info[:3]))
DEFAULT = f"typedresp/{typedresp.__version__} httpx/{httpx.__version__} python/{PYTHON}"


class Petstore(Client):
    user_agent_prefix = "petstore-python/1.2.0"


def test_every_request_says_typedresp_httpx_and_python(http_server: ServerView) -> None:
    http_server.route("/x", Reply.json({}))
    with httpx.Client(trust_env=False) as http:
        Client(http_server.url, http_client=http).get("/x", cast_to=dict)
    assert http_server.requests[0].headers["user-agent"] == DEFAULT
    assert re.fullmatch(r"typedresp/\S+ httpx/\d+\.\d+\S* python/\d+\.\d+\.\d+", DEFAULT)


def test_an_sdk_puts_its_name_and_version_in_front(http_server: ServerView) -> None:
    http_server.route("/x", Reply.json({}))
    with httpx.Client(trust_env=False) as http:
        Petstore(http_server.url, http_client=http).get("/x", cast_to=dict)
    assert http_server.requests[0].headers["user-agent"] == f"petstore-python/1.2.0 {DEFAULT}"


@pytest.mark.parametrize("name", ["User-Agent", "user-agent"])
def test_a_user_agent_given_in_headers_wins(http_server: ServerView, name: str) -> None:
    http_server.route("/x", Reply.json({}))
    with httpx.Client(trust_env=False) as http:
        client = Petstore(http_server.url, http_client=http, headers={name: "mine/1"})
        client.get("/x", cast_to=dict)
        client.get("/x", cast_to=dict, extra_headers={"User-Agent": "this-call/2"})
    assert [r.headers["user-agent"] for r in http_server.requests] == ["mine/1", "this-call/2"]


@pytest.mark.anyio
async def test_the_async_client_sends_it_too(http_server: ServerView) -> None:
    http_server.route("/x", Reply.json({}))
    async with httpx.AsyncClient(trust_env=False) as http:
        await AsyncClient(http_server.url, http_client=http).get("/x", cast_to=dict)
    assert http_server.requests[0].headers["user-agent"] == DEFAULT

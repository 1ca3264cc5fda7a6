"""The `link_connect_to` setting: where the link reader's connections for a host really go.
Parsed strictly (a typo stops the server at start), and never a way around the private-network
check: the place connected to is checked like any other."""

from __future__ import annotations

from pathlib import Path

import pytest

from bulletin.domain.errors import ValidationError
from bulletin.feed.outbound import check_destination, connect_routes
from bulletin.settings import Settings
from bulletin.web.app import create_app


def test_routes_are_host_port_pairs_with_443_by_default() -> None:
    assert connect_routes(" www.youtube.com=localhost:8443 , I.YTIMG.COM:443=10.1.2.3:3128,") == {
        ("www.youtube.com", 443): ("localhost", 8443),
        ("i.ytimg.com", 443): ("10.1.2.3", 3128),
    }
    assert connect_routes("") == {}


@pytest.mark.parametrize("setting", ["www.youtube.com", "a=b:port", "a:99999=b:1", "=b:1",
                                     "a=:443"])
def test_a_malformed_route_names_itself(setting: str) -> None:
    with pytest.raises(ValueError, match="is not"):
        connect_routes(setting)


def test_the_server_refuses_to_start_with_a_malformed_route(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="link_connect_to"):
        create_app(Settings(data_dir=tmp_path, link_connect_to="www.youtube.com"))


async def test_a_routed_host_is_checked_where_it_really_goes() -> None:
    routes = connect_routes("www.youtube.com=127.0.0.1:8443")
    with pytest.raises(ValidationError, match="private network"):
        await check_destination("https://www.youtube.com/oembed", frozenset(), routes)
    await check_destination("https://www.youtube.com/oembed", frozenset({"127.0.0.1"}), routes)

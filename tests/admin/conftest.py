"""Admin fixtures: an owner account and a logged-in test client."""
import pytest

from tests.support.admin import EMAIL, AdminClient, create_owner


@pytest.fixture
def owner(shop):
    create_owner(shop.app)
    return EMAIL


@pytest.fixture
def admin(shop, owner) -> AdminClient:
    client = AdminClient(shop.app.test_client())
    assert client.login().status_code == 303
    return client

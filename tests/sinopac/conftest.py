"""The bank emulator on loopback for the client's contract tests; each module sets up its `state`."""
import pytest

from sinopac.emulator import create_emulator, serve_in_thread


@pytest.fixture
def bank_url(state):
    """The address of a bank emulator serving this module's `state`."""
    server, url = serve_in_thread(create_emulator(state))
    yield url
    server.shutdown()
    server.server_close()

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests import their helpers (reference_scorer)

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED = REPO / "corpus" / "000_34e7e602297dcf66.txt"


@pytest.fixture(scope="session")
def nlp():
    import extract

    return extract.load()


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def shared_path(*parts: str) -> Path:
    """A file of ../shared, or skip the test where the checkout has no ../shared beside it."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not here (../shared is absent)")
    return path

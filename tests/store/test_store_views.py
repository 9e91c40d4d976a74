from storekit import EXAMPLE, load_example, ref_of

from summitry.access.policy import Principal
from summitry.access.views import load_view
from summitry.io import planfile
from summitry.store.audit import Keyring
from summitry.store.database import Database
from summitry.store.reads import workspace_view


def test_load_then_read(db: Database, keys: Keyring) -> None:
    load_example(db, keys)
    for who in ["all", "joint", "russia"]:
        view = workspace_view(ref_of(db, "demo"), Principal.of(who))
        assert planfile.dumps(view) == planfile.dumps(load_view(EXAMPLE, Principal.of(who)))

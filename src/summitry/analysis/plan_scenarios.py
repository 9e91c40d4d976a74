"""Kept for compatibility until its importers move: the plan readers under their old path.

Each name now lives with what it feeds: `cib_model` and `under_scenario` in
:mod:`summitry.analysis.scenarios`, `venue_analysis` in :mod:`summitry.analysis.venues`, and the
risk register (`RiskRow`, `risk_register`) in :mod:`summitry.analysis.risks`. Import them from
there; this module only re-exports them.
"""

from summitry.analysis.risks import RiskRow, risk_register
from summitry.analysis.scenarios import cib_model, under_scenario
from summitry.analysis.venues import venue_analysis

__all__ = ["RiskRow", "cib_model", "risk_register", "under_scenario", "venue_analysis"]

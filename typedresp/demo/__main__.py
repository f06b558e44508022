"""Run the demo: ``python -m typedresp.demo``."""

from __future__ import annotations

import sys

from .tour import main

sys.exit(main())

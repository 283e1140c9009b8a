"""``python -m cbss_sdk.cli``: the same as the ``cbss`` script."""

from __future__ import annotations

import sys

from . import main

sys.exit(main())
